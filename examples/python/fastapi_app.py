"""A FastAPI app with ferrolog's ASGI middleware: each request's scope follows it across
`await` and into plain endpoints on worker threads, concurrent requests keep their own, and an
error an endpoint lets escape is captured before the server answers 500.

`python fastapi_app.py` sends concurrent requests through httpx's ASGI transport and a failing
one through FastAPI's TestClient, then exits; `uvicorn fastapi_app:app` (uvicorn installed
separately) serves it. FERROLOG_ENDPOINT and FERROLOG_API_KEY choose where the entries go.
"""

import asyncio
import os

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

import ferrolog
from ferrolog.asgi import FerrologMiddleware
from ferrolog.context import current_logger

client = ferrolog.Client(
    api_key=os.environ.get("FERROLOG_API_KEY", "demo-key"),
    endpoint=os.environ.get("FERROLOG_ENDPOINT", "http://127.0.0.1:4318/v1/logs"),
    source="shop-fastapi",
)
root = client.logger()
app = FastAPI()
app.add_middleware(FerrologMiddleware, client=client)


@app.get("/orders/{order_id}")
async def show_order(order_id: str) -> dict[str, str]:
    await asyncio.sleep(0.01)  # other requests run meanwhile, each in its own scope
    current_logger(root).info("order shown", order=order_id)
    return {"order": order_id}


@app.get("/report")
def build_report() -> dict[str, int]:
    current_logger(root).info("report built on a worker thread")
    return {"orders": 3}


@app.post("/checkout")
async def checkout() -> None:
    raise RuntimeError("the payment service is down")


async def concurrent_requests() -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop") as http:
        responses = await asyncio.gather(
            *(
                http.get(f"/orders/{number}", headers={"X-Request-ID": f"req-{number}"})
                for number in range(3)
            ),
            http.get("/report"),
        )
    for response in responses:
        print(
            f"GET {response.url.path} -> {response.status_code}, X-Request-ID {response.headers['x-request-id']}"
        )


def exercise() -> None:
    asyncio.run(concurrent_requests())
    response = TestClient(app, raise_server_exceptions=False).post("/checkout")
    print(f"POST /checkout -> {response.status_code}: {response.text}")


if __name__ == "__main__":
    exercise()
    client.shutdown(timeout=2.0)
