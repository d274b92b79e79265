"""The shared fixtures hand out usable databases."""

from __future__ import annotations

from coinstack_graphql.db import migrations


def test_migrated_db_is_at_head(migrated_db: str) -> None:
    assert migrations.current_revision(migrated_db) == migrations.head_revision(migrated_db)
