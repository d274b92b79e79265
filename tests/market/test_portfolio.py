"""Portfolio totals and breakdowns, checked against the coins' latest valuations."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType
from coinstack_graphql.market.data_service import add_market_data_points
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.market.portfolio import BreakdownRow, portfolio
from coinstack_graphql.market.valuation import revalue_portfolio
from tests.market.fixtures import (
    AUGUSTUS_COMPS,
    HADRIAN_SESTERTIUS_KEY,
    RATES,
    TODAY,
    Sessions,
    add_coin,
    cite,
    open_sessions,
    point,
)

D = Decimal


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def _collection(sessions: Sessions) -> dict[str, int]:
    async with sessions() as s, s.begin():
        ids = {
            "augustus": await add_coin(s, "augustus_207"),  # EUR 750 = USD 810.00
            "hadrian": await add_coin(s, "hadrian_sestertius"),  # USD 420.00
            "caesar": await add_coin(s, "caesar_elephant"),  # CHF 1150 = USD 1299.50
            "owl": await add_coin(s, "athens_owl"),  # gift: no price
            "hadrian_jpy": await add_coin(s, "hadrian_sestertius", acquisition_currency="JPY",
                                          acquisition_price=D("60000.00")),
        }
        await cite(s, ids["augustus"], "RIC I² 207")
        await add_market_data_points(s, [*AUGUSTUS_COMPS, *[
            point("500.00", dt.date(2024, 4, 10), key=HADRIAN_SESTERTIUS_KEY, grade="VF"),
            point("380.00", dt.date(2025, 2, 2), key=HADRIAN_SESTERTIUS_KEY, grade="VF",
                  currency="GBP", house="Roma"),
        ]], rates=RATES, today=TODAY)
        # An older valuation that the newer run supersedes.
        s.add(CoinValuation(coin_id=ids["augustus"], valuation_date=dt.date(2024, 1, 1),
                            current_market_value=D("700.00")))
        await revalue_portfolio(s, rates=RATES, today=TODAY)
        # The owl was appraised by hand: a valuation without comparables but with a value.
        s.add(CoinValuation(coin_id=ids["owl"], valuation_date=TODAY + dt.timedelta(days=1),
                            current_market_value=D("2600.00"), market_confidence="low"))
        twelve = Collection(name="Twelve Caesars", slug="twelve-caesars")
        silver = Collection(name="Silver", slug="silver", collection_type=CollectionType.SMART,
                            smart_filter={"metals": ["silver"]})
        empty = Collection(name="Greek bronzes", slug="greek-bronzes")
        s.add_all([twelve, silver, empty])
        await s.flush()
        s.add_all([CollectionCoin(collection_id=twelve.id, coin_id=ids[k], position=n)
                   for n, k in enumerate(("augustus", "caesar"))])
        ids.update(twelve=twelve.id, silver=silver.id, empty=empty.id)
    return ids


async def test_totals_and_breakdowns(sessions: Sessions) -> None:
    ids = await _collection(sessions)
    async with sessions() as s:
        result = await portfolio(s, rates=RATES)
    # Costs: 810.00 + 420.00 + 1299.50 = 2529.50; the owl (no price) and the JPY coin (no
    # rate) are without cost.
    assert (result.coin_count, result.total_cost_usd, result.coins_without_cost) == (
        5, D("2529.50"), 2
    )
    assert result.missing_rates == ["JPY"]
    # Values: Augustus 994.40 (worked example), each Hadrian 491.30, owl 2600.00, Caesar
    # none (no comparables): 994.40 + 491.30 + 491.30 + 2600.00 = 4577.00.
    assert result.current_value_usd == D("4577.00")
    assert result.coins_without_valuation == [ids["caesar"]]
    # Gain over coins with cost and value: (994.40 − 810.00) + (491.30 − 420.00) = 255.70
    # on 1230.00 -> 20.788… % -> 20.79.
    assert (result.gain_loss_usd, result.gain_loss_pct) == (D("255.70"), 20.79)
    assert result.by_category == [
        BreakdownRow("greek", "Greek", 1, D("0.00"), D("2600.00"), D("0.00")),
        BreakdownRow("imperial", "Imperial", 3, D("1230.00"), D("1977.00"), D("255.70")),
        BreakdownRow("republic", "Republic", 1, D("1299.50"), D("0.00"), D("0.00")),
    ]
    assert result.by_metal == [
        BreakdownRow("silver", "Silver", 3, D("2109.50"), D("3594.40"), D("184.40")),
        BreakdownRow("orichalcum", "Orichalcum", 2, D("420.00"), D("982.60"), D("71.30")),
    ]
    assert [(r.key, r.label, r.coin_count, r.value_usd) for r in result.by_issuer] == [
        ("athens", "Athens", 1, D("2600.00")),
        ("augustus", "Augustus", 1, D("994.40")),
        ("hadrian", "Hadrian", 2, D("982.60")),
        ("julius_caesar", "Julius Caesar", 1, D("0.00")),
    ]
    assert result.by_collection == [
        BreakdownRow(str(ids["empty"]), "Greek bronzes", 0, D("0.00"), D("0.00"), D("0.00")),
        BreakdownRow(str(ids["silver"]), "Silver", 3, D("2109.50"), D("3594.40"), D("184.40")),
        BreakdownRow(str(ids["twelve"]), "Twelve Caesars", 2, D("2109.50"), D("994.40"),
                     D("184.40")),
    ]


async def test_value_is_the_sum_of_latest_valuations(sessions: Sessions) -> None:
    await _collection(sessions)
    async with sessions() as s:
        result = await portfolio(s, rates=RATES)
        rows = (await s.execute(
            select(CoinValuation.coin_id, CoinValuation.current_market_value)
            .order_by(CoinValuation.coin_id, CoinValuation.valuation_date, CoinValuation.id)
        )).all()
    latest = {coin_id: value for coin_id, value in rows}  # the last row of each coin wins
    assert result.current_value_usd == sum((v for v in latest.values() if v), D("0.00"))
    assert set(result.coins_without_valuation) == {c for c, v in latest.items() if v is None}
    for breakdown in (result.by_category, result.by_metal, result.by_issuer):
        assert sum((r.value_usd for r in breakdown), D(0)) == result.current_value_usd
        assert sum((r.cost_usd for r in breakdown), D(0)) == result.total_cost_usd
        assert sum(r.coin_count for r in breakdown) == result.coin_count


async def test_estimate_stands_in_for_a_coin_never_valued(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await add_coin(s, "caesar_elephant", estimated_value_usd=D("1400.00"))
        never = await add_coin(s, "athens_owl")
        result = await portfolio(s, rates=RATES)
    # coins/value.py's current value: latest valuation, else the collector's estimate.
    assert result.current_value_usd == D("1400.00")
    assert result.coins_without_valuation == [never]
    # CHF 1150 × 1.13 = 1299.50; gain 1400.00 − 1299.50 = 100.50 = 7.73 %.
    assert (result.gain_loss_usd, result.gain_loss_pct) == (D("100.50"), 7.73)


async def test_empty_portfolio(sessions: Sessions) -> None:
    async with sessions() as s:
        result = await portfolio(s, rates=RATES)
    assert (result.coin_count, result.total_cost_usd, result.current_value_usd) == (
        0, D("0.00"), D("0.00")
    )
    assert result.gain_loss_pct is None and result.by_category == []
