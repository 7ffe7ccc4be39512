/** Text hygiene shared by every format: Unicode NFC, odd whitespace, paragraphs. */

// Zero-width and formatting characters that carry no text (soft hyphen, ZWSP, ZWNJ/ZWJ outside
// scripts that need them are kept: ZWNJ/ZWJ matter in Persian and Indic scripts).
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF\u180E]/gu;
// Every horizontal space variant (NBSP, thin, ideographic, …) and control characters become a space.
const ODD_SPACE =
  /[\t\v\f\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u0000-\u0008\u000E-\u001F\u007F-\u009F]/gu;

// Unpaired surrogates (from escaped JSON) are not text and break UTF-8 encoders downstream.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** One line of text: NFC, invisible characters dropped, whitespace collapsed, trimmed. */
export function cleanInline(text: string): string {
  return text
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(ODD_SPACE, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Join paragraphs into article text: each cleaned, empties dropped, one blank line between. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs
    .map(cleanInline)
    .filter((p) => p !== '')
    .join('\n\n');
}

/** Split free text into paragraphs at blank lines (or at every line when it has no blank lines). */
export function splitParagraphs(text: string): string[] {
  const unified = text.replace(/\r\n?/g, '\n').replace(/\u2028|\u2029/g, '\n');
  const hasBlankLines = /\n[ \t\u00A0]*\n/.test(unified);
  const parts = hasBlankLines ? unified.split(/\n[ \t\u00A0]*\n+/) : unified.split('\n');
  return parts.map(cleanInline).filter((p) => p !== '');
}

/** Words in a text, counting CJK/Thai characters as words (they are written without spaces). */
export function countWords(text: string): number {
  const spaced = text.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’\-.]*/gu) ?? [];
  let count = 0;
  for (const token of spaced) {
    const dense = token.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gu);
    count += dense === null ? 1 : Math.max(1, Math.round(dense.length / 1.5));
  }
  return count;
}
