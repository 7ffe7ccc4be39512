/**
 * {@link IngestionLog} on the Ingestions table: one item per (raw key, line). A record replaces
 * the one there only when it is about a later upload (greater S3 sequencer) or when it settles a
 * failure of the same upload (a replay that succeeded). So a redelivered message can never turn
 * `stored` into `unchanged`, and an event that arrives late cannot overwrite a newer upload's record.
 */
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IngestionOutcome } from '../../domain/outcomes.ts';
import { sequencerOrder } from '../../domain/sequencer.ts';
import { DependencyError } from '../../errors.ts';
import type { IngestionLog, IngestionRecord } from '../../ports/index.ts';
import { dynamo, isConditionFailed, putItem } from './dynamo-support.ts';

const OUTCOMES: readonly IngestionOutcome[] = ['stored', 'duplicate', 'version', 'unchanged', 'failed'];

const toRecord = (item: Record<string, unknown>): IngestionRecord => {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const outcome = OUTCOMES.find((o) => o === item.outcome) ?? 'failed';
  return {
    rawKey: String(item.rawKey),
    line: Number(item.line),
    articleId: str(item.articleId),
    outcome,
    reason: str(item.reason),
    step: String(item.step),
    at: String(item.at),
    sequencer: str(item.sequencer),
    ...(typeof item.replayMessage === 'string' ? { replayMessage: item.replayMessage } : {}),
  };
};

export class DynamoIngestionLog implements IngestionLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async record(entry: IngestionRecord): Promise<void> {
    const failed = entry.outcome === 'failed';
    try {
      await putItem(this.doc, {
        TableName: this.tableName,
        Item: {
          ...entry,
          seqOrder: sequencerOrder(entry.sequencer),
          // Sparse index: only failures carry the key, so listing them reads failures only.
          failureDay: failed ? entry.at.slice(0, 10) : undefined,
          replayMessage: entry.replayMessage ?? undefined,
        },
        ConditionExpression:
          'attribute_not_exists(rawKey) OR seqOrder < :seq OR (seqOrder = :seq AND outcome = :failed)',
        ExpressionAttributeValues: { ':seq': sequencerOrder(entry.sequencer), ':failed': 'failed' },
      });
    } catch (error) {
      if (isConditionFailed(error)) return; // the first record for this upload stands
      throw new DependencyError(`DynamoDB: recording ingestion of ${entry.rawKey}:${entry.line} failed`, {
        cause: error,
      });
    }
  }

  async *list(
    opts: { rawKeyPrefix?: string; outcome?: IngestionOutcome } = {},
  ): AsyncIterable<IngestionRecord> {
    const filters: string[] = [];
    const values: Record<string, unknown> = {};
    if (opts.rawKeyPrefix) {
      filters.push('begins_with(rawKey, :prefix)');
      values[':prefix'] = opts.rawKeyPrefix;
    }
    if (opts.outcome) {
      filters.push('outcome = :outcome');
      values[':outcome'] = opts.outcome;
    }
    yield* this.scan(
      filters.length > 0
        ? { FilterExpression: filters.join(' AND '), ExpressionAttributeValues: values }
        : {},
    );
  }

  listFailures(): AsyncIterable<IngestionRecord> {
    return this.scan({ IndexName: 'failuresByDay' });
  }

  private async *scan(input: Omit<ScanCommandInput, 'TableName'>): AsyncIterable<IngestionRecord> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('listing ingestions', () =>
        this.doc.send(new ScanCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start })),
      );
      for (const item of out.Items ?? []) yield toRecord(item);
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
