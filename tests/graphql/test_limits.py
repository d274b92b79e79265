"""Operation limits of the real schema: page size, depth, aliases, tokens and query cost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.client import GraphQLClient, graphql_client

MAX_COST = {"maxQueryCost": 5000, "maxNodes": 50000}


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


def die_chain(pairs: int, leaf: str = "id") -> str:
    """coin > (dieStudy > obverseDieMatch) x pairs > leaf; `coin` is level 1."""
    return (
        '{ coin(id: "Q29pbjo0Mg==") { '
        + "dieStudy { obverseDieMatch { " * pairs
        + leaf
        + " } }" * pairs
        + " } }"
    )


async def request_error(client: GraphQLClient, query: str, **kw: Any) -> dict[str, Any]:
    """The payload of a refused (not executed) operation: 400, errors, no data."""
    response = await client.post(query, **kw)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert "data" not in payload
    return payload


# --- page size --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "path", "argument"),
    [
        ("{ coins(first: 101) { totalCount } }", ["coins"], "first"),
        ("{ coins(last: 101) { totalCount } }", ["coins"], "last"),
        ("{ referenceTypes(first: 101) { totalCount } }", ["referenceTypes"], "first"),
        ("{ collections(first: 101) { totalCount } }", ["collections"], "first"),
        ("{ auctionLots(first: 101) { totalCount } }", ["auctionLots"], "first"),
        ("{ wishlistItems(first: 101) { totalCount } }", ["wishlistItems"], "first"),
        ("{ priceAlerts(last: 101) { totalCount } }", ["priceAlerts"], "last"),
        ("{ marketPrices(first: 101) { totalCount } }", ["marketPrices"], "first"),
        ("{ enrichmentReviewQueue(first: 101) { totalCount } }", ["enrichmentReviewQueue"],
         "first"),
        ("{ wishlistMatches(first: 101) { totalCount } }", ["wishlistMatches"], "first"),
    ],
)
async def test_page_over_a_hundred_is_an_error(
    client: GraphQLClient, query: str, path: list[str], argument: str
) -> None:
    response = await client.post(query)
    assert response.status_code == 200  # a field error, not a silent cut
    payload = response.json()
    assert payload["data"] is None
    [error] = payload["errors"]
    assert error["message"] == f"Argument '{argument}' must be between 1 and 100 (got 101)"
    assert error["extensions"]["code"] == "OUT_OF_RANGE"
    assert error["path"] == path


async def test_nested_page_over_a_hundred_is_an_error(client: GraphQLClient) -> None:
    response = await client.post(
        '{ collection(id: "Q29sbGVjdGlvbjox") { name coins(first: 101) { totalCount } } }'
    )
    payload = response.json()
    assert payload["data"] == {"collection": None}
    [error] = payload["errors"]
    assert error["path"] == ["collection", "coins"]
    assert error["message"] == "Argument 'first' must be between 1 and 100 (got 101)"


async def test_a_hundred_is_allowed(client: GraphQLClient) -> None:
    data = await client.execute("{ coins(first: 100) { totalCount nodes { id } } }")
    assert len(data["coins"]["nodes"]) == 100
    assert data["coins"]["totalCount"] == 162


# --- depth --------------------------------------------------------------------------------


async def test_depth_twelve_is_allowed(client: GraphQLClient) -> None:
    # coin 1, five (dieStudy, obverseDieMatch) pairs 2-11, id 12
    data = await client.execute(die_chain(5))
    assert data == {"coin": {"dieStudy": {"obverseDieMatch": None}}}


async def test_deeper_than_twelve_is_refused(client: GraphQLClient) -> None:
    payload = await request_error(client, die_chain(5, "mint { name }"))  # name is level 13
    [error] = payload["errors"]
    assert error["message"] == "Operation is 13 levels deep; the limit is 12"
    assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "depth": 13, "maxDepth": 12}
    named = await request_error(client, "query Deep " + die_chain(5, "mint { name }"))
    assert named["errors"][0]["message"] == "Operation 'Deep' is 13 levels deep; the limit is 12"


async def test_depth_counts_through_fragments(client: GraphQLClient) -> None:
    query = (
        "query Frag { coin(id: \"Q29pbjo0Mg==\") { ...A } }\n"
        "fragment A on Coin { dieStudy { obverseDieMatch { ...B } } }\n"
        "fragment B on Coin { dieStudy { obverseDieMatch { ...C } } }\n"
        "fragment C on Coin { dieStudy { obverseDieMatch { ...D } } }\n"
        "fragment D on Coin { dieStudy { obverseDieMatch { ...E } } }\n"
        "fragment E on Coin { dieStudy { obverseDieMatch { ... on Coin { mint { name } } } } }\n"
    )
    payload = await request_error(client, query)
    assert payload["errors"][0]["message"] == "Operation 'Frag' is 13 levels deep; the limit is 12"


async def test_configured_depth(demo_db: str) -> None:
    async with graphql_client(demo_db, max_depth=3) as small:
        ok = await small.execute('{ coin(id: "Q29pbjo0Mg==") { mint { name } } }')
        assert ok == {"coin": {"mint": None}}
        payload = await request_error(
            small, '{ coin(id: "Q29pbjo0Mg==") { dieStudy { obverseDieMatch { id } } } }'
        )
        assert payload["errors"][0]["message"] == "Operation is 4 levels deep; the limit is 3"


# --- aliases and tokens -------------------------------------------------------------------


async def test_thirty_aliases_are_allowed(client: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: series {{ name }}" for i in range(30)) + " }"
    data = await client.execute(query)
    assert len(data) == 30
    assert data["a29"] == [{"name": "Severan women"}, {"name": "Twelve Caesars"}]


async def test_more_than_thirty_aliases_are_refused(client: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: series {{ name }}" for i in range(31)) + " }"
    payload = await request_error(client, query)
    assert [e["message"] for e in payload["errors"]] == ["31 aliases found. Allowed: 30"]


def tokens(count: int) -> str:
    """A valid query of exactly `count` lexical tokens (16 of structure, the rest strings)."""
    strings = " ".join('"x"' for _ in range(count - 16))
    return f"{{ coins ( filter : {{ denomination : [ {strings} ] }} ) {{ totalCount }} }}"


async def test_four_thousand_tokens_are_allowed(client: GraphQLClient) -> None:
    data = await client.execute(tokens(4000))
    assert data == {"coins": {"totalCount": 0}}


async def test_more_than_four_thousand_tokens_are_refused(client: GraphQLClient) -> None:
    payload = await request_error(client, tokens(4001))
    [error] = payload["errors"]
    assert error["message"] == (
        "Syntax Error: Document contains more than 4000 tokens. Parsing aborted."
    )


# --- cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "cost", "nodes"),
    [
        ("{ __typename }", 0, 0),
        ("{ coins(first: 10) { nodes { id issuer } } }", 2, 10),
        ("{ coins(first: 10) { nodes { mint { name } } } }", 12, 10),
        ("{ coins(first: 10) { nodes { tags } } }", 2, 10),
        ("{ coins(first: 10) { nodes { references { referenceType { localRef } } } } }",
         2 + 10 * (1 + 10 * 1), 10 + 10 * 10),
        ('{ coin(id: "Q29pbjo0Mg==") { mint { name } } }', 2, 0),
        ("{ coins { totalCount pageInfo { hasNextPage } } }", 3, 20),
    ],
)
async def test_cost_is_reported_on_success(
    client: GraphQLClient, query: str, cost: int, nodes: int
) -> None:
    response = await client.post(query)
    assert response.status_code == 200
    report = response.json()["extensions"]["cost"]
    assert (report["requestedQueryCost"], report["nodes"]) == (cost, nodes)
    assert {k: report[k] for k in MAX_COST} == MAX_COST
    assert report["throttleStatus"]["maximumAvailable"] == 10**9


async def test_nested_pages_over_the_node_limit_are_refused(client: GraphQLClient) -> None:
    query = """{ coins(first: 100) { nodes { id
        collections { name coins(first: 100) { nodes { id issuer } } } } } }"""
    payload = await request_error(client, query)
    [error] = payload["errors"]
    assert error["message"] == (
        "Query would return up to 101,100 nodes; the limit is 50,000. "
        "Ask for smaller pages (first/last) or fewer nested lists."
    )
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX", "cost": 2102, "maxCost": 5000,
        "nodes": 101100, "maxNodes": 50000,
    }
    assert payload["extensions"]["cost"]["requestedQueryCost"] == 2102


TERMS = "mint { id } issuerTerm { id } mintTerm { id } denominationTerm { id } dynastyTerm { id }"


async def test_cost_over_the_limit_is_refused(client: GraphQLClient) -> None:
    # per coin: gradingHistory 1 + 10 x (coin 1 + five objects) = 61; 2 + 100 x 61
    query = f"{{ coins(first: 100) {{ nodes {{ gradingHistory {{ coin {{ {TERMS} }} }} }} }} }}"
    payload = await request_error(client, query)
    [error] = payload["errors"]
    assert error["message"] == (
        "Query cost 6,102 exceeds the limit of 5,000. "
        "Ask for smaller pages (first/last) or fewer nested lists."
    )
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert payload["extensions"]["cost"]["requestedQueryCost"] == 6102
    # the same shape in smaller pages fits: 2 + 80 x 61
    smaller = query.replace("first: 100", "first: 80")
    response = await client.post(smaller)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert len(body["data"]["coins"]["nodes"]) == 80
    assert body["extensions"]["cost"]["requestedQueryCost"] == 4882


async def test_configured_cost_limit(demo_db: str) -> None:
    async with graphql_client(demo_db, max_query_cost=10) as small:
        payload = await request_error(small, "{ coins(first: 10) { nodes { mint { name } } } }")
        assert payload["errors"][0]["message"].startswith(
            "Query cost 12 exceeds the limit of 10."
        )
        assert (await small.execute("{ coins(first: 4) { nodes { mint { name } } } }"))


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("{ coins(first: 2) { nodes { id } } }", 200),  # success
        ('{ coin(id: "abc") { id } }', 200),  # field error
        ("{ coins { nope } }", 400),  # validation error
        ("{ coins(first: 2) { nodes { id }", 400),  # syntax error
        (die_chain(6), 400),  # over the depth limit
        ("{ coins(first: 100) { nodes { collections { coins(first: 100) { nodes { id } } } } } }",
         400),  # over the cost limit
    ],
)
async def test_every_response_reports_its_cost(
    client: GraphQLClient, query: str, status: int
) -> None:
    response = await client.post(query)
    assert response.status_code == status
    report = response.json()["extensions"]["cost"]
    assert {k: report[k] for k in MAX_COST} == MAX_COST
    assert isinstance(report["requestedQueryCost"], int)
    assert isinstance(report["nodes"], int)


async def test_a_repeated_document_is_validated_once(client: GraphQLClient) -> None:
    # The limits add their rules per request; unless those rule classes are the same
    # objects every time, the validation cache (keyed on them) would never hit.
    from strawberry.extensions.validation_cache import _get_validate_cache

    query = '{ coins(first: 2, filter: {metal: SILVER}) { totalCount edges { node { id } } } }'
    await client.execute(query)
    cache = _get_validate_cache(client.app.state.coinstack.settings.parser_cache_size)
    before = cache.cache_info()
    await client.execute(query)
    after = cache.cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
