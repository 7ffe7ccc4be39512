/**
 * The logger a step writes a record's lines through. Keys appended for one record (`articleId`,
 * `rawKey`) must never reach another's lines while records run concurrently, which a Powertools
 * child logger per record guarantees; but a child costs about 40 µs to make (it re-reads its
 * settings from the environment and opens a Console), about 3 % of the local pipeline's CPU,
 * and at the usual INFO-or-above levels most records write nothing. So a record's child is made
 * on the first line the logger's level lets through, with the keys appended so far.
 */
import { LogLevelThreshold as LEVEL, type Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';

/** What steps log through: a Powertools Logger or a {@link RecordLog}. */
export interface StepLog {
  appendKeys(keys: Record<string, unknown>): void;
  debug(input: LogItemMessage, ...extra: LogItemExtraInput): void;
  info(input: LogItemMessage, ...extra: LogItemExtraInput): void;
  warn(input: LogItemMessage, ...extra: LogItemExtraInput): void;
  error(input: LogItemMessage, ...extra: LogItemExtraInput): void;
  /** A logger with this one's keys whose own keys stay its own. */
  createChild(): StepLog;
}

/**
 * One record's logger over the step's `parent`. Lines carry the parent's keys and Lambda context
 * as they are when the line is written (on Lambda an invocation has the container to itself;
 * the local runner's concurrent invocations of one step share a parent, as before), plus this
 * record's own keys. Log buffering, which would keep lines below the level, is not used here.
 */
export class RecordLog implements StepLog {
  readonly #parent: Logger;
  readonly #keys: Record<string, unknown>;
  #child: Logger | null = null;

  constructor(parent: Logger, keys: Record<string, unknown> = {}) {
    this.#parent = parent;
    this.#keys = { ...keys };
  }

  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.#keys, keys);
    this.#child?.appendKeys(keys);
  }

  debug(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    if (this.#writes(LEVEL.DEBUG)) this.#line().debug(input, ...extra);
  }

  info(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    if (this.#writes(LEVEL.INFO)) this.#line().info(input, ...extra);
  }

  warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    if (this.#writes(LEVEL.WARN)) this.#line().warn(input, ...extra);
  }

  error(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    if (this.#writes(LEVEL.ERROR)) this.#line().error(input, ...extra);
  }

  createChild(): StepLog {
    return new RecordLog(this.#parent, this.#keys);
  }

  #writes(level: number): boolean {
    return level >= this.#parent.level;
  }

  #line(): Logger {
    if (!this.#child) {
      this.#child = this.#parent.createChild();
      this.#child.appendKeys(this.#keys);
    }
    return this.#child;
  }
}
