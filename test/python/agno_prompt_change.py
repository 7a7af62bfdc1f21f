"""Two runs of the same real Agno agent, before and after its instructions
changed, traced by Agno's own tracing (openinference-instrumentation-agno ->
DatabaseSpanExporter) into a SQLite file. Only the LLM is a local stand-in: an
OpenAI-compatible chat completions server on 127.0.0.1 that looks up the order
when the instructions say so.

Usage: python agno_prompt_change.py DB_FILE
Prints one JSON line: {"before": session_id, "after": session_id}.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROMPT_V1 = "You are a support agent. Answer briefly."
PROMPT_V2 = "You are a support agent. Look up the order before answering. Answer briefly."
QUESTION = "Where is my order 1042?"


class StandInLLM(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep stdout for the result line
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        messages = body.get("messages", [])
        system = " ".join(str(m.get("content", "")) for m in messages if m.get("role") in ("system", "developer"))
        answered_tool = any(m.get("role") == "tool" for m in messages)
        if "Look up the order" in system and not answered_tool:
            message = {"role": "assistant", "content": None, "tool_calls": [{"id": "call_lookup_1", "type": "function", "function": {"name": "lookup_order", "arguments": json.dumps({"order_id": "1042"})}}]}
            finish = "tool_calls"
        elif answered_tool:
            message = {"role": "assistant", "content": "Order 1042 shipped yesterday and arrives Friday."}
            finish = "stop"
        else:
            message = {"role": "assistant", "content": "I cannot see your order, please contact us."}
            finish = "stop"
        reply = {
            "id": "chatcmpl-standin", "object": "chat.completion", "created": 1750000000, "model": body.get("model", "gpt-4o-mini"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 20 * len(messages), "completion_tokens": 12, "total_tokens": 20 * len(messages) + 12},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def lookup_order(order_id: str) -> str:
    """Status of an order."""
    return json.dumps({"order_id": order_id, "status": "shipped", "eta": "Friday"})


def main() -> None:
    db_file = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"

    from agno.agent import Agent
    from agno.db.sqlite import SqliteDb
    from agno.models.openai import OpenAIChat
    from agno.tracing import setup_tracing

    db = SqliteDb(db_file=db_file)
    setup_tracing(db=db)
    sessions = {}
    # The same session ids as test/fixtures/agno/promptChange.ts, so either can feed a test.
    for label, session_id, prompt in (("before", "sess-support-v1", PROMPT_V1), ("after", "sess-support-v2", PROMPT_V2)):
        agent = Agent(
            name="Support Agent",
            id="support-agent",
            model=OpenAIChat(id="gpt-4o-mini", base_url=base_url, api_key="local"),
            tools=[lookup_order],
            instructions=prompt,
            db=db,
        )
        agent.run(QUESTION, session_id=session_id)
        sessions[label] = session_id
    from opentelemetry import trace

    provider = trace.get_tracer_provider()
    if hasattr(provider, "force_flush"):
        provider.force_flush()
    server.shutdown()
    print(json.dumps(sessions))


if __name__ == "__main__":
    main()
