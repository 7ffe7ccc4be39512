/**
 * A stand-in for the SQS API over HTTP (AWS JSON 1.0 protocol, the one SDK v3 speaks), for the
 * operations redrive uses. SQS has no local server we can run here (unlike S3 and DynamoDB), so
 * tests use the real SQSClient against this. Move tasks move all messages at once; `holdTasks`
 * keeps new tasks RUNNING to exercise "one task at a time".
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface FakeQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  messages: number;
  /** Bodies sent to this queue, in order. */
  readonly received: string[];
}

interface FakeTask {
  readonly TaskHandle: string;
  Status: string;
  readonly SourceArn: string;
  readonly DestinationArn: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove: number;
  readonly StartedTimestamp: number;
}

export interface FakeSqs {
  readonly endpoint: string;
  readonly region: string;
  /** Create a queue holding `messages` messages. */
  addQueue(name: string, messages?: number): void;
  messages(name: string): number;
  /** Bodies sent to the queue `name`. */
  received(name: string): string[];
  readonly tasks: FakeTask[];
  /** Operations received, in order. */
  readonly calls: string[];
  /** Keep new move tasks RUNNING until {@link finishTasks}. */
  holdTasks: boolean;
  finishTasks(): void;
  close(): Promise<void>;
}

const ACCOUNT = '000000000000';

/** Start a fake SQS endpoint on a random localhost port. */
export async function startFakeSqs(region = 'eu-west-1'): Promise<FakeSqs> {
  const queues = new Map<string, FakeQueue>();
  const tasks: FakeTask[] = [];
  const calls: string[] = [];
  let port = 0;
  const byArn = (arn: string) => [...queues.values()].find((q) => q.arn === arn);
  const byUrl = (url: string) => [...queues.values()].find((q) => q.url === url);

  const complete = (task: FakeTask) => {
    const source = byArn(task.SourceArn)!;
    const destination = byArn(task.DestinationArn)!;
    destination.messages += source.messages;
    task.ApproximateNumberOfMessagesMoved = source.messages;
    source.messages = 0;
    task.Status = 'COMPLETED';
  };

  const fake: FakeSqs = {
    endpoint: '',
    region,
    addQueue(name, messages = 0) {
      queues.set(name, {
        name,
        url: `http://localhost:${port}/${ACCOUNT}/${name}`,
        arn: `arn:aws:sqs:${region}:${ACCOUNT}:${name}`,
        messages,
        received: [],
      });
    },
    messages: (name) => queues.get(name)?.messages ?? Number.NaN,
    received: (name) => queues.get(name)?.received ?? [],
    tasks,
    calls,
    holdTasks: false,
    finishTasks: () => tasks.filter((t) => t.Status === 'RUNNING').forEach(complete),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const handlers: Record<string, (input: Record<string, unknown>) => [number, unknown]> = {
    GetQueueUrl: (input) => {
      const q = queues.get(String(input.QueueName));
      return q ? [200, { QueueUrl: q.url }] : notFound();
    },
    GetQueueAttributes: (input) => {
      const q = byUrl(String(input.QueueUrl));
      if (!q) return notFound();
      return [200, { Attributes: { QueueArn: q.arn, ApproximateNumberOfMessages: String(q.messages) } }];
    },
    ListMessageMoveTasks: (input) => {
      const results = tasks.filter((t) => t.SourceArn === input.SourceArn).reverse();
      return [200, { Results: results.slice(0, Number(input.MaxResults ?? 1)) }];
    },
    SendMessageBatch: (input) => {
      const q = byUrl(String(input.QueueUrl));
      if (!q) return notFound();
      const entries = input.Entries as { Id: string; MessageBody: string }[];
      for (const e of entries) q.received.push(e.MessageBody);
      q.messages += entries.length;
      return [
        200,
        {
          Successful: entries.map((e) => ({
            Id: e.Id,
            MessageId: `m-${e.Id}`,
            MD5OfMessageBody: md5(entries.find((x) => x.Id === e.Id)!.MessageBody),
          })),
          Failed: [],
        },
      ];
    },
    StartMessageMoveTask: (input) => {
      const source = byArn(String(input.SourceArn));
      if (!source) return notFound();
      if (tasks.some((t) => t.SourceArn === source.arn && t.Status === 'RUNNING')) {
        return [
          400,
          { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: 'A task is already running' },
        ];
      }
      const task: FakeTask = {
        TaskHandle: `task-${tasks.length + 1}`,
        Status: 'RUNNING',
        SourceArn: source.arn,
        DestinationArn: String(input.DestinationArn),
        ...(input.MaxNumberOfMessagesPerSecond
          ? { MaxNumberOfMessagesPerSecond: Number(input.MaxNumberOfMessagesPerSecond) }
          : {}),
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: source.messages,
        StartedTimestamp: Date.now(),
      };
      tasks.push(task);
      if (!fake.holdTasks) complete(task);
      return [200, { TaskHandle: task.TaskHandle }];
    },
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
      calls.push(op);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const handler = handlers[op];
      const [status, body] = handler
        ? handler(input)
        : [400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `fake SQS does not do ${op}` }];
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  Object.assign(fake, { endpoint: `http://127.0.0.1:${port}` });
  return fake;
}

const notFound = (): [number, unknown] => [
  400,
  { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
];

const md5 = (body: string): string => createHash('md5').update(body, 'utf8').digest('hex');
