"""A Flask app with ferrolog: every request gets a scope, a server span and one entry; an error
a view lets escape is captured before Flask answers 500.

`python flask_app.py` sends a few requests through Flask's test client and exits;
`flask --app flask_app run` serves it on 127.0.0.1:5000. FERROLOG_ENDPOINT and FERROLOG_API_KEY
choose where the entries go, as in quickstart.py.
"""

import logging
import os

from flask import Flask, abort

import ferrolog
from ferrolog.flask import Ferrolog
from ferrolog.handler import FerrologHandler

client = ferrolog.Client(
    api_key=os.environ.get("FERROLOG_API_KEY", "demo-key"),
    endpoint=os.environ.get("FERROLOG_ENDPOINT", "http://127.0.0.1:4318/v1/logs"),
    source="shop-flask",
)
app = Flask(__name__)
telemetry = Ferrolog(app, client=client)

# The app's stdlib logging goes through ferrolog too, with the current request's scope.
log = logging.getLogger("shop")
log.setLevel(logging.INFO)
log.addHandler(FerrologHandler(client))

ORDERS = {"42": {"id": "42", "items": 3}}


@app.get("/orders/<order_id>")
def show_order(order_id: str) -> dict[str, object]:
    order = ORDERS.get(order_id) or abort(404)
    telemetry.logger.info("order shown", order=order_id)
    return order


@app.post("/checkout")
def checkout() -> str:
    log.info("charging the card")
    raise RuntimeError("the payment service is down")


def exercise() -> None:
    """A caller with its own trace, a missing order and a failing checkout."""
    http = app.test_client()
    caller = {
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "X-Request-ID": "req-1",
    }
    requests = [("GET", "/orders/42", caller), ("GET", "/orders/7", {}), ("POST", "/checkout", {})]
    for method, path, headers in requests:
        response = http.open(path, method=method, headers=headers)
        print(
            f"{method} {path} -> {response.status_code}, X-Request-ID {response.headers['X-Request-ID']}, "
            f"traceparent {response.headers['traceparent']}"
        )


if __name__ == "__main__":
    # ferrolog captured the checkout's error; Flask's own traceback on stderr would repeat it.
    app.logger.disabled = True
    exercise()
    client.shutdown(timeout=2.0)
