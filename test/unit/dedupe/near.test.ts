import { describe, expect, it } from 'vitest';
import {
  compare,
  decide,
  entryFor,
  fingerprint,
  type NearEntry,
  type NearSubject,
  ownCluster,
  settleRace,
  siteOf,
} from '#shared/domain/dedupe/near.ts';
import { editWords, fixture, truncate } from './text-helpers.ts';

const fr = fixture('fr-tdg-chlorothalonil.txt');
const de = fixture('de-focus-leasing.txt');

function subject(articleId: string, text: string, site: string, at: string): NearSubject {
  const s = fingerprint({ articleId, text, site, at });
  if (!s) throw new Error(`fixture ${articleId} too short`);
  return s;
}

/** Every bucket of `s` owned by its own-cluster entry, as the table holds it once `s` is stored. */
const ownedBy = (s: NearSubject): Map<string, NearEntry> =>
  new Map(s.keys.map((k) => [k, entryFor(s, ownCluster(s))]));

describe('near-duplicate decision', () => {
  it('joins a lightly edited copy from another site to the original cluster', () => {
    // Prepare
    const original = subject('a', fr, 'tdg.ch', '2026-01-01T00:00:00Z');
    const copy = subject('b', editWords(fr, 25), 'example.org', '2026-01-01T01:00:00Z');

    // Act
    const decision = decide(copy, ownedBy(original));

    // Assess
    expect(decision).toMatchObject({ clusterId: 'a', duplicateOf: 'a', decidedBefore: false });
    expect(decision.similarity).toBeGreaterThan(0.5);
  });

  it('joins a 60% excerpt with a credit line by containment', () => {
    // Prepare
    const original = subject('a', de, 'focus.de', '2026-01-01T00:00:00Z');
    const excerpt = `${truncate(de, 0.6)}\n\nDieser Artikel erschien zuerst bei FOCUS Online.`;
    const copy = subject('b', excerpt, 'aggregator.example', '2026-01-01T01:00:00Z');

    // Act
    const result = compare(copy, entryFor(original, ownCluster(original)));

    // Assess
    expect(result.matches).toBe(true);
    expect(result.similarity).toBeGreaterThan(0.85);
  });

  it('never merges two different stories', () => {
    // Prepare
    const a = subject('a', fr, 'tdg.ch', '2026-01-01T00:00:00Z');
    const b = subject('b', de, 'focus.de', '2026-01-01T01:00:00Z');

    // Act
    const decision = decide(b, ownedBy(a));

    // Assess
    expect(decision).toMatchObject({ clusterId: 'b', duplicateOf: null });
  });

  it('does not let shared site boilerplate or an excerpt merge two articles of one site', () => {
    // Prepare: the site's long footer appended to two different stories, and an excerpt
    const footer = truncate(de, 0.5);
    const a = subject('a', `${fr}\n\n${footer}`, 'focus.de', '2026-01-01T00:00:00Z');
    const b = subject('b', `${truncate(fr, 0.5)}\n\n${footer}`, 'focus.de', '2026-01-01T01:00:00Z');

    // Act
    const sameSite = compare(b, entryFor(a, ownCluster(a)));
    const otherSite = compare({ ...b, site: 'elsewhere.example' }, entryFor(a, ownCluster(a)));

    // Assess
    expect(otherSite.matches).toBe(true);
    expect(sameSite.matches).toBe(false);
  });

  it('keeps an article out of its own cluster: its own earlier entry is its earlier decision', () => {
    // Prepare: version 1 of article "a" joined cluster "x"; version 2 has changed text
    const v1 = subject('a', fr, 'tdg.ch', '2026-01-01T00:00:00Z');
    const stored = new Map(
      v1.keys.map((k) => [k, entryFor(v1, { clusterId: 'x', duplicateOf: 'x', similarity: 0.9 })]),
    );
    const v2 = subject('a', editWords(fr, 30), 'tdg.ch', '2026-01-02T00:00:00Z');

    // Act
    const decision = decide(v2, stored);

    // Assess
    expect(decision).toEqual({ clusterId: 'x', duplicateOf: 'x', similarity: 0.9, decidedBefore: true });
  });

  it('joins the earliest of several matching articles', () => {
    // Prepare
    const early = subject('z-early', fr, 'one.example', '2026-01-01T00:00:00Z');
    const late = subject('a-late', editWords(fr, 40), 'two.example', '2026-01-01T05:00:00Z');
    const found = new Map<string, NearEntry>();
    for (const k of early.keys.slice(0, 20)) found.set(k, entryFor(early, ownCluster(early)));
    const joined = { clusterId: 'z-early', duplicateOf: 'z-early', similarity: 0.8 };
    for (const k of late.keys.slice(20)) found.set(k, entryFor(late, joined));
    const probe = subject('p', editWords(fr, 35), 'three.example', '2026-01-02T00:00:00Z');

    // Act
    const decision = decide(probe, found);

    // Assess
    expect(decision).toMatchObject({ clusterId: 'z-early', duplicateOf: 'z-early' });
  });

  it('ignores texts too short to compare', () => {
    expect(fingerprint({ articleId: 'a', text: 'Breaking news.', site: 's', at: '' })).toBeNull();
  });

  it('names the site by canonical host, else site name, else upload source', () => {
    const provenance = { source: 'scraper-1' };
    expect(siteOf({ canonicalUrl: 'https://WWW.Example.com/a', siteName: 'Ex', provenance })).toBe(
      'example.com',
    );
    expect(siteOf({ canonicalUrl: null, siteName: 'The Paper', provenance })).toBe('the paper');
    expect(siteOf({ canonicalUrl: null, siteName: null, provenance })).toBe('source:scraper-1');
  });
});

describe('race settlement', () => {
  // Two near-duplicates that both started their own cluster and split their shared buckets.
  const x = subject('x', fr, 'one.example', '2026-01-01T00:00:00Z');
  const y = subject('y', editWords(fr, 40), 'two.example', '2026-01-01T00:00:00Z');
  const shared = x.keys.filter((k, i) => y.keys[i] === k);

  function settle(splitAt: number) {
    // Buckets before `splitAt` in the shared list went to x, the rest to y.
    const xWins = new Set(shared.slice(0, splitAt));
    const ownersSeenByX = new Map<string, NearEntry>();
    const ownersSeenByY = new Map<string, NearEntry>();
    for (const k of shared) {
      if (xWins.has(k)) ownersSeenByY.set(k, entryFor(x, ownCluster(x)));
      else ownersSeenByX.set(k, entryFor(y, ownCluster(y)));
    }
    return { x: settleRace(x, ownersSeenByX), y: settleRace(y, ownersSeenByY) };
  }

  it('has texts that share several buckets', () => {
    expect(shared.length).toBeGreaterThan(3);
  });

  it('ends in one cluster whichever way the shared buckets split', () => {
    for (let splitAt = 0; splitAt <= shared.length; splitAt += 1) {
      // Act
      const { x: dx, y: dy } = settle(splitAt);

      // Assess: exactly one joins the other
      const clusterX = dx?.clusterId ?? 'x';
      const clusterY = dy?.clusterId ?? 'y';
      expect(clusterX, `split ${splitAt}`).toBe(clusterY);
      expect([dx, dy].filter((d) => d !== null)).toHaveLength(1);
    }
  });
});
