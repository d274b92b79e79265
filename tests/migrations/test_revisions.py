"""The Alembic revision chain: its shape, up/down walks, and agreement with the ORM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from coinstack_graphql.db import migrations
from coinstack_graphql.db.registry import metadata
from coinstack_graphql.db.urls import sync_url

# (revision, file name) from the baseline through phase 6, as the V3 plan names them.
PLAN_CHAIN = [
    ("892810d42bbe", "892810d42bbe_v2_1_baseline.py"),
    ("20260201_phase1", "20260201_phase1_core_numismatic.py"),
    ("20260202_phase2", "20260202_phase2_grading_rarity.py"),
    ("20260203_phase3", "20260203_phase3_references.py"),
    ("20260204_phase4", "20260204_phase4_llm_architecture.py"),
    ("20260205_phase5", "20260205_phase5_market_wishlist.py"),
    ("20260206_phase6", "20260206_phase6_collections.py"),
]


def _script(url: str = "sqlite:///unused.db") -> ScriptDirectory:
    return ScriptDirectory.from_config(migrations.alembic_config(url))


def _chain() -> list[tuple[str, str]]:
    """Every revision from the baseline to head, oldest first."""
    walked = [
        (rev.revision, Path(rev.path).name)
        for rev in _script().walk_revisions(base="base", head="heads")
    ]
    return list(reversed(walked))


# The project's own revisions follow phase 6. The n-th revision after the baseline is what
# the models mark since(n), so the walk below can tell what each step must add or drop.
REVISIONS = [rev for rev, _ in _chain()]
HEAD = REVISIONS[-1]


def _schema(url: str) -> dict[str, Any]:
    """Tables → columns, plus index and unique-constraint names, as the database reports."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            return {
                table: {
                    "columns": {c["name"] for c in insp.get_columns(table)},
                    "indexes": {i["name"] for i in insp.get_indexes(table)},
                    "uniques": {u["name"] for u in insp.get_unique_constraints(table)},
                }
                for table in insp.get_table_names()
                if table != "alembic_version"
            }
    finally:
        engine.dispose()


def _expected_tables(phase: int) -> dict[str, set[str]]:
    """Tables and columns the models mark (db.phases.since) as present at `phase`."""
    return {
        table.name: {c.name for c in table.columns if c.info.get("phase", 0) <= phase}
        for table in metadata.tables.values()
        if table.info.get("phase", 0) <= phase
    }


def _columns(url: str) -> dict[str, set[str]]:
    return {table: shape["columns"] for table, shape in _schema(url).items()}


# ---- shape of the chain


def test_exactly_one_head() -> None:
    assert _script().get_heads() == [HEAD]


def test_chain_starts_with_the_plans_baseline_and_phases() -> None:
    assert _chain()[: len(PLAN_CHAIN)] == PLAN_CHAIN


def test_chain_is_linear() -> None:
    script = _script()
    assert script.get_revision(REVISIONS[0]).down_revision is None
    for parent, child in zip(REVISIONS, REVISIONS[1:], strict=False):
        assert script.get_revision(child).down_revision == parent  # no merges, no branches


def test_head_revision_helper_agrees() -> None:
    assert migrations.head_revision("sqlite:///unused.db") == HEAD


# ---- walks on an empty database


def test_base_head_base_head(empty_db: str) -> None:
    migrations.upgrade(empty_db, "head")
    assert migrations.current_revision(empty_db) == HEAD
    first = _schema(empty_db)
    assert set(first) == set(metadata.tables)

    migrations.downgrade(empty_db, "base")
    assert migrations.current_revision(empty_db) is None
    assert _schema(empty_db) == {}  # only alembic_version is left

    migrations.upgrade(empty_db, "head")
    assert migrations.current_revision(empty_db) == HEAD
    assert _schema(empty_db) == first


def test_single_steps_down_to_base_and_back_up(empty_db: str) -> None:
    migrations.upgrade(empty_db, "head")
    for phase in range(len(REVISIONS) - 1, -1, -1):
        assert migrations.current_revision(empty_db) == REVISIONS[phase]
        assert _columns(empty_db) == _expected_tables(phase), REVISIONS[phase]
        migrations.downgrade(empty_db, "-1")
    assert migrations.current_revision(empty_db) is None
    assert _columns(empty_db) == {}

    for phase, revision in enumerate(REVISIONS):
        migrations.upgrade(empty_db, "+1")
        assert migrations.current_revision(empty_db) == revision
        assert _columns(empty_db) == _expected_tables(phase), revision


# ---- the ORM and the migrations describe the same schema


def _diff_at_head(url: str) -> list[Any]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            # No reflection-noise filter: with ExactDecimal/JSONText/EnumText rendering to
            # their impl types, both SQLite and PostgreSQL compare clean apart from real drift.
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_orm_matches_migrations_exactly(migrated_template: str) -> None:
    assert _diff_at_head(migrated_template) == []


# ---- the seeds' named indexes and unique constraints


NAMED_INDEXES = {
    "ix_coin_image_hash": ("coin_images", ["coin_id", "perceptual_hash"]),
    "ix_discrepancy_status_trust": ("discrepancy_records", ["status", "trust_level"]),
    "ix_discrepancy_coin_status": ("discrepancy_records", ["coin_id", "status"]),
    "ix_enrichment_status_trust": ("enrichment_records", ["status", "trust_level"]),
    "ix_enrichment_coin_status": ("enrichment_records", ["coin_id", "status"]),
    "ix_field_history_batch_coin": ("field_history", ["batch_id", "coin_id"]),
    "ix_field_history_coin_field": ("field_history", ["coin_id", "field_name"]),
    "ix_import_source_lookup": ("import_records", ["source_type", "source_id"]),
    "idx_ref_number_numeric": ("reference_types", ["system", "number_numeric"]),
    "ix_countermarks_coin_type": ("countermarks", ["coin_id", "countermark_type"]),
}
NAMED_UNIQUES = {
    "uq_ref_type": ("reference_types", ["system", "local_ref_normalized"]),
    "uq_coin_tag": ("coin_tags", ["coin_id", "tag"]),
    "uq_import_source": ("import_records", ["source_type", "source_id"]),
    "uq_price_history_period": (
        "price_history",
        ["reference_type_id", "period_date", "period_type"],
    ),
}


@pytest.fixture(scope="module")
def head_constraints(migrated_template: str) -> dict[str, dict[str, Any]]:
    """Indexes and unique constraints of every table at head, by table then name.

    Read-only, so it reads the shared template rather than paying for a private copy.
    """
    engine = create_engine(sync_url(migrated_template))
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            return {
                table: {
                    "indexes": {i["name"]: i for i in insp.get_indexes(table)},
                    "uniques": {
                        u["name"]: u["column_names"] for u in insp.get_unique_constraints(table)
                    },
                }
                for table in insp.get_table_names()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", sorted(NAMED_INDEXES))
def test_named_index_exists_at_head(head_constraints: dict[str, Any], name: str) -> None:
    table, columns = NAMED_INDEXES[name]
    indexes = head_constraints[table]["indexes"]
    assert name in indexes
    assert indexes[name]["column_names"] == columns
    assert not indexes[name]["unique"]


@pytest.mark.parametrize("name", sorted(NAMED_UNIQUES))
def test_named_unique_constraint_exists_at_head(
    head_constraints: dict[str, Any], name: str
) -> None:
    table, columns = NAMED_UNIQUES[name]
    assert head_constraints[table]["uniques"].get(name) == columns


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("grading_history", "uq_grading_history_one_current"),
        ("rarity_assessments", "uq_rarity_assessments_one_primary"),
    ],
)
def test_partial_unique_index_exists_at_head(
    head_constraints: dict[str, Any], table: str, name: str
) -> None:
    index = head_constraints[table]["indexes"][name]
    assert index["unique"]
    assert index["column_names"] == ["coin_id"]
