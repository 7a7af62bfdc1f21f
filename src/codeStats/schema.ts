// A small JSON Schema check for tool-call arguments against the tool's
// declared parameters: type, required, properties, additionalProperties,
// enum, items. Enough to say "missing required order_id" or "limit should be
// integer"; anything it does not understand passes. Pure, bounded depth.

export interface SchemaProblem {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

const MAX_DEPTH = 10;
const MAX_PROBLEMS = 10;

export function checkSchema(value: unknown, schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // Iterative over (value, schema, path) so hostile nesting cannot blow the stack.
  const stack: { v: unknown; s: unknown; path: string; depth: number }[] = [{ v: value, s: schema, path: '', depth: 0 }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const { v, s, path, depth } = stack.pop()!;
    if (!s || typeof s !== 'object' || Array.isArray(s) || depth > MAX_DEPTH) continue;
    const sc = s as Schema;
    const actual = typeOf(v);
    const types = typeof sc.type === 'string' ? [sc.type] : Array.isArray(sc.type) ? sc.type.filter((t): t is string => typeof t === 'string') : [];
    const where = path || 'arguments';
    if (types.length && !types.some((t) => typeMatches(t, actual))) {
      problems.push({ path: where, message: `${where} should be ${types.join(' or ')}, got ${actual}` });
      continue;
    }
    if (Array.isArray(sc.enum) && !sc.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      problems.push({ path: where, message: `${where} should be one of ${sc.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    }
    if (actual === 'object') {
      const obj = v as Record<string, unknown>;
      const props = sc.properties && typeof sc.properties === 'object' ? (sc.properties as Record<string, unknown>) : {};
      for (const r of Array.isArray(sc.required) ? sc.required : []) {
        if (typeof r === 'string' && !(r in obj)) problems.push({ path: `${path}${path ? '.' : ''}${r}`, message: `missing required ${path ? `${path}.` : ''}${r}` });
      }
      for (const [k, child] of Object.entries(obj)) {
        const p = `${path}${path ? '.' : ''}${k}`;
        if (k in props) stack.push({ v: child, s: props[k], path: p, depth: depth + 1 });
        else if (sc.additionalProperties === false) problems.push({ path: p, message: `unexpected argument ${p}` });
      }
    } else if (actual === 'array' && sc.items && typeof sc.items === 'object') {
      (v as unknown[]).slice(0, 100).forEach((item, i) => stack.push({ v: item, s: sc.items, path: `${path}[${i}]`, depth: depth + 1 }));
    }
  }
  return problems;
}

/** Tool name → parameters schema, from what model-call spans declared (OpenInference `llm.tools.N.tool.json_schema`, GenAI definitions). */
export function declaredToolSchemas(attributes: Record<string, unknown>, into: Map<string, unknown>): void {
  for (const [k, v] of Object.entries(attributes)) {
    if (!/^llm\.tools\.\d+\.tool\.json_schema$/.test(k) && k !== 'gen_ai.tool.definitions') continue;
    let parsed: unknown = v;
    if (typeof v === 'string') {
      try {
        parsed = JSON.parse(v);
      } catch {
        continue;
      }
    }
    for (const def of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!def || typeof def !== 'object') continue;
      const d = def as Record<string, unknown>;
      const fn = (d.function && typeof d.function === 'object' ? d.function : d) as Record<string, unknown>;
      const params = fn.parameters ?? fn.input_schema ?? fn.inputSchema;
      if (typeof fn.name === 'string' && params && typeof params === 'object') into.set(fn.name, params);
    }
  }
}

const PY_TYPES: Record<string, string> = { str: 'string', int: 'integer', float: 'number', bool: 'boolean', list: 'array', dict: 'object', List: 'array', Dict: 'object' };
/** First parameters frameworks inject (OpenAI Agents RunContextWrapper, Agno agent/team, methods). */
const INJECTED = /^(?:self|cls|ctx|context|run_context|wrapper|agent|team)$|RunContextWrapper|ToolContext/;

/**
 * The parameters schema a Python tool declares in its signature, from the
 * source text starting at `def name(`: parameters without a default are
 * required, simple annotations give types, nothing else is accepted (tool
 * frameworks build exactly this schema). Undefined when there is no
 * signature or it takes **kwargs.
 */
export function schemaFromPythonDef(text: string, from: number): Record<string, unknown> | undefined {
  const open = text.indexOf('(', from);
  if (open < 0 || open - from > 200) return undefined;
  let depth = 0;
  let end = -1;
  for (let i = open; i < Math.min(text.length, open + 4000); i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        end = i;
        break;
      }
    }
  }
  if (end < 0) return undefined;
  // Split the parameter list on top-level commas.
  const params: string[] = [];
  let cur = '';
  depth = 0;
  for (const ch of text.slice(open + 1, end)) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      params.push(cur);
      cur = '';
    } else cur += ch;
  }
  params.push(cur);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let first = true;
  for (const raw of params) {
    const p = raw.replace(/#.*$/gm, '').trim();
    if (!p || p === '*' || p === '/') continue;
    if (p.startsWith('**')) return undefined;
    if (p.startsWith('*')) continue;
    const m = /^([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*(=.*)?$/s.exec(p);
    if (!m) return undefined;
    const [, name, annotation, dflt] = m;
    if (first && (INJECTED.test(name) || (annotation && INJECTED.test(annotation)))) {
      first = false;
      continue;
    }
    first = false;
    const base = annotation?.trim().replace(/^Optional\[(.*)\]$/, '$1').split('[')[0].trim();
    properties[name] = base && PY_TYPES[base] ? { type: PY_TYPES[base] } : {};
    if (!dflt && !/^Optional\[/.test(annotation?.trim() ?? '') && !/\|\s*None\b/.test(annotation ?? '')) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
