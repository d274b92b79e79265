"""Alembic environment: runs migrations on a plain sync driver (sqlite3 / psycopg)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, event, pool, text
from sqlalchemy.engine import Connection

from coinstack_graphql.db.registry import metadata
from coinstack_graphql.db.urls import is_sqlite, sync_url
from coinstack_graphql.settings import get_settings

config = context.config


def _database_url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.attributes.get("database_url")
        or get_settings().database_url
    )


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=str(sync_url(_database_url())),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=is_sqlite(_database_url()),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed in by a caller that manages its own engine
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = _database_url()
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    if is_sqlite(url):
        # Batch mode rebuilds tables (copy, drop, rename). With foreign keys on, dropping
        # coins_v2 would cascade-delete every child row, so migrations run with them off
        # and check integrity at the end instead.
        @event.listens_for(engine, "connect")
        def _fk_off(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA foreign_keys=OFF")

    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"foreign key check failed after migration: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
