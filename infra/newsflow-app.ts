/**
 * Builds the newsflow stacks into an App: used by `infra/app.ts` (the CDK entry) and by the
 * template tests, so both check the same tree, with cdk-nag AwsSolutionsChecks registered.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack, type PipelineStep } from './pipeline-stack.ts';
import { type StageConfig, stageConfig } from './stage.ts';
import { StatefulStack } from './stateful-stack.ts';

export interface NewsflowStacks {
  readonly config: StageConfig;
  readonly stateful: StatefulStack;
  readonly pipeline: PipelineStack;
}

/** Options for {@link buildNewsflow}; the defaults are what `cdk synth` uses. */
export interface BuildOptions {
  /**
   * Steps to deploy.
   * @default PIPELINE
   */
  readonly pipeline?: readonly PipelineStep[];
}

/** Add the stateful and pipeline stacks for the stage named in the app's context. */
export function buildNewsflow(app: App, options: BuildOptions = {}): NewsflowStacks {
  // Deliver server access logs through a bucket policy instead of the legacy ACL, so both
  // buckets can enforce bucket-owner object ownership (ACLs disabled).
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  // Weak cross-stack references (Fn::GetStackOutput, no exports): the stateful stack can change
  // without the export "deadly embrace"; it is protected by RETAIN and termination protection
  // in production instead.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'weak');
  const config = stageConfig(app.node.tryGetContext('stage'), app.node.tryGetContext('alarmEmail'));
  const stateful = new StatefulStack(app, `${config.names.prefix}-stateful`, {
    config,
    description: `newsflow ${config.stage}: raw bucket, access logs, tables`,
  });
  const pipeline = new PipelineStack(app, `${config.names.prefix}-pipeline`, {
    config,
    bucket: stateful.bucket,
    tables: stateful.tables,
    pipeline: options.pipeline,
    description: `newsflow ${config.stage}: queues, functions, alarms, dashboard`,
  });
  for (const stack of [stateful, pipeline]) {
    Tags.of(stack).add('project', 'newsflow');
    Tags.of(stack).add('stage', config.stage);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful, pipeline };
}
