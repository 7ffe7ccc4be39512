/**
 * The plain-text form web pages are collected in before `scripts/import-web-pages.ts` turns
 * them into stems (see that script's header for the form).
 */

export interface RawRecord {
  readonly file: string;
  readonly url: string;
  readonly language: string;
  readonly label: string;
  readonly why: string;
  readonly title: string;
  readonly text: string;
}

const HEADER_KEYS = ['language', 'label', 'why', 'title'];

/** Parse one collected file; a malformed record is reported with its file and line, not guessed at. */
export function parseRecords(file: string, content: string): { records: RawRecord[]; malformed: string[] } {
  const records: RawRecord[] = [];
  const malformed: string[] = [];
  const unknown: string[] = [];
  const lines = content.split(/\r?\n/).map((line) => line.trimEnd());
  let at = 0;
  while (at < lines.length) {
    if (!lines[at]!.startsWith('=== ')) {
      at += 1;
      continue;
    }
    const start = at;
    const url = lines[at]!.slice(4).trim();
    const header = new Map<string, string>();
    at += 1;
    while (at < lines.length && lines[at] !== '---' && !lines[at]!.startsWith('=== ')) {
      const m = lines[at]!.match(/^(\w+):\s*(.*)$/);
      if (m && HEADER_KEYS.includes(m[1]!)) header.set(m[1]!, m[2]!.trim());
      else if (lines[at]!.trim() !== '') unknown.push(`${file}:${at + 1}: not a header line`);
      at += 1;
    }
    if (unknown.length > 0) {
      malformed.push(...unknown.splice(0));
      continue;
    }
    if (lines[at] !== '---') {
      malformed.push(`${file}:${start + 1}: no --- line`);
      continue;
    }
    at += 1;
    const body: string[] = [];
    while (at < lines.length && !lines[at]!.startsWith('=== ')) body.push(lines[at++]!);
    const missing = HEADER_KEYS.filter((k) => !header.has(k));
    if (missing.length > 0 || !/^https?:\/\//.test(url)) {
      malformed.push(
        `${file}:${start + 1}: ${missing.length > 0 ? `missing ${missing.join(', ')}` : 'no URL'}`,
      );
      continue;
    }
    records.push({
      file,
      url,
      language: header.get('language')!,
      label: header.get('label')!,
      why: header.get('why')!,
      title: header.get('title')!,
      text: body.join('\n').trim(),
    });
  }
  return { records, malformed };
}

/** Host and path, lower case, without scheme, `www.`, query, fragment or trailing slash. */
export function urlKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}
