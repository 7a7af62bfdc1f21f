// GenAI content that arrives as events instead of span attributes:
//  - log events (POST /v1/logs), the default of the OTel OpenAI instrumentation:
//    gen_ai.{system,user,assistant,tool}.message and gen_ai.choice (semconv ≤1.30),
//    gen_ai.client.inference.operation.details (latest semconv, event_only mode);
//  - span events of older instrumentations: gen_ai.content.prompt / .completion
//    with gen_ai.prompt / gen_ai.completion attributes.
// Messages fill the span's empty input/output/system slots; events that are
// not understood are returned, so the caller keeps them visible.
import type { Message, Part, Span } from '../../model/types';
import { contentParts, decodeChat, decodeMessage, resultParts } from '../decode/chat';
import { obj, parseIfJson, str } from '../decode/wire';
import { decodeGenAi } from './genai';

export interface GenAiEvent {
  name?: string;
  time?: number;
  attributes?: Record<string, unknown>;
  body?: unknown;
}

/** Fills `span` from the events; returns the events that carried nothing it understood. */
export function applyGenAiEvents(span: Span, events: readonly GenAiEvent[]): GenAiEvent[] {
  const input: Message[] = [];
  const output: Message[] = [];
  const system: Part[] = [];
  const finish: string[] = [];
  const left: GenAiEvent[] = [];
  for (const e of events) {
    const body = obj(e.body) ?? {};
    switch (e.name) {
      case 'gen_ai.system.message':
      case 'gen_ai.developer.message':
        system.push(...contentParts(body.content));
        break;
      case 'gen_ai.user.message':
      case 'gen_ai.assistant.message':
        push(input, decodeMessage({ ...body, role: e.name === 'gen_ai.user.message' ? 'user' : 'assistant' }));
        break;
      case 'gen_ai.tool.message':
        input.push({ role: 'tool', parts: [{ type: 'toolResult', id: str(body.id) ?? '', parts: contentParts(body.content) }] });
        break;
      case 'gen_ai.choice': {
        const message = obj(body.message) ?? {};
        push(output, decodeMessage({ ...message, role: str(message.role) ?? 'assistant' }));
        if (typeof body.finish_reason === 'string') finish.push(body.finish_reason);
        break;
      }
      case 'gen_ai.client.inference.operation.details': {
        // The same attributes a span carries in span_only mode.
        const rest = { ...(e.attributes ?? {}), ...body };
        decodeGenAi(rest, span);
        break;
      }
      case 'gen_ai.content.prompt':
      case 'gen_ai.content.completion': {
        const key = e.name === 'gen_ai.content.prompt' ? 'gen_ai.prompt' : 'gen_ai.completion';
        const value = parseIfJson(e.attributes?.[key]);
        if (value === undefined) {
          left.push(e);
          break;
        }
        const into = key === 'gen_ai.prompt' ? input : output;
        if (typeof value === 'string') {
          into.push({ role: key === 'gen_ai.prompt' ? 'user' : 'assistant', parts: resultParts(value) });
        } else {
          const chat = decodeChat(value, { splitSystem: key === 'gen_ai.prompt' });
          into.push(...chat.messages);
          system.push(...chat.system);
          finish.push(...chat.finishReasons);
        }
        break;
      }
      default:
        left.push(e);
    }
  }
  if (input.length && !span.input) span.input = input;
  if (output.length && !span.output) span.output = output;
  if (system.length && !span.system) span.system = system;
  if (finish.length && !span.model?.finishReasons) (span.model ??= {}).finishReasons = finish;
  return left;
}

/** Content capture off leaves empty messages: they say nothing. */
function push(list: Message[], m: Message): void {
  if (m.parts.length) list.push(m);
}
