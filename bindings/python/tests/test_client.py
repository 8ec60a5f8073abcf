"""Options, the environment, flush, shutdown and the counters."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

import ferrolog
from conftest import Collector, sent


def test_keyword_options_of_every_type_reach_the_core(collector: Collector, marker: str) -> None:
    client = ferrolog.Client(
        api_key="test-key",
        endpoint=f"{collector.url}/v1/logs",
        environment="staging",
        batch_size=60,
        flush_interval=0.25,
        privacy_mode=True,
    )
    try:
        client.logger().info(marker)
        [entry] = sent(client, collector, text=marker)
    finally:
        client.shutdown()
    assert entry["environment"] == "staging"
    assert entry["privacy_mode"] is True


def test_a_refused_option_is_a_config_error_naming_it() -> None:
    with pytest.raises(ferrolog.ConfigError, match="batch_size") as refused:
        ferrolog.Client(api_key="test-key", batch_size="many")
    assert refused.value.option == "batch_size"
    assert refused.value.result == ferrolog.Result.CONFIG_ERROR


def test_a_missing_required_option_is_a_config_error_naming_it() -> None:
    with pytest.raises(ferrolog.ConfigError, match="api_key"):
        ferrolog.Client()


def test_an_unknown_option_is_a_config_error_naming_it() -> None:
    with pytest.raises(ferrolog.ConfigError, match="no_such_option") as refused:
        ferrolog.Client(api_key="test-key", no_such_option=1)
    assert refused.value.option == "no_such_option"


def test_an_option_value_of_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="option batch_size"):
        ferrolog.Client(api_key="test-key", batch_size=[100])


def test_from_env_reads_the_environment_and_overrides_win(
    collector: Collector, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FERROLOG_API_KEY", "test-key")
    monkeypatch.setenv("FERROLOG_ENVIRONMENT", "from-env")
    monkeypatch.setenv("FERROLOG_PROJECT_ID", "project-from-env")
    client = ferrolog.Client.from_env(endpoint=f"{collector.url}/v1/logs", environment="override")
    try:
        client.logger().info(marker)
        [entry] = sent(client, collector, text=marker)
    finally:
        client.shutdown()
    assert entry["environment"] == "override"
    assert entry["project_id"] == "project-from-env"


def test_from_env_names_a_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERROLOG_API_KEY", "test-key")
    monkeypatch.setenv("FERROLOG_BATCH_SIZE", "lots")
    with pytest.raises(ferrolog.ConfigError, match="FERROLOG_BATCH_SIZE"):
        ferrolog.Client.from_env()


def test_stats_count_what_was_accepted_and_sent(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = client.logger()
    for number in range(3):
        logger.info(marker, number=number)
    assert len(sent(client, collector, text=marker)) == 3
    stats = client.stats()
    assert stats["accepted"] == 3
    assert stats["sent"] == 3
    assert stats["dropped"]["queue_overflow"] == 0


def test_after_shutdown_log_calls_answer_shut_down(client: ferrolog.Client) -> None:
    assert client.shutdown(1.0)
    assert client.logger().info("too late") == ferrolog.Result.SHUT_DOWN
    assert client.shutdown(1.0), "a second shutdown reports as the first"


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/v1/logs"


def test_flush_answers_false_at_its_deadline_and_shutdown_settles_the_rest(silent_endpoint: str) -> None:
    # With retries left, the attempt the flush deadline cuts short keeps the entry owed; with
    # none, it would be dropped (settled) at that very moment, racing the flush's own verdict.
    client = ferrolog.Client(api_key="test-key", endpoint=silent_endpoint)
    client.logger().info("never answered")
    assert client.flush(0.2) is False
    assert isinstance(client.shutdown(0.2), bool)
    stats = client.stats()
    assert stats["sent"] == 0
    assert sum(stats["dropped"].values()) == 1, "the entry ends dropped with a counted reason"


def test_a_bad_timeout_is_refused_before_the_call(client: ferrolog.Client) -> None:
    with pytest.raises(ValueError, match="timeout"):
        client.flush(-1)
    with pytest.raises(TypeError, match="timeout"):
        client.shutdown("soon")  # type: ignore[arg-type]


def test_a_client_left_running_is_shut_down_at_exit_and_delivers(collector: Collector, marker: str) -> None:
    program = (
        "import ferrolog\n"
        f"client = ferrolog.Client(api_key='test-key', endpoint='{collector.url}/v1/logs', flush_interval=60)\n"
        f"client.logger().info('{marker}')\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=30)
    assert [entry["message"] for entry in collector.entries(text=marker)] == [marker]
