#!/usr/bin/env bash
# The main job end to end: start the collector, run the C examples against it (the
# quickstart, every entry type, one request's trace and error), the Python ones (a script,
# a Flask app, a FastAPI app), the Node quickstart and the Go example, show what arrived, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/collector.sh

data_dir=$(mktemp -d)
build_dir=build/demo
mkdir -p "$build_dir"

start_collector "$data_dir" --print
echo "== collector at $COLLECTOR_URL"

for example in quickstart entry_types request; do
  cc -std=c11 -Wall -Wextra -Iinclude "examples/c/$example.c" \
    -L"$PWD/target/release" -lferrolog -Wl,-rpath,"$PWD/target/release" -o "$build_dir/$example"
done
echo "== C quickstart, over LuminaLog"
FERROLOG_ENDPOINT="$COLLECTOR_URL/v1/logs" "$build_dir/quickstart"
echo "== every entry type, over LogFlux (RSA-OAEP handshake, AES-256-GCM per entry)"
FERROLOG_ENDPOINT="$COLLECTOR_URL" FERROLOG_SESSIONS="$data_dir/sessions" "$build_dir/entry_types"

echo "== one request: trace, scope, child span, breadcrumbs, captured error (scrubbed)"
FERROLOG_ENDPOINT="$COLLECTOR_URL" "$build_dir/request"

echo "== Python: the binding installed into build/venv as a user would (pip builds the core)"
build/venv/bin/python -m pip install -q --disable-pip-version-check ./bindings/python
for example in quickstart flask_app fastapi_app; do
  echo "== Python $example.py, over LuminaLog"
  # The web apps are exercised by their frameworks' test clients and exit by themselves.
  FERROLOG_ENDPOINT="$COLLECTOR_URL/v1/logs" timeout 120 build/venv/bin/python "examples/python/$example.py"
done

echo "== Node quickstart: logs, a child logger, a span, an error with its cause (koffi)"
FERROLOG_ENDPOINT="$COLLECTOR_URL" node examples/node/quickstart.js

echo "== Go: a client, an slog logger, a span carried by a context, a captured error"
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
(cd examples/go && FERROLOG_ENDPOINT="$COLLECTOR_URL/v1/logs" "$go" run .)

echo "== what the collector printed as entries arrived"
tail -n +2 "$COLLECTOR_LOG"
echo "== the same entries from its query API"
curl -fsS "$COLLECTOR_URL/api/entries" | python3 -m json.tool
echo "== entries written to $data_dir/entries.jsonl: $(wc -l <"$data_dir/entries.jsonl")"
