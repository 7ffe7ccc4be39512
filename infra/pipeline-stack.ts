/**
 * The pipeline stack: per step of the pipeline definition one queue, one dead-letter queue and
 * one function, the S3 → first-queue wiring, alarms, the alarm topic and a dashboard. Stateful
 * resources come in through typed props from the stateful stack.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ACCESS_ENV,
  BUCKET_PREFIXES,
  deadLetterQueueName,
  PIPELINE,
  queueName,
  type StepDefinition,
} from '#shared/pipeline.ts';
import { ARTICLES_TABLE, FINGERPRINTS_TABLE, INGESTIONS_TABLE, type TableDef } from '#shared/tables.ts';
import pkg from '../package.json' with { type: 'json' };
import { METRICS_NAMESPACE, PipelineFunction } from './constructs/pipeline-function.ts';
import { rawBucketName, type StageConfig } from './stage.ts';
import type { StatefulTables } from './stateful-stack.ts';

/** A step of the pipeline definition; the name is open so tests can add steps. */
export type PipelineStep = Omit<StepDefinition, 'name'> & { readonly name: string };

export interface PipelineStackProps extends StackProps {
  readonly config: StageConfig;
  /** The raw bucket (the stateful stack's); referenced by its derived name, see {@link rawBucketName}. */
  readonly bucket: IBucket;
  readonly tables: StatefulTables;
  /**
   * The steps to deploy, in order.
   * @default PIPELINE (shared/pipeline.ts), the definition the local runner uses too
   */
  readonly pipeline?: readonly PipelineStep[];
  /**
   * Alarm when the oldest message on a step queue is older than this, in seconds.
   * @default 900
   */
  readonly oldestMessageAlarmSeconds?: number;
}

/** The resources built for one step. */
export interface StepResources {
  readonly step: PipelineStep;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: PipelineFunction;
}

/** SQS retention on step queues: a Friday-evening outage is still queued on Tuesday morning. */
export const STEP_QUEUE_RETENTION = Duration.days(4);
/**
 * Dead-letter retention: the maximum. SQS keeps a message's original enqueue time when it moves
 * to a dead-letter queue, so this must exceed the step queue's retention.
 */
export const DEAD_LETTER_RETENTION = Duration.days(14);
/** AWS's rule for SQS-triggered functions: visibility ≥ 6 × function timeout (+ batching window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

const TABLE_DEFS: Record<keyof StatefulTables, TableDef> = {
  articlesTable: ARTICLES_TABLE,
  fingerprintsTable: FINGERPRINTS_TABLE,
  ingestionsTable: INGESTIONS_TABLE,
};

const pascal = (name: string): string =>
  name.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());

/** Queues, functions, wiring, alarms and dashboard for one stage. */
export class PipelineStack extends Stack {
  readonly steps: readonly StepResources[];
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { terminationProtection: props.config.isProd, ...props });
    const { config } = props;
    const pipeline = props.pipeline ?? PIPELINE;
    validatePipeline(pipeline);

    // The bucket is referenced by its derived name rather than used as the stateful stack's
    // object: a notification added to that object would live in the stateful stack and point back
    // at this stack's queue (a cross-stack cycle), and an export would pin the bucket.
    const bucket = Bucket.fromBucketName(this, 'RawBucket', rawBucketName(config));
    this.addStackDependency(Stack.of(props.bucket));

    const queues = pipeline.map((step) => this.createQueues(step, config));
    this.steps = pipeline.map((step, i) => {
      const { queue, deadLetterQueue } = queues[i]!;
      const fn = this.createFunction(step, config, bucket, props.tables, {
        own: queue,
        next: queues[i + 1]?.queue ?? null,
      });
      fn.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: step.queue.batchSize,
          maxBatchingWindow: Duration.seconds(step.queue.maxBatchingWindowSeconds),
          maxConcurrency: step.queue.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      return { step, queue, deadLetterQueue, function: fn };
    });

    // Raw uploads go straight from S3 to the first queue (docs/ARCHITECTURE.md, "Event wiring").
    const first = this.steps[0]!;
    bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(first.queue), {
      prefix: BUCKET_PREFIXES.incoming,
    });
    const notificationsHandler = this.node.children.find((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (!notificationsHandler)
      throw new Error('CDK no longer creates a BucketNotificationsHandler: revisit the nag acknowledgement');
    Validations.of(notificationsHandler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notification helper (runs only during deployment to set the bucket's notification) uses the managed basic-execution policy for its own logs; its role is not configurable through the notification API.",
    });

    this.alarmTopic = this.createAlarmTopic(config);
    this.createAlarms(config, props.tables, props.oldestMessageAlarmSeconds ?? 900);
    this.dashboard = this.createDashboard(config);

    for (const { step, queue, deadLetterQueue, function: fn } of this.steps) {
      const key = pascal(step.name);
      new CfnOutput(this, `${key}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${key}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
      new CfnOutput(this, `${key}FunctionName`, { value: fn.function.functionName });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  private createQueues(step: PipelineStep, config: StageConfig): { queue: Queue; deadLetterQueue: Queue } {
    const scope = this.stepScope(step);
    const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
      queueName: deadLetterQueueName(config.names.prefix, step.name),
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const queue = new Queue(scope, 'Queue', {
      queueName: queueName(config.names.prefix, step.name),
      visibilityTimeout: Duration.seconds(
        VISIBILITY_TIMEOUT_FACTOR * step.timeoutSeconds + step.queue.maxBatchingWindowSeconds,
      ),
      retentionPeriod: STEP_QUEUE_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: step.queue.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }

  private createFunction(
    step: PipelineStep,
    config: StageConfig,
    bucket: IBucket,
    tables: StatefulTables,
    queues: { readonly own: Queue; readonly next: Queue | null },
  ): PipelineFunction {
    const fn = new PipelineFunction(this.stepScope(step), 'Handler', {
      step,
      functionName: `${config.names.prefix}-${step.name}`,
      stage: config.stage,
      pipelineVersion: pkg.version,
      logRetention: config.isProd ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH,
      logRemovalPolicy: config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const access of step.access) {
      switch (access.resource) {
        case 'bucket':
          fn.bindBucket(bucket, access);
          break;
        case 'nextQueue':
          if (!queues.next) throw new Error(`Step ${step.name} sends to a next queue but is the last step`);
          fn.bindQueue(queues.next, ACCESS_ENV.nextQueue);
          break;
        case 'ownQueue':
          fn.bindQueue(queues.own, ACCESS_ENV.ownQueue);
          break;
        default: {
          const def = TABLE_DEFS[access.resource];
          fn.bindTable(tables[access.resource], {
            envVar: ACCESS_ENV[access.resource],
            mode: access.mode,
            indexNames: def.globalSecondaryIndexes.map((i) => i.indexName),
          });
        }
      }
    }
    return fn;
  }

  private stepScope(step: PipelineStep): Construct {
    const id = pascal(step.name);
    return (this.node.tryFindChild(id) as Construct | undefined) ?? new Construct(this, id);
  }

  private createAlarmTopic(config: StageConfig): Topic {
    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with aws/sns.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `newsflow ${config.stage} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: `${config.names.prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    return topic;
  }

  private alarm(
    scope: Construct,
    id: string,
    alarmName: string,
    metric: IMetric,
    threshold: number,
    description: string,
  ): Alarm {
    const alarm = new Alarm(scope, id, {
      alarmName,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // These metrics are only emitted when something happens: no data means all is well.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} See docs/OPERATIONS.md.`,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    return alarm;
  }

  private createAlarms(config: StageConfig, tables: StatefulTables, oldestMessageSeconds: number): void {
    const prefix = config.names.prefix;
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    for (const { step, queue, deadLetterQueue, function: fn } of this.steps) {
      const scope = this.stepScope(step);
      this.alarm(
        scope,
        'DeadLetterAlarm',
        `${prefix}-${step.name}-dead-letters`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
        1,
        `Messages in the ${step.name} dead-letter queue.`,
      );
      this.alarm(
        scope,
        'OldestMessageAlarm',
        `${prefix}-${step.name}-oldest-message`,
        queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
        oldestMessageSeconds,
        `The oldest message on the ${step.name} queue is older than ${oldestMessageSeconds} s.`,
      );
      this.alarm(
        scope,
        'ErrorsAlarm',
        `${prefix}-${step.name}-errors`,
        fn.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `The ${step.name} function failed (crash or timeout, not a reported record failure).`,
      );
      this.alarm(
        scope,
        'ThrottlesAlarm',
        `${prefix}-${step.name}-throttles`,
        fn.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `The ${step.name} function was throttled.`,
      );
    }
    for (const table of Object.values(tables) as Table[]) {
      const throttles = new MathExpression({
        expression: 'FILL(r, 0) + FILL(w, 0)',
        usingMetrics: {
          r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
          w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
        },
        label: 'throttled requests',
        period: fiveMinutes,
      });
      this.alarm(
        this,
        `${table.node.id}ThrottleAlarm`,
        `${prefix}-${table.node.id.replace(/Table$/, '')}-throttles`,
        throttles,
        1,
        `DynamoDB throttled requests on ${table.node.id}.`,
      );
    }
  }

  private createDashboard(config: StageConfig): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${config.names.prefix}-pipeline` });
    const period = Duration.minutes(5);
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# newsflow ${config.stage}\nPer step: throughput, errors, latency, queue depth. Alarms: docs/OPERATIONS.md.`,
        width: 24,
        height: 2,
      }),
    );
    for (const { step, queue, deadLetterQueue, function: fn } of this.steps) {
      const f = fn.function;
      dashboard.addWidgets(
        new GraphWidget({
          title: `${step.name}: throughput`,
          left: [f.metricInvocations({ period }), queue.metricNumberOfMessagesSent({ period })],
          width: 6,
        }),
        new GraphWidget({
          title: `${step.name}: errors`,
          left: [f.metricErrors({ period }), f.metricThrottles({ period })],
          right: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' })],
          width: 6,
        }),
        new GraphWidget({
          title: `${step.name}: latency`,
          left: [
            f.metricDuration({ period, statistic: 'p50' }),
            f.metricDuration({ period, statistic: 'p99' }),
          ],
          width: 6,
        }),
        new GraphWidget({
          title: `${step.name}: queue depth`,
          left: [queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' })],
          right: [queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' })],
          width: 6,
        }),
      );
    }
    // Whatever the handlers emit through Powertools (articles normalized, duplicates, failures
    // by reason): a search keeps the dashboard in step with the code without listing names here.
    dashboard.addWidgets(
      new GraphWidget({
        title: 'pipeline metrics (Powertools EMF)',
        left: [
          new MathExpression({
            expression: `SEARCH('Namespace="${METRICS_NAMESPACE}"', 'Sum', 300)`,
            usingMetrics: {},
            label: '',
            period,
          }),
        ],
        width: 24,
      }),
    );
    return dashboard;
  }
}

/** Fail early, naming the bad step, when the definition cannot become a stack. */
function validatePipeline(pipeline: readonly PipelineStep[]): void {
  if (pipeline.length === 0) throw new Error('The pipeline definition has no steps');
  const seen = new Set<string>();
  for (const step of pipeline) {
    if (!/^[a-z][a-z0-9-]*$/.test(step.name)) {
      throw new Error(`Step name ${JSON.stringify(step.name)} must be lower-case letters, digits and dashes`);
    }
    if (seen.has(step.name)) throw new Error(`Step ${step.name} appears twice in the pipeline definition`);
    seen.add(step.name);
    if (step.queue.maxConcurrency < 2) {
      throw new Error(
        `Step ${step.name}: queue.maxConcurrency must be ≥ 2 (got ${step.queue.maxConcurrency})`,
      );
    }
  }
}
