// JSON display: a collapsible tree for structured values (tool arguments and
// results, unknown parts) and syntax-coloured text for the Raw tab. Both build
// text nodes only.
import { append, copyButton, h } from './dom';
import { DEEPER, isDeeper } from '../src/model/json';
import { jsonPreview, leafText, leafType, parseIfJson, prettyJson, tokenizeJson, type JsonToken } from './json';
import { foldText } from './renderable';
import { renderInSlices } from './slices';
import { t } from './strings';

/** Children rendered per object/array before a "show N more" row. */
const PAGE = 200;
/** Characters of JSON text without white space between two line-break opportunities. */
const UNBROKEN = 500;
/** Raw JSON tokens turned into DOM per task (200,000 characters of deep JSON are 100,000 tokens). */
const TOKENS_PER_TASK = 10_000;

/**
 * A collapsible, coloured JSON tree with a copy button. Objects/arrays deeper
 * than `openDepth` start collapsed. JSON strings are parsed first.
 */
export function jsonBlock(value: unknown, opts: { openDepth?: number; testid?: string; label?: string } = {}): HTMLElement {
  const v = parseIfJson(value);
  const box = h('div', { class: 'json-block', testid: opts.testid ?? 'json' });
  // Without a label the copy button floats over the block's corner instead of taking a line.
  const bar = h('div', { class: opts.label ? 'json-bar' : 'json-bar floating' });
  if (opts.label) append(bar, h('span', { class: 'json-label' }, opts.label));
  append(bar, copyButton(() => prettyJson(v), t('copyJson')));
  box.appendChild(bar);
  if (typeof v === 'string') {
    box.appendChild(stringBlock(v));
  } else if (isDeeper(v)) {
    box.appendChild(h('div', { class: 'json-tree' }, deeperNode(undefined, v[DEEPER], 0)));
  } else {
    box.appendChild(h('div', { class: 'json-tree' }, jsonNode(undefined, v, 0, opts.openDepth ?? 2)));
  }
  return box;
}

/** A string value (not JSON text): folded like message text, unfolded in slices. */
function stringBlock(v: string): HTMLElement {
  const pre = h('pre', { class: 'json-text' });
  const folded = foldText(v);
  const inner = h('div', {}, folded.head);
  pre.appendChild(inner);
  if (folded.hidden) {
    const more = h('button', { class: 'linkish', testid: 'show-more' }, t('moreCharacters', folded.hidden.toLocaleString()));
    more.addEventListener('click', () => {
      pre.replaceChildren();
      renderInSlices(pre, v, 0, (t) => h('div', {}, t), false);
    });
    pre.appendChild(more);
  }
  return pre;
}

function keyLabel(key: string | number | undefined): Node[] {
  if (key === undefined) return [];
  return [h('span', { class: typeof key === 'number' ? 'tok-index' : 'tok-key' }, typeof key === 'number' ? String(key) : JSON.stringify(key)), h('span', { class: 'tok-punct' }, ': ')];
}

/**
 * A subtree the host cut off (LIMITS.maxValueDepth) arrives as its JSON text:
 * "Show deeper" parses it (JSON.parse does not recurse) and shows its next
 * levels, built lazily like every other node.
 */
function deeperNode(key: string | number | undefined, text: string, depth: number): HTMLElement {
  const line = h('div', { class: 'json-line json-deeper', testid: 'json-deeper' }, ...keyLabel(key), h('span', { class: 'muted' }, `${jsonPreview({ [DEEPER]: text })} `));
  const show = h('button', { class: 'linkish', testid: 'show-deeper' }, t('showDeeper'));
  show.addEventListener('click', () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    line.replaceWith(jsonNode(key, value, depth, depth + 1));
  });
  line.appendChild(show);
  return line;
}

function jsonNode(key: string | number | undefined, v: unknown, depth: number, openDepth: number): HTMLElement {
  if (isDeeper(v)) return deeperNode(key, v[DEEPER], depth);
  if (v && typeof v === 'object') {
    const isArray = Array.isArray(v);
    const entries: [string | number, unknown][] = isArray ? (v as unknown[]).map((x, i) => [i, x]) : Object.entries(v as object);
    if (!entries.length) {
      return h('div', { class: 'json-line' }, ...keyLabel(key), h('span', { class: 'tok-punct' }, isArray ? '[]' : '{}'));
    }
    const details = h('details', { class: 'json-node' });
    details.open = depth < openDepth;
    const summary = h('summary', {}, ...keyLabel(key), h('span', { class: 'tok-punct json-open' }, isArray ? '[' : '{'), h('span', { class: 'json-preview', testid: 'json-preview' }, jsonPreview(v)));
    details.appendChild(summary);
    const body = h('div', { class: 'json-children' });
    // Children are built when first opened: a 10 MB result must not build a huge DOM up front.
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      renderEntries(body, entries, 0, depth, openDepth);
    };
    if (details.open) build();
    details.addEventListener('toggle', () => details.open && build());
    append(details, body, h('div', { class: 'tok-punct json-close' }, isArray ? ']' : '}'));
    return details;
  }
  return h('div', { class: 'json-line' }, ...keyLabel(key), h('span', { class: `tok-${leafType(v)}` }, leafText(v)));
}

function renderEntries(body: HTMLElement, entries: [string | number, unknown][], from: number, depth: number, openDepth: number): void {
  const to = Math.min(entries.length, from + PAGE);
  for (let i = from; i < to; i++) body.appendChild(jsonNode(entries[i][0], entries[i][1], depth + 1, openDepth));
  if (to < entries.length) {
    const more = h('button', { class: 'linkish', testid: 'show-more' }, t('showMoreOf', Math.min(PAGE, entries.length - to), entries.length - to));
    more.addEventListener('click', () => {
      more.remove();
      renderEntries(body, entries, to, depth, openDepth);
    });
    body.appendChild(more);
  }
}

/** Syntax-coloured JSON text (Raw tab), truncated for display at `maxChars`. */
export function jsonText(text: string, maxChars: number, testid = 'raw-json', totalLength = text.length): HTMLElement {
  const shown = text.length > maxChars ? text.slice(0, maxChars) : text;
  const pre = h('pre', { class: 'json-text', testid });
  const tokens = tokenizeJson(shown);
  // Text nested beyond the indented levels is one line without white space: give the
  // line breaker a <wbr> every UNBROKEN characters (else its layout took seconds), and
  // write runs of one token type (20,000 closing brackets) as one element.
  let run = 0;
  let pending: JsonToken | undefined;
  let frag = document.createDocumentFragment();
  const flush = () => {
    if (!pending) return;
    frag.appendChild(pending.type === 'ws' ? document.createTextNode(pending.text) : h('span', { class: `tok-${pending.type}` }, pending.text));
    run = pending.type === 'ws' ? 0 : run + pending.text.length;
    if (run >= UNBROKEN) {
      frag.appendChild(document.createElement('wbr'));
      run = 0;
    }
    pending = undefined;
  };
  const tail = shown.length < totalLength ? h('div', { class: 'muted' }, t('moreCharactersCopy', totalLength - shown.length)) : undefined;
  // The first TOKENS_PER_TASK tokens now (a usual record is complete at once), the rest one batch per task.
  let at = 0;
  const batch = () => {
    const end = Math.min(tokens.length, at + TOKENS_PER_TASK);
    for (; at < end; at++) {
      const t = tokens[at];
      if (pending && pending.type === t.type && t.type === 'punct' && pending.text.length < UNBROKEN) pending = { type: 'punct', text: pending.text + t.text };
      else {
        flush();
        pending = t;
      }
    }
    if (at >= tokens.length) flush();
    pre.insertBefore(frag, tail ?? null);
    frag = document.createDocumentFragment();
    if (at < tokens.length) window.setTimeout(batch, 0);
  };
  if (tail) pre.appendChild(tail);
  batch();
  return pre;
}
