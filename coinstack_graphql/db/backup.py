"""Backups of a SQLite database through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from coinstack_graphql.db.urls import sqlite_path


class BackupNotSupported(Exception):
    """The database is not a SQLite file (use the server's own tools, e.g. pg_dump)."""


def default_backup_path(database_file: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return database_file.with_name(f"{database_file.stem}.{stamp}.backup{database_file.suffix}")


def backup_sqlite(database_url: str, target: Path | None = None) -> Path:
    """Copy the live database consistently (other connections may keep writing)."""
    path = sqlite_path(database_url)
    if path is None:
        raise BackupNotSupported(
            "only SQLite files can be backed up by coinstack; for PostgreSQL use pg_dump"
        )
    source_file = Path(path)
    if not source_file.exists():
        raise FileNotFoundError(f"no database file at {source_file}")
    target = target or default_backup_path(source_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def has_data(database_url: str) -> bool:
    """Whether a SQLite file exists and holds at least one table."""
    path = sqlite_path(database_url)
    if path is None or not Path(path).exists() or Path(path).stat().st_size == 0:
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
        return bool(row and row[0])
    finally:
        conn.close()
