// The span view: header (name, kind, status, timing, agent, model, usage,
// request ids), then prompt, system instructions, the transcript, the tool
// call, guardrail results; and a Raw tab with the original record and a
// searchable attribute table.
import type { DataGrid, TextField } from '@vscode/webview-ui-toolkit';
import type { GuardrailAssessment, Part, Span } from '../src/model/types';
import { LIMITS, type HostMessage, type SpanAction } from '../src/protocol';
import { annotationList } from './annotationView';
import { costView } from './cost';
import { append, badge, copyButton, h, icon, iconButton, post, textButton } from './dom';
import { jsonBlock, jsonText } from './jsonView';
import { messageList, newContext, parts, textBody } from './parts';
import {
  actionTone,
  agentFields,
  attributeRows,
  recordAttributes,
  errorType,
  fieldLabel,
  guardrailSummary,
  kindIcon,
  modelFields,
  pairTools,
  requestIds,
  humanKey,
  slot,
  statusTone,
  timingFields,
  usageFields,
  type Field,
  type FieldName,
} from './renderable';
import { t } from './strings';

/** A `span` message from the host that found its span. */
export type SpanDetail = Omit<Extract<HostMessage, { type: 'span' }>, 'type' | 'span'> & { span: Span };

export interface SpanViewOptions {
  markdown: boolean;
  query: string;
  /** Which tab to show first ('details' | 'raw'). */
  tab: string;
  onTab(tab: string): void;
}

/** Attribute rows rendered at most (a grid of thousands of rows is slow and unreadable). */
const MAX_ATTR_ROWS = 1000;

export function spanView(d: SpanDetail, opts: SpanViewOptions): HTMLElement {
  const span = d.span;
  const root = h('div', { class: 'span-view', testid: 'span-view', data: { key: d.key } });
  root.appendChild(header(d));

  const tabs = h('vscode-panels', { testid: 'span-tabs', attrs: { activeid: opts.tab === 'raw' ? 'tab-raw' : 'tab-details', 'aria-label': t('spanDetails') } });
  const detailsTab = h('vscode-panel-tab', { testid: 'details-tab', attrs: { id: 'tab-details' } }, t('detailsTab'));
  const rawTab = h('vscode-panel-tab', { testid: 'raw-tab', attrs: { id: 'tab-raw' } }, t('rawTab'));
  const detailsView = h('vscode-panel-view', { attrs: { id: 'view-details' } }, details(span, d.key, opts, d.relatedResults));
  const rawView = h('vscode-panel-view', { attrs: { id: 'view-raw' } });
  // The Raw tab (pretty JSON of the whole record, attribute grid) is built the first time it is shown.
  let rawBuilt = false;
  const buildRaw = () => {
    if (!rawBuilt) {
      rawBuilt = true;
      rawView.appendChild(raw(d));
    }
  };
  if (opts.tab === 'raw') buildRaw();
  tabs.addEventListener('change', () => {
    const active = (tabs as unknown as { activeid?: string }).activeid === 'tab-raw' ? 'raw' : 'details';
    if (active === 'raw') buildRaw();
    opts.onTab(active);
  });
  rawTab.addEventListener('click', buildRaw);
  append(tabs, detailsTab, rawTab, detailsView, rawView);
  root.appendChild(tabs);
  return root;
}

function fieldList(list: Field[], testid: string, title: string, iconName: string): HTMLElement | undefined {
  if (!list.length) return undefined;
  return h(
    'div',
    { class: 'field-group', testid },
    h('div', { class: 'field-group-title' }, icon(iconName), ` ${title}`),
    h('dl', { class: 'fields' }, ...list.flatMap(([k, v]) => [h('dt', {}, fieldLabel(k)), h('dd', { data: { field: k } }, slot(v))])),
  );
}

function header(d: SpanDetail): HTMLElement {
  const span = d.span;
  const tone = statusTone(span.status);
  const errType = errorType(span);
  const actions = h(
    'div',
    { class: 'header-actions' },
    iconButtonAction('copy', t('copySpanId'), 'copySpanId', d.key, 'copy-span-id'),
    iconButtonAction('list-tree', t('revealInTree'), 'revealInTree', d.key, 'reveal-in-tree'),
  );
  const statusLine: (HTMLElement | undefined)[] = [];
  if (span.statusMessage || errType) {
    statusLine.push(
      h(
        'div',
        { class: `status-message tone-${tone}`, testid: 'span-status-message' },
        icon(tone === 'error' ? 'error' : 'info'),
        errType ? h('span', { class: 'error-type', testid: 'error-type' }, ` ${errType}`) : undefined,
        errType && span.statusMessage ? ': ' : ' ',
        slot(span.statusMessage ?? ''),
      ),
    );
  }
  const flags: string[] = [];
  if (d.flags.orphan) flags.push(t('orphanFlag', span.parentId ?? ''));
  if (d.flags.cycle) flags.push(t('cycleFlag'));
  if (d.flags.duplicate) flags.push(t('duplicateFlag', span.id, d.key));
  // Broken clocks: said in words, with the values as they are; the waterfall leaves these times off its axis.
  for (const problem of Array.isArray(d.flags.timing) ? d.flags.timing : []) flags.push(t('timingFlag', problem));

  const ids: Field[] = [['Span id', span.id]];
  if (span.traceId) ids.push(['Trace id', span.traceId]);
  if (span.parentId) ids.push(['Parent id', span.parentId]);

  return h(
    'div',
    { class: 'span-header', testid: 'span-header' },
    h(
      'div',
      { class: 'title-row' },
      h('span', { class: `kind-icon kind-${span.kind}` }, icon(kindIcon(span.kind))),
      h('h2', { class: 'span-name', testid: 'span-name' }, slot(span.name)),
      h('span', { class: `kind-tag kind-${span.kind}`, testid: 'span-kind' }, span.kind),
      badge(span.status, tone, 'span-status'),
      actions,
    ),
    ...statusLine,
    ...flags.map((f) => h('div', { class: 'notice tone-warning', testid: 'span-flag' }, icon('warning'), ' ', f)),
    h(
      'div',
      { class: 'field-groups' },
      fieldList(timingFields(span), 'timing', t('timing'), 'watch'),
      fieldList(agentFields(span), 'agent', t('agent'), 'hubot'),
      fieldList(modelFields(span), 'model', t('model'), 'sparkle'),
      fieldList(usageFields(span), 'usage', t('tokenUsage'), 'symbol-numeric'),
      d.cost
        ? h(
            'div',
            { class: 'field-group', testid: 'span-cost' },
            h('div', { class: 'field-group-title' }, icon('credit-card'), ` ${t('cost')}`),
            h('dl', { class: 'fields' }, h('dt', {}, t('llmCall')), h('dd', { data: { field: 'Cost' } }, costView(d.cost, 'span-cost-value'))),
          )
        : undefined,
      fieldList(requestIds(span.attributes).map(([k, v]): Field => [humanKey(k), v]), 'request-ids', t('requestIds'), 'key'),
      fieldList(ids, 'ids', t('ids'), 'symbol-key'),
    ),
  );
}

function iconButtonAction(iconName: string, label: string, action: SpanAction, key: string, testid: string): HTMLElement {
  const b = h('vscode-button', { testid, title: label, attrs: { appearance: 'icon', 'aria-label': label } }, icon(iconName));
  b.addEventListener('click', () => post({ type: 'action', action, key }));
  return b;
}

function section(title: string, testid: string, iconName: string, ...children: (HTMLElement | undefined)[]): HTMLElement {
  return h('section', { class: 'section', testid }, h('h3', { class: 'section-title' }, icon(iconName), ` ${title}`), ...children);
}

function details(span: Span, key: string, opts: SpanViewOptions, related: Extract<Part, { type: 'toolResult' }>[] = []): HTMLElement {
  const box = h('div', { class: 'details' });
  const pairs = pairTools(span.system, span.input, span.output);
  // A call whose result is another span (OTLP execute_tool): show that result with the call.
  for (const r of related) if (!pairs.results.has(r.id)) pairs.results.set(r.id, r);
  const ctx = newContext(opts.markdown, opts.query, pairs);

  if (span.prompt && typeof span.prompt === 'object') box.appendChild(promptRef(span, key));
  if (Array.isArray(span.system) && span.system.length) {
    box.appendChild(section(t('systemInstructions'), 'system', 'settings-gear', ...parts(span.system, ctx)));
  }
  const hasIn = Array.isArray(span.input) && span.input.length > 0;
  const hasOut = Array.isArray(span.output) && span.output.length > 0;
  if (hasIn || hasOut) {
    box.appendChild(
      section(
        t('transcript'),
        'transcript',
        'comment-discussion',
        hasIn ? h('div', { class: 'direction-label', testid: 'input-label' }, t('inputCount', span.input!.length)) : undefined,
        ...messageList(span.input, ctx, 'input'),
        hasOut ? h('div', { class: 'direction-label', testid: 'output-label' }, t('outputCount', span.output!.length)) : undefined,
        ...messageList(span.output, ctx, 'output'),
      ),
    );
  }
  if (span.tool && typeof span.tool === 'object') box.appendChild(toolSection(span, ctx.markdown, opts.query));
  if (Array.isArray(span.guardrails) && span.guardrails.length) {
    box.appendChild(section(t('guardrails', span.guardrails.length), 'guardrails', 'shield', ...span.guardrails.map(guardrail)));
  }
  if (Array.isArray(span.annotations) && span.annotations.length) {
    box.appendChild(section(t('annotations', span.annotations.length), 'annotations', 'checklist', ...annotationList(span.annotations)));
  }
  if (!box.childElementCount) {
    box.appendChild(h('div', { class: 'empty', testid: 'no-content' }, t('noContent')));
  }
  return box;
}

function promptRef(span: Span, key: string): HTMLElement {
  const p = span.prompt!;
  const list: Field[] = [];
  for (const [k, v] of [['Name', p.name], ['Prompt id', p.id], ['Version', p.version], ['Type', p.type], ['ARN', p.arn]] as [FieldName, unknown][]) {
    if (v !== undefined && v !== null && v !== '') list.push([k, String(v)]);
  }
  return section(
    t('prompt'),
    'prompt-ref',
    'file-code',
    h('dl', { class: 'fields' }, ...list.flatMap(([k, v]) => [h('dt', {}, fieldLabel(k)), h('dd', { class: 'mono', data: { field: k } }, slot(v))])),
    h('div', { class: 'button-row' }, textButton(t('goToPromptSource'), () => post({ type: 'action', action: 'goToPromptSource', key }), { icon: 'go-to-file', testid: 'goto-prompt' })),
  );
}

function toolSection(span: Span, markdown: boolean, query: string): HTMLElement {
  const tool = span.tool!;
  const error = typeof tool.error === 'string' && tool.error ? tool.error : undefined;
  return section(
    t('toolTitle', slot(tool.name ?? t('unnamed'))),
    'tool-span',
    'tools',
    tool.callId ? h('div', { class: 'muted' }, `${t('callId')} `, h('span', { class: 'mono' }, slot(tool.callId)), copyButton(() => String(tool.callId), t('copyCallId'))) : undefined,
    error ? h('div', { class: 'tool-error', testid: 'tool-error' }, icon('error'), ' ', slot(error)) : undefined,
    tool.arguments !== undefined ? jsonBlock(tool.arguments, { label: t('arguments'), testid: 'tool-arguments' }) : undefined,
    tool.result !== undefined
      ? typeof tool.result === 'string' && !/^\s*[[{]/.test(tool.result)
        ? h('div', { class: 'tool-result-text', testid: 'tool-span-result' }, h('div', { class: 'json-label' }, t('result')), textBody(tool.result, newContext(markdown, query, pairTools())))
        : jsonBlock(tool.result, { label: t('result'), testid: 'tool-span-result' })
      : undefined,
  );
}

function guardrail(g: GuardrailAssessment): HTMLElement {
  const safe = g && typeof g === 'object' ? g : ({ name: t('unknownGuardrail'), action: 'none', policies: [] } as unknown as GuardrailAssessment);
  const policies = Array.isArray(safe.policies) ? safe.policies : [];
  const tone = actionTone(safe.action);
  return h(
    'div',
    { class: `guardrail tone-border-${tone}`, testid: 'guardrail', data: { action: String(safe.action) } },
    h(
      'div',
      { class: 'guardrail-head' },
      icon('shield'),
      h('span', { class: 'guardrail-name', testid: 'guardrail-name' }, slot(safe.name ?? '')),
      badge(String(safe.action ?? '').toUpperCase(), tone, 'guardrail-action', t('overallAction')),
      ...guardrailSummary(safe).map(([k, v]) => h('span', { class: 'muted small' }, `${fieldLabel(k)}: `, h('span', { class: 'mono' }, v))),
    ),
    policies.length
      ? h(
          'table',
          { class: 'policy-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('policy')), h('th', {}, t('action')), h('th', {}, t('policyDetails')))),
          h(
            'tbody',
            {},
            ...policies.map((p) =>
              h(
                'tr',
                { testid: 'guardrail-policy', data: { action: String(p?.action ?? '') } },
                h('td', { class: 'mono' }, String(p?.type ?? '')),
                h('td', {}, badge(String(p?.action ?? '').toUpperCase(), actionTone(p?.action))),
                h('td', {}, p?.details ? String(p.details) : ''),
              ),
            ),
          ),
        )
      : h('div', { class: 'muted small' }, t('noPolicyDetails')),
  );
}

/** The original record behind the Raw tab's JSON (undefined when it is not JSON or too large to parse here). */
function parseRecord(text: string): unknown {
  if (!text || text.length > 5_000_000) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function raw(d: SpanDetail): HTMLElement {
  const box = h('div', { class: 'raw' });
  const text = d.raw ?? '';
  box.appendChild(
    h(
      'div',
      { class: 'raw-head' },
      h('h3', { class: 'section-title' }, icon('json'), ` ${d.rawIsOriginal ? t('originalRecord') : t('normalizedSpan')}`),
      d.rawLength ? iconButton('copy', t('copyJson'), () => post({ type: 'copyRaw', key: d.key }), 'copy-raw') : copyButton(() => text, t('copyJson'), 'copy-raw'),
    ),
  );
  box.appendChild(jsonText(text, LIMITS.rawDisplayChars, 'raw-json', d.rawLength));

  const attrs = recordAttributes(d.rawIsOriginal ? parseRecord(text) : undefined, d.span.attributes);
  const total = Object.keys(attrs).length;
  const filter = h('vscode-text-field', { testid: 'attr-filter', attrs: { placeholder: t('filterAttributes'), 'aria-label': t('filterAttributes') } }) as unknown as TextField & HTMLElement;
  filter.appendChild(Object.assign(icon('filter'), { slot: 'start' }));
  const grid = h('vscode-data-grid', { testid: 'attr-table', attrs: { 'generate-header': 'sticky', 'grid-template-columns': 'minmax(140px, 30%) 1fr', 'aria-label': t('attributes') } }) as unknown as DataGrid & HTMLElement;
  const count = h('span', { class: 'muted small', testid: 'attr-count' });
  const update = () => {
    const rows = attributeRows(attrs, filter.value ?? '');
    grid.rowsData = rows.slice(0, MAX_ATTR_ROWS);
    const one = total === 1;
    const counted = rows.length === total ? t(one ? 'attributeCount' : 'attributesCount', total) : t(one ? 'attributeCountOf' : 'attributesCountOf', rows.length, total);
    count.textContent = rows.length > MAX_ATTR_ROWS ? t('firstShown', counted, MAX_ATTR_ROWS) : counted;
  };
  grid.columnDefinitions = [
    { columnDataKey: 'key', title: t('key') },
    { columnDataKey: 'value', title: t('value') },
  ];
  filter.addEventListener('input', update);
  update();
  box.appendChild(h('section', { class: 'section attributes' }, h('div', { class: 'raw-head' }, h('h3', { class: 'section-title' }, icon('symbol-property'), ` ${t('attributes')}`), count), filter, grid));
  return box;
}
