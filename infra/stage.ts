/**
 * The deployment stage, read once from CDK context (`-c stage=dev|prod`, `-c alarmEmail=…`) and
 * handed to both stacks as a typed value.
 */
import { Aws } from 'aws-cdk-lib';
import { names, type ResourceNames } from '#shared/names.ts';

/** Everything the stacks need to know about the stage they deploy. */
export interface StageConfig {
  readonly stage: string;
  /** Production: termination protection, RETAIN, deletion protection. */
  readonly isProd: boolean;
  readonly names: ResourceNames;
  /** Address subscribed to the alarm topic, when given. */
  readonly alarmEmail: string | undefined;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Build the stage config from raw context values. Throws with the bad value and the fix when
 * the stage or e-mail address is malformed.
 */
export function stageConfig(stage: unknown, alarmEmail?: unknown): StageConfig {
  if (typeof stage !== 'string' || stage === '') {
    throw new Error(`Missing stage: pass -c stage=dev or -c stage=prod (got ${JSON.stringify(stage)})`);
  }
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !EMAIL.test(alarmEmail))) {
    throw new Error(`Invalid alarmEmail ${JSON.stringify(alarmEmail)}: pass -c alarmEmail=ops@example.com`);
  }
  return { stage, isProd: stage === 'prod', names: names(stage), alarmEmail };
}

/**
 * The raw bucket's physical name. Bucket names are global, so the stage name is suffixed with
 * account and region. Both stacks derive it from here: the pipeline stack names the bucket
 * without a cross-stack export (an export in use cannot change, which blocks later deploys).
 */
export const rawBucketName = (config: StageConfig): string =>
  `${config.names.bucket}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/** The access-log bucket's physical name (see {@link rawBucketName}). */
export const accessLogBucketName = (config: StageConfig): string =>
  `${config.names.prefix}-access-logs-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
