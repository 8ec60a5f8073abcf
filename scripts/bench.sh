#!/usr/bin/env bash
# Runs the benchmark programs side by side with their peers and prints their tables.
# BENCHMARKS.md records the figures with the machine and the date.
set -euo pipefail
cd "$(dirname "$0")/.."
FERROLOG_BENCH_DEPS=1 scripts/install-deps.sh
source scripts/collector.sh

cargo build --release --workspace --benches
build_dir=build/bench
mkdir -p "$build_dir"
c++ -O2 -std=c++20 -Wall -Wextra -Iinclude benches/c/hot_path_vs_spdlog.cpp \
  -L"$PWD/target/release" -lferrolog -Wl,-rpath,"$PWD/target/release" -lspdlog -lfmt -pthread \
  -o "$build_dir/hot_path_vs_spdlog"

storing_dir=$(mktemp -d)
discard_dir=$(mktemp -d)
start_collector "$storing_dir"
storing=$COLLECTOR_URL
start_collector "$discard_dir" --discard
discarding=$COLLECTOR_URL

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
FERROLOG_BENCH_ENDPOINT="$discarding/v1/logs" cargo bench -q --bench hot_path
echo
FERROLOG_BENCH_ENDPOINT="$discarding/v1/logs" "$build_dir/hot_path_vs_spdlog"
echo
FERROLOG_BENCH_ENDPOINT="$discarding/v1/logs" node bindings/node/bench/log_vs_pino.js
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
(cd bindings/go && FERROLOG_BENCH_ENDPOINT="$discarding/v1/logs" "$go" run ./cmd/bench)
echo
targets="luminalog → collector (decode, store)|luminalog|$storing/v1/logs"
targets+=";luminalog → collector --discard|luminalog|$discarding/v1/logs"
targets+=";logflux → collector (decrypt, store)|logflux|$storing"
targets+=";logflux → collector --discard|logflux|$discarding"
targets+=";otlp → collector (decode, store)|otlp|$storing"
FERROLOG_BENCH_TARGETS="$targets" cargo bench -q --bench pipeline
echo
# Resident memory with the endpoint down; BENCHMARKS.md records a 30 s run.
FERROLOG_MEMORY_BENCH_SECS=${FERROLOG_MEMORY_BENCH_SECS:-5} cargo bench -q --bench memory_bound || true
# Shutdown deadlines against a hanging endpoint; it starts a collector of its own.
cargo bench -q --bench shutdown_deadline
echo
# The Python binding against its peers; it starts a collector of its own.
build/venv/bin/python -m pip install -q --disable-pip-version-check ./bindings/python
build/venv/bin/python benches/python/caller_cost.py
rm -rf "$storing_dir" "$discard_dir"
