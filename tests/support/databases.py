"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL database.

The engine under test is SQLite unless COINSTACK_TEST_POSTGRES_URL is set, in which case
every database-backed test runs on PostgreSQL (CI runs the suite once each way).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coinstack_graphql.db.urls import sync_url

POSTGRES_ENV = "COINSTACK_TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def engine_name() -> str:
    return "postgresql" if postgres_url() else "sqlite"


def _admin_engine():  # type: ignore[no-untyped-def]
    url = sync_url(postgres_url() or "")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_postgres_database(template: str | None = None) -> str:
    """CREATE DATABASE on the test server; returns its async URL."""
    base = postgres_url()
    assert base, f"{POSTGRES_ENV} is not set"
    name = f"coinstack_t_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine()
    with engine.connect() as conn:
        # FILE_COPY clones a small template far faster than PostgreSQL 15's default
        # WAL_LOG strategy; test databases need no durability, so commits do not wait.
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_now(name: str) -> None:
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# Dropping a database takes PostgreSQL most of a second; a background thread does it
# while the next tests run, and `wait_for_drops` (session end) lets it finish.
_drops: queue.Queue[str | None] = queue.Queue()


def _dropper() -> None:
    while (name := _drops.get()) is not None:
        try:
            _drop_now(name)
        finally:
            _drops.task_done()


threading.Thread(target=_dropper, name="drop-test-databases", daemon=True).start()


def drop_postgres_database(url: str) -> None:
    _drops.put(make_url(url).database)


def wait_for_drops() -> None:
    _drops.join()


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@contextmanager
def fresh_database(tmp_dir: Path, *, engine: str | None = None) -> Iterator[str]:
    """An empty database of the engine under test (or of `engine`), removed afterwards."""
    kind = engine or engine_name()
    if kind == "postgresql":
        url = create_postgres_database()
        try:
            yield url
        finally:
            drop_postgres_database(url)
    else:
        path = tmp_dir / f"coinstack-{uuid.uuid4().hex[:8]}.db"
        yield sqlite_url(path)


@contextmanager
def copy_of(template_url: str, tmp_dir: Path) -> Iterator[str]:
    """A private copy of a prepared database (file copy, or CREATE DATABASE … TEMPLATE)."""
    if make_url(template_url).get_backend_name() == "postgresql":
        url = create_postgres_database(template=make_url(template_url).database)
        try:
            yield url
        finally:
            drop_postgres_database(url)
    else:
        source = Path(make_url(template_url).database or "")
        target = tmp_dir / f"copy-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(source, target)
        yield sqlite_url(target)
