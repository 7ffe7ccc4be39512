import { readFileSync } from 'node:fs';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import { fingerprint, compare, entryFor, ownCluster, siteOf } from '#shared/domain/dedupe/near.ts';
import { estimateJaccard } from '#shared/domain/dedupe/minhash.ts';
const report = JSON.parse(readFileSync('.eval/dedup/report.json', 'utf8'));
const norm = (path: string) => {
  const r = normalizeDocument({ key: `incoming/${path}`, body: readFileSync(`.eval/dedup/docs/${path}`), etag: null, sequencer: null, contentType: null, metadata: {}, ingestedAt: '2026-01-01T00:00:00Z' });
  if (r.tag !== 'items' || r.items[0]?.tag !== 'article') return null;
  return r.items[0].article;
};
const kind = process.argv[2];
for (const m of report.misses.filter((x: string) => x.startsWith(kind)).slice(0, Number(process.argv[3] ?? 8))) {
  const [a, b] = m.split(': ')[1].split(' | ');
  const A = norm(a), B = norm(b);
  if (!A || !B) { console.log('not normalized', a, b, !!A, !!B); continue; }
  const sa = fingerprint({ articleId: 'a', text: A.text, site: siteOf(A), at: '1' });
  const sb = fingerprint({ articleId: 'b', text: B.text, site: siteOf(B), at: '2' });
  if (!sa || !sb) { console.log('short', a, b); continue; }
  const c = compare(sb, entryFor(sa, ownCluster(sa)));
  const shared = sa.keys.filter((k, i) => sb.keys[i] === k).length;
  console.log(`${m}\n  sites ${siteOf(A)} / ${siteOf(B)}; words ${A.wordCount}/${B.wordCount}; shingles ${sa.shingleCount}/${sb.shingleCount}; J ${estimateJaccard(sa.signature, sb.signature).toFixed(2)} sim ${c.similarity} match ${c.matches}; shared bands ${shared}`);
  if (process.argv[4]) console.log('  A:', A.text.slice(0, 300).replace(/\n/g, ' '), '\n  B:', B.text.slice(0, 300).replace(/\n/g, ' '));
}
