"""The committed schema.graphql is exactly what the running schema prints."""

from __future__ import annotations

from pathlib import Path

from coinstack_graphql.graphql.export import export_sdl

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_code() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == export_sdl(), (
        "schema.graphql is stale: run `coinstack export-schema` and commit the result"
    )
