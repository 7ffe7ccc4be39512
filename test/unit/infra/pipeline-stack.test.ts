import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStep } from '#infra/pipeline-stack.ts';
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { PIPELINE, type StepName } from '#shared/pipeline.ts';
import { STUB_ENTRY, type Synthesized, synthNewsflow } from './synth.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const logicalId = (c: IConstruct): string => Stack.of(c).getLogicalId(c.node.defaultChild as CfnQueue);

let dev: Synthesized;
let resources: Resources;
beforeAll(() => {
  dev = synthNewsflow();
  resources = dev.pipelineTemplate.toJSON().Resources as Resources;
});
afterAll(() => dev.cleanup());

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('pipeline stack: one function, queue and dead-letter queue per step', () => {
  it('creates exactly one of each per step of PIPELINE, named by stage and step', () => {
    // Prepare: the steps of the definition. Act: synthesized in beforeAll.
    const names = PIPELINE.map((s) => s.name);

    // Assess
    dev.pipelineTemplate.resourceCountIs('AWS::Lambda::Function', names.length + 1); // + CDK's S3 notification helper
    const fnNames = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties?.FunctionName);
    expect(fnNames.filter((n) => typeof n === 'string').sort()).toEqual(
      names.map((n) => `newsflow-dev-${n}`).sort(),
    );
    const queueNames = ofType('AWS::SQS::Queue').map(([, r]) => r.Properties?.QueueName);
    expect(queueNames.sort()).toEqual(
      names.flatMap((n) => [`newsflow-dev-${n}`, `newsflow-dev-${n}-dlq`]).sort(),
    );
    dev.pipelineTemplate.resourceCountIs('AWS::Lambda::EventSourceMapping', names.length);
  });

  it('runs every function on Node.js 24, arm64, with tracing and a log group that expires', () => {
    for (const { step, function: fn } of dev.pipeline.steps) {
      dev.pipelineTemplate.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `newsflow-dev-${step.name}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: step.memoryMb,
        Timeout: step.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        Environment: {
          Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: step.name, STAGE: 'dev' }),
        },
      });
    }
    dev.pipelineTemplate.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('reports partial batch failures on every event source, with the step’s batch settings', () => {
    for (const { step, queue } of dev.pipeline.steps) {
      dev.pipelineTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: step.queue.batchSize,
        MaximumBatchingWindowInSeconds: step.queue.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: step.queue.maxConcurrency },
      });
    }
    for (const [, mapping] of ofType('AWS::Lambda::EventSourceMapping')) {
      expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('gives each queue a visibility timeout of at least 6× its function timeout and a DLQ after 5 receives', () => {
    for (const { step, queue, deadLetterQueue } of dev.pipeline.steps) {
      const props = resources[logicalId(queue)]?.Properties ?? {};
      expect(props.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * step.timeoutSeconds);
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] },
        maxReceiveCount: 5,
      });
      // A weekend outage (Friday evening to Monday morning) stays queued.
      expect(props.MessageRetentionPeriod as number).toBeGreaterThanOrEqual(3 * 24 * 3600);
      const dlqProps = resources[logicalId(deadLetterQueue)]?.Properties ?? {};
      expect(dlqProps.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    }
  });

  it('encrypts every queue and denies non-TLS access to it', () => {
    dev.pipelineTemplate.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const { queue, deadLetterQueue } of dev.pipeline.steps) {
      for (const q of [queue, deadLetterQueue]) {
        dev.pipelineTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(q) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    }
  });

  it('wires S3 ObjectCreated under incoming/ to the first queue only', () => {
    const first = dev.pipeline.steps[0]!;
    dev.pipelineTemplate.resourceCountIs('Custom::S3BucketNotifications', 1);
    dev.pipelineTemplate.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: { 'Fn::GetAtt': [logicalId(first.queue), 'Arn'] },
          },
        ],
      },
    });
    // Only S3, and only from this bucket, may send to the first queue.
    dev.pipelineTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(first.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

/** Label every resource a step's policy names, so a test can compare it with the step's `access`. */
function policyLabels(s: Synthesized, stepName: string): { labels: Set<string>; statements: Statement[] } {
  const step = s.pipeline.steps.find((x) => x.step.name === stepName)!;
  const roleId = logicalId(step.function.role);
  const all = s.pipelineTemplate.toJSON().Resources as Resources;
  const policies = Object.values(all).filter(
    (r) =>
      r.Type === 'AWS::IAM::Policy' &&
      JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
  );
  expect(policies, `one policy for ${stepName}`).toHaveLength(1);
  const statements = (policies[0]!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
  const own = {
    queue: logicalId(step.queue),
    logs: logicalId(step.function.logGroup),
  };
  const queueIds = new Map(s.pipeline.steps.map((x) => [logicalId(x.queue), x.step.name]));
  const labels = new Set<string>();
  for (const st of statements) {
    for (const r of [st.Resource].flat()) {
      const text = JSON.stringify(r);
      if (text === '"*"') {
        expect(st.Action, 'only X-Ray may use "*"').toEqual([
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
        ]);
        labels.add('xray');
      } else if (text.includes(own.logs)) labels.add('logs');
      else if (text.includes(own.queue)) labels.add('own queue');
      else if ([...queueIds.keys()].some((id) => text.includes(id))) {
        labels.add(`queue ${queueIds.get([...queueIds.keys()].find((id) => text.includes(id))!)}`);
      } else if (/ArticlesTable|FingerprintsTable|IngestionsTable/.test(text)) {
        labels.add(`table ${/(Articles|Fingerprints|Ingestions)Table/.exec(text)![1]}`);
      } else if (text.includes(':s3:::newsflow-dev-raw-')) {
        const prefix = /\/([a-z]+\/)\*"/.exec(text)?.[1];
        labels.add(prefix ? `bucket ${prefix}` : 'bucket list');
      } else labels.add(`unexpected ${text}`);
    }
  }
  return { labels, statements };
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const actionsOn = (statements: Statement[], pattern: RegExp): string[] =>
  statements.filter((st) => pattern.test(JSON.stringify(st.Resource))).flatMap((st) => [st.Action].flat());

describe('pipeline stack: least privilege', () => {
  it("names only the step's own resources in each function's policy", () => {
    for (const { step } of dev.pipeline.steps) {
      // Prepare: what the definition says the step may touch.
      const next = PIPELINE[PIPELINE.findIndex((s) => s.name === step.name) + 1];
      const expected = new Set(['logs', 'xray', 'own queue']);
      for (const a of step.access) {
        if (a.resource === 'bucket') {
          expected.add(`bucket ${a.prefix}`);
          if (a.mode === 'read') expected.add('bucket list');
        } else if (a.resource === 'nextQueue') expected.add(`queue ${next!.name}`);
        // Every step consumes its own queue; sending to it adds no resource.
        else if (a.resource === 'ownQueue') expected.add('own queue');
        else expected.add(`table ${a.resource[0]!.toUpperCase()}${a.resource.slice(1, -'Table'.length)}`);
      }

      // Act
      const { labels } = policyLabels(dev, step.name);

      // Assess
      expect([...labels].sort(), step.name).toEqual([...expected].sort());
    }
  });

  it('lets normalize alone send to its own queue (the chunks of a large batch file)', () => {
    for (const { step, queue } of dev.pipeline.steps) {
      const { statements } = policyLabels(dev, step.name);
      const sends = statements.filter(
        (st) =>
          [st.Action].flat().includes('sqs:SendMessage') &&
          JSON.stringify(st.Resource).includes(logicalId(queue)),
      );
      expect(sends.length, step.name).toBe(step.name === 'normalize' ? 1 : 0);
    }
    const fn = dev.pipeline.steps.find((x) => x.step.name === 'normalize')!.function.function;
    const props = resources[logicalId(fn)]?.Properties as { Environment: { Variables: object } };
    expect(Object.keys(props.Environment.Variables)).toContain('OWN_QUEUE_URL');
  });

  it('does not let normalize write (or touch) the Articles table', () => {
    const { labels, statements } = policyLabels(dev, 'normalize');
    expect(labels.has('table Articles')).toBe(false);
    expect(actionsOn(statements, /ArticlesTable/)).toEqual([]);
  });

  it('does not let store read the raw prefix', () => {
    const { statements } = policyLabels(dev, 'store');
    expect(actionsOn(statements, /incoming\//)).toEqual([]);
    const gets = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:Get')));
    expect(gets.map((st) => JSON.stringify(st.Resource))).toEqual([expect.stringContaining('/normalized/*')]);
  });

  it('sets exactly the environment each binding grants', () => {
    const env = (name: string): string[] => {
      const fn = dev.pipeline.steps.find((x) => x.step.name === name)!.function.function;
      const props = resources[logicalId(fn)]?.Properties as { Environment: { Variables: object } };
      return Object.keys(props.Environment.Variables);
    };
    expect(env('normalize')).toEqual(
      expect.arrayContaining(['BUCKET_NAME', 'INGESTIONS_TABLE', 'NEXT_QUEUE_URL']),
    );
    expect(env('normalize')).not.toContain('ARTICLES_TABLE');
    expect(env('store')).toEqual(
      expect.arrayContaining(['BUCKET_NAME', 'ARTICLES_TABLE', 'INGESTIONS_TABLE']),
    );
    expect(env('store')).not.toContain('NEXT_QUEUE_URL');
    expect(env('dedupe')).toContain('FINGERPRINTS_TABLE');
  });

  it('gives each function every setting its Lambda entry reads at cold start', () => {
    for (const { step, function: fn } of dev.pipeline.steps) {
      // Prepare: the function's environment, CloudFormation references replaced by stand-in strings.
      const variables = (
        resources[logicalId(fn.function)]!.Properties as { Environment: { Variables: object } }
      ).Environment.Variables;
      const env = Object.fromEntries(
        Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `resolved-${k}`]),
      );

      // Act + Assess: the entry's dependency factory accepts it (a missing setting throws ConfigError).
      expect(
        () => createAwsDeps(step.name as StepName, { ...env, AWS_REGION: 'eu-west-1' }),
        step.name,
      ).not.toThrow();
    }
  });
});

describe('pipeline stack: observability', () => {
  const alarmOn = (metricName: string, dimensions: Record<string, unknown>, threshold: number) =>
    dev.pipelineTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metricName,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(dev.pipeline.alarmTopic) }],
    });

  it('alarms on every dead-letter queue at one message, and on the oldest message of every step queue', () => {
    for (const { queue, deadLetterQueue } of dev.pipeline.steps) {
      alarmOn(
        'ApproximateNumberOfMessagesVisible',
        { QueueName: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'QueueName'] } },
        1,
      );
      alarmOn(
        'ApproximateAgeOfOldestMessage',
        { QueueName: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } },
        900,
      );
    }
  });

  it('names every alarm after the stage and what it watches, as docs/OPERATIONS.md lists them', () => {
    const names = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties?.AlarmName);
    const expected = dev.pipeline.steps.flatMap(({ step }) =>
      ['dead-letters', 'oldest-message', 'errors', 'throttles'].map((k) => `newsflow-dev-${step.name}-${k}`),
    );
    expected.push(
      'newsflow-dev-Articles-throttles',
      'newsflow-dev-Fingerprints-throttles',
      'newsflow-dev-Ingestions-throttles',
    );
    expect(names.sort()).toEqual(expected.sort());
  });

  it('alarms on errors and throttles of every function', () => {
    for (const { function: fn } of dev.pipeline.steps) {
      alarmOn('Errors', { FunctionName: { Ref: logicalId(fn.function) } }, 1);
      alarmOn('Throttles', { FunctionName: { Ref: logicalId(fn.function) } }, 1);
    }
  });

  it('alarms on DynamoDB throttled requests for every table', () => {
    const throttleAlarms = ofType('AWS::CloudWatch::Alarm').filter(([, r]) =>
      JSON.stringify(r.Properties?.Metrics ?? '').includes('WriteThrottleEvents'),
    );
    expect(throttleAlarms).toHaveLength(3);
    const text = JSON.stringify(throttleAlarms);
    for (const table of ['Articles', 'Fingerprints', 'Ingestions']) expect(text).toContain(`${table}Table`);
  });

  it('sends alarms to an encrypted SNS topic that only accepts TLS', () => {
    dev.pipelineTemplate.resourceCountIs('AWS::SNS::Topic', 1);
    dev.pipelineTemplate.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      TopicName: 'newsflow-dev-alarms',
    });
    dev.pipelineTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // Every alarm notifies the topic.
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: logicalId(dev.pipeline.alarmTopic) }]);
    }
    // No e-mail was given in context, so nothing is subscribed.
    dev.pipelineTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('has a dashboard with throughput, errors, latency and queue depth per step', () => {
    const [, dashboard] = ofType('AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties?.DashboardBody);
    for (const { step } of dev.pipeline.steps) {
      for (const panel of ['throughput', 'errors', 'latency', 'queue depth']) {
        expect(body).toContain(`${step.name}: ${panel}`);
      }
    }
  });
});

describe('pipeline stack: the definition drives the stack', () => {
  let five: Synthesized;
  beforeAll(() => {
    // Prepare: a fifth step, "enrich", between tag and store.
    const enrich: PipelineStep = {
      ...PIPELINE[2]!,
      name: 'enrich',
      description: 'A step added to the definition',
      entry: STUB_ENTRY,
    };
    const pipeline: PipelineStep[] = [...PIPELINE.slice(0, 3), enrich, PIPELINE[3]!];
    // Act
    five = synthNewsflow({ pipeline });
  });
  afterAll(() => five.cleanup());

  it('adds a function, a queue, a dead-letter queue, an event source and alarms for the new step', () => {
    const t = five.pipelineTemplate;
    t.resourceCountIs('AWS::SQS::Queue', 10);
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 5);
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'newsflow-dev-enrich' });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'newsflow-dev-enrich-dlq' });
    // 4 alarms per step + 3 table throttle alarms.
    t.resourceCountIs('AWS::CloudWatch::Alarm', 5 * 4 + 3);
  });

  it('chains the new step: tag sends to enrich, enrich sends to store', () => {
    expect(policyLabels(five, 'tag').labels).toContain('queue enrich');
    expect(policyLabels(five, 'enrich').labels).toContain('queue store');
    expect(policyLabels(five, 'tag').labels).not.toContain('queue store');
  });
});
