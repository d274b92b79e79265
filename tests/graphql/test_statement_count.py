"""No N+1: the collection page costs one statement per relation, whatever the page size."""

from __future__ import annotations

import pytest

from bench.queries import COLLECTION_PAGE, COLLECTION_PAGE_RELATIONS
from tests.support.client import graphql_client


@pytest.mark.parametrize("first", [10, 100])
async def test_collection_page_statements_do_not_grow_with_page_size(demo_db: str, first: int) -> None:
    async with graphql_client(demo_db) as client:
        await client.settle()  # start-up work (resuming batches) is not part of the page
        data = await client.execute(COLLECTION_PAGE, {"first": first})
        counted = client.select_count
        assert len(data["coins"]["edges"]) == first
        # one for the page (totalCount rides along), one per relation, one extra for the
        # collections relation (smart filters are read before they are evaluated)
        assert counted <= COLLECTION_PAGE_RELATIONS + 2, client.statements
        other = 110 - first
        await client.execute(COLLECTION_PAGE, {"first": min(other, 100)})
        assert client.select_count == counted
