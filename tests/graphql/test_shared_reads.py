"""One HTTP request reads through one pooled connection, given back when it answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event

from bench.queries import COLLECTION_PAGE, COLLECTION_PAGE_RELATIONS
from tests.support.client import GraphQLClient, graphql_client


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


def _count_checkouts(client: GraphQLClient) -> list[int]:
    checkouts: list[int] = []
    pool = client.app.state.coinstack.engine.sync_engine.pool

    def on_checkout(*_args: Any) -> None:
        checkouts.append(1)

    event.listen(pool, "checkout", on_checkout)
    return checkouts


async def test_the_collection_page_uses_one_connection_for_all_its_batches(
    client: GraphQLClient,
) -> None:
    await client.settle()  # start-up work (resuming enrichment batches) reads too
    checkouts = _count_checkouts(client)
    data = await client.execute(COLLECTION_PAGE, {"first": 50})
    assert len(data["coins"]["edges"]) == 50
    # The page and every relation's batch share one connection; the credential check
    # before execution takes its own.
    assert client.select_count >= COLLECTION_PAGE_RELATIONS
    assert len(checkouts) <= 2
    assert client.app.state.coinstack.engine.sync_engine.pool.checkedout() == 0


async def test_a_failed_request_gives_its_connection_back(client: GraphQLClient) -> None:
    response = await client.post('{ coins(after: "garbage") { totalCount } }')
    assert response.json()["errors"]
    await client.execute("{ coins(first: 1) { totalCount } }")
    assert client.app.state.coinstack.engine.sync_engine.pool.checkedout() == 0


async def test_loader_rows_are_read_only_tuples_of_the_model(client: GraphQLClient) -> None:
    # Through a loader (references) and a page (coins): rows, not ORM instances, yet the
    # same values the ORM would give (enums as enum values, decimals as strings).
    data = await client.execute(
        '{ coin(id: "Q29pbjox") { metal weightG'
        ' references { isPrimary referenceType { system localRef } } } }'
    )
    coin = data["coin"]
    assert coin["metal"].isupper() and isinstance(coin["weightG"], str)
    assert coin["references"] and all(r["referenceType"]["system"] for r in coin["references"])


async def test_a_batch_after_close_reads_through_a_session_of_its_own(
    client: GraphQLClient,
) -> None:
    # graphql-core may answer a failed operation while DataLoader tasks are still
    # queued; such a straggler runs after the request closed its shared session and
    # must not open one that nobody closes.
    from sqlalchemy import text

    from coinstack_graphql.graphql.core.loaders import SharedReads

    state = client.app.state.coinstack
    pool = state.engine.sync_engine.pool
    reads = SharedReads(state.read_sessions)
    async with reads() as session:
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
    assert pool.checkedout() == 1  # held for the rest of the request
    await reads.close()
    assert pool.checkedout() == 0
    async with reads() as late:
        assert (await late.execute(text("SELECT 2"))).scalar_one() == 2
    assert pool.checkedout() == 0
