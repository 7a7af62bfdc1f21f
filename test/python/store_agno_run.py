"""A real Agno agent (a tool, a failing tool) traced by the OpenInference Agno
instrumentor and exported over OTLP/HTTP to a team store (Jaeger, Phoenix):
how the Agno / OpenInference community feeds Phoenix.

    python store_agno_run.py --endpoint URL [--header k=v] [--project P] --session ID
env: OPENAI_BASE_URL (the LLM stand-in). Prints one JSON line with the answers.
"""

import json
import os

from agno.agent import Agent
from agno.models.openai import OpenAIChat
from openinference.instrumentation.agno import AgnoInstrumentor
from store_export import store_arguments, store_provider

ap = store_arguments("agno-agent")
ap.add_argument("--session", required=True)
args = ap.parse_args()
provider = store_provider(args)
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
