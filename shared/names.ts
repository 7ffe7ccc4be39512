/**
 * Physical resource names, derived from the stage in one place so the CDK stack, the Lambda
 * environment and the local embedded mode agree. Local mode uses the stage `local`.
 */
import { ConfigError } from './errors.ts';
import { ARTICLES_TABLE, FINGERPRINTS_TABLE, INGESTIONS_TABLE, tableName } from './tables.ts';

/** The stage local embedded mode runs as. */
export const LOCAL_STAGE = 'local';

/** Names of every stage-scoped resource. */
export interface ResourceNames {
  /** Prefix for tables and queues: `newsflow-<stage>`. */
  readonly prefix: string;
  /** Raw bucket name. On AWS the stack may suffix it with the account to make it globally unique. */
  readonly bucket: string;
  readonly articlesTable: string;
  readonly fingerprintsTable: string;
  readonly ingestionsTable: string;
}

/** Resource names for `stage` (lower-case letters, digits and dashes). */
export function names(stage: string): ResourceNames {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(stage)) {
    throw new ConfigError(
      `Invalid stage ${JSON.stringify(stage)}: use 1-31 lower-case letters, digits or dashes`,
    );
  }
  const prefix = `newsflow-${stage}`;
  return {
    prefix,
    bucket: `${prefix}-raw`,
    articlesTable: tableName(prefix, ARTICLES_TABLE),
    fingerprintsTable: tableName(prefix, FINGERPRINTS_TABLE),
    ingestionsTable: tableName(prefix, INGESTIONS_TABLE),
  };
}
