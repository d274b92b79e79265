"""Pub/sub: in-process fan-out and cleanup; LISTEN/NOTIFY across connections and processes."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest

from coinstack_graphql.pubsub import (
    MAX_PAYLOAD_BYTES,
    BrokerClosed,
    InProcessBroker,
    Subscription,
    broker_for,
)
from coinstack_graphql.pubsub_postgres import PostgresBroker, asyncpg_dsn
from tests.support.databases import POSTGRES_ENV, postgres_url

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 10.0

requires_postgres = pytest.mark.skipif(
    postgres_url() is None,
    reason=f"LISTEN/NOTIFY needs a PostgreSQL server: set {POSTGRES_ENV} to run these",
)


def _channel() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


async def _next(subscription: Subscription) -> dict[str, Any]:
    return await asyncio.wait_for(anext(subscription), TIMEOUT)


async def test_in_process_fan_out_to_two_subscribers() -> None:
    broker = InProcessBroker()
    await broker.start()
    try:
        async with broker.subscribe("price_alert_triggered") as one, broker.subscribe(
            "price_alert_triggered"
        ) as two, broker.subscribe("enrichment_batch_7") as other:
            await broker.publish("price_alert_triggered", {"alertId": 3, "observedValue": "864.00"})
            first, second = await _next(one), await _next(two)
            assert first == second == {"alertId": 3, "observedValue": "864.00"}
            first["alertId"] = 99  # each subscriber has its own copy
            assert second["alertId"] == 3
            await broker.publish("enrichment_batch_7", {"done": 1})
            assert await _next(other) == {"done": 1}
            assert one._queue.empty()  # type: ignore[attr-defined]
    finally:
        await broker.close()


async def test_in_process_unsubscribe_cleans_up() -> None:
    broker = InProcessBroker()
    subscription = broker.subscribe("price_alert_triggered")
    async with subscription:
        assert broker.channels() == {"price_alert_triggered"}
    assert broker.channels() == set()
    await broker.publish("price_alert_triggered", {"alertId": 1})  # nobody listening: fine
    with pytest.raises(StopAsyncIteration):
        await anext(subscription)
    await broker.close()


async def test_in_process_close_ends_subscriptions() -> None:
    broker = InProcessBroker()
    async with broker.subscribe("price_alert_triggered") as subscription:
        reader = asyncio.create_task(anext(subscription))
        await asyncio.sleep(0)
        await broker.close()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(reader, TIMEOUT)
    with pytest.raises(BrokerClosed):
        await broker.publish("price_alert_triggered", {"alertId": 1})
    with pytest.raises(BrokerClosed):
        async with broker.subscribe("price_alert_triggered"):
            pass


async def test_async_for_reads_in_order() -> None:
    broker = InProcessBroker()
    async with broker.subscribe("progress") as subscription:
        for n in range(3):
            await broker.publish("progress", {"n": n})
        received = []
        async for message in subscription:
            received.append(message["n"])
            if len(received) == 3:
                break
    assert received == [0, 1, 2]
    await broker.close()


@pytest.mark.parametrize(
    ("channel", "payload", "words"),
    [
        ("Price-Alerts", {"a": 1}, "lowercase identifier"),
        ("x" * 64, {"a": 1}, "lowercase identifier"),
        ("alerts", ["a"], "JSON object"),
        ("alerts", {"blob": "x" * MAX_PAYLOAD_BYTES}, "send ids and small fields"),
        ("alerts", {"when": object()}, "not JSON"),
    ],
)
async def test_publish_refuses_what_notify_could_not_carry(
    channel: str, payload: Any, words: str
) -> None:
    broker = InProcessBroker()
    with pytest.raises((ValueError, TypeError), match=words):
        await broker.publish(channel, payload)


def test_broker_for_picks_the_engine() -> None:
    assert isinstance(broker_for("sqlite+aiosqlite:///./coinstack.db"), InProcessBroker)
    broker = broker_for("postgresql+asyncpg://coin:secret@db.example:5432/coinstack")
    assert isinstance(broker, PostgresBroker)
    assert asyncpg_dsn("postgresql+asyncpg://coin:secret@db.example:5432/coinstack") == (
        "postgresql://coin:secret@db.example:5432/coinstack"
    )
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        asyncpg_dsn("mysql://db.example/coinstack")


def _dsn() -> str:
    url = postgres_url()
    assert url is not None
    return asyncpg_dsn(url)


@requires_postgres
async def test_postgres_publish_on_one_broker_receive_on_another() -> None:
    channel = _channel()
    sender, receiver = PostgresBroker(_dsn()), PostgresBroker(_dsn())
    await sender.start()
    await receiver.start()
    try:
        assert sender.server_pid() != receiver.server_pid()  # two separate connections
        async with receiver.subscribe(channel) as one, receiver.subscribe(channel) as two:
            assert await receiver.listening_channels() == {channel}
            await sender.publish(channel, {"alertId": 7, "triggerType": "price_below"})
            assert await _next(one) == {"alertId": 7, "triggerType": "price_below"}
            assert await _next(two) == {"alertId": 7, "triggerType": "price_below"}
        # The last subscriber gone, the connection stops listening.
        assert await receiver.listening_channels() == set()
    finally:
        await sender.close()
        await receiver.close()


@requires_postgres
async def test_postgres_reconnects_after_losing_its_connection() -> None:
    channel = _channel()
    broker = PostgresBroker(_dsn(), reconnect_delay=0.05, ping_interval=0.5)
    await broker.start()
    admin = await asyncpg.connect(_dsn())
    try:
        async with broker.subscribe(channel) as subscription:
            killed = broker.server_pid()
            await admin.execute("SELECT pg_terminate_backend($1)", killed)
            for _ in range(200):  # reconnection is asynchronous
                if broker.server_pid() not in (None, killed):
                    break
                await asyncio.sleep(0.05)
            assert broker.server_pid() not in (None, killed)
            assert await broker.listening_channels() == {channel}
            await admin.execute("SELECT pg_notify($1, $2)", channel, '{"alertId": 9}')
            assert await _next(subscription) == {"alertId": 9}
            await broker.publish(channel, {"alertId": 10})
            assert await _next(subscription) == {"alertId": 10}
    finally:
        await admin.close()
        await broker.close()


PUBLISHER = """
import asyncio, os, sys
from coinstack_graphql.pubsub import broker_for

async def main() -> None:
    broker = broker_for(sys.argv[1])
    await broker.start()
    await broker.publish(sys.argv[2], {"alertId": 42, "pid": os.getpid()})
    await broker.close()

asyncio.run(main())
"""


@requires_postgres
async def test_postgres_message_from_another_process() -> None:
    channel = _channel()
    url = postgres_url()
    assert url is not None
    broker = broker_for(url)
    await broker.start()
    try:
        async with broker.subscribe(channel) as subscription:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", PUBLISHER, url, channel, cwd=REPO,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            _, stderr = await asyncio.wait_for(process.communicate(), 60)
            assert process.returncode == 0, stderr.decode()
            message = await _next(subscription)
        assert message["alertId"] == 42
        assert message["pid"] == process.pid  # sent by the other process
    finally:
        await broker.close()
