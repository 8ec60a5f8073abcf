"""ferrolog.django with Django's test Client, settings configured here, against the collector."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import django
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client as DjangoClient
from django.test import override_settings
from django.urls import path

import ferrolog
from conftest import Collector
from ferrolog.context import current_logger
from served import GENERATED_REQUEST_ID, assert_captured, assert_continued, served_entries, traceparent

THIS_FILE = __file__


class InvoiceLocked(Exception):
    pass


def show_invoice(request: HttpRequest, invoice_id: str) -> HttpResponse:
    # The root passed here is what a view would log with outside any request.
    current_logger(settings.FERROLOG.logger()).info("invoice shown", invoice=invoice_id)
    return HttpResponse(invoice_id)


def pay_invoice(request: HttpRequest) -> HttpResponse:
    raise InvoiceLocked("invoice i-3 is locked")


def no_invoice(request: HttpRequest) -> HttpResponse:
    raise Http404("no such invoice")


urlpatterns = [
    path("invoices/<invoice_id>", show_invoice),
    path("pay", pay_invoice),
    path("none", no_invoice),
]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["ferrolog.django.FerrologMiddleware"],
        INSTALLED_APPS=[],
        DATABASES={},
        LOGGING_CONFIG=None,  # Django's default logging would print every 500 it answers
    )
    django.setup()


def test_a_request_arrives_with_its_id_method_path_status_and_duration(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with override_settings(FERROLOG=logflux_client):
        response = DjangoClient().get(
            "/invoices/i-1", headers={"X-Request-ID": "req-django-1", "traceparent": traceparent(marker)}
        )
    assert (response.status_code, response.content) == (200, b"i-1")
    served = served_entries(logflux_client, collector, marker, "GET", "/invoices/i-1", 200)
    assert served.summary["attributes"]["http.request_id"] == "req-django-1"
    assert response.headers["X-Request-ID"] == "req-django-1"
    assert_continued(served, marker, response.headers)
    [inside] = served.logs
    assert (inside["message"], inside["attributes"]["invoice"]) == ("invoice shown", "i-1")


def test_without_a_request_id_one_is_made(logflux_client: ferrolog.Client, collector: Collector) -> None:
    with override_settings(FERROLOG=logflux_client):
        response = DjangoClient().post("/invoices/i-2")
    assert GENERATED_REQUEST_ID.fullmatch(response.headers["X-Request-ID"])
    trace_id = response.headers["traceparent"].split("-")[1]
    served = served_entries(logflux_client, collector, trace_id, "POST", "/invoices/i-2", 200)
    assert served.summary["attributes"]["http.request_id"] == response.headers["X-Request-ID"]


def test_a_view_error_is_captured_and_django_answers_500(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with override_settings(FERROLOG=logflux_client):
        http = DjangoClient(raise_request_exception=False)
        response = http.post("/pay", headers={"traceparent": traceparent(marker)})
    assert response.status_code == 500
    served = served_entries(logflux_client, collector, marker, "POST", "/pay", 500)
    assert_captured(served, "InvoiceLocked", "pay_invoice", THIS_FILE)
    assert served.span["attributes"]["error.message"] == "invoice i-3 is locked"
    assert_continued(served, marker, response.headers)


def test_the_test_client_still_re_raises_the_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with override_settings(FERROLOG=logflux_client), pytest.raises(InvoiceLocked):
        DjangoClient().post("/pay", headers={"traceparent": traceparent(marker)})
    served = served_entries(logflux_client, collector, marker, "POST", "/pay", 500)
    assert_captured(served, "InvoiceLocked", "pay_invoice", THIS_FILE)


def test_a_404_is_a_status_not_a_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with override_settings(FERROLOG=logflux_client):
        response = DjangoClient().get("/none", headers={"traceparent": traceparent(marker)})
    assert response.status_code == 404
    served = served_entries(logflux_client, collector, marker, "GET", "/none", 404)
    assert served.errors == []


def eventually(probe: Callable[[], list[dict[str, Any]]], timeout: float = 5.0) -> list[dict[str, Any]]:
    """What `probe` finds once it finds anything, waiting at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_settings_can_hold_client_options_instead_of_a_client(collector: Collector, marker: str) -> None:
    options = {
        "api_key": "eu-lf_test-key",
        "endpoint": collector.url,
        "key_persistence": False,
        "flush_interval": "50ms",
    }
    with override_settings(FERROLOG=options):
        DjangoClient().get("/none", headers={"traceparent": traceparent(marker)})
    [entry] = eventually(lambda: collector.entries(trace_id=marker, kind="trace"))
    assert entry["message"] == "GET /none"


@pytest.mark.parametrize("configured", [None, "not options"])
def test_missing_or_wrong_settings_are_improperly_configured(configured: object) -> None:
    with override_settings(FERROLOG=configured), pytest.raises(ImproperlyConfigured, match="FERROLOG"):
        DjangoClient().get("/none")
