"""Async engine and session factory: SQLite pragmas, IMMEDIATE write transactions, PG pool."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from coinstack_graphql.db.urls import async_url, is_sqlite
from coinstack_graphql.settings import Settings

READ_ONLY_OPTION = "coinstack_read_only"


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _install_sqlite_pragmas(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys and a busy timeout on every connection; we issue BEGIN ourselves.

    pysqlite's own transaction handling starts transactions lazily with a plain BEGIN
    (DEFERRED); a deferred read-then-write transaction fails at once with SQLITE_BUSY,
    ignoring the busy timeout. So autocommit is turned off at the driver level and each
    transaction begins with BEGIN IMMEDIATE (see SQLAlchemy's "Serializable isolation /
    Savepoints / Transactional DDL" recipe for pysqlite).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's lower() folds ASCII only; legends and names are Greek and Latin with
        # diacritics, so case-insensitive search uses Python's full Unicode folding.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Readers (marked by `read_session_factory`) begin DEFERRED so they run beside
        # a writer under WAL; everything else may write, so it takes the lock up front.
        deferred = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def create_engine(settings: Settings, *, url: str | None = None) -> AsyncEngine:
    """The server's engine for `settings.database_url` (or `url`)."""
    target = async_url(url or settings.database_url)
    if is_sqlite(target):
        engine = create_async_engine(
            target,
            connect_args={"timeout": settings.sqlite_busy_timeout_ms / 1000},
            # aiosqlite runs each connection on a thread; a small pool avoids re-opening
            # the file for every request while WAL lets readers run beside one writer.
            pool_size=5,
            max_overflow=10,
        )
        _install_sqlite_pragmas(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_async_engine(
        target,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_pre_ping=True,
        connect_args={
            "server_settings": {
                # A backstop behind the per-request timeout (which normally fires first),
                # never under a second so one slow statement cannot hold a connection.
                "statement_timeout": str(int(max(settings.request_timeout_s, 1.0) * 1000)),
                "application_name": "coinstack-graphql",
            }
        },
    )


def create_null_pool_engine(url: str) -> AsyncEngine:
    """A pool-less engine for one-off CLI work and tests."""
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    if is_sqlite(url):
        _install_sqlite_pragmas(engine, 10_000)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (no lazy reload in async code).

    On SQLite their transactions begin IMMEDIATE: use them for anything that writes.
    """
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reads only (DataLoaders, queries): on SQLite they begin DEFERRED."""
    return async_sessionmaker(
        engine.execution_options(**{READ_ONLY_OPTION: True}),
        expire_on_commit=False,
        autoflush=False,
    )
