"""Shared fixtures: databases of the engine under test, migrated and optionally demo-loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coinstack_graphql.db import migrations
from tests.support.databases import POSTGRES_ENV, copy_of, engine_name, fresh_database, postgres_url


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests.support.databases import wait_for_drops

    wait_for_drops()


def pytest_report_header(config: pytest.Config) -> str:
    if postgres_url():
        return f"database engine under test: PostgreSQL ({POSTGRES_ENV})"
    return f"database engine under test: SQLite (set {POSTGRES_ENV} to run on PostgreSQL)"


requires_postgres = pytest.mark.skipif(
    postgres_url() is None,
    reason=f"needs PostgreSQL: set {POSTGRES_ENV}=postgresql+asyncpg://user@host/db",
)


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the engine under test."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head with no rows; copy it rather than writing to it."""
    with fresh_database(tmp_path_factory.mktemp("migrated")) as url:
        migrations.upgrade(url, "head")
        yield url


@pytest.fixture
def migrated_db(migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A private database at head with no rows."""
    with copy_of(migrated_template, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def db_engine_name() -> str:
    return engine_name()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head holding the demo collection. Read it; never write to it."""
    import asyncio

    from coinstack_graphql.demo.loader import load_demo

    with fresh_database(tmp_path_factory.mktemp("demo")) as url:
        migrations.upgrade(url, "head")
        asyncio.run(load_demo(url))
        yield url


@pytest.fixture(scope="session")
def demo_db(demo_template: str) -> str:
    """The shared read-only demo database (tests that write use `demo_db_copy`)."""
    return demo_template


@pytest.fixture
def demo_db_copy(demo_template: str, tmp_path: Path) -> Iterator[str]:
    """A private, writable copy of the demo database."""
    with copy_of(demo_template, tmp_path) as url:
        yield url
