"""A real Agno agent (a tool, a failing tool) traced by the OpenInference Agno
instrumentor and exported over OTLP/HTTP to a team store (Jaeger, Phoenix):
how the Agno / OpenInference community feeds Phoenix.

    python store_agno_run.py --endpoint URL [--header k=v] [--project P] --session ID
env: OPENAI_BASE_URL (the LLM stand-in). Prints one JSON line with the answers.
"""

import argparse
import json
import os

from agno.agent import Agent
from agno.models.openai import OpenAIChat
from openinference.instrumentation.agno import AgnoInstrumentor
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

ap = argparse.ArgumentParser()
ap.add_argument("--endpoint", required=True)
ap.add_argument("--header", action="append", default=[])
ap.add_argument("--project", default=None)
ap.add_argument("--service", default="agno-agent")
ap.add_argument("--session", required=True)
args = ap.parse_args()

attrs = {"service.name": args.service}
if args.project:
    attrs["openinference.project.name"] = args.project
provider = TracerProvider(resource=Resource.create(attrs))
headers = dict(h.split("=", 1) for h in args.header) or None
provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=args.endpoint, headers=headers)))
AgnoInstrumentor().instrument(tracer_provider=provider)


def get_weather(city: str) -> str:
    """Returns the weather of a city."""
    return f"Sunny in {city}"


def book_table(restaurant: str) -> str:
    """Books a table (always fails here)."""
    raise RuntimeError(f"{restaurant} is fully booked")


model = OpenAIChat(id="gpt-stand-in", base_url=os.environ["OPENAI_BASE_URL"], api_key="test")
agent = Agent(name="Weather agent", model=model, tools=[get_weather, book_table], instructions="Use your tools.")
out = {
    "tool": agent.run('[[call get_weather {"city": "Oslo"}]] Weather in Oslo?', session_id=args.session).content,
    "failing_tool": agent.run('[[call book_table {"restaurant": "Noma"}]] Book Noma', session_id=args.session).content,
}
provider.shutdown()
print(json.dumps(out))
