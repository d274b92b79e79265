"""An HTTP client for the real ASGI app (lifespan included) and a GraphQL helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
from sqlalchemy import event

from coinstack_graphql.app import create_app
from coinstack_graphql.settings import Settings

# Tests send many expensive queries; the cost throttle has its own tests.
TEST_SETTINGS = Settings(rate_limit_capacity=10**9, rate_limit_restore_per_s=10**9)


class GraphQLClient:
    """Posts GraphQL to /graphql; `statements` counts the SQL SELECTs of the last request."""

    def __init__(self, http: httpx.AsyncClient, app: Any) -> None:
        self.http = http
        self.app = app
        self.statements: list[str] = []

    async def post(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        self.statements.clear()
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.http.post("/graphql", json=body, **kw)

    async def execute(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """The `data` of a successful response; fails the test on any error."""
        response = await self.post(query, variables, **kw)
        payload = response.json()
        assert response.status_code == 200, payload
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    async def settle(self) -> None:
        """Wait for the app's background work (e.g. resuming batches at start-up)."""
        import asyncio

        tasks = list(self.app.state.coinstack.services.get("background_tasks", ()))
        if tasks:
            await asyncio.wait(tasks, timeout=30)

    @property
    def select_count(self) -> int:
        return sum(
            1 for s in self.statements
            if s.lstrip().upper().startswith("SELECT") and "api_tokens" not in s
        )


@asynccontextmanager
async def graphql_client(database_url: str, **settings: Any) -> AsyncIterator[GraphQLClient]:
    """The app on `database_url`, started and stopped around the block."""
    app = create_app(replace(TEST_SETTINGS, database_url=database_url, **settings))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            client = GraphQLClient(http, app)

            def record(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
                client.statements.append(statement)

            engine = app.state.coinstack.engine
            event.listen(engine.sync_engine, "before_cursor_execute", record)
            yield client
