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

function jsonlItems(text: string, ctx: Context): NormalizeResult {
  const items: NormalizeItem[] = [];
  const lines = text.split('\n');
  let records = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    const line = i + 1;
    const lineBytes = Buffer.byteLength(raw, 'utf8');
    if (lineBytes > ctx.settings.maxDocumentBytes) {
      items.push({
        ...rejected(
          'too-large',
          `Line ${line} is ${lineBytes} bytes; one record may be at most ${ctx.settings.maxDocumentBytes}.`,
        ),
        line,
      });
      continue;
    }
    if (++records > ctx.settings.maxBatchRecords) {
      items.push({
        ...rejected(
          'too-large',
          `The batch holds more than ${ctx.settings.maxBatchRecords} records; lines from ${line} on were not read.`,
        ),
        line,
      });
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      items.push({
        ...rejected('unparseable', `Line ${line} is not valid JSON (${(error as Error).message}).`),
        line,
      });
      continue;
    }
    items.push(recordItem(value, ctx, line));
  }
  if (items.length === 0) return { ...rejected('empty', 'The batch file holds no records.'), line: 0 };
  return { tag: 'items', items };
}

const fileRejected = (r: Rejected): NormalizeResult => ({ ...r, line: 0 });

/**
 * Normalize one raw object. Returns the articles it holds (a batch file yields one item per
 * line, bad lines as rejected items) or the whole file rejected with a reason a person can act on.
 */
export function normalizeDocument(
  input: RawInput,
  settings: NormalizeSettings = DEFAULT_NORMALIZE_SETTINGS,
): NormalizeResult {
  let bytes = input.body;
  if (bytes.byteLength === 0) return fileRejected(rejected('empty', 'The file is empty (0 bytes).'));
  const cap = sizeCapFor(input.key, settings);
  if (isGzip(bytes)) {
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
  const binary = rejectBinary(bytes);
  if (binary !== null) return fileRejected(binary);
  const { text, charset } = decodeBytes(bytes, input.contentType);
  if (text.trim() === '') return fileRejected(rejected('empty', 'The file holds only whitespace.'));
  const format = sniffFormat(text, extensionOf(input.key));
  if (typeof format !== 'string') return fileRejected(format);
  const ctx: Context = { input, settings, format, charset };
  switch (format) {
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
