"""ferrolog.flask with Flask's own test client, against the collector."""

from __future__ import annotations

import pytest
from flask import Flask, abort

import ferrolog
from conftest import Collector, sent
from ferrolog.flask import Ferrolog
from served import GENERATED_REQUEST_ID, assert_captured, assert_continued, served_entries, traceparent

THIS_FILE = __file__


class OrderLost(Exception):
    pass


def make_app(client: ferrolog.Client, testing: bool = False) -> tuple[Flask, Ferrolog]:
    app = Flask(__name__)
    app.testing = testing
    ext = Ferrolog(app, client=client)

    @app.get("/orders/<order_id>")
    def show_order(order_id: str) -> str:
        ext.logger.info("order looked up", order=order_id)
        return order_id

    @app.get("/lost")
    def lose_order() -> str:
        raise OrderLost("order o-9 is gone")

    @app.get("/missing")
    def missing() -> str:
        abort(404)

    return app, ext


def test_a_request_arrives_with_its_id_method_path_status_and_duration(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    app, _ = make_app(logflux_client)
    response = app.test_client().get(
        "/orders/o-7", headers={"X-Request-ID": "req-flask-1", "traceparent": traceparent(marker)}
    )
    assert (response.status_code, response.text) == (200, "o-7")
    served = served_entries(logflux_client, collector, marker, "GET", "/orders/o-7", 200)
    assert served.summary["attributes"]["http.request_id"] == "req-flask-1"
    assert response.headers["X-Request-ID"] == "req-flask-1"
    assert_continued(served, marker, response.headers)
    [inside] = served.logs
    assert (inside["message"], inside["attributes"]["order"]) == ("order looked up", "o-7")
    assert served.errors == []


def test_without_a_request_id_one_is_made_and_sent_back(
    logflux_client: ferrolog.Client, collector: Collector
) -> None:
    app, _ = make_app(logflux_client)
    response = app.test_client().get("/orders/o-8")
    request_id = response.headers["X-Request-ID"]
    assert GENERATED_REQUEST_ID.fullmatch(request_id)
    trace_id = response.headers["traceparent"].split("-")[1]
    served = served_entries(logflux_client, collector, trace_id, "GET", "/orders/o-8", 200)
    assert served.summary["attributes"]["http.request_id"] == request_id
    assert "parent_span_id" not in served.span, "no caller's trace: the server span is a root"


def test_an_unhandled_error_is_captured_and_flask_answers_500(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    app, _ = make_app(logflux_client)
    response = app.test_client().get("/lost", headers={"traceparent": traceparent(marker)})
    assert response.status_code == 500
    served = served_entries(logflux_client, collector, marker, "GET", "/lost", 500)
    assert_captured(served, "OrderLost", "lose_order", THIS_FILE)
    assert served.span["attributes"]["error.message"] == "order o-9 is gone"
    assert_continued(served, marker, response.headers)


def test_with_propagation_on_the_error_is_captured_and_re_raised(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    app, _ = make_app(logflux_client, testing=True)
    with pytest.raises(OrderLost, match="o-9"):
        app.test_client().get("/lost", headers={"traceparent": traceparent(marker)})
    served = served_entries(logflux_client, collector, marker, "GET", "/lost", 500)
    assert_captured(served, "OrderLost", "lose_order", THIS_FILE)


def test_an_http_error_is_a_status_not_a_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    app, _ = make_app(logflux_client)
    response = app.test_client().get("/missing", headers={"traceparent": traceparent(marker)})
    assert response.status_code == 404
    served = served_entries(logflux_client, collector, marker, "GET", "/missing", 404)
    assert served.errors == []


def test_the_client_can_come_from_the_app_config_through_init_app(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    ext = Ferrolog()
    app = Flask(__name__)
    app.config["FERROLOG"] = logflux_client.logger().child(service="shop")
    ext.init_app(app)
    app.add_url_rule("/", "home", lambda: "home")
    app.test_client().get("/", headers={"traceparent": traceparent(marker)})
    served = served_entries(logflux_client, collector, marker, "GET", "/", 200)
    assert served.summary["attributes"]["service"] == "shop"


def test_outside_a_request_the_extension_logs_with_its_root(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    _, ext = make_app(logflux_client)
    ext.logger.info(marker)
    [entry] = sent(logflux_client, collector, text=marker)
    assert "http.request_id" not in entry.get("attributes", {})


def test_init_app_without_a_client_or_config_says_what_to_set() -> None:
    with pytest.raises(RuntimeError, match="FERROLOG"):
        Ferrolog(Flask(__name__))
