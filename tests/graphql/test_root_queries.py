"""Every root Query field against the demo collection, values checked against the catalogue."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.references.citations import parse_citation
from tests.support.client import GraphQLClient, graphql_client

# Root field -> the tests below that exercise it (kept honest by the first test).
TESTED_ROOT_FIELDS = {
    "node", "nodes", "coin", "coins", "mints", "vocabTerms", "referenceType", "referenceTypes",
    "concordance", "collection", "collections", "series", "wishlistItems", "wishlistMatches",
    "priceAlerts", "marketPrices", "marketTrend", "portfolio", "promptTemplates",
    "enrichmentReviewQueue", "llmUsage", "auctionLots", "enrichmentBatch", "enrichmentBatches",
}


def gid(type_name: str, database_id: int | str) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def citation_keys() -> set[tuple[str, str]]:
    """(system, normalised number) of every reference type the demo loader creates."""
    citations = [r for c in cat.COINS for r in c.references]
    citations += [r for group in cat.CONCORDANCE_GROUPS for r in group]
    citations += [lot.primary_reference for lot in cat.AUCTION_LOTS]
    return {(str(p.system), p.normalized) for p in map(parse_citation, citations)}


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


@pytest.fixture(scope="module")
async def coin_ids(client: GraphQLClient) -> dict[str, int]:
    async with client.app.state.coinstack.engine.connect() as conn:
        rows = await conn.execute(
            select(ImportRecord.source_id, ImportRecord.coin_id).where(
                ImportRecord.source_type == "demo"
            )
        )
        return {key: coin_id for key, coin_id in rows.all()}


async def field_error(client: GraphQLClient, query: str) -> dict[str, Any]:
    response = await client.post(query)
    assert response.status_code == 200, response.text
    [error] = response.json()["errors"]
    return error


async def test_every_root_query_field_is_tested(client: GraphQLClient) -> None:
    data = await client.execute("{ __schema { queryType { fields { name } } } }")
    fields = {f["name"] for f in data["__schema"]["queryType"]["fields"]}
    assert fields - TESTED_ROOT_FIELDS == set(), "a root field without a test in this module"
    assert TESTED_ROOT_FIELDS - fields == set()


async def test_node_and_nodes(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    brutus = gid("Coin", coin_ids["rep-brutus-eid-mar-1"])
    data = await client.execute(
        """query($id: ID!, $ids: [ID!]!) {
            node(id: $id) { __typename id ... on Coin { issuer } }
            nodes(ids: $ids) { __typename ... on Mint { name } ... on Series { name } } }""",
        {"id": brutus, "ids": [gid("Mint", 1), gid("Series", 2)]},
    )
    assert data["node"] == {"__typename": "Coin", "id": brutus, "issuer": "M. Junius Brutus"}
    assert data["nodes"] == [
        {"__typename": "Mint", "name": cat.MINTS[0].name},
        {"__typename": "Series", "name": cat.SERIES[1].name},
    ]


async def test_coin_and_coins(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    data = await client.execute(
        """query($id: ID!) { coin(id: $id) { issuer denomination }
            coins(first: 3, orderBy: [{field: ACQUISITION_PRICE, direction: DESC}])
                { totalCount nodes { issuer acquisitionPrice } } }""",
        {"id": gid("Coin", coin_ids["grk-athens-owl-1"])},
    )
    assert data["coin"] == {"issuer": "Athens", "denomination": "tetradrachm"}
    dearest = sorted(cat.COINS, key=lambda c: c.acquisition_price, reverse=True)[:3]
    assert data["coins"]["totalCount"] == 162
    assert data["coins"]["nodes"] == [
        {"issuer": c.issuer, "acquisitionPrice": f"{c.acquisition_price:.2f}"} for c in dearest
    ]


async def test_mints(client: GraphQLClient) -> None:
    data = await client.execute("""{ all: mints { name province modernLocation latitude longitude }
        some: mints(search: "ANTI") { name } none: mints(search: "%") { name } }""")
    assert [m["name"] for m in data["all"]] == sorted(m.name for m in cat.MINTS)
    by_name = {m.name: m for m in cat.MINTS}
    for mint in data["all"]:
        demo = by_name[mint["name"]]
        assert (mint["province"], mint["modernLocation"]) == (demo.province, demo.modern_location)
        assert Decimal(mint["latitude"]) == Decimal(str(demo.latitude))
        assert Decimal(mint["longitude"]) == Decimal(str(demo.longitude))
    assert [m["name"] for m in data["some"]] == ["Antioch", "Constantinople"]
    assert data["none"] == []


async def test_vocab_terms(client: GraphQLClient) -> None:
    data = await client.execute("""{ all: vocabTerms { vocabulary canonicalName }
        dynasties: vocabTerms(vocabulary: DYNASTY) { canonicalName nomismaId nomismaUri }
        flavian: vocabTerms(vocabulary: DYNASTY, search: "flav") { canonicalName }
        caesar: vocabTerms(vocabulary: ISSUER, search: "caesar") { canonicalName } }""")
    assert Counter(t["vocabulary"] for t in data["all"]) == Counter(
        t.vocabulary.upper() for t in cat.VOCAB_TERMS
    )
    dynasties = [t for t in cat.VOCAB_TERMS if t.vocabulary == "dynasty"]
    assert [t["canonicalName"] for t in data["dynasties"]] == sorted(
        t.canonical_name for t in dynasties
    )
    for term in data["dynasties"]:
        nomisma = term["nomismaId"]
        assert term["nomismaUri"] == (f"http://nomisma.org/id/{nomisma}" if nomisma else None)
    assert data["flavian"] == [{"canonicalName": "Flavian"}]
    assert [t["canonicalName"] for t in data["caesar"]] == sorted(
        t.canonical_name for t in cat.VOCAB_TERMS
        if t.vocabulary == "issuer" and "caesar" in t.canonical_name.lower()
    )


async def test_reference_types_by_system_and_search(client: GraphQLClient) -> None:
    keys = citation_keys()
    data = await client.execute("""{ all: referenceTypes { totalCount }
        crawford: referenceTypes(system: CRAWFORD, first: 100) {
            totalCount nodes { localRef number } }
        found: referenceTypes(search: "508/3") { nodes { id localRef system } }
        ric207: referenceTypes(search: "207", system: RIC) { nodes { localRef } }
        none: referenceTypes(search: "%") { totalCount } }""")
    assert data["all"]["totalCount"] == len(keys) == 303
    crawford = data["crawford"]
    assert crawford["totalCount"] == sum(1 for s, _ in keys if s == "crawford") == 44
    numbers = [int(n["number"].split("/")[0]) for n in crawford["nodes"]]
    assert numbers == sorted(numbers)  # by number within the system
    assert data["found"]["nodes"][0]["localRef"] == "Crawford 508/3"
    assert {n["system"] for n in data["found"]["nodes"]} == {"CRAWFORD"}
    assert [n["localRef"] for n in data["ric207"]["nodes"]] == ["RIC I² 207"]
    assert data["none"]["totalCount"] == 0
    one = await client.execute(
        """query($id: ID!) { referenceType(id: $id) {
            id localRef system externalLinks { catalogSource } } }""",
        {"id": data["found"]["nodes"][0]["id"]},
    )
    assert one["referenceType"]["localRef"] == "Crawford 508/3"
    assert one["referenceType"]["externalLinks"] == [{"catalogSource": "CRRO"}]


@pytest.mark.parametrize(
    ("reference", "group"),
    [
        ("RSC I 43", cat.CONCORDANCE_GROUPS[0]),
        ("RIC I² 207", cat.CONCORDANCE_GROUPS[0]),
        ("Crawford 433/1", cat.CONCORDANCE_GROUPS[15]),
        ("CRI 216", cat.CONCORDANCE_GROUPS[18]),
        ("RPC II 2021", ("RPC II 2021",)),  # in no group: itself
        ("RIC I² 9999", ()),  # a valid citation of no known type
    ],
)
async def test_concordance(client: GraphQLClient, reference: str, group: tuple[str, ...]) -> None:
    data = await client.execute(
        "query($r: String!) { concordance(reference: $r) { localRef } }", {"r": reference}
    )
    assert sorted(t["localRef"] for t in data["concordance"]) == sorted(group)


async def test_concordance_of_an_unparseable_citation_is_an_error(client: GraphQLClient) -> None:
    error = await field_error(client, '{ concordance(reference: "my favourite coin") { id } }')
    assert error["message"].startswith("unrecognised catalogue 'my favourite coin'")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["concordance"]


async def test_collection_and_collections(client: GraphQLClient) -> None:
    data = await client.execute("""{ collections(first: 20) { totalCount nodes { id slug
        displayOrder isFavorite } } }""")
    top = [c for c in cat.COLLECTIONS if c.parent_key is None]
    assert data["collections"]["totalCount"] == len(top) == 7
    assert [n["slug"] for n in data["collections"]["nodes"]] == [
        c.slug for c in sorted(top, key=lambda c: c.display_order)
    ]
    assert data["collections"]["nodes"][0]["isFavorite"] is True
    ids = {n["slug"]: n["id"] for n in data["collections"]["nodes"]}
    children = await client.execute(
        """query($p: ID!) { collections(parent: $p) { nodes { slug parent { slug } } }
            collection(id: $p) { name smartFilter coinCount } }""",
        {"p": ids["roman-imperial"]},
    )
    assert children["collections"]["nodes"] == [
        {"slug": "severan-women", "parent": {"slug": "roman-imperial"}}
    ]
    assert children["collection"] == {
        "name": "Roman Imperial", "smartFilter": {"categories": ["imperial"]}, "coinCount": 51
    }
    missing = await client.execute(
        "query($id: ID!) { collection(id: $id) { id } }", {"id": gid("Collection", 999)}
    )
    assert missing == {"collection": None}


async def test_series(client: GraphQLClient) -> None:
    data = await client.execute("{ series { name slug description seriesType slotCount } }")
    assert data["series"] == [
        {"name": s.name, "slug": s.slug, "description": s.description,
         "seriesType": s.series_type, "slotCount": len(s.slots)}
        for s in sorted(cat.SERIES, key=lambda s: s.name)
    ]


async def test_wishlist_items_by_status_and_priority(client: GraphQLClient) -> None:
    data = await client.execute("""{ all: wishlistItems { totalCount nodes { title priority } }
        watching: wishlistItems(status: WATCHING) { nodes { title maxPrice catalogRef yearStart } }
        acquired: wishlistItems(status: ACQUIRED) { totalCount } }""")
    by_priority = sorted(enumerate(cat.WISHLIST), key=lambda t: (t[1].priority, t[0]))
    assert [n["title"] for n in data["all"]["nodes"]] == [w.title for _, w in by_priority]
    assert data["all"]["totalCount"] == 8
    assert data["watching"]["nodes"] == [{
        "title": "Akragas tetradrachm, eagles and crab", "maxPrice": "20000.00",
        "catalogRef": "SNG ANS 979", "yearStart": -420,
    }]
    assert data["acquired"]["totalCount"] == 0


async def test_wishlist_matches_before_a_scan(client: GraphQLClient) -> None:
    data = await client.execute("""query($item: ID!) {
        all: wishlistMatches { totalCount edges { cursor } }
        mine: wishlistMatches(wishlistItem: $item, includeDismissed: true) { totalCount } }""",
        {"item": gid("WishlistItem", 1)})
    assert data == {"all": {"totalCount": 0, "edges": []}, "mine": {"totalCount": 0}}
    error = await field_error(
        client, '{ wishlistMatches(wishlistItem: "' + gid("Coin", 1) + '") { totalCount } }'
    )
    assert error["message"] == (
        "Argument 'wishlistItem' must be the ID of a WishlistItem, not of a Coin"
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, 7), ("ACTIVE", 5), ("PAUSED", 1), ("EXPIRED", 1), ("TRIGGERED", 0)],
)
async def test_price_alerts_by_status(
    client: GraphQLClient, status: str | None, expected: int
) -> None:
    arg = f"(status: {status})" if status else ""
    data = await client.execute(
        f"{{ priceAlerts{arg} {{ totalCount nodes {{ status attributionKey }} }} }}"
    )
    alerts = data["priceAlerts"]
    want = [a for a in cat.PRICE_ALERTS if status is None or a.status == status.lower()]
    assert alerts["totalCount"] == len(want) == expected
    assert [n["status"] for n in alerts["nodes"]] == [a.status.upper() for a in want]


async def test_market_prices(client: GraphQLClient) -> None:
    data = await client.execute("""{ all: marketPrices(first: 100) { totalCount
            nodes { attributionKey catalogRef dataPoints(limit: 1000) { price date currency } } }
        crawford: marketPrices(search: "crawford 443") { nodes { attributionKey } }
        key: marketPrices(search: "crawford.443.1") { nodes { attributionKey catalogRef
            dataPoints(limit: 3) { date } } } }""")
    nodes = data["all"]["nodes"]
    assert data["all"]["totalCount"] == len(nodes) == 33
    keys = [n["attributionKey"] for n in nodes]
    assert keys == sorted(keys)
    for node in nodes:
        dates = [p["date"] for p in node["dataPoints"]]
        assert dates == sorted(dates, reverse=True)  # newest first
        assert dates
    [elephant] = data["key"]["nodes"]
    assert (elephant["attributionKey"], elephant["catalogRef"]) == (
        "crawford.443.1", "Crawford 443/1"
    )
    assert len(elephant["dataPoints"]) == 3
    assert data["crawford"]["nodes"] == [{"attributionKey": "crawford.443.1"}]
    realised = [
        lot for lot in cat.AUCTION_LOTS
        if lot.sold and parse_citation(lot.primary_reference).normalized == "crawford.443.1"
    ]
    all_elephant = next(n for n in nodes if n["attributionKey"] == "crawford.443.1")
    assert len(all_elephant["dataPoints"]) == len(realised)
    assert sorted(Decimal(p["price"]) for p in all_elephant["dataPoints"]) == sorted(
        lot.total_price for lot in realised if lot.total_price is not None
    )


async def test_market_trend(client: GraphQLClient) -> None:
    data = await client.execute("""{
        trend: marketTrend(attributionKey: "crawford.443.1", months: 120)
            { month medianUsd count minUsd maxUsd }
        byCitation: marketTrend(attributionKey: "Crawford 443/1", months: 120) { month count }
        points: marketPrices(search: "crawford.443.1") { nodes {
            dataPoints(limit: 1000) { date price currency } } } }""")
    points = data["points"]["nodes"][0]["dataPoints"]
    today = datetime.now(UTC).date()  # the server's clock is UTC
    first = date(today.year - 10 + (today.month == 12), (today.month % 12) + 1, 1)
    usd: dict[str, list[Decimal]] = {}
    for p in points:  # only USD has a rate in the test settings
        if p["currency"] == "USD" and first.isoformat() <= p["date"] <= today.isoformat():
            usd.setdefault(p["date"][:7] + "-01", []).append(Decimal(p["price"]))
    trend = data["trend"]
    assert [t["month"] for t in trend] == sorted(usd)
    for t in trend:
        prices = sorted(usd[t["month"]])
        assert t["count"] == len(prices)
        assert (Decimal(t["minUsd"]), Decimal(t["maxUsd"])) == (prices[0], prices[-1])
        if len(prices) == 1:
            assert Decimal(t["medianUsd"]) == prices[0]
    assert data["byCitation"] == [{"month": t["month"], "count": t["count"]} for t in trend]
    error = await field_error(
        client, '{ marketTrend(attributionKey: "crawford.443.1", months: 0) { month } }'
    )
    assert error["message"] == "months must be 1 to 120; got 0"


async def test_portfolio(client: GraphQLClient) -> None:
    data = await client.execute("""{ portfolio { coinCount totalCostUsd coinsWithoutCost
        currentValueUsd missingRates coinsWithoutValuationCount
        byCategory { key coinCount costUsd } byMetal { key coinCount }
        byCollection { key label coinCount valueUsd } }
        collections(first: 20) { nodes { id coinCount totalValue
            children { id coinCount totalValue } } } }""")
    coins = """query($after: String) { coins(first: 100, after: $after) { pageInfo { endCursor }
        nodes { estimatedValueUsd latestValuation { currentMarketValue } } } }"""
    page = (await client.execute(coins))["coins"]
    rest = (await client.execute(coins, {"after": page["pageInfo"]["endCursor"]}))["coins"]
    p = data["portfolio"]
    usd = [c for c in cat.COINS if c.acquisition_currency == "USD"]
    assert p["coinCount"] == 162
    # the test settings know only USD: other currencies have no rate, their coins no cost
    assert p["missingRates"] == sorted({c.acquisition_currency for c in cat.COINS} - {"USD"})
    assert p["coinsWithoutCost"] == 162 - len(usd)
    assert Decimal(p["totalCostUsd"]) == sum(c.acquisition_price for c in usd)
    values = [
        (n["latestValuation"] or {}).get("currentMarketValue") or n["estimatedValueUsd"]
        for n in page["nodes"] + rest["nodes"]
    ]
    assert len(values) == 162
    assert Decimal(p["currentValueUsd"]) == sum(Decimal(v) for v in values if v is not None)
    assert p["coinsWithoutValuationCount"] == sum(1 for v in values if v is None)
    assert {r["key"]: r["coinCount"] for r in p["byCategory"]} == {
        k.upper(): n for k, n in Counter(c.category for c in cat.COINS).items()
    }
    for row in p["byCategory"]:
        assert Decimal(row["costUsd"]) == sum(
            c.acquisition_price for c in usd if c.category.upper() == row["key"]
        )
    assert {r["key"]: r["coinCount"] for r in p["byMetal"]} == {
        k.upper(): n for k, n in Counter(c.metal for c in cat.COINS).items()
    }
    collections = {n["id"]: n for n in data["collections"]["nodes"]}
    collections.update({c["id"]: c for n in data["collections"]["nodes"] for c in n["children"]})
    assert {r["key"] for r in p["byCollection"]} == set(collections)
    for row in p["byCollection"]:
        assert row["coinCount"] == collections[row["key"]]["coinCount"]
        assert Decimal(row["valueUsd"]) == Decimal(collections[row["key"]]["totalValue"] or 0)


async def test_prompt_templates(client: GraphQLClient) -> None:
    data = await client.execute("""{ all: promptTemplates { capability version variantName
            isActive trafficWeight systemPrompt userTemplate }
        one: promptTemplates(capability: LEGEND_EXPAND, activeOnly: true) {
            capability version } }""")
    templates = data["all"]
    assert [t["capability"] for t in templates] == sorted(
        ["ATTRIBUTION_SUGGEST", "CATALOG_SUGGEST", "CONDITION_DESCRIBE", "CONTEXT_GENERATE",
         "LEGEND_EXPAND"]
    )
    assert {(t["version"], t["variantName"], t["isActive"]) for t in templates} == {
        (1, "default", True)
    }
    assert all(Decimal(t["trafficWeight"]) == 1 and t["systemPrompt"] and t["userTemplate"]
               for t in templates)
    assert data["one"] == [{"capability": "LEGEND_EXPAND", "version": 1}]


async def test_enrichment_review_queue_and_usage_are_empty_in_the_demo(
    client: GraphQLClient,
) -> None:
    data = await client.execute("""{
        queue: enrichmentReviewQueue { totalCount pageInfo { hasNextPage } }
        legend: enrichmentReviewQueue(capability: LEGEND_EXPAND, first: 5) { totalCount }
        usage: llmUsage { date }
        ranged: llmUsage(from: "2026-01-01", to: "2026-12-31", capability: CONTEXT_GENERATE) {
            date } }""")
    assert data == {
        "queue": {"totalCount": 0, "pageInfo": {"hasNextPage": False}},
        "legend": {"totalCount": 0},
        "usage": [],
        "ranged": [],
    }


async def test_enrichment_batches_are_empty_in_the_demo(client: GraphQLClient) -> None:
    unknown = gid("EnrichmentBatch", "00000000-0000-0000-0000-000000000000")
    data = await client.execute(
        """query($id: ID!) { enrichmentBatch(id: $id) { id }
            all: enrichmentBatches { totalCount edges { cursor } }
            running: enrichmentBatches(status: RUNNING, first: 5) { totalCount } }""",
        {"id": unknown},
    )
    assert data == {
        "enrichmentBatch": None,
        "all": {"totalCount": 0, "edges": []},
        "running": {"totalCount": 0},
    }
    error = await field_error(
        client, '{ enrichmentBatch(id: "' + gid("Coin", 1) + '") { id } }'
    )
    assert error["path"] == ["enrichmentBatch"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


AUCTION_FILTERS: list[tuple[dict[str, Any], Any]] = [
    ({}, lambda lot: True),
    ({"auctionHouse": "cng"}, lambda lot: "cng" in lot.auction_house.lower()),
    ({"sold": False}, lambda lot: lot.sold is False),
    ({"sold": True, "priceMin": "5000"},
     lambda lot: lot.sold is True and lot.total_price >= 5000),
    ({"priceMax": "300.00"}, lambda lot: lot.total_price is not None and lot.total_price <= 300),
    ({"dateFrom": "2024-01-01", "dateTo": "2024-12-31"},
     lambda lot: date(2024, 1, 1) <= lot.auction_date <= date(2024, 12, 31)),
    ({"linkedToCollection": False}, lambda lot: lot.coin_key is None),
    ({"ruler": "vitellius"}, lambda lot: "vitellius" in lot.ruler.lower()),
    ({"denomination": "solidus"}, lambda lot: "solidus" in lot.denomination.lower()),
    ({"reference": "Crawford 443"}, lambda lot: "crawford 443" in lot.primary_reference.lower()),
    ({"search": "elephant"}, lambda lot: "elephant" in lot.title.lower()),
]


@pytest.mark.parametrize(("filter", "predicate"), AUCTION_FILTERS)
async def test_auction_lots(client: GraphQLClient, filter: dict[str, Any], predicate: Any) -> None:
    data = await client.execute(
        """query($f: AuctionLotFilter) { auctionLots(filter: $f, first: 100) { totalCount
            nodes { auctionHouse saleName lotNumber auctionDate url totalPrice sold } } }""",
        {"f": filter},
    )
    want = [lot for lot in cat.AUCTION_LOTS if predicate(lot)]
    lots = data["auctionLots"]
    assert lots["totalCount"] == len(want)
    assert {n["url"] for n in lots["nodes"]} <= {lot.url for lot in want}
    assert len(lots["nodes"]) == min(100, len(want))
    dates = [n["auctionDate"] for n in lots["nodes"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    if filter == {}:
        assert lots["totalCount"] == 148
        newest = max(cat.AUCTION_LOTS, key=lambda lot: lot.auction_date)
        assert dates[0] == newest.auction_date.isoformat()
        assert lots["nodes"][0]["sold"] is None  # an upcoming lot
