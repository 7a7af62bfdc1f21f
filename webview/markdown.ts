// Markdown → a sanitized node tree (no DOM), so the sanitizer's decisions are
// unit-testable. markdown-it runs with raw HTML disabled; we never use its
// HTML renderer: its token stream is mapped onto a small allow-list of tags,
// and links survive only with http/https/mailto targets. mdDom.ts turns the
// tree into elements with createElement/textContent.
import MarkdownIt from 'markdown-it';
import { safeLink } from '../src/protocol';
import { t as str } from './strings';

export type MdTag =
  | 'p' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6'
  | 'ul' | 'ol' | 'li' | 'blockquote' | 'pre' | 'code' | 'strong' | 'em' | 's'
  | 'a' | 'br' | 'hr' | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td' | 'span';

export const ALLOWED_TAGS: ReadonlySet<string> = new Set<MdTag>([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'strong', 'em', 's',
  'a', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
]);

export interface MdElement {
  kind: 'el';
  tag: MdTag;
  /** Only for `a`: an http/https/mailto URL already checked by safeLink. */
  href?: string;
  /** Only for `ol`. */
  start?: number;
  /** Only for `th`/`td`. */
  align?: 'left' | 'center' | 'right';
  /** Only for fenced code: the info string's first word. */
  lang?: string;
  children: MdNode[];
}

export interface MdText {
  kind: 'text';
  text: string;
}

export type MdNode = MdElement | MdText;

/** markdown-it's token type, spelled so it resolves under both tsconfigs (CJS and bundler). */
type Parser = InstanceType<typeof MarkdownIt>;
type Token = ReturnType<Parser['parse']>[number];

let parser: Parser | undefined;

function md(): Parser {
  // html: false — raw HTML in the source stays text. linkify turns bare URLs into links (still filtered below).
  parser ??= new MarkdownIt({ html: false, linkify: true, typographer: false });
  return parser;
}

/** Token types that open/close an element, mapped to our tag. */
const BLOCK_TAGS: Record<string, MdTag> = {
  paragraph: 'p',
  bullet_list: 'ul',
  ordered_list: 'ol',
  list_item: 'li',
  blockquote: 'blockquote',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tr: 'tr',
  th: 'th',
  td: 'td',
  strong: 'strong',
  em: 'em',
  s: 's',
};

export function markdownToTree(source: string): MdNode[] {
  const tokens = md().parse(source, {});
  const root: MdElement = { kind: 'el', tag: 'span', children: [] };
  build(tokens, root);
  // markdown-it stops at its nesting limit and silently emits nothing; never lose the text.
  if (source.trim() && !treeText(root.children).trim()) return [text(source)];
  return root.children;
}

function el(tag: MdTag, children: MdNode[] = []): MdElement {
  return { kind: 'el', tag, children };
}

function text(t: string): MdText {
  return { kind: 'text', text: t };
}

/** Walks a flat token list (block level, or an inline token's children) with an explicit stack. */
function build(tokens: Token[], root: MdElement): void {
  const stack: MdElement[] = [root];
  const top = () => stack[stack.length - 1];
  for (const t of tokens) {
    const base = t.type.replace(/_(open|close)$/, '');
    if (t.nesting === 1) {
      let node: MdElement;
      if (base === 'heading') {
        node = el(/^h[1-6]$/.test(t.tag) ? (t.tag as MdTag) : 'h6');
      } else if (base === 'link') {
        const href = safeLink(t.attrGet('href'));
        // An unsafe target keeps its text but is not a link.
        node = href ? { ...el('a'), href } : el('span');
      } else if (BLOCK_TAGS[base]) {
        node = el(BLOCK_TAGS[base]);
        if (base === 'ordered_list') {
          const start = Number(t.attrGet('start'));
          if (Number.isInteger(start) && start !== 1) node.start = start;
        }
        if (base === 'th' || base === 'td') {
          const m = /text-align:\s*(left|center|right)/.exec(String(t.attrGet('style') ?? ''));
          if (m) node.align = m[1] as MdElement['align'];
        }
      } else {
        node = el('span'); // unknown container (plugins): keep its content
      }
      top().children.push(node);
      stack.push(node);
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else {
      leaf(t, top());
    }
  }
}

function leaf(t: Token, parent: MdElement): void {
  switch (t.type) {
    case 'inline':
      build(t.children ?? [], parent);
      return;
    case 'text':
    case 'html_inline':
    case 'html_block':
      parent.children.push(text(t.content));
      return;
    case 'softbreak':
      parent.children.push(text('\n'));
      return;
    case 'hardbreak':
      parent.children.push(el('br'));
      return;
    case 'hr':
      parent.children.push(el('hr'));
      return;
    case 'code_inline':
      parent.children.push(el('code', [text(t.content)]));
      return;
    case 'code_block':
    case 'fence': {
      const code = el('code', [text(t.content)]);
      const lang = (t.info ?? '').trim().split(/\s+/)[0];
      if (lang) code.lang = lang.slice(0, 40);
      parent.children.push(el('pre', [code]));
      return;
    }
    case 'image': {
      // Images are never loaded (CSP allows none from outside); show the alt text, linked when safe.
      const alt = t.content || t.attrGet('alt') || str('imageAlt');
      const href = safeLink(t.attrGet('src'));
      const label = text(str('imageLabel', alt));
      parent.children.push(href ? { ...el('a', [label]), href } : label);
      return;
    }
    default:
      if (t.content) parent.children.push(text(t.content));
  }
}

/** Plain text of a tree (tests, search, accessibility labels). Iterative, like every walk of untrusted nesting. */
export function treeText(nodes: MdNode[]): string {
  let out = '';
  const stack: MdNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'text') out += n.text;
    else for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
