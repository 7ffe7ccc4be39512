/**
 * Bytes to text. Order of trust: byte-order mark, then valid UTF-8 (a page that decodes as UTF-8
 * is UTF-8 whatever it declares), then the declared charset (HTTP content type, `<meta>`, XML
 * declaration), then statistical detection. A page declared UTF-8 but written in windows-1252
 * fails UTF-8 validation and is detected; undeclared GBK or Shift_JIS likewise.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

export interface Decoded {
  readonly text: string;
  /** Lower-case charset name the bytes were decoded with. */
  readonly charset: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// Browsers treat these labels as windows-1252 (WHATWG Encoding), and pages rely on it: "latin-1"
// pages use curly quotes from the 0x80–0x9F range.
const ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252',
  iso88591: 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  gb2312: 'gbk',
  'x-gbk': 'gbk',
  'iso-8859-9': 'windows-1254',
  'ks_c_5601-1987': 'euc-kr',
  'tis-620': 'windows-874',
  unicode: 'utf-16le',
  utf8: 'utf-8',
};

/** Canonical lower-case name iconv-lite knows, or null for an unknown label. */
export function canonicalCharset(label: string): string | null {
  const lower = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const name = ALIASES[lower] ?? lower;
  return iconv.encodingExists(name) ? name : null;
}

/** Charset declared inside the document: `<meta charset>`, `<meta http-equiv>`, or XML declaration. */
export function declaredCharset(bytes: Uint8Array): string | null {
  // Declarations must sit near the top (HTML spec: first 1024 bytes); allow more for sloppy pages.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString(
    'latin1',
  );
  const meta =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

/** Charset parameter of an HTTP content type, if any. */
export function contentTypeCharset(contentType: string | null): string | null {
  if (contentType === null) return null;
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ?? null;
}

const isAscii = (bytes: Uint8Array): boolean => {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
};

function decodeWithBom(bytes: Uint8Array): Decoded | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: utf8Lossy.decode(bytes.subarray(3)), charset: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), charset: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), charset: 'utf-16be' };
  }
  return null;
}

/** True when almost all non-ASCII sequences are valid UTF-8 (a page with one stray byte is still UTF-8). */
function mostlyUtf8(bytes: Uint8Array): boolean {
  const text = utf8Lossy.decode(bytes);
  let bad = 0;
  let good = 0;
  for (const ch of text) {
    if (ch === '\uFFFD') bad++;
    else if (ch.charCodeAt(0) >= 0x80) good++;
  }
  return good >= 20 && bad * 50 < good;
}

function detect(bytes: Uint8Array): string | null {
  // Detection over the first 256 KB is as good as over the whole page and bounds the work.
  const sample = bytes.subarray(0, 256 * 1024);
  for (const match of chardet.analyse(sample)) {
    const name = canonicalCharset(match.name);
    if (name !== null && !name.startsWith('utf-16') && !name.startsWith('utf-32')) return name;
  }
  return null;
}

/**
 * Decode `bytes` to a string, choosing the charset as described at the top of this module.
 * `contentType` is the HTTP/S3 content type when known.
 */
export function decodeBytes(bytes: Uint8Array, contentType: string | null = null): Decoded {
  const bom = decodeWithBom(bytes);
  if (bom !== null) return bom;
  if (isAscii(bytes)) return { text: utf8Lossy.decode(bytes), charset: 'utf-8' };
  try {
    return { text: utf8Strict.decode(bytes), charset: 'utf-8' };
  } catch {
    // not valid UTF-8: fall through to the declared charset, then detection
  }
  const declaredLabel = contentTypeCharset(contentType) ?? declaredCharset(bytes);
  const declared = declaredLabel === null ? null : canonicalCharset(declaredLabel);
  if (declared !== null && declared !== 'utf-8') {
    return { text: iconv.decode(Buffer.from(bytes), declared), charset: declared };
  }
  if (mostlyUtf8(bytes)) return { text: utf8Lossy.decode(bytes), charset: 'utf-8' };
  const detected = detect(bytes) ?? 'windows-1252';
  return { text: iconv.decode(Buffer.from(bytes), detected), charset: detected };
}
