// What construct a name stands in, read from the text around it without
// parsing: the call a `name` key belongs to (walking back over balanced
// brackets, so multi-line calls, generics and long bodies before the options
// work), the decorators above a `def`, the class around a field, the
// CloudFormation resource or YAML parent key above a `Name:`. Pure: no `vscode`.

export const NAME_KEY = /(?:^|[^\w])(name|Name|NAME|name_override|tool_name|toolName|ToolName)["']?(?:\s*:\s*[\w.[\]| ]+?(?=\s*=))?\s*[:=]\s*$/;
/** A string constant holding an agent/tool/prompt name: `ESCALATION_AGENT_NAME = "…"`, `const toolName = '…'` (not `display_name`). */
export const CONSTANT = /^\s*(?:export\s+)?(?:(?:const|let|var|final)\s+)?([A-Z][A-Z0-9_]*_NAME|(?:[a-z]\w*_)?(?:agent|tool|prompt)_name|(?:[a-z]\w*)?(?:[Aa]gent|[Tt]ool|[Pp]rompt)Name)\s*(?::\s*[\w.[\]]+\s*)?=\s*$/;
export const CODE_DEF = /(?:^|[^\w.])(?:(?:export\s+)?(?:default\s+)?(?:async\s+)?(def|function\*?|class|interface|enum)|(?:export\s+)?(const|let|var))\s+$/;

export interface Construct {
  label: string;
  score: number;
  /** What the construct defines, when it says. */
  kind?: 'agent' | 'tool' | 'prompt';
  /** Offset of the construct's call `(`: a `const x = tool({ name })` line and its `name:` line are one definition. */
  open?: number;
}

/** Agent constructors: `Agent`, `Team`, and the `…Agent` classes of most frameworks (RealtimeAgent, LlmAgent, AssistantAgent, CodeAgent…). */
const AGENT_CALLS = /^(?:Agent|Team|[A-Z]\w*Agent|create_react_agent|createReactAgent|create_agent|createAgent|create_supervisor|createSupervisor|Swarm)$/;
const TOOL_CALLS = /^(?:function_tool|tool|as_tool|asTool|StructuredTool|DynamicStructuredTool|DynamicTool|FunctionTool|Tool|registerTool|defn|hostedMcpTool|from_function|fromFunction)$/;

/**
 * The call a position is an argument of, walking back over balanced
 * brackets: `Agent[Ctx](\n  name=` → `Agent`; `new Agent<Ctx>({ name` →
 * `new Agent`; `tool(async () => { … }, { name` → `tool`.
 */
export function enclosingCall(text: string, index: number, limit = 4000): { callee: string; decorator: boolean; isNew: boolean; open: number } | undefined {
  const stop = Math.max(0, index - limit);
  let depth = 0;
  for (let i = index - 1; i >= stop; i--) {
    const ch = text[i];
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (ch === '(') return calleeBefore(text, i);
      // An object or list literal: an argument (`(` or `,` before it) or a value of a key.
      let j = i - 1;
      while (j >= stop && /\s/.test(text[j])) j--;
      const prev = text[j];
      if (prev === '(' || prev === ',' || prev === '[') continue;
      if (ch === '{' && (prev === ')' || prev === '>' || prev === '{' || prev === ';')) return undefined; // a block: class/function body
      return undefined;
    }
  }
  return undefined;
}

function calleeBefore(text: string, paren: number): { callee: string; decorator: boolean; isNew: boolean; open: number } | undefined {
  let j = paren - 1;
  while (j >= 0 && /\s/.test(text[j])) j--;
  // Skip a generic `[Ctx]` / `<Ctx>` between the name and the call.
  if (text[j] === ']' || text[j] === '>') {
    const close = text[j];
    const openCh = close === ']' ? '[' : '<';
    let d = 0;
    for (; j >= 0; j--) {
      if (text[j] === close) d++;
      else if (text[j] === openCh && --d === 0) break;
    }
    j--;
    while (j >= 0 && /\s/.test(text[j])) j--;
  }
  const head = text.slice(Math.max(0, j - 120), j + 1);
  const m = /((?:[\w$]+(?:\(\))?\s*\.\s*)*[\w$]+)$/.exec(head);
  if (!m) return undefined;
  const before = head.slice(0, head.length - m[0].length);
  return { callee: m[1].replace(/\s+/g, ''), decorator: /@\s*$/.test(before), isNew: /\bnew\s+$/.test(before), open: paren };
}

function lastSegment(callee: string): string {
  return callee.slice(callee.lastIndexOf('.') + 1);
}

const CFN = /AWS::Wisdom::(AIPrompt|AIAgent)|\bCfnAI(Prompt|Agent)\b/g;

/** The CloudFormation resource type above a YAML/JSON `Name` (within the same resource). */
function cfnTypeAbove(text: string, index: number): 'prompt' | 'agent' | undefined {
  const window = text.slice(Math.max(0, index - 1500), index);
  let last: RegExpExecArray | undefined;
  CFN.lastIndex = 0;
  for (let m = CFN.exec(window); m; m = CFN.exec(window)) last = m;
  if (!last) return undefined;
  // Another resource in between (a new `Type:` line) means the name is not this one's.
  const after = window.slice(last.index + last[0].length);
  if (/\n\s*"?Type"?\s*:\s*"?AWS::(?!Wisdom::AI)/.test(after)) return undefined;
  return /Prompt$/.test(last[1] ?? last[2]) ? 'prompt' : 'agent';
}

/** The YAML parent key of a line (`agent:` above `  name: x`). */
function yamlParent(text: string, lineStart: number): string | undefined {
  const line = text.slice(lineStart, text.indexOf('\n', lineStart) >>> 0 || undefined);
  const indent = /^\s*/.exec(line)![0].length;
  let pos = lineStart - 1;
  for (let n = 0; n < 60 && pos > 0; n++) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const l = text.slice(start, pos);
    pos = start - 1;
    if (!l.trim() || /^\s*#/.test(l)) continue;
    const ind = /^\s*/.exec(l)![0].length;
    if (ind < indent) {
      const k = /^\s*-?\s*([\w.-]+)\s*:/.exec(l);
      return k?.[1];
    }
    if (pos <= 0) break;
  }
  return undefined;
}

/** What a `name`-like key's value defines, from the construct around it. */
export function nameKeyConstruct(text: string, keyIndex: number, key: string, ext: string, rel: string, lineStart: number): Construct {
  const yamlLike = ext === 'yaml' || ext === 'yml' || ext === 'json' || ext === 'prompt';
  if (yamlLike) {
    if (key === 'ToolName' && /ToolConfigurations/.test(text.slice(Math.max(0, keyIndex - 2000), keyIndex))) {
      return { label: 'Q Connect tool configuration', score: 3, kind: 'tool' };
    }
    const cfn = key === 'Name' ? cfnTypeAbove(text, keyIndex) : undefined;
    if (cfn) return { label: cfn === 'prompt' ? 'AWS::Wisdom::AIPrompt resource' : 'AWS::Wisdom::AIAgent resource', score: 3, kind: cfn };
    if (ext === 'prompt' || /(^|\/)prompts?\//.test(rel)) return { label: 'prompt file name:', score: 3, kind: 'prompt' };
    const parent = ext === 'json' ? undefined : yamlParent(text, lineStart);
    if (parent === 'agent' && /(^|\/)manifest\.ya?ml$/.test(rel)) return { label: 'Agentex manifest agent', score: 3, kind: 'agent' };
    if (ext === 'json') return { label: 'JSON "name"', score: 1 };
    return { label: 'YAML name:', score: 1 };
  }
  const call = enclosingCall(text, keyIndex);
  if (call) return { ...callConstruct(text, keyIndex, key, ext, call), open: call.open };
  return classField(text, keyIndex, key);
}

function callConstruct(text: string, keyIndex: number, key: string, ext: string, call: NonNullable<ReturnType<typeof enclosingCall>>): Construct {
  {
    const seg = lastSegment(call.callee);
    if (/^CfnAIPrompt$/.test(seg)) return { label: 'CDK CfnAIPrompt', score: 3, kind: 'prompt' };
    if (/^CfnAIAgent$/.test(seg)) return { label: 'CDK CfnAIAgent', score: 3, kind: 'agent' };
    const agentCall = AGENT_CALLS.test(seg) ? seg : /^(Agent|Team)\.create$/.test(call.callee.replace(/^.*\.(\w+\.create)$/, '$1')) ? call.callee : undefined;
    if (agentCall) {
      const label = ext === 'py' ? `${agentCall}(name=…)` : call.isNew ? `new ${agentCall}({ name })` : `${agentCall}({ name })`;
      return { label, score: 3, kind: 'agent' };
    }
    if (seg === 'clone') return { label: 'agent.clone({ name })', score: 2, kind: 'agent' };
    if (TOOL_CALLS.test(seg) || /(?:^|\.)tool$/.test(call.callee)) {
      const label = call.decorator ? `@${call.callee}(${key}=…)` : ext === 'py' ? `${call.callee}(${key}=…)` : `${seg}({ ${key} })`;
      return { label, score: 3, kind: 'tool' };
    }
    if (call.decorator) {
      // `@kernel_function(name="x")`, `@app.task(name="x")`: a decorator naming the function below.
      return { label: `@${call.callee}(${key}=…)`, score: 2 };
    }
    if (call.callee === 'super().__init__' || call.callee.endsWith('.__init__')) {
      if (/class\s+\w+\s*\([^)]*Toolkit[^)]*\)\s*:/.test(text.slice(Math.max(0, keyIndex - 3000), keyIndex))) return { label: 'Toolkit name', score: 2, kind: 'tool' };
    }
    return { label: `${call.callee}(${key}=…)`, score: 1 };
  }
}

function classField(text: string, keyIndex: number, key: string): Construct {
  // `name = "x"` as a class field or `this.name = "x"`: a tool when the class is one.
  const cls = /class\s+(\w+)\s*(?:\(([^)]*)\)|extends\s+([\w.]+))/g;
  let last: RegExpExecArray | undefined;
  const head = text.slice(Math.max(0, keyIndex - 3000), keyIndex);
  for (let m = cls.exec(head); m; m = cls.exec(head)) last = m;
  const bases = last?.[2] ?? last?.[3] ?? '';
  if (last && /(?:^|\W)(?:Base|Structured|Dynamic)?Tool\b/.test(bases)) return { label: `${last[1]} tool class`, score: 3, kind: 'tool' };
  if (last && /(?:^|\W)(?:\w*Agent|Team)\b/.test(bases)) return { label: `${last[1]} agent class`, score: 3, kind: 'agent' };
  return { label: `${key} = …`, score: 1 };
}

/** The decorators just above a `def` line (several lines when they take arguments), last first. */
function decoratorsAbove(text: string, lineStart: number): string[] {
  let block = text.slice(Math.max(0, lineStart - 800), lineStart).replace(/\s+$/, '');
  const out: string[] = [];
  const last = /@\s*([\w.]+)\s*(?:\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?$/;
  for (let m = last.exec(block); m && out.length < 5; m = last.exec(block)) {
    out.push(m[1]);
    block = block.slice(0, m.index).replace(/\s+$/, '');
  }
  return out;
}

/** A `def`/`function`/`class`/`const` named after the reference. */
export function codeDefConstruct(text: string, lineStart: number, valueEnd: number, keyword: string, line: string, ext: string): Construct {
  if (keyword === 'def') {
    const tool = decoratorsAbove(text, lineStart).find((d) => /(?:^|\.)(function_tool|tool|defn)$/.test(d));
    if (tool) return { label: `@${tool} def`, score: 3, kind: 'tool' };
    const indent = /^\s*/.exec(line)![0].length;
    if (indent > 0) {
      const cls = enclosingPythonClass(text, lineStart, indent);
      if (cls && /Toolkit|Tools\b/.test(cls.bases)) return { label: `${cls.name} toolkit method`, score: 3, kind: 'tool' };
      return { label: 'method', score: 1 };
    }
    return { label: 'def', score: 2 };
  }
  if (keyword === 'const' || keyword === 'let' || keyword === 'var') {
    const rest = text.slice(valueEnd, valueEnd + 120);
    const open = (m: RegExpExecArray) => valueEnd + m[0].length - 1;
    const t = /^\s*(?::[^=]+)?=\s*(?:await\s+)?(?:[\w$]+\.)*tool\s*\(/.exec(rest);
    if (t) return { label: `${keyword} = tool(…)`, score: 2, kind: 'tool', open: open(t) };
    const a = /^\s*(?::[^=]+)?=\s*(?:new\s+)?(?:[\w$]+\.)*(?:Agent|createReactAgent|createAgent)\s*(?:<[^>]*>)?\s*\(/.exec(rest);
    if (a) return { label: `${keyword} = ${a[0].replace(/^[\s:=]+/, '').replace(/\s*\($/, '')}(…)`, score: 2, kind: 'agent', open: open(a) };
    return { label: keyword, score: 1 };
  }
  if (ext === 'py' || ext === 'ts' || ext === 'js') return { label: keyword.replace('*', ''), score: 2 };
  return { label: keyword, score: 1 };
}

function enclosingPythonClass(text: string, lineStart: number, indent: number): { name: string; bases: string } | undefined {
  const re = /^([ \t]*)class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/gm;
  let found: { name: string; bases: string } | undefined;
  const head = text.slice(0, lineStart);
  for (let m = re.exec(head); m; m = re.exec(head)) {
    if (m[1].length < indent) found = { name: m[2], bases: m[3] ?? '' };
  }
  return found;
}

/** `server.tool('x', …)`, `registerTool(\n 'x',`, `@tool("x")`, `add_node("x", …)`: a name given as a call's first argument. */
export function positionalConstruct(text: string, valueStart: number): Construct | undefined {
  let j = valueStart - 2; // before the opening quote
  while (j >= 0 && /\s/.test(text[j])) j--;
  if (text[j] !== '(') return undefined;
  const call = calleeBefore(text, j);
  if (!call) return undefined;
  const seg = lastSegment(call.callee);
  if (seg === 'tool' || seg === 'registerTool' || seg === 'function_tool' || seg === 'defn' || seg === 'Tool') {
    return { label: call.decorator ? `@${call.callee}("…")` : `${call.callee}('…', …)`, score: 3, kind: 'tool' };
  }
  if (seg === 'add_node' || seg === 'addNode') return { label: `${call.callee}("…")`, score: 1, kind: 'agent' };
  if (seg === 'prompt' || seg === 'registerPrompt') return { label: `${call.callee}('…', …)`, score: 3, kind: 'prompt' };
  return undefined;
}

/** `def name(self): return "web_search"` (the OpenAI SDK's hosted tools). */
export function namePropertyConstruct(text: string, valueStart: number): Construct | undefined {
  const before = text.slice(Math.max(0, valueStart - 120), valueStart - 1);
  return /def\s+name\s*\(\s*self\s*\)[^\n]*:\s*\n\s*return\s*$/.test(before) ? { label: 'name property', score: 3, kind: 'tool' } : undefined;
}
