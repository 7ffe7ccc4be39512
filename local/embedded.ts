/**
 * Local embedded mode: s3rver (S3) and dynalite (DynamoDB on LevelDB) as real HTTP endpoints on
 * localhost, with data under one directory, the bucket and the tables created from the same
 * definitions as the stack, and `<data-dir>/endpoints.json` telling other tools where they are.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { createDynamoClient, createS3Client } from '#shared/adapters/aws/clients.ts';
import { createTables } from '#shared/adapters/aws/create-tables.ts';
import { LOCAL_STAGE, names } from '#shared/names.ts';
import { DataDirBusyError, EmbeddedStartError } from './errors.ts';

/** Region the local endpoints claim; any works, the SDK and aws-cli just need one. */
export const LOCAL_REGION = 'us-east-1';

/** s3rver accepts only this key pair; dynalite accepts any, so both use it. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Fixed ports `newsflow serve` uses by default (s3rver's and dynalite's own defaults). */
export const DEFAULT_PORTS = { s3: 4568, dynamodb: 4567 } as const;

/** Where the local endpoints are: the content of `<data-dir>/endpoints.json`. */
export interface Endpoints {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly articlesTable: string;
  readonly fingerprintsTable: string;
  readonly ingestionsTable: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Process serving them; other commands use it to tell a live server from a stale file. */
  readonly pid: number;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** 0 picks a free port. @default 0 */
  readonly s3Port?: number;
  /** 0 picks a free port. @default 0 */
  readonly dynamodbPort?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 'local' */
  readonly stage?: string;
}

/** Running embedded servers plus SDK clients pointed at them. */
export interface Embedded {
  readonly endpoints: Endpoints;
  readonly s3rver: S3rver;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** Stop both servers (LevelDB is closed cleanly) and the clients. */
  close(): Promise<void>;
}

/** Path of the endpoints file in a data dir. */
export const endpointsFile = (dataDir: string): string => join(dataDir, 'endpoints.json');

/** The endpoints file of `dataDir`, or null when there is none. */
export async function readEndpoints(dataDir: string): Promise<Endpoints | null> {
  try {
    return JSON.parse(await readFile(endpointsFile(dataDir), 'utf8')) as Endpoints;
  } catch {
    return null;
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Data dirs this process serves right now (several sessions may share one process in tests). */
const servedHere = new Set<string>();

/** Endpoints of a live server of `dataDir` (which holds the LevelDB lock), or null. */
export async function findRunning(dataDir: string): Promise<Endpoints | null> {
  const endpoints = await readEndpoints(dataDir);
  if (!endpoints) return null;
  const live = endpoints.pid === process.pid ? servedHere.has(resolve(dataDir)) : isAlive(endpoints.pid);
  return live ? endpoints : null;
}

/** SDK clients for a set of endpoints (s3rver's credentials, path-style, checksums only when required). */
export function clientsFor(endpoints: Endpoints): { s3: S3Client; dynamodb: DynamoDBClient } {
  const credentials = { accessKeyId: endpoints.accessKeyId, secretAccessKey: endpoints.secretAccessKey };
  return {
    s3: createS3Client({ endpoint: endpoints.s3Endpoint, region: endpoints.region, credentials }),
    dynamodb: createDynamoClient({
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      credentials,
    }),
  };
}

const listen = (server: Server, port: number, host: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

/**
 * True when a request path has a `.` or `..` segment (after percent-decoding). s3rver maps keys
 * to files with `path.join`, so such a key would read or write outside its data directory;
 * real S3 treats the dots as plain characters, but locally they are refused.
 */
export function hasDotSegment(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded.split(/[\\/]/).some((part) => part === '.' || part === '..');
  });
}

/** Put {@link hasDotSegment} in front of s3rver's request handler. */
function refuseDotSegments(server: Server): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (hasDotSegment(req.url ?? '/')) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>The local S3 refuses keys with "." or ".." path segments: they would escape its data directory.</Message></Error>',
      );
      return;
    }
    for (const handle of handlers) handle(req, res);
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
  });

/**
 * Start s3rver and dynalite on `dataDir`, create the bucket and tables, write endpoints.json.
 * Throws {@link DataDirBusyError} when another live process serves the same data dir, and
 * {@link EmbeddedStartError} naming the port or directory when a server cannot start.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<Embedded> {
  const host = opts.host ?? '127.0.0.1';
  const resources = names(opts.stage ?? LOCAL_STAGE);
  const running = await findRunning(opts.dataDir);
  if (running) throw new DataDirBusyError(opts.dataDir, running);

  const s3Dir = join(opts.dataDir, 's3');
  const dynamoDir = join(opts.dataDir, 'dynamodb');
  await mkdir(s3Dir, { recursive: true });
  await mkdir(dynamoDir, { recursive: true });

  const s3rver = new S3rver({
    address: host,
    port: opts.s3Port ?? 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: resources.bucket }],
  });
  // Koa logs every error response (a 404 for a missing key is normal traffic) unless told otherwise.
  s3rver.on('error', () => {});
  let s3Address: AddressInfo;
  try {
    s3Address = await s3rver.run();
  } catch (cause) {
    throw new EmbeddedStartError(`Could not start embedded S3 on ${host}:${opts.s3Port ?? 0}`, { cause });
  }
  if (s3rver.httpServer) refuseDotSegments(s3rver.httpServer);

  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamoAddress: AddressInfo;
  try {
    dynamoAddress = await listen(dynamo, opts.dynamodbPort ?? 0, host);
  } catch (cause) {
    await s3rver.close();
    throw new EmbeddedStartError(`Could not start embedded DynamoDB on ${host}:${opts.dynamodbPort ?? 0}`, {
      cause,
    });
  }

  const endpoints: Endpoints = {
    s3Endpoint: `http://${host}:${s3Address.port}`,
    dynamodbEndpoint: `http://${host}:${dynamoAddress.port}`,
    region: LOCAL_REGION,
    bucket: resources.bucket,
    articlesTable: resources.articlesTable,
    fingerprintsTable: resources.fingerprintsTable,
    ingestionsTable: resources.ingestionsTable,
    ...LOCAL_CREDENTIALS,
    pid: process.pid,
  };
  const clients = clientsFor(endpoints);
  const close = async (): Promise<void> => {
    servedHere.delete(resolve(opts.dataDir));
    clients.s3.destroy();
    clients.dynamodb.destroy();
    await Promise.all([s3rver.close().catch(() => {}), closeServer(dynamo)]);
  };

  try {
    await createTables(clients.dynamodb, resources.prefix);
  } catch (cause) {
    await close();
    throw new EmbeddedStartError(
      `Could not open the DynamoDB data in ${dynamoDir} (is another process using this data dir?)`,
      { cause },
    );
  }
  await writeFile(endpointsFile(opts.dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);
  servedHere.add(resolve(opts.dataDir));
  return { endpoints, s3rver, s3: clients.s3, dynamodb: clients.dynamodb, close };
}
