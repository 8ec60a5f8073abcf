#!/usr/bin/env bash
# Builds every C test (tests/c/*.c), happy_path.c again as C++, and the C quickstart against
# target/release/libferrolog.so, and runs each under valgrind against a live ferrolog-collector
# on an ephemeral port. Expects `cargo build --release --workspace` to have run. Prints PASS or
# FAIL per test with a failed test's output, and last the line "N passed, M failed", which CI
# reads.
#
# The tests find the collector through FERROLOG_TEST_COLLECTOR (its base URL),
# FERROLOG_TEST_ENDPOINT (its ingest URL) and FERROLOG_TEST_TOOL (support/collector.py); set
# them by hand to run one test binary on its own.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
release=$PWD/target/release
support=tests/c/support

die() {
    echo "run.sh: $*" >&2
    exit 2
}

for built in libferrolog.so ferrolog-collector; do
    [[ -e $release/$built ]] || die "no $release/$built: run cargo build --release --workspace"
done
command -v python3 >/dev/null || die "python3 is needed to query the collector"
if ! command -v valgrind >/dev/null; then
    # CI runs on a fresh machine as root.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi

work=$(mktemp -d)
collector_pid=
cleanup() {
    if [[ -n $collector_pid ]]; then
        kill "$collector_pid" 2>/dev/null || true
        wait "$collector_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Starts the collector and sets collector_url from the first line it prints.
start_collector() {
    # Created first, so reading it cannot race the collector's redirection.
    : >"$work/collector.out"
    "$release/ferrolog-collector" --port 0 --data-dir "$work/data" \
        >"$work/collector.out" 2>"$work/collector.err" &
    collector_pid=$!
    local line pattern='^ferrolog-collector listening on (http://127\.0\.0\.1:[0-9]+)$'
    for _ in $(seq 100); do
        # `read` succeeds only on a whole line, so a half-written port is never taken.
        if IFS= read -r line <"$work/collector.out" && [[ $line =~ $pattern ]]; then
            collector_url=${BASH_REMATCH[1]}
            return
        fi
        kill -0 "$collector_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/collector.out" "$work/collector.err" >&2
    die "the collector did not report its address within 10 s"
}

common_flags=(-Wall -Wextra -Werror -g -Iinclude "-I$support")
link_flags=("-L$release" -lferrolog "-Wl,-rpath,$release" -pthread)

for helper in check collector; do
    cc -std=c11 "${common_flags[@]}" -c "$support/$helper.c" -o "$work/$helper.o"
done
helpers=("$work/check.o" "$work/collector.o")

build_c() {
    cc -std=c11 "${common_flags[@]}" "$1" "${helpers[@]}" -o "$2" "${link_flags[@]}"
}

build_cxx() {
    c++ -x c++ -std=c++17 "${common_flags[@]}" "$1" -x none "${helpers[@]}" -o "$2" \
        "${link_flags[@]}"
}

valgrind_flags=(-q --error-exitcode=99 --leak-check=full
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible
    --suppressions=tests/c/valgrind.supp)

# A forked child cannot reach what its parent's threads held on their stacks (those threads
# do not exist in it), so leaks are not counted there; every other memory error still is.
fork_valgrind_flags=(--show-leak-kinds=none --errors-for-leak-kinds=none)

passed=0
failed=0

# run_test NAME BUILDER SOURCE: builds SOURCE with BUILDER, runs it, and tallies the outcome.
run_test() {
    local name=$1 build=$2 source=$3
    local binary=$work/$name log=$work/$name.log
    local flags=("${valgrind_flags[@]}")
    [[ $name == fork ]] && flags+=("${fork_valgrind_flags[@]}")
    # A fault an earlier test left switched on must not leak into this one.
    python3 "$support/collector.py" "$collector_url" request DELETE /api/faults ||
        die "the collector stopped answering: $(cat "$work/collector.err")"
    if "$build" "$source" "$binary" >"$log" 2>&1 &&
        timeout 120 valgrind "${flags[@]}" "$binary" >>"$log" 2>&1; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
}

start_collector
export FERROLOG_TEST_COLLECTOR=$collector_url
export FERROLOG_TEST_ENDPOINT=$collector_url/v1/logs
export FERROLOG_TEST_TOOL=$PWD/$support/collector.py

for source in tests/c/*.c; do
    run_test "$(basename "$source" .c)" build_c "$source"
done
run_test happy_path_cxx build_cxx tests/c/happy_path.c
FERROLOG_ENDPOINT=$FERROLOG_TEST_ENDPOINT run_test quickstart build_c examples/c/quickstart.c
FERROLOG_ENDPOINT=$collector_url FERROLOG_SESSIONS=$work/sessions \
    run_test entry_types_example build_c examples/c/entry_types.c
FERROLOG_ENDPOINT=$collector_url run_test request_example build_c examples/c/request.c

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
