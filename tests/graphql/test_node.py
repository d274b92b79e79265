"""Relay identity: `node`/`nodes` round trips, and malformed or foreign IDs as clear errors."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.http.request_parsing import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON
from tests.support.client import GraphQLClient, graphql_client

BOTH = pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, APPLICATION_JSON])
ENTITY = "__typename id databaseId"
HARVEST = f"""query($brutus: ID!, $countermarked: ID!) {{
  brutus: coin(id: $brutus) {{
    {ENTITY}
    issuerTerm {{ {ENTITY} }}
    provenanceEvents {{ {ENTITY} }}
    gradingHistory {{ {ENTITY} }}
    rarityAssessments {{ {ENTITY} }}
    censusSnapshots {{ {ENTITY} }}
    valuations {{ {ENTITY} }}
    auctionData {{ {ENTITY} }}
    references {{ {ENTITY} referenceType {{ {ENTITY} externalLinks {{ {ENTITY} }} }} }}
  }}
  countermarked: coin(id: $countermarked) {{
    {ENTITY} mint {{ {ENTITY} }} countermarks {{ {ENTITY} }}
  }}
  collections(first: 2) {{ nodes {{ {ENTITY} }} }}
  series {{ {ENTITY} slots {{ {ENTITY} }} }}
  wishlistItems(first: 2) {{ nodes {{ {ENTITY} }} }}
  priceAlerts(first: 2) {{ nodes {{ {ENTITY} }} }}
  marketPrices(first: 1) {{ nodes {{ {ENTITY} dataPoints(limit: 2) {{ {ENTITY} }} }} }}
  promptTemplates {{ {ENTITY} }}
}}"""


def gid(type_name: str, database_id: int | str) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def entities(value: Any) -> list[dict[str, Any]]:
    """Every object with __typename, id and databaseId inside a response."""
    found: list[dict[str, Any]] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            if {"__typename", "id", "databaseId"} <= set(item):
                found.append({k: item[k] for k in ("__typename", "id", "databaseId")})
            pending.extend(item.values())
    return found


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


@pytest.fixture(scope="module")
async def harvested(client: GraphQLClient, coin_ids: dict[str, int]) -> list[dict[str, Any]]:
    data = await client.execute(HARVEST, {
        "brutus": gid("Coin", coin_ids["rep-brutus-eid-mar-1"]),
        "countermarked": gid("Coin", coin_ids["prov-domitian-antioch-sc-cm-1"]),
    })
    unique = {e["id"]: e for e in entities(data)}
    return list(unique.values())


async def test_harvest_covers_many_types(harvested: list[dict[str, Any]]) -> None:
    assert {e["__typename"] for e in harvested} >= {
        "Coin", "Mint", "VocabTerm", "ProvenanceEvent", "Countermark", "GradingEvent",
        "RarityAssessment", "CensusSnapshot", "CoinValuation", "AuctionLot", "CoinReference",
        "ReferenceType", "ExternalCatalogLink", "Collection", "Series", "SeriesSlot",
        "WishlistItem", "PriceAlert", "MarketPrice", "MarketDataPoint", "PromptTemplate",
    }


async def test_global_ids_encode_type_and_database_id(harvested: list[dict[str, Any]]) -> None:
    for entity in harvested:
        assert entity["id"] == gid(entity["__typename"], entity["databaseId"])


async def test_nodes_round_trip_every_type(
    client: GraphQLClient, harvested: list[dict[str, Any]]
) -> None:
    types = sorted({e["__typename"] for e in harvested})
    fragments = " ".join(f"... on {t} {{ databaseId }}" for t in types)
    for start in range(0, len(harvested), 100):
        chunk = harvested[start : start + 100]
        data = await client.execute(
            f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ __typename id {fragments} }} }}",
            {"ids": [e["id"] for e in chunk]},
        )
        assert data["nodes"] == chunk  # same order, same type, same ids


async def test_node_round_trips_one_of_each_type(
    client: GraphQLClient, harvested: list[dict[str, Any]]
) -> None:
    one_each = {e["__typename"]: e for e in harvested}
    aliases = " ".join(
        f'n{i}: node(id: "{e["id"]}") {{ __typename id ... on {t} {{ databaseId }} }}'
        for i, (t, e) in enumerate(sorted(one_each.items()))
    )
    data = await client.execute(f"{{ {aliases} }}")
    assert list(data.values()) == [e for _, e in sorted(one_each.items())]


async def test_node_resolves_to_the_full_object(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    data = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Coin { issuer weightG reverseLegend
            references { referenceType { localRef } } } } }""",
        {"id": gid("Coin", coin_ids["rep-brutus-eid-mar-1"])},
    )
    assert data["node"]["issuer"] == "M. Junius Brutus"
    assert data["node"]["weightG"] == "3.780"
    assert data["node"]["reverseLegend"] == "EID MAR"
    assert data["node"]["references"][0]["referenceType"]["localRef"] == "Crawford 508/3"


async def test_nodes_keep_order_and_null_missing(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    brutus = coin_ids["rep-brutus-eid-mar-1"]
    ids = [gid("Mint", 3), gid("Coin", 999_999), gid("Coin", brutus), gid("Series", 77),
           gid("Coin", brutus), gid("Collection", 1)]
    data = await client.execute(
        """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
            ... on Coin { issuer } ... on Collection { name } ... on Mint { name } } }""",
        {"ids": ids},
    )
    assert data["nodes"] == [
        {"__typename": "Mint", "id": ids[0], "name": cat.MINTS[2].name},
        None,
        {"__typename": "Coin", "id": ids[2], "issuer": "M. Junius Brutus"},
        None,
        {"__typename": "Coin", "id": ids[2], "issuer": "M. Junius Brutus"},
        {"__typename": "Collection", "id": ids[5], "name": "Twelve Caesars"},
    ]
    empty = await client.execute("{ nodes(ids: []) { id } }")
    assert empty == {"nodes": []}


async def test_more_than_a_hundred_nodes_is_an_error(client: GraphQLClient) -> None:
    response = await client.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("Coin", i) for i in range(1, 102)]},
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] is None
    assert payload["errors"][0]["message"] == "At most 100 ids per request (got 101)"


MALFORMED = [
    ("abc", "'abc' is not a valid ID"),
    ("", "'' is not a valid ID"),
    ("!!!!", "'!!!!' is not a valid ID"),
    (b64("Coin:x"), f"'{b64('Coin:x')}' is not a valid ID"),
    (b64("Coin:"), f"'{b64('Coin:')}' is not a valid ID"),
    (b64(":42"), f"'{b64(':42')}' is not a valid ID"),
    (b64("Coin:-1"), f"'{b64('Coin:-1')}' is not a valid ID"),
    (b64("Coin:1e3"), f"'{b64('Coin:1e3')}' is not a valid ID"),
    (b64("Coin:" + "9" * 19), f"'{b64('Coin:' + '9' * 19)}' is not a valid ID"),
    (base64.b64encode(b"\xff\xfe:1").decode(), "is not a valid ID"),
]


@BOTH
@pytest.mark.parametrize(("bad", "message"), MALFORMED)
@pytest.mark.parametrize("field", ["node", "coin"])
async def test_malformed_id_is_a_clear_error(
    client: GraphQLClient, accept: str, bad: str, message: str, field: str
) -> None:
    response = await client.post(
        f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": bad}, headers={"accept": accept}
    )
    # a field error: the operation ran, so 200 under either media type, never 500
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    payload = response.json()
    assert payload["data"] == {field: None}
    [error] = payload["errors"]
    assert error["message"].endswith(message)
    assert error["path"] == [field]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cost" in payload["extensions"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f'{{ node(id: "{b64("Unknown:1")}") {{ id }} }}',
         f"'{b64('Unknown:1')}' is not the ID of any type"),
        (f'{{ coin(id: "{b64("Unknown:1")}") {{ id }} }}',
         "Argument 'id' must be the ID of a Coin, not of a Unknown"),
        (f'{{ coin(id: "{gid("Mint", 1)}") {{ id }} }}',
         "Argument 'id' must be the ID of a Coin, not of a Mint"),
        (f'{{ collection(id: "{gid("Coin", 1)}") {{ id }} }}',
         "Argument 'id' must be the ID of a Collection, not of a Coin"),
        (f'{{ referenceType(id: "{gid("Collection", 1)}") {{ id }} }}',
         "Argument 'id' must be the ID of a ReferenceType, not of a Collection"),
        (f'{{ collections(parent: "{gid("Series", 1)}") {{ totalCount }} }}',
         "Argument 'parent' must be the ID of a Collection, not of a Series"),
    ],
)
async def test_id_of_an_unknown_or_other_type_is_a_clear_error(
    client: GraphQLClient, query: str, message: str
) -> None:
    response = await client.post(query)
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == message
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("raw", ["Coin:²", "Coin:٤٢", "Coin:042"])
@pytest.mark.parametrize("field", ["node", "coin"])
async def test_non_canonical_database_ids_are_refused(
    client: GraphQLClient, raw: str, field: str
) -> None:
    bad = b64(raw)
    response = await client.post(f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": bad})
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {field: None}
    [error] = payload["errors"]
    assert error["message"] == f"'{bad}' is not a valid ID"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("accept", "status"), [(GRAPHQL_RESPONSE_JSON, 400), (APPLICATION_JSON, 200)]
)
async def test_unknown_field_is_a_validation_error(
    client: GraphQLClient, coin_ids: dict[str, int], accept: str, status: int
) -> None:
    response = await client.post(
        "query($id: ID!) { coin(id: $id) { id nickname } }",
        {"id": gid("Coin", coin_ids["rep-brutus-eid-mar-1"])},
        headers={"accept": accept},
    )
    assert response.status_code == status
    payload = response.json()
    assert "data" not in payload  # not executed
    [error] = payload["errors"]
    # development mode adds a suggestion ("Did you mean 'mintName'?")
    assert error["message"].startswith("Cannot query field 'nickname' on type 'Coin'.")
    assert error["locations"] == [{"line": 1, "column": 38}]


@pytest.mark.parametrize(
    ("accept", "status"), [(GRAPHQL_RESPONSE_JSON, 400), (APPLICATION_JSON, 200)]
)
async def test_missing_id_variable_is_a_request_error(
    client: GraphQLClient, accept: str, status: int
) -> None:
    response = await client.post(
        "query($id: ID!) { coin(id: $id) { id } }", {"id": None}, headers={"accept": accept}
    )
    assert response.status_code == status
    payload = response.json()
    assert "data" not in payload
    assert "$id" in payload["errors"][0]["message"]
