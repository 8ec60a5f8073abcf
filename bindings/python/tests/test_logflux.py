"""The LogFlux reference API (ferrolog.logflux) against the real collector: the reference's
examples as written, every function and option, hooks, sampling, scopes, spans and headers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ferrolog
import ferrolog.logflux as logflux
from conftest import Collector
from ferrolog.errors import defer, log_outcome
from ferrolog.logflux import LogLevel, Options

Start = Callable[..., None]


@pytest.fixture
def start(collector: Collector) -> Iterator[Start]:
    """Inits the module against the collector with the reference's options plus `extra`."""

    def init(**extra: Any) -> None:
        logflux.init(Options(api_key="eu-lf_test-key", endpoint=collector.url, key_persistence=False, **extra))

    yield init
    logflux.close()


@pytest.fixture
def started(start: Start) -> None:
    start()


def delivered(collector: Collector, marker: str) -> list[dict[str, Any]]:
    """This test's entries in the order they were logged: the reference's two workers may
    deliver two batches in either order."""
    assert logflux.flush(5.0)
    return sorted(collector.entries(text=marker), key=lambda entry: str(entry["timestamp"]))


def test_the_quick_start(start: Start, collector: Collector, marker: str) -> None:
    start(source="my-service", environment="production", release="1.2.3")
    logflux.info(f"{marker} server started")
    # Before process exit, as the reference writes it; the first LogFlux handshake of a
    # loaded machine may take longer, so delivery is awaited below.
    logflux.flush(timeout=2.0)
    [entry] = delivered(collector, marker)
    assert logflux.close()
    assert (entry["protocol"], entry["kind"], entry["level"]) == ("logflux", "log", 7)
    assert entry["environment"] == "production"
    assert (entry["details"]["source"], entry["details"]["release"]) == ("my-service", "1.2.3")


def test_every_level_function_and_log_with_attributes(started: None, collector: Collector, marker: str) -> None:
    functions = {
        logflux.emergency: 1,
        logflux.alert: 2,
        logflux.critical: 3,
        logflux.error: 4,
        logflux.warn: 5,
        logflux.warning: 5,
        logflux.notice: 6,
        logflux.info: 7,
        logflux.debug: 8,
    }
    for function in functions:
        assert function(f"{marker} {function.__name__}") == ferrolog.Result.OK
    logflux.log(LogLevel.ERROR, f"{marker} query timeout", {"db.host": "primary.db.internal", "duration_ms": "5023"})
    logflux.log("notice", f"{marker} by name")
    *levelled, timeout, by_name = delivered(collector, marker)
    assert [(entry["message"], entry["level"]) for entry in levelled] == [
        (f"{marker} {function.__name__}", level) for function, level in functions.items()
    ]
    assert (timeout["level"], timeout["attributes"]) == (
        4,
        {"db.host": "primary.db.internal", "duration_ms": "5023"},
    )
    assert by_name["level"] == 6


def test_metrics_events_and_audits_as_the_reference_sends_them(
    started: None, collector: Collector, marker: str
) -> None:
    logflux.counter(f"{marker}.http.requests.total", 1, {"method": "GET", "status": "200"})
    logflux.gauge(f"{marker}.system.cpu.usage", 85.2, {"host": "web-01", "unit": "percent"})
    logflux.distribution(f"{marker}.latency", 12.5)
    logflux.event(f"{marker}.user.signup", {"user_id": "usr_987", "plan": "starter"})
    logflux.audit(f"{marker}.record.deleted", "usr_456", "invoice", "inv_789", {"reason": "customer_request"})
    counter, gauge, distribution, event, audit = delivered(collector, marker)
    assert (counter["kind"], counter["details"]["kind"], counter["details"]["value"]) == ("metric", "counter", 1.0)
    assert counter["attributes"] == {"method": "GET", "status": "200"}
    assert (gauge["details"]["kind"], gauge["details"]["value"]) == ("gauge", 85.2)
    assert gauge["attributes"] == {"host": "web-01", "unit": "percent"}, "an attribute named unit stays one"
    assert distribution["details"]["kind"] == "distribution"
    assert (event["kind"], event["attributes"]) == ("event", {"user_id": "usr_987", "plan": "starter"})
    assert audit["kind"] == "audit"
    details = audit["details"]
    assert (details["actor"], details["resource"], details["resource_id"]) == ("usr_456", "invoice", "inv_789")
    assert audit["attributes"] == {"reason": "customer_request"}


def test_spans_and_child_spans(started: None, collector: Collector, marker: str) -> None:
    span = logflux.start_span("http.server", f"{marker} GET /api/users")
    db_span = span.start_child("db.query", f"{marker} SELECT * FROM users")
    db_span.set_attribute("db.rows", "3")
    assert db_span.end() == ferrolog.Result.OK
    span.end()
    child, root = delivered(collector, marker)
    assert (root["kind"], root["details"]["operation"], root["message"]) == (
        "trace",
        "http.server",
        f"{marker} GET /api/users",
    )
    assert child["details"]["operation"] == "db.query"
    assert (child["trace_id"], child["parent_span_id"]) == (root["trace_id"], root["span_id"])
    assert child["attributes"] == {"db.rows": "3"}


def test_trace_context_propagates_through_the_logflux_header(
    started: None, collector: Collector, marker: str
) -> None:
    client_span = logflux.start_span("http.client", f"{marker} GET /api")
    headers = {"X-LogFlux-Trace": client_span.trace_header}
    assert client_span.trace_header.startswith(client_span.traceparent.split("-")[1])
    server_span = logflux.continue_from_headers(headers, "http.server", f"{marker} serve")
    server_span.end()
    client_span.end()
    server, client = delivered(collector, marker)
    assert server["trace_id"] == client["trace_id"]
    assert server["parent_span_id"] == client["span_id"]


def test_a_span_as_a_context_manager_fails_on_an_exception(
    started: None, collector: Collector, marker: str
) -> None:
    with pytest.raises(KeyError), logflux.start_span("job", marker) as span:
        raise KeyError("gone")
    assert span.ended
    [entry] = delivered(collector, marker)
    assert entry["details"]["status"] == "error"


def test_error_capture_with_context_and_the_breadcrumb_trail(
    started: None, collector: Collector, marker: str
) -> None:
    logflux.info(f"{marker} loading config")
    logflux.event(f"{marker}.user.login")
    logflux.add_breadcrumb("http", "GET /api/users", {"status": 200})
    sql = "SELECT 1"
    try:
        raise ConnectionError(f"{marker} database down")
    except Exception as err:
        logflux.capture_error(err)
        logflux.capture_error(err, {"sql": sql, "db.host": "primary"})
    *_, plain, with_context = delivered(collector, marker)
    assert plain["error"]["type"] == "ConnectionError"
    assert plain["error"]["stack_trace"][0]["function"] == "test_error_capture_with_context_and_the_breadcrumb_trail"
    trail = [(crumb["category"], crumb["message"]) for crumb in plain["error"]["breadcrumbs"]]
    assert trail[-3:] == [
        ("log", f"{marker} loading config"),
        ("event", f"{marker}.user.login"),
        ("http", "GET /api/users"),
    ]
    assert plain["error"]["breadcrumbs"][-1]["data"] == {"status": "200"}
    assert with_context["attributes"]["sql"] == sql
    assert with_context["attributes"]["db.host"] == "primary"


SCOPE_ATTRIBUTES = {
    "user.id": "usr_456",
    "http.method": "GET",
    "http.path": "/api/users",
    "http.request_id": "req_abc123",
    "tenant": "acme-corp",
}


def test_with_scope_as_the_reference_writes_it(started: None, collector: Collector, marker: str) -> None:
    err: Exception | None = ValueError(f"{marker} in the request")

    def handle_scope(scope: logflux.Scope) -> str:
        scope.set_user("usr_456")
        scope.set_request("GET", "/api/users", "req_abc123")
        scope.set_attribute("tenant", "acme-corp")
        scope.info(f"{marker} processing request")
        logflux.info(f"{marker} from the module inside")
        if err:
            scope.capture_error(err)
        return "handled"

    assert logflux.with_scope(handle_scope) == "handled"
    logflux.info(f"{marker} after")
    scoped, inside, captured, after = delivered(collector, marker)
    for entry in (scoped, inside, captured):
        assert entry["attributes"]["tenant"] == "acme-corp"
        assert {key: entry["attributes"][key] for key in SCOPE_ATTRIBUTES} == SCOPE_ATTRIBUTES
    assert captured["error"]["type"] == "ValueError"
    assert [crumb["message"] for crumb in captured["error"]["breadcrumbs"]] == [
        f"{marker} processing request",
        f"{marker} from the module inside",
    ], "the scope keeps its own trail"
    assert "attributes" not in after, "the scope ends with the function"


def test_the_reference_hooks_drop_debug_and_scrub_audits(start: Start, collector: Collector, marker: str) -> None:
    seen: list[dict[str, Any]] = []

    def filter_debug(log: dict[str, Any]) -> dict[str, Any] | None:
        seen.append(dict(log))
        if log["level"] == 8:  # debug
            return None
        return log

    def scrub_audit(audit: dict[str, Any]) -> dict[str, Any]:
        audit.get("attributes", {}).pop("ip", None)
        return audit

    start(before_send_log=filter_debug, before_send_audit=scrub_audit)
    assert logflux.debug(f"{marker} noisy") == ferrolog.Result.FILTERED
    logflux.info(f"{marker} kept", {"a": "1"})
    logflux.audit(f"{marker}.login", "usr_1", "session", "", {"ip": "10.0.0.1", "agent": "curl"})
    kept, audit = delivered(collector, marker)
    assert kept["message"] == f"{marker} kept"
    assert audit["attributes"] == {"agent": "curl"}
    assert seen[0] == {"type": "log", "level": 8, "message": f"{marker} noisy", "attributes": {}}
    assert seen[1]["attributes"] == {"a": "1"}


def test_hooks_change_entries_of_every_type(start: Start, collector: Collector, marker: str) -> None:
    def renamed(entry: dict[str, Any]) -> dict[str, Any]:
        return {**entry, "attributes": {**entry["attributes"], "hooked": entry["type"]}}

    def louder(entry: dict[str, Any]) -> dict[str, Any]:
        return {"level": "warning", "message": entry["message"] + " (checked)"}

    start(
        before_send_log=louder,
        before_send_metric=renamed,
        before_send_trace=renamed,
        before_send_event=renamed,
    )
    logflux.info(f"{marker} login")
    logflux.counter(f"{marker}.hits", 2)
    logflux.event(f"{marker}.signup")
    logflux.start_span("op", f"{marker} span").end()
    log, metric, event, trace = delivered(collector, marker)
    assert (log["message"], log["level"]) == (f"{marker} login (checked)", 5)
    assert [entry["attributes"]["hooked"] for entry in (metric, event, trace)] == ["metric", "event", "trace"]
    assert metric["details"]["value"] == 2.0


def test_a_failing_hook_is_reported_and_its_entry_sent_as_it_was(
    start: Start, collector: Collector, marker: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(log: dict[str, Any]) -> Any:
        if "raise" in log["message"]:
            raise RuntimeError("hook bug")
        return "not an entry"

    start(before_send_log=broken)
    with caplog.at_level(logging.ERROR, logger="ferrolog"):
        logflux.info(f"{marker} raise")
        logflux.info(f"{marker} wrong return", {"k": "v"})
    first, second = delivered(collector, marker)
    assert (first["message"], second["attributes"]) == (f"{marker} raise", {"k": "v"})
    reports = [record.getMessage() for record in caplog.records]
    assert reports == ["before_send_log raised; the entry is sent as it was"] * 2
    assert "must return the entry (a dict) or None" in str(caplog.records[1].exc_info[1])


def test_without_failsafe_a_hook_exception_reaches_the_caller(
    start: Start, collector: Collector, marker: str
) -> None:
    def broken(log: dict[str, Any]) -> dict[str, Any]:
        if "raise" in log["message"]:
            raise RuntimeError("hook bug")
        return log

    def retyped(event: dict[str, Any]) -> dict[str, Any]:
        return {**event, "type": "log"}

    start(failsafe=False, before_send_log=broken, before_send_event=retyped)
    with pytest.raises(RuntimeError, match="hook bug"):
        logflux.info(f"{marker} raise")
    with pytest.raises(ValueError, match="cannot change the entry's type"):
        logflux.event(f"{marker}.retyped")
    assert logflux.info(f"{marker} next") == ferrolog.Result.OK, "the error was raised once"
    raised, retyped, following = delivered(collector, marker)
    assert (raised["kind"], retyped["kind"], following["kind"]) == ("log", "event", "log")


def test_a_hook_exception_is_raised_only_on_the_thread_whose_call_ran_the_hook() -> None:
    error = RuntimeError("hook bug")
    deferred, seen_elsewhere = threading.Event(), threading.Event()
    raised: list[BaseException] = []

    def hooked_call() -> None:
        defer(error)  # as the hook trampoline does, on the thread of the call that ran it
        deferred.set()
        seen_elsewhere.wait(5.0)
        try:
            log_outcome("ferrolog_log", int(ferrolog.Result.OK))
        except RuntimeError as caught:
            raised.append(caught)

    thread = threading.Thread(target=hooked_call)
    thread.start()
    assert deferred.wait(5.0)
    assert log_outcome("ferrolog_log", int(ferrolog.Result.OK)) == ferrolog.Result.OK
    seen_elsewhere.set()
    thread.join(5.0)
    assert raised == [error]
    assert log_outcome("ferrolog_log", int(ferrolog.Result.OK)) == ferrolog.Result.OK


def test_sampling_keeps_audits(start: Start, collector: Collector, marker: str) -> None:
    start(sample_rate=0.0)
    assert logflux.info(f"{marker} sampled out") == ferrolog.Result.FILTERED
    assert logflux.event(f"{marker}.sampled") == ferrolog.Result.FILTERED
    assert logflux.audit(f"{marker}.never.sampled", "usr_1", "doc") == ferrolog.Result.OK
    [audit] = delivered(collector, marker)
    assert audit["kind"] == "audit"


def test_a_tenth_is_sent_at_sample_rate_a_tenth(start: Start) -> None:
    start(sample_rate=0.1)
    outcomes = [logflux.info("sampled") for _ in range(2000)]
    kept = outcomes.count(ferrolog.Result.OK)
    assert 100 < kept < 320, kept


def test_every_option_of_the_reference_is_accepted(
    start: Start, collector: Collector, marker: str, tmp_path: Any
) -> None:
    start(
        source="svc",
        environment="staging",
        release="2.0.0",
        queue_size=500,
        batch_size=10,
        flush_interval=0.5,
        worker_count=1,
        max_retries=1,
        sample_rate=1.0,
        max_breadcrumbs=5,
        failsafe=True,
        enable_compression=False,
        debug=False,
        node="node-1",
        http_timeout=3,
        key_rotation_days=30,
        key_persistence_path=str(tmp_path),
    )
    for number in range(8):
        logflux.info(f"{marker} crumb {number}")
    logflux.capture_error(ValueError(f"{marker} err"))
    *_, captured = delivered(collector, marker)
    assert len(captured["error"]["breadcrumbs"]) == 5, "max_breadcrumbs bounds the trail"
    assert captured["environment"] == "staging"


def test_the_compressed_and_persisted_defaults_deliver(collector: Collector, marker: str, tmp_path: Any) -> None:
    logflux.init(Options(api_key="eu-lf_test-key", endpoint=collector.url, key_persistence_path=str(tmp_path)))
    try:
        logflux.info(marker)
        [entry] = delivered(collector, marker)
        assert entry["protocol"] == "logflux"
        assert list(tmp_path.iterdir()), "the session key is kept on disk"
    finally:
        logflux.close()


def test_init_from_env_reads_logflux_variables(
    collector: Collector, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGFLUX_API_KEY", "eu-lf_from-env")
    monkeypatch.setenv("LOGFLUX_ENVIRONMENT", "from-env")
    monkeypatch.setenv("LOGFLUX_KEY_PERSISTENCE", "false")
    monkeypatch.setenv("LOGFLUX_MAX_BREADCRUMBS", "2")
    logflux.init_from_env(node="my-node", endpoint=collector.url)
    try:
        for number in range(4):
            logflux.info(f"{marker} {number}")
        logflux.capture_error(ValueError(f"{marker} err"))
        *_, captured = delivered(collector, marker)
        assert captured["environment"] == "from-env"
        assert captured["details"]["source"] == "my-node", "the node names the source when none is set"
        assert len(captured["error"]["breadcrumbs"]) == 2
    finally:
        logflux.close()


def test_init_from_env_overrides_win_and_take_hooks(
    collector: Collector, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGFLUX_API_KEY", "eu-lf_from-env")
    monkeypatch.setenv("LOGFLUX_ENVIRONMENT", "from-env")
    logflux.init_from_env(
        environment="override",
        endpoint=collector.url,
        key_persistence=False,
        before_send_log=lambda log: {**log, "message": log["message"] + "!"},
    )
    try:
        logflux.info(marker)
        [entry] = delivered(collector, marker)
        assert (entry["environment"], entry["message"]) == ("override", f"{marker}!")
    finally:
        logflux.close()


def test_after_close_calls_answer_shut_down_and_init_starts_again(start: Start, collector: Collector, marker: str) -> None:
    start()
    assert logflux.close()
    assert logflux.info(f"{marker} late") == ferrolog.Result.SHUT_DOWN
    start()
    logflux.info(f"{marker} again")
    [entry] = delivered(collector, marker)
    assert entry["message"] == f"{marker} again"


def test_init_again_replaces_the_client(start: Start, collector: Collector, marker: str) -> None:
    start(environment="first")
    logflux.info(f"{marker} first")
    start(environment="second")
    logflux.info(f"{marker} second")
    first, second = delivered(collector, marker)
    assert (first["environment"], second["environment"]) == ("first", "second")


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"queue_size": "1000"}, TypeError, "queue_size must be int"),
        ({"failsafe": 1}, TypeError, "failsafe must be bool"),
        ({"max_retries": True}, TypeError, "max_retries must be int"),
        ({"source": 7}, TypeError, "source must be str or None"),
        ({"before_send_log": "drop"}, TypeError, "before_send_log must be callable"),
        ({"api_key": ""}, ValueError, "api_key is required"),
    ],
)
def test_options_of_the_wrong_type_are_refused(options: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Options(**{"api_key": "eu-lf_k", **options})


def test_out_of_range_options_name_the_option(collector: Collector) -> None:
    with pytest.raises(ferrolog.ConfigError, match="sample_rate") as raised:
        logflux.init(Options(api_key="eu-lf_k", endpoint=collector.url, sample_rate=1.5))
    assert raised.value.option == "sample_rate"


def test_bad_arguments_raise_clear_errors(started: None) -> None:
    with pytest.raises(TypeError, match="init takes Options"):
        logflux.init({"api_key": "eu-lf_k"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Options has no field 'colour'"):
        logflux.init_from_env(colour="red")
    with pytest.raises(TypeError, match="attributes must be a dict"):
        logflux.info("m", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="attribute names must be str"):
        logflux.event("e", {1: "one"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="message must be a str"):
        logflux.info(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown level"):
        logflux.log("loud", "m")
    with pytest.raises(TypeError, match="value must be a number"):
        logflux.gauge("g", "85")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="capture_error takes an exception"):
        logflux.capture_error("boom")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="with_scope takes a function"):
        logflux.with_scope(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="header name must be a str"):
        logflux.continue_from_headers({1: "x"}, "op")  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="value must be a str"):
        logflux.start_span("op").set_attribute("status", 200)  # type: ignore[arg-type]
