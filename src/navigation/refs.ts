// What a span points at in the user's source: its prompt, agent and tools.
// Backends fill span.prompt/agent/tool where their format says so; decoders
// that have not mapped a convention leave it in attributes, and some systems
// only encode the name in the span name (Agno `{Name}.run`, GenAI
// `invoke_agent {name}`), so all of those are read here. Pure: no `vscode`.
import type { Message, Part, Span } from '../model/types';

export type RefKind = 'prompt' | 'agent' | 'tool' | 'code';

export interface SourceRef {
  kind: RefKind;
  name?: string;
  id?: string;
  arn?: string;
  version?: number;
  /** Agno replaced spaces and hyphens by `_` in the span name: match any of them. */
  looseSeparators?: boolean;
  /** `code`: OTel `code.filepath` (as the producer saw it, often a container path). */
  file?: string;
  /** `code`: 1-based `code.lineno`. */
  lineno?: number;
}

const MAX_REFS = 12;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** Refs in priority order: prompt, the span's own tool, agent, then tools called in messages. */
export function refsOf(span: Span): SourceRef[] {
  const out: SourceRef[] = [];
  const a = span.attributes ?? {};
  const add = (ref: SourceRef) => {
    if (!ref.name && !ref.id && !ref.arn && !ref.file) return;
    const same = out.find((r) => r.kind === ref.kind && (r.name ?? '') === (ref.name ?? '') && (r.id ?? '') === (ref.id ?? '') && r.file === ref.file);
    if (same) {
      same.arn ??= ref.arn;
      return;
    }
    if (out.length < MAX_REFS) out.push(ref);
  };

  const p = span.prompt;
  const promptArn = str(p?.arn) ?? str(a.promptArn);
  const promptId = str(p?.id) ?? str(a.promptId);
  const promptName = str(p?.name) ?? str(a.promptName);
  if (promptArn || promptId || promptName) {
    add({ kind: 'prompt', id: promptId ?? idFromArn(promptArn), arn: promptArn, name: promptName, version: p?.version });
  }

  // OTel code attributes say exactly where the span's code is.
  const codeFile = str(a['code.filepath']) ?? str(a['code.file.path']);
  const codeLine = Number(a['code.lineno'] ?? a['code.line.number']);
  const codeFn = str(a['code.function.name']) ?? str(a['code.function']);
  if (codeFile) {
    add({ kind: 'code', file: codeFile, lineno: Number.isInteger(codeLine) && codeLine > 0 ? codeLine : undefined, name: codeFn });
  }

  const toolName =
    str(a['gen_ai.tool.name']) ?? str(a['tool.name']) ?? str(span.tool?.name) ?? nameAfter(span.name, 'execute_tool') ?? (span.kind === 'tool' ? str(span.name) : undefined);
  if (toolName) {
    // Agno and the OpenAI SDK name tool spans after the function; SGP/Agentex write `tool:<name>`, Q Connect `Tool.<Name>`.
    add({ kind: 'tool', name: backendToolName(toolName) });
  } else if (codeFn && span.kind !== 'agent') {
    add({ kind: 'tool', name: codeFn });
  }

  const agentName = str(span.agent?.name) ?? str(a['agent.name']) ?? str(a['gen_ai.agent.name']) ?? str(a.aiAgentName) ?? agentFromSpanName(span);
  const agentId = str(span.agent?.id) ?? str(a['gen_ai.agent.id']) ?? str(a.aiAgentId);
  const agentArn = str(a.aiAgentArn);
  if (agentName || agentId || agentArn) {
    const loose = !str(span.agent?.name) && agentName !== undefined && agentName === runName(span.name);
    add({ kind: 'agent', name: agentName, id: agentId, arn: agentArn, looseSeparators: loose || undefined });
  }

  for (const name of toolUseNames(span)) {
    add({ kind: 'tool', name });
  }
  return out;
}

/** A short human description: `prompt "answer" (id 1234…)`. */
export function describeRef(ref: SourceRef): string {
  if (ref.kind === 'code') return `code ${ref.file ?? ''}${ref.lineno ? `:${ref.lineno}` : ''}${ref.name ? ` (${ref.name})` : ''}`;
  const what = ref.name ? `${ref.kind} "${ref.name}"` : ref.kind;
  const id = ref.id ?? ref.arn;
  return id && ref.name ? `${what} (${id})` : id ? `${what} ${id}` : what;
}

/** `tool:reship_order` (SGP, Agentex) → `reship_order`; `Tool.GetOrderCharges` (Q Connect) → `GetOrderCharges`. */
export function backendToolName(name: string): string {
  const m = /^(?:tool:|Tool\.|tool\.|function:)\s*(.+)$/.exec(name);
  return m && m[1].trim() ? m[1].trim() : name;
}

function idFromArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const last = arn.split('/').pop();
  return last && last !== arn ? last.split(':')[0] : undefined;
}

/** `invoke_agent Billing Agent` → `Billing Agent` (GenAI span naming). */
function nameAfter(spanName: string, operation: string): string | undefined {
  return spanName.startsWith(`${operation} `) ? str(spanName.slice(operation.length + 1)) : undefined;
}

/** `Research_Agent.run` / `.arun` → `Research_Agent` (Agno). */
function runName(spanName: string): string | undefined {
  const m = /^(.+?)\.a?run$/.exec(spanName);
  return m ? m[1] : undefined;
}

function agentFromSpanName(span: Span): string | undefined {
  const genAi = nameAfter(span.name, 'invoke_agent') ?? nameAfter(span.name, 'create_agent');
  if (genAi) return genAi;
  const run = runName(span.name);
  if (run) return run;
  // The OpenAI Agents SDK names an agent span after the agent.
  return span.kind === 'agent' ? str(span.name) : undefined;
}

function toolUseNames(span: Span): string[] {
  const names = new Set<string>();
  const visit = (parts: Part[] | undefined) => {
    for (const part of parts ?? []) {
      if (part.type === 'toolUse' && part.name) names.add(part.name);
      else if (part.type === 'toolResult') visit(part.parts);
    }
  };
  const visitMessages = (messages: Message[] | undefined) => messages?.forEach((m) => visit(m.parts));
  visitMessages(span.input);
  visitMessages(span.output);
  return [...names];
}
