"""Collections (custom, smart, hierarchical) and collecting series with their slots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import select
from strawberry import Parent

from coinstack_graphql.coins.models import Coin as CoinModel
from coinstack_graphql.collections import models as c
from coinstack_graphql.collections.membership import collection_member_condition, load_smart_filters
from coinstack_graphql.graphql.collections import loaders as ld
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.loaders import relation
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.pagination import Connection
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.series import models as s

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.inputs import CoinOrder
    from coinstack_graphql.graphql.coins.types import Coin

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]
CoinOrderT = Annotated["CoinOrder", strawberry.lazy("coinstack_graphql.graphql.coins.inputs")]


@model_type(c.Collection, name="Collection", exclude=["parent_id"],
            description="A named group of coins: hand-picked (custom) or a saved filter (smart).")
class Collection(Node):
    @strawberry.field(description="Members in display order (smart: whatever the filter matches now).")
    async def coins(
        self,
        root: Parent[c.Collection],
        info: Info,
        order_by: list[CoinOrderT] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CoinT]:
        from coinstack_graphql.graphql.coins.queries import coin_connection

        if root.collection_type == c.CollectionType.SMART:
            async with info.context.sessions() as session:
                smart = await load_smart_filters(session)
            stmt = select(CoinModel).where(collection_member_condition([root.id], smart))
            return await coin_connection(info, stmt, order_by, first, after, last, before)
        stmt = select(CoinModel).join(
            c.CollectionCoin, c.CollectionCoin.coin_id == CoinModel.id
        ).where(c.CollectionCoin.collection_id == root.id)
        if not order_by:
            return await _positioned(info, stmt, first, after, last, before)
        return await coin_connection(info, stmt, order_by, first, after, last, before)

    @strawberry.field
    @relation(ld.CollectionByIdLoader, key="parent_id")
    def parent(self, root: Parent[c.Collection], info: Info) -> Collection | None: ...

    @strawberry.field
    @relation(ld.ChildCollectionsByParentIdLoader)
    def children(self, root: Parent[c.Collection], info: Info) -> list[Collection]: ...


async def _positioned(info, stmt, first, after, last, before):  # type: ignore[no-untyped-def]
    """A custom collection's own order: position, then when the coin was added."""
    from coinstack_graphql.graphql.core.pagination import (
        SortKey,
        build_connection,
        count_of,
        fetch_pages,
        page_args,
    )

    args = page_args(first, after, last, before)
    keys = [SortKey(c.CollectionCoin.position, nullable=True), SortKey(CoinModel.id)]
    async with info.context.loaders.reads() as session:
        items, has_next, has_prev = (await fetch_pages(session, stmt, keys, args))[None]

    async def count() -> int:
        async with info.context.loaders.reads() as session:
            return int((await session.execute(count_of(stmt))).scalar_one())

    return build_connection(items, has_next, has_prev, count)


@model_type(s.SeriesSlot, name="SeriesSlot", exclude=["series_id"])
class SeriesSlot(Node):
    @strawberry.field(description="The coin filling this slot, if any.")
    async def coin(self, root: Parent[s.SeriesSlot], info: Info) -> CoinT | None:
        from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

        members = await info.context.loaders.get(ld.MembershipsBySeriesIdLoader).load(
            root.series_id
        )
        filled = next((mb for mb in members if mb.slot_id == root.id), None)
        if filled is None:
            return None
        return await info.context.loaders.get(CoinByIdLoader).load(filled.coin_id)

    @strawberry.field
    @relation(ld.SeriesByIdLoader, key="series_id")
    def series(self, root: Parent[s.SeriesSlot], info: Info) -> Series: ...


@model_type(s.Series, name="Series", exclude=["canonical_vocab_id"],
            description="A collecting series (e.g. the Twelve Caesars): slots that coins fill.")
class Series(Node):
    @strawberry.field
    @relation(ld.SlotsBySeriesIdLoader)
    def slots(self, root: Parent[s.Series], info: Info) -> list[SeriesSlot]: ...

    @strawberry.field(description="How many slots are filled.")
    async def filled_count(self, root: Parent[s.Series], info: Info) -> int:
        members = await info.context.loaders.get(ld.MembershipsBySeriesIdLoader).load(root.id)
        return sum(1 for mb in members if mb.slot_id is not None)

    @strawberry.field(description="How many slots the series has.")
    async def slot_count(self, root: Parent[s.Series], info: Info) -> int:
        return len(await info.context.loaders.get(ld.SlotsBySeriesIdLoader).load(root.id))

    @strawberry.field(description="Filled share of the slots, 0–100.")
    async def completion_pct(self, root: Parent[s.Series], info: Info) -> float:
        slots = await info.context.loaders.get(ld.SlotsBySeriesIdLoader).load(root.id)
        if not slots:
            return 0.0
        members = await info.context.loaders.get(ld.MembershipsBySeriesIdLoader).load(root.id)
        filled = sum(1 for mb in members if mb.slot_id is not None)
        return round(100.0 * filled / len(slots), 1)
