/**
 * Page metadata from the markup outlets publish for search engines and social networks:
 * JSON-LD (schema.org), OpenGraph / article:* / Dublin Core / twitter meta, `<link
 * rel=canonical>`, `<time>`, microdata (`itemprop`), byline elements, and the `<title>` / `<h1>`.
 */
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { decodeHTML } from 'entities';
import { isFurniture, TERMINATOR } from '../boilerplate.ts';
import { toIsoDate } from '../dates.ts';
import { cleanInline } from '../text.ts';
import { attr, elements, textOf } from './dom.ts';
import { asList, isObject, type Json, type JsonObject, parseJsonLd } from './json-ld.ts';

export interface PageMetadata {
  readonly title: string | null;
  readonly byline: readonly string[];
  readonly publishedAt: string | null;
  /** Calendar day of publication as the outlet wrote it (its own time zone), `YYYY-MM-DD`. */
  readonly publishedDay: string | null;
  readonly modifiedAt: string | null;
  readonly canonicalUrl: string | null;
  readonly siteName: string | null;
  readonly description: string | null;
  readonly imageUrl: string | null;
  readonly jsonLdSections: readonly string[];
  readonly metaSections: readonly string[];
  readonly breadcrumbs: readonly string[];
  readonly keywords: readonly string[];
  /** `<html lang>` primary subtag, a hint only (language is detected from the text). */
  readonly declaredLanguage: string | null;
  /** The title is, holds or is held by one of the page's first <h1>–<h3>s. */
  readonly titleInHeadings: boolean;
}

const ARTICLE_TYPES =
  /^(?:Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|ReviewNewsArticle|BlogPosting|LiveBlogPosting|SocialMediaPosting|TechArticle|ScholarlyArticle|Report|WebPage|ItemPage|Review|Recipe|HowTo|VideoObject|Episode|PodcastEpisode|QAPage|CreativeWork)$/;

const typesOf = (o: JsonObject): string[] =>
  asList(o['@type']).filter((t): t is string => typeof t === 'string');

// CMSs often write JSON-LD strings HTML-escaped ("&#8222;Zitat&#8220;", "Olive &#038; Herb").
const fromLd = (s: string): string => cleanInline(s.includes('&') ? decodeHTML(s) : s);

/** Strings out of a JSON-LD value: a string, a `{name}` object, or a list of them. */
function names(v: Json | undefined): string[] {
  const out: string[] = [];
  for (const item of asList(v)) {
    if (typeof item === 'string') out.push(item);
    else if (isObject(item)) {
      const name = item.name ?? item['@value'];
      if (typeof name === 'string') out.push(name);
      else if (isObject(item.item) && typeof item.item.name === 'string') out.push(item.item.name);
    }
  }
  return out.map(fromLd).filter((s) => s !== '');
}

const firstString = (v: Json | undefined): string | null => {
  for (const item of asList(v)) {
    if (typeof item === 'string' && item.trim() !== '') return item;
    if (isObject(item)) {
      const url = item.url ?? item['@id'];
      if (typeof url === 'string') return url;
    }
  }
  return null;
};

// " | Site", " - Site", " — Site", " :: Site", " » Site": the site part of a <title>.
const TITLE_SEPARATOR = /\s*\|\s*|\s+(?:[•·»«/]{1,2}|::|[–—-])\s+/;
const HARD_SEPARATOR = /[|•·»«/:]/;

const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** True when `part` names the site: its name, or its domain ("jan-grosser.de", "Spiegel Online"). */
function namesSite(part: string, siteName: string | null, host: string | null): boolean {
  const p = squash(part);
  if (p.length < 2) return false;
  // The part is the name (or the name plus a word or two: "Spiegel Online", "heise online").
  const matches = (name: string) =>
    name.length >= 3 &&
    ((name.includes(p) && p.length >= name.length * 0.5) ||
      (p.includes(name) && p.length <= name.length * 1.6));
  if (siteName !== null && matches(squash(siteName))) return true;
  return host !== null && matches(squash(host.replace(/^www\d?\./, '').replace(/\.[a-z]{2,}$/i, '')));
}

// Separators that set off a site name only, never split a headline: a spaced colon ("Muffin
// Grundrezept : Muffin Rezepte") before a part naming the site, or, in Chinese and Japanese
// titles, an unspaced dash, underscore or bar before a short last part ("…城！-新华网").
const SPACED_COLON = /\s+:\s+/;
const CJK_SITE_SUFFIX =
  /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}！？。」』）》])\s*[-_|｜]\s*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{L}]{2,6}$/u;

function siteSuffixGone(title: string, siteName: string | null, host: string | null): string {
  const cjk = title.replace(CJK_SITE_SUFFIX, '');
  if (cjk !== title && cjk.length >= 4) return cjk;
  const parts = title.split(SPACED_COLON);
  if (parts.length !== 2) return title;
  const [first, last] = parts as [string, string];
  if (namesSite(last, siteName, host)) return first;
  return namesSite(first, siteName, host) ? last : title;
}

/**
 * The `<title>` without its site-name part. A part naming the site goes; failing that, a hard
 * separator (" | ", " · ") splits off the shorter side, while a dash is kept (it is often part
 * of the headline: "Leasing oder Finanzierung – was lohnt sich mehr?").
 */
function stripSiteName(title: string, siteName: string | null, host: string | null): string {
  const parts = title.split(TITLE_SEPARATOR);
  if (parts.length < 2) return siteSuffixGone(title, siteName, host);
  const kept = parts.filter((p) => !namesSite(p, siteName, host));
  if (kept.length > 0 && kept.length < parts.length)
    return title.includes(kept.join(' - '))
      ? kept.join(' - ')
      : kept.reduce((a, b) => (b.length > a.length ? b : a));
  const separators = title.match(new RegExp(TITLE_SEPARATOR.source, 'g')) ?? [];
  if (!separators.some((sep) => HARD_SEPARATOR.test(sep))) {
    // Dashes only: trailing parts that read like a name ("- Ferienvilla in Florida", "- News")
    // go; a continuation of the sentence ("– was lohnt sich mehr?") stays.
    const kept = [...parts];
    while (kept.length > 1) {
      const last = kept[kept.length - 1]!;
      if (!/^[\p{Lu}\p{N}]/u.test(last) || /[?!.…"“”»]$/.test(last) || last.split(/\s+/).length > 5) break;
      kept.pop();
    }
    return kept.length === parts.length
      ? title
      : title.slice(0, title.indexOf(kept[kept.length - 1]!) + kept[kept.length - 1]!.length);
  }
  const first = parts[0] ?? title;
  const last = parts[parts.length - 1] ?? title;
  return first.length >= last.length ? first : last;
}

const HEADLINE_HINT =
  /(?:^|[\s_-])(?:headline|entry-title|post-title|post__title|article-title|article__title|article-headline|story-title|title-post|single-title|page-title)(?:$|[\s_-])/i;

const isBlank = (node: AnyNode): boolean => isText(node) && node.data.trim() === '';
const isBreak = (node: AnyNode | undefined): boolean =>
  node !== undefined && isTag(node) && node.name === 'br';

interface HeadingParts {
  readonly parts: readonly string[];
  /**
   * False when bare text before a line break counts as a part: then only a part the title
   * metadata names exactly is taken ("Story<br><small>date • tags</small>"); a line broken in
   * the middle of the headline is otherwise kept whole.
   */
  readonly strict: boolean;
  /** The first part is an element classed as a kicker (`kicker`, `overline`, `dachzeile`, …). */
  readonly kicker: boolean;
}

// Class or id words outlets give the line set above a headline.
const KICKER_HINT =
  /(?:^|[\s_-])(?:kicker|overline|over-line|eyebrow|topline|top-line|roofline|dachzeile|spitzmarke|surtitre|antetitulo|supertitle|super-title|pretitle|pre-title)(?:$|[\s_-])/i;

/**
 * Texts of a heading's children (kicker, headline, subtitle), when it has several: element
 * children and the bare text between them (`<small>Kicker</small><br> Headline`). A lone wrapper
 * (`<a>`, `<span itemprop=headline>`, `<div>`) is looked through.
 */
function headingParts(el: Element): HeadingParts {
  let node: Element = el;
  for (let depth = 0; depth < 4; depth++) {
    const kids = node.children.filter((c) => !isBlank(c));
    const only = kids[0];
    if (kids.length !== 1 || only === undefined || !isTag(only) || isBreak(only)) break;
    node = only;
  }
  const children = node.children.filter((c) => !isBlank(c));
  const parts: string[] = [];
  let strict = true;
  let kicker = false;
  for (const [i, child] of children.entries()) {
    if (isBreak(child)) continue;
    const text = cleanInline(isText(child) ? child.data : isTag(child) ? textOf(child) : '');
    if (text === '') continue;
    // Bare text is a headline of its own only when a line break or the heading's end sets it
    // apart and it starts like one; otherwise it continues a sentence around inline markup
    // ("<b>Ehezoff</b> der Pochers…").
    const startsHeadline = /^[\p{Lu}\p{N}"„“«'‚]/u.test(text);
    const closes = children.slice(i + 1).every(isBreak);
    const apart = closes || isBreak(children[i + 1]) || isBreak(children[i - 1]);
    if (isText(child) && !(startsHeadline && apart)) return { parts: [], strict: true, kicker: false };
    if (isText(child) && !closes) strict = false;
    if (parts.length === 0 && isTag(child))
      kicker =
        KICKER_HINT.test(`${attr(child, 'class') ?? ''} ${attr(child, 'id') ?? ''}`) ||
        child.name === 'small' ||
        /(?:^|\s)small(?:$|\s)/i.test(attr(child, 'class') ?? '');
    parts.push(text);
  }
  return { parts, strict, kicker };
}

/** An `<h1>` that is the site's logo: it links to the home page or holds only an image. */
function isLogoHeading(el: Element, pageUrl: string | null): boolean {
  for (const a of elements(el)) {
    // A named anchor (`<a id="top"></a>`) links nowhere.
    const raw = attr(a, 'href');
    if (a.name !== 'a' || raw === null) continue;
    const href = raw.trim();
    if (href === '/' || href === './' || href === '') return true;
    // A home page behind an archive or proxy prefix (`…/web/2014…/http://www.site.de/`), when
    // the link is the whole heading.
    if (/https?:\/\/[^/?#]+\/?$/i.test(href) && cleanInline(textOf(a)) === cleanInline(textOf(el)))
      return true;
    try {
      const u = new URL(href, pageUrl ?? undefined);
      if ((u.pathname === '/' || u.pathname === '') && (pageUrl === null || new URL(pageUrl).host === u.host))
        return true;
    } catch {
      // not a URL: not a home link
    }
  }
  return false;
}

const DATE_HINT =
  /(?:^|[\s_-])(?:date|dates|datum|fecha|data|time|timestamp|published|publish|pubdate|posted|post-?date|entry-date|entry-meta|post-meta|article-meta|meta-date|article-date|dateline|updated|created|submitted)(?:$|[\s_-])/i;

const DATE_IN_TEXT =
  /\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(?:\.|st|nd|rd|th|er)?\s+(?:de\s+)?\p{L}{3,10}\.?,?\s+(?:de\s+)?\d{4}\b|\b\p{L}{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\/\d{1,2}\/\d{4}\b/u;
const NO_DATES_IN = new Set([
  'script',
  'style',
  'noscript',
  'nav',
  'footer',
  'aside',
  'select',
  'option',
  'template',
]);

// A label that makes the date shown under the headline the update ("Aktualisiert: 11.04.2020").
const UPDATE_LABEL =
  /(?:^|[^\p{L}])(?:updated|last updated|last modified|aktualisiert|zuletzt geändert|letzte änderung|stand|mis à jour|modifié|actualizado|actualización|aggiornato)(?:$|[^\p{L}])/iu;
// How far (characters of text) after the headline a date still belongs to the article's header.
const HEADER_CHARS = 800;
// A shown date this much later than the metadata's is the update the outlet presents.
const UPDATE_WINDOW_DAYS = 60;

interface ShownDates {
  /** Dates in short text nodes after the headline (first three), then before it. */
  readonly all: readonly string[];
  /** The first date within HEADER_CHARS of text after the headline: the one readers see. */
  readonly header: string | null;
  /** The header date is labelled as an update. */
  readonly updated: boolean;
}

/** The headline element: the heading whose text is the chosen title, else the first `<h1>`. */
function headlineElement(doc: Document, title: string | null): Element | undefined {
  const headings = elements(doc).filter((el) => /^h[1-3]$/.test(el.name));
  return (
    (title === null ? undefined : headings.find((el) => cleanInline(textOf(el)) === title)) ??
    headings.find((el) => el.name === 'h1')
  );
}

/**
 * Dates written in the page text (bylines, datelines), for pages whose metadata has none or
 * disagrees with what the page shows.
 */
function textDates(doc: Document, title: string | null): ShownDates {
  const before: string[] = [];
  const after: string[] = [];
  let seenH1 = false;
  const anchor = headlineElement(doc, title);
  let pastHeadline = false;
  let header: string | null = null;
  let label = '';
  let charsAfter = 0;
  let previous = '';
  // `null` marks the end of the headline element.
  const stack: (AnyNode | null)[] = [...doc.children].reverse();
  let budget = 200_000;
  while (stack.length > 0 && after.length < 3 && budget-- > 0) {
    const node = stack.pop()!;
    if (node === null) {
      pastHeadline = true;
      continue;
    }
    if (isText(node)) {
      const text = node.data;
      const trimmed = text.trim();
      if (pastHeadline) charsAfter += trimmed.length;
      const head = text.length < 150 ? text : text.slice(0, 60);
      if (DATE_IN_TEXT.test(head)) {
        (seenH1 ? after : before).push(head);
        if (pastHeadline && header === null && charsAfter <= HEADER_CHARS) {
          header = head;
          label = `${previous} ${head}`;
        }
      }
      if (trimmed !== '') previous = trimmed.slice(-40);
      continue;
    }
    if (!isTag(node) || NO_DATES_IN.has(node.name)) continue;
    if (node.name === 'h1') seenH1 = true;
    // The headline's own words may hold a date ("Tagung (26. 2. 2015)"); an element that wraps
    // more than the headline (kicker, byline, date) is read from its start.
    if (node === anchor) {
      if (title !== null && cleanInline(textOf(node)) !== title) pastHeadline = true;
      else stack.push(null);
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return { all: [...after, ...before.slice(0, 3)], header, updated: UPDATE_LABEL.test(label) };
}

const SCRIPT_DATE =
  /["'](?:datePublished|publishedDate|published_at|publishDate|pubDate|publicationDate|date_published|firstPublished|publishedAt|published_time)["']\s*:\s*["']([^"']{8,40})["']/;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The publication day as the outlet shows it. A timestamp written in UTC near midnight may fall
 * on the neighbouring local day: a date shown on the page within a day of it decides.
 */
function localDay(raw: string, iso: string, visible: readonly string[]): string {
  const written = dayAsWritten(raw) ?? iso.slice(0, 10);
  if (!/(?:T|\s)\d{1,2}:\d{2}.*(?:Z|[+-]00:?00|UTC|GMT)\s*$/i.test(raw.trim())) return written;
  // Exactly 21:00, 22:00 or 23:00 UTC is a day-only date stored as local midnight east of UTC.
  if (/(?:T|\s)2[123]:00(?::00(?:\.0+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)\s*$/i.test(raw.trim()))
    return new Date(Date.parse(`${written}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const at = Date.parse(`${written}T00:00:00Z`);
  for (const v of visible) {
    const shown = toIsoDate(v);
    if (shown === null) continue;
    if (/\d:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(v.trim())) {
      // A zoned timestamp on the page (`<time datetime>`) decides only when it is the same
      // moment; otherwise it belongs to another story (a teaser, a comment).
      if (Math.abs(Date.parse(shown) - Date.parse(iso)) > HOUR_MS) continue;
      return dayAsWritten(v) ?? written;
    }
    const delta = Math.abs(Date.parse(shown.slice(0, 10)) - at);
    if (delta === DAY_MS) return shown.slice(0, 10);
    if (delta === 0) return written;
  }
  return written;
}

/** The calendar day a date string names in its own time zone (`2020-04-07T22:10-04:00` → 2020-04-07). */
function dayAsWritten(raw: string): string | null {
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(raw);
  return iso === null ? null : `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
}

const looksLikeUrl = (s: string): boolean => /^https?:\/\//i.test(s) || s.startsWith('/');

const BYLINE_HINT =
  /(?:^|[\s_-])(?:byline|author|autor|auteur|writer|journalist|reporter|by-?line|article-?author|post-?author|entry-?author)(?:$|[\s_-]|name|s\b)/i;

/** Clean an author string: drop "By", dates, roles; split lists. */
export function splitAuthors(raw: string): string[] {
  const text = cleanInline(raw)
    .replace(/^(?:by|von|par|por|di|door|de|av|af|written by|text|texte)\s*:?\s+/i, '')
    .replace(
      /\s*[|,]?\s*(?:updated|published|posted|aktualisiert|veröffentlicht|publié|mis à jour)\b.*$/i,
      '',
    )
    .replace(/\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}.*$/, '');
  if (text === '' || text.length > 120 || looksLikeUrl(text)) return [];
  return text
    .split(/\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&|\|)\s*/i)
    .map((n) => n.trim())
    .filter((n) => n.length > 1 && n.split(/\s+/).length <= 6 && !/^\d/.test(n) && !/@/.test(n));
}

const longest = (values: readonly string[]): string | undefined =>
  values.reduce<string | undefined>((a, b) => (a === undefined || b.length > a.length ? b : a), undefined);

/** Most (80 %) of a heading's words, five or more, are in the other text. */
function sharesWords(heading: string, other: string): boolean {
  const words = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const mine = words(heading);
  const theirs = new Set(words(other));
  return mine.length >= 5 && mine.filter((w) => theirs.has(w)).length >= mine.length * 0.8;
}

const unique = (values: readonly string[]): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const k = v.toLowerCase();
    if (v !== '' && !seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
};

/** Read every metadata source once, then choose per field by trust. */
export function readMetadata(doc: Document, pageUrl: string | null): PageMetadata {
  const meta = new Map<string, string[]>();
  const ld: JsonObject[] = [];
  let titleTag: string | null = null;
  let canonical: string | null = null;
  let htmlLang: string | null = null;
  const h1s: string[] = [];
  const logoH1s = new Set<string>();
  const h1Parts = new Map<string, HeadingParts>();
  const headlines: string[] = [];
  const subheadings: string[] = [];
  const blockHeadlines: string[] = [];
  let blockTries = 0;
  // Every <h1>–<h3> in document order (capped), to find the headings next to the headline.
  const headingEls: { readonly el: Element; readonly text: string }[] = [];
  const dateTexts: string[] = [];
  const scriptDates: string[] = [];
  const times: string[] = [];
  const itemprops = new Map<string, string[]>();
  const bylineTexts: string[] = [];
  const crumbs: string[] = [];

  const addMeta = (k: string, v: string) => {
    const list = meta.get(k);
    if (list === undefined) meta.set(k, [v]);
    else list.push(v);
  };

  for (const el of elements(doc)) {
    switch (el.name) {
      case 'html':
        htmlLang = attr(el, 'lang') ?? attr(el, 'xml:lang');
        break;
      case 'meta': {
        const k = (attr(el, 'property') ?? attr(el, 'name') ?? attr(el, 'itemprop') ?? '')
          .toLowerCase()
          .trim();
        const v = attr(el, 'content');
        if (k !== '' && v !== null && v.trim() !== '') addMeta(k, v.trim());
        break;
      }
      case 'title':
        titleTag ??= cleanInline(textOf(el));
        break;
      case 'link':
        if ((attr(el, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical'))
          canonical ??= attr(el, 'href');
        break;
      case 'script': {
        const type = (attr(el, 'type') ?? '').toLowerCase();
        if (type.includes('ld+json')) {
          const found = parseJsonLd(textOf(el));
          ld.push(...found);
          // Unparseable JSON-LD (a stray comma, a raw newline) still names its dates.
          const date = found.length === 0 ? SCRIPT_DATE.exec(textOf(el))?.[1] : undefined;
          if (date !== undefined && scriptDates.length < 3) scriptDates.push(date);
        } else if (scriptDates.length < 3 && !type.includes('template')) {
          // App state (Next.js, Shopify, review widgets) often carries the article's dates.
          const found = SCRIPT_DATE.exec(textOf(el).slice(0, 500_000));
          if (found?.[1] !== undefined) scriptDates.push(found[1]);
        }
        break;
      }
      case 'h1':
      case 'h2':
      case 'h3': {
        const text = cleanInline(textOf(el));
        if (text === '') break;
        if (el.name === 'h1' && h1s.length < 5 && !h1s.includes(text)) {
          h1s.push(text);
          h1Parts.set(text, headingParts(el));
          if (isLogoHeading(el, pageUrl)) logoH1s.add(text);
        }
        if (el.name !== 'h1' && subheadings.length < 60) subheadings.push(text);
        if (headingEls.length < 80) headingEls.push({ el, text });
        if (
          headlines.length < 3 &&
          HEADLINE_HINT.test(
            `${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''} ${attr(el, 'itemprop') ?? ''}`,
          )
        ) {
          headlines.push(text);
          if (!h1Parts.has(text)) h1Parts.set(text, headingParts(el));
        }
        break;
      }
      case 'div':
      case 'p':
      case 'span':
      case 'strong':
        // A headline set in a classed block rather than a heading (`<div class="l-headline">`).
        if (
          blockHeadlines.length < 3 &&
          blockTries < 10 &&
          HEADLINE_HINT.test(`${attr(el, 'class') ?? ''} ${attr(el, 'itemprop') ?? ''}`)
        ) {
          blockTries++;
          const text = cleanInline(textOf(el));
          if (text.length >= 10 && text.length <= 200) blockHeadlines.push(text);
        }
        break;
      case 'time': {
        const dt = attr(el, 'datetime') ?? cleanInline(textOf(el));
        // A <time> marked as the modification is not a publication date.
        const modified =
          /datemodified/i.test(attr(el, 'itemprop') ?? '') ||
          (/\bupdated\b/.test(attr(el, 'class') ?? '') && !/\bpublished\b/.test(attr(el, 'class') ?? ''));
        if (dt !== '' && times.length < 10 && !modified) times.push(dt);
        break;
      }
    }
    const prop = attr(el, 'itemprop');
    if (prop !== null && el.name !== 'meta') {
      const v = attr(el, 'content') ?? attr(el, 'datetime') ?? cleanInline(textOf(el));
      for (const p of prop.toLowerCase().split(/\s+/)) {
        const list = itemprops.get(p) ?? [];
        if (list.length < 5 && v.length < 300) list.push(v);
        itemprops.set(p, list);
      }
    }
    const hint = `${attr(el, 'class') ?? ''} ${attr(el, 'rel') ?? ''}`;
    if (dateTexts.length < 10 && DATE_HINT.test(`${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`)) {
      const text = cleanInline(textOf(el));
      if (text.length >= 6 && text.length < 150) dateTexts.push(text);
    }
    if (bylineTexts.length < 5 && BYLINE_HINT.test(hint) && !/avatar|image|img|photo|bio|box/i.test(hint)) {
      const text = cleanInline(textOf(el));
      if (text.length > 2 && text.length < 120) bylineTexts.push(text);
    }
    if (crumbs.length === 0 && /breadcrumb/i.test(`${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`)) {
      const labels: string[] = [];
      for (const a of elements(el))
        if (a.name === 'a' || a.name === 'li') labels.push(cleanInline(textOf(a)));
      crumbs.push(...unique(labels.filter((l) => l !== '' && l.length < 60)));
    }
  }

  const m = (...keys: string[]): string | null => {
    for (const k of keys) {
      const v = meta.get(k)?.[0];
      if (v !== undefined) return cleanInline(v);
    }
    return null;
  };
  const articles = ld.filter((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t)));
  // Prefer the most specific type: a NewsArticle over the WebPage that wraps it.
  articles.sort((a, b) => Number(typesOf(a).includes('WebPage')) - Number(typesOf(b).includes('WebPage')));
  const ldField = (k: string): Json | undefined => articles.find((o) => o[k] !== undefined)?.[k];
  const ldString = (k: string): string | null => {
    const v = ldField(k);
    return typeof v === 'string' ? fromLd(v) : null;
  };

  const host = (() => {
    try {
      return pageUrl === null ? null : new URL(pageUrl).host;
    } catch {
      return null;
    }
  })();
  // Title: the page's own headline (h1) when metadata confirms it, else metadata, else <title>.
  const metaTitles = [
    ldString('headline'),
    m('og:title'),
    m('twitter:title'),
    m('title', 'dc.title', 'headline'),
  ].filter((t): t is string => t !== null);
  // The site's name, unless the field holds the story's title (some CMSs fill og:site_name or
  // application-name with the page title).
  const siteName =
    [
      m('og:site_name'),
      m('application-name'),
      m('twitter:site'),
      names(ldField('publisher'))[0],
      names(
        ld.filter((o) =>
          typesOf(o).some((t) => t === 'WebSite' || t === 'Organization' || t === 'NewsMediaOrganization'),
        ),
      )[0],
      // The logo heading names the site when no field does (a plain name, not "Section - Site").
      [...logoH1s].find((l) => l.length <= 60 && !TITLE_SEPARATOR.test(l)),
    ].find(
      (n): n is string =>
        n !== null &&
        n !== undefined &&
        !metaTitles.some((t) => t.length > 10 && squash(n).includes(squash(t))),
    ) ?? null;

  const strippedTag = titleTag === null ? null : stripSiteName(titleTag, siteName, host);
  // A heading the title fields start with, or that they or the <title> contain.
  // Compared without case, punctuation or quote style (’ and ', „“ and "): fields are often
  // typed differently from the heading.
  const confirms = (h: string) => {
    const k = squash(h);
    const fields = metaTitles.map(squash).filter((t) => t !== '');
    return (
      k !== '' &&
      (fields.some((t) => t.startsWith(k) || k.startsWith(t) || t.includes(k)) ||
        (strippedTag !== null && squash(strippedTag).includes(k)))
    );
  };
  // A lone <h1> is the headline unless it is the site's name (a logo heading); several <h1>s
  // (logo, teasers) need metadata to tell which one is the article's.
  const isSiteName = (h: string) =>
    siteName !== null &&
    (h.toLowerCase() === siteName.toLowerCase() || siteName.toLowerCase().includes(h.toLowerCase()));
  // A headline element holding a kicker ("Tunesien", "Covid-19:") or a standfirst next to the
  // headline proper: the part the title metadata repeats is the headline.
  const withoutKicker = (h: string): string => {
    const own = h1Parts.get(h) ?? { parts: [], strict: true, kicker: false };
    // A plain copy of the headline (in a breadcrumb, a second layout) may be marked up with its
    // kicker elsewhere on the page: that copy tells the kicker apart.
    const { parts, strict, kicker } =
      own.parts.length >= 2
        ? own
        : (headingEls
            .filter((e) => squash(e.text) === squash(h))
            .map((e) => headingParts(e.el))
            .find((p) => p.kicker && p.parts.length >= 2) ?? own);
    if (parts.length < 2) return h;
    // The part a title field names exactly is the headline.
    const named = parts.find((p) => metaTitles.some((t) => squash(t) === squash(p)));
    if (named !== undefined) return named;
    // A first part the outlet marks up as a kicker is not the headline.
    // (A screen-reader separator after it, `<span class="visually-hidden"> - </span>`, goes too.)
    if (kicker && strict) {
      const rest = parts
        .slice(1)
        .filter((p) => /[\p{L}\p{N}]/u.test(p))
        .join(' ');
      if (rest !== '') return rest;
    }
    if (!strict) return h;
    const titles = [...metaTitles, titleTag ?? ''].map(squash);
    const repeated = parts.filter((p) => p.length > 3 && titles.some((t) => t.includes(squash(p))));
    const best = repeated.reduce((a, b) => (b.length > a.length ? b : a), '');
    // A short repeated part is a word set in inline markup (`<em>`), not the headline proper.
    return best.length < h.length * 0.4 ? h : best;
  };
  const usable = (h: string) =>
    !TERMINATOR.test(h) && !isFurniture(h) && h.length > 3 && !isSiteName(h) && !logoH1s.has(h);
  // A lone short <h1> ("News", "Brasília", "ICON Magazine") is a section or brand label unless
  // the page's title metadata repeats it; a page without title metadata has only a generic
  // <title> to set against it, and the <h1> wins. For headline-class headings the <title>
  // stands in only when there is no title metadata: its first part is often the section
  // ("News - Eawag") while og:title names the story.
  const confirmsLoosely = (h: string) => {
    const k = squash(h);
    return (metaTitles.length > 0 ? metaTitles : [strippedTag ?? '']).some((t) => squash(t).includes(k));
  };
  const lone =
    h1s.length === 1 &&
    usable(h1s[0]!) &&
    (h1s[0]!.split(/\s+/).length > 2 || metaTitles.length === 0 || confirmsLoosely(h1s[0]!))
      ? h1s[0]!
      : null;
  const metaTitle = metaTitles[0] === undefined ? null : stripSiteName(metaTitles[0], siteName, host);
  const headline =
    lone ??
    // Several <h1>s the title fields name ("Zoll online - Fachmeldungen - Story"): the longest,
    // section labels are short.
    longest(h1s.filter((h) => usable(h) && confirms(h))) ??
    // An <h1> whose words the <title> holds, reworded ("Wellaflex – Schnell … mit dem 10-in-1
    // Trockenshampoo" in "The Insiders - Schnell … mit dem neuen Wellaflex 10-in-1 Trockenshampoo").
    h1s.find((h) => usable(h) && sharesWords(h, titleTag ?? '')) ??
    // Headline-class headings (several on pages listing teasers): one the metadata repeats,
    // else a subheading that is the title metadata as shown (its own case and quotes), else
    // the first.
    headlines.find((h) => usable(h) && confirmsLoosely(h)) ??
    subheadings.find(
      (h) =>
        usable(h) &&
        [...metaTitles, strippedTag ?? ''].some(
          (t) =>
            squash(t) === squash(h) ||
            (t.toLowerCase().startsWith(h.toLowerCase()) &&
              // "Story | Site", "Story - Site", or a bracketed issue or date ending the field
              // ("Story (2021/5)").
              /^\s+(?:(?:\||[–—-])\s|\([^()]{1,30}\)$)/.test(t.slice(h.length))),
        ),
    ) ??
    headlines.find(usable) ??
    null;
  // A heading that is the title metadata plus a separator and more ("Story | Site", a hidden
  // site suffix) is the title metadata.
  const withoutSuffix = (h: string): string => {
    const t = metaTitles.find((t) => t.length < h.length && h.toLowerCase().startsWith(t.toLowerCase()));
    if (t !== undefined && /^\s*(?:\||::|[–—»·•-]\s)/.test(h.slice(t.length))) return h.slice(0, t.length);
    // Mirrored: a kicker, a hard separator, then the title metadata ("Zitat" / Story).
    const end = metaTitles.find(
      (t) => t.length > 10 && t.length < h.length && h.toLowerCase().endsWith(t.toLowerCase()),
    );
    return end !== undefined && /\s(?:\/|\||[–—])\s*$/.test(h.slice(0, h.length - end.length))
      ? h.slice(h.length - end.length)
      : h;
  };
  // Candidate agreement: the heading right before or after the headline wins when more title
  // fields name it (or a part of it) exactly than name the headline: letters and digits
  // compared, case kept, each field without the parts that name the site (a screen-reader copy
  // of the whole <title> does not count).
  const exact = (t: string): string => t.replace(/[^\p{L}\p{N}]/gu, '');
  const fieldKeys = [
    ldString('headline'),
    m('og:title'),
    m('twitter:title'),
    m('title', 'dc.title', 'headline'),
    titleTag,
  ].map((t) =>
    t === null
      ? ''
      : exact(
          t
            .split(TITLE_SEPARATOR)
            .filter((p) => !namesSite(p, siteName, host))
            .join(' '),
        ),
  );
  const votes = (t: string): number => {
    const k = exact(t);
    return k === '' ? 0 : fieldKeys.filter((f) => f === k).length;
  };
  const agreedNeighbour = (heading: string, current: string): string | null => {
    const at = headingEls.findIndex((h) => h.text === heading);
    if (at < 0) return null;
    let best: string | null = null;
    let bestVotes = Math.max(votes(current), votes(heading));
    for (const n of [headingEls[at + 1], headingEls[at - 1]]) {
      // A repeat of the headline (a second layout's copy) is no other candidate.
      if (n === undefined || exact(n.text) === exact(heading) || !usable(n.text)) continue;
      const { parts } = headingParts(n.el);
      const texts = parts.length > 1 ? [n.text, ...parts] : [n.text];
      // Fields naming the heading or one of its parts (a kicker named by the JSON-LD headline
      // and the headline by og:title both vouch for the heading).
      const v = fieldKeys.filter((f) => f !== '' && texts.some((t) => exact(t) === f)).length;
      if (v <= bestVotes) continue;
      // As for the headline, the part a field names is the title (the longest: a field may name
      // the kicker too).
      best = longest(texts.slice(1).filter((p) => votes(p) > 0)) ?? n.text;
      bestVotes = v;
    }
    return best;
  };
  // No <h1> and no title metadata: the <title> is all there is to go by, and it often carries a
  // section or site part ("Verein - Ausbildung"); the first <h2>/<h3> holding one of its parts as
  // whole words is the page's own headline.
  const titleSubheading = (): string | null => {
    if (titleTag === null || metaTitles.length > 0 || h1s.some(usable)) return null;
    const parts = titleTag
      .split(TITLE_SEPARATOR)
      .map((p) => p.toLowerCase().trim())
      .filter((p) => /[\p{L}\p{N}]{3}/u.test(p));
    const holds = (h: string, p: string): boolean => {
      const at = h.indexOf(p);
      return (
        at >= 0 && !/[\p{L}\p{N}]/u.test(h.charAt(at - 1)) && !/[\p{L}\p{N}]/u.test(h.charAt(at + p.length))
      );
    };
    return (
      subheadings.find((h) => usable(h) && parts.some((p) => holds(h.toLowerCase(), p))) ??
      // …else a headline the outlet set in a classed block instead of a heading.
      blockHeadlines.find(usable) ??
      null
    );
  };
  const fromHeadline = headline === null ? titleSubheading() : withoutSuffix(withoutKicker(headline));
  const chosenTitle =
    (headline === null || fromHeadline === null ? null : agreedNeighbour(headline, fromHeadline)) ??
    fromHeadline ??
    metaTitle ??
    strippedTag ??
    h1s[0] ??
    null;
  // Separator glyphs left at either end ("» Jens Weber", "[> Jens Weber", "Story -") are not
  // part of the title; a guillemet that a closing one answers is a quote and stays.
  const title =
    chosenTitle === null
      ? null
      : chosenTitle
          .replace(/^(?:\[?>|»(?![^«»]*[«»])|[|/:–—-])\s*(?=[\p{L}\p{N}])/u, '')
          .replace(/\s+[|/:–—-]$/u, '');

  const shown = textDates(doc, chosenTitle);
  const visibleDates = [...times, ...dateTexts, ...shown.all];
  const dateFrom = (values: readonly (string | null | undefined)[]): { iso: string; day: string } | null => {
    for (const v of values) {
      const iso = toIsoDate(v ?? null);
      if (iso !== null) return { iso, day: localDay(v ?? '', iso, visibleDates) };
    }
    return null;
  };
  const urlDate = (() => {
    const url = pageUrl ?? canonical ?? '';
    const u =
      /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|\b)/.exec(url) ??
      /[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_-]|$)/.exec(url);
    return u === null ? null : `${u[1]}-${u[2]}-${u[3]}`;
  })();
  // The outlet's own publication date: URL, JSON-LD, OpenGraph, the first microdata date, the
  // first `<time>`.
  const primary = [
    urlDate,
    firstString(ldField('datePublished')),
    m('article:published_time', 'og:published_time', 'article:published', 'published_time', 'datepublished'),
    ...(itemprops.get('datepublished') ?? []).slice(0, 1),
    ...times.slice(0, 1),
  ];
  // Every candidate in order of trust. Weak ones (a bare `date` meta, which is often the day the
  // page was rendered, dates read from date-classed elements, text or scripts, the modification
  // date) yield to the date the page shows under its headline.
  const candidates: { value: string | null | undefined; weak: boolean }[] = [
    ...primary.map((value) => ({ value, weak: false })),
    ...[
      ...(itemprops.get('datepublished') ?? []).slice(1),
      m('pubdate', 'publishdate', 'publish-date', 'publication_date'),
    ].map((value) => ({ value, weak: false })),
    { value: m('date'), weak: true },
    ...[
      m(
        'dc.date',
        'dc.date.issued',
        'dcterms.date',
        'dcterms.created',
        'sailthru.date',
        'parsely-pub-date',
        'citation_publication_date',
        'article.published',
        'cxenseparse:recs:publishtime',
      ),
      firstString(ldField('dateCreated')),
      ...times,
    ].map((value) => ({ value, weak: false })),
    ...[
      ...dateTexts,
      ...shown.all,
      ...scriptDates,
      firstString(ldField('dateModified')),
      m('article:modified_time', 'og:updated_time', 'datemodified', 'last-modified'),
    ].map((value) => ({ value, weak: true })),
  ];
  const chosen = candidates.find((c) => toIsoDate(c.value ?? null) !== null);
  const fromMetadata = chosen === undefined ? null : dateFrom([chosen.value]);
  const shownIso = toIsoDate(shown.header);
  const published = (() => {
    if (shownIso === null) return fromMetadata;
    const shownDay = shownIso.slice(0, 10);
    const asShown = { iso: shownIso, day: shownDay };
    if (chosen === undefined || fromMetadata === null) return asShown;
    if (shownDay === fromMetadata.day) return fromMetadata;
    // Primary sources that disagree with each other: the one the page shows wins.
    if (primary.some((v) => toIsoDate(v ?? null)?.slice(0, 10) === shownDay)) return asShown;
    if (chosen.weak) return asShown;
    // A later date under the headline is the update the outlet presents as the article's date.
    const later = (Date.parse(shownDay) - Date.parse(fromMetadata.day)) / DAY_MS;
    return later > 0 && (later <= UPDATE_WINDOW_DAYS || shown.updated) ? asShown : fromMetadata;
  })();
  const modifiedAt =
    dateFrom([
      firstString(ldField('dateModified')),
      m('article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified'),
      ...(itemprops.get('datemodified') ?? []),
    ])?.iso ?? null;

  const byline = unique(
    [
      ...names(ldField('author')).flatMap(splitAuthors),
      ...(meta.get('author') ?? []).flatMap(splitAuthors),
      ...(meta.get('article:author') ?? []).flatMap(splitAuthors),
      ...(meta.get('dc.creator') ?? []).flatMap(splitAuthors),
      ...(meta.get('parsely-author') ?? []).flatMap(splitAuthors),
      ...(meta.get('sailthru.author') ?? []).flatMap(splitAuthors),
      ...(itemprops.get('author') ?? []).flatMap(splitAuthors),
      ...(itemprops.get('creator') ?? []).flatMap(splitAuthors),
    ].filter((a) => siteName === null || a.toLowerCase() !== siteName.toLowerCase()),
  );
  const bylineFallback = byline.length > 0 ? [] : unique(bylineTexts.flatMap(splitAuthors)).slice(0, 3);

  const jsonLdSections = unique(names(ldField('articleSection')).flatMap((s) => s.split(/\s*,\s*/)));
  const metaSections = unique((meta.get('article:section') ?? []).map(cleanInline));
  const ldCrumbs = ld
    .filter((o) => typesOf(o).includes('BreadcrumbList'))
    .flatMap((o) => names(o.itemListElement));
  const breadcrumbs = unique(
    (ldCrumbs.length > 0 ? ldCrumbs : crumbs).filter(
      (c) => !/^(home|startseite|accueil|inicio|portada|homepage)$/i.test(c),
    ),
  );
  const keywords = unique(
    [
      ...names(ldField('keywords')).flatMap((k) => k.split(/\s*,\s*/)),
      ...(meta.get('keywords') ?? []).flatMap((k) => k.split(/\s*[,;]\s*/)),
      ...(meta.get('article:tag') ?? []),
      ...(meta.get('news_keywords') ?? []).flatMap((k) => k.split(/\s*,\s*/)),
    ].map(cleanInline),
  ).slice(0, 30);

  const resolve = (u: string | null): string | null => {
    if (u === null || u.trim() === '') return null;
    try {
      return new URL(u.trim(), pageUrl ?? undefined).toString();
    } catch {
      return null;
    }
  };

  return {
    title,
    byline: byline.length > 0 ? byline : bylineFallback,
    publishedAt: published?.iso ?? null,
    publishedDay: published?.day ?? null,
    modifiedAt,
    canonicalUrl: resolve(canonical) ?? resolve(m('og:url')) ?? resolve(firstString(ldField('url'))),
    siteName,
    description: m('description', 'og:description', 'twitter:description') ?? ldString('description'),
    imageUrl: resolve(m('og:image', 'twitter:image', 'og:image:url') ?? firstString(ldField('image'))),
    jsonLdSections,
    metaSections,
    breadcrumbs,
    keywords,
    declaredLanguage:
      htmlLang === null ? null : ((htmlLang as string).split(/[-_]/)[0] ?? '').toLowerCase() || null,
    titleInHeadings:
      title !== null && headingEls.some((h) => h.text.includes(title) || title.includes(h.text)),
  };
}

// Headings written for screen readers only ("Hauptinhalt", "Navigation"): landmarks, not titles.
const HIDDEN_HINT =
  /(?:^|[\s_-])(?:sr-only|visually-hidden|visuallyhidden|screen-reader-text|text-hide|element-invisible)(?:$|[\s_-])/i;
const isHiddenHeading = (el: Element): boolean =>
  HIDDEN_HINT.test(`${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`);

// Containers of page furniture: a heading inside one titles a widget, not the article.
const FURNITURE_CONTAINER =
  /(?:^|[\s_-])(?:widget|widgets|sidebar|side-bar|nav|navbar|navigation|menu|footer|related|newsletter|share|social|promo|teaser|comments?)(?:$|[\s_-])/i;
const FURNITURE_TAGS = new Set(['aside', 'nav', 'footer', 'form']);
// A widget's title sits within a few levels of its box (`<aside><div class="widget"><h3>`).
const FURNITURE_DEPTH = 3;

/**
 * A heading that heads page furniture: inside `<aside>`/`<nav>`/`<footer>` or a widget-classed
 * box, looking up to {@link FURNITURE_DEPTH} levels and not past the article, `<main>` or `<body>`
 * (page-wide wrappers carry classes such as `no-sub-nav` that describe the whole page).
 */
function inFurniture(el: Element): boolean {
  let node: Element | null = el;
  for (
    let depth = 0;
    node !== null && depth <= FURNITURE_DEPTH && !['article', 'main', 'body'].includes(node.name);
    depth++, node = node.parent !== null && isTag(node.parent) ? node.parent : null
  ) {
    if (FURNITURE_TAGS.has(node.name)) return true;
    if (FURNITURE_CONTAINER.test(`${attr(node, 'class') ?? ''} ${attr(node, 'id') ?? ''}`)) return true;
  }
  return false;
}

/** A heading text that can stand as the headline: long enough, not a widget or closing line. */
const headlineText = (text: string): boolean =>
  text.length > 3 && !isFurniture(text) && !TERMINATOR.test(text);

// How far (elements, in reverse document order) before the body a heading still heads it.
const BODY_HEADING_WINDOW = 40;

/**
 * The heading that opens the article body or sits right before it: for pages whose title came
 * from metadata and matches no heading (a generic `<title>`, a review page's share title), the
 * heading closest before the first paragraph is what readers see as the headline.
 */
export function headingBefore(start: Element): string | null {
  // A body that opens with a heading: that heading.
  const opening =
    /^h[1-3]$/.test(start.name) && !isHiddenHeading(start) && !inFurniture(start)
      ? cleanInline(textOf(start))
      : '';
  if (headlineText(opening)) return opening;
  let node: AnyNode = start;
  for (let seen = 0; seen < BODY_HEADING_WINDOW; ) {
    if (node.prev !== null) {
      node = node.prev;
      while ('children' in node && node.children.length > 0) node = node.children[node.children.length - 1]!;
    } else if (node.parent !== null) node = node.parent;
    else return null;
    if (!isTag(node)) continue;
    seen++;
    if (!/^h[1-3]$/.test(node.name) || isHiddenHeading(node) || inFurniture(node)) continue;
    const text = cleanInline(textOf(node));
    if (headlineText(text)) return text;
  }
  return null;
}
