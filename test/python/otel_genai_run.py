"""The official OTel GenAI instrumentation of the OpenAI client
(opentelemetry-instrumentation-openai-v2) with message content on, exporting
spans and log events over one OTLP transport to our receiver.

env: OPENAI_BASE_URL (the LLM stand-in), TRANSPORT (readme | http/protobuf | grpc),
     OTLP_HTTP (http://127.0.0.1:PORT), OTLP_GRPC (127.0.0.1:PORT), PYTHONPATH holding
     span_inspector_otel.py (the README snippet) for TRANSPORT=readme.
Content mode: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT (+ OTEL_SEMCONV_STABILITY_OPT_IN).
Prints one JSON line with the answers."""
import json
import os

from openai import OpenAI
from opentelemetry import _logs, trace

transport = os.environ["TRANSPORT"]
if transport == "readme":
    import span_inspector_otel  # noqa: F401  (the README snippet)
else:
    from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if transport == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        spans = OTLPSpanExporter(endpoint=os.environ["OTLP_GRPC"], insecure=True)
        logs = OTLPLogExporter(endpoint=os.environ["OTLP_GRPC"], insecure=True)
    else:
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        spans = OTLPSpanExporter(endpoint=os.environ["OTLP_HTTP"] + "/v1/traces")
        logs = OTLPLogExporter(endpoint=os.environ["OTLP_HTTP"] + "/v1/logs")
    resource = Resource.create({"service.name": "genai-" + transport.replace("/", "-")})
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(spans))
    trace.set_tracer_provider(tracer_provider)
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(logs))
    _logs.set_logger_provider(logger_provider)
    OpenAIInstrumentor().instrument()

client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="test")
tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
messages = [
    {"role": "system", "content": "You are a weather bot."},
    {"role": "user", "content": 'Weather in Oslo? [[call get_weather {"city": "Oslo"}]]'},
]
out = {}
first = client.chat.completions.create(model="gpt-stand-in", messages=messages, tools=tools)
call = first.choices[0].message.tool_calls[0]
out["call"] = [call.function.name, call.function.arguments]
messages.append(first.choices[0].message.model_dump(exclude_none=True))
messages.append({"role": "tool", "tool_call_id": call.id, "content": "Sunny, 21 C"})
text = ""
for chunk in client.chat.completions.create(model="gpt-stand-in", messages=messages, tools=tools, stream=True, stream_options={"include_usage": True}):
    for choice in chunk.choices:
        text += choice.delta.content or ""
out["answer"] = text
trace.get_tracer_provider().shutdown()
_logs.get_logger_provider().shutdown()
print(json.dumps(out))
