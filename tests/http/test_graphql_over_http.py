"""GraphQL over HTTP: methods, negotiation, statuses per media type, masking, WebSockets."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import ValidationCache

from coinstack_graphql.http import make_graphql_app
from coinstack_graphql.http.graphql_app import RequireOperationName
from coinstack_graphql.http.request_parsing import APPLICATION_JSON as JSON
from coinstack_graphql.http.request_parsing import GRAPHQL_RESPONSE_JSON as GQL_RESPONSE

AppFactory = Callable[..., tuple[Any, list[int]]]
ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]

BOTH = pytest.mark.parametrize("accept", [GQL_RESPONSE, JSON])


async def post(
    client: httpx.AsyncClient, body: Any, *, accept: str | None = GQL_RESPONSE, **headers: str
) -> httpx.Response:
    sent = {"content-type": "application/json", **headers}
    if accept is not None:
        sent["accept"] = accept
    return await client.post("/graphql", content=json.dumps(body), headers=sent)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


# --- happy paths and content negotiation ----------------------------------------------


@BOTH
async def test_post_query_answers_in_the_accepted_media_type(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await post(client, {"query": "{ hello }"}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, GQL_RESPONSE),  # past the 2025 watershed: the new type by default
        ("", GQL_RESPONSE),
        ("*/*", GQL_RESPONSE),
        ("application/*", GQL_RESPONSE),
        (f"{GQL_RESPONSE}; charset=utf-8, {JSON}; charset=utf-8", GQL_RESPONSE),
        (f"{JSON}, {GQL_RESPONSE}", JSON),  # equal q: the one listed first
        (f"{JSON};q=0.5, {GQL_RESPONSE}", GQL_RESPONSE),
        (f"{GQL_RESPONSE};q=0.2, {JSON};q=0.9", JSON),
        (f"{GQL_RESPONSE};q=0, */*", JSON),
        ("text/html, application/json;q=0.9, */*;q=0.8", JSON),
        ("APPLICATION/JSON", JSON),
    ],
)
async def test_accept_negotiation(
    client: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    response = await post(client, {"query": "{ hello }"}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize(
    "accept",
    ["text/html", "application/xml", f"{GQL_RESPONSE};q=0, {JSON};q=0", f"{JSON}; charset=latin1"],
)
async def test_unsupported_accept_is_406(client: httpx.AsyncClient, accept: str) -> None:
    response = await post(client, {"query": "{ hello }"}, accept=accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_ACCEPTABLE"
    assert GQL_RESPONSE in error["message"]


@BOTH
async def test_get_query_with_json_variables(client: httpx.AsyncClient, accept: str) -> None:
    params = {
        "query": "query ($a: Int!, $b: Int!) { add(a: $a, b: $b) }",
        "variables": '{"a": 2, "b": 40}',
    }
    response = await client.get("/graphql", params=params, headers={"accept": accept})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert response.json() == {"data": {"add": 42}}


async def test_get_picks_the_named_query_beside_a_mutation(client: httpx.AsyncClient) -> None:
    document = "query Q { hello } mutation M { increment }"
    response = await client.get("/graphql", params={"query": document, "operationName": "Q"})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


@BOTH
async def test_get_mutation_is_405_allow_post(build_app: AppFactory, accept: str) -> None:
    app, counter = build_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get(
            "/graphql", params={"query": "mutation { increment }"}, headers={"accept": accept}
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert media_type(response) == accept
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "use POST" in response.json()["errors"][0]["message"]
    assert counter == [0]  # halted before execution


async def test_get_named_mutation_is_405(client: httpx.AsyncClient) -> None:
    document = "query Q { hello } mutation M { increment }"
    response = await client.get("/graphql", params={"query": document, "operationName": "M"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "data" not in response.json()


async def test_post_mutation_runs(build_app: AppFactory) -> None:
    app, counter = build_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await post(
            c, {"query": "mutation ($by: Int!) { increment(by: $by) }", "variables": {"by": 5}}
        )
    assert response.status_code == 200
    assert response.json() == {"data": {"increment": 5}}
    assert counter == [5]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
async def test_other_methods_are_405(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    if method != "HEAD":
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/json; charset=latin-1",
        "application/jsonx",
    ],
)
async def test_unsupported_content_type_is_415(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"accept": GQL_RESPONSE}
    if content_type is not None:
        headers["content-type"] = content_type
    response = await client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert response.status_code == 415
    assert media_type(response) == GQL_RESPONSE
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_content_type_parameters_are_tolerated(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ hello }"}',
        headers={"content-type": "Application/JSON; Charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


# --- statuses: request errors vs field errors, per media type --------------------------

REQUEST_ERRORS = [
    pytest.param({"query": "{ hello"}, "Syntax Error", id="parse"),
    pytest.param({"query": "{ nope }"}, "Cannot query field 'nope'", id="validation"),
    pytest.param(
        {"query": "query ($a: Int!) { add(a: $a, b: 1) }", "variables": {"a": "x"}},
        "Variable '$a'",
        id="variable-coercion",
    ),
    pytest.param(
        {"query": "query ($a: Int!) { add(a: $a, b: 1) }"}, "Variable '$a'", id="variable-missing"
    ),
    pytest.param(
        {"query": "query A { hello } query B { hello }"},
        "contains 2 operations (A, B); set `operationName`",
        id="two-operations-no-name",
    ),
    pytest.param(
        {"query": "query A { hello }", "operationName": "Nope"},
        'Unknown operation named "Nope"; the document defines: A.',
        id="unknown-operation-name",
    ),
    pytest.param(
        {"query": "fragment F on Query { hello }"}, "contains no operation", id="no-operation"
    ),
    pytest.param({"query": ""}, "document is empty", id="empty-document"),
    pytest.param(
        {"query": "subscription { count }"}, "served over WebSocket", id="subscription-over-http"
    ),
]


@pytest.mark.parametrize(("body", "message"), REQUEST_ERRORS)
async def test_request_errors_are_400_with_graphql_response_json(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await post(client, body, accept=GQL_RESPONSE)
    assert response.status_code == 400
    assert media_type(response) == GQL_RESPONSE
    payload = response.json()
    assert "data" not in payload  # a request error has no data entry
    assert message in payload["errors"][0]["message"]


@pytest.mark.parametrize(("body", "message"), REQUEST_ERRORS)
async def test_request_errors_are_200_with_legacy_json(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await post(client, body, accept=JSON)
    assert response.status_code == 200
    assert media_type(response) == JSON
    payload = response.json()
    assert "data" not in payload
    assert message in payload["errors"][0]["message"]


@BOTH
async def test_field_error_is_200_with_partial_data(client: httpx.AsyncClient, accept: str) -> None:
    response = await post(client, {"query": "{ hello boom }"}, accept=accept)
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"hello": "Hello, world!", "boom": None}
    assert payload["errors"][0]["path"] == ["boom"]


@BOTH
async def test_null_root_from_field_error_is_still_200(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await post(client, {"query": "{ mustExist }"}, accept=accept)
    assert response.status_code == 200
    payload = response.json()
    assert "data" in payload and payload["data"] is None
    assert payload["errors"][0]["path"] == ["mustExist"]


async def test_get_request_error_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ nope }"})
    assert response.status_code == 400
    assert "Cannot query field 'nope'" in response.json()["errors"][0]["message"]


async def test_operation_name_selects_among_several(client: httpx.AsyncClient) -> None:
    body = {"query": "query A { hello } query B { add(a: 1, b: 2) }", "operationName": "B"}
    response = await post(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"add": 3}}


async def test_empty_operation_name_means_none(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": "{ hello }", "operationName": ""})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


# --- error masking -------------------------------------------------------------------


async def test_production_masks_internal_errors_and_logs_them(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = await make_client(production=True)
    with caplog.at_level(logging.ERROR, logger="coinstack_graphql.http.masking"):
        response = await post(client, {"query": "{ hello boom }"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"hello": "Hello, world!", "boom": None}
    [error] = payload["errors"]
    assert error["message"] == "Internal server error"
    assert error["path"] == ["boom"]
    assert error["extensions"]["code"] == "INTERNAL"
    error_id = error["extensions"]["errorId"]
    uuid.UUID(error_id)
    assert "db-primary" not in response.text
    [record] = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "db-primary:5432 refused" in str(record.exc_info[1])


async def test_development_keeps_the_message_but_adds_an_error_id(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = await make_client(production=False)
    with caplog.at_level(logging.ERROR, logger="coinstack_graphql.http.masking"):
        response = await post(client, {"query": "{ boom }"})
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == "connection to db-primary:5432 refused"
    assert error["extensions"]["code"] == "INTERNAL"
    error_id = error["extensions"]["errorId"]
    assert any(error_id in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("query", "message", "code"),
    [
        ("{ missingCoin }", "No coin with that id.", "NOT_FOUND"),
        ("{ nope }", "Cannot query field 'nope' on type 'Query'.", None),
    ],
)
async def test_production_leaves_public_errors_alone(
    make_client: ClientFactory, query: str, message: str, code: str | None
) -> None:
    client = await make_client(production=True)
    response = await post(client, {"query": query}, accept=JSON)
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == message
    assert error.get("extensions", {}).get("code") == code
    assert "errorId" not in error.get("extensions", {})


async def test_context_getter_failure_is_a_masked_500(
    caplog: pytest.LogCaptureFixture, schema_factory: Callable[..., Any]
) -> None:
    async def broken_context(request: Any, response: Any) -> Any:
        raise RuntimeError("session factory exploded")

    app = make_graphql_app(
        schema_factory(production=True),
        context_getter=broken_context,
        max_body_bytes=1000,
        production=True,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        with caplog.at_level(logging.ERROR, logger="coinstack_graphql.http.graphql_app"):
            response = await post(c, {"query": "{ hello }"})
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error"
    assert "exploded" not in response.text
    assert any(error["extensions"]["errorId"] in r.getMessage() for r in caplog.records)


# --- context, headers, encoding, batching --------------------------------------------


async def test_authorization_header_reaches_the_context(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": "{ authorization }"}, authorization="Bearer abc")
    assert response.status_code == 200
    assert response.json() == {"data": {"authorization": "Bearer abc"}}


async def test_resolvers_can_set_cookies(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": "{ setCookie }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"setCookie": True}}
    assert "seen=yes" in response.headers["set-cookie"]


async def test_non_ascii_and_lone_surrogates_round_trip(client: httpx.AsyncClient) -> None:
    # json.dumps writes the lone surrogate as the legal escape \ud800.
    body = {
        "query": "query ($v: String!) { echo(value: $v) }",
        "variables": {"v": "ΑΝΤΙΟΧΟΥ \ud800"},
    }
    response = await post(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"echo": "ΑΝΤΙΟΧΟΥ \ud800"}}


async def test_batching_runs_each_request_in_order(build_app: AppFactory) -> None:
    app, counter = build_app(allow_batching=True)
    batch = [
        {"query": "mutation { increment }"},
        {"query": "mutation { increment(by: 10) }"},
        {"query": "{ nope }"},
    ]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await post(c, batch)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first == {"data": {"increment": 1}}
    assert second == {"data": {"increment": 11}}
    assert "data" not in third and "Cannot query field" in third["errors"][0]["message"]
    assert counter == [11]


async def test_batch_size_is_limited(make_client: ClientFactory) -> None:
    client = await make_client(allow_batching=True, max_batch_size=2)
    response = await post(client, [{"query": "{ hello }"}] * 3)
    assert response.status_code == 400
    assert "at most 2 requests" in response.json()["errors"][0]["message"]


# --- WebSocket: graphql-transport-ws on the same path --------------------------------


@asynccontextmanager
async def graphql_ws(app: Any) -> AsyncIterator[AsyncWebSocketSession]:
    """A graphql-transport-ws socket to /graphql over real ASGI."""
    transport = ASGIWebSocketTransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
        aconnect_ws(
            "/graphql",
            client,
            subprotocols=["graphql-transport-ws"],
            session_class=AsyncWebSocketSession,
        ) as ws,
    ):
        yield ws


async def test_subscription_over_graphql_transport_ws(build_app: AppFactory) -> None:
    received_params: list[Any] = []

    async def on_ws_connect(context: dict[str, Any]) -> dict[str, object]:
        received_params.append(context["connection_params"])
        return {"welcome": True}

    app, _ = build_app(on_ws_connect=on_ws_connect, keep_alive_interval=None)
    async with graphql_ws(app) as ws:
        await ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer t"}})
        assert await ws.receive_json() == {"type": "connection_ack", "payload": {"welcome": True}}
        await ws.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": "subscription { count(to: 2) }"}}
        )
        assert await ws.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"count": 1}},
        }
        assert await ws.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"count": 2}},
        }
        assert await ws.receive_json() == {"id": "1", "type": "complete"}
    assert received_params == [{"Authorization": "Bearer t"}]


async def test_on_ws_connect_can_reject(build_app: AppFactory) -> None:
    async def on_ws_connect(context: dict[str, Any]) -> None:
        raise ConnectionRejectionError()

    app, _ = build_app(on_ws_connect=on_ws_connect, keep_alive_interval=None)
    async with graphql_ws(app) as ws:
        await ws.send_json({"type": "connection_init"})
        with pytest.raises(Exception) as info:
            await ws.receive_json()
        assert getattr(info.value, "code", None) == 4403


async def test_server_pings_keep_the_socket_alive(build_app: AppFactory) -> None:
    app, _ = build_app(keep_alive_interval=0.01)
    async with graphql_ws(app) as ws:
        await ws.send_json({"type": "connection_init"})
        assert await ws.receive_json() == {"type": "connection_ack"}
        assert await ws.receive_json() == {"type": "ping"}


async def test_subscription_errors_are_masked_in_production(
    build_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = build_app(production=True, keep_alive_interval=None)
    with caplog.at_level(logging.ERROR, logger="coinstack_graphql.http.masking"):
        async with graphql_ws(app) as ws:
            await ws.send_json({"type": "connection_init"})
            assert await ws.receive_json() == {"type": "connection_ack"}
            await ws.send_json(
                {"id": "7", "type": "subscribe", "payload": {"query": "subscription { broken }"}}
            )
            assert (await ws.receive_json())["payload"] == {"data": {"broken": 1}}
            message = await ws.receive_json()
    [error] = message["payload"]["errors"]
    assert error["message"] == "Internal server error"
    assert "credentials" not in json.dumps(message)
    assert any(error["extensions"]["errorId"] in r.getMessage() for r in caplog.records)


@BOTH
async def test_ambiguous_document_never_runs_its_first_mutation(
    build_app: AppFactory, accept: str
) -> None:
    # Strawberry alone would run `A`; the spec's GetOperation() makes this a request error.
    app, counter = build_app()
    body = {"query": "mutation A { increment } mutation B { increment(by: 5) }"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await post(c, body, accept=accept)
    assert response.status_code == (400 if accept == GQL_RESPONSE else 200)
    assert response.json() == {
        "errors": [
            {
                "message": "The document contains 2 operations (A, B); "
                "set `operationName` to the one to execute.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }
    assert counter == [0]


async def test_operation_name_check_is_installed_once(
    schema_factory: Callable[..., Any],
) -> None:
    async def context_getter(request: object, response: object) -> None:
        return None

    schema = schema_factory(production=False)
    for _ in range(2):
        make_graphql_app(schema, context_getter=context_getter, max_body_bytes=10, production=False)
    assert [e for e in schema.extensions if e is RequireOperationName] == [RequireOperationName]


async def test_ambiguous_document_over_websocket_is_an_error(build_app: AppFactory) -> None:
    app, counter = build_app(keep_alive_interval=None)
    async with graphql_ws(app) as ws:
        await ws.send_json({"type": "connection_init"})
        assert await ws.receive_json() == {"type": "connection_ack"}
        query = "mutation A { increment } subscription B { count }"
        await ws.send_json({"id": "9", "type": "subscribe", "payload": {"query": query}})
        message = await ws.receive_json()
    assert message["type"] == "error"
    assert "set `operationName`" in message["payload"][0]["message"]
    assert counter == [0]


async def test_ambiguous_document_is_caught_behind_a_validation_cache(
    schema_factory: Callable[..., Any],
) -> None:
    # ValidationCache pre-fills `pre_execution_errors` with [] for valid documents.
    counter = [0]

    async def context_getter(request: object, response: object) -> dict[str, object]:
        return {"counter": counter}

    schema = schema_factory(production=False, extensions=[ValidationCache])
    app = make_graphql_app(
        schema, context_getter=context_getter, max_body_bytes=1000, production=False
    )
    body = {"query": "mutation A { increment } query B { hello }"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for _ in range(2):  # the second request is served from the cache
            response = await post(c, body)
            assert response.status_code == 400
            assert "set `operationName`" in response.json()["errors"][0]["message"]
    assert counter == [0]
