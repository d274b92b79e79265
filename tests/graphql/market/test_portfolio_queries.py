"""`portfolio`, `marketTrend` and `MarketPrice.trend` on the demo collection (read only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from tests.graphql.market import RATES, shared_market_client
from tests.graphql.mutations import query, run
from tests.support.client import GraphQLClient


@pytest.fixture(scope="module")
async def shared_market(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One demo copy for the module's refusals and reads."""
    async with shared_market_client(demo_template, tmp_path_factory) as client:
        yield client

ROW = "key label coinCount costUsd valueUsd gainLossUsd"
PORTFOLIO = f"""query {{ portfolio {{
  coinCount totalCostUsd coinsWithoutCost currentValueUsd gainLossUsd gainLossPct missingRates
  coinsWithoutValuationCount coinsWithoutValuation {{ databaseId }}
  byCategory {{ {ROW} }} byMetal {{ {ROW} }} byIssuer {{ {ROW} }} byCollection {{ {ROW} }}
}} }}"""
COINS = """query Coins($after: String) { coins(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { databaseId category acquisitionPrice acquisitionCurrency estimatedValueUsd
          latestValuation { currentMarketValue } } } }"""
ZERO = Decimal("0.00")


async def all_coins(client: GraphQLClient) -> list[dict[str, Any]]:
    coins: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await client.execute(COINS, {"after": after}))["coins"]
        coins.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return coins
        after = page["pageInfo"]["endCursor"]


def value_of(coin: dict[str, Any]) -> Decimal | None:
    latest = coin["latestValuation"]
    if latest and latest["currentMarketValue"] is not None:
        return Decimal(latest["currentMarketValue"])
    return None if coin["estimatedValueUsd"] is None else Decimal(coin["estimatedValueUsd"])


def cost_of(coin: dict[str, Any]) -> Decimal | None:
    if coin["acquisitionPrice"] is None:
        return None
    rate = RATES.get((coin["acquisitionCurrency"] or "USD").upper())
    if rate is None:
        return None
    return (Decimal(coin["acquisitionPrice"]) * rate).quantize(Decimal("0.01"))


async def test_portfolio_totals_are_the_sums_of_the_coins(shared_market: GraphQLClient) -> None:
    await run(shared_market, "revaluePortfolio", {})
    p = (await query(shared_market, PORTFOLIO))["portfolio"]
    coins = await all_coins(shared_market)
    assert p["coinCount"] == len(coins) == 162
    values = {c["databaseId"]: value_of(c) for c in coins}
    costs = {c["databaseId"]: cost_of(c) for c in coins}
    assert Decimal(p["currentValueUsd"]) == sum((v for v in values.values() if v), ZERO)
    # Where a coin has a valuation with a market value, that is what counts.
    valued = [c for c in coins if (c["latestValuation"] or {}).get("currentMarketValue")]
    assert len(valued) >= 15
    assert Decimal(p["totalCostUsd"]) == sum((c for c in costs.values() if c), ZERO)
    assert p["coinsWithoutCost"] == sum(1 for c in costs.values() if c is None)
    pairs = [(v, c) for i in values if (v := values[i]) is not None and (c := costs[i]) is not None]
    gain = sum((v - c for v, c in pairs), ZERO)
    assert Decimal(p["gainLossUsd"]) == gain
    base = sum((c for _, c in pairs), ZERO)
    assert float(p["gainLossPct"]) == pytest.approx(float(gain / base * 100), abs=0.005)
    unvalued = sorted(i for i, v in values.items() if v is None)
    assert sorted(c["databaseId"] for c in p["coinsWithoutValuation"]) == unvalued
    assert p["coinsWithoutValuationCount"] == len(unvalued)
    assert p["missingRates"] == []


async def test_breakdowns_add_up(shared_market: GraphQLClient) -> None:
    p = (await query(shared_market, PORTFOLIO))["portfolio"]
    coins = await all_coins(shared_market)
    for name in ("byCategory", "byMetal", "byIssuer"):
        rows = p[name]
        assert sum(r["coinCount"] for r in rows) == p["coinCount"], name
        assert sum(Decimal(r["valueUsd"]) for r in rows) == Decimal(p["currentValueUsd"]), name
        assert sum(Decimal(r["costUsd"]) for r in rows) == Decimal(p["totalCostUsd"]), name
        assert sum(Decimal(r["gainLossUsd"]) for r in rows) == Decimal(p["gainLossUsd"]), name
        assert [Decimal(r["valueUsd"]) for r in rows] == sorted(
            (Decimal(r["valueUsd"]) for r in rows), reverse=True), name
    # Category keys are the Category enum values clients filter coins by.
    by_category = {r["key"]: r["coinCount"] for r in p["byCategory"]}
    counted: dict[str, int] = {}
    for coin in coins:
        counted[coin["category"]] = counted.get(coin["category"], 0) + 1
    assert by_category == counted
    # Collection rows are keyed by the collection's global ID.
    keys = [r["key"] for r in p["byCollection"]]
    assert len(keys) == 8
    found = await query(shared_market, "query N($ids: [ID!]!) { nodes(ids: $ids) { "
                                       "... on Collection { id name coinCount } } }", ids=keys)
    named = [(c["id"], c["name"], c["coinCount"]) for c in found["nodes"]]
    assert [(r["key"], r["label"], r["coinCount"]) for r in p["byCollection"]] == named


async def test_market_trend_by_key_or_citation(shared_market: GraphQLClient) -> None:
    doc = """query T($key: String!, $months: Int) { marketTrend(attributionKey: $key,
      months: $months) { month medianUsd count minUsd maxUsd } }"""
    by_key = (await query(shared_market, doc, key="crawford.443.1", months=120))["marketTrend"]
    by_citation = (await query(shared_market, doc, key="Crawford 443/1", months=120))
    assert by_key == by_citation["marketTrend"]
    assert sum(t["count"] for t in by_key) == 10  # every demo point of the type
    months = [t["month"] for t in by_key]
    assert months == sorted(months) and all(m.endswith("-01") for m in months)
    for t in by_key:
        assert Decimal(t["minUsd"]) <= Decimal(t["medianUsd"]) <= Decimal(t["maxUsd"])
    recent = (await query(shared_market, doc, key="crawford.443.1", months=24))["marketTrend"]
    assert recent == [t for t in by_key if t["month"] >= recent[0]["month"]]
    assert len(recent) < len(by_key)
    assert (await query(shared_market, doc, key="crawford.1.1", months=None))["marketTrend"] == []


@pytest.mark.parametrize(
    ("key", "months", "message"),
    [("crawford.443.1", 0, "months must be 1 to 120"),
     ("crawford.443.1", 121, "months must be 1 to 120"),
     ("Not A Catalogue 12", 24, "")],
)
async def test_market_trend_refuses_bad_arguments(
    shared_market: GraphQLClient, key: str, months: int, message: str
) -> None:
    response = await shared_market.post(
        "query T($key: String!, $months: Int!) { marketTrend(attributionKey: $key, "
        "months: $months) { month } }", {"key": key, "months": months})
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert message in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_market_price_trend_matches_market_trend_in_one_query(
    shared_market: GraphQLClient,
) -> None:
    page = await query(shared_market, "query { marketPrices(first: 100) { nodes { "
                                      "attributionKey trend(months: 120) { month medianUsd "
                                      "count minUsd maxUsd } } } }")
    trend_selects = [s for s in shared_market.statements if "market_data_points" in s]
    assert len(trend_selects) == 1  # every series' trend in one batched query
    nodes = page["marketPrices"]["nodes"]
    assert len(nodes) > 20
    for node in nodes[:8]:
        expected = await query(shared_market, "query T($k: String!) { marketTrend("
                                              "attributionKey: $k, months: 120) { month "
                                              "medianUsd count minUsd maxUsd } }",
                               k=node["attributionKey"])
        assert node["trend"] == expected["marketTrend"], node["attributionKey"]
    bad = await shared_market.post("query { marketPrices(first: 1) { nodes { trend(months: 0) "
                                   "{ month } } } }")
    assert "months must be 1 to 120" in bad.json()["errors"][0]["message"]
