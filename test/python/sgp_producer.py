"""Writes spans into the SGP emulator with the real scale-gp-beta client, then
reads them back through the SDK's own search pagination and types.

  python sgp_producer.py --url http://127.0.0.1:PORT --api-key KEY --account ACCOUNT

Writes:
  - a support-bot trace with spans.create (root) and spans.batch (children);
  - spans.upsert_batch of an in-progress span, then of its completed version,
    then of the in-progress version again (the completed one must stay), and a
    second trace in the same group reusing a span id (spans are (trace_id, id));
  - Agentex-style spans exactly as Agentex's SGP tracing processor and its
    LangGraph callback handler write them (scale_gp_beta.lib.tracing spans,
    flushed at start and at end, `__span_type__` COMPLETION for `llm:<model>`
    and CUSTOM for `tool:<name>`, LangChain messages `{type, content, tool_calls}`),
    plus a tool span as its pydantic-ai handler writes it ({arguments} / {result}).

Every search page is checked against the SDK's types: each item must validate
as scale_gp_beta.types.Span and carry no member the type does not declare, and
the page must have the SyncCursorPage members. Prints one JSON object.
"""
import argparse
import json
from datetime import datetime, timedelta, timezone

from scale_gp_beta import SGPClient
from scale_gp_beta.pagination import SyncCursorPage
from scale_gp_beta.types import Span

T0 = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def agentex_spans(client):
    """Agentex's SGPSyncTracingProcessor + AgentexLangGraphTracingHandler, replayed."""
    import scale_gp_beta.lib.tracing as tracing
    from scale_gp_beta.lib.tracing import create_span

    tracing.init(client)
    trace_id = "task-7f1e"  # Agentex uses the task id as the trace id
    source = {"__source__": "agentex", "__acp_type__": "async", "__agent_name__": "weather-agent", "__agent_id__": "agt-42"}

    def run(span_id, name, parent, start, end, data, input, output):
        span = create_span(name=name, span_type=data.get("__span_type__", "STANDALONE"), span_id=span_id, parent_id=parent,
                           trace_id=trace_id, input=input, output=None, metadata={**data, **source})
        span.start_time = at(start).isoformat()
        span.flush(blocking=True)  # on_span_start: written without an end
        span.output = output
        span.metadata = {**data, **source}
        span.end_time = at(end).isoformat()
        span.flush(blocking=True)  # on_span_end: the same (trace_id, id) again, completed

    system = {"type": "system", "content": "You are a weather assistant."}
    human = {"type": "human", "content": "Weather in Paris?"}
    call = {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_wx_1", "type": "tool_call"}
    run("agx-turn", "message", None, 100, 104, {}, {"content": "Weather in Paris?"}, {"content": "It is sunny in Paris, 21 C."})
    run("agx-llm-1", "llm:gpt-4o-mini", "agx-turn", 100.1, 101, {"__span_type__": "COMPLETION"},
        {"messages": [system, human]}, {"content": "", "tool_calls": [{"name": "get_weather", "args": {"city": "Paris"}}]})
    run("agx-tool-1", "tool:get_weather", "agx-turn", 101, 101.5, {"__span_type__": "CUSTOM"},
        {"input": "{'city': 'Paris'}"}, {"output": "Sunny, 21 C"})
    run("agx-tool-2", "tool:get_forecast", "agx-turn", 101.5, 101.7, {"__span_type__": "CUSTOM"},
        {"input": "{'city': 'Paris', 'days': 3}"}, {"error": "forecast service timed out"})
    # Agentex's pydantic-ai tool handler: {arguments} in, {result} out.
    run("agx-tool-3", "tool:convert_units", "agx-turn", 101.7, 101.8, {"__span_type__": "CUSTOM"},
        {"arguments": {"value": 21, "from": "C", "to": "F"}}, {"result": 69.8})
    run("agx-llm-2", "llm:gpt-4o-mini", "agx-turn", 101.8, 104, {"__span_type__": "COMPLETION"},
        {"messages": [system, human, {"type": "ai", "content": "", "tool_calls": [call]}, {"type": "tool", "content": "Sunny, 21 C"}]},
        {"content": "It is sunny in Paris, 21 C."})
    return trace_id


def check_page(raw, problems, where):
    if not isinstance(raw, dict):
        problems.append(f"{where}: page is not an object")
        return
    for key in ("items",):
        if key not in raw:
            problems.append(f"{where}: page has no {key}")
    declared = set(SyncCursorPage.model_fields)
    for key in raw:
        if key not in declared and key not in ("total", "next_cursor", "search_status", "object"):
            problems.append(f"{where}: page member {key!r} is not in the SDK's SyncCursorPage")
    fields = set(Span.model_fields)
    for i, item in enumerate(raw.get("items") or []):
        try:
            Span.model_validate(item)
        except Exception as e:  # pydantic.ValidationError
            problems.append(f"{where}.items[{i}]: {e}")
        for key in item:
            if key not in fields:
                problems.append(f"{where}.items[{i}].{key}: not a member of the SDK's Span")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--account", required=True)
    args = ap.parse_args()
    client = SGPClient(api_key=args.api_key, account_id=args.account, base_url=args.url, max_retries=0)
    out = {"written": [], "problems": []}

    # 1. create + batch: a support-bot turn in group grp-sdk.
    trace = "trc-sdk-1"
    root = client.spans.create(
        name="support-turn", id="spn-root", trace_id=trace, group_id="grp-sdk", type="AGENT_WORKFLOW", status="SUCCESS",
        start_timestamp=at(0), end_timestamp=at(5), input={"question": "Refund order 4471?"}, output={"answer": "Refund opened."},
        metadata={"__agent_name__": "support-bot", "channel": "chat"},
    )
    out["written"].append(root.id)
    created = client.spans.batch(items=[
        {"name": "chat-completion", "id": "spn-llm", "trace_id": trace, "parent_id": "spn-root", "type": "COMPLETION", "status": "SUCCESS",
         "start_timestamp": at(0.2), "end_timestamp": at(1.5),
         "input": {"model": "gpt-4o-mini", "temperature": 0.2, "messages": [{"role": "user", "content": "Refund order 4471?"}]},
         "output": {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": None, "tool_calls": [
             {"id": "call_r1", "type": "function", "function": {"name": "open_refund", "arguments": "{\"order_id\": \"4471\"}"}}]}}],
             "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}}},
        {"name": "open_refund", "id": "spn-tool", "trace_id": trace, "parent_id": "spn-root", "type": "CUSTOM", "status": "SUCCESS",
         "start_timestamp": at(1.6), "end_timestamp": at(2.0),
         "input": {"tool_name": "open_refund", "arguments": {"order_id": "4471"}, "tool_call_id": "call_r1"}, "output": {"result": "refund R-9 opened"}},
        {"name": "output-guardrail", "id": "spn-guard", "trace_id": trace, "parent_id": "spn-root", "type": "OUTPUT_GUARDRAIL", "status": "SUCCESS",
         "start_timestamp": at(4.0), "end_timestamp": at(4.2), "input": {"text": "Refund opened."}, "output": {"passed": True}},
    ])
    out["written"] += [s.id for s in created.items]

    # 2. upsert: in progress, completed, in progress again; then the same id in another trace of the group.
    live = {"name": "summarize", "id": "spn-shared", "trace_id": trace, "parent_id": "spn-root", "type": "COMPLETION", "start_timestamp": at(2.1),
            "input": {"messages": [{"role": "user", "content": "Summarize the refund."}]}}
    client.spans.upsert_batch(items=[live])
    done = {**live, "status": "SUCCESS", "end_timestamp": at(3.9), "output": {"role": "assistant", "content": "Refund R-9 for order 4471."}}
    client.spans.upsert_batch(items=[done])
    client.spans.upsert_batch(items=[live])
    other = "trc-sdk-2"
    client.spans.upsert_batch(items=[
        {"name": "follow-up", "id": "spn-root-2", "trace_id": other, "group_id": "grp-sdk", "type": "AGENT_WORKFLOW", "status": "SUCCESS",
         "start_timestamp": at(60), "end_timestamp": at(62)},
        {"name": "summarize", "id": "spn-shared", "trace_id": other, "parent_id": "spn-root-2", "type": "COMPLETION", "status": "ERROR",
         "start_timestamp": at(60.5), "end_timestamp": at(61), "input": {"prompt": "Summarize again."}, "output": {"error": "context length exceeded"}},
    ])

    # 3. Agentex.
    agentex_trace = agentex_spans(client)

    # Read back: raw pages against the SDK's types, and the SDK's own auto-pagination.
    for trace_ids in ([trace, other], [agentex_trace]):
        after = None
        for n in range(50):
            kwargs = {"trace_ids": trace_ids, "limit": 3, "sort_by": "start_timestamp", "sort_order": "asc"}
            if after:
                kwargs["starting_after"] = after
            raw = client.spans.with_raw_response.search(**kwargs)
            body = raw.http_response.json()
            check_page(body, out["problems"], f"search {trace_ids} page {n}")
            raw.parse()  # the SDK's own parse into SyncCursorPage[Span]
            if not body.get("has_more") or not body.get("items"):
                break
            after = body["items"][-1]["id"]
    # Filters of the SDK that address spans by identity and by Agentex metadata.
    out["byAgent"] = [s.id for s in client.spans.search(agentex_agent_names=["weather-agent"], sort_by="start_timestamp", sort_order="asc")]
    out["byPair"] = [[s.trace_id, s.id, s.status] for s in client.spans.search(spans=[{"trace_id": other, "span_id": "spn-shared"}])]

    # The search parameters the SDK knows (query and body), for checking our own client's requests.
    import typing
    from scale_gp_beta.types import span_search_params

    out["searchParams"] = sorted(typing.get_type_hints(span_search_params.SpanSearchParams))
    out["spans"] = [s.model_dump(mode="json", exclude_none=True) for s in client.spans.search(trace_ids=[trace, other, agentex_trace], limit=4, sort_by="start_timestamp", sort_order="asc")]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
