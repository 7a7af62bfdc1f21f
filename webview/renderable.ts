// What the panel shows, decided without a DOM: labels, value formatting,
// tool-call pairing, text folding, badge tones, the attribute table. The DOM
// modules only turn these decisions into elements, so the decisions are
// unit-tested directly (test/unit/panel/renderable.test.ts).
import { stringifyJson } from '../src/model/json';
import type { Citation, GuardrailAssessment, Message, Part, Span, SpanKind, SpanStatus } from '../src/model/types';
import type { PanelStrings } from '../src/protocol';
import { t } from './strings';

// ------------------------------------------------------------------ formatting

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  // Negative or over ten years: a broken clock, shown as the number it is.
  if (ms < 0 || ms > 315_576_000_000) return `${String(ms)} ms`;
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/**
 * 12345 → "12,345" (exact counts in the header; the waterfall uses durations
 * only). Integers beyond 2^53 arrive as digit strings (or bigint) and are
 * grouped digit by digit, never rounded; other values are shown as they are.
 */
export function formatInt(n: number | string | bigint | undefined): string {
  if (n === undefined || n === null) return '';
  if (typeof n === 'bigint') n = n.toString();
  if (typeof n === 'string') {
    const m = /^\s*(-?)(\d+)\s*$/.exec(n);
    return m ? m[1] + m[2].replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n;
  }
  if (typeof n !== 'number') return String(n);
  if (!Number.isFinite(n)) return String(n);
  // 1e21 and beyond print in exponent form; not an exact count anyway.
  if (Math.abs(n) >= 1e21) return String(n);
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number for a header field: exact digits for big integers, the value itself otherwise. */
export function formatNumber(v: unknown): string {
  if (typeof v === 'bigint' || (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v))) return formatInt(v);
  return String(v);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Local date and time with milliseconds: "2025-03-01 14:02:03.120". */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Time of day only, for message timestamps: "14:02:03". */
export function formatClock(ms: number | undefined): string {
  const t = formatTime(ms);
  return t ? t.slice(11, 19) : '';
}

export function spanDurationMs(span: Span): number | undefined {
  if (typeof span.durationMs === 'number' && Number.isFinite(span.durationMs)) return span.durationMs;
  return typeof span.endTime === 'number' && Number.isFinite(span.endTime) ? span.endTime - span.startTime : undefined;
}

// ------------------------------------------------------------------ header

/** Characters a one-line slot (a name, an id, a header field) shows; the rest is counted, not laid out. */
export const SLOT_CHARS = 4000;

/**
 * Untrusted one-line values are unbounded: a 2 MB span name laid out in the
 * header, the conversation and a title took the panel's main thread for
 * seconds. Long ones are cut with a count of what is not shown.
 */
export function slot(text: unknown, max = SLOT_CHARS): string {
  const s = typeof text === 'string' ? text : String(text ?? '');
  return s.length > max ? `${s.slice(0, max)}${t('moreCharactersCut', formatInt(s.length - max))}` : s;
}

/**
 * A header field: its stable English name (the `data-field` the tests select
 * on; shown through fieldLabel) and its value.
 */
export type Field = [name: string, value: string];

/** The fields' names → their localized labels (PanelStrings keys). */
const FIELD_LABELS = {
  Start: 'start',
  End: 'end',
  Duration: 'duration',
  'Time to first token': 'timeToFirstToken',
  Agent: 'agent',
  Type: 'type',
  Version: 'version',
  'Agent id': 'agentId',
  Model: 'model',
  'Response model': 'responseModel',
  Provider: 'provider',
  Temperature: 'temperature',
  'Top P': 'topP',
  'Max tokens': 'maxTokens',
  'Finish reasons': 'finishReasons',
  'Input tokens': 'inputTokens',
  'Output tokens': 'outputTokens',
  'Total tokens': 'totalTokens',
  'Cache read': 'cacheRead',
  'Cache write': 'cacheWrite',
  'Content id': 'contentId',
  'Knowledge base': 'knowledgeBase',
  'Guardrail id': 'guardrailId',
  Source: 'source',
  Name: 'name',
  'Prompt id': 'promptId',
  ARN: 'arn',
  'Span id': 'spanId',
  'Trace id': 'traceId',
  'Parent id': 'parentId',
} as const satisfies Record<string, keyof PanelStrings>;

export type FieldName = keyof typeof FIELD_LABELS;

/** A field's label: localized for the names above, the name itself otherwise (request ids named after their attribute). */
export function fieldLabel(name: string): string {
  return Object.hasOwn(FIELD_LABELS, name) ? t(FIELD_LABELS[name as FieldName]) : name;
}

function fields(list: [FieldName, unknown][]): Field[] {
  const out: Field[] = [];
  for (const [label, v] of list) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) out.push([label, v.map(String).join(', ')]);
    } else if (typeof v === 'number') {
      out.push([label, String(v)]);
    } else if (typeof v === 'bigint') {
      out.push([label, formatInt(v)]);
    } else {
      out.push([label, typeof v === 'string' ? v : JSON.stringify(v)]);
    }
  }
  return out;
}

/** Epoch ms the panel can show as a date (after 1970, before 2200; see src/model/time.ts). */
function plausible(ms: unknown): ms is number {
  return typeof ms === 'number' && ms > 0 && ms <= 7_258_118_400_000;
}

/** A duration, or the raw number of ms when it is not one a clock could measure (negative, > 10 years). */
function durationText(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  if (!Number.isFinite(ms) || ms < 0 || ms > 315_576_000_000) return `${String(ms)} ms`;
  return formatDuration(ms);
}

/**
 * Start, end, duration. Times that are not plausible dates are shown as the
 * numbers they are ("1e+301 ms since 1970"), never as an empty field; the
 * header's warning notices say what is wrong (NodeFlags.timing).
 */
export function timingFields(span: Span): Field[] {
  const ttft = span.model?.timeToFirstTokenMs;
  const time = (ms: unknown) => (ms === undefined || ms === 0 ? undefined : plausible(ms) ? formatTime(ms) : t('msSince1970', String(ms)));
  const start = time(span.startTime);
  const end = span.endTime;
  const odd = start !== undefined && !plausible(span.startTime);
  return fields([
    ['Start', start],
    ['End', odd || (end !== undefined && (!plausible(end) || end < span.startTime)) ? time(end) : undefined],
    ['Duration', durationText(spanDurationMs(span))],
    ['Time to first token', typeof ttft === 'number' ? durationText(ttft) : undefined],
  ]);
}

export function agentFields(span: Span): Field[] {
  const a = span.agent;
  if (!a || typeof a !== 'object') return [];
  return fields([
    ['Agent', a.name],
    ['Type', a.type],
    ['Version', a.version],
    ['Agent id', a.id],
  ]);
}

export function modelFields(span: Span): Field[] {
  const m = span.model;
  if (!m || typeof m !== 'object') return [];
  return fields([
    ['Model', m.request ?? m.response],
    ['Response model', m.request && m.response !== m.request ? m.response : undefined],
    ['Provider', m.provider],
    ['Temperature', m.temperature],
    ['Top P', m.topP],
    ['Max tokens', m.maxTokens],
    ['Finish reasons', m.finishReasons],
  ]);
}

export function usageFields(span: Span): Field[] {
  const u = span.usage;
  if (!u || typeof u !== 'object') return [];
  // Counts beyond 2^53 arrive as digit strings: shown exactly, never summed into a rounded total.
  const total = u.total !== undefined ? u.total : typeof u.input === 'number' && typeof u.output === 'number' ? u.input + u.output : typeof u.input === 'number' || typeof u.output === 'number' ? (u.input ?? 0) + (u.output ?? 0) : undefined;
  return fields([
    ['Input tokens', formatInt(u.input)],
    ['Output tokens', formatInt(u.output)],
    ['Total tokens', formatInt(total)],
    ['Cache read', formatInt(u.cacheRead)],
    ['Cache write', formatInt(u.cacheWrite)],
  ]);
}

const REQUEST_ID = /(?:^|[._\-\s])(?:origin[._-]?)?request[._-]?id$|^originrequest[._-]?id$/i;

/** Request ids kept in attributes (Q Connect `requestId`/`originRequestId`, `gen_ai.request.id`…). */
export function requestIds(attributes: Record<string, unknown> | undefined): Field[] {
  if (!attributes || typeof attributes !== 'object') return [];
  const out: Field[] = [];
  for (const [k, v] of Object.entries(attributes)) {
    if ((typeof v === 'string' || typeof v === 'number') && v !== '' && REQUEST_ID.test(k)) out.push([k, String(v)]);
  }
  return out;
}

/** A raw attribute key as a field label: `originRequestId` → "Origin request id", `gen_ai.request.id` → "Request id". */
export function humanKey(key: string): string {
  const words = key
    .replace(/^gen_ai\./, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const text = words.join(' ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : key;
}

/** The error type a backend recorded (Q Connect `errorType`, OpenTelemetry `error.type`, `exception.type`). */
export function errorType(span: Span): string | undefined {
  const a = span.attributes ?? {};
  for (const k of ['errorType', 'error.type', 'exception.type', 'error_type']) {
    const v = a[k];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export type Tone = 'ok' | 'error' | 'warning' | 'neutral';

export function statusTone(status: SpanStatus): Tone {
  switch (status) {
    case 'ok':
      return 'ok';
    case 'error':
    case 'timeout':
      return 'error';
    case 'cancelled':
      return 'warning';
    default:
      return 'neutral';
  }
}

/** Guardrail overall action and policy actions (NONE/BLOCKED/MASKED/…, any case). */
export function actionTone(action: string | undefined): Tone {
  const a = (action ?? '').toLowerCase();
  if (a === 'blocked' || a === 'block' || a === 'denied') return 'error';
  if (a === 'masked' || a === 'triggered' || a === 'anonymized' || a === 'intervened' || a === 'guardrail_intervened') return 'warning';
  if (a === 'none' || a === '' || a === 'allowed' || a === 'passed') return 'ok';
  return 'neutral';
}

export const KIND_ICONS: Record<SpanKind, string> = {
  agent: 'hubot',
  llm: 'sparkle',
  tool: 'tools',
  guardrail: 'shield',
  handoff: 'arrow-swap',
  retrieval: 'database',
  chain: 'link',
  speech: 'unmute',
  transcription: 'record-keys',
  custom: 'symbol-event',
};

export function kindIcon(kind: string): string {
  return KIND_ICONS[kind as SpanKind] ?? 'symbol-event';
}

// ------------------------------------------------------------------ messages

export interface RoleInfo {
  label: string;
  icon: string;
  /** Which side of the conversation: the model's or its counterpart's. */
  side: 'user' | 'model' | 'system' | 'tool';
}

export function roleInfo(role: string): RoleInfo {
  const r = String(role ?? '').toLowerCase();
  switch (r) {
    case 'user':
    case 'human':
      return { label: t('roleUser'), icon: 'account', side: 'user' };
    case 'customer':
      return { label: t('roleCustomer'), icon: 'account', side: 'user' };
    case 'assistant':
    case 'model':
    case 'ai':
      return { label: t('roleAssistant'), icon: 'hubot', side: 'model' };
    case 'bot':
      return { label: t('roleBot'), icon: 'hubot', side: 'model' };
    case 'agent':
      return { label: t('roleAgent'), icon: 'person', side: 'user' };
    case 'system':
    case 'developer':
      return { label: t(r === 'system' ? 'roleSystem' : 'roleDeveloper'), icon: 'settings-gear', side: 'system' };
    case 'tool':
    case 'function':
      return { label: t('roleTool'), icon: 'tools', side: 'tool' };
    default:
      return { label: role ? slot(String(role)) : t('roleUnknown'), icon: 'comment', side: 'user' };
  }
}

export interface ToolPairs {
  /** Tool results by the id of the call they answer. */
  results: Map<string, Extract<Part, { type: 'toolResult' }>>;
  /** Tool names by call id (labels standalone results). */
  names: Map<string, string>;
}

/** Indexes tool calls and results of a message list so each call can show its result. */
export function pairTools(...lists: (Message[] | Part[] | undefined)[]): ToolPairs {
  const pairs: ToolPairs = { results: new Map(), names: new Map() };
  // Iterative: results nest parts (results of results…) to any depth.
  const visit = (first: Part[] | undefined) => {
    const pending: (Part[] | undefined)[] = [first];
    while (pending.length) {
      const parts = pending.pop();
      if (!Array.isArray(parts)) continue;
      for (const p of parts) {
        if (!p || typeof p !== 'object') continue;
        if (p.type === 'toolUse' && typeof p.id === 'string' && p.id) pairs.names.set(p.id, p.name);
        else if (p.type === 'toolResult' && typeof p.id === 'string' && p.id && !pairs.results.has(p.id)) {
          pairs.results.set(p.id, p);
          pending.push(p.parts);
        }
      }
    }
  };
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (item && typeof item === 'object' && 'parts' in item && !('type' in item)) visit((item as Message).parts);
      else visit([item as Part]);
    }
  }
  return pairs;
}

export interface Folded {
  head: string;
  /** Characters hidden behind "Show more"; 0 when the text is shown whole. */
  hidden: number;
}

/** Long text is folded after `maxLines` lines or `maxChars` characters, whichever comes first. */
export function foldText(text: string, maxChars = 3000, maxLines = 40): Folded {
  let cut = text.length > maxChars ? maxChars : text.length;
  let lines = 0;
  for (let i = 0; i < cut; i++) {
    if (text.charCodeAt(i) === 10 && ++lines >= maxLines) {
      cut = i;
      break;
    }
  }
  if (cut >= text.length) return { head: text, hidden: 0 };
  // Do not fold away a tiny tail: it is cheaper to show than the button.
  if (text.length - cut < 200 && text.length <= maxChars * 1.2) return { head: text, hidden: 0 };
  return { head: text.slice(0, cut), hidden: text.length - cut };
}

export function citationFields(c: Citation): Field[] {
  if (!c || typeof c !== 'object') return [];
  return fields([
    ['Content id', c.contentId],
    ['Knowledge base', c.knowledgeBaseId ?? c.knowledgeBaseArn],
  ]);
}

/** What "copy" on a citation copies: the most specific reference it has. */
export function citationCopyText(c: Citation): string {
  return c.url ?? c.contentId ?? c.knowledgeBaseArn ?? c.knowledgeBaseId ?? c.title ?? '';
}

export function guardrailSummary(g: GuardrailAssessment): Field[] {
  return fields([
    ['Guardrail id', g.guardrailId],
    ['Source', g.source],
  ]);
}

/** Where a slice of at most `max` characters from `from` ends: a paragraph or line break when there is one. */
export function sliceEnd(text: string, from: number, max: number, markdown: boolean): number {
  const end = from + max;
  if (end >= text.length) return text.length;
  if (markdown) {
    const para = text.lastIndexOf('\n\n', end);
    if (para > from + max / 2) return para + 2;
  }
  const line = text.lastIndexOf('\n', end);
  return line > from + max / 2 ? line + 1 : end;
}

// ------------------------------------------------------------------ raw tab

export interface AttrRow {
  key: string;
  value: string;
}

const MAX_ATTR_VALUE = 4000;

/** All attributes as key/value rows sorted by key; `filter` matches keys and values, case-insensitively. */
/** An OTLP AnyValue (`{stringValue: "x"}`, `{intValue: "3"}`, `{arrayValue: {values: […]}}`) as a plain value. */
function unwrapAnyValue(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return v;
  const k = keys[0];
  if (k === 'arrayValue') {
    const values = (o.arrayValue as { values?: unknown[] } | undefined)?.values;
    return Array.isArray(values) ? values.map(unwrapAnyValue) : v;
  }
  return /^(string|int|double|bool|bytes|kvlist)Value$/.test(k) ? o[k] : v;
}

/**
 * Every attribute of the original record for the Raw tab's table: its top-level
 * fields (ids, status, request ids…), the entries of its `attributes` (an object,
 * or OTLP's `[{key, value}]` list), then normalized attributes it does not have.
 */
export function recordAttributes(original: unknown, normalized: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (original && typeof original === 'object' && !Array.isArray(original)) {
    for (const [k, v] of Object.entries(original as Record<string, unknown>)) {
      if (k !== 'attributes') out[k] = v;
    }
    const attrs = (original as Record<string, unknown>).attributes;
    if (Array.isArray(attrs)) {
      for (const a of attrs) {
        if (a && typeof a === 'object' && typeof (a as { key?: unknown }).key === 'string') out[(a as { key: string }).key] = unwrapAnyValue((a as { value?: unknown }).value);
      }
    } else if (attrs && typeof attrs === 'object') {
      Object.assign(out, attrs);
    }
  }
  for (const [k, v] of Object.entries(normalized ?? {})) if (!(k in out)) out[k] = v;
  return out;
}

export function attributeRows(attributes: Record<string, unknown> | undefined, filter = ''): AttrRow[] {
  if (!attributes || typeof attributes !== 'object') return [];
  const q = filter.trim().toLowerCase();
  const rows: AttrRow[] = [];
  for (const key of Object.keys(attributes).sort()) {
    const v = attributes[key];
    let value: string;
    if (typeof v === 'string') value = v;
    else if (typeof v === 'bigint') value = v.toString();
    // Iterative and stopped early: a 100,000-element or 20,000-deep value costs what is shown.
    else value = v === undefined ? 'undefined' : stringifyJson(v, { maxChars: MAX_ATTR_VALUE * 2 });
    if (value.length > MAX_ATTR_VALUE) {
      value = typeof v === 'string' ? `${value.slice(0, MAX_ATTR_VALUE)}${t('valueCut', formatInt(value.length))}` : `${value.slice(0, MAX_ATTR_VALUE)}${t('valueMoreOnRaw')}`;
    }
    if (q && !key.toLowerCase().includes(q) && !value.toLowerCase().includes(q)) continue;
    rows.push({ key, value });
  }
  return rows;
}

// ------------------------------------------------------------------ search highlighting

/** Non-overlapping [start, end) ranges of `query` in `text`, case-insensitive. */
export function findRanges(text: string, query: string, max = 1000): [number, number][] {
  const q = query.toLowerCase();
  if (!q) return [];
  const t = text.toLowerCase();
  // Lower-casing can change lengths (e.g. 'İ'); then offsets would be wrong, so highlight nothing.
  if (t.length !== text.length) return [];
  const out: [number, number][] = [];
  let i = t.indexOf(q);
  while (i >= 0 && out.length < max) {
    out.push([i, i + q.length]);
    i = t.indexOf(q, i + q.length);
  }
  return out;
}

// ------------------------------------------------------------------ images

export interface ImageInfo {
  /** e.g. `png`, from the part's format or MIME type. */
  format?: string;
  /** The inline data as a data: URL (decoded and drawn on a canvas by the panel), only for safe raster types (never SVG). */
  dataUrl?: string;
  /** Decoded size of inline data. */
  bytes?: number;
  /** Where a non-inline image lives (S3 URI, https URL, file id). */
  location?: string;
}

const SAFE_IMAGE = new Map([
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['jpg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
]);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function fromBase64(format: string | undefined, mime: string | undefined, data: string): ImageInfo {
  const fmt = (format ?? mime?.replace(/^image\//, ''))?.toLowerCase();
  const clean = data.replace(/\s+/g, '');
  const info: ImageInfo = { format: fmt, bytes: Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0) };
  const safeMime = fmt ? SAFE_IMAGE.get(fmt) : undefined;
  if (safeMime && /^[A-Za-z0-9+/]+={0,2}$/.test(clean)) info.dataUrl = `data:${safeMime};base64,${clean}`;
  return info;
}

function fromUrl(url: string, format?: string): ImageInfo {
  const m = /^data:(image\/[a-z+.-]+);base64,(.*)$/is.exec(url);
  if (m) return fromBase64(format, m[1].toLowerCase(), m[2]);
  return { format, location: url };
}

/**
 * An image content part in the shapes backends send it (Bedrock/Q Connect
 * `{image: {format, source}}`, Anthropic `{type: "image", source}`, OpenAI
 * `image_url`/`input_image`, OTel GenAI `blob`/`uri` with modality image), or
 * undefined when `raw` is not an image.
 */
export function imageInfo(raw: unknown): ImageInfo | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const img = o.image && typeof o.image === 'object' ? (o.image as Record<string, unknown>) : undefined;
  if (img) {
    const format = str(img.format);
    const source = (img.source && typeof img.source === 'object' ? img.source : {}) as Record<string, unknown>;
    if (typeof source.bytes === 'string') return fromBase64(format, undefined, source.bytes);
    const s3 = source.s3Location as { uri?: unknown } | undefined;
    return { format, location: str(s3?.uri) ?? str(source.uri) ?? str(source.url) };
  }
  const type = str(o.type);
  if (type === 'image' && o.source && typeof o.source === 'object') {
    const src = o.source as Record<string, unknown>;
    if (typeof src.data === 'string') return fromBase64(undefined, str(src.media_type) ?? str(src.mediaType), src.data);
    return { location: str(src.url) ?? str(src.file_id) };
  }
  if (type === 'image_url' || type === 'input_image') {
    const u = o.image_url;
    const url = typeof u === 'string' ? u : u && typeof u === 'object' ? str((u as { url?: unknown }).url) : undefined;
    if (url) return fromUrl(url);
    return { location: str(o.file_id) };
  }
  if ((type === 'blob' || type === 'uri' || type === 'image') && (o.modality === 'image' || str(o.mime_type)?.startsWith('image/') || type === 'image')) {
    const mime = str(o.mime_type) ?? str(o.mimeType);
    const data = str(o.content) ?? str(o.data);
    if (type === 'blob' && data) return fromBase64(undefined, mime, data);
    const uri = str(o.uri) ?? str(o.url);
    if (uri) return fromUrl(uri, mime?.replace(/^image\//, ''));
    if (data) return fromBase64(undefined, mime, data);
    return { format: mime?.replace(/^image\//, '') };
  }
  return undefined;
}

/** "12 KB" for a byte count. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
