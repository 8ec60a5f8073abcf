"""Parses an OTLP/HTTP JSON body with the official protobuf definitions (opentelemetry-proto).

Usage: parse.py logs|traces|metrics < body.json
The OTLP JSON mapping writes trace and span ids as hex, where plain proto3 JSON expects
base64 for bytes fields; they are converted first, as the OTLP specification says. Unknown
fields are errors. Prints the number of records, spans or data points parsed.
"""

import base64
import json
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

ID_FIELDS = {"traceId", "spanId", "parentSpanId"}
MESSAGES = {
    "logs": ExportLogsServiceRequest,
    "traces": ExportTraceServiceRequest,
    "metrics": ExportMetricsServiceRequest,
}


def hex_ids_to_base64(value):
    if isinstance(value, dict):
        return {
            key: base64.b64encode(bytes.fromhex(item)).decode()
            if key in ID_FIELDS and isinstance(item, str)
            else hex_ids_to_base64(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [hex_ids_to_base64(item) for item in value]
    return value


def count(signal, message):
    if signal == "logs":
        return sum(len(s.log_records) for r in message.resource_logs for s in r.scope_logs)
    if signal == "traces":
        return sum(len(s.spans) for r in message.resource_spans for s in r.scope_spans)
    points = 0
    for resource in message.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                kind = metric.WhichOneof("data")
                points += len(getattr(metric, kind).data_points)
    return points


def main():
    signal = sys.argv[1]
    body = hex_ids_to_base64(json.load(sys.stdin))
    message = json_format.Parse(json.dumps(body), MESSAGES[signal]())
    print(count(signal, message))


if __name__ == "__main__":
    main()
