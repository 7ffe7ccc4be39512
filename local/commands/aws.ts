/** `--stage STAGE [--region REGION]`: the options that point an ops command at a deployed stage. */
import { UsageError } from '../errors.ts';
import type { OptionValues } from './types.ts';

/** Options every AWS-capable command declares. */
export const AWS_STAGE_OPTIONS = { stage: { type: 'string' }, region: { type: 'string' } } as const;

/** A deployed stage to talk to; region undefined means the SDK's (profile or AWS_REGION). */
export interface AwsStage {
  readonly stage: string;
  readonly region: string | undefined;
}

/** The stage named by --stage, or null when the command should run locally. */
export function awsStageOf(values: OptionValues): AwsStage | null {
  if (values.stage === undefined) {
    if (values.region !== undefined)
      throw new UsageError('--region needs --stage (the deployed stage to talk to)');
    return null;
  }
  if (typeof values.stage !== 'string') throw new UsageError('--stage needs a stage name, e.g. --stage prod');
  if (values['data-dir'] !== undefined)
    throw new UsageError('Pass either --stage (AWS) or --data-dir (local), not both');
  return { stage: values.stage, region: typeof values.region === 'string' ? values.region : undefined };
}
