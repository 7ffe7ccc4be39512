/**
 * Table definitions shared by the CDK stateful stack and the local runner (which creates the
 * same tables in dynalite), so the two cannot drift. Billing is on-demand everywhere.
 */

export type AttributeType = 'S' | 'N';

export interface KeyDef {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDef {
  readonly indexName: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
}

export interface TableDef {
  /** Logical name; the physical name is `<prefix>-<logicalName>`. */
  readonly logicalName: 'Articles' | 'Fingerprints' | 'Ingestions';
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly globalSecondaryIndexes: readonly IndexDef[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly timeToLiveAttribute?: string;
}

/**
 * Articles: one item per article id. GSIs serve the downstream access patterns; section and
 * source keys are date-bucketed (`<value>#<YYYY-MM-DD>`) so one busy section or source spreads
 * over a partition per day instead of one hot partition forever.
 */
export const ARTICLES_TABLE: TableDef = {
  logicalName: 'Articles',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'bySectionDay',
      partitionKey: { name: 'sectionDay', type: 'S' },
      sortKey: { name: 'sortKey', type: 'S' },
    },
    {
      indexName: 'bySourceDay',
      partitionKey: { name: 'sourceDay', type: 'S' },
      sortKey: { name: 'sortKey', type: 'S' },
    },
    {
      indexName: 'byCluster',
      partitionKey: { name: 'clusterId', type: 'S' },
      sortKey: { name: 'sortKey', type: 'S' },
    },
  ],
};

/** Fingerprints: exact-hash claims (`exact#<hash>`) and near-duplicate index entries. */
export const FINGERPRINTS_TABLE: TableDef = {
  logicalName: 'Fingerprints',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
};

/**
 * Ingestions: what became of each input, one item per (raw key, line). Failures also carry
 * `failureDay` so the sparse `failuresByDay` index lists them without a scan.
 */
export const INGESTIONS_TABLE: TableDef = {
  logicalName: 'Ingestions',
  partitionKey: { name: 'rawKey', type: 'S' },
  sortKey: { name: 'line', type: 'N' },
  globalSecondaryIndexes: [
    {
      indexName: 'failuresByDay',
      partitionKey: { name: 'failureDay', type: 'S' },
      sortKey: { name: 'at', type: 'S' },
    },
  ],
};

export const TABLES = [ARTICLES_TABLE, FINGERPRINTS_TABLE, INGESTIONS_TABLE] as const;

/** Physical table name for a stage/prefix. */
export const tableName = (prefix: string, table: TableDef): string => `${prefix}-${table.logicalName}`;
