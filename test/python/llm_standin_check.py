"""Exercises the LLM stand-in with the real openai client: Chat Completions and
Responses, streamed and not, tool calls and reasoning. Prints one JSON line."""
import json
import os

from openai import OpenAI

client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="test")
tools_chat = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}]
tools_resp = [{"type": "function", "name": "lookup", "parameters": {"type": "object", "properties": {}}}]
ask = 'Find it [[call lookup {"q": "x"}]]'
out = {}

c = client.chat.completions.create(model="gpt-stand-in", messages=[{"role": "user", "content": ask}], tools=tools_chat)
out["chat_tool"] = c.choices[0].message.tool_calls[0].function.model_dump()
c = client.chat.completions.create(model="reasoner", messages=[{"role": "user", "content": "hi"}])
out["chat_reasoning"] = [c.choices[0].message.content, c.choices[0].message.model_extra.get("reasoning_content")]
text, reasoning, args, usage = "", "", "", None
for chunk in client.chat.completions.create(
    model="reasoner", messages=[{"role": "user", "content": ask}], tools=tools_chat, stream=True, stream_options={"include_usage": True}
):
    if chunk.usage:
        usage = chunk.usage.total_tokens
    for ch in chunk.choices:
        reasoning += (ch.delta.model_extra or {}).get("reasoning_content") or ""
        text += ch.delta.content or ""
        for tc in ch.delta.tool_calls or []:
            args += tc.function.arguments or ""
out["chat_stream"] = [reasoning, args, usage]

r = client.responses.create(model="gpt-stand-in", input=ask, tools=tools_resp)
out["responses_tool"] = [(i.type, getattr(i, "name", None)) for i in r.output]
r = client.responses.create(
    model="gpt-stand-in",
    input=[
        {"role": "user", "content": ask},
        {"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "42"},
    ],
)
out["responses_after_tool"] = r.output_text
events = []
final = None
for ev in client.responses.create(model="reasoner", input="[[say Hello there]]", stream=True):
    events.append(ev.type)
    if ev.type == "response.completed":
        final = ev.response
out["responses_stream"] = [events[0], events[-1], final.output_text, final.output[0].type, final.usage.total_tokens]
print(json.dumps(out))
