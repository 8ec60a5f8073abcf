"""What one `info` log call with three attributes costs the calling Python thread: ferrolog
beside what a Python user would pick instead, side by side in one run. A program, not a test:
it prints a table and the targets it was measured against, and passes or fails nothing.

    build/venv/bin/python benches/python/caller_cost.py

Every peer sends to the same local sink, the bundled collector with `--discard` (it answers
every ingest request 200 without decoding it): the OpenTelemetry exporter sends only
protobuf, which the decoding collector refuses, and a decoding collector would compete for
the machine's cores with the callers being measured. "Endpoint down" is a loopback port
nobody listens on.

Each round times every call of a block with `time.perf_counter_ns` (the percentiles), then
runs an untimed block (the amortized figure, by the wall clock and by the thread's CPU time,
which leaves out the time the thread waited for a core); the cost of timing an empty call is
subtracted from both. Peers alternate block by block, and each flushes between rounds,
untimed. ferrolog speaks LuminaLog here, as luminalog-sdk does; the options are the defaults.
FERROLOG_BENCH_ROUNDS and FERROLOG_BENCH_BLOCK change the rounds (5) and the block (4,000).
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import luminalog
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor

import ferrolog
import ferrolog.luminalog
from ferrolog.handler import FerrologHandler

REPOSITORY = Path(__file__).resolve().parents[2]
COLLECTOR = REPOSITORY / "target/release/ferrolog-collector"
LISTENING = "ferrolog-collector listening on "

MESSAGE = "user signed in"
ATTRIBUTES = {"user": "alice", "plan": "pro", "region": "eu-west-1"}
ROUNDS = int(os.environ.get("FERROLOG_BENCH_ROUNDS", "5"))
BLOCK = int(os.environ.get("FERROLOG_BENCH_BLOCK", "4000"))
BURST = 20_000
API_KEY = "bench-key"

# The targets for ferrolog's `Logger.info(msg, attrs)`.
TARGET_AMORTIZED_NS = 2_000
TARGET_FASTER_THAN_STDLIB = 4
TARGET_FASTER_THAN_LUMINALOG = 10
TARGET_P999_NS = 50_000
TARGET_MAX_DOWN_NS = 100_000

Call = Callable[[], object]


@dataclass
class Peer:
    name: str
    call: Call
    flush: Callable[[], object] | None
    rounds: int = ROUNDS
    block: int = BLOCK
    # Without the untimed block the amortized figure is the mean of the timed calls.
    untimed_block: bool = True
    samples: list[int] = field(default_factory=list)
    amortized: list[float] = field(default_factory=list)
    amortized_cpu: list[float] = field(default_factory=list)


@contextmanager
def collector() -> Iterator[str]:
    """The bundled collector, discarding, on an ephemeral loopback port; yields its URL."""
    with tempfile.TemporaryDirectory() as data_dir:
        process = subprocess.Popen(
            [str(COLLECTOR), "--port", "0", "--data-dir", data_dir, "--discard"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            first_line = process.stdout.readline().strip()
            if not first_line.startswith(LISTENING):
                sys.exit(f"the collector did not start: {first_line!r}")
            yield first_line.removeprefix(LISTENING)
        finally:
            process.terminate()
            process.wait(timeout=10)


def closed_port_url() -> str:
    """A loopback URL that refuses connections: a port bound once and released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def stdlib_logger(name: str, handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"bench.{name}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def ferrolog_client(endpoint: str, **options: object) -> ferrolog.Client:
    return ferrolog.Client(api_key=API_KEY, protocol="luminalog", endpoint=f"{endpoint}/v1/logs", **options)


def otel_logger(endpoint: str) -> tuple[Call, Call]:
    """The OpenTelemetry SDK's logs pipeline (batching processor, OTLP/HTTP exporter), called
    through its logs API directly: the SDK's stdlib `LoggingHandler` is deprecated, and the
    bridge would add stdlib logging's own cost."""
    provider = LoggerProvider()
    exporter = OTLPLogExporter(endpoint=f"{endpoint}/v1/logs", timeout=2)
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    logger = provider.get_logger("bench")

    def call() -> None:
        logger.emit(
            severity_number=SeverityNumber.INFO, severity_text="INFO", body=MESSAGE, attributes=ATTRIBUTES
        )

    return call, lambda: provider.force_flush(2_000)


def empty() -> None:
    pass


def timed(call: Call, count: int) -> list[int]:
    now = time.perf_counter_ns
    samples = [0] * count
    for i in range(count):
        start = now()
        call()
        samples[i] = now() - start
    return samples


def untimed(call: Call, count: int) -> tuple[float, float]:
    """Wall-clock and this thread's CPU time per call: on a machine shared with other work,
    the wall clock also counts the time the thread waited for a core."""
    start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
    for _ in range(count):
        call()
    return (time.perf_counter_ns() - start) / count, (time.thread_time_ns() - start_cpu) / count


def overheads() -> tuple[int, float, float]:
    """What timing an empty call costs, per sample and per amortized call (wall, CPU)."""
    wall, cpu = zip(*(untimed(empty, BLOCK) for _ in range(5)))
    return min(statistics.median(timed(empty, BLOCK)) for _ in range(5)), min(wall), min(cpu)


def measure(peers: list[Peer]) -> None:
    per_sample, per_call, per_call_cpu = overheads()
    for round_number in range(max(peer.rounds for peer in peers)):
        for peer in peers:
            if round_number >= peer.rounds:
                continue
            peer.call()  # warm: the first call of a client may start its threads
            gc.collect()
            peer.samples += [max(0, s - per_sample) for s in timed(peer.call, peer.block)]
            if peer.untimed_block:
                gc.collect()
                wall, cpu = untimed(peer.call, peer.block)
                peer.amortized.append(max(0.0, wall - per_call))
                peer.amortized_cpu.append(max(0.0, cpu - per_call_cpu))
            if peer.flush is not None:
                peer.flush()


def percentile(ordered: list[int], fraction: float) -> int:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def figure(ns: float) -> str:
    if ns >= 1_000_000:
        return f"{ns / 1_000_000:,.1f} ms"
    if ns >= 1_000:
        return f"{ns / 1_000:,.2f} µs"
    return f"{ns:,.0f} ns"


@dataclass
class Row:
    name: str
    amortized: float
    amortized_cpu: float | None
    p50: int
    p99: int
    p999: int
    max: int
    calls: int


def summarize(peer: Peer) -> Row:
    ordered = sorted(peer.samples)
    amortized = statistics.median(peer.amortized) if peer.amortized else statistics.mean(ordered)
    return Row(
        peer.name,
        amortized,
        statistics.median(peer.amortized_cpu) if peer.amortized_cpu else None,
        percentile(ordered, 0.50),
        percentile(ordered, 0.99),
        percentile(ordered, 0.999),
        ordered[-1],
        len(ordered),
    )


def print_table(rows: list[Row], reference: Row) -> None:
    print(
        "| case | amortized | amortized CPU | p50 | p99 | p99.9 | max | timed calls "
        f"| ÷ {reference.name} (amortized) | ÷ {reference.name} (p50) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        cpu = "" if row.amortized_cpu is None else figure(row.amortized_cpu)
        print(
            f"| {row.name} | {figure(row.amortized)} | {cpu} | {figure(row.p50)} | {figure(row.p99)} | "
            f"{figure(row.p999)} | {figure(row.max)} | {row.calls:,} | "
            f"{row.amortized / reference.amortized:,.1f}× | {row.p50 / reference.p50:,.1f}× |"
        )


def burst(endpoint: str) -> dict[str, object]:
    """20,000 calls from one thread in a tight loop with the default options, then a flush."""
    with ferrolog_client(endpoint) as client:
        logger = client.logger()
        for _ in range(BURST):
            logger.info(MESSAGE, **ATTRIBUTES)
        client.flush(10.0)
        return client.stats()


def main() -> None:
    # The OpenTelemetry exporter reports each failed export through stdlib logging.
    logging.getLogger("opentelemetry").setLevel(logging.CRITICAL)
    down = closed_port_url()
    with collector() as url:
        ferrolog_up = ferrolog_client(url)
        ferrolog_down = ferrolog_client(down)
        root, root_down = ferrolog_up.logger(), ferrolog_down.logger()
        compatible = ferrolog.luminalog.LuminaLog(api_key=API_KEY, endpoint=f"{url}/v1/logs")
        nothing = stdlib_logger("nothing", logging.NullHandler())
        through = stdlib_logger("ferrolog", FerrologHandler(root))
        sdk = luminalog.LuminaLog(api_key=API_KEY, endpoint=f"{url}/v1/logs")
        sdk_down = luminalog.LuminaLog(api_key=API_KEY, endpoint=f"{down}/v1/logs")
        otel, otel_flush = otel_logger(url)
        otel_down, _ = otel_logger(down)

        # The call, `logger.info(msg, attrs)`, with the attributes as one dict, as the
        # peers below take theirs; the keyword form, which copies them, has its own row.
        reference = Peer("ferrolog", lambda: root.info(MESSAGE, ATTRIBUTES), lambda: ferrolog_up.flush(2.0))
        peers = [
            reference,
            Peer(
                "ferrolog Logger.info(msg, **attrs)",
                lambda: root.info(MESSAGE, **ATTRIBUTES),
                lambda: ferrolog_up.flush(2.0),
            ),
            Peer(
                "ferrolog.luminalog (msg, attrs)",
                lambda: compatible.info(MESSAGE, ATTRIBUTES),
                lambda: compatible.flush(2.0),
            ),
            Peer("stdlib logging → NullHandler", lambda: nothing.info(MESSAGE, extra=ATTRIBUTES), None),
            Peer(
                "stdlib logging → ferrolog Handler",
                lambda: through.info(MESSAGE, extra=ATTRIBUTES),
                lambda: ferrolog_up.flush(2.0),
            ),
            Peer("luminalog-sdk 1.1.0", lambda: sdk.info(MESSAGE, ATTRIBUTES), sdk.flush),
            Peer("OpenTelemetry SDK 1.45.2", otel, otel_flush),
            # Down, nothing is flushed: the backlog stays queued as it would in a program.
            Peer("ferrolog, endpoint down", lambda: root_down.info(MESSAGE, ATTRIBUTES), None),
            Peer("OpenTelemetry SDK, endpoint down", otel_down, None),
            # luminalog-sdk sends on the caller's thread and sleeps between its attempts, 3 s
            # for each call once a batch is owed to an endpoint that is down: one batch's worth
            # of calls is all a run can afford.
            Peer(
                "luminalog-sdk 1.1.0, endpoint down",
                lambda: sdk_down.info(MESSAGE, ATTRIBUTES),
                None,
                rounds=1,
                block=100,
                untimed_block=False,
            ),
        ]
        measure(peers)
        # Its failed batch would be retried at exit, for another 3 s: it is owed nowhere.
        sdk_down.flush = lambda: None  # type: ignore[method-assign]
        down_stats = ferrolog_down.stats()
        burst_stats = burst(url)
        ferrolog_up.shutdown(2.0)
        ferrolog_down.shutdown(0.1)

    rows = [summarize(peer) for peer in peers]
    loads = " ".join(f"{load:.2f}" for load in os.getloadavg())
    python = sys.version.split()[0]
    print(f"== Python {python}, ferrolog {ferrolog.__version__}, {ROUNDS} rounds of {BLOCK:,} calls")
    print(f"== info log, message {MESSAGE!r}, 3 string attributes; sink: collector --discard")
    print(f"== load average at the end: {loads} ({os.cpu_count()} cores)")
    print()
    print_table(rows, rows[0])
    print()
    reasons = {reason: n for reason, n in down_stats["dropped"].items() if n}  # type: ignore[attr-defined]
    print(
        f"ferrolog with the endpoint down: accepted {down_stats['accepted']:,}, "
        f"queued {down_stats['queued']:,}, dropped {reasons or 0}"
    )
    print(f"burst of {BURST:,} from one thread, default options, then flush: {burst_stats}")
    print()
    print("targets (ferrolog `Logger.info(msg, attrs)`):")
    for target, measured, met in targets({row.name: row for row in rows}, burst_stats):
        print(f"  {target}: {measured} — {'met' if met else 'NOT met'}")


def targets(rows: dict[str, Row], burst_stats: dict[str, object]) -> list[tuple[str, str, bool]]:
    """Each target with what was measured; the amortized ones are judged by the wall clock,
    with the CPU-time figure beside it."""
    ours, down = rows["ferrolog"], rows["ferrolog, endpoint down"]
    stdlib, sdk = rows["stdlib logging → NullHandler"], rows["luminalog-sdk 1.1.0"]

    def times(peer: Row) -> tuple[float, str]:
        wall = peer.amortized / ours.amortized
        cpu = (peer.amortized_cpu or 0.0) / (ours.amortized_cpu or float("inf"))
        return wall, f"{wall:.1f}× (CPU time {cpu:.1f}×)"

    (stdlib_times, stdlib_text), (sdk_times, sdk_text) = times(stdlib), times(sdk)
    dropped = sum(burst_stats["dropped"].values())  # type: ignore[attr-defined]
    return [
        (f"amortized ≤ {figure(TARGET_AMORTIZED_NS)}",
         f"{figure(ours.amortized)} (CPU time {figure(ours.amortized_cpu or 0.0)})",
         ours.amortized <= TARGET_AMORTIZED_NS),
        (f"≥ {TARGET_FASTER_THAN_STDLIB}× stdlib logging into nothing", stdlib_text,
         stdlib_times >= TARGET_FASTER_THAN_STDLIB),
        (f"≥ {TARGET_FASTER_THAN_LUMINALOG}× luminalog-sdk", sdk_text,
         sdk_times >= TARGET_FASTER_THAN_LUMINALOG),
        (f"p99.9 ≤ {figure(TARGET_P999_NS)}", figure(ours.p999), ours.p999 <= TARGET_P999_NS),
        (f"endpoint down, max ≤ {figure(TARGET_MAX_DOWN_NS)}", figure(down.max),
         down.max <= TARGET_MAX_DOWN_NS),
        (f"{BURST:,} burst, dropped 0", str(dropped), dropped == 0),
    ]

if __name__ == "__main__":
    main()
