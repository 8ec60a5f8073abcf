#!/usr/bin/env python3
"""Talks to a running ferrolog-collector for the C tests, so that C needs no HTTP or JSON code.

    collector.py BASE_URL entries [NAME=VALUE ...]
        Prints one line per entry the collector received that matches the query parameters:
        [level, message, attributes, environment, kind] as compact JSON with sorted keys, so a
        test can compare whole lines with strcmp.
    collector.py BASE_URL traces [NAME=VALUE ...]
        The same entries as [message, trace_id, span_id, parent_span_id, status], each null
        when absent (status is a span's `ok` or `error`).
    collector.py BASE_URL errors [NAME=VALUE ...]
        The same entries as [message, error, error.fingerprint attribute], error being the
        decoded error object (or null) with sorted keys.
    collector.py BASE_URL request METHOD PATH [JSON]
        Sends one request to the collector's admin API (fault injection).

Exits non-zero when the collector cannot be reached or answers with an error status.
"""

import json
import sys
import urllib.parse
import urllib.request


def call(method, url, body=None):
    data = None if body is None else body.encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def entry_line(entry):
    return [
        entry["level"],
        entry["message"],
        entry.get("attributes", {}),
        entry.get("environment"),
        entry["kind"],
    ]


def trace_line(entry):
    return [
        entry["message"],
        entry.get("trace_id"),
        entry.get("span_id"),
        entry.get("parent_span_id"),
        (entry.get("details") or {}).get("status"),
    ]


def error_line(entry):
    return [
        entry["message"],
        entry.get("error"),
        entry.get("attributes", {}).get("error.fingerprint"),
    ]


def print_entries(base, filters, line):
    query = urllib.parse.urlencode([tuple(f.split("=", 1)) for f in filters])
    for entry in json.loads(call("GET", f"{base}/api/entries?{query}")):
        print(json.dumps(line(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def main(args):
    if len(args) >= 2 and args[1] == "entries":
        print_entries(args[0], args[2:], entry_line)
    elif len(args) >= 2 and args[1] == "traces":
        print_entries(args[0], args[2:], trace_line)
    elif len(args) >= 2 and args[1] == "errors":
        print_entries(args[0], args[2:], error_line)
    elif len(args) in (4, 5) and args[1] == "request":
        call(args[2], args[0] + args[3], args[4] if len(args) == 5 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    main(sys.argv[1:])
