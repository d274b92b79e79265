"""Keyset pagination of `coins`: both directions, every ordering, cursors, counts, refusals."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.demo import catalogue as cat
from tests.support.client import GraphQLClient, graphql_client
from tests.support.databases import copy_of

COINS = """query($orderBy: [CoinOrder!], $filter: CoinFilter, $first: Int, $after: String,
                 $last: Int, $before: String) {
  coins(orderBy: $orderBy, filter: $filter, first: $first, after: $after, last: $last,
        before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { databaseId yearStart weightG acquisitionPrice acquisitionDate issuer
                          estimatedValueUsd latestValuation { currentMarketValue } } }
  }
}"""
ORDERINGS = {
    "id": None,
    "id desc": [{"field": "ID", "direction": "DESC"}],
    "year asc": [{"field": "YEAR_START"}],
    "year desc": [{"field": "YEAR_START", "direction": "DESC"}],
    "price desc": [{"field": "ACQUISITION_PRICE", "direction": "DESC"}],
    "value desc": [{"field": "CURRENT_VALUE", "direction": "DESC"}],
    "weight asc": [{"field": "WEIGHT_G"}],
    "acquired desc, year": [
        {"field": "ACQUISITION_DATE", "direction": "DESC"}, {"field": "YEAR_START"}
    ],
    "issuer": [{"field": "ISSUER"}],
}


def gid(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def raw_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def current_value(node: dict[str, Any]) -> Decimal | None:
    """Latest valuation's market value, else the owner's estimate (coins/value.py)."""
    value = (node["latestValuation"] or {}).get("currentMarketValue") or node["estimatedValueUsd"]
    return None if value is None else Decimal(value)


@pytest.fixture(scope="module")
def nulls_db(demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy where two coins lost their acquisition price (made before any client connects)."""
    with copy_of(demo_template, Path(tmp_path_factory.mktemp("pagination"))) as url:
        yield url


@pytest.fixture(scope="module")
async def nulls_client(nulls_db: str) -> AsyncIterator[tuple[GraphQLClient, list[int]]]:
    async with graphql_client(nulls_db) as c:
        cleared = [7, 100]
        for coin_id in cleared:
            data = await c.execute(
                """mutation($id: ID!) { updateCoin(input: {id: $id, acquisitionPrice: null}) {
                    userErrors { message } coin { acquisitionPrice } } }""",
                {"id": gid("Coin", coin_id)},
            )
            assert data["updateCoin"] == {"userErrors": [], "coin": {"acquisitionPrice": None}}
        yield c, cleared


@pytest.fixture(scope="module")
async def client(nulls_client: Any, demo_db: str) -> AsyncIterator[GraphQLClient]:
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


async def forward(
    client: GraphQLClient, order: Any, size: int, filter: Any = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All nodes paging forward, and each page's connection."""
    nodes: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await client.execute(
            COINS, {"orderBy": order, "first": size, "after": after, "filter": filter}
        ))["coins"]
        pages.append(page)
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, pages
        after = page["pageInfo"]["endCursor"]
        assert len(pages) < 50, "pagination does not end"


async def backward(client: GraphQLClient, order: Any, size: int) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    before = None
    for _ in range(50):
        page = (await client.execute(
            COINS, {"orderBy": order, "last": size, "before": before}
        ))["coins"]
        nodes = [e["node"] for e in page["edges"]] + nodes
        if not page["pageInfo"]["hasPreviousPage"]:
            return nodes
        before = page["pageInfo"]["startCursor"]
    raise AssertionError("backward pagination does not end")


def ids(nodes: list[dict[str, Any]]) -> list[int]:
    return [n["databaseId"] for n in nodes]


# --- forward and backward --------------------------------------------------------------


async def test_forward_pages_visit_every_coin_once_in_id_order(client: GraphQLClient) -> None:
    nodes, pages = await forward(client, None, 25)
    assert ids(nodes) == list(range(1, 163))
    assert len(pages) == 7
    for i, page in enumerate(pages):
        info = page["pageInfo"]
        assert page["totalCount"] == 162
        assert info["hasPreviousPage"] is (i > 0)
        assert info["hasNextPage"] is (i < len(pages) - 1)
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
    assert [len(p["edges"]) for p in pages] == [25, 25, 25, 25, 25, 25, 12]


async def test_backward_pages_reproduce_the_order(client: GraphQLClient) -> None:
    assert ids(await backward(client, None, 25)) == list(range(1, 163))
    last = (await client.execute(COINS, {"last": 5}))["coins"]
    assert ids([e["node"] for e in last["edges"]]) == [158, 159, 160, 161, 162]
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, False)


async def test_cursors_are_stable_across_page_sizes(client: GraphQLClient) -> None:
    """The cursor of a coin does not depend on which page it was read from."""
    order = ORDERINGS["year desc"]
    cursors: dict[int, dict[int, str]] = {}
    sequences: dict[int, list[int]] = {}
    for size in (17, 40):
        _, pages = await forward(client, order, size)
        edges = [e for p in pages for e in p["edges"]]
        cursors[size] = {e["node"]["databaseId"]: e["cursor"] for e in edges}
        sequences[size] = [e["node"]["databaseId"] for e in edges]
    assert sequences[17] == sequences[40]
    assert cursors[17] == cursors[40]
    assert len(cursors[17]) == 162
    # resuming after any cursor continues exactly where the full order does
    full = sequences[17]
    for position in (0, 41, 100, 160):
        page = (await client.execute(
            COINS, {"orderBy": order, "first": 3, "after": cursors[40][full[position]]}
        ))["coins"]
        assert ids([e["node"] for e in page["edges"]]) == full[position + 1 : position + 4]


async def test_default_page_is_twenty(client: GraphQLClient) -> None:
    page = (await client.execute(COINS, {}))["coins"]
    assert ids([e["node"] for e in page["edges"]]) == list(range(1, 21))
    assert page["pageInfo"]["hasNextPage"] is True


async def test_an_empty_page_after_the_end(client: GraphQLClient) -> None:
    last = (await client.execute(COINS, {"last": 1}))["coins"]
    page = (await client.execute(
        COINS, {"first": 10, "after": last["pageInfo"]["endCursor"]}
    ))["coins"]
    assert page["edges"] == []
    assert page["totalCount"] == 162
    assert page["pageInfo"] == {
        "hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None
    }


# --- orderings ---------------------------------------------------------------------------


def expected_order(name: str, coin_ids: dict[str, int]) -> list[int] | None:
    """The order computed from the catalogue (ties on the coin's id, ascending)."""
    coins = [(coin_ids[c.key], c) for c in cat.COINS]
    keys: dict[str, Any] = {
        "id": lambda t: t[0],
        "id desc": lambda t: -t[0],
        "year asc": lambda t: (t[1].year_start, t[0]),
        "year desc": lambda t: (-t[1].year_start, t[0]),
        "price desc": lambda t: (-t[1].acquisition_price, t[0]),
        "weight asc": lambda t: (t[1].weight_g, t[0]),
        "acquired desc, year": lambda t: (
            -t[1].acquisition_date.toordinal(), t[1].year_start, t[0]
        ),
    }
    if name not in keys:
        return None
    return [coin_id for coin_id, _ in sorted(coins, key=keys[name])]


@pytest.mark.parametrize("name", list(ORDERINGS))
async def test_ordering_forward_and_backward(
    client: GraphQLClient, coin_ids: dict[str, int], name: str
) -> None:
    order = ORDERINGS[name]
    nodes, pages = await forward(client, order, 50)
    assert len(ids(nodes)) == len(set(ids(nodes))) == 162
    assert {p["totalCount"] for p in pages} == {162}
    expected = expected_order(name, coin_ids)
    if expected is not None:
        assert ids(nodes) == expected
    assert ids(await backward(client, order, 50)) == ids(nodes)


async def test_bc_years_sort_before_ad_years(client: GraphQLClient) -> None:
    nodes, _ = await forward(client, ORDERINGS["year asc"], 100)
    years = [n["yearStart"] for n in nodes]
    assert years == sorted(years)
    assert years[0] == -470  # the Aegina turtle, the oldest coin
    assert years[-1] == 1195  # the hyperpyron of Alexius III
    first_ad = next(i for i, y in enumerate(years) if y > 0)
    assert all(y < 0 for y in years[:first_ad])
    assert first_ad == sum(1 for c in cat.COINS if c.year_start < 0)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_current_value_puts_unvalued_coins_last(
    client: GraphQLClient, direction: str
) -> None:
    nodes, _ = await forward(client, [{"field": "CURRENT_VALUE", "direction": direction}], 50)
    values = [current_value(n) for n in nodes]
    known = [v for v in values if v is not None]
    assert 0 < len(known) < 162
    assert values[: len(known)] == sorted(known, reverse=direction == "DESC")
    assert all(v is None for v in values[len(known):])
    unvalued = [n["databaseId"] for n in nodes[len(known):]]
    assert unvalued == sorted(unvalued)  # ties (NULLs) break on the id, ascending


async def test_issuer_order_is_by_issuer_then_id(client: GraphQLClient) -> None:
    nodes, _ = await forward(client, ORDERINGS["issuer"], 100)
    pairs = [(n["issuer"], n["databaseId"]) for n in nodes]
    # each issuer's coins form one run, by id; runs follow the database's text order
    runs = [issuer for i, (issuer, _) in enumerate(pairs) if i == 0 or pairs[i - 1][0] != issuer]
    assert len(runs) == len(set(runs)) == len({c.issuer for c in cat.COINS})
    for issuer in runs:
        group = [coin_id for name, coin_id in pairs if name == issuer]
        assert group == sorted(group)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_null_acquisition_prices_sort_last_both_ways(
    nulls_client: tuple[GraphQLClient, list[int]], direction: str
) -> None:
    c, cleared = nulls_client
    order = [{"field": "ACQUISITION_PRICE", "direction": direction}]
    nodes, _ = await forward(c, order, 20)
    assert ids(nodes)[-2:] == cleared
    prices = [Decimal(n["acquisitionPrice"]) for n in nodes[:-2]]
    assert prices == sorted(prices, reverse=direction == "DESC")
    assert ids(await backward(c, order, 20)) == ids(nodes)
    tail = (await c.execute(COINS, {"orderBy": order, "last": 3}))["coins"]
    assert [e["node"]["acquisitionPrice"] for e in tail["edges"]][1:] == [None, None]


# --- totalCount ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter", "where"),
    [
        (None, []),
        ({"category": ["IMPERIAL"]}, [Coin.category == "imperial"]),
        ({"metal": ["GOLD", "ELECTRUM"]}, [Coin.metal.in_(["gold", "electrum"])]),
        ({"yearTo": -44}, [Coin.year_start <= -44]),
        ({"category": ["REPUBLIC"], "yearFrom": -50}, [
            Coin.category == "republic", func.coalesce(Coin.year_end, Coin.year_start) >= -50
        ]),
        ({"search": "no such coin anywhere"}, [Coin.id < 0]),
    ],
)
async def test_total_count_equals_a_direct_count(
    client: GraphQLClient, filter: Any, where: list[Any]
) -> None:
    async with client.app.state.coinstack.engine.connect() as conn:
        counted = await conn.execute(select(func.count()).select_from(Coin).where(*where))
        direct = counted.scalar_one()
    alone = await client.execute(
        "query($f: CoinFilter) { coins(filter: $f) { totalCount } }", {"f": filter}
    )
    assert alone["coins"]["totalCount"] == direct
    nodes, pages = await forward(client, None, 100, filter)
    assert len(nodes) == direct
    assert {p["totalCount"] for p in pages} == {direct}


async def test_total_count_of_known_filters(client: GraphQLClient) -> None:
    data = await client.execute("""{
        imperial: coins(filter: {category: [IMPERIAL]}) { totalCount }
        byzantineGold: coins(filter: {category: [BYZANTINE], metal: [GOLD]}) { totalCount }
        bc: coins(filter: {yearTo: -1}) { totalCount }
    }""")
    assert data["imperial"]["totalCount"] == 51
    assert data["byzantineGold"]["totalCount"] == 10
    assert data["bc"]["totalCount"] == sum(1 for c in cat.COINS if c.year_start <= -1)


# --- refusals -----------------------------------------------------------------------------


async def error_of(client: GraphQLClient, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(COINS, variables)
    assert response.status_code == 200  # a field error: executed, `data` is null
    payload = response.json()
    assert payload["data"] is None
    [error] = payload["errors"]
    assert error["path"] == ["coins"]
    return error


@pytest.mark.parametrize(
    ("variables", "message", "code"),
    [
        ({"first": 5, "last": 5}, "Pass either 'first' or 'last', not both", "BAD_USER_INPUT"),
        ({"first": 0}, "Argument 'first' must be between 1 and 100 (got 0)", "OUT_OF_RANGE"),
        ({"first": -3}, "Argument 'first' must be between 1 and 100 (got -3)", "OUT_OF_RANGE"),
        ({"last": 101}, "Argument 'last' must be between 1 and 100 (got 101)", "OUT_OF_RANGE"),
        ({"after": "garbage"}, "Argument 'after' is not a valid cursor", "BAD_USER_INPUT"),
        ({"before": "Zm9v"}, "Argument 'before' is not a valid cursor", "BAD_USER_INPUT"),
        ({"after": raw_cursor("c1:[{\"D\": \"not a date\"}]")},
         "Argument 'after' is not a valid cursor", "BAD_USER_INPUT"),
        ({"after": raw_cursor("c1:[[1, 2]]")}, "Argument 'after' is not a valid cursor",
         "BAD_USER_INPUT"),
    ],
)
async def test_bad_paging_arguments_are_errors(
    client: GraphQLClient, variables: dict[str, Any], message: str, code: str
) -> None:
    error = await error_of(client, variables)
    assert error["message"] == message
    assert error["extensions"]["code"] == code


async def test_cursor_of_another_ordering_is_refused(client: GraphQLClient) -> None:
    page = (await client.execute(COINS, {"first": 3}))["coins"]
    cursor = page["pageInfo"]["endCursor"]
    error = await error_of(client, {"orderBy": ORDERINGS["year asc"], "first": 3, "after": cursor})
    assert error["message"] == (
        "Argument 'after' is a cursor from a different ordering; restart pagination without it"
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    year = (await client.execute(COINS, {"orderBy": ORDERINGS["year asc"], "first": 3}))["coins"]
    error = await error_of(client, {"before": year["pageInfo"]["endCursor"], "last": 2})
    assert "different ordering" in error["message"]


@pytest.mark.parametrize(
    ("made_with", "used_with"),
    [("weight asc", "year asc"), ("year asc", "year desc"), ("id", "id desc")],
)
async def test_cursor_of_an_ordering_with_as_many_keys_is_refused(
    client: GraphQLClient, made_with: str, used_with: str
) -> None:
    page = (await client.execute(COINS, {"orderBy": ORDERINGS[made_with], "first": 3}))["coins"]
    error = await error_of(
        client,
        {"orderBy": ORDERINGS[used_with], "first": 3, "after": page["pageInfo"]["endCursor"]},
    )
    assert "different ordering" in error["message"]


@pytest.mark.parametrize(
    ("order", "forged"),
    [
        ("id", "c1:[true]"),
        ("id", "c1:[\"abc\"]"),
        ("id", "c1:[99999999999999999999999]"),
        ("year asc", "c1:[0, \"x\", 3]"),
    ],
)
async def test_forged_cursor_values_are_client_errors(
    client: GraphQLClient, order: str, forged: str
) -> None:
    error = await error_of(
        client, {"orderBy": ORDERINGS[order], "first": 3, "after": raw_cursor(forged)}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "Argument 'after' is not a valid cursor"
