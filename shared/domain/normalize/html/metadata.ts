/**
 * Page metadata from the markup outlets publish for search engines and social networks:
 * JSON-LD (schema.org), OpenGraph / article:* / Dublin Core / twitter meta, `<link
 * rel=canonical>`, `<time>`, microdata (`itemprop`), byline elements, and the `<title>` / `<h1>`.
 */
import type { Document } from 'domhandler';
import { toIsoDate } from '../dates.ts';
import { cleanInline } from '../text.ts';
import { attr, elements, textOf } from './dom.ts';

export interface PageMetadata {
  readonly title: string | null;
  readonly byline: readonly string[];
  readonly publishedAt: string | null;
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
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ARTICLE_TYPES =
  /^(?:Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|ReviewNewsArticle|BlogPosting|LiveBlogPosting|SocialMediaPosting|TechArticle|ScholarlyArticle|Report|WebPage|ItemPage|Review|Recipe|VideoObject|Episode|CreativeWork)$/;

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const asList = (v: Json | undefined): Json[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];

const typesOf = (o: JsonObject): string[] =>
  asList(o['@type']).filter((t): t is string => typeof t === 'string');

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
  return out.map(cleanInline).filter((s) => s !== '');
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

function flattenJsonLd(value: Json, out: JsonObject[], depth = 0): void {
  if (depth > 6) return;
  for (const item of asList(value)) {
    if (!isObject(item)) continue;
    out.push(item);
    if (item['@graph'] !== undefined) flattenJsonLd(item['@graph'], out, depth + 1);
    if (isObject(item.mainEntity)) flattenJsonLd(item.mainEntity, out, depth + 1);
  }
}

function parseJsonLd(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  try {
    flattenJsonLd(JSON.parse(text.trim().replace(/^<!--|-->$/g, '')) as Json, out);
  } catch {
    // Broken JSON-LD is common (trailing commas, raw newlines); the other sources still apply.
  }
  return out;
}

// " | Site", " - Site", " — Site", " :: Site": the site part of a <title>.
const TITLE_SEPARATOR = /\s+[|–—•·:»«/-]{1,2}\s+/;

/** The `<title>` with the site name part removed (the longer side of a separator). */
function stripSiteName(title: string, siteName: string | null): string {
  const parts = title.split(TITLE_SEPARATOR);
  if (parts.length < 2) return title;
  if (siteName !== null) {
    const site = siteName.toLowerCase();
    const kept = parts.filter((p) => !site.includes(p.toLowerCase()) && !p.toLowerCase().includes(site));
    if (kept.length > 0 && kept.length < parts.length) return kept.join(' - ');
  }
  const first = parts[0] ?? title;
  const last = parts[parts.length - 1] ?? title;
  return first.length >= last.length ? first : last;
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
      case 'script':
        if ((attr(el, 'type') ?? '').toLowerCase().includes('ld+json')) ld.push(...parseJsonLd(textOf(el)));
        break;
      case 'h1': {
        const text = cleanInline(textOf(el));
        if (text !== '' && h1s.length < 5) h1s.push(text);
        break;
      }
      case 'time': {
        const dt = attr(el, 'datetime') ?? cleanInline(textOf(el));
        if (dt !== '' && times.length < 10) times.push(dt);
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
    return typeof v === 'string' ? cleanInline(v) : null;
  };

  const siteName =
    m('og:site_name', 'application-name', 'twitter:site') ??
    names(ldField('publisher'))[0] ??
    names(
      ld.filter((o) =>
        typesOf(o).some((t) => t === 'WebSite' || t === 'Organization' || t === 'NewsMediaOrganization'),
      ),
    )[0] ??
    null;

  // Title: the page's own headline (h1) when metadata confirms it, else metadata, else <title>.
  const metaTitles = [
    ldString('headline'),
    m('og:title'),
    m('twitter:title'),
    m('title', 'dc.title', 'headline'),
  ].filter((t): t is string => t !== null);
  const strippedTag = titleTag === null ? null : stripSiteName(titleTag, siteName);
  const confirms = (h: string) =>
    metaTitles.some(
      (t) => t.toLowerCase().startsWith(h.toLowerCase()) || h.toLowerCase().startsWith(t.toLowerCase()),
    ) || titleTag?.toLowerCase().includes(h.toLowerCase());
  const h1 = h1s.find((h) => h.length > 3 && confirms(h)) ?? null;
  const metaTitle = metaTitles[0] === undefined ? null : stripSiteName(metaTitles[0], siteName);
  const title = h1 ?? metaTitle ?? strippedTag ?? h1s[0] ?? null;

  const dateFrom = (values: readonly (string | null | undefined)[]): string | null => {
    for (const v of values) {
      const iso = toIsoDate(v ?? null);
      if (iso !== null) return iso;
    }
    return null;
  };
  const urlDate = (() => {
    const u = /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|\b)/.exec(pageUrl ?? canonical ?? '');
    return u === null ? null : `${u[1]}-${u[2]}-${u[3]}`;
  })();
  const publishedAt = dateFrom([
    firstString(ldField('datePublished')),
    m('article:published_time', 'og:published_time', 'article:published', 'published_time', 'datepublished'),
    ...(itemprops.get('datepublished') ?? []),
    m(
      'pubdate',
      'publishdate',
      'publish-date',
      'publication_date',
      'date',
      'dc.date',
      'dc.date.issued',
      'dcterms.date',
      'dcterms.created',
      'sailthru.date',
      'parsely-pub-date',
      'citation_publication_date',
      'article.published',
      'cxenseparse:recs:publishtime',
      'last-modified',
    ),
    firstString(ldField('dateCreated')),
    urlDate,
    ...times,
    firstString(ldField('dateModified')),
    m('article:modified_time', 'og:updated_time', 'dateModified'),
  ]);
  const modifiedAt = dateFrom([
    firstString(ldField('dateModified')),
    m('article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified'),
    ...(itemprops.get('datemodified') ?? []),
  ]);

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
    publishedAt,
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
  };
}
