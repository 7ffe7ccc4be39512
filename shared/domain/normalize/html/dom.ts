/** Small helpers over the htmlparser2/domhandler tree. */
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/** Parse HTML leniently (as browsers do) into a domhandler tree. */
export function parseHtml(html: string): Document {
  return parseDocument(capNesting(html), {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
}

// htmlparser2 keeps open elements in an array it shifts at the front, so parse time grows with
// the square of the nesting depth: 100,000 nested <div>s take ten seconds. Real pages nest a few
// dozen levels; past MAX_NESTING the rest of the page is dropped (the article comes before it).
const MAX_NESTING = 1500;
const TAG_CHECK_THRESHOLD = 20_000;
// Elements the parser closes implicitly or that never hold children do not deepen the tree.
const NOT_NESTING =
  /^(?:p|li|td|th|tr|dt|dd|option|area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|param)$/;

function capNesting(html: string): string {
  let tags = 0;
  for (let i = html.indexOf('<'); i >= 0 && tags <= TAG_CHECK_THRESHOLD; i = html.indexOf('<', i + 1)) tags++;
  if (tags <= TAG_CHECK_THRESHOLD) return html;
  const tag = /<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g;
  let depth = 0;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    const name = (m[2] ?? '').toLowerCase();
    if (m[3] === '/' || NOT_NESTING.test(name)) continue;
    depth += m[1] === '/' ? -1 : 1;
    if (depth < 0) depth = 0;
    if (depth > MAX_NESTING) return html.slice(0, m.index);
  }
  return html;
}

/** Attribute value, or null when absent. */
export const attr = (el: Element, name: string): string | null => el.attribs[name] ?? null;

/** Nesting below which text is ignored: real pages stay far above it, hostile ones do not. */
export const MAX_DEPTH = 400;

/** Text of a subtree, with a space where block elements separate words. */
export function textOf(node: AnyNode, depth = 0): string {
  if (isText(node)) return node.data;
  if (!('children' in node) || depth > MAX_DEPTH) return '';
  let out = '';
  for (const child of node.children) {
    // Ruby annotations (furigana in <rt>, fallback parentheses in <rp>) are not the text read.
    if (
      isTag(child) &&
      (child.name === 'script' || child.name === 'style' || child.name === 'rt' || child.name === 'rp')
    )
      continue;
    if (isTag(child) && BREAKS.has(child.name)) out += ' ';
    out += textOf(child, depth + 1);
  }
  return out;
}

const BREAKS = new Set(['br', 'p', 'div', 'li', 'td', 'th', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Every element of the tree in document order (iterative: nesting depth cannot overflow the stack). */
export function elements(root: AnyNode): Element[] {
  const out: Element[] = [];
  if (!('children' in root)) return out;
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}
