/** Small helpers over the htmlparser2/domhandler tree. */
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/** Parse HTML leniently (as browsers do) into a domhandler tree. */
export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
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
    if (isTag(child) && (child.name === 'script' || child.name === 'style')) continue;
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
