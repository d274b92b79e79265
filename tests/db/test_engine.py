"""The server's engine: SQLite pragmas, IMMEDIATE write transactions, sessions, disposal."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event, inspect, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.models import Collection
from coinstack_graphql.db.engine import create_engine, read_session_factory, session_factory
from coinstack_graphql.db.urls import sqlite_path, sync_url
from coinstack_graphql.settings import Settings
from tests.support.databases import engine_name

sqlite_only = pytest.mark.skipif(engine_name() != "sqlite", reason="SQLite connection setup")
postgres_only = pytest.mark.skipif(engine_name() != "postgresql", reason="PostgreSQL pool setup")

# How long the first writer holds its transaction open while the second one tries to start.
HOLD_S = 0.3


@pytest.fixture
async def engine(migrated_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(database_url=migrated_db))
    yield engine
    await engine.dispose()


async def _pragmas(conn: Any) -> dict[str, Any]:
    names = ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    return {n: (await conn.exec_driver_sql(f"PRAGMA {n}")).scalar_one() for n in names}


# ---- SQLite connection setup


@sqlite_only
async def test_every_sqlite_connection_gets_the_pragmas(engine: AsyncEngine) -> None:
    # Two connections checked out at once, so the second is a new DBAPI connection.
    first = await engine.connect()
    second = await engine.connect()
    try:
        seen = []
        for conn in (first, second):
            seen.append(await _pragmas(conn))
            await conn.rollback()  # end the IMMEDIATE transaction before the next one begins
    finally:
        await first.close()
        await second.close()
    busy_timeout = Settings().sqlite_busy_timeout_ms
    assert busy_timeout > 0
    expected: dict[str, Any] = {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": busy_timeout,
        "synchronous": 1,  # NORMAL
    }
    assert seen == [expected, expected]


@sqlite_only
async def test_busy_timeout_follows_settings(migrated_db: str) -> None:
    engine = create_engine(Settings(database_url=migrated_db, sqlite_busy_timeout_ms=2500))
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one() == 2500
    finally:
        await engine.dispose()


@sqlite_only
async def test_foreign_keys_are_enforced_through_the_engine(engine: AsyncEngine) -> None:
    # Raw SQL, so only the connection's PRAGMA foreign_keys=ON can refuse it.
    async with engine.connect() as conn:
        with pytest.raises(Exception, match="FOREIGN KEY constraint failed"):
            await conn.execute(
                text(
                    "INSERT INTO coins_v2 (category, denomination, metal, issuer, is_circa,"
                    " grading_state, for_sale, issue_status, co_ruler_term_id) VALUES"
                    " ('imperial', 'aureus', 'gold', 'Marcus Aurelius', 0, 'raw', 0,"
                    " 'official', 424242)"
                )
            )
        await conn.rollback()


@sqlite_only
async def test_read_then_write_transactions_wait_rather_than_fail(engine: AsyncEngine) -> None:
    """With deferred BEGIN the second reader would hold a stale WAL snapshot, and its write
    would fail at once with "database is locked" (SQLITE_BUSY_SNAPSHOT ignores the busy
    timeout). BEGIN IMMEDIATE makes it wait at BEGIN and then read the committed value."""
    factory = session_factory(engine)
    async with factory() as session:
        session.add(Collection(name="Twelve Caesars", slug="twelve-caesars"))
        await session.commit()

    first_has_read = asyncio.Event()

    async def first() -> int:
        async with factory() as session:
            seen = (await session.execute(select(Collection.coin_count))).scalar_one()
            first_has_read.set()
            await asyncio.sleep(HOLD_S)  # keep the transaction open while the other starts
            await session.execute(update(Collection).values(coin_count=seen + 1))
            await session.commit()
            return int(seen)

    async def second() -> tuple[int, float]:
        await first_has_read.wait()
        async with factory() as session:
            started = time.monotonic()
            seen = (await session.execute(select(Collection.coin_count))).scalar_one()
            waited = time.monotonic() - started
            await session.execute(update(Collection).values(coin_count=seen + 1))
            await session.commit()
            return int(seen), waited

    first_seen, (second_seen, waited) = await asyncio.gather(first(), second())

    assert first_seen == 0
    assert second_seen == 1  # began after the first committed: no stale read
    assert waited >= HOLD_S * 0.5  # it waited on the lock rather than failing
    async with factory() as session:
        assert (await session.execute(select(Collection.coin_count))).scalar_one() == 2


@sqlite_only
async def test_read_sessions_run_beside_a_writer(engine: AsyncEngine) -> None:
    factory = session_factory(engine)
    async with factory() as session:
        session.add(Collection(name="Twelve Caesars", slug="twelve-caesars"))
        await session.commit()

    async with factory() as writer:
        await writer.execute(update(Collection).values(coin_count=12))  # holds the write lock
        async with read_session_factory(engine)() as reader:
            started = time.monotonic()
            seen = (await reader.execute(select(Collection.coin_count))).scalar_one()
            waited = time.monotonic() - started
        await writer.commit()

    assert seen == 0  # the last committed value, read without waiting for the writer
    assert waited < HOLD_S


# ---- PostgreSQL connection setup


@postgres_only
async def test_postgres_connections_carry_server_settings(migrated_db: str) -> None:
    settings = Settings(database_url=migrated_db, request_timeout_s=7.5)
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            timeout = (await conn.exec_driver_sql("SHOW statement_timeout")).scalar_one()
            app = (await conn.exec_driver_sql("SHOW application_name")).scalar_one()
    finally:
        await engine.dispose()
    assert timeout == "7500ms"
    assert app == "coinstack-graphql"


# ---- sessions


async def test_sessions_do_not_expire_on_commit(engine: AsyncEngine) -> None:
    factory = session_factory(engine)
    assert factory.kw["expire_on_commit"] is False

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async with factory() as session:
        coin = Coin(
            category=Category.IMPERIAL,
            denomination="sestertius",
            metal=Metal.ORICHALCUM,
            issuer="Hadrian",
            mint="Rome",
        )
        session.add(coin)
        await session.commit()
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            # Reading an expired attribute would need a lazy SELECT, which async code
            # cannot do implicitly (MissingGreenlet); nothing must be expired.
            assert inspect(coin).expired_attributes == set()
            assert coin.id is not None
            assert coin.issuer == "Hadrian"
            assert coin.denomination == "sestertius"
            assert coin.category is Category.IMPERIAL
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert statements == []


# ---- disposal


def _checked_out(engine: AsyncEngine) -> int:
    # QueuePool-family pools count checkouts; the base Pool type does not declare it.
    pool: Any = engine.pool
    return int(pool.checkedout())


def _open_backends(url: str) -> int:
    """Server connections the engine under test still holds (PostgreSQL)."""
    admin = create_sync_engine(sync_url(url))
    try:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND application_name = 'coinstack-graphql'"
                    )
                ).scalar_one()
            )
    finally:
        admin.dispose()


def _backends_after_close(url: str, timeout_s: float = 5.0) -> int:
    # A backend exits a moment after its client hangs up; poll rather than race it.
    deadline = time.monotonic() + timeout_s
    while (count := _open_backends(url)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


async def test_engine_disposes_cleanly(migrated_db: str) -> None:
    engine = create_engine(Settings(database_url=migrated_db))
    factory = session_factory(engine)
    # Two sessions at once put two connections in the pool.
    async with factory() as a, factory() as b:
        await a.execute(select(Coin.id))
        await a.commit()
        await b.execute(select(Coin.id))
        await b.commit()
    assert _checked_out(engine) == 0

    if engine_name() == "sqlite":
        wal = Path(f"{sqlite_path(migrated_db)}-wal")
        assert await asyncio.to_thread(wal.exists)  # WAL is live while connections are open
        await engine.dispose()
        # The last connection to close checkpoints and removes the WAL file.
        assert not await asyncio.to_thread(wal.exists)
    else:
        assert await asyncio.to_thread(_open_backends, migrated_db) >= 1
        await engine.dispose()
        assert await asyncio.to_thread(_backends_after_close, migrated_db) == 0
    assert _checked_out(engine) == 0
