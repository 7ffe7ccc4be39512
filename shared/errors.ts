/**
 * Faults: named `Error` subclasses that carry a `cause`. Expected outcomes (unparseable input,
 * duplicates) are values (see `domain/outcomes.ts`), not these. Retry, dead-lettering and exit
 * codes are decided at the edge (handlers, CLI) only.
 */

/** Base class: sets `name` from the subclass so logs and `instanceof` both work. */
export class NewsflowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration missing or invalid; thrown at cold start, never retried. */
export class ConfigError extends NewsflowError {}

/** A message body that does not match its schema (a bug or a foreign message). */
export class InvalidMessageError extends NewsflowError {}

/** An object larger than the allowed cap. */
export class TooLargeError extends NewsflowError {
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super(message);
  }
}

/** A dependency (S3, DynamoDB, SQS) failed; the message is retried. */
export class DependencyError extends NewsflowError {}

/** An object the pipeline expected (claim check, raw object) is missing. */
export class NotFoundError extends NewsflowError {}

/** A caller's request is malformed (a cursor from elsewhere, an impossible time range). */
export class InvalidRequestError extends NewsflowError {}
