import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFingerprintIndex } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { NEAR_SK, signatureKey } from '#shared/adapters/aws/dynamo-near-buckets.ts';
import { encodeSignature } from '#shared/domain/dedupe/minhash.ts';
import { fingerprint, type NearSubject } from '#shared/domain/dedupe/near.ts';
import { assignNearCluster } from '#shared/steps/near-cluster.ts';
import { editWords, fixture, retag as story, truncate } from '../unit/dedupe/text-helpers.ts';
import { type NearDynalite, startNearDynalite } from './near-dynalite.ts';

const fr = fixture('fr-tdg-chlorothalonil.txt');
const de = fixture('de-focus-leasing.txt');

function subject(articleId: string, text: string, site: string): NearSubject {
  const s = fingerprint({ articleId, text, site, at: '2026-01-01T00:00:00.000Z' });
  if (!s) throw new Error('fixture too short');
  return s;
}

describe('near-duplicate clusters in DynamoDB (dynalite)', () => {
  let db: NearDynalite;
  let workerA: DynamoFingerprintIndex;
  let workerB: DynamoFingerprintIndex;

  beforeAll(async () => {
    db = await startNearDynalite();
    workerA = new DynamoFingerprintIndex(db.client().doc, db.tables.fingerprints);
    workerB = new DynamoFingerprintIndex(db.client().doc, db.tables.fingerprints);
  });
  afterAll(async () => db.stop());

  it('puts two near-duplicates processed at the same moment on two workers in one cluster', async () => {
    // Prepare: 12 rounds, each a fresh story and a lightly edited copy from another site.
    const rounds = Array.from({ length: 12 }, (_, r) => {
      const text = story(r % 2 ? fr : de, `q${r}`);
      return {
        x: subject(`round${r}-x`, text, 'one.example'),
        y: subject(`round${r}-y`, editWords(text, 30), 'two.example'),
      };
    });

    // Act: round after round, the two articles of a round at the same moment on two workers
    const outcomes = [];
    for (const { x, y } of rounds) {
      const [dx, dy] = await Promise.all([assignNearCluster(workerA, x), assignNearCluster(workerB, y)]);
      outcomes.push({ dx, dy });
    }

    // Assess: the claims did interleave (a split was settled), and each round is one cluster
    // with exactly one first article
    expect(outcomes.filter((o) => o.dx.raced || o.dy.raced).length).toBeGreaterThan(0);
    for (const [r, { dx, dy }] of outcomes.entries()) {
      expect(dx.clusterId, `round ${r}`).toBe(dy.clusterId);
      expect(
        [dx.duplicateOf, dy.duplicateOf].filter((d) => d === null),
        `round ${r}`,
      ).toHaveLength(1);
    }
  }, 120_000);

  it('joins later copies (edited, excerpted) to the first article and leaves other stories alone', async () => {
    // Prepare
    const text = story(fr, 'late');
    const first = subject('late-first', text, 'tdg.ch');
    const edited = subject('late-edited', editWords(text, 25), 'copy.example');
    const excerpt = subject(
      'late-excerpt',
      `${truncate(text, 0.6)}\n\nFirst published by TdG.`,
      'agg.example',
    );
    const other = subject('late-other', story(de, 'late'), 'copy.example');

    // Act
    const d1 = await assignNearCluster(workerA, first);
    const d2 = await assignNearCluster(workerB, edited);
    const d3 = await assignNearCluster(workerA, excerpt);
    const d4 = await assignNearCluster(workerB, other);

    // Assess
    expect(d1).toMatchObject({ clusterId: 'late-first', duplicateOf: null });
    expect(d2).toMatchObject({ clusterId: 'late-first', duplicateOf: 'late-first' });
    expect(d3).toMatchObject({ clusterId: 'late-first', duplicateOf: 'late-first' });
    expect(d4).toMatchObject({ clusterId: 'late-other', duplicateOf: null });
  });

  it('gives a redelivered article the same decision, never itself as a duplicate', async () => {
    // Prepare
    const text = story(de, 'redo');
    await assignNearCluster(workerA, subject('redo-first', text, 'focus.de'));
    const copy = subject('redo-copy', editWords(text, 30), 'copy.example');
    const once = await assignNearCluster(workerA, copy);

    // Act
    const again = await assignNearCluster(workerB, copy);
    const newVersionOfFirst = await assignNearCluster(
      workerB,
      subject('redo-first', editWords(text, 20), 'focus.de'),
    );

    // Assess
    expect(again).toMatchObject({ clusterId: once.clusterId, duplicateOf: once.duplicateOf });
    expect(newVersionOfFirst).toMatchObject({ clusterId: 'redo-first', duplicateOf: null });
  });

  it('reads back bucket owners alone, the same owners the full entries name', async () => {
    // Prepare: one article's buckets written, plus a key nobody wrote
    const owner = subject('owners-first', story(fr, 'owners'), 'tdg.ch');
    await assignNearCluster(workerA, owner);
    const keys = [...owner.keys, 'near#n1#0#nobody-wrote-this'];

    // Act
    const owners = await workerB.getNearOwners(keys);
    const entries = await workerB.getNearEntries(keys);

    // Assess
    expect(owners.size).toBe(owner.keys.length);
    expect(owners.has('near#n1#0#nobody-wrote-this')).toBe(false);
    for (const key of owner.keys) {
      expect(owners.get(key)).toBe('owners-first');
      expect(entries.get(key)).toMatchObject({ articleId: 'owners-first', clusterId: 'owners-first' });
    }
  });

  /** A bucket owned by `owner` written straight to the table, as older code or a torn write left it. */
  const putBucket = (key: string, owner: NearSubject, extra: Record<string, unknown> = {}) =>
    db.client().doc.send(
      new PutCommand({
        TableName: db.tables.fingerprints,
        Item: {
          pk: key,
          sk: NEAR_SK,
          articleId: owner.articleId,
          clusterId: owner.articleId,
          duplicateOf: null,
          similarity: null,
          site: 'tdg.ch',
          at: '2025-01-01T00:00:00.000Z',
          shingleCount: owner.shingleCount,
          ...extra,
        },
      }),
    );

  it("keeps one copy of an owner's signature, not one per bucket, and finds copies through it", async () => {
    // Prepare: an article's buckets written through the protocol
    const owner = subject('sig-first', story(de, 'sig'), 'focus.de');
    await assignNearCluster(workerA, owner);
    const get = (pk: string) =>
      db.client().doc.send(new GetCommand({ TableName: db.tables.fingerprints, Key: { pk, sk: NEAR_SK } }));

    // Act
    const bucket = await get(owner.keys[0] ?? '');
    const stored = await get(signatureKey('sig-first'));
    const entries = await workerB.getNearEntries(owner.keys);
    const copy = await assignNearCluster(
      workerB,
      subject('sig-copy', editWords(story(de, 'sig'), 30), 'copy.example'),
    );

    // Assess: the bucket names its owner without the signature; lookups still see the signature
    expect(bucket.Item).toMatchObject({ articleId: 'sig-first' });
    expect(bucket.Item?.signature).toBeUndefined();
    expect(stored.Item?.signature).toBe(encodeSignature(owner.signature));
    expect(entries.get(owner.keys[0] ?? '')?.signature).toBe(encodeSignature(owner.signature));
    expect(copy).toMatchObject({ clusterId: 'sig-first', duplicateOf: 'sig-first' });
  });

  it('reads the inline signature of buckets written before signatures had an item of their own', async () => {
    // Prepare: a bucket in the earlier form, its owner's signature inside it and no signature item
    const owner = subject('legacy-first', story(fr, 'legacy'), 'tdg.ch');
    const key = owner.keys[0] ?? '';
    await putBucket(key, owner, { signature: encodeSignature(owner.signature) });

    // Act
    const entries = await workerA.getNearEntries([key]);
    const copy = await assignNearCluster(
      workerA,
      subject('legacy-copy', editWords(story(fr, 'legacy'), 30), 'copy.example'),
    );

    // Assess
    expect(entries.get(key)?.signature).toBe(encodeSignature(owner.signature));
    expect(copy).toMatchObject({ clusterId: 'legacy-first', duplicateOf: 'legacy-first' });
  });

  it('counts an owner whose signature cannot be read as no match, and claims the free buckets', async () => {
    // Prepare: a bucket owned by an article whose signature item was never written
    const text = story(fr, 'nosig');
    const owner = subject('nosig-first', text, 'tdg.ch');
    const key = owner.keys[0] ?? '';
    await putBucket(key, owner);

    // Act
    const copy = await assignNearCluster(workerB, subject('nosig-copy', text, 'copy.example'));
    const owners = await workerA.getNearOwners(owner.keys);

    // Assess: a cluster of its own, and every bucket but the taken one is now the copy's
    expect(copy).toMatchObject({ clusterId: 'nosig-copy', duplicateOf: null });
    expect(owners.get(key)).toBe('nosig-first');
    expect([...owners.values()].filter((o) => o === 'nosig-copy')).toHaveLength(owner.keys.length - 1);
  });
});
