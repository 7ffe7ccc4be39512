/**
 * S3 event notifications as S3 really sends them to SQS: keys URL-encoded with `+` for a space,
 * an `s3:TestEvent` when a notification is configured, several records per message. Local S3
 * servers send something else (see STACK.md), so the local runner builds real-shaped events with
 * {@link toS3Event} and handlers only ever decode the real shape.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import * as z from 'zod';
import { InvalidMessageError } from './errors.ts';

/** One created object named by an event, key decoded. */
export interface S3ObjectRef {
  readonly bucket: string;
  /** Decoded key (`incoming/<source>/<path>`). */
  readonly key: string;
  readonly size: number;
  /** ETag without quotes, or null when the event carries none. */
  readonly etag: string | null;
  readonly sequencer: string | null;
  /** When S3 finished the upload (ISO 8601 UTC). */
  readonly eventTime: string;
  readonly eventName: string;
}

const RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const NotificationSchema = z.union([
  z.object({ Event: z.literal('s3:TestEvent') }),
  z.object({ Records: z.array(RecordSchema) }),
]);

/** Decode a key as S3 encodes it in notifications (form encoding: `+` is a space). */
export const decodeS3Key = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, ' '));

/** Encode a key the way S3 does in notifications (inverse of {@link decodeS3Key}). */
export const encodeS3Key = (key: string): string =>
  encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/**
 * The created objects named by an SQS message body holding an S3 notification. A test event and
 * non-create events (deletes, restores) yield nothing; a body that is not an S3 notification
 * throws {@link InvalidMessageError}.
 */
export function parseS3Notification(body: string): S3ObjectRef[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidMessageError('Message body is not JSON, so not an S3 event notification', { cause });
  }
  const parsed = NotificationSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidMessageError(`Message body is not an S3 event notification: ${parsed.error.message}`);
  }
  if (!('Records' in parsed.data)) return [];
  return parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    size: r.s3.object.size ?? 0,
    etag: r.s3.object.eTag ? r.s3.object.eTag.replace(/"/g, '') : null,
    sequencer: r.s3.object.sequencer ?? null,
    eventTime: r.eventTime,
    eventName: r.eventName,
  }));
}

/** What {@link toS3Event} needs to describe one upload. */
export interface UploadDescription {
  readonly bucket: string;
  /** The key as uploaded (not encoded). */
  readonly key: string;
  readonly size: number;
  readonly etag: string | null;
  /** Hex string ordering events on one key; S3 compares them as numbers. */
  readonly sequencer: string;
  readonly eventTime: string;
  /** @default 'ObjectCreated:Put' */
  readonly eventName?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
}

/** Build the notification S3 would send for one upload (event version 2.1, key encoded). */
export function toS3Event(upload: UploadDescription): S3Event {
  const record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: upload.region ?? 'us-east-1',
    eventTime: upload.eventTime,
    eventName: upload.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'newsflow-local' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': upload.sequencer, 'x-amz-id-2': upload.sequencer },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'newsflow-incoming',
      bucket: {
        name: upload.bucket,
        ownerIdentity: { principalId: 'newsflow-local' },
        arn: `arn:aws:s3:::${upload.bucket}`,
      },
      object: {
        key: encodeS3Key(upload.key),
        size: upload.size,
        eTag: upload.etag ?? '',
        sequencer: upload.sequencer,
      },
    },
  };
  return { Records: [record] };
}
