import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '#shared/tables.ts';
import { type Synthesized, synthNewsflow } from './synth.ts';

type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }
>;

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthNewsflow();
  prod = synthNewsflow({ context: { stage: 'prod', alarmEmail: 'ops@example.com' } });
});
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

const resourcesOf = (s: Synthesized, type: string) =>
  Object.values(s.statefulTemplate.toJSON().Resources as Resources).filter((r) => r.Type === type);

describe('stateful stack: buckets', () => {
  it('blocks public access, encrypts, versions and enforces TLS on both buckets', () => {
    const buckets = resourcesOf(dev, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    dev.statefulTemplate.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policies = resourcesOf(dev, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('logs raw-bucket access to the access-log bucket', () => {
    const logBucketId = dev.stateful.getLogicalId(dev.stateful.accessLogBucket.node.defaultChild as never);
    dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'raw-bucket/' },
    });
  });

  it('moves raw uploads to Infrequent Access and expires claim checks, never the bodies', () => {
    const raw = resourcesOf(dev, 'AWS::S3::Bucket').find((b) => b.Properties?.LoggingConfiguration)!;
    const rules = (raw.Properties!.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'incoming/',
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'normalized/', ExpirationInDays: 30 }));
    expect(JSON.stringify(rules)).not.toContain('bodies/');
  });

  it('names the raw bucket by stage, account and region', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: {
        'Fn::Join': ['', ['newsflow-dev-raw-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
      },
    });
  });
});

describe('stateful stack: tables', () => {
  it('creates every table of TABLES on demand, encrypted, with point-in-time recovery', () => {
    for (const def of TABLES) {
      dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `newsflow-dev-${def.logicalName}`,
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: Match.arrayWith([{ AttributeName: def.partitionKey.name, KeyType: 'HASH' }]),
      });
    }
    dev.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });

  it('creates the global secondary indexes of the table definitions', () => {
    const articles = TABLES.find((t) => t.logicalName === 'Articles')!;
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'newsflow-dev-Articles',
      GlobalSecondaryIndexes: articles.globalSecondaryIndexes.map((i) =>
        Match.objectLike({ IndexName: i.indexName }),
      ),
    });
  });
});

describe('stages', () => {
  it('protects production: termination protection, RETAIN, deletion protection', () => {
    expect(prod.stateful.terminationProtection).toBe(true);
    expect(prod.pipeline.terminationProtection).toBe(true);
    for (const table of resourcesOf(prod, 'AWS::DynamoDB::Table')) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    }
    for (const bucket of resourcesOf(prod, 'AWS::S3::Bucket')) expect(bucket.DeletionPolicy).toBe('Retain');
    // Nothing deletes objects on stack deletion in production.
    prod.statefulTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('lets dev be torn down: no protection, DESTROY, buckets emptied on delete', () => {
    expect(dev.stateful.terminationProtection).toBe(false);
    for (const table of resourcesOf(dev, 'AWS::DynamoDB::Table')) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties?.DeletionProtectionEnabled).toBe(false);
    }
    dev.statefulTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  it('prefixes every name with the stage', () => {
    expect(prod.stateful.stackName).toBe('newsflow-prod-stateful');
    expect(prod.pipeline.stackName).toBe('newsflow-prod-pipeline');
    prod.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'newsflow-prod-Articles',
    });
    prod.pipelineTemplate.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'newsflow-prod-normalize' });
  });

  it('subscribes the alarm e-mail given in context', () => {
    prod.pipelineTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
