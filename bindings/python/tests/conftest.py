"""The real collector, started once per session, and clients that send to it."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ferrolog

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
COLLECTOR = Path(os.environ.get("FERROLOG_COLLECTOR", REPOSITORY_ROOT / "target/release/ferrolog-collector"))
LISTENING = "ferrolog-collector listening on "


class Collector:
    def __init__(self, url: str) -> None:
        self.url = url

    def set_fault(self, **fault: object) -> None:
        """Switches on a collector fault (see `POST /api/faults`), or clears them all."""
        method = "POST" if fault else "DELETE"
        body = json.dumps(fault).encode() if fault else None
        request = urllib.request.Request(f"{self.url}/api/faults", data=body, method=method)
        with urllib.request.urlopen(request, timeout=5):
            pass

    def entries(self, **filters: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode(filters)
        with urllib.request.urlopen(f"{self.url}/api/entries?{query}", timeout=5) as answer:
            entries: list[dict[str, Any]] = json.load(answer)
        return entries


@pytest.fixture(scope="session")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collector]:
    data_dir = tmp_path_factory.mktemp("collector")
    process = subprocess.Popen(
        [str(COLLECTOR), "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline().strip()
        assert first_line.startswith(LISTENING), f"collector said {first_line!r}"
        yield Collector(first_line.removeprefix(LISTENING))
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def marker() -> str:
    """A text no other test logs, to find this test's entries."""
    return uuid.uuid4().hex


@pytest.fixture
def client(collector: Collector) -> Iterator[ferrolog.Client]:
    """A LuminaLog client: the protocol of a plain key."""
    client = ferrolog.Client(api_key="test-key", endpoint=f"{collector.url}/v1/logs")
    yield client
    client.shutdown()


@pytest.fixture
def logflux_client(collector: Collector) -> Iterator[ferrolog.Client]:
    """A LogFlux client: its wire carries an error's whole cause chain and structured frames."""
    client = ferrolog.Client(api_key="eu-lf_test-key", endpoint=collector.url, key_persistence=False)
    yield client
    client.shutdown()


def sent(client: ferrolog.Client, collector: Collector, **filters: str) -> list[dict[str, Any]]:
    """What the collector stored, once the client has delivered everything logged so far."""
    assert client.flush(5.0)
    return collector.entries(**filters)
