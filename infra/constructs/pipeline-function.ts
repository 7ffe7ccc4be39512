/**
 * One Lambda function per pipeline step, with the defaults every step shares, and `bind…()`
 * methods that set a step's environment variable and grant exactly the access behind it.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
// How cdk-nag prints a resource inside a finding id; used so acknowledgements name exactly the
// prefix ARN they cover (the finding id is derived from the resolved ARN).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import type { EnvKey } from '#shared/config.ts';
import { METRICS_NAMESPACE } from '#shared/metrics.ts';
import { ACCESS_ENV } from '#shared/pipeline.ts';
import { BUNDLE_TARGET, ESM_REQUIRE_BANNER, EXTERNAL_MODULES } from '../bundling.ts';

/** Repository root: entries in the pipeline definition are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Namespace of the Powertools (embedded metric format) metrics every step emits. */
export { METRICS_NAMESPACE };

/** The part of a pipeline step the function needs. */
export interface PipelineFunctionStep {
  readonly name: string;
  readonly description: string;
  /** Handler entry, relative to the repository root. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export interface PipelineFunctionProps {
  readonly step: PipelineFunctionStep;
  /** Physical function name. */
  readonly functionName: string;
  readonly stage: string;
  readonly pipelineVersion: string;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Settings passed as environment variables (only keys that shared/config.ts reads).
   * @default - none
   */
  readonly settings?: Partial<Record<EnvKey, string>>;
}

/** Which DynamoDB actions a table access mode allows. Nothing in the pipeline deletes items. */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

/** A table binding: which setting names it, how it is used, and which indexes are queried. */
export interface TableBinding {
  readonly envVar: Extract<EnvKey, 'ARTICLES_TABLE' | 'FINGERPRINTS_TABLE' | 'INGESTIONS_TABLE'>;
  readonly mode: 'read' | 'write' | 'readWrite';
  /** Global secondary indexes of the table; read access names each one (no `index/*`). */
  readonly indexNames?: readonly string[];
}

/**
 * A step's Lambda function: Node.js 24 on arm64, ESM bundle built by esbuild for Node 20, its
 * own log group with retention, X-Ray tracing, Powertools settings, and its own role that
 * starts with nothing but its log group.
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { step } = props;
    if (step.timeoutSeconds < 1 || step.timeoutSeconds > 900) {
      throw new Error(`Step ${step.name}: timeoutSeconds must be 1..900 (got ${step.timeoutSeconds})`);
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });

    // Our own role instead of the default one: the default attaches the managed
    // AWSLambdaBasicExecutionRole, which may write to any log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `newsflow ${step.name} step (${props.stage})`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: step.description,
      entry: `${REPO_ROOT}${step.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: step.memoryMb,
      timeout: Duration.seconds(step.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: step.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STAGE: props.stage,
        PIPELINE_VERSION: props.pipelineVersion,
        ...props.settings,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        externalModules: [...EXTERNAL_MODULES],
      },
    });

    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (only "*").',
    });
  }

  /** Read or write one prefix of the bucket; sets BUCKET_NAME. */
  bindBucket(bucket: IBucket, access: { readonly mode: 'read' | 'write'; readonly prefix: string }): void {
    this.function.addEnvironment(ACCESS_ENV.bucket, bucket.bucketName);
    const objects = bucket.arnForObjects(`${access.prefix}*`);
    if (access.mode === 'read') {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
      );
      // Listing is limited to the same prefix; without list rights a missing key reads as 403.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${access.prefix}*`] } },
        }),
      );
    } else {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(objects))}]`,
      reason: `Object access is limited to the keys under ${access.prefix}, the only prefix this step ${
        access.mode === 'read' ? 'reads' : 'writes'
      }; S3 object ARNs need a wildcard for a prefix.`,
    });
  }

  /** Access one table in `mode`; sets the table's environment variable. */
  bindTable(table: ITable, binding: TableBinding): void {
    this.function.addEnvironment(binding.envVar, table.tableName);
    const reads = binding.mode !== 'write';
    const writes = binding.mode !== 'read';
    const actions = [...(reads ? TABLE_ACTIONS.read : []), ...(writes ? TABLE_ACTIONS.write : [])];
    const indexArns = reads
      ? (binding.indexNames ?? []).map((index) => `${table.tableArn}/index/${index}`)
      : [];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.tableArn, ...indexArns] }),
    );
  }

  /** Send to `queue` (the next step's, or the step's own); sets `envVar` to its URL. */
  bindQueue(queue: IQueue, envVar: (typeof ACCESS_ENV)['nextQueue' | 'ownQueue']): void {
    this.function.addEnvironment(envVar, queue.queueUrl);
    // SendMessageBatch is authorised by sqs:SendMessage.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
  }
}
