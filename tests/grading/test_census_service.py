"""Census snapshots: breakdown checks, the coin's place in it, percentile, removal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.grading.census_service import (
    CensusSnapshotInput,
    add_census_snapshot,
    percentile,
    place_in_breakdown,
    remove_census_snapshot,
)
from coinstack_graphql.grading.models import CensusSnapshot
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
# An NGC Ancients population report shape for a common denarius type (45 graded).
NGC_REPORT = {"VF": 10, "Ch VF": 7, "XF": 12, "Ch XF": 9, "AU": 5, "Ch AU": 2}
BASE: dict[str, Any] = {"service": "ngc", "snapshot_date": date(2025, 11, 3), "total_graded": 45}


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def make_coin(sessions: Sessions, grade: str | None) -> int:
    """A Tiberius 'tribute penny' denarius of Lugdunum with the given grade."""
    async with sessions() as s, s.begin():
        coin = Coin(
            category=Category.IMPERIAL,
            denomination="Denarius",
            metal=Metal.SILVER,
            issuer="Tiberius",
            mint="Lugdunum",
            grade=grade,
        )
        s.add(coin)
        await s.flush()
        return coin.id


async def add(sessions: Sessions, coin_id: int, **values: Any) -> CensusSnapshot:
    async with sessions() as s, s.begin():
        return await add_census_snapshot(s, coin_id, CensusSnapshotInput(**{**BASE, **values}))


async def refused(sessions: Sessions, call: Any, *args: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await call(s, *args)
    return caught.value


async def count(sessions: Sessions) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(CensusSnapshot)) or 0


async def test_places_the_coin_and_computes_the_percentile(sessions: Sessions) -> None:
    coin_id = await make_coin(sessions, "Ch XF 5/5 - 4/5")
    snapshot = await add(
        sessions, coin_id, grade_breakdown=NGC_REPORT, catalog_reference="RIC I² 26"
    )
    assert (snapshot.coins_at_grade, snapshot.coins_finer) == (9, 7)
    assert snapshot.percentile == Decimal("64.44")  # 29 of 45 graded lower
    async with sessions() as s:
        stored = await s.get(CensusSnapshot, snapshot.id)
        assert stored is not None and stored.grade_breakdown == NGC_REPORT
        assert stored.service == "ngc" and stored.percentile == Decimal("64.44")


async def test_given_place_wins_and_unplaceable_coins_get_none(sessions: Sessions) -> None:
    coin_id = await make_coin(sessions, "Ch XF")
    snapshot = await add(
        sessions, coin_id, grade_breakdown=NGC_REPORT, coins_at_grade=8, coins_finer=7
    )
    assert (snapshot.coins_at_grade, snapshot.coins_finer, snapshot.percentile) == (
        8,
        7,
        Decimal("66.67"),
    )
    raw = await make_coin(sessions, None)
    snapshot = await add(sessions, raw, grade_breakdown=NGC_REPORT)
    assert (snapshot.coins_at_grade, snapshot.percentile) == (None, None)
    empty = await add(sessions, raw, total_graded=0, grade_breakdown={})
    assert empty.percentile is None


def test_place_uses_sheldon_numbers_only_when_both_sides_have_them() -> None:
    pcgs = {"AU 50": 3, "AU 55": 4, "AU 58": 2, "MS 62": 1}
    assert place_in_breakdown(pcgs, "AU 55") == (4, 3)
    assert place_in_breakdown(pcgs, "Ch AU") == (6, 1)  # AU 55 and AU 58 are both Choice AU
    assert place_in_breakdown(NGC_REPORT, "NGC gVF") == (0, 35)
    assert place_in_breakdown(NGC_REPORT, "a fine example") is None
    assert percentile(100, 0, 0) == Decimal("100.00") and percentile(3, 1, 1) == Decimal("33.33")


@pytest.mark.parametrize(
    ("values", "code", "field", "words"),
    [
        (
            {"grade_breakdown": {**NGC_REPORT, "XF": 13}},
            "INVALID",
            ["gradeBreakdown"],
            "counts 46 coins but totalGraded is 45",
        ),
        ({"grade_breakdown": {"VF": 40, "Superb": 5}}, "INVALID", ["gradeBreakdown"], "'Superb'"),
        ({"grade_breakdown": {"VF": 50, "XF": -5}}, "INVALID", ["gradeBreakdown"], "whole number"),
        ({"grade_breakdown": {"XF": 40, "EF": 5}}, "INVALID", ["gradeBreakdown"], "same grade"),
        ({"total_graded": -1}, "OUT_OF_RANGE", ["totalGraded"], ""),
        ({"service": "self"}, "INVALID", ["service"], ""),
        ({"service": "anacs"}, "INVALID", ["service"], ""),
        (
            {"snapshot_date": date.today() + timedelta(days=1)},
            "OUT_OF_RANGE",
            ["snapshotDate"],
            "future",
        ),
        ({"coins_at_grade": 40, "coins_finer": 10}, "INVALID", ["coinsFiner"], "exceeds"),
        ({"coins_finer": -1}, "OUT_OF_RANGE", ["coinsFiner"], ""),
    ],
)
async def test_each_rule_names_its_field(
    sessions: Sessions, values: dict[str, Any], code: str, field: list[str], words: str
) -> None:
    coin_id = await make_coin(sessions, "XF")
    error = await refused(
        sessions, add_census_snapshot, coin_id, CensusSnapshotInput(**{**BASE, **values})
    )
    assert (error.code, error.field) == (code, field) and words in error.message, error.message
    assert await count(sessions) == 0


async def test_remove_and_not_found(sessions: Sessions) -> None:
    coin_id = await make_coin(sessions, "VF")
    snapshot = await add(sessions, coin_id, grade_breakdown=NGC_REPORT)
    async with sessions() as s, s.begin():
        assert await remove_census_snapshot(s, snapshot.id) == coin_id
    assert await count(sessions) == 0
    error = await refused(sessions, remove_census_snapshot, snapshot.id)
    assert (error.code, error.field) == ("NOT_FOUND", ["censusSnapshotId"])
    error = await refused(sessions, add_census_snapshot, 999, CensusSnapshotInput(**BASE))
    assert (error.code, error.field) == ("NOT_FOUND", ["coinId"])


async def test_failure_half_way_leaves_nothing(sessions: Sessions) -> None:
    coin_id = await make_coin(sessions, "Ch VF")
    with pytest.raises(DomainError):
        async with sessions() as s, s.begin():
            await add_census_snapshot(
                s, coin_id, CensusSnapshotInput(**BASE, grade_breakdown=NGC_REPORT)
            )
            await add_census_snapshot(
                s,
                coin_id,
                CensusSnapshotInput(
                    **{**BASE, "service": "pcgs", "total_graded": 3}, grade_breakdown=NGC_REPORT
                ),
            )
    assert await count(sessions) == 0
