/** JSON-LD blocks of a page, read leniently: the metadata reader and the text extractor share them. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** True for a JSON object (not an array, not null). */
export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as a list: itself when it is one, else a one-item list (none for null or undefined). */
export const asList = (v: Json | undefined): Json[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];

function flattenJsonLd(value: Json, out: JsonObject[], depth = 0): void {
  if (depth > 6) return;
  for (const item of asList(value)) {
    if (!isObject(item)) continue;
    out.push(item);
    if (item['@graph'] !== undefined) flattenJsonLd(item['@graph'], out, depth + 1);
    if (isObject(item.mainEntity)) flattenJsonLd(item.mainEntity, out, depth + 1);
  }
}

/**
 * The objects of one `<script type="application/ld+json">` block, `@graph` and `mainEntity`
 * flattened in; none when it does not parse.
 */
export function parseJsonLd(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  try {
    flattenJsonLd(JSON.parse(text.trim().replace(/^<!--|-->$/g, '')) as Json, out);
  } catch {
    // Broken JSON-LD is common (trailing commas, raw newlines); the other sources still apply.
  }
  return out;
}
