"""Pub/sub that carries events (price-alert triggers, batch progress) to subscribers.

A GraphQL subscription may be served by any server worker, while the mutation that
triggers an alert runs on another. On PostgreSQL, `PostgresBroker` relays messages through
LISTEN/NOTIFY, so every worker sharing the database sees them; on SQLite (one process)
`InProcessBroker` fans messages out in memory. Both apply the same rules: channels are
plain identifiers, payloads are JSON objects of at most 8000 bytes (PostgreSQL's NOTIFY
limit; send ids and small fields, not whole objects), and each subscriber gets its own copy.

Delivery is at most once: a subscriber that connects after a message, or whose worker was
cut off from the database while it was sent, does not see it. Subscribe with
``async with broker.subscribe(channel) as messages: async for payload in messages: …``;
leaving the block unsubscribes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol

from coinstack_graphql.db.urls import is_sqlite

log = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 8000
QUEUE_SIZE = 1000
_CHANNEL = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class BrokerClosed(RuntimeError):
    """The broker was closed: nothing more is published or received."""


class BrokerUnavailable(ConnectionError):
    """The broker could not reach its database in time to publish."""


class Subscription(Protocol):
    """Messages of one channel; an async context manager that unsubscribes on exit."""

    channel: str

    async def __aenter__(self) -> Subscription: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]: ...

    async def __anext__(self) -> dict[str, Any]: ...

    async def aclose(self) -> None: ...


class Broker(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, channel: str, payload: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...


def check_channel(channel: str) -> str:
    """`channel` if it is a lowercase identifier of at most 63 characters (a PostgreSQL
    channel name needing no quoting)."""
    if not isinstance(channel, str) or not _CHANNEL.fullmatch(channel):
        raise ValueError(
            f"channel must be a lowercase identifier (a-z, 0-9, _; at most 63); got {channel!r}"
        )
    return channel


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON: send ids and plain values")


def encode(channel: str, payload: dict[str, Any]) -> str:
    """The JSON text of `payload`; ValueError past 8000 bytes or for a non-object."""
    check_channel(channel)
    if not isinstance(payload, dict):
        raise ValueError(f"payload must be a JSON object (dict); got {type(payload).__name__}")
    text = json.dumps(payload, default=_json_default, separators=(",", ":"), allow_nan=False)
    size = len(text.encode())
    if size >= MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"payload is {size} bytes; at most {MAX_PAYLOAD_BYTES - 1} fit a PostgreSQL NOTIFY: "
            "send ids and small fields and let subscribers load the rest"
        )
    return text


class LocalSubscription:
    """One subscriber's queue on a `Hub`; registered on enter (or first read)."""

    def __init__(self, hub: Hub, channel: str) -> None:
        self.channel = channel
        self._hub = hub
        self._queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._registered = False
        self._closed = False

    async def __aenter__(self) -> LocalSubscription:
        await self._register()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> LocalSubscription:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self._closed:
            raise StopAsyncIteration
        await self._register()
        item = await self._queue.get()
        if item is None:
            self._closed = True
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        if self._registered and not self._closed:
            self._closed = True
            await self._hub.remove(self)
        self._closed = True

    async def _register(self) -> None:
        if not self._registered:
            self._registered = True
            await self._hub.add(self)

    def deliver(self, item: dict[str, Any] | None) -> None:
        """Queue a message (None ends the iteration); a full queue drops its oldest."""
        if self._queue.full():
            self._queue.get_nowait()
            log.warning("pubsub subscriber on %r is too slow: dropped a message", self.channel)
        self._queue.put_nowait(item)


class Hub:
    """The subscribers of this process by channel; `listen`/`unlisten` are told when a
    channel gains its first or loses its last subscriber."""

    def __init__(
        self,
        listen: Callable[[str], Awaitable[None]] | None = None,
        unlisten: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._subscribers: dict[str, set[LocalSubscription]] = {}
        self._listen = listen
        self._unlisten = unlisten
        self.closed = False

    def channels(self) -> set[str]:
        return set(self._subscribers)

    def subscriber_count(self, channel: str) -> int:
        return len(self._subscribers.get(channel, ()))

    async def add(self, subscription: LocalSubscription) -> None:
        if self.closed:
            raise BrokerClosed("the broker is closed")
        members = self._subscribers.setdefault(subscription.channel, set())
        members.add(subscription)
        if len(members) == 1 and self._listen is not None:
            try:
                await self._listen(subscription.channel)
            except BaseException:
                await self.remove(subscription)
                raise

    async def remove(self, subscription: LocalSubscription) -> None:
        members = self._subscribers.get(subscription.channel)
        if not members or subscription not in members:
            return
        members.discard(subscription)
        if not members:
            del self._subscribers[subscription.channel]
            if self._unlisten is not None:
                await self._unlisten(subscription.channel)

    def dispatch(self, channel: str, text: str) -> None:
        """Hand each subscriber of `channel` its own decoded copy of `text`."""
        for subscription in list(self._subscribers.get(channel, ())):
            subscription.deliver(json.loads(text))

    def end_all(self) -> None:
        self.closed = True
        for members in self._subscribers.values():
            for subscription in members:
                subscription.deliver(None)
        self._subscribers.clear()


class InProcessBroker:
    """Fan-out inside one process (SQLite deployments run one)."""

    def __init__(self) -> None:
        self._hub = Hub()

    async def start(self) -> None:
        """Nothing to connect; kept for the Broker protocol."""

    async def close(self) -> None:
        self._hub.end_all()

    async def publish(self, channel: str, payload: dict[str, Any]) -> None:
        text = encode(channel, payload)
        if self._hub.closed:
            raise BrokerClosed("the broker is closed")
        self._hub.dispatch(channel, text)

    def subscribe(self, channel: str) -> LocalSubscription:
        return LocalSubscription(self._hub, check_channel(channel))

    def channels(self) -> set[str]:
        """Channels with at least one subscriber here."""
        return self._hub.channels()


def broker_for(database_url: str) -> Broker:
    """The broker for a deployment: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL."""
    if is_sqlite(database_url):
        return InProcessBroker()
    from coinstack_graphql.pubsub_postgres import PostgresBroker, asyncpg_dsn

    return PostgresBroker(asyncpg_dsn(database_url))
