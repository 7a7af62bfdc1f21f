// Builds DOM from the sanitized Markdown tree (markdown.ts). Every tag comes
// from the allow-list, text goes through text nodes, links become host links.
import { append, h, hostLink } from './dom';
import { ALLOWED_TAGS, markdownToTree, type MdElement, type MdNode } from './markdown';
import { findRanges } from './renderable';

/** Sanitized Markdown; `query` (the session search) is highlighted in text. */
export function renderMarkdown(source: string, query = ''): HTMLElement {
  const root = h('div', { class: 'markdown' });
  // Iterative (markdown-it caps nesting at 100, but no walk here relies on that).
  const stack: [MdNode, Node][] = [];
  const nodes = markdownToTree(source);
  for (let i = nodes.length - 1; i >= 0; i--) stack.push([nodes[i], root]);
  while (stack.length) {
    const [n, parent] = stack.pop()!;
    if (n.kind === 'text') {
      parent.appendChild(textNode(n.text, query));
      continue;
    }
    const el = element(n);
    parent.appendChild(el);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], el]);
  }
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

/** The element for one tree node (its children are appended by the caller). */
function element(n: MdElement): HTMLElement {
  if (n.tag === 'a' && n.href) return hostLink(n.href, []);
  // Defence in depth: the tree only holds allowed tags, but never trust one place.
  const el = document.createElement(ALLOWED_TAGS.has(n.tag) ? n.tag : 'span');
  if (n.start !== undefined && el instanceof HTMLOListElement) el.start = n.start;
  if (n.align) el.style.textAlign = n.align;
  if (n.lang) el.dataset.lang = n.lang;
  return el;
}
