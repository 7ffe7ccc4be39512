import { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsStageOf } from '#local/commands/aws.ts';
import { parseRedrive, redrive } from '#local/commands/redrive.ts';
import { NotFoundError } from '#shared/errors.ts';
import { replayOnAws } from '#shared/ops/aws-stage.ts';
import { startRedrive, stepQueueNames, waitForRedrive } from '#shared/ops/redrive.ts';
import { parseS3Notification } from '#shared/s3-events.ts';
import { captureIo } from '../support/capture-io.ts';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.ts';

// SQS cannot run locally, so the real SQSClient talks to a fake SQS endpoint over HTTP.
let sqs: FakeSqs;
let client: SQSClient;
beforeEach(async () => {
  sqs = await startFakeSqs();
  client = new SQSClient({
    endpoint: sqs.endpoint,
    region: sqs.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterEach(async () => {
  client.destroy();
  await sqs.close();
});

describe('redrive (ops module)', () => {
  it('moves the dead letters of a step back to the step queue, named as the stack names them', async () => {
    // Prepare: the prod normalize queues as the pipeline stack names them, 3 dead letters.
    sqs.addQueue('newsflow-prod-normalize', 0);
    sqs.addQueue('newsflow-prod-normalize-dlq', 3);

    // Act
    const started = await startRedrive(client, stepQueueNames('prod', 'normalize'), {
      maxMessagesPerSecond: 10,
    });
    const final = await waitForRedrive(client, started.deadLetterQueueArn, { pollMs: 10 });

    // Assess
    expect(started).toMatchObject({
      step: 'normalize',
      status: 'started',
      messages: 3,
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:000000000000:newsflow-prod-normalize-dlq',
      destinationArn: 'arn:aws:sqs:eu-west-1:000000000000:newsflow-prod-normalize',
    });
    expect(sqs.tasks[0]).toMatchObject({ MaxNumberOfMessagesPerSecond: 10 });
    expect(final).toMatchObject({ status: 'COMPLETED', moved: 3 });
    expect(sqs.messages('newsflow-prod-normalize')).toBe(3);
    expect(sqs.messages('newsflow-prod-normalize-dlq')).toBe(0);
  });

  it('starts nothing when the dead-letter queue is empty', async () => {
    sqs.addQueue('newsflow-dev-store', 0);
    sqs.addQueue('newsflow-dev-store-dlq', 0);

    const started = await startRedrive(client, stepQueueNames('dev', 'store'));

    expect(started).toMatchObject({ status: 'empty', taskHandle: null });
    expect(sqs.calls).not.toContain('StartMessageMoveTask');
  });

  it('does not start a second move while one is running', async () => {
    sqs.addQueue('newsflow-dev-tag', 0);
    sqs.addQueue('newsflow-dev-tag-dlq', 5);
    sqs.holdTasks = true;
    const first = await startRedrive(client, stepQueueNames('dev', 'tag'));

    const second = await startRedrive(client, stepQueueNames('dev', 'tag'));

    expect(first.status).toBe('started');
    expect(second).toMatchObject({ status: 'running', taskHandle: first.taskHandle });
    expect(sqs.tasks).toHaveLength(1);
  });

  it('says which queue is missing and where, when the stage is not deployed there', async () => {
    const attempt = startRedrive(client, stepQueueNames('staging', 'dedupe'));

    await expect(attempt).rejects.toThrow(NotFoundError);
    await expect(attempt).rejects.toThrow(/No queue newsflow-staging-dedupe-dlq in eu-west-1/);
  });
});

describe('newsflow redrive (command)', () => {
  it('prints the started task and, with --wait, the completed move', async () => {
    sqs.addQueue('newsflow-dev-dedupe', 1);
    sqs.addQueue('newsflow-dev-dedupe-dlq', 2);
    const io = captureIo(process.cwd());
    const request = parseRedrive({ stage: 'dev', wait: true }, ['dedupe']);

    const code = await redrive(client, request, io);

    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({ step: 'dedupe', status: 'started', messages: 2 });
    expect(lines[1]).toMatchObject({ step: 'dedupe', status: 'COMPLETED', moved: 2 });
    expect(sqs.messages('newsflow-dev-dedupe')).toBe(3);
  });

  it('refuses to run without --stage, an unknown step or a bad rate, naming the fix', () => {
    expect(() => parseRedrive({}, ['normalize'])).toThrow(/pass --stage/);
    expect(() => parseRedrive({ stage: 'dev' }, ['enrich'])).toThrow(/normalize, dedupe, tag, store/);
    expect(() => parseRedrive({ stage: 'dev' }, [])).toThrow(/Name one step/);
    expect(() => parseRedrive({ stage: 'dev', rate: '0' }, ['tag'])).toThrow(/--rate/);
  });
});

describe('replay on a deployed stage', () => {
  it('announces raw objects to the first queue as S3 would, and resends step messages to their queues', async () => {
    // Prepare: prod queues, and a plan with one raw object (original sequencer) and one tag message.
    for (const step of ['normalize', 'dedupe', 'tag', 'store']) sqs.addQueue(`newsflow-prod-${step}`);
    const plan = {
      objects: new Map([['incoming/wire/a story.html', '0062A1B2C3']]),
      messages: [{ step: 'tag', body: '{"articleId":"a1"}' }],
    };

    // Act
    const sent = await replayOnAws(client, 'prod', plan, () => new Date('2026-11-28T12:00:00Z'));

    // Assess
    expect(sent).toEqual({ objects: 1, messages: 1 });
    const [event] = sqs.received('newsflow-prod-normalize').map((b) => JSON.parse(b) as S3Event);
    const record = event!.Records[0]!;
    expect(record.s3.bucket.name).toBe('newsflow-prod-raw-000000000000-eu-west-1');
    expect(record.s3.object).toMatchObject({ key: 'incoming/wire/a+story.html', sequencer: '0062A1B2C3' });
    expect(parseS3Notification(JSON.stringify(event))[0]?.key).toBe('incoming/wire/a story.html');
    expect(sqs.received('newsflow-prod-tag')).toEqual(['{"articleId":"a1"}']);
  });

  it('chooses AWS with --stage, local without, and refuses to mix --stage and --data-dir', () => {
    expect(awsStageOf({})).toBeNull();
    expect(awsStageOf({ stage: 'prod', region: 'eu-west-1' })).toEqual({
      stage: 'prod',
      region: 'eu-west-1',
    });
    expect(() => awsStageOf({ region: 'eu-west-1' })).toThrow(/--region needs --stage/);
    expect(() => awsStageOf({ stage: 'prod', 'data-dir': '.newsflow' })).toThrow(/either --stage/);
  });
});
