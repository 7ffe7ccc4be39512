import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '#shared/adapters/aws/clients.ts';
import { chunkForSqs, SqsQueue } from '#shared/adapters/aws/sqs-queue.ts';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.ts';

// SQS has no local server here; the real SQSClient talks to the fake endpoint over HTTP.
let sqs: FakeSqs;
beforeAll(async () => {
  sqs = await startFakeSqs();
});
afterAll(async () => {
  await sqs?.close();
});

const queueFor = (name: string): SqsQueue => {
  sqs.addQueue(name);
  const client = createSqsClient({
    endpoint: sqs.endpoint,
    region: sqs.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return new SqsQueue(client, `http://localhost:${new URL(sqs.endpoint).port}/000000000000/${name}`);
};

describe('SqsQueue', () => {
  it('delivers every message of a large fan-out, in batches of at most 10', async () => {
    const queue = queueFor('fanout');
    const bodies = Array.from({ length: 1234 }, (_, i) => JSON.stringify({ articleId: `a-${i}` }));
    const before = sqs.calls.length;
    await queue.send(bodies.map((body) => ({ body })));
    expect([...sqs.received('fanout')].sort()).toEqual([...bodies].sort());
    expect(sqs.calls.slice(before).filter((c) => c === 'SendMessageBatch')).toHaveLength(124);
  });

  it('keeps each batch under the 256 KB request limit', async () => {
    const queue = queueFor('big');
    const bodies = Array.from({ length: 20 }, (_, i) => `${i}:${'x'.repeat(60_000)}`);
    await queue.send(bodies.map((body) => ({ body })));
    expect(sqs.received('big')).toHaveLength(20);
    const chunks = chunkForSqs(bodies.map((body) => ({ body })));
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 4, 4, 4]);
  });
});
