# Sourced by the scripts that need a collector: start_collector DATA_DIR [ARGS...] starts
# target/release/ferrolog-collector on an ephemeral port and sets COLLECTOR_URL and
# COLLECTOR_LOG (its stdout). Every collector started is stopped when the calling script exits.

COLLECTOR_PIDS=()
trap 'kill "${COLLECTOR_PIDS[@]}" 2>/dev/null || true' EXIT

start_collector() {
  local data_dir=$1
  shift
  COLLECTOR_LOG="$data_dir/collector.out"
  target/release/ferrolog-collector --port 0 --data-dir "$data_dir" "$@" >"$COLLECTOR_LOG" &
  local pid=$!
  COLLECTOR_PIDS+=("$pid")
  local first="" tries=0
  until [[ $first == *"listening on http://"* ]]; do
    if ((tries++ > 200)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "the collector did not start" >&2
      return 1
    fi
    sleep 0.05
    first=$(head -n 1 "$COLLECTOR_LOG")
  done
  COLLECTOR_URL=${first##* }
}
