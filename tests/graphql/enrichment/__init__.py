"""Helpers for the enrichment API tests: the app on a demo copy, aimed at the fake API.

Demo coins used: 52, a Claudius as with legends and no historical significance yet; 57, a
Titus denarius; the five coins of Hadrian for batches.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from coinstack_graphql.auth.tokens import create_token
from coinstack_graphql.graphql.core.relay import to_global_id
from tests.enrichment import answer_by_tool, open_sessions
from tests.fakes.anthropic_api import FakeAnthropic
from tests.support.client import GraphQLClient, graphql_client

MODEL = "claude-haiku-4-5"
CLAUDIUS = 52
TITUS = 57
BATCH_FIELDS = "id jobId status total progress errors updated capability message"


def llm_settings(fake: FakeAnthropic, **overrides: Any) -> dict[str, Any]:
    """Settings that point the server's SDK client at the fake."""
    return {
        "anthropic_api_key": "test",
        "anthropic_base_url": fake.url,
        "llm_model": MODEL,
        "llm_max_retries": 0,
        "llm_timeout_s": 10.0,
        **overrides,
    }


@asynccontextmanager
async def llm_app(url: str, **overrides: Any) -> AsyncIterator[tuple[GraphQLClient, FakeAnthropic]]:
    """The app on `url` with the fake API answering every tool with its canned answer."""
    async with FakeAnthropic() as fake:
        fake.respond_with(answer_by_tool)
        async with graphql_client(url, **llm_settings(fake, **overrides)) as client:
            yield client, fake


def coin_id(database_id: int) -> str:
    return to_global_id("Coin", database_id)


async def token(url: str, name: str, scope: str) -> str:
    """A new API token's plaintext (from then on the server requires one)."""
    async with open_sessions(url) as sessions, sessions() as session, session.begin():
        _, plaintext = await create_token(session, name, scope)
    return plaintext


async def wait_for_batch(client: GraphQLClient, batch_id: str, limit: float = 30) -> dict[str, Any]:
    """Poll enrichmentBatch until it has finished; returns it."""
    query = f"query B($id: ID!) {{ enrichmentBatch(id: $id) {{ {BATCH_FIELDS} }} }}"
    async with asyncio.timeout(limit):
        while True:
            batch = (await client.execute(query, {"id": batch_id}))["enrichmentBatch"]
            if batch["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                return batch
            await asyncio.sleep(0.05)
