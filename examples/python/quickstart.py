"""ferrolog quickstart for Python: a client, a logger with a child, a span, a captured exception.

Sends to FERROLOG_ENDPOINT (default http://127.0.0.1:4318/v1/logs, a LuminaLog endpoint of the
bundled collector) with the key in FERROLOG_API_KEY (default demo-key).
"""

import os

import ferrolog


def reserve(sku: str) -> None:
    raise LookupError(f"{sku} is out of stock")


def main() -> None:
    client = ferrolog.Client(
        api_key=os.environ.get("FERROLOG_API_KEY", "demo-key"),
        endpoint=os.environ.get("FERROLOG_ENDPOINT", "http://127.0.0.1:4318/v1/logs"),
        source="quickstart-py",
    )
    logger = client.logger().child(service="checkout")
    logger.info("user signed in", user_id=42)

    with logger.span("POST /checkout", "http.server") as span:
        traced = span.logger()  # its entries carry the span's trace and span ids
        traced.warning("slow cart lookup", ms=930)
        with span.child("SELECT stock", "db.query"):
            traced.add_breadcrumb("looked up the stock", category="db", data={"rows": 0})
        try:
            reserve("sku-7")
        except LookupError as exc:
            traced.capture_error(exc, "checkout failed", sku="sku-7")
        print(f"the trace header a call out of this span would carry: {span.header('traceparent')}")

    delivered = client.flush(timeout=2.0)
    stats = client.stats()
    print(f"flushed: {delivered}; accepted {stats['accepted']}, sent {stats['sent']}")
    client.shutdown(timeout=2.0)


if __name__ == "__main__":
    main()
