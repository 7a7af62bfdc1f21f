"""A real Agno agent (tools, a reasoning model, a tool that fails and the run
recovers) traced by the OpenInference Agno instrumentor, exported over OTLP.
The README snippet (span_inspector_otel.py, written by the test) sets up the
tracer provider and the instrumentor.

env: OPENAI_BASE_URL (the LLM stand-in), PYTHONPATH holding span_inspector_otel.py.
Prints one JSON line with the answers."""
import json
import os

import span_inspector_otel  # noqa: F401  (the README snippet)
from agno.agent import Agent
from agno.models.openai import OpenAIChat
from opentelemetry import trace


def get_weather(city: str) -> str:
    """Returns the weather of a city."""
    return f"Sunny in {city}"


def book_table(restaurant: str) -> str:
    """Books a table (always fails here)."""
    raise RuntimeError(f"{restaurant} is fully booked")


def model(name: str) -> OpenAIChat:
    return OpenAIChat(id=name, base_url=os.environ["OPENAI_BASE_URL"], api_key="test")


out = {}
agent = Agent(name="Weather agent", model=model("gpt-stand-in"), tools=[get_weather, book_table], instructions="Use your tools.")
out["tool"] = agent.run('[[call get_weather {"city": "Oslo"}]] Weather in Oslo?', session_id="oi-session-1").content
out["failing_tool"] = agent.run('[[call book_table {"restaurant": "Noma"}]] Book Noma', session_id="oi-session-1").content
thinker = Agent(name="Thinker", model=model("reasoner"), instructions="Think first.")
out["reasoning"] = thinker.run("[[say 42]] The answer?", session_id="oi-session-2").content
trace.get_tracer_provider().shutdown()
print(json.dumps(out))
