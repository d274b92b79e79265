"""The `coinstack` command as a user runs it: database commands, backups, demo, schema."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from coinstack_graphql.db import migrations
from tests.support.databases import sqlite_url


def _coinstack(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coinstack_graphql.cli", *args],
        env={"COINSTACK_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300, cwd=cwd,
    )


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_upgrade_backs_up_a_database_holding_data_first(tmp_path: Path) -> None:
    db = tmp_path / "collection.db"
    url = sqlite_url(db)
    migrations.upgrade(url, "892810d42bbe")
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO coins_v2 (category, denomination, metal, issuer, is_circa, grading_state, "
        "for_sale, issue_status) "
        "VALUES ('imperial', 'Denarius', 'silver', 'Tiberius', 0, 'raw', 0, 'official')"
    )
    conn.commit()
    conn.close()
    result = _coinstack(url, "db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    backups = list(tmp_path.glob("collection.*.backup.db"))
    assert len(backups) == 1
    assert str(backups[0]) in result.stdout
    assert _counts(backups[0])["coins_v2"] == 1
    assert "coins_v2" in _counts(backups[0]) and "grading_history" not in _counts(backups[0])
    assert migrations.current_revision(url) == migrations.head_revision(url)
    current = _coinstack(url, "db", "current", cwd=tmp_path)
    assert "at head" in current.stdout


def test_upgrade_of_a_new_file_makes_no_backup(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "new.db")
    assert _coinstack(url, "db", "upgrade", cwd=tmp_path).returncode == 0
    assert not list(tmp_path.glob("*.backup.db"))


def test_backup_opens_with_the_same_row_counts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    url = sqlite_url(db)
    loaded = _coinstack(url, "demo", "load", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "162 coins" in loaded.stdout
    target = tmp_path / "copy.db"
    result = _coinstack(url, "db", "backup", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert _counts(target) == _counts(db)
    again = _coinstack(url, "demo", "load", cwd=tmp_path)
    assert "already present" in again.stdout
    assert _counts(db)["coins_v2"] == 162


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = _coinstack("postgresql+asyncpg://u@127.0.0.1:1/x", "db", "backup", cwd=tmp_path)
    assert result.returncode == 2
    assert "pg_dump" in result.stdout


def test_downgrade_then_upgrade(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "d.db")
    assert _coinstack(url, "db", "upgrade", cwd=tmp_path).returncode == 0
    down = _coinstack(url, "db", "downgrade", "892810d42bbe", cwd=tmp_path)
    assert down.returncode == 0, down.stderr
    assert migrations.current_revision(url) == "892810d42bbe"


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = _coinstack(sqlite_url(tmp_path / "x.db"), "export-schema", str(target), cwd=tmp_path)
    assert result.returncode == 0
    assert "type Coin implements Node" in target.read_text()
