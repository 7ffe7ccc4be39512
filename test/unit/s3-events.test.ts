import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '#shared/errors.ts';
import { decodeS3Key, encodeS3Key, parseS3Notification, toS3Event } from '#shared/s3-events.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8');

describe('parseS3Notification', () => {
  it('decodes keys as S3 encodes them (+ is a space, %2B a plus) and keeps only created objects', () => {
    // Act
    const refs = parseS3Notification(fixture('s3-put-encoded-key.json'));
    // Assess
    expect(refs).toEqual([
      {
        bucket: 'newsflow-prod-raw',
        key: 'incoming/example/World News/café “la une” 1+1.html',
        size: 48213,
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: '0062E99A88DC407460',
        eventTime: '2025-01-30T09:00:00.123Z',
        eventName: 'ObjectCreated:Put',
      },
    ]);
  });

  it('ignores the test event S3 sends when a notification is configured', () => {
    expect(parseS3Notification(fixture('s3-test-event.json'))).toEqual([]);
  });

  it('rejects a body that is not an S3 notification as an invalid message', () => {
    expect(() => parseS3Notification('{"articleId":"x"}')).toThrow(InvalidMessageError);
    expect(() => parseS3Notification('not json')).toThrow(InvalidMessageError);
  });
});

describe('toS3Event', () => {
  it('builds the event S3 would send, which parses back to the same upload', () => {
    // Prepare
    const upload = {
      bucket: 'newsflow-local-raw',
      key: 'incoming/x/a b+c/日本語.txt',
      size: 12,
      etag: 'abc',
      sequencer: '00000000000000000A',
      eventTime: '2025-01-30T09:00:00.000Z',
    };
    // Act
    const event = toS3Event(upload);
    // Assess
    expect(event.Records[0]?.s3.object.key).toBe('incoming/x/a+b%2Bc/%E6%97%A5%E6%9C%AC%E8%AA%9E.txt');
    expect(event.Records[0]?.s3.bucket.arn).toBe('arn:aws:s3:::newsflow-local-raw');
    const [ref] = parseS3Notification(JSON.stringify(event));
    expect(ref).toMatchObject({
      key: upload.key,
      etag: 'abc',
      sequencer: upload.sequencer,
      eventName: 'ObjectCreated:Put',
    });
  });

  it('encodes and decodes any key losslessly', () => {
    for (const key of [
      'incoming/a/b.html',
      'incoming/a/100% sure?.json',
      'incoming/a/x&y=z#frag.txt',
      "incoming/ü/ ~!*()'.gz",
    ]) {
      expect(decodeS3Key(encodeS3Key(key))).toBe(key);
    }
  });
});
