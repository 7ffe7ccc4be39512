/**
 * The one place that reads the environment. Each entry point names the settings it needs;
 * a missing or malformed one fails at cold start with a message naming the variable.
 */
import * as z from 'zod';
import { ConfigError } from './errors.ts';
import { DEFAULT_BATCH_CHUNK_RECORDS } from './runtime.ts';

const EnvSchema = z.object({
  BUCKET_NAME: z.string().min(1),
  ARTICLES_TABLE: z.string().min(1),
  FINGERPRINTS_TABLE: z.string().min(1),
  INGESTIONS_TABLE: z.string().min(1),
  /** URL of the next step's queue (SQS URL on AWS, `local://<name>` locally). */
  NEXT_QUEUE_URL: z.string().min(1),
  /** URL of the step's own queue (normalize sends batch-file chunks to itself). */
  OWN_QUEUE_URL: z.string().min(1),
  /** normalize: records per chunk when a batch file is split (see StepSettings.batchChunkRecords). */
  BATCH_CHUNK_RECORDS: z.coerce.number().int().positive().default(DEFAULT_BATCH_CHUNK_RECORDS),
  /** What dedupe does with a duplicate: store it linked to its cluster, or drop it. */
  DUPLICATE_POLICY: z.enum(['link', 'drop']).default('link'),
  /** Cap on a raw document's (decompressed) size, in bytes. */
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  PIPELINE_VERSION: z.string().default('0.1.0'),
  STAGE: z.string().default('dev'),
});

export type Env = z.infer<typeof EnvSchema>;
export type EnvKey = keyof Env;

/**
 * Parse the settings named in `keys` from `env` (default `process.env`). Settings with a default
 * are always present; a required one that is missing throws {@link ConfigError}.
 */
export function loadConfig<K extends EnvKey>(
  keys: readonly K[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<Env, K> {
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as Record<K, true>;
  const parsed = EnvSchema.pick(mask as never).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`)
      .join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data as Pick<Env, K>;
}

/** Settings for the CLI and local runner that are not per-function (endpoints, data dir). */
export function localEnv(env: Readonly<Record<string, string | undefined>> = process.env): {
  readonly dataDir: string | undefined;
  readonly isTty: boolean;
  readonly update: boolean;
} {
  return {
    dataDir: env.NEWSFLOW_DATA_DIR,
    isTty: Boolean(process.stdout.isTTY),
    update: env.UPDATE === '1',
  };
}

/** Endpoint overrides the AWS SDK honours (standard `AWS_ENDPOINT_URL_*` variables); unset on AWS. */
export interface AwsEndpoints {
  readonly s3: string | undefined;
  readonly dynamodb: string | undefined;
  readonly sqs: string | undefined;
}

/**
 * The endpoint overrides in effect. The SDK reads these variables itself; adapters need to know
 * them only to switch S3 to path-style addressing, which local S3 servers require.
 */
export function awsEndpoints(env: Readonly<Record<string, string | undefined>> = process.env): AwsEndpoints {
  const pick = (name: string): string | undefined =>
    env[`AWS_ENDPOINT_URL_${name}`] || env.AWS_ENDPOINT_URL || undefined;
  return { s3: pick('S3'), dynamodb: pick('DYNAMODB'), sqs: pick('SQS') };
}
