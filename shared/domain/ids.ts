/**
 * Identity of articles: the stable article id, canonical URL normalization and the content hash
 * that exact-duplicate detection keys on. Pure functions over node:crypto (available in Lambda).
 */
import { createHash } from 'node:crypto';

/** Query parameters that only track the click, never select the content. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'ocid',
  'cmpid',
  'ito',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
  'ns_fee',
  'sr_share',
  'smid',
  'spm',
  'share',
  'ref_src',
  'ref_url',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
]);

const isTrackingParam = (name: string): boolean => {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
};

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Normalize a URL for identity: lower-case scheme and host, no fragment, no default port, no
 * tracking parameters; everything else (path case, parameter order) is kept because it may
 * select the content. Returns null for anything that is not an absolute http(s) URL.
 */
export function normalizeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  // URL already lower-cases scheme and host and drops default ports; rebuild the query by hand so
  // the order of the remaining parameters is exactly the outlet's.
  const kept = parsed.search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(decodeURIComponentSafe(pair.split('=')[0] ?? '')));
  parsed.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return parsed.toString();
}

const decodeURIComponentSafe = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** What the content hash is computed over: NFC, lower-cased, whitespace collapsed. */
export function textForHash(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** sha256 (hex) of {@link textForHash}: equal for texts that differ only in case or spacing. */
export function contentHashOf(text: string): string {
  return sha256Hex(textForHash(text));
}

/**
 * Stable article id (32 hex chars): from the normalized canonical URL when known, else from the
 * raw key and the 1-based line within a batch file (0 for single documents).
 */
export function articleIdFor(input: {
  readonly canonicalUrl: string | null;
  readonly rawKey: string;
  readonly line: number;
}): string {
  const url = input.canonicalUrl === null ? null : normalizeUrl(input.canonicalUrl);
  const basis = url === null ? `raw:${input.rawKey}#${input.line}` : `url:${url}`;
  return sha256Hex(basis).slice(0, 32);
}
