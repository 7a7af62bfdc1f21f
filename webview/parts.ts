// Chat turns: messages labelled by participant, and their parts (text with
// citations, reasoning, tool calls paired with their results, unknown
// content). Shared by the span view and the session conversation.
import type { Citation, Message, Part } from '../src/model/types';
import { append, copyButton, h, hostLink, icon } from './dom';
import { parseIfJson } from './json';
import { jsonBlock } from './jsonView';
import { renderMarkdown } from './mdDom';
import { citationCopyText, citationFields, fieldLabel, findRanges, foldText, formatBytes, formatClock, formatTime, imageInfo, roleInfo, slot, type ImageInfo, type ToolPairs } from './renderable';
import { renderInSlices } from './slices';
import { t } from './strings';

export interface RenderContext {
  markdown: boolean;
  pairs: ToolPairs;
  /** Ids of results already shown nested in their call; where the result itself appears, a reference is shown. */
  nestedResults: Set<string>;
  /** Active search text, highlighted in plain text. */
  query: string;
}

export function newContext(markdown: boolean, query: string, pairs: ToolPairs): RenderContext {
  return { markdown, pairs, nestedResults: new Set(), query };
}

export function messageList(messages: Message[] | undefined, ctx: RenderContext, direction: 'input' | 'output'): HTMLElement[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((m) => message(m, ctx, direction));
}

export function message(m: Message, ctx: RenderContext, direction: 'input' | 'output'): HTMLElement {
  const safe = m && typeof m === 'object' ? m : ({ role: 'unknown', parts: [{ type: 'unknown', raw: m }] } as Message);
  const role = roleInfo(safe.role);
  const head = h(
    'div',
    { class: 'message-head' },
    icon(role.icon),
    h('span', { class: 'role', testid: 'message-role' }, role.label),
    safe.timestamp ? h('span', { class: 'muted', title: formatTime(safe.timestamp), testid: 'message-time' }, formatClock(safe.timestamp)) : undefined,
    safe.id ? h('span', { class: 'muted mono ellipsis', title: t('messageId', slot(safe.id, 500)) }, slot(safe.id)) : undefined,
  );
  const body = h('div', { class: 'message-body' }, ...parts(safe.parts, ctx));
  return h(
    'div',
    { class: `message side-${role.side}`, testid: 'message', data: { role: String(safe.role), side: role.side, direction } },
    head,
    body,
  );
}

export function parts(list: Part[] | undefined, ctx: RenderContext): HTMLElement[] {
  if (!Array.isArray(list)) return list === undefined ? [] : [unknownPart(list)];
  return list.map((p) => part(p, ctx));
}

function part(p: Part, ctx: RenderContext): HTMLElement {
  if (!p || typeof p !== 'object') return unknownPart(p);
  switch (p.type) {
    case 'text':
      return textPart(p, ctx);
    case 'reasoning':
      return reasoning(p.text, ctx);
    case 'toolUse':
      return toolUse(p, ctx);
    case 'toolResult':
      if (ctx.nestedResults.has(p.id)) return resultReference(p, ctx);
      return toolResult(p, ctx, false);
    case 'unknown': {
      const img = imageInfo(p.raw);
      return img ? imagePart(img, p.raw) : unknownPart(p.raw);
    }
    default:
      return unknownPart(p);
  }
}

/** Text, plain or Markdown, folded when long. */
export function textBody(text: string, ctx: RenderContext): HTMLElement {
  const value = typeof text === 'string' ? text : String(text ?? '');
  const box = h('div', { class: ctx.markdown ? 'text md' : 'text plain', testid: 'message-text' });
  const render = (s: string) => (ctx.markdown ? renderMarkdown(s, ctx.query) : plainText(s, ctx.query));
  const folded = foldText(value);
  box.appendChild(render(folded.head));
  if (folded.hidden) {
    const more = h('button', { class: 'linkish', testid: 'show-more' }, t('moreCharacters', folded.hidden.toLocaleString()));
    more.addEventListener('click', () => {
      box.replaceChildren();
      renderInSlices(box, value, 0, render, ctx.markdown);
    });
    box.appendChild(more);
  }
  return box;
}

/** Plain text with search matches wrapped in <mark>. */
export function plainText(text: string, query: string): HTMLElement {
  const el = h('div', { class: 'plain-text' });
  let at = 0;
  for (const [s, e] of query ? findRanges(text, query) : []) {
    append(el, text.slice(at, s), h('mark', {}, text.slice(s, e)));
    at = e;
  }
  append(el, text.slice(at));
  return el;
}

function textPart(p: Extract<Part, { type: 'text' }>, ctx: RenderContext): HTMLElement {
  const el = h('div', { class: p.blocked ? 'part part-text blocked' : 'part part-text' });
  if (p.blocked) {
    el.dataset.testid = 'blocked-text';
    el.appendChild(h('div', { class: 'blocked-label' }, icon('shield'), ` ${t('blockedByGuardrail')}`));
  }
  el.appendChild(textBody(p.text, ctx));
  if (Array.isArray(p.citations) && p.citations.length) {
    el.appendChild(h('div', { class: 'citations', testid: 'citations' }, h('div', { class: 'section-label' }, t('citations', p.citations.length)), ...p.citations.map(citation)));
  }
  return el;
}

function citation(c: Citation): HTMLElement {
  const safe: Citation = c && typeof c === 'object' ? c : {};
  const title = safe.title || safe.contentId || t('untitledSource');
  const titleEl = safe.url ? hostLink(safe.url, [title], 'citation-link') : h('span', { class: 'citation-title' }, title);
  const copyText = citationCopyText(safe);
  return h(
    'div',
    { class: 'citation', testid: 'citation' },
    icon('references'),
    h(
      'div',
      { class: 'citation-body' },
      titleEl,
      ...citationFields(safe).map(([k, v]) => h('div', { class: 'muted small' }, `${fieldLabel(k)}: `, h('span', { class: 'mono' }, v))),
    ),
    copyText ? copyButton(() => copyText, t('copyCitation'), 'copy-citation') : undefined,
  );
}

function reasoning(text: string, ctx: RenderContext): HTMLElement {
  const d = h('details', { class: 'part reasoning', testid: 'reasoning' });
  const value = typeof text === 'string' ? text : '';
  d.appendChild(h('summary', {}, icon('lightbulb'), ` ${t('reasoning', value.length.toLocaleString())}`));
  // Built when opened: reasoning can be long and is collapsed by default.
  d.addEventListener('toggle', () => {
    if (d.open && d.childElementCount === 1) d.appendChild(textBody(value, ctx));
  });
  return d;
}

function toolUse(p: Extract<Part, { type: 'toolUse' }>, ctx: RenderContext): HTMLElement {
  const id = typeof p.id === 'string' ? p.id : '';
  const el = h(
    'div',
    { class: 'part tool-use', testid: 'tool-use', data: { toolId: id } },
    h(
      'div',
      { class: 'tool-head' },
      icon('tools'),
      h('span', { class: 'tool-name', testid: 'tool-name' }, slot(p.name ?? t('unnamedTool'))),
      id ? h('span', { class: 'muted mono ellipsis', title: t('toolCallId') }, slot(id)) : undefined,
      id ? copyButton(() => id, t('copyToolCallId')) : undefined,
    ),
    jsonBlock(p.arguments, { label: t('arguments'), testid: 'tool-arguments' }),
  );
  const result = id ? ctx.pairs.results.get(id) : undefined;
  if (result && !ctx.nestedResults.has(id)) {
    ctx.nestedResults.add(id);
    el.appendChild(toolResult(result, ctx, true));
  } else el.appendChild(h('div', { class: 'muted small' }, t('noResultInView')));
  return el;
}

function toolResult(p: Extract<Part, { type: 'toolResult' }>, ctx: RenderContext, nested: boolean): HTMLElement {
  const id = typeof p.id === 'string' ? p.id : '';
  const name = ctx.pairs.names.get(id);
  const error = typeof p.error === 'string' && p.error ? p.error : undefined;
  const el = h(
    'div',
    { class: `part tool-result${error ? ' error' : ''}${nested ? ' nested' : ''}`, testid: 'tool-result', data: { toolId: id, error: error ? 'true' : undefined } },
    h(
      'div',
      { class: 'tool-head' },
      icon(error ? 'error' : 'output'),
      h('span', { class: 'tool-name' }, nested ? t('result') : t('resultOf', slot(name ?? t('toolCall')))),
      !nested && id ? h('span', { class: 'muted mono ellipsis', title: t('toolCallId') }, id) : undefined,
    ),
  );
  if (error) el.appendChild(h('div', { class: 'tool-error', testid: 'tool-error' }, icon('error'), ' ', slot(error)));
  for (const child of Array.isArray(p.parts) ? p.parts : []) {
    // Results are usually JSON text: show it as a tree when it parses.
    if (child && child.type === 'text' && typeof parseIfJson(child.text) === 'object' && !child.citations?.length && !child.blocked) {
      el.appendChild(jsonBlock(child.text, { testid: 'tool-result-json' }));
    } else {
      el.appendChild(part(child, ctx));
    }
  }
  return el;
}

function resultReference(p: Extract<Part, { type: 'toolResult' }>, ctx: RenderContext): HTMLElement {
  const name = ctx.pairs.names.get(p.id) ?? t('toolCall');
  const el = h('div', { class: 'part tool-result-ref muted', testid: 'tool-result-ref', data: { toolId: p.id } }, icon('reply'), ` ${t('resultShownAbove', name)} `);
  const jump = h('button', { class: 'linkish' }, t('show'));
  jump.addEventListener('click', () => {
    const target = [...document.querySelectorAll<HTMLElement>('[data-testid="tool-use"]')].find((x) => x.dataset.toolId === p.id);
    target?.scrollIntoView({ block: 'center' });
    target?.classList.add('flash');
    setTimeout(() => target?.classList.remove('flash'), 1200);
  });
  el.appendChild(jump);
  return el;
}

async function drawImage(canvas: HTMLCanvasElement, dataUrl: string): Promise<void> {
  const [head, b64] = dataUrl.split(',', 2);
  const mime = /^data:([^;]+);base64$/.exec(head)?.[1] ?? 'image/png';
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
  const scale = Math.min(1, 640 / bitmap.width, 320 / bitmap.height);
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
}

/** An image: shown when it is inline data of a safe type, else labelled with its format, size and location. */
function imagePart(img: ImageInfo, raw: unknown): HTMLElement {
  const label = [t('image'), img.format, img.bytes !== undefined ? formatBytes(img.bytes) : undefined].filter(Boolean).join(' · ');
  const el = h('div', { class: 'part image-part', testid: 'image-part' }, h('div', { class: 'muted' }, icon('file-media'), ` ${label}`));
  if (img.dataUrl) {
    // Drawn from the decoded bytes on a canvas: the CSP allows no data:/blob: image sources.
    const canvas = h('canvas', { class: 'inline-image', testid: 'inline-image', attrs: { role: 'img', 'aria-label': label } }) as HTMLCanvasElement;
    el.appendChild(canvas);
    void drawImage(canvas, img.dataUrl).catch(() => canvas.replaceWith(h('div', { class: 'muted small' }, t('imageNotDecoded'))));
  } else {
    if (img.location) el.appendChild(h('div', { class: 'mono small ellipsis', testid: 'image-location', title: img.location }, img.location));
    el.appendChild(jsonBlock(raw, { openDepth: 0 }));
  }
  return el;
}

export function unknownPart(raw: unknown): HTMLElement {
  return h('div', { class: 'part unknown-part', testid: 'unknown-part' }, h('div', { class: 'muted' }, icon('question'), ` ${t('unknownContent')}`), jsonBlock(raw === undefined ? null : raw, { openDepth: 1 }));
}
