/**
 * How commands reach the data dir: exclusively (start the embedded servers; refuse when another
 * process serves it) or for reading (talk to a running `newsflow serve` through its
 * endpoints.json, else start the servers just for this command).
 */
import { resolve } from 'node:path';
import { createNewsflowClient, type NewsflowClient } from '#shared/client/index.ts';
import { localEnv } from '#shared/config.ts';
import { clientsFor, type Embedded, type EmbeddedOptions, findRunning, startEmbedded } from '../embedded.ts';
import type { LocalConnection } from '../wiring.ts';
import type { OptionValues } from './types.ts';

/** Default data dir, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.newsflow';

/** `--data-dir`, else NEWSFLOW_DATA_DIR, else `.newsflow/` in `cwd`. */
export function dataDirOf(values: OptionValues, cwd: string): string {
  const given = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  return resolve(cwd, given ?? localEnv().dataDir ?? DEFAULT_DATA_DIR);
}

/** A connection a command closes when done. */
export interface OpenConnection extends LocalConnection {
  /** True when this process started the servers (false: it talks to a running serve). */
  readonly owned: boolean;
  close(): Promise<void>;
}

/** Start the embedded servers on `dataDir` for this process (throws DataDirBusyError when served). */
export function openExclusive(opts: EmbeddedOptions): Promise<Embedded> {
  return startEmbedded(opts);
}

/** Read access: the running serve's endpoints when there is one, else our own servers. */
export async function openForReading(dataDir: string): Promise<OpenConnection> {
  const running = await findRunning(dataDir);
  if (running) {
    const clients = clientsFor(running);
    return {
      endpoints: running,
      ...clients,
      owned: false,
      close: async () => {
        clients.s3.destroy();
        clients.dynamodb.destroy();
      },
    };
  }
  // A short command: starting the servers in this process (≈ 50 ms) beats forking a child for
  // them (≈ 1 s: a second Node process loading tsx, s3rver and dynalite).
  const embedded = await startEmbedded({ dataDir, servers: 'in-process' });
  return { ...embedded, owned: true };
}

/** Run `use` with the downstream read client on the data dir's tables, closing the connection after. */
export async function withReadClient<T>(
  dataDir: string,
  use: (client: NewsflowClient) => Promise<T>,
): Promise<T> {
  const conn = await openForReading(dataDir);
  try {
    return await use(
      createNewsflowClient({
        articlesTable: conn.endpoints.articlesTable,
        bucket: conn.endpoints.bucket,
        dynamodb: conn.dynamodb,
        s3: conn.s3,
      }),
    );
  } finally {
    await conn.close();
  }
}
