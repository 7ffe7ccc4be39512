/** {@link BlobStore} over one S3 bucket. */
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DependencyError, NotFoundError, TooLargeError } from '../../errors.ts';
import type { BlobObject, BlobStore, ByteRange } from '../../ports/index.ts';

const isMissing = (error: unknown): boolean =>
  error instanceof NoSuchKey ||
  error instanceof NotFound ||
  (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'));

/** Read a body stream, failing as soon as it passes `maxBytes` so a huge object never fills memory. */
async function readCapped(body: unknown, maxBytes: number, key: string): Promise<Uint8Array> {
  if (!(body instanceof Readable)) {
    throw new DependencyError(`S3 returned no readable body for ${key}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > maxBytes) {
      body.destroy();
      throw new TooLargeError(`${key} is larger than the ${maxBytes}-byte limit`, maxBytes);
    }
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** S3-backed blob store; keys are plain (decoded) object keys. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string, opts: { maxBytes?: number; range?: ByteRange } = {}): Promise<BlobObject> {
    const maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    const { range } = opts;
    let out: GetObjectCommandOutput;
    try {
      out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          // HTTP ranges are inclusive at both ends.
          ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}),
        }),
      );
    } catch (error) {
      if (isMissing(error))
        throw new NotFoundError(`s3://${this.bucket}/${key} does not exist`, { cause: error });
      throw new DependencyError(`Reading s3://${this.bucket}/${key} failed`, { cause: error });
    }
    const length = out.ContentLength;
    if (length !== undefined && length > maxBytes) {
      if (out.Body instanceof Readable) out.Body.destroy();
      throw new TooLargeError(`${key} is ${length} bytes, over the ${maxBytes}-byte limit`, maxBytes);
    }
    const body = await readCapped(out.Body, maxBytes, key);
    return {
      body,
      etag: out.ETag ? out.ETag.replace(/"/g, '') : null,
      contentType: out.ContentType ?? null,
      metadata: lowerKeys(out.Metadata ?? {}),
    };
  }

  async put(key: string, body: Uint8Array | string, opts: { contentType?: string } = {}): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
          ContentType: opts.contentType,
        }),
      );
    } catch (error) {
      throw new DependencyError(`Writing s3://${this.bucket}/${key} failed`, { cause: error });
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw new DependencyError(`Checking s3://${this.bucket}/${key} failed`, { cause: error });
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const obj of out.Contents ?? []) if (obj.Key) yield obj.Key;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }
}

const lowerKeys = (meta: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(meta).map(([k, v]) => [k.toLowerCase(), v]));
