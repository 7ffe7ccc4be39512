import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedded, hasDotSegment, startEmbedded } from '#local/embedded.ts';

// Security: object keys cannot escape their prefix. s3rver stores objects as files named after
// their keys, so on the local stack a key with ".." segments would land outside the data
// directory (found while building the bad-input corpus: `incoming/a/../../../../x` was written
// two levels above the data dir). The embedded S3 refuses such keys.

let root: string;
let dataDir: string;
let embedded: Embedded;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsflow-keys-'));
  dataDir = join(root, 'data');
  embedded = await startEmbedded({ dataDir });
});

afterAll(async () => {
  await embedded.close();
  await rm(root, { recursive: true, force: true });
});

const put = (key: string) =>
  embedded.s3.send(new PutObjectCommand({ Bucket: embedded.endpoints.bucket, Key: key, Body: 'hello' }));

describe('local S3 keys', () => {
  it('refuses keys whose ".." segments would write outside the data directory', async () => {
    // Act
    const attempts = [
      'incoming/../../escape-a.txt',
      '../escape-b.txt',
      'incoming/x/../../../../escape-c.txt',
    ];
    const results = await Promise.allSettled(attempts.map(put));

    // Assess: every upload refused, nothing written anywhere above the bucket
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const escaped = [root, dirname(root), dataDir, join(dataDir, 's3')].flatMap((d) =>
      readdirSync(d).filter((f) => f.startsWith('escape')),
    );
    expect(escaped).toEqual([]);
  });

  it('refuses percent-encoded dot segments sent by a raw HTTP client', async () => {
    // node:http sends the path as given (fetch would resolve the dots itself before sending).
    const { port } = new URL(embedded.endpoints.s3Endpoint);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/${embedded.endpoints.bucket}/incoming/%2e%2e/%2E%2E/x.txt`,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('hello');
    });
    expect(status).toBe(400);
    expect(existsSync(join(dataDir, 's3', 'x.txt._S3rver_object'))).toBe(false);
  });

  it('still stores keys with spaces, +, &, non-ASCII and dots inside names', async () => {
    const keys = [
      'incoming/x/key with spaces.html',
      'incoming/x/q+a & answers.html',
      'incoming/x/clé-日本語.html',
      'incoming/x/v1..2/a..b.txt',
    ];
    for (const key of keys) await put(key);
    for (const key of keys) {
      const out = await embedded.s3.send(
        new GetObjectCommand({ Bucket: embedded.endpoints.bucket, Key: key }),
      );
      expect(await out.Body?.transformToString(), key).toBe('hello');
    }
  });

  it('tells a dot segment from dots inside a name', () => {
    expect(hasDotSegment('/b/incoming/../x')).toBe(true);
    expect(hasDotSegment('/b/incoming/%2E%2E/x')).toBe(true);
    expect(hasDotSegment('/b/incoming/..%2Fx')).toBe(true);
    expect(hasDotSegment('/b/incoming/./x')).toBe(true);
    expect(hasDotSegment('/b/incoming/a..b/x?list-type=2')).toBe(false);
    expect(hasDotSegment('/b/incoming/%E6%97%A5.html')).toBe(false);
  });
});
