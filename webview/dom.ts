// The only way the panel builds DOM: createElement + textContent. No HTML
// strings anywhere (a unit test greps webview/ for innerHTML & co.), so span
// content can never become markup. Styles are set through CSSOM properties,
// which the CSP allows (style attributes in markup would not be).
import type { TableWebviewMessage, WebviewMessage } from '../src/protocol';
import { t } from './strings';

type Child = Node | string | undefined | null | false;

export interface Props {
  class?: string;
  testid?: string;
  title?: string;
  role?: string;
  tabIndex?: number;
  /** data-* attributes (without the prefix). */
  data?: Record<string, string | number | undefined>;
  /** Other attributes (aria-*, appearance for toolkit elements…). Values are set with setAttribute. */
  attrs?: Record<string, string | undefined>;
  onClick?: (e: MouseEvent) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.testid) el.dataset.testid = props.testid;
  if (props.title) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  if (props.tabIndex !== undefined) el.tabIndex = props.tabIndex;
  if (props.data) {
    for (const [k, v] of Object.entries(props.data)) if (v !== undefined) el.dataset[k] = String(v);
  }
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) if (v !== undefined) el.setAttribute(k, v);
  }
  if (props.onClick) el.addEventListener('click', props.onClick);
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (typeof c === 'string') appendText(el, c);
    else el.appendChild(c);
  }
}

/** Runs longer than this without white space get <wbr> break opportunities. */
const UNBROKEN = 1000;

/**
 * Appends text as text nodes. A long run without white space (a base64 blob,
 * a minified payload) is given a <wbr> every UNBROKEN characters: Chromium's
 * line breaking of one huge word takes minutes, with break opportunities it
 * is linear. The text content is unchanged.
 */
export function appendText(el: Node, text: string): void {
  if (text.length <= UNBROKEN) {
    el.appendChild(document.createTextNode(text));
    return;
  }
  let pending = '';
  for (let at = 0; at < text.length; at += UNBROKEN) {
    const slice = text.slice(at, at + UNBROKEN);
    pending += slice;
    if (!/\s/.test(slice)) {
      el.appendChild(document.createTextNode(pending));
      el.appendChild(document.createElement('wbr'));
      pending = '';
    }
  }
  if (pending) el.appendChild(document.createTextNode(pending));
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function icon(name: string, title?: string): HTMLElement {
  // The name comes from our own tables, never from span data.
  const el = h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': title ? undefined : 'true' } });
  if (title) {
    el.title = title;
    el.setAttribute('aria-label', title);
    el.setAttribute('role', 'img');
  }
  return el;
}

// ------------------------------------------------------------------ host messages

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

/** The sessions table's bundle posts its own message union. */
export function postTable(message: TableWebviewMessage): void {
  api.postMessage(message);
}

export function getState<T>(): T | undefined {
  return api.getState() as T | undefined;
}

export function setState(state: unknown): void {
  api.setState(state);
}

// ------------------------------------------------------------------ toolkit helpers

/** A toolkit icon button (`vscode-button appearance="icon"`) with an accessible label. */
export function iconButton(name: string, label: string, onClick: (e: MouseEvent) => void, testid?: string): HTMLElement {
  const b = h('vscode-button', { testid, title: label, attrs: { appearance: 'icon', 'aria-label': label } }, icon(name));
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick(e as MouseEvent);
  });
  return b;
}

/** A text button (`vscode-button appearance="secondary"`), optionally with a leading codicon. */
export function textButton(label: string, onClick: () => void, opts: { icon?: string; testid?: string; primary?: boolean } = {}): HTMLElement {
  const b = h('vscode-button', { testid: opts.testid, attrs: { appearance: opts.primary ? 'primary' : 'secondary' } });
  if (opts.icon) {
    const i = icon(opts.icon);
    i.slot = 'start';
    b.appendChild(i);
  }
  append(b, label);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/** Copies through the host (vscode.env.clipboard): the webview's own clipboard access is unreliable. */
export function copyButton(getText: () => string, label = t('copy'), testid = 'copy'): HTMLElement {
  return iconButton('copy', label, () => post({ type: 'copy', text: getText() }), testid);
}

/** A link-looking element; the host opens the URL (after checking it), never the webview. */
export function hostLink(url: string, children: Child[], testid?: string): HTMLElement {
  const a = h('a', { class: 'link', title: url, role: 'link', tabIndex: 0, testid, data: { url } }, ...children);
  const open = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    post({ type: 'openLink', url });
  };
  a.addEventListener('click', open);
  a.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open(e);
  });
  return a;
}

export function badge(text: string, tone: string, testid?: string, title?: string): HTMLElement {
  return h('span', { class: `pill tone-${tone}`, testid, title }, text);
}
