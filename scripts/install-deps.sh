#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, and nothing that is
# already there. Rust, a C compiler and Python come with the machine image.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v curl >/dev/null || missing+=(curl)
command -v cc >/dev/null || missing+=(build-essential)
command -v npm >/dev/null || missing+=(nodejs npm)
# The C runner of tests/conformance reads the scenario with jansson.
[[ -e /usr/include/jansson.h ]] || missing+=(libjansson-dev)
if [[ "${FERROLOG_BENCH_DEPS:-}" == 1 ]]; then
  [[ -e /usr/include/spdlog/spdlog.h ]] || missing+=(libspdlog-dev)
fi

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests' Python packages, in a virtual environment of the project's own, reinstalled only
# when tests/requirements.txt changes.
venv=build/venv
if ! cmp -s tests/requirements.txt "$venv/requirements.txt" 2>/dev/null; then
  echo "installing the tests' Python packages into $venv"
  python3 -m venv "$venv"
  # Through the venv's python, not its pip script: a copied venv's scripts name the old path.
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r tests/requirements.txt
  cp tests/requirements.txt "$venv/requirements.txt"
fi

# The Node binding's packages (koffi; express and pino for its tests and benchmark), installed
# with `npm ci` from the committed lock file, again only when the lock file changes.
node_dir=bindings/node
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.installed" 2>/dev/null; then
  echo "installing the Node binding's packages into $node_dir/node_modules"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.installed"
fi

# The Python benchmark's peers (benches/python/requirements.txt), only for benchmark runs and
# again only when that list changes.
if [[ "${FERROLOG_BENCH_DEPS:-}" == 1 ]] && ! cmp -s benches/python/requirements.txt "$venv/bench-requirements.txt" 2>/dev/null; then
  echo "installing the Python benchmark's peers into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r benches/python/requirements.txt
  cp benches/python/requirements.txt "$venv/bench-requirements.txt"
fi
