"""Rarity assessments: validation, exactly one primary, the coin's rarity follows it."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.enums import Category, Metal, Rarity
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.grading.models import RarityAssessment, RarityCode
from coinstack_graphql.grading.rarity_service import (
    RARITY_BY_CODE,
    RarityAssessmentInput,
    add_rarity_assessment,
    remove_rarity_assessment,
    update_rarity_assessment,
)
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
# RIC I² rates the Lugdunum C L CAESARES denarius (RIC I² 207) common.
RIC: dict[str, Any] = {
    "rarity_code": "C",
    "rarity_system": "ric",
    "source_type": "catalog",
    "source_name": "RIC I²",
}


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def coin_id(sessions: Sessions) -> int:
    """An Augustus denarius of Lugdunum, Gaius and Lucius Caesars (RIC I² 207)."""
    async with sessions() as s, s.begin():
        coin = Coin(
            category=Category.IMPERIAL,
            denomination="Denarius",
            metal=Metal.SILVER,
            issuer="Augustus",
            mint="Lugdunum",
            grade="Ch XF",
        )
        s.add(coin)
        await s.flush()
        return coin.id


async def add(sessions: Sessions, coin_id: int, **values: Any) -> RarityAssessment:
    async with sessions() as s, s.begin():
        return await add_rarity_assessment(s, coin_id, RarityAssessmentInput(**values))


async def refused(sessions: Sessions, call: Any, *args: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await call(s, *args)
    return caught.value


async def state(sessions: Sessions, coin_id: int) -> tuple[list[RarityAssessment], Any]:
    async with sessions() as s:
        rows = await s.scalars(
            select(RarityAssessment)
            .where(RarityAssessment.coin_id == coin_id)
            .order_by(RarityAssessment.id)
        )
        coin = await s.get(Coin, coin_id)
        assert coin is not None
        return list(rows), coin.rarity


async def test_first_assessment_is_primary_and_sets_the_coin_rarity(
    sessions: Sessions, coin_id: int
) -> None:
    first = await add(sessions, coin_id, **RIC, source_date=date(1984, 1, 1))
    assert first.is_primary and first.confidence == "medium"
    second = await add(
        sessions,
        coin_id,
        rarity_code="s",
        rarity_system="market_frequency",
        source_type="auction_analysis",
        grade_range_low="XF",
        grade_range_high="Ch AU",
        grade_conditional_notes="scarce in Choice XF or finer",
        census_total=40,
        census_this_grade=6,
        census_finer=3,
    )
    assert not second.is_primary and second.rarity_code == "S"
    rows, rarity = await state(sessions, coin_id)
    assert [r.is_primary for r in rows] == [True, False] and rarity is Rarity.COMMON
    async with sessions() as s, s.begin():
        await update_rarity_assessment(s, second.id, {"is_primary": True})
    rows, rarity = await state(sessions, coin_id)
    assert [r.is_primary for r in rows] == [False, True] and rarity is Rarity.SCARCE


async def test_update_changes_code_and_rarity_follows(sessions: Sessions, coin_id: int) -> None:
    row = await add(sessions, coin_id, **RIC)
    async with sessions() as s, s.begin():
        await update_rarity_assessment(s, row.id, {"rarity_code": "R3", "notes": "RIC II² rating"})
    rows, rarity = await state(sessions, coin_id)
    assert rows[0].rarity_code == "R3" and rarity is Rarity.VERY_RARE
    error = await refused(sessions, update_rarity_assessment, row.id, {"is_primary": False})
    assert (error.code, error.field) == ("CONFLICT", ["isPrimary"])


async def test_removing_the_primary_promotes_the_most_recent(
    sessions: Sessions, coin_id: int
) -> None:
    primary = await add(sessions, coin_id, **RIC)
    older = await add(
        sessions, coin_id, rarity_code="R2", rarity_system="census", source_type="census_data"
    )
    newer = await add(
        sessions, coin_id, rarity_code="RR", rarity_system="catalog", source_type="expert_opinion"
    )
    async with sessions() as s, s.begin():
        assert await remove_rarity_assessment(s, primary.id) == coin_id
    rows, rarity = await state(sessions, coin_id)
    assert {r.id: r.is_primary for r in rows} == {older.id: False, newer.id: True}
    assert rarity is Rarity.VERY_RARE
    for row in (older, newer):
        async with sessions() as s, s.begin():
            await remove_rarity_assessment(s, row.id)
    assert await state(sessions, coin_id) == ([], None)


def test_coarse_scale_covers_every_code() -> None:
    assert RARITY_BY_CODE[RarityCode.R1] is RARITY_BY_CODE[RarityCode.R2] is Rarity.RARE
    assert RARITY_BY_CODE[RarityCode.R5] is RARITY_BY_CODE[RarityCode.RRR] is Rarity.EXTREMELY_RARE
    assert RARITY_BY_CODE[RarityCode.UNIQUE] is Rarity.UNIQUE


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"rarity_code": "R6"}, "INVALID", ["rarityCode"]),
        ({"rarity_code": None}, "REQUIRED", ["rarityCode"]),
        ({"rarity_system": "cohen"}, "INVALID", ["raritySystem"]),
        ({"source_type": "rumour"}, "INVALID", ["sourceType"]),
        ({"confidence": "certain"}, "INVALID", ["confidence"]),
        ({"grade_range_low": "Nice"}, "INVALID", ["gradeRangeLow"]),
        ({"grade_range_low": "AU", "grade_range_high": "VF"}, "INVALID", ["gradeRangeHigh"]),
        ({"census_total": -1}, "OUT_OF_RANGE", ["censusTotal"]),
        ({"census_finer": -2}, "OUT_OF_RANGE", ["censusFiner"]),
        (
            {"census_total": 10, "census_this_grade": 6, "census_finer": 5},
            "INVALID",
            ["censusThisGrade"],
        ),
        ({"source_date": date.today() + timedelta(days=1)}, "OUT_OF_RANGE", ["sourceDate"]),
        ({"census_date": date.today() + timedelta(days=30)}, "OUT_OF_RANGE", ["censusDate"]),
        ({"source_url": "ric.numismatics.org"}, "INVALID", ["sourceUrl"]),
    ],
)
async def test_each_rule_names_its_field(
    sessions: Sessions, coin_id: int, changes: dict[str, Any], code: str, field: list[str]
) -> None:
    error = await refused(
        sessions, add_rarity_assessment, coin_id, RarityAssessmentInput(**{**RIC, **changes})
    )
    assert (error.code, error.field) == (code, field), error.message
    assert await state(sessions, coin_id) == ([], None)


async def test_census_sum_on_update_blames_the_changed_field(
    sessions: Sessions, coin_id: int
) -> None:
    row = await add(sessions, coin_id, **RIC, census_total=20, census_this_grade=4, census_finer=2)
    error = await refused(sessions, update_rarity_assessment, row.id, {"census_finer": 17})
    assert (error.code, error.field) == ("INVALID", ["censusFiner"])
    assert "exceeds censusTotal (20)" in error.message


async def test_not_found(sessions: Sessions, coin_id: int) -> None:
    error = await refused(sessions, add_rarity_assessment, 4242, RarityAssessmentInput(**RIC))
    assert (error.code, error.field) == ("NOT_FOUND", ["coinId"])
    for call, args in (
        (update_rarity_assessment, (4242, {"notes": "-"})),
        (remove_rarity_assessment, (4242,)),
    ):
        error = await refused(sessions, call, *args)
        assert (error.code, error.field) == ("NOT_FOUND", ["rarityAssessmentId"])


async def test_failure_half_way_leaves_nothing(sessions: Sessions, coin_id: int) -> None:
    with pytest.raises(DomainError):
        async with sessions() as s, s.begin():
            await add_rarity_assessment(s, coin_id, RarityAssessmentInput(**RIC))
            await add_rarity_assessment(
                s, coin_id, RarityAssessmentInput(**{**RIC, "rarity_code": "R9"})
            )
    assert await state(sessions, coin_id) == ([], None)


async def test_exactly_one_primary_after_any_sequence(sessions: Sessions, coin_id: int) -> None:
    rng = random.Random(20260203)
    codes = ["C", "S", "R1", "R2", "R3", "R4", "R5", "RR", "RRR", "UNIQUE", "R7"]
    for _step in range(30):
        rows, _ = await state(sessions, coin_id)
        op = rng.choice(["add", "add", "update", "remove"]) if rows else "add"
        try:
            async with sessions() as s, s.begin():
                if op == "add":
                    values: dict[str, Any] = {
                        **RIC,
                        "rarity_code": rng.choice(codes),
                        "is_primary": rng.random() < 0.3,
                    }
                    await add_rarity_assessment(s, coin_id, RarityAssessmentInput(**values))
                elif op == "update":
                    change: dict[str, Any] = rng.choice(
                        [
                            {"is_primary": True},
                            {"is_primary": False},
                            {"rarity_code": rng.choice(codes)},
                        ]
                    )
                    await update_rarity_assessment(s, rng.choice(rows).id, change)
                else:
                    await remove_rarity_assessment(s, rng.choice(rows).id)
        except DomainError:
            pass  # refused steps must leave the invariant intact too
        rows, rarity = await state(sessions, coin_id)
        primaries = [r for r in rows if r.is_primary]
        assert len(primaries) == (1 if rows else 0)
        assert rarity == (RARITY_BY_CODE[primaries[0].rarity_code] if rows else None)
