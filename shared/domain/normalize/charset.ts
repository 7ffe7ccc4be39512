/**
 * Bytes to text. Order of trust: byte-order mark, then valid UTF-8 (a page that decodes as UTF-8
 * is UTF-8 whatever it declares), then the declared charset (HTTP content type, `<meta>`, XML
 * declaration), then statistical detection. A page declared UTF-8 but written in windows-1252
 * fails UTF-8 validation and is detected; undeclared GBK or Shift_JIS likewise.
 */
import chardet from 'chardet';

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

/**
 * Decode with the runtime's own decoders (WHATWG Encoding, ICU in Node and Lambda): GBK,
 * Shift_JIS, Big5, EUC-KR, the windows-125x and ISO-8859 families… without shipping tables
 * in the bundle (iconv-lite's would add ≈ 480 KB).
 */
const decodeAs = (bytes: Uint8Array, charset: string): string => {
  const text = new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
  // Node 20 decodes windows-1252 as Latin-1, leaving 0x80–0x9F as C1 controls: map them.
  return charset === 'windows-1252'
    ? text.replace(/[\u0080-\u009F]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c)
    : text;
};

// windows-1252 bytes 0x80–0x9F (undefined positions keep their C1 code point).
const CP1252_C1 = [
  '€',
  '\u0081',
  '‚',
  'ƒ',
  '„',
  '…',
  '†',
  '‡',
  'ˆ',
  '‰',
  'Š',
  '‹',
  'Œ',
  '\u008D',
  'Ž',
  '\u008F',
  '\u0090',
  '‘',
  '’',
  '“',
  '”',
  '•',
  '–',
  '—',
  '˜',
  '™',
  'š',
  '›',
  'œ',
  '\u009D',
  'ž',
  'Ÿ',
];

const supported = (name: string): string | null => {
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return null;
  }
};

/** Canonical lower-case name the runtime can decode, or null for an unknown label. */
export function canonicalCharset(label: string): string | null {
  const lower = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const name = ALIASES[lower] ?? lower;
  return supported(name) === null ? null : name;
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
    return { text: decodeAs(bytes.subarray(2), 'utf-16le'), charset: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: decodeAs(bytes.subarray(2), 'utf-16be'), charset: 'utf-16be' };
  }
  return null;
}

/** Valid UTF-8 multi-byte sequences and invalid bytes in `bytes`. */
function utf8Census(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n > 1) valid++;
    else if (n === 0) invalid++;
    i += Math.max(n, 1);
  }
  return { valid, invalid };
}

/** Length of the valid UTF-8 sequence at `i` (1 for ASCII), or 0 when the byte starts none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > bytes.length) return 0;
  for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

const CP1252_HIGH = decodeAs(
  Uint8Array.from({ length: 128 }, (_, i) => i + 128),
  'windows-1252',
);
const CP1252_BYTE = new Map([...CP1252_HIGH].map((ch, i) => [ch, i + 128]));

/** Encode text as windows-1252 bytes, or null when a character has no byte there. */
function encodeCp1252(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const byte = code < 0x80 ? code : CP1252_BYTE.get(text[i]!);
    if (byte === undefined) return null;
    out[i] = byte;
  }
  return out;
}

/**
 * Pages assembled from UTF-8 and windows-1252 parts (a template in one, the article in the
 * other): valid UTF-8 sequences are read as UTF-8, every other byte as windows-1252.
 */
function decodeMixed(bytes: Uint8Array): string {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (start < i) out.push(utf8Lossy.decode(bytes.subarray(start, i)));
    out.push(CP1252_HIGH[bytes[i]! - 128] ?? '');
    i++;
    start = i;
  }
  if (start < bytes.length) out.push(utf8Lossy.decode(bytes.subarray(start)));
  return out.join('');
}

// UTF-8 read as windows-1252 and saved again as UTF-8 ("VerÃ¶ffentlichung", "itâ€™s").
const DOUBLE_ENCODED =
  /[\u00C2-\u00DF][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u203A\u20AC\u2122]|[\u00E0-\u00EF][\u0080-\u00BF\u0152-\u2122]{2}/g;

/** Undo double encoding when the text shows it repeatedly; single chance matches are left alone. */
export function repairDoubleEncoding(text: string): string {
  const matches = text.match(DOUBLE_ENCODED);
  if (matches === null || matches.length < 3) return text;
  return text.replace(DOUBLE_ENCODED, (m) => {
    const bytes = encodeCp1252(m);
    if (bytes === null) return m;
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return m;
    }
  });
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
    return { text: repairDoubleEncoding(utf8Strict.decode(bytes)), charset: 'utf-8' };
  } catch {
    // not valid UTF-8: fall through to the declared charset, then detection
  }
  const declaredLabel = contentTypeCharset(contentType) ?? declaredCharset(bytes);
  const declared = declaredLabel === null ? null : canonicalCharset(declaredLabel);
  const census = utf8Census(bytes);
  // Both valid UTF-8 and stray high bytes: a mixed page, not a wholly mislabelled one. Declared
  // windows-1252 text almost never forms UTF-8 sequences by chance; undeclared CJK bytes do, so
  // there UTF-8 must dominate.
  const mixed =
    declared === 'windows-1252'
      ? census.valid >= 3
      : (declared === null || declared === 'utf-8') && census.valid >= 3 && census.valid >= census.invalid;
  if (mixed) {
    return {
      text: repairDoubleEncoding(decodeMixed(bytes)),
      charset: census.valid >= census.invalid ? 'utf-8' : 'windows-1252',
    };
  }
  if (declared !== null && declared !== 'utf-8') {
    return { text: decodeAs(bytes, declared), charset: declared };
  }
  const detected = detect(bytes) ?? 'windows-1252';
  return { text: decodeAs(bytes, detected), charset: detected };
}
