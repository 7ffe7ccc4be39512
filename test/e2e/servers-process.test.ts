/**
 * The embedded servers in their own process, as every CLI session runs them: the pipeline's
 * calls reach them over HTTP, s3rver's events over IPC, and the child never outlives its parent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
  CreateTableCommand,
  DeleteTableCommand,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientsFor, type Endpoints, findRunning, startEmbedded } from '#local/embedded.ts';
import { EmbeddedLostError, EmbeddedStartError } from '#local/errors.ts';
import { type Session, startSession } from '#local/session.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const gone = async (pid: number, withinMs: number): Promise<boolean> => {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
};

describe('embedded servers in a child process', () => {
  let dataDir: string;
  let session: Session | null = null;
  let parent: ChildProcess | null = null;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsflow-servers-'));
  });
  afterEach(async () => {
    await session?.close();
    session = null;
    parent?.kill('SIGKILL');
    parent = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a CLI session from another process: uploads are stored and every event reaches the pipeline', async () => {
    // Prepare
    session = await startSession({ dataDir, runner: { batchingWindowMs: 20 } });
    const { endpoints, s3, serversPid } = session.embedded;
    const page = await readFile(
      new URL('../../samples/scraped-text/000_9d232cb06c14f531.txt', import.meta.url),
      'utf8',
    );
    const bodies = Array.from({ length: 12 }, (_, i) => `${page}\nUpdate ${i}: the figures were revised.\n`);
    // Act: parallel uploads, then idle() straight away (events may still be on the IPC channel)
    await Promise.all(
      bodies.map((body, i) =>
        s3.send(
          new PutObjectCommand({ Bucket: endpoints.bucket, Key: `incoming/t/n ${i}+.txt`, Body: body }),
        ),
      ),
    );
    await session.runner.idle();
    // Assess
    expect(serversPid).not.toBe(process.pid);
    expect(alive(serversPid)).toBe(true);
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: endpoints.bucket, Key: 'incoming/t/n 3+.txt' }),
    );
    expect(await stored.Body?.transformToString()).toBe(bodies[3]);
    const records: IngestionRecord[] = [];
    for await (const r of session.deps.ingestions.list({ rawKeyPrefix: 'incoming/t/' })) records.push(r);
    expect(new Set(records.map((r) => r.rawKey)).size).toBe(12);
    expect(records.every((r) => r.outcome !== 'failed')).toBe(true);

    // Act: close
    await session.close();
    session = null;
    // Assess: the child is gone and the data dir is free again, data kept
    expect(alive(serversPid)).toBe(false);
    const again = await startEmbedded({ dataDir, servers: 'in-process' });
    try {
      const kept = await again.s3.send(
        new GetObjectCommand({ Bucket: again.endpoints.bucket, Key: 'incoming/t/n 0+.txt' }),
      );
      expect(await kept.Body?.transformToString()).toBe(bodies[0]);
    } finally {
      await again.close();
    }
  });

  it('exits, closing LevelDB, when its parent dies without a word (IPC disconnect)', async () => {
    // Prepare: a stand-in CLI process owning the servers, with one object written through them
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = new URL('../support/embedded-parent.ts', import.meta.url);
    parent = spawn(process.execPath, ['--import', tsx, script.pathname, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
    const served = JSON.parse(line) as Endpoints & { serversPid: number };
    const clients = clientsFor(served);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: served.bucket, Key: 'incoming/t/kept.txt', Body: 'kept' }),
    );
    clients.s3.destroy();
    clients.dynamodb.destroy();
    expect(await findRunning(dataDir)).toMatchObject({ pid: parent.pid });
    // Act: kill -9 the parent (no chance to close anything)
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    // Assess: the servers' process follows, endpoints.json reads as stale, the data dir opens again
    expect(await gone(served.serversPid, 15_000)).toBe(true);
    expect(await findRunning(dataDir)).toBeNull();
    const again = await startEmbedded({ dataDir });
    try {
      const kept = await again.s3.send(
        new GetObjectCommand({ Bucket: again.endpoints.bucket, Key: 'incoming/t/kept.txt' }),
      );
      expect(await kept.Body?.transformToString()).toBe('kept');
    } finally {
      await again.close();
    }
  });

  it('stops both processes cleanly on Ctrl-C to the whole process group (npm start in a terminal)', async () => {
    // Prepare: `newsflow serve` in its own process group, as a terminal runs a foreground job
    const bin = new URL('../../bin/newsflow.js', import.meta.url).pathname;
    parent = spawn(
      process.execPath,
      [bin, 'serve', '--data-dir', dataDir, '--s3-port', '0', '--dynamodb-port', '0', '--no-samples'],
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    const lines = createInterface({ input: parent.stdout! });
    const output: string[] = [];
    const watching = new Promise<void>((resolve) => {
      lines.on('line', (line) => {
        output.push(line);
        if (line.includes('Ctrl-C to stop')) resolve();
      });
    });
    await watching;
    const exited = once(parent, 'exit');
    // Act: the terminal's SIGINT reaches every process of the group, the servers' child too
    process.kill(-parent.pid!, 'SIGINT');
    const [code] = (await exited) as [number | null];
    // Assess: a clean exit, and the data dir opens at once (LevelDB closed, endpoints.json stale)
    expect(code).toBe(0);
    expect(output).toContain('stopping…');
    expect(await findRunning(dataDir)).toBeNull();
    const again = await startEmbedded({ dataDir, servers: 'in-process' });
    await again.close();
  });

  it('stops a session with EmbeddedLostError naming the process when the servers die under it', async () => {
    // Prepare: a session waiting for work that will never finish on its own
    session = await startSession({ dataDir });
    const waiting = session.guard(new Promise<never>(() => {}));
    // Act
    process.kill(session.embedded.serversPid, 'SIGKILL');
    // Assess: the wait ends with the fault, and the session still closes
    await expect(waiting).rejects.toThrow(EmbeddedLostError);
    await expect(waiting).rejects.toThrow(
      `The embedded servers' process (pid ${session.embedded.serversPid}) exited unexpectedly (signal SIGKILL)`,
    );
    await session.close();
    session = null;
  });

  it('reports a busy port as EmbeddedStartError naming the port and the system error', async () => {
    // Prepare: a port someone else holds
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      // Act
      const started = startEmbedded({ dataDir, s3Port: port });
      // Assess
      await expect(started).rejects.toThrow(EmbeddedStartError);
      await expect(started).rejects.toThrow(`Could not start embedded S3 on 127.0.0.1:${port}`);
      await expect(started).rejects.toMatchObject({ cause: { code: 'EADDRINUSE' } });
      expect(await findRunning(dataDir)).toBeNull();
    } finally {
      holder.close();
    }
  });

  it('sees a table deleted and created again with another key at once (table descriptions are cached)', async () => {
    // Prepare: a table whose description dynalite has served (and the cache holds)
    const embedded = await startEmbedded({ dataDir, servers: 'in-process' });
    const { dynamodb } = embedded;
    const waiter = { client: dynamodb, maxWaitTime: 30, minDelay: 1, maxDelay: 1 };
    const createTable = async (key: string) => {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'probe',
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // dynalite answers CREATING first, like DynamoDB; items can be written once it is ACTIVE.
      await waitUntilTableExists(waiter, { TableName: 'probe' });
    };
    try {
      await createTable('id');
      await dynamodb.send(new PutItemCommand({ TableName: 'probe', Item: { id: { S: 'a' } } }));
      await dynamodb.send(new GetItemCommand({ TableName: 'probe', Key: { id: { S: 'a' } } }));
      // Act: delete it, then create it again keyed on another attribute
      await dynamodb.send(new DeleteTableCommand({ TableName: 'probe' }));
      const whileDeleted = dynamodb.send(new GetItemCommand({ TableName: 'probe', Key: { id: { S: 'a' } } }));
      await expect(whileDeleted).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await waitUntilTableNotExists(waiter, { TableName: 'probe' });
      await createTable('pk');
      // Assess: the new key schema applies at once
      await dynamodb.send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'b' } } }));
      const oldKey = dynamodb.send(new PutItemCommand({ TableName: 'probe', Item: { id: { S: 'c' } } }));
      await expect(oldKey).rejects.toMatchObject({ name: 'ValidationException' });
    } finally {
      await embedded.close();
    }
  });
});
