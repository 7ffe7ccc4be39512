/**
 * The stateful stack: the raw bucket, its access-log bucket and the tables. Kept apart from the
 * pipeline so the pipeline stack can be replaced or torn down without touching data.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '#shared/pipeline.ts';
import { type AttributeType as DefAttributeType, TABLES, type TableDef } from '#shared/tables.ts';
import { accessLogBucketName, rawBucketName, type StageConfig } from './stage.ts';

/** The tables, by the name the pipeline definition's `access` list uses. */
export interface StatefulTables {
  readonly articlesTable: Table;
  readonly fingerprintsTable: Table;
  readonly ingestionsTable: Table;
}

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * Days a normalized claim check is kept. In-flight and dead-lettered messages point at claim
   * checks, so this must outlive the dead-letter retention (14 days).
   * @default 30
   */
  readonly claimCheckDays?: number;
  /**
   * Days before raw uploads move to Infrequent Access (the pipeline reads them once; replays
   * are rare).
   * @default 30
   */
  readonly rawToInfrequentAccessDays?: number;
}

const TABLE_PROP_BY_NAME = {
  Articles: 'articlesTable',
  Fingerprints: 'fingerprintsTable',
  Ingestions: 'ingestionsTable',
} as const satisfies Record<TableDef['logicalName'], keyof StatefulTables>;

const attributeType = (t: DefAttributeType): AttributeType =>
  t === 'S' ? AttributeType.STRING : AttributeType.NUMBER;

/** Raw bucket, access-log bucket and tables for one stage. */
export class StatefulStack extends Stack {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;
  readonly tables: StatefulTables;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: props.config.isProd, ...props });
    const { config } = props;
    const claimCheckDays = props.claimCheckDays ?? 30;
    if (claimCheckDays <= 14) {
      throw new Error(`claimCheckDays must exceed the 14-day dead-letter retention (got ${claimCheckDays})`);
    }
    const removalPolicy = config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      bucketName: accessLogBucketName(config),
      // Server access log delivery supports SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(config.isProd ? 365 : 90) },
        { id: 'expire-old-log-versions', noncurrentVersionExpiration: Duration.days(7) },
      ],
      removalPolicy,
      autoDeleteObjects: !config.isProd,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log target; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'RawBucket', {
      bucketName: rawBucketName(config),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'raw-bucket/',
      lifecycleRules: [
        {
          id: 'raw-to-infrequent-access',
          prefix: BUCKET_PREFIXES.incoming,
          transitions: [
            {
              storageClass: StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(props.rawToInfrequentAccessDays ?? 30),
            },
          ],
        },
        {
          id: 'expire-claim-checks',
          prefix: BUCKET_PREFIXES.normalized,
          expiration: Duration.days(claimCheckDays),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy,
      autoDeleteObjects: !config.isProd,
    });

    const tables: Partial<Record<keyof StatefulTables, Table>> = {};
    for (const def of TABLES) {
      const prop = TABLE_PROP_BY_NAME[def.logicalName];
      tables[prop] = this.createTable(def, config.names[prop], config.isProd, removalPolicy);
    }
    this.tables = tables as StatefulTables;

    new CfnOutput(this, 'BucketName', {
      value: this.bucket.bucketName,
      description: 'Raw bucket (upload to incoming/<source>/…)',
    });
    for (const [prop, table] of Object.entries(this.tables)) {
      new CfnOutput(this, `${table.node.id}Name`, { value: table.tableName, description: `${prop} name` });
    }
  }

  private createTable(
    def: TableDef,
    tableName: string,
    isProd: boolean,
    removalPolicy: RemovalPolicy,
  ): Table {
    const table = new Table(this, `${def.logicalName}Table`, {
      tableName,
      partitionKey: { name: def.partitionKey.name, type: attributeType(def.partitionKey.type) },
      sortKey: def.sortKey && { name: def.sortKey.name, type: attributeType(def.sortKey.type) },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      // PITR in every stage: cheap at our sizes, and dev restores are how a bad deploy is undone.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: isProd,
      timeToLiveAttribute: def.timeToLiveAttribute,
      removalPolicy,
    });
    for (const index of def.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
        sortKey: index.sortKey && { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
      });
    }
    return table;
  }
}
