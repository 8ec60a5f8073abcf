"""Levels, attributes, children, scopes and the other entry types, as the collector stored them."""

from __future__ import annotations

import types

import pytest

import ferrolog
from conftest import Collector, sent

LEVELS = {
    "debug": 8,
    "info": 7,
    "notice": 6,
    "warning": 5,
    "warn": 5,
    "error": 4,
    "critical": 3,
    "fatal": 3,
    "alert": 2,
    "emergency": 1,
    "panic": 1,
}


# LogFlux keeps all eight levels on the wire; LuminaLog folds notice and alert into neighbours.
@pytest.mark.parametrize(("method", "level"), LEVELS.items())
def test_each_level_method_logs_at_its_level(
    logflux_client: ferrolog.Client, collector: Collector, marker: str, method: str, level: int
) -> None:
    assert getattr(logflux_client.logger(), method)(marker) == ferrolog.Result.OK
    [entry] = sent(logflux_client, collector, text=marker)
    assert (entry["kind"], entry["level"], entry["message"]) == ("log", level, marker)


def test_log_takes_a_level_number_or_name(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = logflux_client.logger()
    logger.log(6, marker)
    logger.log("CRITICAL", marker)
    assert [entry["level"] for entry in sent(logflux_client, collector, text=marker)] == [6, 3]


class Unserializable:
    def __str__(self) -> str:
        return "unserializable as JSON"


def test_attributes_travel_as_json_and_other_values_as_their_str(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    client.logger().info(
        marker,
        user_id=42,
        ratio=0.5,
        ok=True,
        nothing=None,
        tags=["a", "b"],
        nested={"k": "v"},
        other=Unserializable(),
        message="an attribute named message",
    )
    [entry] = sent(client, collector, text=marker)
    assert entry["attributes"] == {
        "user_id": 42,
        "ratio": 0.5,
        "ok": True,
        "nothing": None,
        "tags": ["a", "b"],
        "nested": {"k": "v"},
        "other": "unserializable as JSON",
        "message": "an attribute named message",
    }


def test_attributes_may_come_as_a_mapping_with_keywords_on_top(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = client.logger()
    given = {"user": "alice", "plan": "pro"}
    logger.info(f"{marker} dict", given)
    logger.warning(f"{marker} both", given, plan="team", region="eu")
    logger.log("error", f"{marker} proxy", types.MappingProxyType({"user": "bob"}))
    logger.error(f"{marker} keys", {1: "one", "user": "carol"})
    by_message = {entry["message"]: entry for entry in sent(client, collector, text=marker)}
    assert by_message[f"{marker} dict"]["attributes"] == given
    assert by_message[f"{marker} both"]["attributes"] == {"user": "alice", "plan": "team", "region": "eu"}
    assert by_message[f"{marker} proxy"]["attributes"] == {"user": "bob"}
    assert by_message[f"{marker} keys"]["attributes"] == {"1": "one", "user": "carol"}
    assert given == {"user": "alice", "plan": "pro"}, "the caller's dict is left as it was"


@pytest.mark.parametrize("attributes", [["user", "alice"], "user=alice", 42])
def test_attributes_that_are_not_a_mapping_are_refused(client: ferrolog.Client, attributes: object) -> None:
    with pytest.raises(TypeError, match="attributes are a mapping"):
        client.logger().info("refused", attributes)  # type: ignore[arg-type]


def test_values_json_numbers_cannot_hold_still_arrive(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    client.logger().info(
        marker,
        ratio=float("nan"),
        limit=float("inf"),
        floor=float("-inf"),
        big=2**70,
        nested={"small": -(2**63), "big": [-(2**64)], 1: "one", None: "none"},
    )
    [entry] = sent(client, collector, text=marker)
    assert entry["attributes"] == {
        "ratio": None,
        "limit": None,
        "floor": None,
        "big": str(2**70),
        "nested": {"small": -(2**63), "big": [str(-(2**64))], "1": "one", "null": "none"},
    }


def test_a_child_inherits_attributes_and_its_entries_own_win(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    child = client.logger().child(service="api", region="eu")
    grandchild = child.child(region="us")
    grandchild.info(marker, service="worker")
    [entry] = sent(client, collector, text=marker)
    assert entry["attributes"] == {"service": "worker", "region": "us"}


def test_a_scope_sets_user_request_and_attributes_under_the_entries_own(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    parent = client.logger().child(service="api")
    scope = parent.scope()
    scope.set_user("user-7")
    scope.set_request("POST", "/orders", "req-1")
    scope.set_attribute("tenant", "acme")
    scope.set_attribute("plan", "free")
    scope.info(marker, plan="pro")
    parent.info(marker, unscoped=True)
    scoped, unscoped = sent(client, collector, text=marker)
    assert scoped["attributes"] == {
        "service": "api",
        "user.id": "user-7",
        "http.method": "POST",
        "http.path": "/orders",
        "http.request_id": "req-1",
        "tenant": "acme",
        "plan": "pro",
    }
    assert unscoped["attributes"] == {"service": "api", "unscoped": True}


def test_a_full_scope_refuses_a_new_key(client: ferrolog.Client) -> None:
    scope = client.logger().scope()
    for i in range(128):
        scope.set_attribute(f"key-{i}", "v")
    with pytest.raises(ferrolog.FerrologError, match="ferrolog_logger_set_attribute") as refused:
        scope.set_attribute("one-too-many", "v")
    assert refused.value.result == ferrolog.Result.TOO_LARGE
    scope.set_attribute("key-0", "still takes a new value")


def test_a_plain_logger_has_no_scope_setters(client: ferrolog.Client) -> None:
    assert not hasattr(client.logger(), "set_user")
    assert isinstance(client.logger().scope(), ferrolog.Scope)


def test_metrics_counters_and_gauges(client: ferrolog.Client, collector: Collector, marker: str) -> None:
    logger = client.logger()
    logger.counter(f"{marker}.hits", 2, unit="1", route="/a")
    logger.counter(f"{marker}.hits")
    logger.gauge(f"{marker}.temperature", 21.5, unit="C")
    logger.metric("distribution", f"{marker}.latency", 12, unit="ms")
    entries = sent(client, collector, kind="metric", text=marker)
    assert [entry["details"] for entry in entries] == [
        {"kind": "counter", "name": f"{marker}.hits", "unit": "1", "value": 2.0},
        {"kind": "counter", "name": f"{marker}.hits", "value": 1.0},
        {"kind": "gauge", "name": f"{marker}.temperature", "unit": "C", "value": 21.5},
        {"kind": "distribution", "name": f"{marker}.latency", "unit": "ms", "value": 12.0},
    ]
    assert entries[0]["attributes"] == {"route": "/a"}


def test_events_and_audits(client: ferrolog.Client, collector: Collector, marker: str) -> None:
    logger = client.logger()
    logger.event(f"{marker}.signup", plan="pro")
    logger.audit(
        f"{marker}.delete", "alice", "document", "doc-9", outcome="failure", actor_type="user", why="test"
    )
    event, audit = sent(client, collector, text=marker)
    assert (event["kind"], event["details"], event["attributes"]) == (
        "event",
        {"event": f"{marker}.signup"},
        {"plan": "pro"},
    )
    assert audit["kind"] == "audit"
    assert audit["details"]["actor"] == "alice"
    assert audit["details"]["resource"] == "document"
    assert audit["details"]["resource_id"] == "doc-9"
    assert audit["details"]["outcome"] == "failure"
    assert audit["attributes"]["why"] == "test"


def test_an_audit_without_an_outcome_succeeded(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    client.logger().audit(marker, "bob", "account")
    [audit] = sent(client, collector, text=marker)
    assert audit["details"]["outcome"] == "success"
