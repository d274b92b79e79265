"""Malformed and hostile requests: always a 4xx with a JSON error body, never a 5xx."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from coinstack_graphql.http.request_parsing import APPLICATION_JSON as JSON
from coinstack_graphql.http.request_parsing import GRAPHQL_RESPONSE_JSON as GQL_RESPONSE
from coinstack_graphql.http.request_parsing import json_nesting_depth, loads_json

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]
RawAsgi = Callable[..., Awaitable[tuple[int, dict[str, str], bytes]]]
QUERY = "query ($v: Int!) { add(a: $v, b: 1) }"


async def post_raw(
    client: httpx.AsyncClient, body: bytes, accept: str = GQL_RESPONSE
) -> httpx.Response:
    return await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )


def assert_bad_request(response: httpx.Response, fragment: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"errors"}
    [error] = payload["errors"]
    assert fragment in error["message"]
    assert error["extensions"]["code"] in {"BAD_REQUEST", "PAYLOAD_TOO_LARGE"}


MALFORMED_BODIES = [
    pytest.param(b'{"query": "{ hello }"\xff}', "not valid UTF-8", id="invalid-utf8"),
    pytest.param(b"\xc3\x28", "not valid UTF-8", id="invalid-utf8-sequence"),
    pytest.param(b"NONSENSE", "not valid JSON", id="not-json"),
    pytest.param(b'{"query":', "not valid JSON", id="truncated-json"),
    pytest.param(b"", "not valid JSON", id="empty-body"),
    pytest.param(b'"{ hello }"', "must be a JSON object", id="json-string"),
    pytest.param(b"42", "must be a JSON object", id="json-number"),
    pytest.param(b"null", "must be a JSON object", id="json-null"),
    pytest.param(b"true", "must be a JSON object", id="json-true"),
    pytest.param(b'[{"query": "{ hello }"}]', "not enabled", id="list-without-batching"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested more than 64", id="deep-lists"),
    pytest.param(
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested more than 64", id="deep-objects"
    ),
    pytest.param(b"[" * 100_000, "nested more than 64", id="deep-unclosed"),
    pytest.param(
        json.dumps({"query": QUERY, "variables": {"v": int("9" * 41)}}).encode(),
        "at most 40 digits",
        id="41-digit-int",
    ),
    pytest.param(
        b'{"query": "' + QUERY.encode() + b'", "variables": {"v": ' + b"7" * 5000 + b"}}",
        "at most 40 digits",
        id="5000-digit-int",
    ),
    pytest.param(
        b'{"query": "' + QUERY.encode() + b'", "variables": {"v": -' + b"7" * 5000 + b"}}",
        "at most 40 digits",
        id="5000-digit-negative-int",
    ),
    pytest.param(
        b'{"query": "' + QUERY.encode() + b'", "variables": {"v": 1e999}}',
        "out of range",
        id="float-overflow",
    ),
    pytest.param(
        b'{"query": "' + QUERY.encode() + b'", "variables": {"v": NaN}}',
        "NaN is not valid JSON",
        id="nan",
    ),
    pytest.param(b"{}", "no `query`", id="query-missing"),
    pytest.param(b'{"query": null}', "no `query`", id="query-null"),
    pytest.param(b'{"qeury": "{ hello }"}', "no `query`", id="query-typo"),
    pytest.param(b'{"query": 5}', "`query` must be a string", id="query-number"),
    pytest.param(b'{"query": ["{ hello }"]}', "`query` must be a string", id="query-list"),
    pytest.param(b'{"query": {"a": 1}}', "`query` must be a string", id="query-object"),
    pytest.param(
        b'{"query": "{ hello }", "variables": [7]}',
        "`variables` must be a JSON object",
        id="vars-list",
    ),
    pytest.param(
        b'{"query": "{ hello }", "variables": "{}"}',
        "`variables` must be a JSON object",
        id="vars-string",
    ),
    pytest.param(
        b'{"query": "{ hello }", "operationName": 5}',
        "`operationName` must be a string",
        id="operation-name-number",
    ),
    pytest.param(
        b'{"query": "{ hello }", "extensions": []}',
        "`extensions` must be a JSON object",
        id="extensions-list",
    ),
    pytest.param(
        b'{"query": "{ hello }", "extensions": "x"}',
        "`extensions` must be a JSON object",
        id="extensions-string",
    ),
]


@pytest.mark.parametrize(("body", "fragment"), MALFORMED_BODIES)
@pytest.mark.parametrize("accept", [GQL_RESPONSE, JSON])
async def test_malformed_post_bodies_are_400(
    make_client: ClientFactory, body: bytes, fragment: str, accept: str
) -> None:
    # Even the legacy media type answers non-well-formed requests with 400.
    client = await make_client(max_body_bytes=2_000_000)
    response = await post_raw(client, body, accept)
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert_bad_request(response, fragment)


async def test_a_byte_order_mark_is_ignored(client: httpx.AsyncClient) -> None:
    response = await post_raw(client, b'\xef\xbb\xbf{"query": "{ hello }"}')
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_nesting_at_the_limit_is_accepted(make_client: ClientFactory) -> None:
    client = await make_client()
    # 1 level for the body object + 1 for variables + 62 of lists = 64.
    deep = "[" * 62 + "]" * 62
    body = f'{{"query": "{{ hello }}", "variables": {{"unused": {deep}}}}}'.encode()
    response = await post_raw(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_brackets_inside_strings_do_not_count(make_client: ClientFactory) -> None:
    client = await make_client()
    body = json.dumps({"query": "{ hello }", "variables": {"s": '[{"\\' * 500}}).encode()
    response = await post_raw(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_40_digit_int_passes_json_but_not_int_coercion(make_client: ClientFactory) -> None:
    client = await make_client()
    body = json.dumps({"query": QUERY, "variables": {"v": int("9" * 40)}}).encode()
    response = await post_raw(client, body)
    # Well-formed JSON; the GraphQL Int coercion is what rejects it (a request error).
    assert response.status_code == 400
    assert "Int cannot represent" in response.json()["errors"][0]["message"]
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "no `query`"),
        ({"variables": "{}"}, "no `query`"),
        ({"query": "{ hello }", "variables": "{nope"}, "`variables` is not valid JSON"),
        ({"query": "{ hello }", "variables": "[1]"}, "`variables` must be a JSON object"),
        ({"query": "{ hello }", "variables": "[" * 1000 + "]" * 1000}, "nested more than 64"),
        ({"query": "{ hello }", "variables": '{"v": ' + "1" * 5000 + "}"}, "at most 40 digits"),
        ({"query": "{ hello }", "extensions": "7"}, "`extensions` must be a JSON object"),
        ([("query", "{ hello }"), ("query", "{ hello }")], "given more than once"),
    ],
)
async def test_malformed_get_parameters_are_400(
    client: httpx.AsyncClient, params: Any, fragment: str
) -> None:
    response = await client.get("/graphql", params=params)
    assert_bad_request(response, fragment)


async def test_get_with_empty_variables_and_null_is_fine(client: httpx.AsyncClient) -> None:
    for variables in ("", "null", "{}"):
        params = {"query": "{ hello }", "variables": variables, "operationName": ""}
        response = await client.get("/graphql", params=params)
        assert response.status_code == 200
        assert response.json() == {"data": {"hello": "Hello, world!"}}


# --- body size -----------------------------------------------------------------------


async def test_content_length_over_the_limit_is_413(make_client: ClientFactory) -> None:
    client = await make_client(max_body_bytes=100)
    body = json.dumps({"query": "{ hello }", "variables": {"pad": "x" * 200}}).encode()
    response = await post_raw(client, body)
    assert_bad_request(response, "larger than 100 bytes", status=413)


async def test_body_at_the_limit_is_accepted(make_client: ClientFactory) -> None:
    body = b'{"query": "{ hello }"}'
    client = await make_client(max_body_bytes=len(body))
    response = await post_raw(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_chunked_body_is_cut_off_at_the_limit(make_client: ClientFactory) -> None:
    client = await make_client(max_body_bytes=1000)
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ hello }", "pad": "'
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 100
        yield b'"}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_bad_request(response, "larger than 1000 bytes", status=413)


@pytest.mark.parametrize(
    ("content_length", "status", "fragment"),
    [
        (b"9" * 5000, 413, "larger than"),
        (b"abc", 400, "Invalid Content-Length"),
        (b"-1", 400, "Invalid Content-Length"),
    ],
)
async def test_hostile_content_length_headers(
    build_app: Callable[..., tuple[Any, list[int]]],
    raw_asgi: RawAsgi,
    content_length: bytes,
    status: int,
    fragment: str,
) -> None:
    app, _ = build_app(max_body_bytes=1000)
    headers = [(b"content-type", b"application/json"), (b"content-length", content_length)]
    code, response_headers, body = await raw_asgi(
        app, method="POST", headers=headers, chunks=[b'{"query": "{ hello }"}']
    )
    assert code == status
    assert response_headers["content-type"] == f"{GQL_RESPONSE}; charset=utf-8"
    assert fragment in json.loads(body)["errors"][0]["message"]


# --- batches -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"[]", "at least one request"),
        (b'[{"query": "{ hello }"}, 5]', "must be a JSON object"),
        (b'[{"query": "{ hello }"}, {"query": 5}]', "`query` must be a string"),
        (b"[[" + b'{"query": "{ hello }"}' + b"]]", "must be a JSON object"),
    ],
)
async def test_malformed_batches_are_400(
    make_client: ClientFactory, body: bytes, fragment: str
) -> None:
    client = await make_client(allow_batching=True)
    assert_bad_request(await post_raw(client, body), fragment)


# --- the decoder itself --------------------------------------------------------------


def test_nesting_depth_ignores_strings_and_escapes() -> None:
    assert json_nesting_depth('{"a": "[[[[\\"[[[", "b": [[1]]}') == 3
    assert json_nesting_depth("[]" * 1000) == 1
    assert json_nesting_depth("]]]]") == 0
    assert json_nesting_depth("[" * 1_000_000) == 1_000_000


def test_loads_json_keeps_ordinary_numbers() -> None:
    assert loads_json(b'{"i": -12, "f": 1.5e3, "big": 1234567890123456789012345}') == {
        "i": -12,
        "f": 1500.0,
        "big": 1234567890123456789012345,
    }
