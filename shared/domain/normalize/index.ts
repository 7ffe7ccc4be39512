/**
 * The normalize step's domain: one raw object (bytes + key + S3 metadata) to normalized
 * articles, or tagged rejections saying why not. Pure and synchronous: no I/O, no clock (the
 * caller passes `ingestedAt`), no environment.
 */
import { type Image, NORMALIZED_SCHEMA_VERSION, type NormalizedArticle } from '../article.ts';
import { articleIdFor, contentHashOf, normalizeUrl } from '../ids.ts';
import { type Rejected, rejected } from '../outcomes.ts';
import { decodeBytes } from './charset.ts';
import { toIsoDate } from './dates.ts';
import { extractHtml } from './html/index.ts';
import { detectLanguage } from './language.ts';
import { cleanScrapedText } from './scraped-text.ts';
import { extensionOf, gunzipCapped, isGzip, rejectBinary, sniffFormat, type TextFormat } from './sniff.ts';
import { cleanInline, countWords, joinParagraphs } from './text.ts';
import {
  DEFAULT_NORMALIZE_SETTINGS,
  type NormalizeItem,
  type NormalizeResult,
  type NormalizeSettings,
  type RawInput,
  sizeCapFor,
} from './types.ts';

export { decodeBytes } from './charset.ts';
export { toIsoDate } from './dates.ts';
export { extractHtml } from './html/index.ts';
export { cleanScrapedText } from './scraped-text.ts';
export * from './types.ts';

/** Everything an article is built from, whatever the input format. */
interface Parts {
  readonly title: string | null;
  readonly paragraphs: readonly string[];
  readonly byline: readonly string[];
  readonly publishedAt: string | null;
  readonly modifiedAt: string | null;
  readonly canonicalUrl: string | null;
  readonly siteName: string | null;
  readonly image: Image | null;
  readonly description: string | null;
  readonly jsonLdSections: readonly string[];
  readonly metaSections: readonly string[];
  readonly breadcrumbs: readonly string[];
  readonly sectionLine: string | null;
  readonly keywords: readonly string[];
}

interface Context {
  readonly input: RawInput;
  readonly settings: NormalizeSettings;
  readonly format: TextFormat;
  readonly charset: string;
}

const EMPTY_PARTS: Parts = {
  title: null,
  paragraphs: [],
  byline: [],
  publishedAt: null,
  modifiedAt: null,
  canonicalUrl: null,
  siteName: null,
  image: null,
  description: null,
  jsonLdSections: [],
  metaSections: [],
  breadcrumbs: [],
  sectionLine: null,
  keywords: [],
};

const unique = (values: readonly string[]): string[] => {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.toLowerCase();
    if (v === '' || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** Source name: the first path segment after `incoming/`. */
export function sourceOf(key: string): string {
  return /^incoming\/([^/]+)\//.exec(key)?.[1] ?? 'unknown';
}

function htmlParts(html: string, url: string | null): Parts {
  const { metadata, paragraphs, image } = extractHtml(html, url);
  return {
    ...metadata,
    paragraphs,
    image,
    sectionLine: null,
  };
}

function textParts(text: string, title: string | null): Parts {
  const scraped = cleanScrapedText(text, title);
  return {
    ...EMPTY_PARTS,
    title: scraped.title,
    paragraphs: scraped.paragraphs,
    byline: scraped.byline,
    publishedAt: scraped.publishedAt,
    image: scraped.image,
    sectionLine: scraped.sectionLine,
  };
}

function buildArticle(parts: Parts, ctx: Context, line: number): NormalizeItem {
  const { input, settings } = ctx;
  const text = joinParagraphs(parts.paragraphs);
  const wordCount = countWords(text);
  if (wordCount < settings.minWords) {
    return {
      ...rejected(
        'no-content',
        wordCount === 0
          ? 'No article text was found in the document.'
          : `Only ${wordCount} words of article text were found; at least ${settings.minWords} are needed.`,
      ),
      line,
    };
  }
  const sourceUrl = input.metadata['source-url'] ?? null;
  const canonicalUrl =
    normalizeUrl(parts.canonicalUrl ?? '') ?? (sourceUrl === null ? null : normalizeUrl(sourceUrl));
  const title = parts.title === null ? null : cleanInline(parts.title) || null;
  const sectionLine = parts.sectionLine ?? input.metadata.section ?? null;
  const crumbs = parts.breadcrumbs.filter((c) => title === null || c.toLowerCase() !== title.toLowerCase());
  const article: NormalizedArticle = {
    schemaVersion: NORMALIZED_SCHEMA_VERSION,
    id: articleIdFor({ canonicalUrl, rawKey: input.key, line }),
    title,
    text,
    byline: unique(parts.byline.map(cleanInline)),
    publishedAt: parts.publishedAt,
    modifiedAt: parts.modifiedAt,
    sectionLabels: unique([
      ...parts.jsonLdSections,
      ...parts.metaSections,
      ...(sectionLine === null ? [] : [sectionLine]),
      ...crumbs.slice(-1),
    ]),
    canonicalUrl,
    siteName: parts.siteName,
    language: detectLanguage(text),
    image: parts.image,
    description: parts.description,
    wordCount,
    format: ctx.format,
    charset: ctx.charset,
    contentHash: contentHashOf(text),
    hints: {
      jsonLdSections: [...parts.jsonLdSections],
      metaSections: [...parts.metaSections],
      breadcrumbs: crumbs,
      sectionLine,
      keywords: [...parts.keywords],
    },
    provenance: {
      rawKey: input.key,
      line,
      etag: input.etag,
      sequencer: input.sequencer,
      source: sourceOf(input.key),
      ingestedAt: input.ingestedAt,
    },
  };
  return { tag: 'article', line, article };
}

type JsonRecord = Readonly<Record<string, unknown>>;

const str = (record: JsonRecord, ...names: string[]): string | null => {
  for (const name of names) {
    const v = record[name];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
};

const strList = (record: JsonRecord, ...names: string[]): string[] => {
  for (const name of names) {
    const v = record[name];
    if (typeof v === 'string' && v.trim() !== '') return v.split(/\s*[,;]\s*/).filter((s) => s !== '');
    if (Array.isArray(v)) {
      return v
        .map((x) =>
          typeof x === 'string'
            ? x
            : typeof x === 'object' && x !== null && 'name' in x
              ? String(x.name)
              : '',
        )
        .filter((s) => s.trim() !== '');
    }
  }
  return [];
};

const STRING_FIELDS = ['url', 'title', 'html', 'text', 'publishedAt', 'section', 'source'] as const;

/** Why a record's known fields have the wrong types, or null when they are fine. */
function typeProblem(record: JsonRecord): string | null {
  const bad: string[] = STRING_FIELDS.filter(
    (f) => record[f] !== undefined && record[f] !== null && typeof record[f] !== 'string',
  );
  const authors = record.authors;
  if (authors !== undefined && authors !== null && typeof authors !== 'string' && !Array.isArray(authors))
    bad.push('authors');
  if (bad.length === 0) return null;
  return `The record's ${bad.map((f) => `\`${f}\``).join(', ')} must be ${bad.length === 1 ? 'a string' : 'strings'} (got ${bad.map((f) => describe(record[f])).join(', ')}).`;
}

const describe = (v: unknown): string =>
  Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** One JSON record (a `.json` file or a JSONL line): record fields win, extraction fills the rest. */
function recordItem(value: unknown, ctx: Context, line: number): NormalizeItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ...rejected(
        'invalid-record',
        `Expected a JSON object (one record) with \`html\` or \`text\`, got ${describe(value)}.`,
      ),
      line,
    };
  }
  const record = value as JsonRecord;
  const problem = typeProblem(record);
  if (problem !== null) return { ...rejected('invalid-record', problem), line };
  const url = str(record, 'url', 'canonicalUrl', 'canonical_url', 'link', 'source_url');
  const title = str(record, 'title', 'headline');
  const html = str(record, 'html', 'content_html', 'raw_html');
  const text = str(record, 'text', 'body', 'content', 'article', 'maintext');
  if (html === null && text === null) {
    return {
      ...rejected('invalid-record', 'The record has neither an `html` nor a `text` field with content.'),
      line,
    };
  }
  const extracted = html !== null ? htmlParts(html, url) : textParts(text ?? '', title);
  const section = str(record, 'section', 'category');
  const authors = strList(record, 'authors', 'author', 'byline');
  const parts: Parts = {
    ...extracted,
    title: title ?? extracted.title,
    canonicalUrl: url ?? extracted.canonicalUrl,
    byline: authors.length > 0 ? authors : extracted.byline,
    publishedAt:
      toIsoDate(str(record, 'publishedAt', 'published_at', 'datePublished', 'published', 'date')) ??
      extracted.publishedAt,
    siteName: extracted.siteName ?? str(record, 'source', 'siteName', 'site_name'),
    sectionLine: section ?? extracted.sectionLine,
  };
  return buildArticle(parts, ctx, line);
}

function jsonItems(text: string, ctx: Context): NormalizeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ...rejected('unparseable', `The file is not valid JSON (${(error as Error).message}).`),
      line: 0,
    };
  }
  if (Array.isArray(value)) {
    return {
      ...rejected(
        'invalid-record',
        'The file holds a JSON array; a .json upload is one record (an object). Upload many records as JSON Lines (.jsonl), one object per line.',
      ),
      line: 0,
    };
  }
  const item = recordItem(value, ctx, 0);
  return item.tag === 'article' ? { tag: 'items', items: [item] } : { ...item, line: 0 };
}

/** Lines of a batch file one call normalizes: the body's first line number and the window kept. */
export interface LineWindow {
  /** Real line number of the body's first line (1 for a whole file, a chunk's first line for a byte range). */
  readonly bodyFirstLine: number;
  readonly fromLine: number;
  readonly toLine: number;
}

/** Why a batch line is not read: too large for one record, or null when it may be parsed. */
const oversizedLine = (raw: string, line: number, settings: NormalizeSettings): NormalizeItem | null => {
  const lineBytes = Buffer.byteLength(raw, 'utf8');
  if (lineBytes <= settings.maxDocumentBytes) return null;
  return {
    ...rejected(
      'too-large',
      `Line ${line} is ${lineBytes} bytes; one record may be at most ${settings.maxDocumentBytes}.`,
    ),
    line,
  };
};

const overCap = (line: number, settings: NormalizeSettings): NormalizeItem => ({
  ...rejected(
    'too-large',
    `The batch holds more than ${settings.maxBatchRecords} records; lines from ${line} on were not read.`,
  ),
  line,
});

function lineItem(raw: string, line: number, ctx: Context): NormalizeItem {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return {
      ...rejected('unparseable', `Line ${line} is not valid JSON (${(error as Error).message}).`),
      line,
    };
  }
  return recordItem(value, ctx, line);
}

function jsonlItems(text: string, ctx: Context): NormalizeResult {
  const all = { bodyFirstLine: 1, fromLine: 1, toLine: Number.POSITIVE_INFINITY };
  const items = windowItems(text, ctx, all, ctx.settings.maxBatchRecords);
  if (items.length === 0) return { ...rejected('empty', 'The batch file holds no records.'), line: 0 };
  return { tag: 'items', items };
}

/**
 * The items of the lines in `window`. With `maxRecords`, the lines past that many records (an
 * oversized line is not one) are left out and reported as one rejected item; a chunk passes
 * none, the cap having been applied when its file was split.
 */
function windowItems(
  text: string,
  ctx: Context,
  window: LineWindow,
  maxRecords = Number.POSITIVE_INFINITY,
): NormalizeItem[] {
  const items: NormalizeItem[] = [];
  const lines = text.split('\n');
  const start = Math.max(0, window.fromLine - window.bodyFirstLine);
  const end = Math.min(lines.length, window.toLine - window.bodyFirstLine + 1);
  let records = 0;
  for (let i = start; i < end; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    const line = window.bodyFirstLine + i;
    const oversized = oversizedLine(raw, line, ctx.settings);
    if (oversized !== null) {
      items.push(oversized);
      continue;
    }
    if (++records > maxRecords) {
      items.push(overCap(line, ctx.settings));
      break;
    }
    items.push(lineItem(raw, line, ctx));
  }
  return items;
}

/** Real line numbers of one chunk of a batch file; `bytes` when it can be read on its own. */
export interface BatchChunk {
  /** First line of the chunk (1-based, inclusive). */
  readonly fromLine: number;
  /** Last line of the chunk (inclusive). */
  readonly toLine: number;
  /** Records (non-blank lines) in the chunk. */
  readonly records: number;
  /**
   * The chunk's bytes in the raw object, `end` exclusive: an S3 ranged GET reads exactly its
   * lines. Null when the object cannot be read in parts (gzip, UTF-16): the chunk then reads the
   * whole object and keeps its lines.
   */
  readonly bytes: { readonly start: number; readonly end: number } | null;
}

/** A batch file too large for one invocation, cut into chunks normalized independently. */
export interface BatchSplit {
  readonly tag: 'chunks';
  /** Charset the whole file was decoded with; each chunk reports it and decodes with it. */
  readonly charset: string;
  readonly chunks: readonly BatchChunk[];
  /** Lines rejected while splitting (the batch record cap), to be recorded by the caller. */
  readonly rejected: readonly NormalizeItem[];
}

/** Byte offset where each line starts (index 0 → line 1), or null when it does not match the text's lines. */
function lineStarts(bytes: Uint8Array, lineCount: number): number[] | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = [0];
  for (let at = buf.indexOf(0x0a); at >= 0; at = buf.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return starts.length === lineCount ? starts : null;
}

/**
 * Cut a JSONL text into chunks of `chunkRecords` records, or null when it holds no more than
 * that. Lines past the batch cap are left out and reported as one rejected item, as
 * {@link jsonlItems} does.
 */
function splitLines(
  text: string,
  raw: Uint8Array | null,
  ctx: Context,
  chunkRecords: number,
  always = false,
): BatchSplit | null {
  const lines = text.split('\n');
  const chunks: { fromLine: number; toLine: number; records: number }[] = [];
  const rejectedItems: NormalizeItem[] = [];
  let records = 0;
  let current: { fromLine: number; toLine: number; records: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '') continue;
    const line = i + 1;
    // Oversized lines ride in a chunk (which rejects them) without counting against the cap.
    const counts = Buffer.byteLength(trimmed, 'utf8') <= ctx.settings.maxDocumentBytes;
    if (counts && ++records > ctx.settings.maxBatchRecords) {
      rejectedItems.push(overCap(line, ctx.settings));
      break;
    }
    if (current === null || current.records >= chunkRecords) {
      current = { fromLine: line, toLine: line, records: 0 };
      chunks.push(current);
    }
    current.toLine = line;
    current.records += 1;
  }
  if (chunks.length <= 1 && rejectedItems.length === 0 && !always) return null;
  const starts = raw === null ? null : lineStarts(raw, lines.length);
  return {
    tag: 'chunks',
    charset: ctx.charset,
    rejected: rejectedItems,
    chunks: chunks.map((c) => ({
      ...c,
      bytes:
        starts === null
          ? null
          : { start: starts[c.fromLine - 1] ?? 0, end: starts[c.toLine] ?? raw?.byteLength ?? 0 },
    })),
  };
}

const fileRejected = (r: Rejected): NormalizeResult => ({ ...r, line: 0 });

/** A raw object decoded and sniffed, ready for its format's reader. */
interface Prepared {
  readonly text: string;
  readonly ctx: Context;
  /** The undecoded bytes when they are the object itself (not gunzipped): lines can be located in them. */
  readonly rangeable: Uint8Array | null;
}

/** The checks and decoding every format shares; a whole-file rejection when they fail. */
function prepare(
  input: RawInput,
  settings: NormalizeSettings,
  charset: string | null = null,
): Prepared | NormalizeResult {
  let bytes = input.body;
  if (bytes.byteLength === 0) return fileRejected(rejected('empty', 'The file is empty (0 bytes).'));
  const cap = sizeCapFor(input.key, settings);
  const gzipped = isGzip(bytes);
  if (gzipped) {
    const unzipped = gunzipCapped(bytes, cap);
    if (!(unzipped instanceof Uint8Array)) return fileRejected(unzipped);
    bytes = unzipped;
    if (bytes.byteLength === 0)
      return fileRejected(rejected('empty', 'The gzip file decompresses to nothing.'));
  }
  if (bytes.byteLength > cap) {
    return fileRejected(
      rejected('too-large', `The document is ${bytes.byteLength} bytes; the limit is ${cap}.`),
    );
  }
  // A chunk's file passed these checks as a whole; its lines are judged one by one.
  const binary = charset === null ? rejectBinary(bytes) : null;
  if (binary !== null) return fileRejected(binary);
  // A chunk decodes with the charset its whole file was decoded with (declared, so a part that
  // happens to be valid UTF-8 still reads the same).
  const decoded = decodeBytes(bytes, charset === null ? input.contentType : `text/plain; charset=${charset}`);
  if (decoded.text.trim() === '') return fileRejected(rejected('empty', 'The file holds only whitespace.'));
  const format = charset === null ? sniffFormat(decoded.text, extensionOf(input.key)) : 'jsonl';
  if (typeof format !== 'string') return fileRejected(format);
  // Newline bytes are line ends only in ASCII-compatible encodings.
  const rangeable = gzipped || decoded.charset.startsWith('utf-16') ? null : bytes;
  return {
    text: decoded.text,
    ctx: { input, settings, format, charset: charset ?? decoded.charset },
    rangeable,
  };
}

const isResult = (p: Prepared | NormalizeResult): p is NormalizeResult => 'tag' in p;

function itemsOf({ text, ctx }: Prepared): NormalizeResult {
  const { input } = ctx;
  switch (ctx.format) {
    case 'html':
      return {
        tag: 'items',
        items: [buildArticle(htmlParts(text, input.metadata['source-url'] ?? null), ctx, 0)],
      };
    case 'text':
      return { tag: 'items', items: [buildArticle(textParts(text, null), ctx, 0)] };
    case 'json':
      return jsonItems(text, ctx);
    case 'jsonl':
      return jsonlItems(text, ctx);
  }
}

/**
 * Normalize one raw object. Returns the articles it holds (a batch file yields one item per
 * line, bad lines as rejected items) or the whole file rejected with a reason a person can act on.
 */
export function normalizeDocument(
  input: RawInput,
  settings: NormalizeSettings = DEFAULT_NORMALIZE_SETTINGS,
): NormalizeResult {
  const prepared = prepare(input, settings);
  return isResult(prepared) ? prepared : itemsOf(prepared);
}

/**
 * {@link normalizeDocument}, except that a batch file of more than `chunkRecords` records (when given) is not
 * normalized here but cut into chunks of that many records, each to be normalized on its own
 * with {@link normalizeBatchChunk} (so no single call has to get through a huge batch).
 */
export function normalizeOrSplit(
  input: RawInput,
  settings: NormalizeSettings = DEFAULT_NORMALIZE_SETTINGS,
  chunkRecords?: number,
): NormalizeResult | BatchSplit {
  const prepared = prepare(input, settings);
  if (isResult(prepared)) return prepared;
  if (prepared.ctx.format === 'jsonl' && chunkRecords !== undefined) {
    const split = splitLines(prepared.text, prepared.rangeable, prepared.ctx, Math.max(1, chunkRecords));
    if (split !== null) return split;
  }
  return itemsOf(prepared);
}

/**
 * The chunks {@link normalizeOrSplit} cuts a batch file into (one chunk when it is small), without
 * normalizing anything: what recovery compares with the lines already recorded. Null when the
 * object is not a batch file (or is rejected as a whole).
 */
export function planBatchChunks(
  input: RawInput,
  settings: NormalizeSettings,
  chunkRecords: number,
): BatchSplit | null {
  const prepared = prepare(input, settings);
  if (isResult(prepared) || prepared.ctx.format !== 'jsonl') return null;
  return splitLines(prepared.text, prepared.rangeable, prepared.ctx, Math.max(1, chunkRecords), true);
}

/** Which part of a batch file {@link normalizeBatchChunk} is given and which lines it keeps. */
export interface ChunkWindow extends LineWindow {
  /** The charset the whole file was decoded with ({@link BatchSplit.charset}). */
  readonly charset: string;
}

/**
 * Normalize lines `fromLine`..`toLine` of a batch file, numbered as in the whole file. `input.body`
 * is either those lines' bytes (a ranged read) or the whole object, gzipped or not.
 */
export function normalizeBatchChunk(
  input: RawInput,
  settings: NormalizeSettings,
  window: ChunkWindow,
): NormalizeResult {
  const prepared = prepare(input, settings, window.charset);
  if (isResult(prepared)) return prepared;
  return { tag: 'items', items: windowItems(prepared.text, prepared.ctx, window) };
}
