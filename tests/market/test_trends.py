"""Monthly market trends of a type, in USD."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from coinstack_graphql.errors import DomainError
from coinstack_graphql.market.data_service import add_market_data_points
from coinstack_graphql.market.models import MarketDataPoint, MarketPrice
from coinstack_graphql.market.trends import TrendPoint, market_trend, months_before
from tests.market.fixtures import AUGUSTUS_KEY, RATES, TODAY, Sessions, open_sessions, point

D = Decimal


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def _series(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await add_market_data_points(s, [
            point("950.00", dt.date(2023, 6, 14)),  # 25 months back: before a 24-month trend
            point("800.00", dt.date(2023, 9, 28), currency="EUR", house="Roma"),
            point("900.00", dt.date(2023, 9, 6), house="Leu", currency="CHF"),
            point("1010.00", dt.date(2023, 9, 20), house="CNG"),
            point("1200.00", dt.date(2025, 3, 12), source="dealer_asking"),
            point("1000.00", dt.date(2025, 3, 3), currency="EUR", house="Künker"),
            point("1150.00", dt.date(2025, 6, 30)),
        ], rates=RATES, today=TODAY)


async def test_monthly_medians_oldest_first(sessions: Sessions) -> None:
    await _series(sessions)
    async with sessions() as s:
        trend = await market_trend(s, AUGUSTUS_KEY, 24, rates=RATES, today=TODAY)
    assert trend == [
        # September 2023: CHF 900 = 1017.00, EUR 800 = 864.00, USD 1010.00 -> median 1010.00.
        TrendPoint(dt.date(2023, 9, 1), D("1010.00"), 3, D("864.00"), D("1017.00")),
        # March 2025: EUR 1000 = 1080.00 and USD 1200.00 -> median 1140.00.
        TrendPoint(dt.date(2025, 3, 1), D("1140.00"), 2, D("1080.00"), D("1200.00")),
        TrendPoint(dt.date(2025, 6, 1), D("1150.00"), 1, D("1150.00"), D("1150.00")),
    ]


async def test_window_counts_calendar_months(sessions: Sessions) -> None:
    await _series(sessions)
    async with sessions() as s:
        whole = await market_trend(s, AUGUSTUS_KEY, 25, rates=RATES, today=TODAY)
        this_month = await market_trend(s, AUGUSTUS_KEY, 1, rates=RATES, today=TODAY)
        by_citation = await market_trend(s, "RIC I² 207", 24, rates=RATES, today=TODAY)
    # 25 months back from June 2025 starts with June 2023.
    assert [p.month for p in whole][0] == dt.date(2023, 6, 1)
    assert [p.month for p in this_month] == [dt.date(2025, 6, 1)]
    assert len(by_citation) == 3


async def test_points_without_a_rate_are_left_out(sessions: Sessions) -> None:
    await _series(sessions)
    async with sessions() as s, s.begin():
        series = (await s.scalars(select(MarketPrice))).one()
        s.add(MarketDataPoint(market_price_id=series.id, price=D("9000.00"), currency="SEK",
                              source="auction_realized", date=dt.date(2025, 6, 2)))
        await s.flush()
        trend = await market_trend(s, AUGUSTUS_KEY, 3, rates=RATES, today=TODAY)
    assert [(p.month, p.count) for p in trend] == [
        (dt.date(2025, 6, 1), 1)
    ]


async def test_unknown_key_has_no_trend(sessions: Sessions) -> None:
    async with sessions() as s:
        assert await market_trend(s, "crawford.443.1", rates=RATES, today=TODAY) == []


@pytest.mark.parametrize(("months", "code", "field"), [
    (0, "OUT_OF_RANGE", ["months"]), (121, "OUT_OF_RANGE", ["months"]),
])
async def test_months_out_of_range(
    sessions: Sessions, months: int, code: str, field: list[str]
) -> None:
    async with sessions() as s:
        with pytest.raises(DomainError) as caught:
            await market_trend(s, AUGUSTUS_KEY, months, rates=RATES, today=TODAY)
    assert (caught.value.code, caught.value.field) == (code, field)


async def test_unreadable_key(sessions: Sessions) -> None:
    async with sessions() as s:
        with pytest.raises(DomainError) as caught:
            await market_trend(s, "Augustus denarius", rates=RATES, today=TODAY)
    assert (caught.value.code, caught.value.field) == ("INVALID", ["attributionKey"])


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(dt.date(2025, 5, 31), 3) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2025, 6, 30), 36) == dt.date(2022, 6, 30)
    assert months_before(dt.date(2025, 1, 15), 1) == dt.date(2024, 12, 15)
