/**
 * {@link ArticleStore} on the Articles table. Upserts are optimistic: read, decide (pure, in
 * domain/store/upsert.ts), write on the condition that nothing changed in between, and on a lost
 * race read and decide again. Listings walk the date-bucketed GSIs of shared/tables.ts.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ArticleItem, ArticleItemSchema } from '../../domain/item.ts';
import { decideUpsert } from '../../domain/store/upsert.ts';
import { DependencyError, InvalidRequestError } from '../../errors.ts';
import type { ArticleStore, Page, PageRequest, TagUpdate, UpsertResult } from '../../ports/index.ts';
import {
  decodeCursor,
  dynamo,
  encodeCursor,
  isConditionFailed,
  type PutInput,
  putItem,
} from './dynamo-support.ts';

/** A time window for listings (ISO 8601); see {@link DEFAULT_WINDOW_DAYS}. */
export interface TimeWindow {
  /** Oldest time to include. @default `until` minus {@link DEFAULT_WINDOW_DAYS} days */
  readonly since?: string;
  /** Newest time to include. @default now */
  readonly until?: string;
}

/** How far back a listing walks day buckets when no `since` is given. */
export const DEFAULT_WINDOW_DAYS = 30;
/** Page size when none is asked for, and the most one page returns. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

const DAY_MS = 86_400_000;
const MAX_UPSERT_ATTEMPTS = 8;

const toIso = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidRequestError(`${what} is not a date/time: ${JSON.stringify(value)}`);
  return new Date(t).toISOString();
};

const pageSize = (limit: number | undefined): number => {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    throw new InvalidRequestError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE_SIZE);
};

const parseItems = (items: readonly Record<string, unknown>[] | undefined): ArticleItem[] =>
  (items ?? []).map((i) => ArticleItemSchema.parse(i));

export class DynamoArticleStore implements ArticleStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async upsert(item: ArticleItem): Promise<UpsertResult> {
    for (let attempt = 0; attempt < MAX_UPSERT_ATTEMPTS; attempt++) {
      // Most articles are new: the first attempt assumes so and writes without reading; only when
      // the id is taken (the condition fails) is the stored item read. A redelivery pays one
      // failed write instead of a consistent read per new article.
      const decision = decideUpsert(attempt === 0 ? null : await this.get(item.id), item);
      if (decision.tag === 'unchanged') {
        return { tag: 'unchanged', version: decision.existing.version, existing: decision.existing };
      }
      const condition =
        decision.tag === 'create'
          ? { ConditionExpression: 'attribute_not_exists(id)' }
          : {
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': decision.expectedVersion },
            };
      // Someone wrote first: decide again against their item.
      if (!(await this.putIf(decision.item, condition))) continue;
      return decision.tag === 'create'
        ? { tag: 'created', version: 1 }
        : { tag: 'updated', version: decision.item.version };
    }
    throw new DependencyError(
      `DynamoDB: article ${item.id} kept changing under ${MAX_UPSERT_ATTEMPTS} writes`,
    );
  }

  /** Put `item` under `condition`; false when the condition failed. */
  private async putIf(
    item: ArticleItem,
    condition: Pick<
      PutInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await putItem(this.doc, { TableName: this.tableName, Item: { ...item }, ...condition });
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw new DependencyError(`DynamoDB: writing article ${item.id} failed`, { cause: error });
    }
  }

  async updateTags(update: TagUpdate): Promise<boolean> {
    const sectionDay = update.sectionDay === null ? ' REMOVE sectionDay' : ', sectionDay = :sectionDay';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: update.id },
          UpdateExpression: `SET #section = :section, #sections = :sections, vocabularyVersion = :vocabulary, updatedAt = :now${sectionDay}`,
          ConditionExpression: 'contentHash = :hash',
          ExpressionAttributeNames: { '#section': 'section', '#sections': 'sections' },
          ExpressionAttributeValues: {
            ':section': update.section,
            ':sections': update.sections,
            ':vocabulary': update.vocabularyVersion,
            ':now': this.now().toISOString(),
            ':hash': update.contentHash,
            ...(update.sectionDay === null ? {} : { ':sectionDay': update.sectionDay }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw new DependencyError(`DynamoDB: re-tagging article ${update.id} failed`, { cause: error });
    }
  }

  async get(id: string): Promise<ArticleItem | null> {
    const out = await dynamo(`reading article ${id}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true })),
    );
    return out.Item ? ArticleItemSchema.parse(out.Item) : null;
  }

  latestInSection(section: string, page: PageRequest & TimeWindow = {}): Promise<Page<ArticleItem>> {
    return this.walkDays('bySectionDay', 'sectionDay', section, page);
  }

  bySource(source: string, page: PageRequest & TimeWindow = {}): Promise<Page<ArticleItem>> {
    return this.walkDays('bySourceDay', 'sourceDay', source, page);
  }

  async byCluster(clusterId: string, page: PageRequest = {}): Promise<Page<ArticleItem>> {
    const out = await dynamo(`listing cluster ${clusterId}`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byCluster',
          KeyConditionExpression: 'clusterId = :c',
          ExpressionAttributeValues: { ':c': clusterId },
          ScanIndexForward: true,
          Limit: pageSize(page.limit),
          ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor) : undefined,
        }),
      ),
    );
    return {
      items: parseItems(out.Items),
      cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  async *scan(): AsyncIterable<ArticleItem> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('scanning articles', () =>
        this.doc.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start })),
      );
      yield* parseItems(out.Items);
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /**
   * Latest first over day buckets `<value>#<day>`, from the day of `until` back to the day of
   * `since`. The cursor remembers the day and the position inside it.
   */
  private async walkDays(
    indexName: string,
    attribute: string,
    value: string,
    page: PageRequest & TimeWindow,
  ): Promise<Page<ArticleItem>> {
    const limit = pageSize(page.limit);
    const until = toIso(page.until ?? this.now().toISOString(), 'until');
    const since = page.since
      ? toIso(page.since, 'since')
      : new Date(Date.parse(until) - DEFAULT_WINDOW_DAYS * DAY_MS).toISOString();
    if (since > until) throw new InvalidRequestError(`since (${since}) is after until (${until})`);
    const lastDay = since.slice(0, 10);
    const state = page.cursor ? decodeCursor(page.cursor) : {};
    let day = typeof state.day === 'string' ? state.day : until.slice(0, 10);
    let start =
      state.key && typeof state.key === 'object' ? (state.key as Record<string, unknown>) : undefined;
    const items: ArticleItem[] = [];
    while (day >= lastDay) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk AND sortKey BETWEEN :since AND :until',
        ExpressionAttributeNames: { '#pk': attribute },
        // sortKey is `<time>#<id>`; '\uffff' makes `until` inclusive of every id at that instant.
        ExpressionAttributeValues: { ':pk': `${value}#${day}`, ':since': since, ':until': `${until}#\uffff` },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: start,
      };
      const out = await dynamo(`listing ${attribute} ${value}#${day}`, () =>
        this.doc.send(new QueryCommand(input)),
      );
      items.push(...parseItems(out.Items));
      start = out.LastEvaluatedKey;
      if (!start) day = previousDay(day);
      if (items.length >= limit) {
        const more = start !== undefined || day >= lastDay;
        return { items, cursor: more ? encodeCursor({ day, ...(start ? { key: start } : {}) }) : null };
      }
    }
    return { items, cursor: null };
  }
}

const previousDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
