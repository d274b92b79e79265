"""Root queries: `collection`, `collections`, `series`."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from coinstack_graphql.collections import models as c
from coinstack_graphql.graphql.collections.loaders import CollectionByIdLoader
from coinstack_graphql.graphql.collections.types import Collection, Series
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.series import models as s


@strawberry.type
class CollectionQuery:
    @strawberry.field
    async def collection(self, info: Info, id: strawberry.ID) -> Collection | None:
        return await info.context.loaders.get(CollectionByIdLoader).load(
            decode_id(id, "Collection")
        )

    @strawberry.field(description="Collections under `parent` (top level when omitted).")
    async def collections(
        self,
        info: Info,
        parent: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Collection]:
        stmt = select(c.Collection)
        if parent is None:
            stmt = stmt.where(c.Collection.parent_id.is_(None))
        else:
            stmt = stmt.where(c.Collection.parent_id == decode_id(parent, "Collection", argument="parent"))
        keys = [SortKey(c.Collection.display_order, nullable=True), SortKey(c.Collection.name),
                SortKey(c.Collection.id)]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

    @strawberry.field(description="Every collecting series, by name.")
    async def series(self, info: Info) -> list[Series]:
        async with info.context.sessions() as session:
            rows = await session.execute(select(s.Series).order_by(s.Series.name, s.Series.id))
            return list(rows.scalars())
