"""A toy schema and clients for testing the HTTP face against real ASGI calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message
from strawberry.types import Info

from coinstack_graphql.http import MaskInternalErrors, graphiql_routes, make_graphql_app

MAX_BODY = 10_000


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def add(self, a: int, b: int) -> int:
        return a + b

    @strawberry.field
    def echo(self, value: str) -> str:
        return value

    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError("connection to db-primary:5432 refused")

    @strawberry.field
    def must_exist(self) -> str:
        raise RuntimeError("the non-null root field failed")

    @strawberry.field
    def missing_coin(self) -> str | None:
        raise GraphQLError("No coin with that id.", extensions={"code": "NOT_FOUND"})

    @strawberry.field
    def authorization(self, info: Info) -> str | None:
        return info.context["request"].headers.get("authorization")

    @strawberry.field
    def set_cookie(self, info: Info) -> bool:
        info.context["response"].set_cookie("seen", "yes")
        return True


@strawberry.type
class Mutation:
    @strawberry.mutation
    def increment(self, info: Info, by: int = 1) -> int:
        counter: list[int] = info.context["counter"]
        counter[0] += by
        return counter[0]


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int = 3) -> AsyncGenerator[int, None]:
        for i in range(1, to + 1):
            yield i
            await asyncio.sleep(0)

    @strawberry.subscription
    async def broken(self) -> AsyncGenerator[int, None]:
        yield 1
        raise RuntimeError("feed credentials expired")


def make_schema(*, production: bool, extensions: Sequence[Any] = ()) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*extensions, lambda: MaskInternalErrors(production=production)],
    )


AppFactory = Callable[..., tuple[ASGIApp, list[int]]]


@pytest.fixture
def schema_factory() -> Callable[..., strawberry.Schema]:
    """`schema_factory(production=...)` -> the toy schema with masking installed."""
    return make_schema


@pytest.fixture
def build_app() -> AppFactory:
    """Build a Starlette app around the GraphQL app; returns it and the mutation counter."""

    def build(*, production: bool = False, **options: Any) -> tuple[ASGIApp, list[int]]:
        counter = [0]

        async def context_getter(request: Any, response: Any) -> dict[str, Any]:
            return {"request": request, "response": response, "counter": counter}

        options.setdefault("max_body_bytes", MAX_BODY)
        graphql_app = make_graphql_app(
            make_schema(production=production),
            context_getter=context_getter,
            production=production,
            **options,
        )
        app = Starlette(
            routes=[
                Route("/graphql", graphql_app),
                WebSocketRoute("/graphql", graphql_app),
                *graphiql_routes(),
            ]
        )
        return app, counter

    return build


ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def make_client(build_app: AppFactory) -> AsyncIterator[ClientFactory]:
    """`await make_client(production=..., allow_batching=...)` -> an httpx client on the app."""
    clients: list[httpx.AsyncClient] = []

    async def make(**options: Any) -> httpx.AsyncClient:
        app, _ = build_app(**options)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory) -> httpx.AsyncClient:
    """A development-mode client with default options."""
    return await make_client()


RawAsgi = Callable[..., Awaitable[tuple[int, dict[str, str], bytes]]]


@pytest.fixture
def raw_asgi() -> RawAsgi:
    """Call an app with hand-made ASGI messages, for headers httpx would not send."""
    return _raw_asgi


async def _raw_asgi(
    app: ASGIApp,
    *,
    method: str,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
    path: str = "/graphql",
) -> tuple[int, dict[str, str], bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    pending: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)  # never: the app must not read past the last chunk
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    response_headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], response_headers, body
