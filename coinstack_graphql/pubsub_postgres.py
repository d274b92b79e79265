"""`PostgresBroker`: pub/sub across server workers through PostgreSQL LISTEN/NOTIFY.

Each broker keeps one dedicated asyncpg connection (outside the SQLAlchemy pool, which
would recycle it) that LISTENs on the channels this worker's subscribers want and sends
NOTIFYs. PostgreSQL delivers a NOTIFY to every listening session, the sender's included,
so a message reaches the subscribers of every worker sharing the database. If the
connection drops, the broker reconnects with backoff and LISTENs again; messages sent
while it was cut off are lost (delivery is at most once). A periodic ping notices a
connection that died silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from coinstack_graphql.pubsub import (
    BrokerClosed,
    BrokerUnavailable,
    Hub,
    LocalSubscription,
    check_channel,
    encode,
)

log = logging.getLogger(__name__)

APPLICATION_NAME = "coinstack-pubsub"
_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def asyncpg_dsn(database_url: str) -> str:
    """A plain ``postgresql://`` DSN for asyncpg from a SQLAlchemy URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"PostgresBroker needs a PostgreSQL URL; got {url.get_backend_name()!r}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresBroker:
    """LISTEN/NOTIFY on a dedicated connection, reconnecting when it drops."""

    def __init__(
        self,
        dsn: str,
        *,
        connect_timeout: float = 10.0,
        publish_timeout: float = 5.0,
        ping_interval: float = 15.0,
        reconnect_delay: float = 0.2,
        max_reconnect_delay: float = 5.0,
    ) -> None:
        self._dsn = dsn
        self._connect_timeout = connect_timeout
        self._publish_timeout = publish_timeout
        self._ping_interval = ping_interval
        self._reconnect_delay = reconnect_delay
        self._max_reconnect_delay = max_reconnect_delay
        self._hub = Hub(listen=self._listen, unlisten=self._unlisten)
        self._conn: asyncpg.Connection | None = None
        self._listening: set[str] = set()
        # One statement at a time on the connection (asyncpg refuses concurrent ones).
        self._lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._lost = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self._closed = False

    async def start(self) -> None:
        """Connect; a first connection that fails raises, as a misconfiguration should."""
        if self._closed:
            raise BrokerClosed("the broker is closed")
        if self._supervisor is None:
            await self._connect()
            self._supervisor = asyncio.create_task(self._supervise(), name="pubsub-supervisor")

    async def close(self) -> None:
        self._closed = True
        self._hub.end_all()
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        await self._drop()

    async def publish(self, channel: str, payload: dict[str, Any]) -> None:
        """NOTIFY `channel`; waits up to `publish_timeout` for a lost connection to return."""
        text = encode(channel, payload)
        for attempt in (1, 2):
            if self._closed:
                raise BrokerClosed("the broker is closed")
            try:
                await asyncio.wait_for(self._ready.wait(), self._publish_timeout)
            except TimeoutError:
                raise BrokerUnavailable("no connection to PostgreSQL to publish on") from None
            try:
                async with self._lock:
                    assert self._conn is not None
                    await self._conn.execute("SELECT pg_notify($1, $2)", channel, text)
                return
            except _CONNECTION_ERRORS as exc:
                self._mark_lost(self._conn)
                if attempt == 2:
                    raise BrokerUnavailable(f"publishing on {channel!r} failed: {exc}") from exc

    def subscribe(self, channel: str) -> LocalSubscription:
        return LocalSubscription(self._hub, check_channel(channel))

    def channels(self) -> set[str]:
        """Channels with at least one subscriber in this worker."""
        return self._hub.channels()

    async def listening_channels(self) -> set[str]:
        """What the server says this broker's connection LISTENs on (diagnostics, tests)."""
        async with self._lock:
            if self._conn is None:
                return set()
            rows = await self._conn.fetch("SELECT pg_listening_channels() AS channel")
        return {row["channel"] for row in rows}

    def server_pid(self) -> int | None:
        """The backend process id of the listening connection, while connected."""
        return self._conn.get_server_pid() if self._conn is not None else None

    async def _connect(self) -> None:
        conn = await asyncpg.connect(
            self._dsn,
            timeout=self._connect_timeout,
            server_settings={"application_name": APPLICATION_NAME},
        )
        conn.add_termination_listener(self._mark_lost)
        async with self._lock:
            try:
                for channel in sorted(self._hub.channels()):
                    await conn.add_listener(channel, self._on_notify)
            except BaseException:
                await conn.close(timeout=self._connect_timeout)
                raise
            self._listening = self._hub.channels()
            self._conn = conn
            self._lost.clear()
            self._ready.set()

    async def _drop(self) -> None:
        self._ready.clear()
        conn, self._conn = self._conn, None
        self._listening = set()
        if conn is not None and not conn.is_closed():
            conn.remove_termination_listener(self._mark_lost)
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await conn.close(timeout=2)

    def _mark_lost(self, conn: Any) -> None:
        if conn is not None and conn is self._conn and not self._closed:
            self._ready.clear()
            self._lost.set()

    async def _supervise(self) -> None:
        while not self._closed:
            try:
                await asyncio.wait_for(self._lost.wait(), self._ping_interval)
            except TimeoutError:
                await self._ping()
                continue
            log.warning("pubsub lost its PostgreSQL connection; reconnecting")
            await self._drop()
            await self._reconnect()

    async def _ping(self) -> None:
        conn: Any = self._conn
        if conn is None:
            return
        try:
            async with self._lock:
                current = conn is self._conn  # not replaced while we waited for the lock
                if current:
                    await conn.execute("SELECT 1", timeout=self._ping_interval)
        except _CONNECTION_ERRORS:
            self._mark_lost(conn)

    async def _reconnect(self) -> None:
        delay = self._reconnect_delay
        while not self._closed:
            try:
                await self._connect()
                log.info("pubsub reconnected to PostgreSQL")
                return
            except _CONNECTION_ERRORS as exc:
                log.warning("pubsub reconnect failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_reconnect_delay)

    async def _listen(self, channel: str) -> None:
        async with self._lock:
            if self._conn is None or channel in self._listening:
                return  # not connected: `_connect` LISTENs on every channel wanted
            try:
                await self._conn.add_listener(channel, self._on_notify)
            except _CONNECTION_ERRORS:
                self._mark_lost(self._conn)  # the reconnect will LISTEN on it
                return
            self._listening.add(channel)

    async def _unlisten(self, channel: str) -> None:
        async with self._lock:
            if self._conn is None or channel not in self._listening:
                return
            self._listening.discard(channel)
            try:
                await self._conn.remove_listener(channel, self._on_notify)
            except _CONNECTION_ERRORS:
                self._mark_lost(self._conn)

    def _on_notify(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        try:
            self._hub.dispatch(channel, payload)
        except ValueError:
            log.warning("pubsub ignored a non-JSON NOTIFY on %r from pid %s", channel, pid)
