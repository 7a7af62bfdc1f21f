"""The real OpenAI Agents SDK (Python) traced by the OpenInference OpenAI Agents
instrumentor and exported over OTLP/HTTP to a team store (Jaeger, Phoenix).
A triage agent hands off to a weather agent, which calls a tool.

    python store_openai_agents_run.py --endpoint URL [--header k=v] [--project P]
env: OPENAI_BASE_URL (the LLM stand-in). Prints one JSON line with the answer.
"""

import asyncio
import json
import os

from agents import Agent, OpenAIChatCompletionsModel, Runner, function_tool, set_trace_processors
from openai import AsyncOpenAI
from openinference.instrumentation.openai_agents import OpenAIAgentsInstrumentor
from store_export import store_arguments, store_provider

ap = store_arguments("openai-agents")
args = ap.parse_args()
provider = store_provider(args)
# Only OpenTelemetry: no upload to OpenAI's own trace endpoint.
set_trace_processors([])
OpenAIAgentsInstrumentor().instrument(tracer_provider=provider)


@function_tool
def get_weather(city: str) -> str:
    """Returns the weather of a city."""
    return f"Rainy in {city}"


client = AsyncOpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="test")
model = OpenAIChatCompletionsModel(model="gpt-stand-in", openai_client=client)
weather = Agent(name="Weather agent", model=model, tools=[get_weather], instructions="Use get_weather.")


async def main():
    result = await Runner.run(weather, '[[call get_weather {"city": "Bergen"}]] Weather in Bergen?')
    return result.final_output


out = {"answer": asyncio.run(main())}
provider.shutdown()
print(json.dumps(out))
