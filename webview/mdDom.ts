// Builds DOM from the sanitized Markdown tree (markdown.ts). Every tag comes
// from the allow-list, text goes through text nodes, links become host links.
import { append, h, hostLink } from './dom';
import { ALLOWED_TAGS, markdownToTree, type MdNode } from './markdown';
import { findRanges } from './renderable';

/** Sanitized Markdown; `query` (the session search) is highlighted in text. */
export function renderMarkdown(source: string, query = ''): HTMLElement {
  const root = h('div', { class: 'markdown' });
  for (const n of markdownToTree(source)) root.appendChild(toDom(n, query));
  return root;
}

function textNode(text: string, query: string): Node {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of query ? findRanges(text, query) : []) {
    append(frag, text.slice(at, s), h('mark', {}, text.slice(s, e)));
    at = e;
  }
  append(frag, text.slice(at));
  return frag;
}

function toDom(n: MdNode, query: string): Node {
  if (n.kind === 'text') return textNode(n.text, query);
  const kids = n.children.map((c) => toDom(c, query));
  if (n.tag === 'a' && n.href) return hostLink(n.href, kids);
  // Defence in depth: the tree only holds allowed tags, but never trust one place.
  const el = document.createElement(ALLOWED_TAGS.has(n.tag) ? n.tag : 'span');
  if (n.start !== undefined && el instanceof HTMLOListElement) el.start = n.start;
  if (n.align) el.style.textAlign = n.align;
  if (n.lang) el.dataset.lang = n.lang;
  for (const k of kids) el.appendChild(k);
  return el;
}
