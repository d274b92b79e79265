"""The V2.1 → V3 data migrations (phases 1, 2 and 4) on a real V2.1 collection, and back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from coinstack_graphql.coins.children import Countermark
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.treatments import FLAG_COLUMNS
from coinstack_graphql.db import migrations
from coinstack_graphql.db.urls import sync_url
from coinstack_graphql.enrichment.models import LLMEnrichment
from coinstack_graphql.grading.models import GradingHistory, RarityAssessment
from tests.migrations import v21_fixture as v21
from tests.support.databases import fresh_database


@dataclass
class HeadState:
    """What the data migrations produced, read back through the head ORM."""

    coins: dict[int, Coin]
    grading: list[GradingHistory]
    rarity: list[RarityAssessment]
    countermarks: dict[int, Countermark]
    enrichments: list[LLMEnrichment]


@dataclass
class Journey:
    before: dict[str, list[dict[str, Any]]]  # raw V2.1 dump at the baseline
    head_counts: dict[str, int]
    head_v21: dict[str, list[dict[str, Any]]]  # the V2.1 columns, read at head
    head: HeadState
    after: dict[str, list[dict[str, Any]]]  # raw dump after downgrading to the baseline
    after_revision: str | None


def _read_head(url: str) -> HeadState:
    engine = create_engine(sync_url(url))
    try:
        with Session(engine, expire_on_commit=False) as session:
            return HeadState(
                coins={c.id: c for c in session.scalars(select(Coin))},
                grading=list(
                    session.scalars(select(GradingHistory).order_by(GradingHistory.coin_id))
                ),
                rarity=list(
                    session.scalars(select(RarityAssessment).order_by(RarityAssessment.coin_id))
                ),
                countermarks={m.id: m for m in session.scalars(select(Countermark))},
                enrichments=list(
                    session.scalars(
                        select(LLMEnrichment).order_by(
                            LLMEnrichment.coin_id, LLMEnrichment.capability
                        )
                    )
                ),
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journey]:
    """Baseline → fill with V2.1 rows → head → baseline, with snapshots at each stop."""
    with fresh_database(tmp_path_factory.mktemp("v21")) as url:
        migrations.upgrade(url, v21.BASELINE)
        v21.fill_v21(url)
        before = v21.dump_tables(url)
        migrations.upgrade(url, "head")
        v21_columns = {table: list(rows[0]) for table, rows in before.items()}
        journey = Journey(
            before=before,
            head_counts=v21.row_counts(url, before),
            head_v21=v21.dump_tables(url, v21_columns),
            head=_read_head(url),
            after={},
            after_revision=None,
        )
        migrations.downgrade(url, v21.BASELINE)
        journey.after = v21.dump_tables(url)
        journey.after_revision = migrations.current_revision(url)
        yield journey


# ---- the fixture itself


def test_fixture_fills_every_v21_table(journey: Journey) -> None:
    empty = [table for table, rows in journey.before.items() if not rows]
    assert empty == []
    assert len(journey.before["coins_v2"]) == 7


# ---- nothing lost at head


def test_row_counts_of_v21_tables_are_unchanged_at_head(journey: Journey) -> None:
    assert journey.head_counts == {t: len(rows) for t, rows in journey.before.items()}


def test_v21_columns_keep_their_values_at_head(journey: Journey) -> None:
    # Phase 1 renames countermark classes on purpose (checked below); everything else that
    # V2.1 stored, including the JSON and LLM columns kept for dual-write, is untouched.
    def without_countermark_type(dump: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        return {
            table: [
                {k: v for k, v in row.items() if (table, k) != ("countermarks", "countermark_type")}
                for row in rows
            ]
            for table, rows in dump.items()
        }

    assert without_countermark_type(journey.head_v21) == without_countermark_type(journey.before)


# ---- phase 1: secondary treatments → flags, countermark classes


FLAGS_NONE: dict[str, Any] = {
    c: (
        None
        if c.endswith(
            ("_count", "_positions", "_description", "_evidence", "_visible", "_attribution")
        )
        else False
    )
    for c in FLAG_COLUMNS
}
EXPECTED_FLAGS: dict[int, dict[str, Any]] = {
    v21.TIBERIUS: {
        "has_test_cut": True,
        "test_cut_count": 2,
        "test_cut_positions": "obverse at 3h",
    },
    v21.CAESAR: {
        "has_bankers_marks": True,
        "has_graffiti": True,
        "graffiti_description": "Greek letter Δ",
    },
    v21.ATHENS_OWL: {},
    v21.HADRIAN: {"has_test_cut": True, "was_mounted": True},
    v21.AUGUSTUS_AS: {"has_test_cut": True},
    v21.SELEUCID_AE: {
        "is_overstrike": True,
        "undertype_visible": "traces of ΠΡΟ",
        "undertype_attribution": "Ptolemaic bronze",
    },
    v21.CLAUDIUS_AS: {"has_graffiti": True, "has_bankers_marks": True},
}


@pytest.mark.parametrize("coin_id", sorted(EXPECTED_FLAGS))
def test_phase1_flags_parsed_from_secondary_treatments(journey: Journey, coin_id: int) -> None:
    coin = journey.head.coins[coin_id]
    actual = {c: getattr(coin, c) for c in FLAG_COLUMNS}
    assert actual == {**FLAGS_NONE, **EXPECTED_FLAGS[coin_id]}


def test_phase1_countermark_types_mapped(journey: Journey) -> None:
    actual = {cm_id: str(m.countermark_type) for cm_id, m in journey.head.countermarks.items()}
    assert actual == {
        1: "legionary",  # military: VAR
        2: "imperial_portrait",  # imperial: TIB
        3: "revalidation",  # host_validation: NCAPR
        4: "revaluation",  # value_reduction
        5: "uncertain",  # other
        6: "civic_symbol",  # civic: Tyche of Antioch
    }
    assert {cm_id: m.coin_id for cm_id, m in journey.head.countermarks.items()} == {
        cm_id: coin for cm_id, (coin, _) in v21.COUNTERMARKS.items()
    }


# ---- phase 2: grading history and rarity assessments


def test_phase2_one_initial_current_grading_entry_per_coin(journey: Journey) -> None:
    assert [g.coin_id for g in journey.head.grading] == sorted(journey.head.coins)
    for entry in journey.head.grading:
        assert entry.event_type == "initial"
        assert entry.sequence_order == 0
        assert entry.is_current is True
        assert entry.has_star is False and entry.photo_cert is False
        assert entry.grade_numeric is None and entry.designation is None
        assert entry.notes == "Grading state recorded on the coin before V3"


def test_phase2_grading_history_copies_the_coin_grade(journey: Journey) -> None:
    actual = {
        g.coin_id: (
            str(g.grading_state),
            g.grade,
            g.grade_service and str(g.grade_service),
            g.certification_number,
            g.strike_quality,
            g.surface_quality,
            g.recorded_at,
        )
        for g in journey.head.grading
    }
    created = {c["id"]: c["created_at"] for c in v21.COINS}
    assert actual == {
        v21.TIBERIUS: ("raw", "VF", "self", None, None, None, created[v21.TIBERIUS]),
        v21.CAESAR: ("raw", "gVF", "dealer", None, None, None, created[v21.CAESAR]),
        # The NGC slab: "Ch XF 5/5 - 4/5", strike and surface carried over as text.
        v21.ATHENS_OWL: (
            "slabbed",
            "Ch XF",
            "ngc",
            "4373951-011",
            "5",
            "4",
            created[v21.ATHENS_OWL],
        ),
        v21.HADRIAN: ("raw", "F", None, None, None, None, created[v21.HADRIAN]),
        v21.AUGUSTUS_AS: ("raw", "aVF", None, None, None, None, created[v21.AUGUSTUS_AS]),
        v21.SELEUCID_AE: ("raw", "Fine", None, None, None, None, created[v21.SELEUCID_AE]),
        v21.CLAUDIUS_AS: ("raw", "VF", "pcgs", None, None, None, created[v21.CLAUDIUS_AS]),
    }


def test_phase2_rarity_becomes_primary_catalog_assessment(journey: Journey) -> None:
    actual = {
        r.coin_id: (
            str(r.rarity_code),
            str(r.rarity_system),
            str(r.source_type),
            r.source_name,
            r.notes,
            str(r.confidence),
            r.is_primary,
        )
        for r in journey.head.rarity
    }
    src = "CoinStack V2.1 rarity"

    def row(code: str, notes: str | None = None) -> tuple[Any, ...]:
        return (code, "catalog", "catalog", src, notes, "medium", True)

    # The Athenian owl had no V2.1 rarity and gets no assessment.
    assert actual == {
        v21.TIBERIUS: row("C"),  # common
        v21.CAESAR: row("S", "Crawford 443/1"),  # scarce
        v21.HADRIAN: row("R1", v21.HADRIAN_RARITY_NOTE),  # rare
        v21.AUGUSTUS_AS: row("RR"),  # very_rare
        v21.SELEUCID_AE: row("RRR"),  # extremely_rare
        v21.CLAUDIUS_AS: row("UNIQUE"),  # unique
    }
    assert len(journey.head.rarity) == len(actual)  # one per coin


# ---- phase 4: legacy LLM columns → llm_enrichments


def test_phase4_llm_columns_become_enrichments(journey: Journey) -> None:
    t_at = v21.ENRICHED_AT[v21.TIBERIUS]
    c_at = v21.ENRICHED_AT[v21.CAESAR]
    actual = [
        (
            e.coin_id,
            str(e.capability),
            str(e.review_status),
            e.needs_review,
            json.loads(e.output_content),
            e.created_at,
            e.reviewed_at,
        )
        for e in journey.head.enrichments
    ]
    expected: list[tuple[int, str, str, bool, Any, datetime | None, datetime | None]] = [
        (
            v21.TIBERIUS,
            "catalog_suggest",
            "pending",
            True,
            {"references": v21.TIBERIUS_SUGGESTED},
            t_at,
            None,
        ),
        # field_sources says the LLM wrote the significance: it joins the sections.
        (
            v21.TIBERIUS,
            "context_generate",
            "approved",
            False,
            {
                "sections": v21.TIBERIUS_SECTIONS,
                "historical_significance": v21.TIBERIUS_SIGNIFICANCE,
            },
            t_at,
            t_at,
        ),
        # The collector wrote this significance (field_sources "manual"): sections only.
        (
            v21.CAESAR,
            "context_generate",
            "approved",
            False,
            {"sections": v21.CAESAR_SECTIONS},
            c_at,
            c_at,
        ),
        (
            v21.ATHENS_OWL,
            "catalog_suggest",
            "pending",
            True,
            {"references": v21.OWL_SUGGESTED},
            None,
            None,
        ),
        # field_sources entry in its {"source": "claude"} form.
        (
            v21.SELEUCID_AE,
            "context_generate",
            "approved",
            False,
            {"historical_significance": v21.SELEUCID_SIGNIFICANCE},
            None,
            None,
        ),
    ]
    # Hadrian's hand-written significance, with no LLM mark at all, stays on the coin only.
    assert actual == expected


def test_phase4_enrichments_are_marked_as_legacy(journey: Journey) -> None:
    hashes = [e.input_hash for e in journey.head.enrichments]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    assert len(set(hashes)) == len(hashes)
    for e in journey.head.enrichments:
        assert e.model_id == "coinstack-v2.1-legacy"
        assert e.capability_version == 1
        assert e.confidence == 0.5
        assert e.cost_usd == Decimal("0")
        assert e.cached is False
        assert e.review_notes == "Migrated from the V2.1 coin record"


# ---- and back


def test_downgrade_returns_to_the_baseline(journey: Journey) -> None:
    assert journey.after_revision == v21.BASELINE


def test_downgrade_restores_every_v21_table_and_column(journey: Journey) -> None:
    # Sets, not lists: SQLite's batch rebuild may reorder columns, which V2.1 never relied on.
    def shape(dump: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
        return {table: set(rows[0]) for table, rows in dump.items() if rows}

    assert sorted(journey.after) == sorted(journey.before)
    assert shape(journey.after) == shape(journey.before)


@pytest.mark.parametrize("table", sorted(v21._rows()))
def test_downgrade_restores_every_v21_value(journey: Journey, table: str) -> None:
    assert journey.after[table] == journey.before[table]
