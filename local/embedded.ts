/**
 * Local embedded mode: s3rver (S3) and dynalite (DynamoDB on LevelDB) as real HTTP endpoints on
 * localhost, with data under one directory, the bucket and the tables created from the same
 * definitions as the stack, and `<data-dir>/endpoints.json` telling other tools where they are.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3rverEvent } from 's3rver';
import { createDynamoClient, createS3Client } from '#shared/adapters/aws/clients.ts';
import { createTables } from '#shared/adapters/aws/create-tables.ts';
import { LOCAL_STAGE, names } from '#shared/names.ts';
import { DataDirBusyError, EmbeddedLostError, EmbeddedStartError } from './errors.ts';
import {
  type FromServers,
  type S3EventSource,
  type Servers,
  type ServersOptions,
  startServers,
  type ToServers,
} from './servers.ts';

export { hasDotSegment } from './servers.ts';

/** Region the local endpoints claim; any works, the SDK and aws-cli just need one. */
export const LOCAL_REGION = 'us-east-1';

/** s3rver accepts only this key pair; dynalite accepts any, so both use it. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Fixed ports `newsflow serve` uses by default (s3rver's and dynalite's own defaults). */
export const DEFAULT_PORTS = { s3: 4568, dynamodb: 4567 } as const;

/** Where the local endpoints are: the content of `<data-dir>/endpoints.json`. */
export interface Endpoints {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly articlesTable: string;
  readonly fingerprintsTable: string;
  readonly ingestionsTable: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Process serving them; other commands use it to tell a live server from a stale file. */
  readonly pid: number;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** 0 picks a free port. @default 0 */
  readonly s3Port?: number;
  /** 0 picks a free port. @default 0 */
  readonly dynamodbPort?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 'local' */
  readonly stage?: string;
  /**
   * Where s3rver and dynalite run: `'child'` forks a process for them (the CLI: their half of
   * every call then uses another core), `'in-process'` keeps them in this one (tests: faster to
   * start). @default 'child'
   */
  readonly servers?: 'child' | 'in-process';
}

/** Running embedded servers plus SDK clients pointed at them. */
export interface Embedded {
  readonly endpoints: Endpoints;
  /** Process running the servers: a child of this one, or this one for `servers: 'in-process'`. */
  readonly serversPid: number;
  /** s3rver's write notifications, for {@link LocalRunner.attach}. */
  readonly events: S3EventSource;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** For the adapters' low-level commands ({@link rawDynamoClientFor}). */
  readonly rawDynamodb: DynamoDBClient;
  /**
   * Settles with an {@link EmbeddedLostError} if the servers' process exits while in use
   * (never for in-process servers); a session stops on it instead of retrying into the void.
   */
  readonly lost: Promise<EmbeddedLostError>;
  /** Stop both servers (LevelDB is closed cleanly) and the clients. */
  close(): Promise<void>;
}

/** Path of the endpoints file in a data dir. */
export const endpointsFile = (dataDir: string): string => join(dataDir, 'endpoints.json');

/** The endpoints file of `dataDir`, or null when there is none. */
export async function readEndpoints(dataDir: string): Promise<Endpoints | null> {
  try {
    return JSON.parse(await readFile(endpointsFile(dataDir), 'utf8')) as Endpoints;
  } catch {
    return null;
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Data dirs this process serves right now (several sessions may share one process in tests). */
const servedHere = new Set<string>();

/** Endpoints of a live server of `dataDir` (which holds the LevelDB lock), or null. */
export async function findRunning(dataDir: string): Promise<Endpoints | null> {
  const endpoints = await readEndpoints(dataDir);
  if (!endpoints) return null;
  const live = endpoints.pid === process.pid ? servedHere.has(resolve(dataDir)) : isAlive(endpoints.pid);
  return live ? endpoints : null;
}

/** The SDK's request type, as a signer sees it. */
type SignableRequest = { headers: Record<string, string>; hostname?: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * A signer for the embedded dynalite only. dynalite requires an Authorization header of SigV4's
 * shape and an X-Amz-Date but never checks the signature, and SigV4 (an HMAC chain plus a SHA-256
 * of every body, ≈ 40 KB for a bucket batch write) was ≈ 5 % of newsflow's CPU in `run`
 * (docs/PERFORMANCE.md). s3rver does verify signatures, so the S3 client keeps signing; so does
 * every client pointed at AWS.
 */
export function placeholderSigner(endpoints: Pick<Endpoints, 'accessKeyId' | 'region'>): {
  sign<R extends SignableRequest>(request: R): Promise<R>;
} {
  return {
    sign: async <R extends SignableRequest>(request: R): Promise<R> => {
      // Only the embedded servers on this machine may get an unsigned request; anything else is a bug.
      if (!LOOPBACK_HOSTS.has(request.hostname ?? ''))
        throw new Error(
          `Refusing to send an unsigned DynamoDB request to ${request.hostname}: only local endpoints skip signing`,
        );
      const date = `${new Date().toISOString().replace(/[-:]|\.\d{3}/g, '')}`;
      request.headers['x-amz-date'] = date;
      request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${endpoints.accessKeyId}/${date.slice(0, 8)}/${endpoints.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=unsigned-local`;
      return request;
    },
  };
}

/** The endpoints' credentials (s3rver's pair, which dynalite accepts too). */
const credentialsOf = (endpoints: Endpoints) => ({
  accessKeyId: endpoints.accessKeyId,
  secretAccessKey: endpoints.secretAccessKey,
});

/** The DynamoDB client options for a set of endpoints (s3rver's credentials, no signing). */
const dynamoOptions = (endpoints: Endpoints) => ({
  endpoint: endpoints.dynamodbEndpoint,
  region: endpoints.region,
  credentials: credentialsOf(endpoints),
  signer: placeholderSigner(endpoints),
});

/** A DynamoDB client for the adapters' low-level commands (see `createDocumentClient`). */
export const rawDynamoClientFor = (endpoints: Endpoints): DynamoDBClient =>
  createDynamoClient({ ...dynamoOptions(endpoints), cacheMiddleware: true });

/**
 * SDK clients for a set of endpoints (s3rver's credentials, path-style, checksums only when
 * required), and the DynamoDB client for the adapters' low-level commands ({@link rawDynamoClientFor}).
 */
export function clientsFor(endpoints: Endpoints): {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  rawDynamodb: DynamoDBClient;
} {
  return {
    s3: createS3Client({
      endpoint: endpoints.s3Endpoint,
      region: endpoints.region,
      credentials: credentialsOf(endpoints),
    }),
    dynamodb: createDynamoClient(dynamoOptions(endpoints)),
    rawDynamodb: rawDynamoClientFor(endpoints),
  };
}

/** The servers as this process sees them, wherever they run. */
interface HostedServers extends Servers {
  readonly pid: number;
  readonly events: S3EventSource;
  readonly lost: Promise<EmbeddedLostError>;
}

/** An event source over an emitter of `'event'`, with the given barrier. */
const emitterSource = (emitter: EventEmitter, settled: () => Promise<void>): S3EventSource => ({
  subscribe(listener: (event: S3rverEvent) => void) {
    emitter.on('event', listener);
    return () => {
      emitter.off('event', listener);
    };
  },
  settled,
});

async function hostInProcess(opts: ServersOptions): Promise<HostedServers> {
  const emitter = new EventEmitter();
  // s3rver emits from its request handler, before the response: nothing can overtake an event.
  const servers = await startServers(opts, (event) => emitter.emit('event', event));
  return {
    ...servers,
    pid: process.pid,
    events: emitterSource(emitter, async () => {}),
    lost: new Promise(() => {}),
  };
}

/** The child's entry, run through tsx like the CLI itself (bin/newsflow.js). */
const SERVERS_ENTRY = fileURLToPath(new URL('./servers-process.ts', import.meta.url));
/** tsx's loader as an absolute URL, so the child finds it whatever its working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** dynalite gives LevelDB 30 s to close; past that the child is killed. */
const CLOSE_TIMEOUT_MS = 40_000;

/**
 * The parent's `--cpu-prof*` flags, handed on so `node --cpu-prof bin/newsflow.js run …` profiles
 * the servers' process too (Node refuses them in NODE_OPTIONS; docs/PERFORMANCE.md).
 */
const profilingFlags = (): string[] => process.execArgv.filter((flag) => flag.startsWith('--cpu-prof'));

/**
 * A 64 MB young generation (V8's default is 16 MB) for the servers' process. Under load each
 * request's objects live for the tens of ms it waits its turn; in 16 MB many of them were still
 * alive at each scavenge, were copied and promoted, and garbage collection took 16 % of the
 * process's CPU in `newsflow run`. With 64 MB it took 8 % (docs/PERFORMANCE.md, round 5), for
 * about 100 MB more memory at peak.
 */
const SERVERS_V8_FLAGS = ['--max-semi-space-size=64'];

async function hostInChild(opts: ServersOptions): Promise<HostedServers> {
  const child: ChildProcess = fork(SERVERS_ENTRY, [JSON.stringify(opts)], {
    execArgv: ['--import', TSX_LOADER, ...SERVERS_V8_FLAGS, ...profilingFlags()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const emitter = new EventEmitter();
  const settling = new Map<number, () => void>();
  let nextId = 0;
  let closing = false;
  let started: (message: FromServers | Error) => void = () => {};
  const start = new Promise<FromServers | Error>((resolve) => {
    started = resolve;
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const release of settling.values()) release();
      settling.clear();
      const how = signal ? `signal ${signal}` : `code ${code}`;
      started(new Error(`the servers' process exited with ${how} before it was ready`));
      resolve(how);
    });
  });
  // Spawn failures and sends on a closed channel; the exit handler says what it means.
  child.on('error', (error) => started(error));
  child.on('message', (message: FromServers) => {
    if (message.type === 'event') emitter.emit('event', message.event);
    else if (message.type === 'settled') {
      settling.get(message.id)?.();
      settling.delete(message.id);
    } else started(message);
  });
  const tell = (message: ToServers): boolean => {
    if (!child.connected) return false;
    child.send(message);
    return true;
  };

  const first = await start;
  const where = `${opts.host}:${opts.s3Port} (S3) and :${opts.dynamodbPort} (DynamoDB)`;
  if (first instanceof Error || first.type !== 'ready') {
    child.kill('SIGKILL');
    if (first instanceof Error)
      throw new EmbeddedStartError(`Could not start the embedded servers on ${where}`, { cause: first });
    const cause =
      first.type === 'failed' && first.cause
        ? Object.assign(new Error(first.cause.message), first.cause.code ? { code: first.cause.code } : {})
        : undefined;
    throw new EmbeddedStartError(first.type === 'failed' ? first.message : `Unexpected ${first.type}`, {
      cause,
    });
  }
  return {
    pid: child.pid ?? 0,
    s3Port: first.s3Port,
    dynamodbPort: first.dynamodbPort,
    events: emitterSource(
      emitter,
      () =>
        new Promise<void>((resolve) => {
          const id = nextId++;
          settling.set(id, resolve);
          if (!tell({ type: 'settle', id })) {
            settling.delete(id);
            resolve();
          }
        }),
    ),
    // An exit after close() is the expected one: `lost` then never settles.
    lost: exited.then((how) =>
      closing
        ? new Promise<never>(() => {})
        : new EmbeddedLostError(
            `The embedded servers' process (pid ${child.pid}) exited unexpectedly (${how})`,
          ),
    ),
    close: async () => {
      closing = true;
      tell({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Start s3rver and dynalite on `dataDir` (in a child process unless `servers: 'in-process'`),
 * create the bucket and tables, write endpoints.json. Throws {@link DataDirBusyError} when
 * another live process serves the same data dir, and {@link EmbeddedStartError} naming the port
 * or directory when a server cannot start.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<Embedded> {
  const host = opts.host ?? '127.0.0.1';
  const resources = names(opts.stage ?? LOCAL_STAGE);
  const running = await findRunning(opts.dataDir);
  if (running) throw new DataDirBusyError(opts.dataDir, running);

  const serversOptions: ServersOptions = {
    dataDir: resolve(opts.dataDir),
    host,
    s3Port: opts.s3Port ?? 0,
    dynamodbPort: opts.dynamodbPort ?? 0,
    bucket: resources.bucket,
  };
  const servers =
    opts.servers === 'in-process' ? await hostInProcess(serversOptions) : await hostInChild(serversOptions);

  const endpoints: Endpoints = {
    s3Endpoint: `http://${host}:${servers.s3Port}`,
    dynamodbEndpoint: `http://${host}:${servers.dynamodbPort}`,
    region: LOCAL_REGION,
    bucket: resources.bucket,
    articlesTable: resources.articlesTable,
    fingerprintsTable: resources.fingerprintsTable,
    ingestionsTable: resources.ingestionsTable,
    ...LOCAL_CREDENTIALS,
    // This process, not the servers' child: it owns the session, and the child never outlives it.
    pid: process.pid,
  };
  const clients = clientsFor(endpoints);
  const close = async (): Promise<void> => {
    servedHere.delete(resolve(opts.dataDir));
    clients.s3.destroy();
    clients.dynamodb.destroy();
    clients.rawDynamodb.destroy();
    await servers.close();
  };

  try {
    await createTables(clients.dynamodb, resources.prefix);
  } catch (cause) {
    await close();
    throw new EmbeddedStartError(
      `Could not open the DynamoDB data in ${join(opts.dataDir, 'dynamodb')} (is another process using this data dir?)`,
      { cause },
    );
  }
  await writeFile(endpointsFile(opts.dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);
  servedHere.add(resolve(opts.dataDir));
  return {
    endpoints,
    serversPid: servers.pid,
    events: servers.events,
    s3: clients.s3,
    dynamodb: clients.dynamodb,
    rawDynamodb: clients.rawDynamodb,
    lost: servers.lost,
    close,
  };
}
