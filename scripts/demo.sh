#!/usr/bin/env bash
# The main job end to end: start the collector, run the C quickstart against it, show what
# arrived, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/collector.sh

data_dir=$(mktemp -d)
build_dir=build/demo
mkdir -p "$build_dir"

start_collector "$data_dir" --print
echo "== collector at $COLLECTOR_URL"

cc -std=c11 -Wall -Wextra -Iinclude examples/c/quickstart.c \
  -L"$PWD/target/release" -lferrolog -Wl,-rpath,"$PWD/target/release" -o "$build_dir/quickstart"
echo "== C quickstart"
FERROLOG_ENDPOINT="$COLLECTOR_URL/v1/logs" "$build_dir/quickstart"

echo "== what the collector printed as entries arrived"
tail -n +2 "$COLLECTOR_LOG"
echo "== the same entries from its query API"
curl -fsS "$COLLECTOR_URL/api/entries" | python3 -m json.tool
echo "== entries written to $data_dir/entries.jsonl: $(wc -l <"$data_dir/entries.jsonl")"
