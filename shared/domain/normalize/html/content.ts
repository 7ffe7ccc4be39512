/**
 * Main-text extraction on the DOM. One pass measures every element (text and link characters),
 * a second linearises the page into text blocks while dropping markup that is never content
 * (scripts, navigation, hidden elements) and subtrees whose class/id/role mark them as
 * boilerplate (share bars, cookie banners, "related" teasers, newsletter boxes, comments). Blocks
 * then vote for their ancestors (Readability-style scoring: text length, commas, link density,
 * class hints); the best container and its content-bearing siblings make the article. Captions
 * and credits are kept out of the body and returned as image metadata.
 */
import type { AnyNode, Document, Element } from 'domhandler';
import { Element as ElementNode, isTag, isText } from 'domhandler';
import type { Image } from '../../article.ts';
import { isFurniture, isPageNote, TERMINATOR } from '../boilerplate.ts';
import { splitCaption } from '../scraped-text.ts';
import { cleanInline } from '../text.ts';
import { attr, elements, MAX_DEPTH, parseHtml, textOf } from './dom.ts';
import { isObject, type JsonObject, parseJsonLd } from './json-ld.ts';

export interface ExtractedContent {
  readonly paragraphs: readonly string[];
  readonly image: Image | null;
  /** The element holding the body's first paragraph (null when the body is empty or from JSON-LD). */
  readonly start: Element | null;
}

interface Stats {
  /** Characters of text (whitespace runs count once). */
  text: number;
  /** Characters of text inside links. */
  links: number;
  /** Characters of text inside `<p>` elements: where prose lives. */
  prose: number;
  /** Holds the page's main markers (h1, article, main, articleBody): never dropped as boilerplate. */
  marker: boolean;
}

type Kind = 'p' | 'h' | 'li' | 'quote' | 'pre' | 'cell' | 'div';

interface Block {
  readonly text: string;
  readonly links: number;
  /** Innermost block-level element holding the text. */
  readonly el: Element;
  readonly kind: Kind;
}

const SKIP = new Set([
  'script',
  'style',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'map',
  'select',
  'button',
  'input',
  'textarea',
  'option',
  'head',
  'nav',
  'dialog',
  'menu',
  'label',
]);

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
  'caption',
]);

const KIND: Readonly<Record<string, Kind>> = {
  p: 'p',
  h1: 'h',
  h2: 'h',
  h3: 'h',
  h4: 'h',
  h5: 'h',
  h6: 'h',
  li: 'li',
  dd: 'li',
  dt: 'li',
  blockquote: 'quote',
  pre: 'pre',
  td: 'cell',
  th: 'cell',
};

// Class/id/role words that mark boilerplate, and words that mark content (which win).
const NEGATIVE =
  /(?:^|[\s_-])(?:nav|navbar|navigation|menu|menus|footer|sidebar|side-bar|sidenav|comments?|commentlist|comment-list|disqus|share|shares|sharing|sharebar|social|socials|related|recommend|recommended|recommendations|newsletter|subscribe|subscription|cookie|cookies|consent|gdpr|advert|advertisement|adverts|ads|ad|adslot|dfp|sponsor|sponsored|promo|promotion|breadcrumb|breadcrumbs|pagination|pager|tags|taglist|tag-list|popup|modal|overlay|masthead|toolbar|outbrain|taboola|more-stories|readmore|read-more|author-bio|byline|by-line|dateline|signup|paywall|login|search|topbar|copyright|rating|skip|offscreen|sr-only|visually-hidden|screen-reader-text|text-hide)(?:$|[\s_-])/i;
const POSITIVE =
  /(?:^|[\s_-])(?:article|articlebody|article-body|article-content|content|entry|entry-content|post|post-content|post-body|story|story-body|main|body|text|blog|news|hentry|h-entry)(?:$|[\s_-])/i;
const BOILERPLATE_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alert',
  'menu',
  'menubar',
]);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
const CREDIT_CLASS = /credit|copyright|source|author|photographer/i;

// Hard caps so a pathological page cannot take more than a few hundred milliseconds.
const MAX_ELEMENTS = 1_000_000;
const MAX_BLOCKS = 20_000;

const classAndId = (el: Element): string => `${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`;

/** Compute text/link sizes for every element, bottom-up. */
function measure(
  root: AnyNode,
  stats: Map<Element, Stats>,
  inLink: boolean,
  budget: { left: number },
  depth = 0,
): Stats {
  const own: Stats = { text: 0, links: 0, prose: 0, marker: false };
  if (!('children' in root) || depth > MAX_DEPTH) return own;
  for (const child of root.children) {
    if (isText(child)) {
      const n = child.data.trim().length;
      own.text += n;
      if (inLink) own.links += n;
    } else if (isTag(child)) {
      if (budget.left-- <= 0) break;
      if (child.name === 'script' || child.name === 'style' || child.name === 'noscript') continue;
      const s = measure(child, stats, inLink || child.name === 'a', budget, depth + 1);
      own.text += s.text;
      own.links += s.links;
      own.prose += child.name === 'p' ? s.text : s.prose;
      own.marker ||= s.marker;
    }
  }
  if (isTag(root)) {
    own.marker ||=
      root.name === 'h1' ||
      root.name === 'article' ||
      root.name === 'main' ||
      attr(root, 'itemprop') === 'articleBody' ||
      attr(root, 'role') === 'main';
    stats.set(root, own);
  }
  return own;
}

function isHidden(el: Element): boolean {
  if (attr(el, 'hidden') !== null) return true;
  if (attr(el, 'aria-hidden') === 'true' && el.name !== 'span' && el.name !== 'i') return true;
  const style = attr(el, 'style');
  return style !== null && HIDDEN_STYLE.test(style);
}

/** How hard a pass prunes: the strict pass drops class-marked boilerplate, the lenient one only structure. */
interface PassOptions {
  readonly strict: boolean;
}

function isBoilerplate(el: Element, stats: Stats | undefined, body: Stats, options: PassOptions): boolean {
  if (el.name === 'body' || el.name === 'article' || el.name === 'main' || el.name === 'html') return false;
  if (stats?.marker) return false;
  const role = attr(el, 'role');
  if (role !== null && BOILERPLATE_ROLES.has(role.toLowerCase())) return true;
  if (el.name === 'footer' || el.name === 'aside') return true;
  if (!options.strict) return false;
  const hints = classAndId(el);
  if (hints.trim() === '') return false;
  if (BOX.test(hints) && (stats === undefined || stats.prose <= body.prose * 0.5)) return true;
  // A teaser card links to another article (a standfirst classed "teaser" has no link to speak of).
  if (
    TEASER.test(hints) &&
    stats !== undefined &&
    stats.links >= stats.text * 0.1 &&
    stats.prose <= body.prose * 0.5
  )
    return true;
  if (!NEGATIVE.test(hints)) return false;
  if (COMMENTS.test(hints)) return true;
  // A container holding most of the page's prose is the article whatever its class says
  // (page builders put "widget" or "sidebar" on everything); a content word rescues a large one.
  if (stats !== undefined && stats.prose > body.prose * 0.5) return false;
  return !(POSITIVE.test(hints) && (stats?.text ?? 0) > body.text * 0.3);
}

// Boxes inside the article container that are about the author, the page or another site:
// author bios, post metadata, affiliate disclosures (embedded posts stay: they are quoted text).
const BOX =
  /author[-_]?(?:box|bio|card|info|details|profile|about|description)|about[-_]?(?:the[-_]?)?author|abh_box|saboxplugin|(?:^|[\s_-])(?:postmetadata|post-meta|entry-meta|entry-footer|post-footer|article-footer|disclosure|disclaimer)(?:$|[\s_])/i;

// Captions and credits by class, whatever the element: `<p class="media__caption">`,
// `<h5 class="bildunterschrift">`, `<div class="img-metadata">`, `<div class="legend">`.
const CAPTION_CLASS =
  /(?:^|[\s_-])(?:caption|legend|bildunterschrift|bildunter|bu|icapt|wp-caption-text|imagedescription|image-description|img-description|img-metadata|image-meta|photo-credit|image-credit)(?:$|[\s_-])/i;

const TEASER =
  /(?:^|[\s_-])(?:teasers?|teaser-?list|teaser-?text|teasertext|teaser-?wrapper|post-?teaser)(?:$|[\s_-])/i;

const COMMENTS = /(?:^|[\s_-])(?:comments?|commentlist|comment-list|disqus|replies)(?:$|[\s_-])/i;

interface Caption {
  readonly text: string;
  readonly credit: string | null;
  readonly el: Element;
}

class Linearizer {
  readonly blocks: Block[] = [];
  readonly captions: Caption[] = [];
  /** Container elements that survived pruning, in document order (candidates for the article). */
  readonly containers: Element[] = [];
  private buffer = '';
  private bufferLinks = 0;
  private container: Element;
  private budget = MAX_ELEMENTS;

  constructor(
    private readonly stats: Map<Element, Stats>,
    private readonly bodyStats: Stats,
    body: Element,
    private readonly options: PassOptions,
  ) {
    this.container = body;
  }

  private flush(): void {
    const text = cleanInline(this.buffer);
    if (text !== '' && this.blocks.length < MAX_BLOCKS) {
      this.blocks.push({
        text,
        links: this.bufferLinks,
        el: this.container,
        kind: KIND[this.container.name] ?? 'div',
      });
    }
    this.buffer = '';
    this.bufferLinks = 0;
  }

  walk(node: AnyNode, inLink: boolean, depth = 0): void {
    if (!('children' in node) || depth > MAX_DEPTH) return;
    for (const child of node.children) {
      if (isText(child)) {
        this.buffer += child.data;
        if (inLink) this.bufferLinks += child.data.trim().length;
        continue;
      }
      if (!isTag(child) || this.budget-- <= 0) continue;
      const name = child.name;
      if (SKIP.has(name) || isHidden(child)) continue;
      if (name === 'noscript' && this.options.strict) continue;
      if (name === 'br' || name === 'hr') {
        this.flush();
        continue;
      }
      if (isBoilerplate(child, this.stats.get(child), this.bodyStats, this.options)) {
        if (BLOCK.has(name)) this.flush();
        continue;
      }
      if (name === 'figcaption' || (name !== 'span' && CAPTION_CLASS.test(classAndId(child)))) {
        this.flush();
        this.captions.push(readCaption(child));
        continue;
      }
      if (BLOCK.has(name)) {
        this.flush();
        if (CONTAINER_TAGS.has(name)) this.containers.push(child);
        const outer = this.container;
        this.container = child;
        this.walk(child, inLink, depth + 1);
        this.flush();
        this.container = outer;
      } else {
        // Inline elements: keep words apart where markup separated them visually.
        if (name === 'td' || name === 'img') this.buffer += ' ';
        this.walk(child, inLink || name === 'a', depth + 1);
      }
    }
  }
}

/** `src` of the image next to a caption (inside the same `<figure>` or caption wrapper). */
function figureImage(caption: Element): string | null {
  const figure = caption.parent;
  if (figure === null || !isTag(figure)) return null;
  const stack: AnyNode[] = [...figure.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    if (node.name === 'img') return attr(node, 'src') ?? attr(node, 'data-src');
    stack.push(...node.children);
  }
  return null;
}

function readCaption(el: Element): Caption {
  let credit: string | null = null;
  const parts: string[] = [];
  const visit = (node: AnyNode, depth = 0): void => {
    if (depth > MAX_DEPTH) return;
    if (isText(node)) {
      parts.push(node.data);
      return;
    }
    if (!isTag(node)) return;
    if (CREDIT_CLASS.test(classAndId(node))) {
      credit =
        cleanInline(textOf(node)).replace(/^(?:photo|foto|bild|image|credit|crédit)s?\s*:\s*/i, '') || null;
      return;
    }
    for (const c of node.children) visit(c, depth + 1);
  };
  visit(el);
  let text = cleanInline(parts.join(' '));
  if (credit === null) {
    const split = splitCaption(text);
    if (split !== null) {
      text = split.caption;
      credit = split.credit;
    }
  }
  return { text, credit, el };
}

const commas = (text: string): number => (text.match(/[,，、،]/g) ?? []).length;

function classWeight(el: Element): number {
  const hints = classAndId(el);
  let weight = 0;
  if (NEGATIVE.test(hints)) weight -= 25;
  if (POSITIVE.test(hints)) weight += 25;
  if (attr(el, 'itemprop') === 'articleBody') weight += 50;
  return weight;
}

function tagWeight(name: string): number {
  switch (name) {
    case 'article':
      return 10;
    case 'div':
    case 'section':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

const linkDensity = (s: Stats | undefined): number =>
  s === undefined || s.text === 0 ? 0 : s.links / s.text;

/** The `<body>`; for a fragment without one (JSON records carry bare `<p>`s), a body around it. */
function findBody(doc: Document): Element {
  for (const node of doc.children) {
    if (!isTag(node)) continue;
    if (node.name === 'body') return node;
    for (const child of node.children) if (isTag(child) && child.name === 'body') return child;
  }
  const body = new ElementNode('body', {}, doc.children);
  for (const child of doc.children) child.parent = body;
  return body;
}

function scoreCandidates(
  blocks: readonly Block[],
  stats: Map<Element, Stats>,
  body: Element,
): Map<Element, number> {
  const scores = new Map<Element, number>();
  for (const block of blocks) {
    if (block.text.length < 25 || block.kind === 'h') continue;
    if (block.links / block.text.length > 0.5) continue;
    const score = 1 + commas(block.text) + Math.min(3, Math.floor(block.text.length / 100));
    let node: Element | null =
      block.kind === 'div' || block.kind === 'cell' ? block.el : (block.el.parent as Element | null);
    for (let level = 0; node !== null && isTag(node) && level < 5; level++) {
      if (!scores.has(node)) scores.set(node, tagWeight(node.name) + classWeight(node));
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(node, scores.get(node)! + score / divider);
      if (node === body) break;
      node = node.parent as Element | null;
    }
  }
  for (const [el, score] of scores) scores.set(el, score * (1 - linkDensity(stats.get(el))));
  return scores;
}

function chooseRegion(
  scores: Map<Element, number>,
  blocks: readonly Block[],
  stats: Map<Element, Stats>,
): Set<Element> {
  let top: Element | null = null;
  let topScore = -Infinity;
  for (const [el, score] of scores) {
    if (score > topScore) {
      top = el;
      topScore = score;
    }
  }
  const region = new Set<Element>();
  if (top === null) return region;
  region.add(top);
  const parent = top.parent;
  if (parent === null || !('children' in parent)) return region;
  const threshold = Math.max(10, topScore * 0.2);
  const ownText = new Map<Element, string>();
  for (const block of blocks) if (block.el.parent === parent) ownText.set(block.el, block.text);
  for (const sibling of parent.children) {
    if (!isTag(sibling) || sibling === top) continue;
    const score = scores.get(sibling) ?? 0;
    const s = stats.get(sibling);
    const ld = linkDensity(s);
    const text = ownText.get(sibling) ?? '';
    const paragraphLike =
      sibling.name === 'p' || sibling.name === 'blockquote' || sibling.name === 'ul' || sibling.name === 'ol';
    if (
      score >= threshold ||
      (paragraphLike && text.length > 80 && ld < 0.25) ||
      (paragraphLike && text.length > 0 && ld === 0 && /[.!?…:"”»]$/.test(text))
    ) {
      region.add(sibling);
    }
  }
  return region;
}

function inRegion(el: Element, region: Set<Element>, body: Element): boolean {
  let node: Element | null = el;
  while (node !== null && isTag(node)) {
    if (region.has(node)) return true;
    if (node === body) return false;
    node = node.parent as Element | null;
  }
  return false;
}

const keepBlock = (block: Block, title: string | null): boolean => {
  if (block.kind !== 'h' && block.links / block.text.length > 0.5 && block.text.length < 400) return false;
  // A heading that is all link is a teaser's headline, not a section of the article.
  if (block.kind === 'h' && block.links >= block.text.length * 0.9) return false;
  if (isFurniture(block.text) || isPageNote(block.text)) return false;
  if (block.kind === 'h' && title !== null && block.text.toLowerCase() === title.toLowerCase()) return false;
  return true;
};

const isHeadingLike = (b: Block): boolean =>
  b.kind === 'h' ||
  (b.text.length <= 80 &&
    !/[.!?…"“”»]$/.test(b.text) &&
    b.links === 0 &&
    b.kind !== 'li' &&
    b.kind !== 'cell');

/**
 * True when the article goes on after a "see also" line: at least half as much link-free prose
 * follows as came before (an inline box mid-article, not the related list closing it).
 */
function proseFollows(blocks: readonly Block[], from: number, seen: number): boolean {
  let prose = 0;
  for (let i = from + 1; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === 'p' && b.links === 0 && b.text.length >= 150) prose += b.text.length;
  }
  return prose >= seen * 0.5;
}

/**
 * Keep the region's blocks that are article text. Beyond per-block rules, two section rules:
 * a line like "Related stories" / "Kommentare" / "Lire aussi" ends the article when it comes
 * after most of the text (before that, only the line goes); and a heading whose section holds
 * only links (a teaser list) goes with its links.
 */
function pruneSections(regionBlocks: readonly Block[], title: string | null): Block[] {
  const total = regionBlocks.reduce((n, b) => n + b.text.length, 0);
  const keep = regionBlocks.map((b) => keepBlock(b, title));
  let seen = 0;
  for (let i = 0; i < regionBlocks.length; i++) {
    const block = regionBlocks[i]!;
    seen += block.text.length;
    if (block.text.length <= 100 && TERMINATOR.test(block.text)) {
      keep[i] = false;
      if (seen > total * 0.5 && !proseFollows(regionBlocks, i, seen)) {
        keep.fill(false, i);
        break;
      }
      continue;
    }
    if (!keep[i] || !isHeadingLike(block)) continue;
    let j = i + 1;
    while (j < regionBlocks.length && regionBlocks[j]!.kind !== 'h') j++;
    const section = regionBlocks.slice(i + 1, j);
    const linkOnly =
      section.length > 0 && section.every((b, k) => !keep[i + 1 + k] || b.links / b.text.length > 0.3);
    if (linkOnly || (section.length === 0 && j >= regionBlocks.length && block.kind === 'h')) keep[i] = false;
  }
  return regionBlocks.filter((_, i) => keep[i]);
}

const CONTAINER_TAGS = new Set(['article', 'div', 'main', 'section']);

/**
 * Where outlets put the article, most specific first: the class/id conventions of CMSs and themes
 * (WordPress, Drupal, Typo3, newspaper systems) and schema.org/ARIA markup. A pass takes the
 * first surviving container of the first tier that holds real text.
 */
const CONTAINER_TIERS: readonly ((el: Element, hints: string) => boolean)[] = [
  (el, hints) =>
    attr(el, 'itemprop') === 'articleBody' ||
    /post[-_]?(?:text|body|entry|content)|article[-_]?(?:text|content|body)|article__(?:content|body|container)|entry-content|page-content|text-content|body-text|art-content/i.test(
      hints,
    ),
  (el) => el.name === 'article',
  (el, hints) =>
    /post-bodycopy|story-?content|story-body|theme-content|blog-content|section-content|single-content|single-post|main-column|wpb_text_column|field-body|fulltext/i.test(
      hints,
    ) ||
    /^(?:text|story|cell|postarea|art-postcontent)$/i.test((attr(el, 'class') ?? '').trim()) ||
    /^(?:article|story)$/i.test(attr(el, 'id') ?? '') ||
    /^primary/i.test(attr(el, 'id') ?? '') ||
    /^article /i.test(attr(el, 'class') ?? '') ||
    attr(el, 'role') === 'article',
  (el, hints) =>
    /content[-_]?main|content[-_]?body|content__body|main[-_]?content/i.test(hints) ||
    attr(el, 'id') === 'content' ||
    (attr(el, 'class') ?? '').trim() === 'content',
  (el) =>
    el.name === 'main' ||
    /^main/i.test(attr(el, 'class') ?? '') ||
    /^main/i.test(attr(el, 'id') ?? '') ||
    /^main/i.test(attr(el, 'role') ?? ''),
];

const goodBlock = (b: Block): boolean =>
  b.links / b.text.length <= 0.5 && (b.text.length >= 30 || b.kind !== 'div');

function goodChars(el: Element, blocks: readonly Block[], body: Element): number {
  const region = new Set([el]);
  let n = 0;
  for (const b of blocks) if (goodBlock(b) && inRegion(b.el, region, body)) n += b.text.length;
  return n;
}

function semanticContainer(
  containers: readonly Element[],
  blocks: readonly Block[],
  body: Element,
): Element | null {
  for (const tier of CONTAINER_TIERS) {
    for (const el of containers) {
      if (!tier(el, classAndId(el))) continue;
      if (goodChars(el, blocks, body) >= 200) return el;
      break;
    }
  }
  return null;
}

const LEAD_HINT =
  /lead|intro|teaser|standfirst|summary|excerpt|description|abstract|chapo|chapeau|deck|subline|kicker-text|subtitle|sub-?headline|subhead|bajada|entradilla|sottotitolo|occhiello|vorspann/i;

/** True when the element or one of its three nearest ancestors carries a standfirst class. */
function hasLeadHint(el: Element, body: Element): boolean {
  let node: Element | null = el;
  for (let level = 0; level < 4 && node !== null && isTag(node) && node !== body; level++) {
    if (LEAD_HINT.test(classAndId(node))) return true;
    node = node.parent as Element | null;
  }
  return false;
}

// How far before the body container a standfirst may sit (headline, kicker, byline, date, image…).
const LEAD_WINDOW = 12;

/**
 * The container plus the standfirst before it: outlets put the lead paragraph between the
 * headline and the body container, often inside the article header (`<header><h1/><p class="lead">`
 * + `<div class="article-body">`). Blocks between the page's `<h1>` and the container count when
 * a standfirst class marks them, or when they are a link-free paragraph of a sentence or more;
 * without an `<h1>` close by, only a paragraph among the container's preceding siblings does.
 */
function withLead(container: Element, blocks: readonly Block[], body: Element): Set<Element> {
  const region = new Set([container]);
  const first = blocks.findIndex((b) => contains(container, b.el));
  if (first <= 0) return region;
  let headline = -1;
  for (let i = first - 1; i >= 0 && i >= first - LEAD_WINDOW; i--) {
    if (blocks[i]!.el.name === 'h1') {
      headline = i;
      break;
    }
  }
  const parent = container.parent;
  for (let i = first - 1; i > headline && i >= first - LEAD_WINDOW; i--) {
    const block = blocks[i]!;
    if (block.links / block.text.length >= 0.2 || block.text.length < 40) continue;
    const hinted = hasLeadHint(block.el, body);
    const sibling = block.el.parent === parent && block.kind === 'p' && block.text.length > 60;
    // A sentence-long subheading right under the headline (`<hgroup><h1/><h2/>`) is the standfirst.
    const subtitle = i === headline + 1 && block.kind === 'h' && block.text.length >= 60;
    const prose = (block.kind === 'p' && block.links === 0 && block.text.length >= 100) || subtitle;
    if (headline >= 0 ? hinted || prose : hinted || sibling) region.add(block.el);
  }
  return region;
}

const contains = (outer: Element, inner: Element): boolean => {
  for (let n: Element | null = inner; n !== null && isTag(n); n = n.parent as Element | null)
    if (n === outer) return true;
  return false;
};

/**
 * Page builders (Elementor, AEM, Typo3 content elements, …) cut an article into text modules that
 * sit in separate rows and columns, so the best-scoring container holds one module only. The
 * other modules carry the same tag and class: every such twin with link-free prose joins.
 */
function withTwins(
  region: Set<Element>,
  containers: readonly Element[],
  blocks: readonly Block[],
  stats: Map<Element, Stats>,
  body: Element,
): Set<Element> {
  const top = [...region][0];
  const signature = top === undefined ? '' : (attr(top, 'class') ?? '').trim();
  if (top === undefined || signature === '') return region;
  const out = new Set(region);
  for (const el of containers) {
    if (el.name !== top.name || (attr(el, 'class') ?? '').trim() !== signature) continue;
    if (inRegion(el, out, body) || contains(el, top)) continue;
    if (linkDensity(stats.get(el)) >= 0.3 || goodChars(el, blocks, body) < 50) continue;
    out.add(el);
  }
  return out;
}

interface PassResult {
  readonly blocks: readonly Block[];
  readonly chars: number;
  readonly captions: readonly Caption[];
  readonly region: Set<Element>;
}

function runPass(
  body: Element,
  stats: Map<Element, Stats>,
  title: string | null,
  options: PassOptions,
): PassResult {
  const lin = new Linearizer(stats, stats.get(body)!, body, options);
  lin.walk(body, false);
  const { blocks, captions } = lin;
  const scores = scoreCandidates(blocks, stats, body);
  let region = chooseRegion(scores, blocks, stats);
  const semantic = semanticContainer(lin.containers, blocks, body);
  let usedSemantic = false;
  if (semantic !== null) {
    // The outlet's own container wins when it holds the scored region or at least half its text.
    const top = [...region][0];
    const holdsTop = top !== undefined && contains(semantic, top);
    const regionChars = [...region].reduce((n, el) => n + goodChars(el, blocks, body), 0);
    if (holdsTop || goodChars(semantic, blocks, body) >= regionChars * 0.5) {
      region = withLead(semantic, blocks, body);
      usedSemantic = true;
    }
  }
  if (!usedSemantic) {
    const top = [...region][0];
    if (top !== undefined) for (const el of withLead(top, blocks, body)) region.add(el);
    region = withTwins(region, lin.containers, blocks, stats, body);
  }
  let chosen = pruneSections(
    blocks.filter((b) => inRegion(b.el, region, body)),
    title,
  );
  let chars = chosen.reduce((n, b) => n + b.text.length, 0);
  if (chars < 250) {
    // Nothing scored well (very short pages, odd markup): fall back to every paragraph-like block.
    const baseline = blocks.filter(
      (b) => (b.kind === 'p' || b.kind === 'quote' || b.kind === 'pre') && keepBlock(b, title),
    );
    const baselineChars = baseline.reduce((n, b) => n + b.text.length, 0);
    if (baselineChars > chars) {
      chosen = baseline;
      chars = baselineChars;
    }
  }
  return { blocks: chosen, chars, captions, region };
}

// Below this many characters the strict pass probably pruned the article: try a lenient one.
const RETRY_BELOW_CHARS = 500;

/** Extract the article body of a parsed page; `title` is removed from the body when repeated there. */
export function extractContent(
  doc: Document,
  title: string | null,
  imageUrl: string | null,
): ExtractedContent {
  const body = findBody(doc);
  const stats = new Map<Element, Stats>();
  measure(body, stats, false, { left: MAX_ELEMENTS });
  let pass = runPass(body, stats, title, { strict: true });
  if (pass.chars < RETRY_BELOW_CHARS) {
    const lenient = runPass(body, stats, title, { strict: false });
    if (lenient.chars > pass.chars) pass = lenient;
  }
  const { captions, region } = pass;
  // The lead image's caption: the figure showing the page's declared image, else the first in the article.
  const imageName = imageUrl?.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const showsImage = (c: Caption) => imageName !== '' && figureImage(c.el)?.includes(imageName) === true;
  const caption =
    captions.find((c) => c.text !== '' && showsImage(c)) ??
    captions.find((c) => inRegion(c.el, region, body) && c.text !== '') ??
    captions.find((c) => c.text !== '');
  const image: Image | null =
    caption === undefined && imageUrl === null
      ? null
      : { url: imageUrl, caption: caption?.text || null, credit: caption?.credit ?? null };
  if (pass.chars < BODY_FALLBACK_BELOW_CHARS) {
    // Pages that render the article with scripts or behind a paywall often still carry the whole
    // text in their JSON-LD: the markup's text wins unless the declared body is far longer.
    const declared = declaredArticleBody(doc);
    const declaredChars = declared.reduce((n, p) => n + p.length, 0);
    if (declaredChars >= 500 && declaredChars > pass.chars * 2)
      return { paragraphs: declared, image, start: null };
  }
  return { paragraphs: pass.blocks.map((b) => b.text), image, start: pass.blocks[0]?.el ?? null };
}

// Below this many characters of extracted text, a JSON-LD `articleBody` may stand in for it.
const BODY_FALLBACK_BELOW_CHARS = 1000;
const MAX_JSON_LD_CHARS = 2_000_000;

/** The schema.org `articleBody` of the page's JSON-LD, as paragraphs (markup inside it stripped). */
function declaredArticleBody(doc: Document): string[] {
  for (const el of elements(doc)) {
    if (el.name !== 'script' || !(attr(el, 'type') ?? '').toLowerCase().includes('ld+json')) continue;
    const source = textOf(el);
    if (source.length > MAX_JSON_LD_CHARS || !source.includes('articleBody')) continue;
    const body = declaredBody(parseJsonLd(source));
    if (body === null) continue;
    const text = body.includes('<') ? textOf(parseHtml(body.replace(/<\/p>|<br\s*\/?>/gi, '$&\n'))) : body;
    return text
      .split(/\n+/)
      .map(cleanInline)
      .filter((p) => p !== '');
  }
  return [];
}

function declaredBody(objects: readonly JsonObject[]): string | null {
  for (const o of objects) {
    for (const holder of [o, o.mainEntityOfPage]) {
      if (!isObject(holder)) continue;
      const body = holder.articleBody;
      if (typeof body === 'string' && body.trim() !== '') return body;
    }
  }
  return null;
}
