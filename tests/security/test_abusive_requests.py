"""Abusive and malformed requests against the real app: refused cheaply, never a 5xx."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator

import pytest

from tests.support.client import GraphQLClient, graphql_client

GRAPHQL_RESPONSE = "application/graphql-response+json"
# Generous: a refusal is static analysis or parsing, so it answers in milliseconds.
BOUND_S = 5.0


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db, environment="production") as c:
        yield c


async def _raw(client: GraphQLClient, body: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    started = time.perf_counter()
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": content_type, "accept": GRAPHQL_RESPONSE}
    )
    assert time.perf_counter() - started < BOUND_S
    assert response.status_code < 500, response.text
    return response.status_code, response.json()


async def _query(client: GraphQLClient, query: str, variables: dict | None = None, **extra: object) -> tuple[int, dict]:
    body = {"query": query, **({"variables": variables} if variables is not None else {}), **extra}
    return await _raw(client, json.dumps(body).encode())


def _message(payload: dict) -> str:
    return " ".join(e["message"] for e in payload.get("errors", []))


async def test_a_million_nodes_is_refused_before_running(client: GraphQLClient) -> None:
    query = """{ coins(first: 100) { edges { node { collections { coins(first: 100) { edges {
      node { collections { coins(first: 100) { nodes { id } } } } } } } } } } }"""
    status, payload = await _query(client, query)
    assert status == 200 or status == 400
    assert payload["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "limit" in _message(payload)
    assert payload.get("data") is None


async def test_a_deep_legal_query_answers_within_the_bound(client: GraphQLClient) -> None:
    query = """{ coins(first: 20) { edges { node { references { referenceType {
      concordance { externalLinks { referenceType { concordance { localRef } } } } } } } } } }"""
    status, payload = await _query(client, query)
    # either it runs (fast) or it is refused for its cost before running
    if status == 200 and "errors" not in payload:
        assert payload["data"]["coins"]["edges"]
    else:
        assert payload["errors"][0]["extensions"]["code"] in {"QUERY_TOO_COMPLEX", "TIMEOUT"}


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe{\"query\": 1}", b'"{ coins { totalCount } }"', b"42", b"null", b"true",
     b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000],
    ids=["invalid-utf8", "json-string", "json-number", "json-null", "json-bool", "deep-list", "deep-object"],
)
async def test_malformed_bodies_are_400(client: GraphQLClient, body: bytes) -> None:
    status, payload = await _raw(client, body)
    assert status == 400
    assert payload["errors"]


async def test_a_5000_digit_integer_is_400(client: GraphQLClient) -> None:
    body = b'{"query": "query($n: Int) { coins(first: $n) { totalCount } }", "variables": {"n": ' + b"9" * 5000 + b"}}"
    status, payload = await _raw(client, body)
    assert status == 400
    assert payload["errors"]


async def test_two_operations_without_operation_name_are_refused(client: GraphQLClient) -> None:
    query = "query A { coins(first: 1) { totalCount } } mutation B { deleteCoin(input: {id: \"Q29pbjox\"}) { userErrors { message } } }"
    status, payload = await _query(client, query)
    assert status == 400
    assert "operationName" in _message(payload)
    # nothing ran: coin 1 still exists
    data = await client.execute('{ coin(id: "Q29pbjox") { id } }')
    assert data["coin"] == {"id": "Q29pbjox"}


@pytest.mark.parametrize("name", ["C", ""])
async def test_unknown_or_empty_operation_name(client: GraphQLClient, name: str) -> None:
    query = "query A { coins(first: 1) { totalCount } } query B { mints { id } }"
    status, payload = await _query(client, query, operationName=name)
    assert status == 400
    assert payload["errors"]


async def test_duplicate_operation_names_are_a_validation_error(client: GraphQLClient) -> None:
    status, payload = await _query(client, "query A { mints { id } } query A { mints { name } }")
    assert status == 400
    assert "only one operation named" in _message(payload).lower()


async def test_100_nested_of_type_is_refused(client: GraphQLClient) -> None:
    inner = "name"
    for _ in range(100):
        inner = f"ofType {{ {inner} }}"
    status, payload = await _query(client, f'{{ __type(name: "Coin") {{ fields {{ type {{ {inner} }} }} }} }}')
    assert status == 400
    assert payload["errors"]


async def test_undefined_fragment_is_a_validation_error_without_internals(client: GraphQLClient) -> None:
    status, payload = await _query(client, "{ coins(first: 1) { nodes { ...Missing } } }")
    assert status == 400
    message = _message(payload)
    assert "Unknown fragment 'Missing'" in message
    assert "Traceback" not in message and "KeyError" not in message


async def test_fragment_cycles_are_a_validation_error(client: GraphQLClient) -> None:
    query = """{ coins(first: 1) { nodes { ...A } } }
      fragment A on Coin { id ...B } fragment B on Coin { issuer ...A }"""
    status, payload = await _query(client, query)
    assert status == 400
    assert "cannot spread fragment" in _message(payload).lower()


async def test_percent_in_search_matches_literally(client: GraphQLClient) -> None:
    _, everything = await _query(client, "{ coins { totalCount } }")
    for pattern in ("%", "_", "\\\\"):
        status, payload = await _query(client, f'{{ coins(filter: {{search: "{pattern}"}}) {{ totalCount }} }}')
        assert status == 200
        assert payload["data"]["coins"]["totalCount"] < everything["data"]["coins"]["totalCount"]
        assert payload["data"]["coins"]["totalCount"] == 0


async def test_an_id_of_another_type_does_not_resolve(client: GraphQLClient) -> None:
    mint_id = base64.b64encode(b"Mint:1").decode()
    status, payload = await _query(client, f'{{ coin(id: "{mint_id}") {{ id }} }}')
    assert status == 200
    assert "Coin" in _message(payload) and "Mint" in _message(payload)
    assert payload["data"]["coin"] is None


async def test_body_over_the_limit_is_413(demo_db: str) -> None:
    async with graphql_client(demo_db, max_body_bytes=2_000) as small:
        body = json.dumps({"query": "{ coins { totalCount } }" + " " * 5_000}).encode()
        response = await small.http.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413


async def test_a_slow_request_is_stopped_at_the_timeout(demo_db: str) -> None:
    async with graphql_client(demo_db, request_timeout_s=0.001) as hurried:
        response = await hurried.post(
            "{ coins(first: 100) { nodes { issuer references { referenceType { localRef } } } } }"
        )
        payload = response.json()
        assert response.status_code == 200
        assert payload["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_production_errors_show_no_internals(client: GraphQLClient) -> None:
    # A database-level failure: a cursor of the right shape but a value of the wrong type.
    bad_cursor = base64.urlsafe_b64encode(b'c1:[{"D":"not-a-date"},1]').decode()
    status, payload = await _query(
        client, f'{{ coins(first: 2, after: "{bad_cursor}", orderBy: [{{field: ACQUISITION_DATE}}]) {{ totalCount }} }}'
    )
    text = json.dumps(payload)
    for leak in ("Traceback", "sqlalchemy", "sqlite", "asyncpg", "SELECT", "File \""):
        assert leak not in text


async def test_server_is_healthy_after_the_abuse(client: GraphQLClient) -> None:
    response = await client.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
