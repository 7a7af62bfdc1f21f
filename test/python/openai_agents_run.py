"""Runs the real OpenAI Agents SDK (Python) against the LLM stand-in and exports
its traces the way a user sets it up: the README snippet (span_inspector_tracing.py,
written by the test from README.md) installs the SDK's own BackendSpanExporter
pointed at our capture receiver, and a second processor writes the same items
as JSONL for the `openaiAgents` file backend.

env: OPENAI_BASE_URL (the stand-in), JSONL_OUT (file to write), SCENARIOS (comma list)
Prints one JSON line with what each scenario returned."""
import asyncio
import json
import os
import sys

from agents import (
    Agent,
    GuardrailFunctionOutput,
    InputGuardrailTripwireTriggered,
    OpenAIChatCompletionsModel,
    OpenAIResponsesModel,
    Runner,
    add_trace_processor,
    function_tool,
    input_guardrail,
    trace,
)
from agents.mcp import MCPServerStdio
from agents.tracing import get_trace_provider
from agents.tracing.processor_interface import TracingProcessor
from openai import AsyncOpenAI

import span_inspector_tracing  # noqa: F401  (the README snippet: BackendSpanExporter → receiver)


class JsonlProcessor(TracingProcessor):
    """Writes every finished trace and span, exported as the SDK exports them, one per line."""

    def __init__(self, path: str):
        self._file = open(path, "a", encoding="utf-8")

    def _write(self, item) -> None:
        exported = item.export()
        if exported:
            self._file.write(json.dumps(exported, default=str) + "\n")
            self._file.flush()

    def on_trace_start(self, trace) -> None:
        pass

    def on_trace_end(self, trace) -> None:
        self._write(trace)

    def on_span_start(self, span) -> None:
        pass

    def on_span_end(self, span) -> None:
        self._write(span)

    def shutdown(self) -> None:
        self._file.close()

    def force_flush(self) -> None:
        self._file.flush()


add_trace_processor(JsonlProcessor(os.environ["JSONL_OUT"]))
client = AsyncOpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="test")
responses_model = OpenAIResponsesModel(model="gpt-stand-in", openai_client=client)
chat_model = OpenAIChatCompletionsModel(model="reasoner-chat", openai_client=client)


@function_tool
def lookup_invoice(invoice_id: str) -> str:
    """Looks an invoice up."""
    return f"Invoice {invoice_id}: 42 EUR, paid"


def refund_failed(ctx, error: Exception) -> str:
    # A tool's own failure function: the SDK then traces the error's text in error.data.
    return f"Refund failed: {error}"


@function_tool(failure_error_function=refund_failed)
def refund(invoice_id: str) -> str:
    """Refunds an invoice (always fails here)."""
    raise ValueError(f"refunds for {invoice_id} are locked")


billing = Agent(
    name="Billing agent",
    instructions="You answer billing questions.",
    model=responses_model,
    tools=[lookup_invoice, refund],
)
triage = Agent(
    name="Triage agent",
    instructions="Hand billing questions to the billing agent.",
    model=responses_model,
    handoffs=[billing],
)


@input_guardrail
async def no_secrets(ctx, agent, user_input) -> GuardrailFunctionOutput:
    text = user_input if isinstance(user_input, str) else json.dumps(user_input)
    return GuardrailFunctionOutput(output_info={"found": "password" in text}, tripwire_triggered="password" in text)


guarded = Agent(name="Guarded agent", instructions="Answer briefly.", model=responses_model, input_guardrails=[no_secrets])


async def handoff_run() -> str:
    # Triage hands off; billing looks the invoice up, then answers.
    result = await Runner.run(triage, '[[call transfer_to_billing_agent {}]] Invoice INV-7 please')
    return result.final_output


async def tool_error_run() -> str:
    result = await Runner.run(billing, '[[call refund {"invoice_id": "INV-9"}]] Refund INV-9')
    return result.final_output


async def streamed_chat_run() -> str:
    agent = Agent(name="Streaming agent", instructions="Think, then answer.", model=chat_model, tools=[lookup_invoice])
    result = Runner.run_streamed(agent, '[[call lookup_invoice {"invoice_id": "INV-3"}]] What about INV-3?')
    deltas = 0
    async for event in result.stream_events():
        if event.type == "raw_response_event":
            deltas += 1
    return f"{result.final_output} ({deltas} raw events)"


async def streamed_responses_run() -> str:
    agent = Agent(name="Reasoning agent", instructions="Think first.", model=OpenAIResponsesModel(model="reasoner", openai_client=client))
    result = Runner.run_streamed(agent, "[[say Streamed answer]] Stream it")
    async for _ in result.stream_events():
        pass
    return result.final_output


async def guardrail_run() -> str:
    try:
        await Runner.run(guarded, "my password is hunter2")
    except InputGuardrailTripwireTriggered as e:
        return f"tripped: {e.guardrail_result.guardrail.get_name()}"
    return "not tripped"


async def mcp_run() -> str:
    server = MCPServerStdio(params={"command": sys.executable, "args": [os.path.join(os.path.dirname(__file__), "mcp_calc_server.py")]}, name="calc")
    async with server:
        agent = Agent(name="MCP agent", instructions="Use the calculator.", model=responses_model, mcp_servers=[server])
        result = await Runner.run(agent, '[[call add {"a": 2, "b": 3}]] Add 2 and 3')
        return result.final_output


SCENARIOS = {
    "handoff": handoff_run,
    "tool_error": tool_error_run,
    "streamed_chat": streamed_chat_run,
    "streamed_responses": streamed_responses_run,
    "guardrail": guardrail_run,
    "mcp": mcp_run,
}


async def main() -> None:
    out = {}
    for name in (os.environ.get("SCENARIOS") or ",".join(SCENARIOS)).split(","):
        with trace(f"scenario {name}", group_id="span-inspector-tests", metadata={"scenario": name}):
            out[name] = await SCENARIOS[name]()
    get_trace_provider().force_flush()
    print(json.dumps(out))


asyncio.run(main())
