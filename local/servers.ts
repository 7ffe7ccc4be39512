/**
 * The two local servers themselves: s3rver (S3 on files) and dynalite (DynamoDB on LevelDB) on
 * localhost ports, with the dot-segment guard in front of s3rver. Nothing here talks to them as a
 * client: {@link startServers} runs in whichever process hosts them (the CLI's child process,
 * see servers-process.ts, or the test process itself), and embedded.ts does the rest.
 */
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver, { type S3rverEvent } from 's3rver';
import { cacheRecords, type DynaliteLevel } from './dynalite-record-cache.ts';
import { EmbeddedStartError } from './errors.ts';

/** What the servers need to start; plain data, so it can be handed to a child process. */
export interface ServersOptions {
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly s3Port: number;
  /** 0 picks a free port. */
  readonly dynamodbPort: number;
  /** The bucket s3rver creates on start. */
  readonly bucket: string;
}

/** The running servers. */
export interface Servers {
  readonly s3Port: number;
  readonly dynamodbPort: number;
  /** Stop both; dynalite closes LevelDB cleanly before this resolves. */
  close(): Promise<void>;
}

/**
 * S3 write notifications as s3rver emits them, wherever s3rver runs (this process or a child).
 * What {@link LocalRunner.attach} consumes.
 */
export interface S3EventSource {
  /** Call `listener` with each notification, in the order s3rver emitted them; returns an unsubscribe. */
  subscribe(listener: (event: S3rverEvent) => void): () => void;
  /**
   * Resolves once every notification for a write the server has already answered has reached
   * the subscribers (across a process boundary a response can overtake its notification).
   */
  settled(): Promise<void>;
}

/**
 * True when a request path has a `.` or `..` segment (after percent-decoding). s3rver maps keys
 * to files with `path.join`, so such a key would read or write outside its data directory;
 * real S3 treats the dots as plain characters, but locally they are refused.
 */
export function hasDotSegment(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded.split(/[\\/]/).some((part) => part === '.' || part === '..');
  });
}

/** Put {@link hasDotSegment} in front of s3rver's request handler. */
function refuseDotSegments(server: Server): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (hasDotSegment(req.url ?? '/')) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>The local S3 refuses keys with "." or ".." path segments: they would escape its data directory.</Message></Error>',
      );
      return;
    }
    for (const handle of handlers) handle(req, res);
  });
}

const listen = (server: Server, port: number, host: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
  });

type Callback = (error: Error | null, value?: unknown) => void;

/** The part of dynalite's internal store (`dynalite/db`'s `create()`) the caches touch. */
interface DynaliteStore {
  readonly db: DynaliteLevel;
  getTable(name: string, checkStatus: boolean | Callback, cb?: Callback): void;
  readonly tableDb: {
    put(key: string, value: unknown, cb: Callback): void;
    del(key: string, cb: Callback): void;
  };
}

let storeCacheInstalled = false;

/**
 * Make dynalite's store cheaper to read: the record cache and key filter in front of its LevelDB
 * (local/dynalite-record-cache.ts), and remembered table descriptions. It reads the table's
 * description from LevelDB on every item it touches (a BatchGetItem reads it once per key),
 * which was about a sixth of the servers' CPU in `newsflow run`. Only ACTIVE tables are kept;
 * any write of a description (create, update, delete, status change) drops it first, and a read
 * that raced such a write is not kept. Patches dynalite 4.0.0's `db.create`, which its server
 * calls per instance.
 */
function cacheDynaliteStore(): void {
  if (storeCacheInstalled) return;
  storeCacheInstalled = true;
  const db = createRequire(import.meta.url)('dynalite/db/index.js') as {
    create: (options: object) => DynaliteStore;
  };
  const create = db.create;
  db.create = (options) => {
    const store = create(options);
    cacheRecords(store.db);
    const cache = new Map<string, unknown>();
    let generation = 0;
    const { put, del } = store.tableDb;
    store.tableDb.put = (key, value, cb) => {
      generation += 1;
      cache.delete(key);
      put(key, value, cb);
    };
    store.tableDb.del = (key, cb) => {
      generation += 1;
      cache.delete(key);
      del(key, cb);
    };
    const getTable = store.getTable.bind(store);
    store.getTable = (name, checkStatus, cb) => {
      const done = (typeof checkStatus === 'function' ? checkStatus : cb) as Callback;
      const hit = cache.get(name);
      // dynalite answers table reads asynchronously; keep that order of events.
      if (hit) return void setImmediate(done, null, hit);
      const asked = generation;
      const keep: Callback = (error, table) => {
        const status = (table as { TableStatus?: string } | undefined)?.TableStatus;
        if (!error && status === 'ACTIVE' && asked === generation) cache.set(name, table);
        done(error, table);
      };
      // Same arguments as asked: dynalite treats a callback in second place as checkStatus too.
      if (typeof checkStatus === 'function') getTable(name, keep);
      else getTable(name, checkStatus, keep);
    };
    return store;
  };
}

/**
 * Start s3rver and dynalite under `<dataDir>/s3` and `<dataDir>/dynamodb`, telling `onEvent`
 * about each object write. Throws {@link EmbeddedStartError} naming the host and port when a
 * server cannot listen (the other one is stopped first).
 */
export async function startServers(
  opts: ServersOptions,
  onEvent: (event: S3rverEvent) => void,
): Promise<Servers> {
  const s3Dir = join(opts.dataDir, 's3');
  const dynamoDir = join(opts.dataDir, 'dynamodb');
  await mkdir(s3Dir, { recursive: true });
  await mkdir(dynamoDir, { recursive: true });

  const s3rver = new S3rver({
    address: opts.host,
    port: opts.s3Port,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: opts.bucket }],
  });
  // Koa logs every error response (a 404 for a missing key is normal traffic) unless told otherwise.
  s3rver.on('error', () => {});
  s3rver.on('event', onEvent);
  let s3Server: Server;
  try {
    // s3rver.run() does these two steps but lets a listen error escape as an unhandled 'error'
    // event (a crash, not a rejection), so they are done here with the error caught.
    await s3rver.configureBuckets();
    s3Server = await new Promise<Server>((resolve, reject) => {
      const server = s3rver.listen(opts.s3Port, opts.host, () => {
        server.off('error', reject);
        resolve(server);
      });
      server.once('error', reject);
    });
  } catch (cause) {
    throw new EmbeddedStartError(`Could not start embedded S3 on ${opts.host}:${opts.s3Port}`, { cause });
  }
  refuseDotSegments(s3Server);

  cacheDynaliteStore();
  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamoAddress: AddressInfo;
  try {
    dynamoAddress = await listen(dynamo, opts.dynamodbPort, opts.host);
  } catch (cause) {
    await closeServer(s3Server);
    throw new EmbeddedStartError(`Could not start embedded DynamoDB on ${opts.host}:${opts.dynamodbPort}`, {
      cause,
    });
  }
  return {
    s3Port: (s3Server.address() as AddressInfo).port,
    dynamodbPort: dynamoAddress.port,
    close: async () => {
      await Promise.all([
        closeServer(s3Server),
        // dynalite's close() also closes LevelDB once its HTTP server has stopped.
        closeServer(dynamo),
      ]);
    },
  };
}

/** Messages the parent sends to the servers process over IPC. */
export type ToServers =
  /** Stop the servers and exit. */
  | { readonly type: 'close' }
  /** Reply `settled` with the same id once every event sent so far is on the channel. */
  | { readonly type: 'settle'; readonly id: number };

/** Messages the servers process sends to its parent over IPC, in this order: `ready` or `failed` first. */
export type FromServers =
  | { readonly type: 'ready'; readonly s3Port: number; readonly dynamodbPort: number }
  | {
      readonly type: 'failed';
      readonly message: string;
      readonly cause: { readonly message: string; readonly code?: string } | null;
    }
  | { readonly type: 'event'; readonly event: S3rverEvent }
  | { readonly type: 'settled'; readonly id: number };
