"""addMarketDataPoints / valueCoin / revaluePortfolio through the API, read back by queries.

The valuation case is docs/market.md's worked example moved to today's calendar: a Ch VF
coin bought for EUR 750, five comparables in the window (USD 950 Ch VF, EUR 800 VF,
CHF 1,100 EF, EUR 1,000 aEF, USD 1,400 EF) and one older than 36 months: USD 994.40 from
five comps, medium confidence, trend +0.56 %, gain USD 184.40 (+22.77 %).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.graphql.market import (
    TEST_KEY,
    create_coin,
    market_client,
    months_ago,
    point,
    shared_market_client,
)
from tests.graphql.mutations import MISSING, error_at, gid, graphql_error, query, refused, run
from tests.support.client import GraphQLClient


@pytest.fixture(scope="module")
async def shared_market(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One demo copy for the module's refusals and reads."""
    async with shared_market_client(demo_template, tmp_path_factory) as client:
        yield client

ADDED = """added { id price currency source date grade auctionHouse lotUrl confidence }
skipped { index lotUrl reason existingDataPoint { id price } }
seriesCreated { id attributionKey catalogRef denomination metal }"""
SERIES = """query Series($search: String) { marketPrices(search: $search, first: 10) {
  totalCount nodes { attributionKey catalogRef dataPoints { id price currency date lotUrl } } } }"""
VALUATION = """valuation { id valuationDate currentMarketValue marketConfidence comparableCount
  priceTrend12mo purchasePrice gainLossUsd gainLossPct attributionKey notes }"""


async def series(client: GraphQLClient, search: str) -> list[dict[str, Any]]:
    return list((await query(client, SERIES, search=search))["marketPrices"]["nodes"])


# ---- addMarketDataPoints


async def test_points_are_stored_in_their_currency_and_read_back(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        payload = await run(client, "addMarketDataPoints", {"points": [
            {"citation": "RIC II 9999", "price": "120.00", "currency": "EUR",
             "source": "DEALER_ASKING", "date": months_ago(2), "grade": "VF",
             "auctionHouse": "Acme Coins", "lotUrl": "https://acme.example/lot/1"},
            point("950.50", 1, currency="chf", confidence="high"),
            point("800", 5),
        ]}, ADDED)
        added = payload["added"]
        assert [(p["price"], p["currency"], p["source"]) for p in added] == [
            ("120.00", "EUR", "DEALER_ASKING"), ("950.50", "CHF", "AUCTION_REALIZED"),
            ("800.00", "USD", "AUCTION_REALIZED")]
        assert [p["confidence"] for p in added] == ["medium", "high", "medium"]
        assert payload["skipped"] == []
        created = {s["attributionKey"]: s for s in payload["seriesCreated"]}
        assert created["ric.2.9999"]["catalogRef"] == "RIC II 9999"
        assert created[TEST_KEY]["denomination"] == "denarius"
        assert created[TEST_KEY]["metal"] == "silver"

        [ric] = await series(client, "ric.2.9999")
        assert ric["dataPoints"] == [{"id": added[0]["id"], "price": "120.00", "currency": "EUR",
                                      "date": months_ago(2), "lotUrl": "https://acme.example/lot/1"}]
        [typed] = await series(client, "testus")
        assert sorted(p["price"] for p in typed["dataPoints"]) == ["800.00", "950.50"]
        # The trend reads them converted: CHF 950.50 × 1.13.
        trend = await query(client, "query T($k: String!) { marketTrend(attributionKey: $k, "
                                     "months: 12) { month medianUsd count } }", k=TEST_KEY)
        assert [t["medianUsd"] for t in trend["marketTrend"]] == ["800.00", "1074.07"]


async def test_a_known_lot_url_is_skipped_not_duplicated(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        url = "https://acme.example/lot/7"
        first = await run(client, "addMarketDataPoints",
                          {"points": [point("500.00", 3, lotUrl=url)]}, ADDED)
        stored = first["added"][0]
        again = await run(client, "addMarketDataPoints", {"points": [
            point("999.00", 2, lotUrl=url),  # a resend with a changed price: the stored one stays
            point("640.00", 2, lotUrl="https://acme.example/lot/8"),
            point("641.00", 2, lotUrl="https://acme.example/lot/8"),  # twice in one call
        ]}, ADDED)
        assert [p["price"] for p in again["added"]] == ["640.00"]
        assert again["seriesCreated"] == []
        skipped = again["skipped"]
        assert [(s["index"], s["lotUrl"]) for s in skipped] == [
            (0, url), (2, "https://acme.example/lot/8")]
        assert skipped[0]["existingDataPoint"] == {"id": stored["id"], "price": "500.00"}
        assert skipped[1]["existingDataPoint"]["id"] == again["added"][0]["id"]
        assert "already stored" in skipped[0]["reason"]
        [typed] = await series(client, "testus")
        assert sorted(p["price"] for p in typed["dataPoints"]) == ["500.00", "640.00"]


GOOD = point("100.00", 1)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"citation": "RIC I² 207"}, "citation", "INVALID"),  # both key and citation
        ({"attributionKey": None}, "attributionKey", "REQUIRED"),
        ({"attributionKey": None, "citation": "Not A Catalogue 12"}, "citation", "INVALID"),
        ({"attributionKey": "RIC!!"}, "attributionKey", "INVALID"),
        ({"currency": "SEK"}, "currency", "INVALID"),  # no configured rate
        ({"currency": "dollars"}, "currency", "INVALID"),
        ({"price": "0"}, "price", "OUT_OF_RANGE"),
        ({"price": "10000000000.00"}, "price", "OUT_OF_RANGE"),
        ({"price": "12.345"}, "price", "INVALID"),
        ({"date": "2999-01-01"}, "date", "OUT_OF_RANGE"),
        ({"grade": "Splendid"}, "grade", "INVALID"),
        ({"lotUrl": "ftp://acme.example/1"}, "lotUrl", "INVALID"),
        ({"confidence": "certain"}, "confidence", "INVALID"),
        ({"auctionHouse": "x" * 201}, "auctionHouse", "INVALID"),
    ],
    ids=["key-and-citation", "no-key", "bad-citation", "bad-key", "no-rate", "bad-currency",
         "zero-price", "huge-price", "sub-cent", "future", "bad-grade", "bad-url",
         "bad-confidence", "long-house"],
)
async def test_each_point_rule_names_the_field(
    shared_market: GraphQLClient, change: dict[str, Any], field: str, code: str
) -> None:
    bad = {**GOOD, **change}
    error = await error_at(shared_market, "addMarketDataPoints", {"points": [GOOD, bad]},
                           ["input", "points", "1", field], code)
    assert error["message"]


async def test_no_rate_message_says_how_to_configure_it(shared_market: GraphQLClient) -> None:
    [error] = await refused(shared_market, "addMarketDataPoints",
                            {"points": [{**GOOD, "currency": "SEK"}]})
    assert "SEK=" in error["message"] and "COINSTACK_CURRENCY_RATES" in error["message"]


async def test_more_than_250_points_is_out_of_range(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "addMarketDataPoints", {"points": [GOOD] * 251},
                   ["input", "points"], "OUT_OF_RANGE")


async def test_one_bad_point_in_ten_adds_nothing(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        before = await series(client, "crawford.443.1")
        points = [point(f"{100 + i}.00", 1 + i, lotUrl=f"https://acme.example/r/{i}")
                  for i in range(10)]
        points[4] = {**points[4], "attributionKey": "crawford.443.1"}
        points[3] = {**points[3], "currency": "XAU"}
        errors = await refused(client, "addMarketDataPoints", {"points": points}, ADDED)
        assert [(e["field"], e["code"]) for e in errors] == [
            (["input", "points", "3", "currency"], "INVALID")]
        assert await series(client, "testus") == []  # no series created either
        assert await series(client, "crawford.443.1") == before


# ---- valueCoin


async def _worked_example(client: GraphQLClient) -> str:
    coin_id = await create_coin(client, grade="Ch VF", acquisitionPrice="750.00",
                                acquisitionCurrency="EUR")
    await run(client, "addMarketDataPoints", {"points": [
        point("400.00", 40, grade="Ch VF"),  # outside the 36-month window
        point("950.00", 26, grade="Ch VF"),
        point("800.00", 20, currency="EUR", grade="VF"),
        point("1100.00", 15, currency="CHF", grade="EF"),
        point("1000.00", 8, currency="EUR", grade="aEF"),
        point("1400.00", 3, grade="EF"),
    ]})
    return coin_id


async def test_value_coin_records_the_worked_example(migrated_db: str) -> None:
    async with market_client(migrated_db) as client:
        coin_id = await _worked_example(client)
        payload = await run(client, "valueCoin", {"coin": coin_id},
                            f"{VALUATION} coin {{ id latestValuation {{ id }} }}")
        valuation = payload["valuation"]
        assert {k: valuation[k] for k in ("currentMarketValue", "marketConfidence",
                                          "comparableCount", "purchasePrice", "gainLossUsd",
                                          "attributionKey")} == {
            "currentMarketValue": "994.40", "marketConfidence": "medium", "comparableCount": 5,
            "purchasePrice": "810.00", "gainLossUsd": "184.40", "attributionKey": TEST_KEY}
        assert float(valuation["priceTrend12mo"]) == 0.56
        assert float(valuation["gainLossPct"]) == 22.77
        assert payload["coin"] == {"id": coin_id, "latestValuation": {"id": valuation["id"]}}
        read = await query(client, "query C($id: ID!) { coin(id: $id) { valuations { id "
                                   "currentMarketValue } } }", id=coin_id)
        assert read["coin"]["valuations"] == [{"id": valuation["id"],
                                               "currentMarketValue": "994.40"}]


async def test_value_coin_with_a_short_window_and_without_comparables(migrated_db: str) -> None:
    async with market_client(migrated_db) as client:
        coin_id = await _worked_example(client)
        short = await run(client, "valueCoin", {"coin": coin_id, "windowMonths": 6}, VALUATION)
        assert short["valuation"]["comparableCount"] == 1  # the EF at USD 1,400 only
        assert short["valuation"]["currentMarketValue"] == "1120.00"
        lonely = await create_coin(client, issuer="Nobodius")
        none = await run(client, "valueCoin", {"coin": lonely}, VALUATION)
        assert none["valuation"]["currentMarketValue"] is None
        assert none["valuation"]["marketConfidence"] == "none"
        assert "No comparable sales" in none["valuation"]["notes"]


async def test_value_coin_refusals(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "valueCoin", {"coin": gid("Coin", MISSING)},
                   ["input", "coin"], "NOT_FOUND")
    await error_at(shared_market, "valueCoin", {"coin": gid("Coin", 34), "windowMonths": 121},
                   ["input", "windowMonths"], "OUT_OF_RANGE")
    message = await graphql_error(shared_market, "valueCoin", {"coin": gid("Mint", 1)})
    assert "must be the ID of a Coin" in message


async def test_value_coin_updates_collection_totals(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        coins = await query(client, "query { collections(first: 50) { nodes { id totalValue "
                                    "coins(first: 100) { nodes { databaseId } } } } }")
        holding = [c for c in coins["collections"]["nodes"]
                   if 34 in {n["databaseId"] for n in c["coins"]["nodes"]}]
        assert holding, "demo coin 34 belongs to a collection"
        await run(client, "addMarketDataPoints", {"points": [
            {"attributionKey": "crawford.443.1", "price": "90000.00", "source": "DEALER_ASKING",
             "date": months_ago(0, 1)} for _ in range(3)]})
        payload = await run(client, "valueCoin", {"coin": gid("Coin", 34)}, VALUATION)
        assert payload["valuation"]["currentMarketValue"] is not None
        after = await query(client, "query { collections(first: 50) { nodes { id totalValue } } }")
        totals = {c["id"]: c["totalValue"] for c in after["collections"]["nodes"]}
        for collection in holding:
            assert totals[collection["id"]] != collection["totalValue"], collection["id"]


# ---- revaluePortfolio


async def test_revalue_portfolio_values_every_coin(migrated_db: str) -> None:
    async with market_client(migrated_db) as client:
        valued = await _worked_example(client)
        await create_coin(client, issuer="Nobodius", estimatedValueUsd="50.00",
                          acquisitionPrice="40.00")
        payload = await run(client, "revaluePortfolio", {}, """valuedCount
            valuations { coin { id } currentMarketValue }
            portfolio { coinCount currentValueUsd totalCostUsd gainLossUsd }""")
        assert payload["valuedCount"] == 2
        values = {v["coin"]["id"]: v["currentMarketValue"] for v in payload["valuations"]}
        assert values[valued] == "994.40"
        # The unvalued coin counts at its estimate; cost EUR 750 = USD 810 plus USD 40.
        assert payload["portfolio"] == {"coinCount": 2, "currentValueUsd": "1044.40",
                                        "totalCostUsd": "850.00", "gainLossUsd": "194.40"}
        read = await query(client, "query { portfolio { currentValueUsd } }")
        assert read["portfolio"]["currentValueUsd"] == "1044.40"


async def test_revalue_portfolio_window_is_checked(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "revaluePortfolio", {"windowMonths": 0},
                   ["input", "windowMonths"], "OUT_OF_RANGE")
