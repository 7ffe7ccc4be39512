/**
 * Scraped text (what a crawler saved as plain text) to one article. Such files typically hold a
 * section label line, the headline, a photo caption with its credit, the article, a "Comments"
 * line, sometimes the whole article again, then a teaser for an unrelated story, often in
 * another language. Each of those is recognised by its shape, not by outlet.
 */
import type { Image } from '../article.ts';
import { isFurniture, TERMINATOR } from './boilerplate.ts';
import { toIsoDate } from './dates.ts';
import { confidentLanguage, detectLanguage } from './language.ts';
import { cleanInline, splitParagraphs } from './text.ts';

export interface ScrapedArticle {
  readonly title: string | null;
  readonly sectionLine: string | null;
  readonly byline: readonly string[];
  readonly publishedAt: string | null;
  readonly image: Image | null;
  readonly paragraphs: readonly string[];
}

// "Photo: REUTERS", "Foto: dpa", "(Photo : AFP)", "Bild: Keystone", "Credit: Getty Images", "© Reuters".
const CREDIT =
  /(?<=^|[\s.(|/–—-])\(?\s*(?:photo(?:graph)?s?|pictures?|images?|illustration|foto(?:s|grafía|grafia)?|bild(?:er)?|crédit(?:s)?(?: photo)?|credits?|photo credit|imagen|immagine|quelle|source)\s?:\s*([^():]{2,80}?)\)?\s*$/i;
const COPYRIGHT = /(?<=^|\s)(?:©|\(c\)|copyright)\s*([^©]{2,80}?)\s*$/i;

const BYLINE = /^(?:by|von|par|por|di|door|av|af)\s+(\p{Lu}[\p{L}.'’-]*(?:\s+[\p{L}.'’-]+){0,8})$/iu;
const DATE_LINE =
  /^(?:published|updated|posted|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato)?\s*(?:on|am|le|el|il)?\s*:?\s*(.{6,60})$/i;

const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;
const key = (text: string): string => cleanInline(text).toLowerCase();

/** A section label: a few capitalised words, no sentence punctuation. */
function isLabel(block: string): boolean {
  return (
    block.length <= 40 && words(block) <= 4 && !/[.!?;:,"“”]$/.test(block) && /^[\p{Lu}\p{Lo}\d]/u.test(block)
  );
}

/** A headline: one line, not too long, not a sentence-ending paragraph of body text. */
function isTitle(block: string): boolean {
  return block.length <= 250 && words(block) <= 30 && (words(block) < 6 || !/[.]$/.test(block));
}

/** Split a caption block ending in a credit into caption and credit; null when it has no credit. */
export function splitCaption(block: string): { caption: string; credit: string } | null {
  if (words(block) > 70) return null;
  const match = CREDIT.exec(block) ?? COPYRIGHT.exec(block);
  if (match === null) return null;
  const credit = cleanInline(match[1] ?? '').replace(/[.)\s]+$/, '');
  const caption = cleanInline(block.slice(0, match.index)).replace(/[\s(|/–—-]+$/, '');
  if (credit === '' || words(credit) > 8) return null;
  return { caption, credit };
}

function scriptOf(text: string): string {
  const counts = new Map<string, number>();
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    // ASCII needs no Unicode property lookups, and most text is mostly ASCII.
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) counts.set('latin', (counts.get('latin') ?? 0) + 1);
      continue;
    }
    const script = /\p{Script=Latin}/u.test(ch)
      ? 'latin'
      : /\p{Script=Cyrillic}/u.test(ch)
        ? 'cyrillic'
        : /\p{Script=Greek}/u.test(ch)
          ? 'greek'
          : /\p{Script=Arabic}/u.test(ch)
            ? 'arabic'
            : /\p{Script=Hebrew}/u.test(ch)
              ? 'hebrew'
              : /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(ch)
                ? 'cjk'
                : /\p{L}/u.test(ch)
                  ? 'other'
                  : null;
    if (script !== null) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  let best = 'none';
  let bestCount = 0;
  for (const [script, count] of counts) {
    if (count > bestCount) {
      best = script;
      bestCount = count;
    }
  }
  return best === 'other'
    ? `other:${[...text]
        .find((c) => /\p{L}/u.test(c))
        ?.codePointAt(0)
        ?.toString(16)}`
    : best;
}

/** Drop trailing blocks written in another language or script than the article (teasers for other stories). */
function dropForeignTail(paragraphs: string[]): string[] {
  const language = detectLanguage(paragraphs.join('\n'));
  const script = scriptOf(paragraphs.join(' '));
  const kept = [...paragraphs];
  while (kept.length > 1) {
    const last = kept[kept.length - 1]!;
    const foreignScript = scriptOf(last) !== script;
    const lang = confidentLanguage(last);
    const foreignLanguage = lang !== null && language !== null && lang !== language;
    if (!foreignScript && !foreignLanguage) break;
    kept.pop();
  }
  return kept;
}

/**
 * Turn scraped text into one article. `knownTitle` (from a JSON record) is used as the title and
 * removed from the body when the text repeats it.
 */
export function cleanScrapedText(text: string, knownTitle: string | null = null): ScrapedArticle {
  const blocks = splitParagraphs(text).filter((b) => !isFurniture(b));
  const seen = new Set<string>();
  let title = knownTitle === null ? null : cleanInline(knownTitle);
  if (title !== null) seen.add(key(title));
  let sectionLine: string | null = null;
  const byline: string[] = [];
  let publishedAt: string | null = null;
  let image: Image | null = null;
  const body: string[] = [];

  let i = 0;
  // Header: section line, headline, byline, date; in that order when present.
  if (
    title === null &&
    blocks.length >= 3 &&
    isLabel(blocks[0]!) &&
    isTitle(blocks[1]!) &&
    words(blocks[1]!) > words(blocks[0]!)
  ) {
    sectionLine = blocks[0]!;
    seen.add(key(sectionLine));
    i = 1;
  }
  if (title === null && i < blocks.length - 1 && isTitle(blocks[i]!) && splitCaption(blocks[i]!) === null) {
    title = blocks[i]!;
    seen.add(key(title));
    i++;
  }
  for (; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (body.length > 0 && TERMINATOR.test(block)) break;
    if (TERMINATOR.test(block)) continue;
    const k = key(block);
    if (seen.has(k)) continue;
    seen.add(k);
    const caption = splitCaption(block);
    if (caption !== null) {
      image ??= {
        url: null,
        caption: caption.caption === '' ? null : caption.caption,
        credit: caption.credit,
      };
      continue;
    }
    if (body.length === 0) {
      const by = BYLINE.exec(block);
      if (by !== null) {
        byline.push(
          ...(by[1] ?? '').split(/\s*(?:,|\band\b|\bund\b|\bet\b|\by\b|\be\b|&)\s*/i).filter((n) => n !== ''),
        );
        continue;
      }
      const dateText = DATE_LINE.exec(block)?.[1];
      const date = words(block) <= 8 ? toIsoDate(dateText ?? null) : null;
      if (date !== null && publishedAt === null) {
        publishedAt = date;
        continue;
      }
    }
    body.push(block);
  }
  const paragraphs = body.length > 1 ? dropForeignTail(body) : body;
  return { title, sectionLine, byline, publishedAt, image, paragraphs };
}
