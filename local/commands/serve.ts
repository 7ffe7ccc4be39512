/**
 * `newsflow serve` (= `npm start`): the embedded endpoints on fixed ports, the repo's samples
 * processed, then serving: one line per article processed or input failed, until Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestionRecord } from '#shared/ports/index.ts';
import type { Endpoints } from '../embedded.ts';
import { DEFAULT_PORTS } from '../embedded.ts';
import { UsageError } from '../errors.ts';
import { listFiles } from '../files.ts';
import type { ReceivedMessage } from '../queue.ts';
import { type Session, startSession } from '../session.ts';
import { dataDirOf } from './data.ts';
import { batchingWindowOf, type Command, DATA_DIR_OPTION, EXIT, type Io, logLevelOf } from './types.ts';

/** The repository's bundled samples, processed on every start (once: existing keys are skipped). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

const port = (value: unknown, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--${name} must be a port number, got ${String(value)}`);
  return n;
};

/** The banner: endpoints, credentials and commands to paste. */
export function banner(e: Endpoints, dataDir: string): string {
  const env = `AWS_ACCESS_KEY_ID=${e.accessKeyId} AWS_SECRET_ACCESS_KEY=${e.secretAccessKey} AWS_DEFAULT_REGION=${e.region}`;
  return [
    `newsflow serving from ${dataDir}`,
    `  S3        ${e.s3Endpoint}  bucket ${e.bucket}`,
    `  DynamoDB  ${e.dynamodbEndpoint}  table ${e.articlesTable}`,
    `  (also in ${join(dataDir, 'endpoints.json')})`,
    '',
    'Upload a file (any .html .txt .json .jsonl, optionally .gz) and watch it appear below:',
    `  export ${env}`,
    `  /usr/bin/aws s3 cp page.html s3://${e.bucket}/incoming/mysource/page.html --endpoint-url ${e.s3Endpoint} \\`,
    `    --metadata source-url=https://example.com/page,section=World`,
    'Read what was stored:',
    `  /usr/bin/aws dynamodb scan --table-name ${e.articlesTable} --endpoint-url ${e.dynamodbEndpoint} \\`,
    `    --projection-expression 'id, title, #s, clusterId' --expression-attribute-names '{"#s":"section"}'`,
    `  /usr/bin/aws dynamodb query --table-name ${e.articlesTable} --index-name bySectionDay --endpoint-url ${e.dynamodbEndpoint} \\`,
    `    --key-condition-expression 'sectionDay = :d' --expression-attribute-values '{":d":{"S":"business#${new Date().toISOString().slice(0, 10)}"}}' --no-scan-index-forward`,
    `  npx newsflow export | npx newsflow ingestions | npx newsflow failures   (they use this server while it runs)`,
    '',
  ].join('\n');
}

/** Print one line per stored article and per failed input, as batches finish. */
function announcer(io: Io, getSession: () => Session | null) {
  const print = (line: string): void => {
    io.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  };
  const failuresOf = async (session: Session, rawKey: string): Promise<IngestionRecord[]> => {
    const out: IngestionRecord[] = [];
    for await (const r of session.deps.ingestions.list({ rawKeyPrefix: rawKey, outcome: 'failed' })) {
      if (r.rawKey === rawKey) out.push(r);
    }
    return out;
  };
  const announce = async (step: string, done: readonly ReceivedMessage[]): Promise<void> => {
    const session = getSession();
    if (!session) return;
    for (const m of done) {
      const body = JSON.parse(m.body);
      if (step === 'store') {
        const item = await session.deps.articles.get(body.articleId);
        if (!item) continue;
        const dup = item.duplicateOf ? ` duplicate of ${item.duplicateOf.slice(0, 12)}` : '';
        print(
          `${item.duplicateOf ? 'dup   ' : 'stored'}  ${item.id.slice(0, 12)} [${item.section ?? '-'}] ${JSON.stringify(item.title ?? '(untitled)')} ` +
            `${item.language ?? '?'} v${item.version}${dup} ← ${item.rawKey}${item.line > 0 ? `:${item.line}` : ''}`,
        );
      } else if (step === 'normalize') {
        for (const record of body.Records ?? []) {
          const key = decodeURIComponent(String(record.s3?.object?.key ?? '').replace(/\+/g, ' '));
          for (const f of await failuresOf(session, key)) print(`failed  ${f.reason}`);
        }
      }
    }
  };
  const pending = new Set<Promise<void>>();
  return {
    onBatchDone: (step: string, done: readonly ReceivedMessage[]): void => {
      const p = announce(step, done)
        .catch((error: unknown) => {
          io.stderr.write(`newsflow serve: ${String(error)}\n`);
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    /** Resolves when every line for batches finished so far is printed. */
    flushed: async (): Promise<void> => {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

export const command: Command = {
  summary: 'start the endpoints, process samples/, keep processing uploads until Ctrl-C (npm start)',
  usage: `serve [--data-dir DIR] [--s3-port ${DEFAULT_PORTS.s3}] [--dynamodb-port ${DEFAULT_PORTS.dynamodb}] [--no-samples] [--log-level LEVEL] [--batching-window-ms 100]`,
  options: {
    ...DATA_DIR_OPTION,
    's3-port': { type: 'string' },
    'dynamodb-port': { type: 'string' },
    'no-samples': { type: 'boolean' },
    'log-level': { type: 'string' },
    'batching-window-ms': { type: 'string' },
  },
  async run({ values, io }) {
    const started = Date.now();
    const dataDir = dataDirOf(values, io.cwd);
    let session: Session | null = null;
    const lines = announcer(io, () => session);
    session = await startSession({
      dataDir,
      s3Port: port(values['s3-port'], DEFAULT_PORTS.s3, 's3-port'),
      dynamodbPort: port(values['dynamodb-port'], DEFAULT_PORTS.dynamodb, 'dynamodb-port'),
      logLevel: logLevelOf(values, 'WARN'),
      runner: {
        // Latency over batching: a person is watching for their upload to show up.
        batchingWindowMs: batchingWindowOf(values),
        onBatchDone: lines.onBatchDone,
        onDeadLetter: (step, letter) =>
          io.stdout.write(
            `failed  dead-lettered in ${step} after ${letter.receiveCount} receives: ${letter.lastError}\n`,
          ),
      },
    });
    const s = session;
    try {
      io.stdout.write(banner(s.embedded.endpoints, dataDir));
      if (s.reconciled > 0)
        io.stdout.write(`resuming ${s.reconciled} uploads left unprocessed by the last run\n`);
      let uploaded = 0;
      if (values['no-samples'] !== true) {
        for (const path of await listFiles(SAMPLES_DIR).catch(() => [])) {
          const key = `incoming/samples/${relative(SAMPLES_DIR, path).split(sep).join('/')}`;
          if (await s.deps.blobs.exists(key)) continue;
          await s.deps.blobs.put(key, await readFile(path));
          uploaded += 1;
        }
      }
      await s.guard(Promise.race([s.runner.idle().then(lines.flushed), io.interrupted]));
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      io.stdout.write(
        `ready in ${secs} s (${uploaded} new samples processed); watching s3://${s.embedded.endpoints.bucket}/incoming/ — Ctrl-C to stop\n`,
      );
      await s.guard(io.interrupted);
      io.stdout.write('stopping…\n');
      return EXIT.ok;
    } finally {
      await s.close();
    }
  },
};
