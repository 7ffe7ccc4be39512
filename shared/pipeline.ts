/**
 * The one pipeline definition. The CDK pipeline stack and the local runner both iterate over
 * {@link PIPELINE}: one function, one queue and one dead-letter queue per step, with the
 * settings and the access each step needs. Adding a step here adds it to both.
 */

/** A resource a step may touch, and how. The CDK construct turns each into an exact grant. */
export type Access =
  | { readonly resource: 'bucket'; readonly mode: 'read' | 'write'; readonly prefix: string }
  | {
      readonly resource: 'articlesTable' | 'fingerprintsTable' | 'ingestionsTable';
      readonly mode: 'read' | 'write' | 'readWrite';
    }
  | { readonly resource: 'nextQueue'; readonly mode: 'send' }
  /** The step's own queue: normalize sends the chunks of a large batch file to itself. */
  | { readonly resource: 'ownQueue'; readonly mode: 'send' };

export interface StepQueueSettings {
  /** Records per handler invocation (SQS batch size). */
  readonly batchSize: number;
  /** How long SQS gathers a batch before invoking, in seconds. */
  readonly maxBatchingWindowSeconds: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Cap on concurrent handler invocations (protects DynamoDB). */
  readonly maxConcurrency: number;
}

export interface StepDefinition {
  /** Step name: queue `q.<name>`, function `<name>`, entry `functions/<name>/index.ts`. */
  readonly name: 'normalize' | 'dedupe' | 'tag' | 'store';
  readonly description: string;
  /** Lambda entry, relative to the repository root. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly queue: StepQueueSettings;
  readonly access: readonly Access[];
}

export type StepName = StepDefinition['name'];

/** Prefixes inside the bucket. Upstream writes `incoming/`; the pipeline writes the rest. */
export const BUCKET_PREFIXES = {
  incoming: 'incoming/',
  normalized: 'normalized/',
  bodies: 'bodies/',
} as const;

const defaults: StepQueueSettings = {
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  maxReceiveCount: 5,
  maxConcurrency: 10,
};

export const PIPELINE: readonly StepDefinition[] = [
  {
    name: 'normalize',
    description:
      'Detect format and charset, extract the article(s), write the claim check; split large batches',
    entry: 'functions/normalize/index.ts',
    memoryMb: 1024,
    // No invocation normalizes a large batch file whole any more: the one its S3 event reaches
    // reads, decodes and splits it (a 128 MiB batch, the cap, in seconds) and sends chunks of
    // `batchChunkRecords` (500) records to this step's own queue. The longest invocation is then
    // a batch of 5 chunks, 2,500 records at ~4 ms each (≈ 10 s on Lambda, ≈ 40 s on the loaded
    // 2-core build machine); 120 s keeps a wide margin. (It was 900 s while one invocation did a
    // whole file and a 10,000-record batch timed out at 120 s: docs/PERFORMANCE.md.)
    timeoutSeconds: 120,
    // A batch file fans out into many articles, so take few S3 events per invocation.
    queue: { ...defaults, batchSize: 5 },
    access: [
      { resource: 'bucket', mode: 'read', prefix: BUCKET_PREFIXES.incoming },
      { resource: 'bucket', mode: 'write', prefix: BUCKET_PREFIXES.normalized },
      { resource: 'ingestionsTable', mode: 'write' },
      { resource: 'nextQueue', mode: 'send' },
      { resource: 'ownQueue', mode: 'send' },
    ],
  },
  {
    name: 'dedupe',
    description: 'Claim the content hash and near-duplicate buckets; join the story cluster',
    entry: 'functions/dedupe/index.ts',
    memoryMb: 512,
    timeoutSeconds: 30,
    queue: defaults,
    access: [
      { resource: 'bucket', mode: 'read', prefix: BUCKET_PREFIXES.normalized },
      { resource: 'fingerprintsTable', mode: 'readWrite' },
      { resource: 'ingestionsTable', mode: 'write' },
      { resource: 'nextQueue', mode: 'send' },
    ],
  },
  {
    name: 'tag',
    description: 'Map outlet labels, URL and content to the canonical sections',
    entry: 'functions/tag/index.ts',
    memoryMb: 512,
    timeoutSeconds: 30,
    queue: defaults,
    access: [
      { resource: 'bucket', mode: 'read', prefix: BUCKET_PREFIXES.normalized },
      { resource: 'ingestionsTable', mode: 'write' },
      { resource: 'nextQueue', mode: 'send' },
    ],
  },
  {
    name: 'store',
    description: 'Upsert the article item (versioned, idempotent) and record the ingestion',
    entry: 'functions/store/index.ts',
    memoryMb: 512,
    timeoutSeconds: 30,
    queue: defaults,
    access: [
      { resource: 'bucket', mode: 'read', prefix: BUCKET_PREFIXES.normalized },
      { resource: 'bucket', mode: 'write', prefix: BUCKET_PREFIXES.bodies },
      { resource: 'articlesTable', mode: 'readWrite' },
      { resource: 'ingestionsTable', mode: 'write' },
    ],
  },
];

/**
 * The environment variable that carries each resource's name to a step (set by the CDK construct
 * for exactly the resources in the step's `access`, read by `createAwsDeps`).
 */
export const ACCESS_ENV = {
  bucket: 'BUCKET_NAME',
  articlesTable: 'ARTICLES_TABLE',
  fingerprintsTable: 'FINGERPRINTS_TABLE',
  ingestionsTable: 'INGESTIONS_TABLE',
  nextQueue: 'NEXT_QUEUE_URL',
  ownQueue: 'OWN_QUEUE_URL',
} as const satisfies Record<Access['resource'], string>;

/** The step after `name`, or null for the last one. */
export const nextStep = (name: StepName): StepDefinition | null => {
  const i = PIPELINE.findIndex((s) => s.name === name);
  return PIPELINE[i + 1] ?? null;
};

/** Queue name for a step (any name, so a definition under test can add steps). */
export const queueName = (prefix: string, step: string): string => `${prefix}-${step}`;

/** Name of a step's dead-letter queue. */
export const deadLetterQueueName = (prefix: string, step: string): string => `${queueName(prefix, step)}-dlq`;
