"""What the store_* producers share: the command line of an OTLP/HTTP exporter
to a team store (Jaeger, Phoenix) and the tracer provider sending to it, the
way an agent process sets it up."""

import argparse

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor


def store_arguments(service: str) -> argparse.ArgumentParser:
    """--endpoint URL [--header k=v]... [--project P] [--service S]"""
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--project", default=None, help="Phoenix project (resource attribute openinference.project.name)")
    ap.add_argument("--service", default=service)
    return ap


def store_provider(args, processor=None) -> TracerProvider:
    """A provider whose resource names the service (and the Phoenix project); `processor`
    defaults to exporting each span over OTLP/HTTP as it ends."""
    attrs = {"service.name": args.service}
    if args.project:
        attrs["openinference.project.name"] = args.project
    provider = TracerProvider(resource=Resource.create(attrs))
    if processor is None:
        headers = dict(h.split("=", 1) for h in args.header) or None
        processor = SimpleSpanProcessor(OTLPSpanExporter(endpoint=args.endpoint, headers=headers))
    provider.add_span_processor(processor)
    return provider
