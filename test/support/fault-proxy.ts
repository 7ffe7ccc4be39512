/**
 * An HTTP proxy in front of s3rver or dynalite that injects real network-level faults: it can
 * go down (connections refused, open ones reset) and come back on the same port, answer chosen
 * requests with an error status, or delay them. It also counts requests by operation, which
 * the benchmark uses for "calls per article". The SDK clients see exactly what they would see
 * if the service itself failed, so no client code is mocked.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type FaultDecision =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body: string;
      readonly contentType?: string;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number };

/** One request as the fault rule sees it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** `DynamoDB_20120810.PutItem` → `PutItem`; for S3 `GET`, `PUT`, `HEAD`, … */
  readonly operation: string;
  /** The `Range` header of a ranged GET (`bytes=0-99`), else null. */
  readonly range: string | null;
}

export type FaultRule = (req: ProxiedRequest) => FaultDecision;

const PASS: FaultDecision = { kind: 'pass' };

/** Operation name of a request: the DynamoDB target, else the HTTP method plus `list` for bucket listings. */
export function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  if (method === 'GET' && (url.includes('list-type=') || /^\/[^/?]+\/?(\?|$)/.test(url))) return 'LIST';
  return method;
}

/** A fault-injecting proxy bound to one local port. */
export class FaultProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private rule: FaultRule = () => PASS;
  private port = 0;
  /** Requests seen, by operation (including failed ones). */
  readonly counts = new Map<string, number>();

  private constructor(private readonly target: URL) {}

  /** Start a proxy on a free port forwarding to `targetEndpoint` (e.g. `http://127.0.0.1:4567`). */
  static async start(targetEndpoint: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(targetEndpoint));
    await proxy.up();
    return proxy;
  }

  /** The endpoint clients should use. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Decide each request with `rule` from now on (`null` passes everything). */
  setRule(rule: FaultRule | null): void {
    this.rule = rule ?? (() => PASS);
  }

  /** Zero the counters. */
  resetCounts(): void {
    this.counts.clear();
  }

  /** Total requests counted for the given operations (all when none given). */
  total(...operations: string[]): number {
    let n = 0;
    for (const [op, c] of this.counts) if (operations.length === 0 || operations.includes(op)) n += c;
    return n;
  }

  /** The service goes down: new connections are refused, open ones are reset. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** The service comes back on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 1000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stop for good. */
  async close(): Promise<void> {
    await this.down();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const operation = operationOf(req);
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    const range = req.headers.range ?? null;
    const decision = this.rule({ method: req.method ?? 'GET', url: req.url ?? '/', operation, range });
    switch (decision.kind) {
      case 'respond':
        req.resume();
        res.writeHead(decision.status, { 'content-type': decision.contentType ?? 'application/xml' });
        res.end(decision.body);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'delay':
        setTimeout(() => this.forward(req, res), decision.ms);
        return;
      case 'pass':
        this.forward(req, res);
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}

/** An S3-shaped 500 error body. */
export const S3_INTERNAL_ERROR: FaultDecision = {
  kind: 'respond',
  status: 500,
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
};

/** A DynamoDB-shaped throttling error (the SDK retries it, then gives up). */
export const DYNAMO_THROTTLED: FaultDecision = {
  kind: 'respond',
  status: 400,
  contentType: 'application/x-amz-json-1.0',
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  }),
};
