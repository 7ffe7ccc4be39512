/**
 * The typed read client for downstream apps (`import { createNewsflowClient } from 'newsflow/client'`).
 * It reads the Articles table through its documented access patterns (README "Item schema"): one
 * article by id, the latest in a section, by source and time, a story cluster; every listing is
 * paginated with an opaque cursor. Bodies too large for an item are fetched from S3 on request.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  type ClientOptions,
  createDocumentClient,
  createDynamoClient,
  createS3Client,
} from '../adapters/aws/clients.ts';
import { DynamoArticleStore, type TimeWindow } from '../adapters/aws/dynamo-article-store.ts';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.ts';
import type { ArticleItem } from '../domain/item.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Page, PageRequest } from '../ports/index.ts';

export {
  DEFAULT_PAGE_SIZE,
  DEFAULT_WINDOW_DAYS,
  MAX_PAGE_SIZE,
  type TimeWindow,
} from '../adapters/aws/dynamo-article-store.ts';
export type { SectionScore } from '../domain/article.ts';
export { type ArticleItem, ArticleItemSchema, ITEM_SCHEMA_VERSION } from '../domain/item.ts';
export type { Page, PageRequest } from '../ports/index.ts';

export interface NewsflowClientOptions extends ClientOptions {
  /** Physical name of the Articles table (e.g. `newsflow-prod-Articles`). */
  readonly articlesTable: string;
  /** The bucket holding bodies too large for an item; needed only to read those bodies. */
  readonly bucket?: string;
  /** A DynamoDB client to use instead of one built from the options. */
  readonly dynamodb?: DynamoDBClient;
  /** An S3 client to use instead of one built from the options. */
  readonly s3?: S3Client;
  /** DynamoDB endpoint (otherwise `AWS_ENDPOINT_URL_DYNAMODB` or AWS). */
  readonly dynamodbEndpoint?: string;
  /** S3 endpoint (otherwise `AWS_ENDPOINT_URL_S3` or AWS). */
  readonly s3Endpoint?: string;
}

export interface NewsflowClient {
  /**
   * One article by id, or null. With `withText` (the default) a body kept in S3 is fetched so
   * `text` is always filled.
   */
  getArticle(id: string, opts?: { readonly withText?: boolean }): Promise<ArticleItem | null>;
  /** Latest first within a canonical section (e.g. `business`); looks back 30 days unless `since` is given. */
  latestInSection(section: string, page?: PageRequest & TimeWindow): Promise<Page<ArticleItem>>;
  /** Latest first from one source (the `incoming/<source>/` folder); same window rules. */
  bySource(source: string, page?: PageRequest & TimeWindow): Promise<Page<ArticleItem>>;
  /** Every article of a story cluster, oldest (the original) first. */
  byCluster(clusterId: string, page?: PageRequest): Promise<Page<ArticleItem>>;
  /** The text of an item, from the item or, when it was too large, from S3. */
  textOf(item: ArticleItem): Promise<string>;
}

/** A client over the Articles table (and the bucket, for large bodies). */
export function createNewsflowClient(opts: NewsflowClientOptions): NewsflowClient {
  const common = { region: opts.region, credentials: opts.credentials };
  const dynamodb =
    opts.dynamodb ?? createDynamoClient({ ...common, endpoint: opts.dynamodbEndpoint ?? opts.endpoint });
  const store = new DynamoArticleStore(createDocumentClient(dynamodb), opts.articlesTable);
  let blobs: S3BlobStore | null = null;
  const bodies = (): S3BlobStore => {
    if (!opts.bucket) {
      throw new InvalidRequestError(
        'This article body is kept in S3: pass `bucket` to createNewsflowClient to read it',
      );
    }
    blobs ??= new S3BlobStore(
      opts.s3 ?? createS3Client({ ...common, endpoint: opts.s3Endpoint }),
      opts.bucket,
    );
    return blobs;
  };
  const textOf = async (item: ArticleItem): Promise<string> => {
    if (item.text !== null) return item.text;
    if (item.textKey === null) return '';
    const { body } = await bodies().get(item.textKey);
    return Buffer.from(body).toString('utf8');
  };
  return {
    async getArticle(id, { withText = true } = {}) {
      const item = await store.get(id);
      if (!item || !withText || item.text !== null) return item;
      return { ...item, text: await textOf(item) };
    },
    latestInSection: (section, page) => store.latestInSection(section, page),
    bySource: (source, page) => store.bySource(source, page),
    byCluster: (clusterId, page) => store.byCluster(clusterId, page),
    textOf,
  };
}

/**
 * Every item of a paginated listing, fetching page after page:
 * `for await (const a of paginate((cursor) => client.byCluster(id, { cursor }))) …`
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncIterable<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}
