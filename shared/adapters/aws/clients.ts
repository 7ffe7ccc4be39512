/**
 * AWS SDK clients configured the one way newsflow needs them, on AWS and against local
 * endpoints alike. Endpoints come from the SDK's standard `AWS_ENDPOINT_URL_*` variables unless
 * given explicitly.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsEndpoints } from '../../config.ts';

/** Options shared by the client factories; everything defaults to the SDK's own resolution. */
export interface ClientOptions {
  /** Overrides the endpoint (otherwise `AWS_ENDPOINT_URL_<SERVICE>` or the AWS default). */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Options of {@link createDynamoClient}. */
export interface DynamoClientOptions extends ClientOptions {
  /**
   * Replaces SigV4 signing. Only the local embedded endpoint, which checks that an Authorization
   * header is present but never verifies it, is given one (local/embedded.ts); AWS clients sign.
   */
  readonly signer?: DynamoDBClientConfig['signer'];
  /**
   * Resolve each command class's middleware once and reuse it (the SDK's `cacheMiddleware`). Only
   * for a client that sends low-level commands: see {@link createDocumentClient}.
   */
  readonly cacheMiddleware?: boolean;
}

/**
 * Sockets per local (plain-HTTP) endpoint. The local runner drives every step's invocations
 * through one client, so hundreds of requests can be in flight; at the SDK's default of 50 they
 * queue in the client and it prints a socket-capacity warning into the CLI's output. On AWS a
 * Lambda invocation has at most a batch of records in flight, and the default stays.
 */
const LOCAL_MAX_SOCKETS = 256;

const common = (opts: ClientOptions, endpoint: string | undefined) => ({
  ...(endpoint?.startsWith('http://')
    ? { requestHandler: { httpAgent: { keepAlive: true, maxSockets: LOCAL_MAX_SOCKETS } } }
    : {}),
  ...(endpoint ? { endpoint } : {}),
  ...(opts.region ? { region: opts.region } : {}),
  ...(opts.credentials ? { credentials: opts.credentials } : {}),
});

/**
 * S3 client. Checksums only when required: the default streams bodies `aws-chunked`, which
 * s3rver stores framing and all. Path-style addressing whenever an endpoint is overridden, since
 * local servers have no per-bucket host names.
 */
export function createS3Client(opts: ClientOptions = {}): S3Client {
  const endpoint = opts.endpoint ?? awsEndpoints().s3;
  return new S3Client({
    ...common(opts, endpoint),
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** DynamoDB client. */
export function createDynamoClient(opts: DynamoClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...common(opts, opts.endpoint ?? awsEndpoints().dynamodb),
    ...(opts.signer ? { signer: opts.signer } : {}),
    ...(opts.cacheMiddleware ? { cacheMiddleware: true } : {}),
  });
}

/** How items are marshalled: undefined attributes are left out (see {@link createDocumentClient}). */
export const MARSHALL_OPTIONS: Readonly<{ removeUndefinedValues: boolean }> = Object.freeze({
  removeUndefinedValues: true,
});

const rawClients = new WeakMap<DynamoDBDocumentClient, DynamoDBClient>();

/**
 * Document client over {@link createDynamoClient}. Undefined attributes are dropped because index
 * keys (e.g. `sectionDay`) must be absent, not null, on items outside the index.
 *
 * `raw`, when given, is the client the adapters send their low-level commands through
 * ({@link rawClientOf}): the puts every article makes and the near-duplicate bucket batches. It
 * should be made with `cacheMiddleware`, which saves about a quarter of the SDK's CPU per call
 * (docs/PERFORMANCE.md, round 5). The document client's own client must not have it: the SDK
 * caches a handler per command class, and a document command's handler keeps the input of the
 * command it was made for.
 */
export function createDocumentClient(client: DynamoDBClient, raw?: DynamoDBClient): DynamoDBDocumentClient {
  // A copy: the document client writes its own defaults (convertTopLevelContainer) into it.
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { ...MARSHALL_OPTIONS } });
  rawClients.set(doc, raw ?? client);
  return doc;
}

/** The client for low-level commands next to `doc`: `raw` of {@link createDocumentClient}, else its own client. */
export function rawClientOf(doc: DynamoDBDocumentClient): DynamoDBClient {
  const raw = rawClients.get(doc);
  if (!raw) throw new Error('This document client was not made by createDocumentClient');
  return raw;
}

/** SQS client. */
export function createSqsClient(opts: ClientOptions = {}): SQSClient {
  return new SQSClient(common(opts, opts.endpoint ?? awsEndpoints().sqs));
}
