"""Valuation against hand-computed figures: window, currency, grade, outliers, confidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select

from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.grading.ladder import parse_grade
from coinstack_graphql.market.data_service import add_market_data_points
from coinstack_graphql.market.models import CoinValuation, MarketDataPoint, MarketPrice
from coinstack_graphql.market.trends import Observation
from coinstack_graphql.market.valuation import (
    GRADE_MULTIPLIERS,
    adjust_for_grade,
    comparable,
    drop_outliers,
    market_confidence,
    quartiles,
    revalue_portfolio,
    value_coin,
)
from coinstack_graphql.settings import Settings
from tests.market.fixtures import (
    AUGUSTUS_COMPS,
    AUGUSTUS_KEY,
    HADRIAN_SESTERTIUS_KEY,
    RATES,
    TODAY,
    Sessions,
    add_coin,
    cite,
    open_sessions,
    point,
    table_rows,
)

D = Decimal


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def _augustus(sessions: Sessions, extra: list[Any] | None = None, **coin: Any) -> int:
    async with sessions() as s, s.begin():
        coin_id = await add_coin(s, "augustus_207", **coin)
        await cite(s, coin_id, "RIC I² 207")
        await add_market_data_points(s, AUGUSTUS_COMPS + (extra or []), rates=RATES, today=TODAY)
    return coin_id


def _obs(grade: str | None) -> Observation:
    return Observation(1, AUGUSTUS_KEY, TODAY, D("1562.50"), "USD", "auction_realized", grade,
                       "CNG", None)


def test_a_finer_comp_is_worth_less_for_our_coin() -> None:
    vf = parse_grade("VF")
    # EF is two rungs above VF: 1562.50 / 1.25² = 1562.50 / 1.5625 = 1000.00.
    finer = comparable(_obs("EF"), D("1562.50"), vf)
    assert finer is not None and finer.rung_difference == D(2)
    assert finer.adjusted_usd == D("1000.00") < finer.usd
    # F is two rungs below VF: 1562.50 × 1.5625 = 2441.40625 -> 2441.41.
    coarser = comparable(_obs("F"), D("1562.50"), vf)
    assert coarser is not None and coarser.adjusted_usd == D("2441.41")
    # gVF is half a rung up: 1562.50 / 1.1180 = 1397.58497… -> 1397.58.
    half = comparable(_obs("gVF"), D("1562.50"), vf)
    assert half is not None
    assert (half.rung_difference, half.adjusted_usd) == (D("0.5"), D("1397.58"))
    # No grade on either side: the price as sold.
    for comp_grade, coin_grade in ((None, vf), ("EF", None)):
        as_sold = comparable(_obs(comp_grade), D("1562.50"), coin_grade)
        assert as_sold is not None and as_sold.adjusted_usd == D("1562.50")
    # Poor is seven rungs below VF: too different a coin to say anything.
    assert comparable(_obs("Poor"), D("1562.50"), vf) is None


def test_multiplier_table_is_1_25_per_rung() -> None:
    for rungs, multiple in GRADE_MULTIPLIERS.items():
        assert abs(D("1.25") ** rungs - multiple) < D("0.0001")
    assert adjust_for_grade(D("100.00"), D(0)) == D("100.00")


def test_quartiles_and_fences() -> None:
    values = [D("950.00"), D("966.01"), D("994.40"), D("1080.00"), D("1120.00"), D("4250.00")]
    # Positions (n − 1)·q = 1.25 and 3.75:
    # Q1 = 966.01 + 0.25 × (994.40 − 966.01) = 973.1075; Q3 = 1080 + 0.75 × 40 = 1110.
    assert quartiles(values) == (D("973.1075"), D("1110.00"))
    # IQR 136.8925; fences 973.1075 − 205.33875 and 1110 + 205.33875.
    kept, dropped, fences = drop_outliers(values)
    assert dropped == [D("4250.00")] and len(kept) == 5
    assert fences == (D("767.76875"), D("1315.33875"))
    # Fewer than five: nothing is dropped, however far.
    assert drop_outliers(values[:3] + [D("9000")])[1] == []


def test_confidence_levels() -> None:
    assert market_confidence([]) == "none"
    assert market_confidence([D(900)]) == "low"
    assert market_confidence([D(900), D(1000)]) == "low"
    assert market_confidence([D(900), D(1000), D(1100)]) == "medium"
    tight = [D(v) for v in (900, 920, 950, 980, 1000, 1010, 1050, 1100)]
    assert market_confidence(tight) == "high"
    loose = [D(v) for v in (300, 600, 950, 980, 1000, 1010, 1500, 2200)]
    assert market_confidence(loose) == "medium"  # eight comps, but CV ≈ 0.55


async def test_worked_example(sessions: Sessions) -> None:
    """docs/market.md's example: Augustus RIC I² 207 in Ch VF, valued on 2025-06-30."""
    coin_id = await _augustus(sessions)
    async with sessions() as s, s.begin():
        valuation = await value_coin(s, coin_id, rates=RATES, window_months=36, today=TODAY)
    # Window: 2022-06-30 … 2025-06-30, so the 2022-02-20 sale (40 months old) is ignored.
    #   CNG    2023-01-18  USD   950.00  Ch VF  same grade            ->  950.00
    #   Roma   2023-09-28  EUR   800.00  VF     = USD  864.00, 1 rung coarser × 1.25 -> 1080.00
    #   Leu    2024-05-12  CHF  1100.00  EF     = USD 1243.00, 1 rung finer  / 1.25 ->  994.40
    #   Künker 2024-10-02  EUR  1000.00  aEF    = USD 1080.00, ½ rung finer / 1.1180 -> 966.01
    #   CNG    2025-03-12  USD  1400.00  EF     1 rung finer / 1.25        -> 1120.00
    # Sorted: 950.00, 966.01, 994.40, 1080.00, 1120.00; Q1 966.01, Q3 1080.00, IQR 113.99,
    # fences 795.025 … 1250.985: nothing dropped. Median: 994.40.
    assert valuation.current_market_value == D("994.40")
    assert (valuation.comparable_count, valuation.market_confidence) == (5, "medium")
    # Trend: last 12 months (966.01, 1120.00) median 1043.005 against the 12 before
    # (1080.00, 994.40) median 1037.20: +5.805 / 1037.20 = +0.5597 % -> 0.56.
    assert valuation.price_trend_12mo == 0.56
    # Bought for EUR 750.00 = USD 810.00: gain 184.40 = 22.765 % -> 22.77.
    assert (valuation.purchase_price, valuation.gain_loss_usd) == (D("810.00"), D("184.40"))
    assert valuation.gain_loss_pct == 22.77
    assert valuation.purchase_date == dt.date(2021, 11, 20)
    assert (valuation.valuation_date, valuation.attribution_key) == (TODAY, AUGUSTUS_KEY)
    assert "Median of 5 comparables" in (valuation.notes or "")
    assert "EUR 750.00 = USD 810.00" in (valuation.notes or "")
    async with sessions() as s:
        stored = (await s.scalars(select(CoinValuation))).one()
    assert (stored.current_market_value, stored.comparable_count) == (D("994.40"), 5)


async def test_outlier_is_dropped(sessions: Sessions) -> None:
    asking = point("4250.00", dt.date(2025, 1, 15), grade="Ch VF", house="VCoins dealer",
                   source="dealer_asking", url="https://www.vcoins.com/en/stores/x/1/product/1")
    coin_id = await _augustus(sessions, [asking])
    async with sessions() as s, s.begin():
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
    # With the asking price: fences 767.76875 … 1315.33875 (see test_quartiles_and_fences);
    # 4250.00 goes and the median of the other five stays 994.40 (with it: 1037.20).
    assert valuation.current_market_value == D("994.40")
    assert valuation.comparable_count == 5
    assert "Dropped 1 outlier(s)" in (valuation.notes or "")
    assert "4,250.00" in (valuation.notes or "")


async def test_window_can_be_widened(sessions: Sessions) -> None:
    coin_id = await _augustus(sessions)
    async with sessions() as s, s.begin():
        valuation = await value_coin(s, coin_id, rates=RATES, window_months=48, today=TODAY)
    # The 2022 sale now counts: 400.00, 950.00, 966.01, 994.40, 1080.00, 1120.00.
    # Q1 = 950 + 0.25 × 16.01 = 954.0025, Q3 = 1080 + 0.75 × 40 = 1110, IQR 155.9975,
    # low fence 954.0025 − 233.99625 = 720.00625: 400.00 goes; median of five = 994.40.
    assert (valuation.current_market_value, valuation.comparable_count) == (D("994.40"), 5)


async def test_ungraded_coin_uses_prices_as_sold(sessions: Sessions) -> None:
    coin_id = await _augustus(sessions, grade=None)
    async with sessions() as s, s.begin():
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
    # USD 950.00, 864.00, 1243.00, 1080.00, 1400.00 -> median 1080.00.
    assert valuation.current_market_value == D("1080.00")
    assert "not grade-adjusted" in (valuation.notes or "")


async def test_few_comparables_give_low_confidence(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        coin_id = await add_coin(s, "hadrian_sestertius")
        await add_market_data_points(s, [
            point("500.00", dt.date(2024, 4, 10), key=HADRIAN_SESTERTIUS_KEY, grade="VF"),
            point("380.00", dt.date(2025, 2, 2), key=HADRIAN_SESTERTIUS_KEY, grade="VF",
                  currency="GBP", house="Roma"),
        ], rates=RATES, today=TODAY)
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
    # USD 500.00 and GBP 380.00 × 1.27 = 482.60: median (500.00 + 482.60) / 2 = 491.30.
    assert valuation.current_market_value == D("491.30")
    assert (valuation.comparable_count, valuation.market_confidence) == (2, "low")
    assert valuation.price_trend_12mo is None  # one point in each half
    assert (valuation.gain_loss_usd, valuation.gain_loss_pct) == (D("71.30"), 16.98)


async def test_no_comparables_gives_no_value(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        coin_id = await add_coin(s, "hadrian_sestertius")
        # Only an old sale, outside the window.
        await add_market_data_points(s, [
            point("450.00", dt.date(2021, 3, 1), key=HADRIAN_SESTERTIUS_KEY, grade="VF"),
        ], rates=RATES, today=TODAY)
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
    assert valuation.current_market_value is None
    assert (valuation.comparable_count, valuation.market_confidence) == (0, "none")
    assert valuation.gain_loss_usd is None and valuation.gain_loss_pct is None
    assert valuation.purchase_price == D("420.00")
    notes = valuation.notes or ""
    assert f"No comparable sales of {HADRIAN_SESTERTIUS_KEY}" in notes
    assert "no market value given" in notes


async def test_prices_in_currencies_without_rate_are_left_out(sessions: Sessions) -> None:
    coin_id = await _augustus(sessions)
    async with sessions() as s, s.begin():
        series = (await s.scalars(select(MarketPrice))).one()
        # Written before SEK's rate was removed from the configuration.
        s.add(MarketDataPoint(market_price_id=series.id, price=D("9500.00"), currency="SEK",
                              source="auction_realized", date=dt.date(2025, 4, 1), grade="Ch VF"))
        await s.flush()
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
        with_sek = await value_coin(
            s, coin_id, rates={**RATES, "SEK": D("0.095")}, today=TODAY
        )
    assert valuation.current_market_value == D("994.40")
    assert "Left out 1 observation(s) in SEK" in (valuation.notes or "")
    # SEK 9500 × 0.095 = USD 902.50 at Ch VF joins: 902.50, 950, 966.01, 994.40, 1080, 1120
    # -> median (966.01 + 994.40) / 2 = 980.205 -> 980.21.
    assert with_sek.current_market_value == D("980.21")


async def test_purchase_in_unconfigured_currency_gives_no_gain(sessions: Sessions) -> None:
    coin_id = await _augustus(sessions, acquisition_currency="JPY",
                              acquisition_price=D("120000.00"))
    async with sessions() as s, s.begin():
        valuation = await value_coin(s, coin_id, rates=RATES, today=TODAY)
    assert valuation.current_market_value == D("994.40")
    assert valuation.purchase_price is None and valuation.gain_loss_usd is None
    assert "JPY not converted" in (valuation.notes or "")


async def test_unknown_coin_and_bad_window(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as missing:
            await value_coin(s, 424242, rates=RATES, today=TODAY)
        with pytest.raises(DomainError) as window:
            await value_coin(s, 1, rates=RATES, window_months=0, today=TODAY)
    assert (missing.value.code, missing.value.field) == ("NOT_FOUND", ["coinId"])
    assert (window.value.code, window.value.field) == ("OUT_OF_RANGE", ["windowMonths"])


async def test_rolled_back_valuation_leaves_nothing(sessions: Sessions) -> None:
    coin_id = await _augustus(sessions)
    async with sessions() as s:
        before = await table_rows(s)
    with pytest.raises(RuntimeError):
        async with sessions() as s, s.begin():
            await value_coin(s, coin_id, rates=RATES, today=TODAY)
            raise RuntimeError("the mutation failed after valuing")
    async with sessions() as s:
        assert await table_rows(s) == before


async def test_revalue_portfolio_batches_its_reads(migrated_db: str) -> None:
    engine = create_engine(Settings(database_url=migrated_db))
    sessions = session_factory(engine)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    try:
        async with sessions() as s, s.begin():
            augustus = [await add_coin(s, "augustus_207") for _ in range(3)]
            for coin_id in augustus:
                await cite(s, coin_id, "RIC I² 207")
            hadrians = [await add_coin(s, "hadrian_sestertius") for _ in range(5)]
            await add_market_data_points(s, AUGUSTUS_COMPS, rates=RATES, today=TODAY)
        statements.clear()
        async with sessions() as s, s.begin():
            valuations = await revalue_portfolio(s, rates=RATES, window_months=36, today=TODAY)
        selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    finally:
        await engine.dispose()
    by_coin = {v.coin_id: v for v in valuations}
    assert sorted(by_coin) == sorted(augustus + hadrians)
    assert {by_coin[c].current_market_value for c in augustus} == {D("994.40")}
    assert {by_coin[c].market_confidence for c in hadrians} == {"none"}
    # Coins, primary references, type parts, data points: a fixed number of queries,
    # not one per coin.
    assert len(selects) <= 5
