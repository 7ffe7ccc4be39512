/**
 * Build a step's {@link StepDeps} from the environment with the AWS adapters: what every Lambda
 * entry (`functions/<step>/index.ts`) calls at cold start. A step gets the settings for exactly
 * the resources its pipeline definition grants; a port it was not granted fails loudly if used.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { type EnvKey, loadConfig } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { ACCESS_ENV, PIPELINE, type StepName } from '../../pipeline.ts';
import type { StepDeps } from '../../runtime.ts';
import { createDocumentClient, createDynamoClient, createS3Client, createSqsClient } from './clients.ts';
import { DynamoArticleStore } from './dynamo-article-store.ts';
import { DynamoFingerprintIndex } from './dynamo-fingerprint-index.ts';
import { DynamoIngestionLog } from './dynamo-ingestion-log.ts';
import { PowertoolsStepMetrics } from './powertools-metrics.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import { SqsQueue } from './sqs-queue.ts';

/** A stand-in for a port the step has no access to: any call is a wiring bug. */
function notGranted<T extends object>(port: string, step: StepName): T {
  return new Proxy({} as T, {
    get: (_target, prop) => {
      if (prop === 'then') return undefined; // not a thenable
      return () => {
        throw new ConfigError(`Step ${step} has no access to ${port} (see its entry in shared/pipeline.ts)`);
      };
    },
  });
}

/**
 * Dependencies for `step` running on AWS (or against local endpoints via `AWS_ENDPOINT_URL_*`).
 * Reads its settings once; a missing one throws {@link ConfigError} at cold start.
 */
export function createAwsDeps(
  step: StepName,
  env: Readonly<Record<string, string | undefined>> = process.env,
): StepDeps {
  const definition = PIPELINE.find((s) => s.name === step);
  if (!definition) throw new ConfigError(`Unknown step ${JSON.stringify(step)}`);
  const granted = new Set(definition.access.map((a) => a.resource));
  const keys: EnvKey[] = [
    'DUPLICATE_POLICY',
    'MAX_DOCUMENT_BYTES',
    'PIPELINE_VERSION',
    'BATCH_CHUNK_RECORDS',
  ];
  for (const resource of granted) keys.push(ACCESS_ENV[resource]);
  const config: Partial<Record<EnvKey, string | number>> = loadConfig(keys, env);
  const name = (key: EnvKey): string => String(config[key]);

  const doc =
    granted.has('articlesTable') || granted.has('fingerprintsTable') || granted.has('ingestionsTable')
      ? createDocumentClient(createDynamoClient(), createDynamoClient({ cacheMiddleware: true }))
      : null;
  const now = () => new Date();
  const logger = new Logger({ serviceName: 'newsflow', persistentKeys: { step } });
  return {
    blobs: granted.has('bucket')
      ? new S3BlobStore(createS3Client(), name('BUCKET_NAME'))
      : notGranted('the bucket', step),
    articles:
      doc && granted.has('articlesTable')
        ? new DynamoArticleStore(doc, name('ARTICLES_TABLE'), now)
        : notGranted('the Articles table', step),
    fingerprints:
      doc && granted.has('fingerprintsTable')
        ? new DynamoFingerprintIndex(doc, name('FINGERPRINTS_TABLE'))
        : notGranted('the Fingerprints table', step),
    ingestions:
      doc && granted.has('ingestionsTable')
        ? new DynamoIngestionLog(doc, name('INGESTIONS_TABLE'))
        : notGranted('the Ingestions table', step),
    next: granted.has('nextQueue') ? new SqsQueue(createSqsClient(), name('NEXT_QUEUE_URL')) : null,
    self: granted.has('ownQueue') ? new SqsQueue(createSqsClient(), name('OWN_QUEUE_URL')) : null,
    logger,
    metrics: new PowertoolsStepMetrics(step, { logger }),
    settings: {
      duplicatePolicy: config.DUPLICATE_POLICY === 'drop' ? 'drop' : 'link',
      maxDocumentBytes: Number(config.MAX_DOCUMENT_BYTES),
      pipelineVersion: name('PIPELINE_VERSION'),
      batchChunkRecords: Number(config.BATCH_CHUNK_RECORDS),
    },
    now,
  };
}
