# ferrolog: `make demo` runs the collector and the examples end to end; `make test` runs
# every test. Both install what they need first.

CARGO ?= cargo
RELEASE_DIR := target/release
VENV := build/venv
GO ?= $(shell command -v go || echo /usr/local/go/bin/go)

.PHONY: all deps build header test test-rust test-c test-python test-node test-go test-conformance demo bench fmt-check fuzz

all: build

deps:
	scripts/install-deps.sh

build:
	$(CARGO) build --release --workspace

# Regenerates include/ferrolog.h from src/ffi/ (the header test fails when it drifts).
header:
	FERROLOG_BLESS=1 $(CARGO) test --test header

test: deps build test-rust test-c test-python test-node test-go test-conformance

test-rust:
	$(CARGO) build --workspace --bins
	$(CARGO) test --workspace

test-c: build
	tests/c/run.sh

# Installs the binding as a user would (pip builds and bundles the core), then runs its suite
# against the collector that `build` made.
test-python: deps build
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check ./bindings/python
	cd bindings/python && ../../$(VENV)/bin/python -m pytest -q

# The Node binding loads target/release/libferrolog.so of this checkout and tests against the
# collector that `build` made.
test-node: deps build
	cd bindings/node && npm test

# The Go binding links target/release/libferrolog.so through cgo (rpath set) and runs its
# suite against the collector, then again linking the static library instead.
test-go: build
	cd bindings/go && $(GO) vet ./... && $(GO) test -count=1 ./...
	cd bindings/go && $(GO) test -count=1 -tags ferrolog_static ./...
	cd examples/go && $(GO) vet ./...

# tests/conformance/scenario.json from C, Python, Go and Node against the collector: every
# language's decoded entries must match the scenario's and each other's.
test-conformance: deps build
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check ./bindings/python
	$(VENV)/bin/python tests/conformance/check.py --go $(GO)

demo: deps build
	scripts/demo.sh

bench: deps build
	scripts/bench.sh

fmt-check:
	$(CARGO) fmt --all -- --check

# The bad-input property tests, far longer than inside `make test` (which runs them at a few
# hundred cases each). FUZZ_CASES cases per property; optimized, so more fit in the time.
FUZZ_CASES ?= 100000
fuzz:
	FERROLOG_FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release --test fuzz_ffi --test fuzz_typed
	FERROLOG_FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release -p ferrolog-collector --test fuzz_decoders
