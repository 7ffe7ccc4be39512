/**
 * Build the labelled near-duplicate set from the extraction-dev pages (not committed; written to
 * `.eval/dedup/`, git-ignored). Every document is a file an upstream scraper could upload, under
 * `docs/<source>/…`; `manifest.json` names each document's story and `pairs.jsonl` the labelled
 * pairs with their kind.
 *
 * Positives (same story): the article in another page's template, in a synthetic outlet with
 * its own boilerplate, a text-only copy with a re-cased headline, a ~60% excerpt with a credit
 * line, the original page re-encoded in a legacy charset, and a lightly edited copy.
 * Hard negatives (different stories): two different stories in the same outlet's template, and a
 * page against its own template carrying another story.
 *
 *   npx tsx scripts/gen-dedup-pairs.ts [--data DIR] [--out DIR] [--stories N] [--seed S]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import iconv from 'iconv-lite';
import { parseHTML } from 'linkedom';
import { shingle } from '#shared/domain/dedupe/shingles.ts';
import { decodeBytes, normalizeDocument } from '#shared/domain/normalize/index.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/eval-data/extraction-dev' },
    out: { type: 'string', default: '.eval/dedup' },
    stories: { type: 'string', default: '160' },
    seed: { type: 'string', default: '7' },
  },
});

/** The labels the evaluation reports on. */
export type PairKind =
  | 'template'
  | 'boilerplate'
  | 'text-only'
  | 'truncated'
  | 'charset'
  | 'light-edits'
  | 'same-site'
  | 'template-other-story';

export interface PairRecord {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
  readonly kind: PairKind;
}

export interface ManifestDoc {
  /** Path under `docs/`: `<source>/<file>`; the source is the upload source name. */
  readonly path: string;
  /** The story it carries (the extraction-dev page id the text came from). */
  readonly story: string;
  readonly kind: PairKind | 'original';
}

interface Page {
  readonly id: string;
  readonly url: string;
  readonly host: string;
  readonly title: string;
  readonly html: string;
  readonly contentHtml: string;
  readonly paragraphs: readonly string[];
  readonly words: number;
}

// Deterministic PRNG (mulberry32) so the set is the same on every run.
let state = Number(args.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();
const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const countWords = (s: string): number => (s.match(/\S+/g) ?? []).length;

type El = ReturnType<typeof parseHTML>['document']['body'];

/** The deepest element whose text contains every annotated main-text snippet. */
function contentContainer(body: El, snippets: readonly string[]): El | null {
  const wanted = snippets.map(collapse).filter((s) => s.length >= 8);
  if (wanted.length === 0) return null;
  const holds = (el: El) => {
    const text = collapse(el.textContent ?? '');
    return wanted.every((s) => text.includes(s));
  };
  if (!holds(body)) return null;
  let node = body;
  for (;;) {
    const next = [...node.children].find((c) => holds(c as El)) as El | undefined;
    if (!next) return node;
    node = next;
  }
}

/** The paragraphs of a content element: its block children's text, else its text lines. */
function paragraphsOf(container: El): string[] {
  const blocks = [...container.querySelectorAll('p, h2, h3, h4, li, blockquote, pre')].filter(
    (el) => !el.parentElement?.closest('p, li, blockquote, pre'),
  );
  const fromBlocks = blocks.map((el) => collapse(el.textContent ?? '')).filter((t) => t.length > 0);
  const total = countWords(container.textContent ?? '');
  if (countWords(fromBlocks.join(' ')) >= total * 0.6) return fromBlocks;
  const lines: string[] = String(container.textContent ?? '').split(/\n+/);
  return lines.map(collapse).filter((t) => t.length > 0);
}

function loadPages(dir: string): Page[] {
  const index = readFileSync(join(dir, 'index.tsv'), 'utf8').trim().split('\n').slice(1);
  const pages: Page[] = [];
  for (const row of index) {
    const id = row.split('\t')[0]!;
    const truth = JSON.parse(readFileSync(join(dir, 'truth', `${id}.json`), 'utf8')) as {
      url?: string;
      title?: string;
      with?: string[];
    };
    let host: string;
    try {
      host = new URL(truth.url ?? '').hostname.replace(/^www\./, '');
    } catch {
      continue;
    }
    if (host === '' || host === 'web.archive.org') continue;
    const bytes = gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`)));
    const html = decodeBytes(new Uint8Array(bytes)).text;
    const { document } = parseHTML(html);
    if (!document.body) continue;
    const title = collapse(truth.title || document.querySelector('h1')?.textContent || '');
    // The story as an independent extractor (Readability) sees it: clean article HTML, without
    // the in-article galleries and link lists a raw container holds. Kept only when it holds the
    // annotated main-text snippets, i.e. when it is the right article.
    const article = new Readability(
      parseHTML(html).document as unknown as ConstructorParameters<typeof Readability>[0],
    ).parse();
    if (!article?.content) continue;
    const parsed = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document;
    const paragraphs = paragraphsOf(parsed.body);
    const text = collapse(paragraphs.join(' '));
    const snippets = (truth.with ?? []).map(collapse).filter((x) => x.length >= 8);
    if (snippets.length === 0 || snippets.filter((x) => text.includes(x)).length < snippets.length * 0.66)
      continue;
    const words = countWords(text);
    if (words < 150 || !title) continue;
    const contentHtml = paragraphsHtml(paragraphs);
    pages.push({
      id,
      url: truth.url!,
      host,
      title,
      html,
      contentHtml,
      paragraphs,
      words,
    });
  }
  return pages;
}

// Synthetic outlets: each has its own boilerplate, shared by every story it carries.
const OUTLETS = [
  { host: 'dailyledger.example', name: 'The Daily Ledger', tagline: 'Independent news since 1891' },
  { host: 'nachrichten-heute.example', name: 'Nachrichten Heute', tagline: 'Ihr Nachrichtenportal' },
  { host: 'lavoz-digital.example', name: 'La Voz Digital', tagline: 'Noticias de hoy' },
  { host: 'metro-wire.example', name: 'Metro Wire', tagline: 'Your city, your news' },
  { host: 'le-quotidien.example', name: 'Le Quotidien', tagline: "L'actualité en continu" },
] as const;
type Outlet = (typeof OUTLETS)[number];

function outletPage(
  outlet: Outlet,
  title: string,
  bodyHtml: string,
  slug: string,
  headlines: string[],
): string {
  const nav = ['World', 'Politics', 'Business', 'Tech', 'Sport', 'Culture', 'Opinion']
    .map((s) => `<li><a href="/${s.toLowerCase()}">${s}</a></li>`)
    .join('');
  const related = headlines.map((h, i) => `<li><a href="/related/${i}">${escapeHtml(h)}</a></li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} | ${outlet.name}</title>
<link rel="canonical" href="https://${outlet.host}/news/${slug}"><meta property="og:url" content="https://${outlet.host}/news/${slug}">
<meta property="og:site_name" content="${outlet.name}"></head><body>
<div class="cookie">We use cookies to improve your experience on ${outlet.name}. By continuing to browse you agree to our use of cookies. <a href="/privacy">Privacy policy</a></div>
<header><a href="/">${outlet.name}</a> <span>${outlet.tagline}</span><nav><ul>${nav}</ul></nav></header>
<main><article><h1>${escapeHtml(title)}</h1><div class="story">${bodyHtml}</div></article>
<aside class="newsletter"><h3>Get the ${outlet.name} briefing</h3><p>Sign up for our free morning newsletter and get the most important stories of the day delivered to your inbox, every weekday at 6am. You can unsubscribe at any time.</p></aside>
<aside class="related"><h3>Most read</h3><ul>${related}</ul></aside></main>
<footer><p>© 2026 ${outlet.name}. All rights reserved. ${outlet.tagline}. Contact the newsroom, advertise with us, terms of use, privacy policy, accessibility statement.</p></footer>
</body></html>`;
}

const paragraphsHtml = (paras: readonly string[]): string =>
  paras.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');

const slugOf = (page: Page): string =>
  `${page.title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)}-${page.id.slice(0, 6)}`;

/** Page `q` with its article replaced by `p`'s story: metadata rewritten to a new URL on q's site. */
function inTemplate(p: Page, q: Page): string | null {
  const { document } = parseHTML(q.html);
  const truth = JSON.parse(readFileSync(join(args.data, 'truth', `${q.id}.json`), 'utf8')) as {
    with?: string[];
  };
  for (const el of [...document.querySelectorAll('script, style, noscript, template')]) el.remove();
  const container = contentContainer(document.body, truth.with ?? []);
  if (!container || container === document.body) return null;
  container.innerHTML = p.contentHtml;
  for (const el of [
    ...document.querySelectorAll(
      'meta[property^="og:"], meta[name^="twitter:"], meta[name="description"], link[rel="canonical"], meta[property^="article:"]',
    ),
  ]) {
    el.remove();
  }
  const h1 = document.querySelector('h1');
  if (h1 && !container.contains(h1)) h1.textContent = p.title;
  const titleEl = document.querySelector('title');
  if (titleEl) titleEl.textContent = p.title;
  const head = document.querySelector('head');
  const url = `https://${q.host}/story/${slugOf(p)}`;
  head?.insertAdjacentHTML(
    'beforeend',
    `<link rel="canonical" href="${url}"><meta property="og:url" content="${url}">`,
  );
  return document.toString();
}

function recase(title: string): string {
  return random() < 0.5
    ? title.toUpperCase()
    : title.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_m, s: string, c: string) => s + c.toUpperCase());
}

/** First ~60% of the words, cut at a paragraph boundary, plus a credit line. */
function excerpt(page: Page): string[] {
  const target = page.words * (0.55 + random() * 0.1);
  const out: string[] = [];
  let n = 0;
  for (const para of page.paragraphs) {
    if (n >= target) break;
    const words = para.split(/\s+/);
    if (n + words.length > target * 1.15 && out.length > 0) {
      out.push(words.slice(0, Math.max(1, Math.round(target - n))).join(' '));
      n = target;
      break;
    }
    out.push(para);
    n += words.length;
  }
  out.push(`This article first appeared on ${page.host} and is republished here with permission.`);
  return out;
}

/** Copy edits on about 5% of the words, a dropped sentence and an update line. */
function lightlyEdited(page: Page): string[] {
  const paras = page.paragraphs.map((para) =>
    para
      .split(' ')
      .map((w, i, ws) => {
        const r = random();
        if (r < 0.015) return '';
        if (r < 0.03 && i + 1 < ws.length) return `${w} ${pick(['also', 'now', 'reportedly', 'still'])}`;
        if (r < 0.045) return w.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
        if (r < 0.055) return w.toUpperCase();
        return w;
      })
      .filter((w) => w !== '')
      .join(' '),
  );
  const longest = paras.reduce((best, p, i) => (p.length > (paras[best]?.length ?? 0) ? i : best), 0);
  const sentences = paras[longest]!.split(/(?<=[.!?])\s+/);
  if (sentences.length > 2) {
    sentences.splice(Math.floor(random() * sentences.length), 1);
    paras[longest] = sentences.join(' ');
  }
  paras.push('Updated at 14:05 with a statement from the spokesperson.');
  return paras;
}

/** The page re-encoded in a legacy charset for its script, declared in a meta tag. */
function reencoded(page: Page): { bytes: Buffer; charset: string } {
  const text = page.paragraphs.join(' ');
  const candidates = /[\p{Script=Han}]/u.test(text)
    ? ['gbk', 'big5']
    : /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)
      ? ['shift_jis', 'euc-jp']
      : /\p{Script=Cyrillic}/u.test(text)
        ? ['windows-1251', 'koi8-r']
        : /\p{Script=Greek}/u.test(text)
          ? ['windows-1253']
          : /[ąćęłńśźżőűčřšž]/iu.test(text)
            ? ['iso-8859-2']
            : ['windows-1252'];
  const stripped = page.html
    .replace(/<meta[^>]+charset[^>]*>/gi, '')
    .replace(/<link[^>]+rel=["']?canonical[^>]*>/gi, '')
    .replace(/<meta[^>]+property=["']?og:url[^>]*>/gi, '');
  const charset = candidates[0]!;
  const url = `https://mirror-archive.example/${page.id}`;
  const html = stripped.replace(
    /<head[^>]*>/i,
    (h) => `${h}<meta charset="${charset}"><link rel="canonical" href="${url}">`,
  );
  // Characters the charset lacks become numeric references, as legacy pages wrote them.
  const encodable = new Map<string, boolean>();
  const fits = (ch: string): boolean => {
    let ok = encodable.get(ch);
    if (ok === undefined) {
      ok = iconv.decode(iconv.encode(ch, charset), charset) === ch;
      encodable.set(ch, ok);
    }
    return ok;
  };
  const safe = [...html].map((ch) => (fits(ch) ? ch : `&#${ch.codePointAt(0)};`)).join('');
  return { bytes: iconv.encode(safe, charset), charset };
}

/** The text newsflow's normalizer extracts from a document, or null when it rejects it. */
function extracted(path: string, body: string | Buffer): string | null {
  const result = normalizeDocument({
    key: `incoming/${path}`,
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    etag: null,
    sequencer: null,
    contentType: null,
    metadata: {},
    ingestedAt: '2026-01-01T00:00:00.000Z',
  });
  const first = result.tag === 'items' ? result.items[0] : undefined;
  return first?.tag === 'article' ? first.article.text : null;
}

const shingleSet = (text: string): Set<string> => {
  const s = shingle(text);
  return new Set([...s.h1].map((h, i) => `${h}:${s.h2[i]}`));
};

/** Share of `part`'s shingles that are in `whole`. */
function coverage(part: Set<string>, whole: Set<string>): number {
  if (part.size === 0) return 0;
  let n = 0;
  for (const x of part) if (whole.has(x)) n += 1;
  return n / part.size;
}

/**
 * Whether the normalizer sees the planted story in a document: most of what it extracts is the
 * story. A document where it extracts something else (the template's leftovers, a cookie notice)
 * is not a copy of the story as far as the pipeline can tell; such a pair would measure
 * extraction, which the extraction evaluation covers.
 */
const carriesStory = (text: string | null, story: Set<string>): boolean =>
  text !== null && coverage(shingleSet(text), story) >= 0.6;

function main(): void {
  const pages = loadPages(args.data);
  shuffle(pages);
  // Stories come from the first 60% of the shuffled pages (until enough qualify), templates from the rest.
  const split = Math.floor(pages.length * 0.6);
  const candidates = pages.slice(0, split);
  const templates = pages.slice(split);
  const wanted = Number(args.stories);
  const out = args.out;
  rmSync(out, { recursive: true, force: true });
  const docs: ManifestDoc[] = [];
  const pairs: PairRecord[] = [];
  const write = (path: string, body: string | Buffer, story: string, kind: ManifestDoc['kind']): string => {
    const full = join(out, 'docs', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, body);
    docs.push({ path, story, kind });
    return path;
  };
  const originalPath = (page: Page) => `${page.host}/${page.id}.html`;
  const written = new Set<string>();
  const skipped = { story: 0, variant: 0 };
  const original = (page: Page): string => {
    const path = originalPath(page);
    if (!written.has(path)) {
      written.add(path);
      write(
        path,
        gunzipSync(readFileSync(join(args.data, 'html', `${page.id}.html.gz`))),
        page.id,
        'original',
      );
    }
    return path;
  };
  const headlines = pages.map((p) => p.title);
  const byOutlet = new Map<string, string[]>();
  const inOutlet = (outlet: Outlet, path: string) =>
    byOutlet.set(outlet.host, [...(byOutlet.get(outlet.host) ?? []), path]);

  let i = 0;
  for (const p of candidates) {
    if (i >= wanted) break;
    // A story counts only when the normalizer extracts most of it from its own page.
    const story = shingleSet(p.paragraphs.join('\n\n'));
    const ownText = extracted(
      originalPath(p),
      gunzipSync(readFileSync(join(args.data, 'html', `${p.id}.html.gz`))),
    );
    if (!carriesStory(ownText, story) || coverage(story, shingleSet(ownText ?? '')) < 0.6) {
      skipped.story += 1;
      continue;
    }
    const base = original(p);
    const keep = (path: string, body: string | Buffer): boolean => {
      if (carriesStory(extracted(path, body), story)) return true;
      skipped.variant += 1;
      return false;
    };
    const slug = slugOf(p);
    // Another real site's template.
    const q = templates[i % templates.length]!;
    const swapped = inTemplate(p, q);
    if (swapped && keep(`${q.host}/story-${p.id}.html`, swapped)) {
      const path = write(`${q.host}/story-${p.id}.html`, swapped, p.id, 'template');
      pairs.push({ a: base, b: path, same: true, kind: 'template' });
      pairs.push({ a: original(q), b: path, same: false, kind: 'template-other-story' });
    }
    const variant = (path: string, body: string | Buffer, kind: PairKind, outlet?: Outlet): void => {
      if (!keep(path, body)) return;
      write(path, body, p.id, kind);
      if (outlet) inOutlet(outlet, path);
      pairs.push({ a: base, b: path, same: true, kind });
    };
    // A synthetic outlet with its own boilerplate.
    const outlet = OUTLETS[i % OUTLETS.length]!;
    const related = Array.from({ length: 6 }, () => pick(headlines));
    variant(
      `${outlet.host}/${slug}.html`,
      outletPage(outlet, p.title, p.contentHtml, slug, related),
      'boilerplate',
      outlet,
    );
    // Text-only copy, headline re-cased.
    variant(`text-copies/${p.id}.txt`, `${recase(p.title)}\n\n${p.paragraphs.join('\n\n')}\n`, 'text-only');
    // Excerpt with a credit line, in another outlet.
    const excerptOutlet = OUTLETS[(i + 2) % OUTLETS.length]!;
    variant(
      `${excerptOutlet.host}/excerpt-${slug}.html`,
      outletPage(excerptOutlet, p.title, paragraphsHtml(excerpt(p)), `excerpt-${slug}`, related),
      'truncated',
      excerptOutlet,
    );
    // The original page in a legacy charset, on a mirror.
    const legacy = reencoded(p);
    variant(`mirror-archive/${p.id}.${legacy.charset}.html`, legacy.bytes, 'charset');
    // Light edits, in a third outlet.
    const editOutlet = OUTLETS[(i + 4) % OUTLETS.length]!;
    variant(
      `${editOutlet.host}/edited-${slug}.html`,
      outletPage(editOutlet, p.title, paragraphsHtml(lightlyEdited(p)), `edited-${slug}`, related),
      'light-edits',
      editOutlet,
    );
    i += 1;
  }
  // Two different stories in one outlet's template: consecutive stories of each outlet.
  const storyOf = new Map(docs.map((d) => [d.path, d.story]));
  for (const paths of byOutlet.values()) {
    for (let k = 1; k < paths.length; k += 1) {
      const a = paths[k - 1]!;
      const b = paths[k]!;
      if (storyOf.get(a) !== storyOf.get(b)) pairs.push({ a, b, same: false, kind: 'same-site' });
    }
  }
  writeFileSync(
    join(out, 'manifest.json'),
    `${JSON.stringify({ seed: Number(args.seed), docs }, null, 1)}\n`,
  );
  writeFileSync(join(out, 'pairs.jsonl'), `${pairs.map((p) => JSON.stringify(p)).join('\n')}\n`);
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  console.log(
    `${pages.length} usable pages, ${i} stories (${skipped.story} skipped: their own page is not extracted well), ` +
      `${docs.length} documents, ${pairs.length} pairs (${skipped.variant} variants skipped: the normalizer does not see the story in them) in ${out}`,
  );
  console.log(Object.fromEntries(counts));
}

main();
