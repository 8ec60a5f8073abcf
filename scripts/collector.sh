# Sourced by the scripts that need a collector: start_collector DATA_DIR [ARGS...] starts
# target/release/ferrolog-collector on an ephemeral port, sets COLLECTOR_PID, COLLECTOR_URL
# and COLLECTOR_LOG (its stdout), and stops it when the calling script exits.

start_collector() {
  local data_dir=$1
  shift
  COLLECTOR_LOG="$data_dir/collector.out"
  target/release/ferrolog-collector --port 0 --data-dir "$data_dir" "$@" >"$COLLECTOR_LOG" &
  COLLECTOR_PID=$!
  trap 'kill "$COLLECTOR_PID" 2>/dev/null || true' EXIT
  local first="" tries=0
  until [[ $first == *"listening on http://"* ]]; do
    if ((tries++ > 200)) || ! kill -0 "$COLLECTOR_PID" 2>/dev/null; then
      echo "the collector did not start" >&2
      return 1
    fi
    sleep 0.05
    first=$(head -n 1 "$COLLECTOR_LOG")
  done
  COLLECTOR_URL=${first##* }
}
