/**
 * Wires the AWS adapters to the local endpoints: the same adapter classes Lambda uses, given the
 * endpoints, credentials and names explicitly (nothing is passed through `process.env`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createDocumentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoArticleStore } from '#shared/adapters/aws/dynamo-article-store.ts';
import { DynamoFingerprintIndex } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { DynamoIngestionLog } from '#shared/adapters/aws/dynamo-ingestion-log.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import type { StepName } from '#shared/pipeline.ts';
import type { StepSettings } from '#shared/runtime.ts';
import type { Endpoints } from './embedded.ts';
import type { SharedDeps } from './runner.ts';
import { localSettings } from './settings.ts';

/** Endpoints plus clients pointed at them (an {@link Embedded} or a connection to a running one). */
export interface LocalConnection {
  readonly endpoints: Endpoints;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** For the adapters' low-level commands (`rawDynamoClientFor`). */
  readonly rawDynamodb: DynamoDBClient;
}

/** The ports every step shares, on the local endpoints. */
export function localDeps(conn: LocalConnection, settings: StepSettings = localSettings()): SharedDeps {
  const doc = createDocumentClient(conn.dynamodb, conn.rawDynamodb);
  const now = (): Date => new Date();
  return {
    blobs: new S3BlobStore(conn.s3, conn.endpoints.bucket),
    articles: new DynamoArticleStore(doc, conn.endpoints.articlesTable, now),
    fingerprints: new DynamoFingerprintIndex(doc, conn.endpoints.fingerprintsTable),
    ingestions: new DynamoIngestionLog(doc, conn.endpoints.ingestionsTable),
    settings,
    now,
  };
}

/** A Powertools logger per step at `level`; warnings and errors go to stderr, so stdout stays data. */
export const stepLogger =
  (level: LogLevel) =>
  (step: StepName): Logger =>
    new Logger({ serviceName: 'newsflow', logLevel: level, persistentKeys: { step } });

/** Loggers that print nothing (tests). */
export const quietLogger = stepLogger('SILENT');
