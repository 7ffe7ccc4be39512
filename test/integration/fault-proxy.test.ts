import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMO_THROTTLED, FaultProxy } from '../support/fault-proxy.ts';

// The proxy is test equipment for the fault suite; this checks it produces the faults it claims,
// as the real SDK client sees them, against a real dynalite.
let server: Server;
let proxy: FaultProxy;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy = await FaultProxy.start(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await proxy.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fault proxy', () => {
  it('forwards requests and counts them by DynamoDB operation', async () => {
    proxy.resetCounts();
    const out = await client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual([]);
    expect(proxy.counts.get('ListTables')).toBe(1);
  });

  it('goes down (connection refused) and comes back on the same port', async () => {
    const endpoint = proxy.endpoint;
    await proxy.down();
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED|socket|connect/i);
    await proxy.up();
    expect(proxy.endpoint).toBe(endpoint);
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
  });

  it('answers with a throttling error the SDK recognises', async () => {
    proxy.setRule((r) => (r.operation === 'ListTables' ? DYNAMO_THROTTLED : { kind: 'pass' }));
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    proxy.setRule(null);
  });
});
