"""Feeds a trace store (Jaeger, Phoenix) through the real OpenTelemetry Python
SDK and its OTLP exporter, like an agent process would.

It writes agent runs in the GenAI conventions (conversations of several
traces, carrying gen_ai.conversation.id) and in the OpenInference conventions
(carrying session.id), optionally one very large trace, and prints a JSON
summary (trace ids by session) on stdout for the test to check against.

    python store_producer.py --endpoint http://127.0.0.1:4318/v1/traces \
        --service agent-py --conversations 3 --traces-per-conversation 2 --big 0
"""

import json
import sys

from opentelemetry import context, trace
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode
from store_export import store_arguments, store_provider


def exporter_for(args):
    headers = dict(h.split("=", 1) for h in args.header)
    if args.protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=args.endpoint, insecure=True, headers=headers or None)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(endpoint=args.endpoint, headers=headers or None, timeout=60)


def genai_run(tracer, conversation_id, turn):
    """invoke_agent → chat (tool call) → execute_tool → chat (answer)."""
    root = tracer.start_span(
        "invoke_agent Travel agent",
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "Travel agent",
            "gen_ai.conversation.id": conversation_id,
            "gen_ai.provider.name": "openai",
            "app.turn": turn,
        },
    )
    ctx = trace.set_span_in_context(root)
    chat = tracer.start_span(
        "chat gpt-4o",
        context=ctx,
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.usage.input_tokens": 40 + turn,
            "gen_ai.usage.output_tokens": 7,
            "gen_ai.input.messages": json.dumps(
                [{"role": "user", "parts": [{"type": "text", "content": f"Trip plan, turn {turn}"}]}]
            ),
            "gen_ai.output.messages": json.dumps(
                [
                    {
                        "role": "assistant",
                        "parts": [{"type": "tool_call", "id": f"call_{turn}", "name": "find_flights", "arguments": {"to": "Lisbon"}}],
                        "finish_reason": "tool_calls",
                    }
                ]
            ),
            "store.unknown_field": "kept",
        },
    )
    chat.end()
    tool = tracer.start_span(
        "execute_tool find_flights",
        context=ctx,
        attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "find_flights", "gen_ai.tool.call.id": f"call_{turn}"},
    )
    if turn == 0:
        tool.set_status(Status(StatusCode.ERROR, "flight search timed out"))
    tool.end()
    answer = tracer.start_span(
        "chat gpt-4o",
        context=ctx,
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.output.messages": json.dumps(
                [{"role": "assistant", "parts": [{"type": "text", "content": "Here is your plan."}], "finish_reason": "stop"}]
            ),
        },
    )
    answer.end()
    root.end()
    return format(root.get_span_context().trace_id, "032x")


def openinference_run(tracer, session_id):
    """AGENT → LLM → TOOL in the OpenInference conventions, with session.id on every span."""
    root = tracer.start_span(
        "Support agent",
        attributes={"openinference.span.kind": "AGENT", "session.id": session_id, "input.value": "Where is my order?", "output.value": "It ships today."},
    )
    ctx = trace.set_span_in_context(root)
    llm = tracer.start_span(
        "ChatCompletion",
        context=ctx,
        attributes={
            "openinference.span.kind": "LLM",
            "session.id": session_id,
            "llm.model_name": "gpt-4o-mini",
            "llm.input_messages.0.message.role": "user",
            "llm.input_messages.0.message.content": "Where is my order?",
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.content": "Let me look it up.",
            "llm.token_count.prompt": 12,
            "llm.token_count.completion": 5,
        },
    )
    llm.end()
    tool = tracer.start_span(
        "lookup_order",
        context=ctx,
        attributes={"openinference.span.kind": "TOOL", "session.id": session_id, "tool.name": "lookup_order", "input.value": '{"order": 42}', "output.value": '{"status": "packed"}'},
    )
    tool.end()
    root.end()
    return format(root.get_span_context().trace_id, "032x")


def big_trace(tracer, n, fanout):
    """One trace of n spans: a root, `fanout` agent children, the rest LLM calls under them."""
    root = tracer.start_span("invoke_agent Batch agent", attributes={"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Batch agent"})
    root_ctx = trace.set_span_in_context(root)
    made = 1
    parents = []
    for i in range(min(fanout, n - 1)):
        parents.append(tracer.start_span(f"step {i}", context=root_ctx, attributes={"gen_ai.operation.name": "invoke_agent"}))
        made += 1
    i = 0
    while made < n:
        p = parents[i % len(parents)]
        s = tracer.start_span("chat small-model", context=trace.set_span_in_context(p), attributes={"gen_ai.operation.name": "chat", "gen_ai.request.model": "small-model", "app.index": i})
        s.end()
        made += 1
        i += 1
    for p in parents:
        p.end()
    root.end()
    return format(root.get_span_context().trace_id, "032x")


def main():
    ap = store_arguments("agent-py")
    ap.add_argument("--protocol", choices=["http", "grpc"], default="http")
    ap.add_argument("--conversations", type=int, default=2)
    ap.add_argument("--traces-per-conversation", type=int, default=2)
    ap.add_argument("--openinference-sessions", type=int, default=1)
    ap.add_argument("--plain", type=int, default=1, help="traces without a session")
    ap.add_argument("--big", type=int, default=0, help="spans of one extra large trace")
    ap.add_argument("--tag", default="py")
    args = ap.parse_args()

    provider = store_provider(args, BatchSpanProcessor(exporter_for(args), max_queue_size=200_000, max_export_batch_size=2000, schedule_delay_millis=200))
    tracer = provider.get_tracer("span-inspector.store-producer", "1.0")

    summary = {"conversations": {}, "sessions": {}, "plain": [], "big": None}
    for c in range(args.conversations):
        cid = f"conv-{args.tag}-{c}"
        summary["conversations"][cid] = [genai_run(tracer, cid, t) for t in range(args.traces_per_conversation)]
    for s in range(args.openinference_sessions):
        sid = f"sess-{args.tag}-{s}"
        summary["sessions"][sid] = [openinference_run(tracer, sid)]
    for _ in range(args.plain):
        root = tracer.start_span("cron job", attributes={"job.kind": "nightly"})
        child = tracer.start_span("db query", context=trace.set_span_in_context(root))
        child.end()
        root.end()
        summary["plain"].append(format(root.get_span_context().trace_id, "032x"))
    if args.big:
        summary["big"] = big_trace(tracer, args.big, 50)
    ok = provider.force_flush(timeout_millis=300_000)
    provider.shutdown()
    context.attach(context.Context())
    if not ok:
        print("flush failed", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
