/** What a raw object is, judged by its bytes first and its name second. */
import { gunzipSync } from 'node:zlib';
import { type Rejected, rejected } from '../outcomes.ts';

export type TextFormat = 'html' | 'text' | 'json' | 'jsonl';

const SIGNATURES: readonly (readonly [bytes: readonly number[], offset: number, what: string])[] = [
  [[0x25, 0x50, 0x44, 0x46], 0, 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 0, 'a PNG image'],
  [[0xff, 0xd8, 0xff], 0, 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 0, 'a GIF image'],
  [[0x57, 0x45, 0x42, 0x50], 8, 'a WebP image'],
  [[0x66, 0x74, 0x79, 0x70], 4, 'an MP4/MOV video or HEIC image'],
  [[0x49, 0x44, 0x33], 0, 'an MP3 audio file'],
  [[0x4f, 0x67, 0x67, 0x53], 0, 'an Ogg audio/video file'],
  [[0x50, 0x4b, 0x03, 0x04], 0, 'a ZIP archive (or an Office/EPUB document)'],
  [[0x52, 0x61, 0x72, 0x21], 0, 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 0, 'a 7-Zip archive'],
  [[0x42, 0x5a, 0x68], 0, 'a bzip2 archive'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 0, 'an xz archive'],
  [[0x28, 0xb5, 0x2f, 0xfd], 0, 'a zstd archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 0, 'an executable (ELF)'],
  [[0x4d, 0x5a], 0, 'a Windows executable'],
  [[0xd0, 0xcf, 0x11, 0xe0], 0, 'a legacy Office document'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 0, 'an RTF document'],
  [[0x00, 0x61, 0x73, 0x6d], 0, 'a WebAssembly module'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 0, 'an SQLite database'],
];

const startsWith = (bytes: Uint8Array, sig: readonly number[], offset: number): boolean =>
  sig.every((b, i) => bytes[offset + i] === b);

/** True for gzip data (magic bytes 1f 8b). */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** The file extension of a key without `.gz`, lower case (`page.HTML.gz` → `html`). */
export function extensionOf(key: string): string {
  const name = key.toLowerCase().replace(/\.gz$/, '');
  const dot = name.lastIndexOf('.');
  return dot < 0 || dot < name.lastIndexOf('/') ? '' : name.slice(dot + 1);
}

/** Gunzip with a cap on the decompressed size (a small gzip bomb must not exhaust memory). */
export function gunzipCapped(bytes: Uint8Array, maxBytes: number): Uint8Array | Rejected {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return rejected('too-large', `The gzip data decompresses to more than the ${maxBytes}-byte limit.`);
    }
    return rejected('unparseable', `The gzip data is corrupt or truncated (${(error as Error).message}).`);
  }
}

/** A rejection for bytes that are certainly not text (known binary formats, control bytes), else null. */
export function rejectBinary(bytes: Uint8Array): Rejected | null {
  for (const [sig, offset, what] of SIGNATURES) {
    if (startsWith(bytes, sig, offset)) {
      return rejected(
        'unsupported-format',
        `The file is ${what}, not HTML, text or JSON; only articles in those formats are read.`,
      );
    }
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return null;
  const head = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of head)
    if (b === 0 || (b < 0x09 && b !== 0) || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  if (control > head.length * 0.01 + 1) {
    return rejected(
      'unsupported-format',
      'The file holds binary data, not HTML, text or JSON; only articles in those formats are read.',
    );
  }
  return null;
}

const HTML_START =
  /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|span|h[1-6]|table|header|link|script|style|!--)\b/i;

/** Which text format a decoded document is, or a rejection for formats we do not read. */
export function sniffFormat(text: string, extension: string): TextFormat | Rejected {
  const start = text.slice(0, 4096).trimStart();
  if (start.startsWith('<?xml')) {
    if (/<html\b/i.test(start)) return 'html';
    const root = /<(rss|feed|svg|urlset|sitemapindex)\b/i.exec(start)?.[1];
    return rejected(
      'unsupported-format',
      `The file is an XML document${root === undefined ? '' : ` (<${root.toLowerCase()}>)`}, not an article in HTML, text or JSON.`,
    );
  }
  if (HTML_START.test(start)) return 'html';
  if (start.startsWith('{') || start.startsWith('[')) {
    if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
    const firstLine = start.split('\n', 1)[0]?.trim() ?? '';
    // Several lines each holding a whole object is JSON Lines whatever the extension says.
    if (firstLine.startsWith('{') && firstLine.endsWith('}') && /\n\s*\{/.test(text.slice(0, 1_000_000))) {
      try {
        JSON.parse(firstLine);
        return 'jsonl';
      } catch {
        return 'json';
      }
    }
    return 'json';
  }
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  if (
    (extension === 'html' || extension === 'htm' || extension === 'xhtml') &&
    /<(?:p|div|br|body|html)\b/i.test(start)
  ) {
    return 'html';
  }
  return 'text';
}
