/**
 * Deterministic synthetic news for the pipeline benchmark: distinct articles (no two share more
 * than chance-level shingles, so dedupe sees real first-of-cluster articles), realistic sizes
 * (≈ 5 KB of text, ≈ 20 KB of HTML with boilerplate), spread over sections, sources and days.
 */

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `council government minister city people year week report police court school hospital
water energy price market company workers union strike election vote party leader plan budget tax
money bank rate growth jobs houses rent road bridge train bus station airport flight river coast
storm flood weather summer winter farmers crops food children parents teachers students university
research scientists study data health doctors patients nurses care virus vaccine museum artist music
festival film theatre book author team match season coach players club goal league final record
village town region country border police officers fire crews residents neighbours shop owners
business profits sales customers prices fuel cars drivers traffic safety law judge trial prison
lawyers officials agency department ministry plans project building construction work site power
network internet phones software security attack data privacy users platform climate emissions
carbon forest wildlife park beach island mountain valley lake harbour port ships fishing boats
yesterday today tomorrow morning evening night hours minutes months decades history future
public private local national international global small large new old young early late major
said told asked announced confirmed warned reported expected agreed refused promised decided
opened closed started finished raised cut increased reduced moved built repaired replaced
visited met called wrote published signed approved rejected launched delayed cancelled returned
more less most many several few three four five ten hundred thousand million first second last
about after before during against between under over through across near inside outside around`
  .split(/\s+/)
  .filter(Boolean);

export const SECTIONS = [
  'World',
  'Politics',
  'Business',
  'Technology',
  'Science',
  'Health',
  'Sport',
  'Culture',
];

/** One synthetic article. */
export interface SyntheticArticle {
  readonly n: number;
  readonly url: string;
  readonly title: string;
  readonly section: string;
  readonly publishedAt: string;
  readonly paragraphs: readonly string[];
}

function sentence(rand: () => number): string {
  const len = 9 + Math.floor(rand() * 14);
  const words: string[] = [];
  for (let i = 0; i < len; i++) words.push(WORDS[Math.floor(rand() * WORDS.length)] ?? 'news');
  const s = words.join(' ');
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
}

/** Article number `n` of the benchmark corpus (the same `n` and `seed` always give the same article). */
export function syntheticArticle(n: number, seed = 1): SyntheticArticle {
  const rand = seededRandom(seed * 1_000_003 + n);
  const paragraphs: string[] = [];
  const count = 7 + Math.floor(rand() * 4);
  for (let p = 0; p < count; p++) {
    const sentences: string[] = [];
    const k = 3 + Math.floor(rand() * 3);
    for (let s = 0; s < k; s++) sentences.push(sentence(rand));
    paragraphs.push(sentences.join(' '));
  }
  const title = sentence(rand).replace(/\.$/, '').split(' ').slice(0, 8).join(' ');
  const section = SECTIONS[n % SECTIONS.length] ?? 'World';
  const day = new Date(Date.UTC(2026, 10, 1) + (n % 28) * 86_400_000 + Math.floor(rand() * 86_400_000));
  return {
    n,
    url: `https://news${n % 17}.example.com/${section.toLowerCase()}/${seed}-${n}`,
    title: `${title} (${n})`,
    section,
    publishedAt: day.toISOString(),
    paragraphs,
  };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The article as a news page: head metadata, navigation, the article, related links, footer. */
export function toHtml(a: SyntheticArticle): string {
  const nav = Array.from(
    { length: 120 },
    (_, i) => `<li class="menu-item"><a href="/section/${i}">Section ${i} of the menu</a></li>`,
  ).join('');
  // Real pages carry analytics config and inline CSS; extraction must skip them.
  const config = JSON.stringify({
    page: a.n,
    tags: SECTIONS,
    slots: Array.from({ length: 60 }, (_, i) => `slot-${i}`),
  });
  const css = Array.from(
    { length: 60 },
    (_, i) => `.c${i}{margin:${i}px;color:#${(i * 4111).toString(16).padStart(6, '0')}}`,
  ).join('');
  const related = Array.from(
    { length: 12 },
    (_, i) => `<li><a href="/related/${a.n}-${i}">Related story number ${i} about something else</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(a.title)} | Example News</title>
<link rel="canonical" href="${a.url}">
<meta property="og:title" content="${esc(a.title)}">
<meta property="article:section" content="${a.section}">
<meta property="article:published_time" content="${a.publishedAt}">
<meta name="author" content="Staff Reporter">
<style>${css}</style>
<script>window.__CONFIG__ = ${config};</script>
</head><body>
<header><nav><ul>${nav}</ul></nav></header>
<main><article>
<h1>${esc(a.title)}</h1>
<p class="byline">By Staff Reporter</p>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article>
<aside><h2>Related</h2><ul>${related}</ul></aside></main>
<footer><p>Copyright Example News. All rights reserved.</p><p>Privacy | Cookies | Contact</p></footer>
</body></html>
`;
}

/** The article as one JSONL record. */
export function toJsonRecord(a: SyntheticArticle): string {
  return JSON.stringify({
    url: a.url,
    title: a.title,
    text: a.paragraphs.join('\n\n'),
    publishedAt: a.publishedAt,
    section: a.section,
    authors: ['Staff Reporter'],
  });
}
