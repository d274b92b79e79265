"""`priceAlertTriggered` over real websockets (graphql-transport-ws on /graphql).

Each test serves the app with uvicorn on 127.0.0.1 (an ephemeral port), subscribes over a
TCP websocket and fires alerts with `evaluatePriceAlerts` over HTTP. On PostgreSQL, two
server processes share one database: a trigger fired through one reaches a subscriber of
the other through LISTEN/NOTIFY. Demo alert 4 (PRICE_ABOVE 450,000 on Crawford 508/3)
fires on the first evaluation of the demo data.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
import uvicorn
from httpx_ws import AsyncWebSocketSession, aconnect_ws

from coinstack_graphql.app import create_app
from coinstack_graphql.market.alerts import ALERT_CHANNEL
from coinstack_graphql.pubsub_postgres import APPLICATION_NAME, asyncpg_dsn
from tests.graphql.market import RATES
from tests.graphql.mutations import MISSING, gid
from tests.support.client import TEST_SETTINGS
from tests.support.databases import POSTGRES_ENV, postgres_url

REPO = Path(__file__).resolve().parents[3]
TIMEOUT = 10.0
EVALUATE = """mutation { evaluatePriceAlerts(input: {}) { triggers { alertId }
  userErrors { message } } }"""
SUBSCRIPTION = """subscription S($alert: ID) { priceAlertTriggered(alert: $alert) {
  alertId triggerType attributionKey observedValue threshold observationKey message triggeredAt
  alert { id databaseId status notificationSent coin { databaseId } } } }"""


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@asynccontextmanager
async def live_server(url: str) -> AsyncIterator[tuple[str, Any]]:
    """The app served by uvicorn in this event loop: (base URL, app)."""
    app = create_app(replace(TEST_SETTINGS, database_url=url, currency_rates=RATES))
    sock = _listening_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                           ws="websockets-sansio"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            assert not task.done(), task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", app
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)
        sock.close()


@asynccontextmanager
async def subscriber(base: str) -> AsyncIterator[AsyncWebSocketSession]:
    """A graphql-transport-ws connection to `base`/graphql, acknowledged."""
    ws: AsyncWebSocketSession
    async with (
        httpx.AsyncClient(base_url=base) as http,
        aconnect_ws(f"{base}/graphql", http, subprotocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": {}})
        assert await receive(ws) == {"type": "connection_ack"}
        yield ws


async def receive(ws: AsyncWebSocketSession, wait: float = TIMEOUT) -> Any:
    """The next message that is not a keep-alive ping (TimeoutError after `wait` s)."""
    while True:
        message = await ws.receive_json(timeout=wait)
        if message.get("type") != "ping":
            return message


async def subscribe(ws: AsyncWebSocketSession, op_id: str, alert: str | None = None) -> None:
    await ws.send_json({"id": op_id, "type": "subscribe", "payload": {
        "query": SUBSCRIPTION, "variables": {"alert": alert}}})


async def until_subscribed(app: Any, count: int = 1) -> None:
    """Wait for the broker of `app` to have `count` subscribers (PostgreSQL: and LISTEN)."""
    broker = app.state.coinstack.services["broker"]
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        hub = broker._hub  # the subscribers of this worker
        ready = hub.subscriber_count(ALERT_CHANNEL) >= count
        if ready and hasattr(broker, "listening_channels"):
            ready = ALERT_CHANNEL in await broker.listening_channels()
        if ready:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the subscription never reached the broker")


async def evaluate(base: str) -> list[str]:
    async with httpx.AsyncClient(base_url=base) as http:
        response = await http.post("/graphql", json={"query": EVALUATE})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    payload = body["data"]["evaluatePriceAlerts"]
    assert payload["userErrors"] == []
    return [t["alertId"] for t in payload["triggers"]]


async def create_alert(base: str, values: dict[str, Any]) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        response = await http.post("/graphql", json={
            "query": "mutation M($input: CreatePriceAlertInput!) { createPriceAlert(input: "
                     "$input) { priceAlert { id } userErrors { message } } }",
            "variables": {"input": values}})
    payload = response.json()["data"]["createPriceAlert"]
    assert payload["userErrors"] == [], payload
    return str(payload["priceAlert"]["id"])


def check_demo_trigger(message: dict[str, Any], op_id: str = "1") -> None:
    assert (message["id"], message["type"]) == (op_id, "next"), message
    assert "errors" not in message["payload"], message
    trigger = message["payload"]["data"]["priceAlertTriggered"]
    assert {k: trigger[k] for k in ("alertId", "triggerType", "attributionKey", "observedValue",
                                    "threshold")} == {
        "alertId": gid("PriceAlert", 4), "triggerType": "PRICE_ABOVE",
        "attributionKey": "crawford.508.3", "observedValue": "546000.00",
        "threshold": "450000.00"}
    assert trigger["observationKey"].startswith("point:")
    assert trigger["triggeredAt"].endswith("Z")
    assert "above your USD 450,000.00" in trigger["message"]
    assert trigger["alert"]["id"] == gid("PriceAlert", 4)
    assert trigger["alert"]["status"] == "TRIGGERED"
    assert trigger["alert"]["coin"] == {"databaseId": 42}


async def test_a_trigger_reaches_the_websocket_subscriber(demo_db_copy: str) -> None:
    async with live_server(demo_db_copy) as (base, app), subscriber(base) as ws:
        await subscribe(ws, "1")
        await until_subscribed(app)
        assert await evaluate(base) == [gid("PriceAlert", 4)]
        check_demo_trigger(await receive(ws))
        # Completing the operation unsubscribes from the broker.
        await ws.send_json({"id": "1", "type": "complete"})
        broker = app.state.coinstack.services["broker"]
        deadline = time.monotonic() + TIMEOUT
        for _ in range(10_000):
            if not broker._hub.subscriber_count(ALERT_CHANNEL) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.01)
        assert broker._hub.subscriber_count(ALERT_CHANNEL) == 0


async def test_the_alert_argument_narrows_the_stream(demo_db_copy: str) -> None:
    async with live_server(demo_db_copy) as (base, app), subscriber(base) as ws:
        cheap = await create_alert(base, {"triggerType": "PRICE_BELOW",
                                          "attributionKey": "crawford.508.3",
                                          "thresholdValue": "999999"})
        await subscribe(ws, "all")
        await subscribe(ws, "one", alert=cheap)
        await until_subscribed(app, count=2)
        assert sorted(await evaluate(base)) == sorted([gid("PriceAlert", 4), cheap])
        received = [await receive(ws) for _ in range(3)]
        by_op: dict[str, list[str]] = {}
        for message in received:
            assert message["type"] == "next", message
            trigger = message["payload"]["data"]["priceAlertTriggered"]
            by_op.setdefault(message["id"], []).append(trigger["alertId"])
        assert sorted(by_op["all"]) == sorted([gid("PriceAlert", 4), cheap])
        assert by_op["one"] == [cheap]
        with pytest.raises(TimeoutError):  # nothing else is on its way
            await receive(ws, wait=0.3)


async def test_an_unknown_alert_is_refused(demo_db_copy: str) -> None:
    async with live_server(demo_db_copy) as (base, _app), subscriber(base) as ws:
        for op_id, alert, expected in [
            ("1", gid("PriceAlert", MISSING), "no price alert"),
            ("2", gid("Coin", 1), "must be the ID of a PriceAlert"),
        ]:
            await subscribe(ws, op_id, alert=alert)
            first = await receive(ws)
            assert (first["id"], first["type"]) == (op_id, "next"), first
            [error] = first["payload"]["errors"]
            assert expected in error["message"]
            assert error["extensions"]["code"] in ("NOT_FOUND", "BAD_USER_INPUT")
            assert await receive(ws) == {"id": op_id, "type": "complete"}


# ---- two workers on one PostgreSQL database


@contextmanager
def server_processes(url: str, count: int) -> Iterator[list[str]]:
    """`count` processes of `uvicorn coinstack_graphql.app:create_app` on `url`; base URLs."""
    env = {**os.environ, "COINSTACK_DATABASE_URL": url, "COINSTACK_BIND_HOST": "127.0.0.1",
           "COINSTACK_CURRENCY_RATES": ",".join(f"{k}={v}" for k, v in RATES.items() if k != "USD")}
    processes: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for _ in range(count):
            sock = _listening_socket()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "coinstack_graphql.app:create_app",
                 "--factory", "--fd", str(sock.fileno()), "--ws", "websockets-sansio",
                 "--log-level", "warning"],
                cwd=REPO, env=env, pass_fds=[sock.fileno()],
            ))
            bases.append(f"http://127.0.0.1:{sock.getsockname()[1]}")
            sock.close()  # the server holds its own copy
        deadline = time.monotonic() + 30
        for process, base in zip(processes, bases, strict=True):
            while not _healthy(base):
                assert process.poll() is None, f"the server exited with {process.returncode}"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


async def until_listening(url: str) -> None:
    """Wait until some worker's pub/sub connection LISTENs on the alert channel."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            count = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = $1 AND query ILIKE $2",
                APPLICATION_NAME, f"LISTEN %{ALERT_CHANNEL}%")
            if count:
                return
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    raise AssertionError("no worker LISTENs on the alert channel")


@pytest.mark.skipif(postgres_url() is None,
                    reason=f"two workers share a database only on PostgreSQL: set {POSTGRES_ENV}")
async def test_a_trigger_fired_by_another_worker_arrives(demo_db_copy: str) -> None:
    with server_processes(demo_db_copy, 2) as (first, second):
        async with subscriber(first) as ws:
            await subscribe(ws, "1")
            await until_listening(demo_db_copy)
            assert await evaluate(second) == [gid("PriceAlert", 4)]
            check_demo_trigger(await receive(ws))
            # The worker that fired it marked it notified once published.
            await ws.send_json({"id": "1", "type": "complete"})
        async with httpx.AsyncClient(base_url=first) as http:
            response = await http.post("/graphql", json={
                "query": "query N($id: ID!) { node(id: $id) { ... on PriceAlert { "
                         "notificationSent } } }",
                "variables": {"id": gid("PriceAlert", 4)}})
        assert response.json()["data"]["node"] == {"notificationSent": True}
