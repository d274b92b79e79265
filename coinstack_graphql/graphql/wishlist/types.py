"""Wishlist items and the auction lots matched to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Parent

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.graphql.wishlist import loaders as ld
from coinstack_graphql.wishlist import models as w

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin
    from coinstack_graphql.graphql.collections.types import SeriesSlot

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]


@model_type(w.WishlistMatch, name="WishlistMatch", exclude=["wishlist_item_id"],
            description="An auction lot scored against a wishlist item.")
class WishlistMatch(Node):
    @strawberry.field
    async def wishlist_item(self, root: Parent[w.WishlistMatch], info: Info) -> WishlistItem:
        return await info.context.loaders.get(ld.WishlistItemByIdLoader).load(
            root.wishlist_item_id
        )


@model_type(w.WishlistItem, name="WishlistItem", exclude=["acquired_coin_id", "series_slot_id"],
            description="A coin the collector wants, with the criteria lots are matched on.")
class WishlistItem(Node):
    @strawberry.field(description="Matched lots, best first.")
    async def matches(
        self, root: Parent[w.WishlistItem], info: Info, include_dismissed: bool = False
    ) -> list[WishlistMatch]:
        rows = await info.context.loaders.get(ld.MatchesByWishlistItemIdLoader).load(root.id)
        return [r for r in rows if include_dismissed or not r.dismissed]

    @strawberry.field
    async def acquired_coin(self, root: Parent[w.WishlistItem], info: Info) -> CoinT | None:
        from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

        if root.acquired_coin_id is None:
            return None
        return await info.context.loaders.get(CoinByIdLoader).load(root.acquired_coin_id)

    @strawberry.field
    async def series_slot(self, root: Parent[w.WishlistItem], info: Info) -> SeriesSlotT | None:
        from coinstack_graphql.graphql.collections.loaders import SeriesSlotByIdLoader

        if root.series_slot_id is None:
            return None
        return await info.context.loaders.get(SeriesSlotByIdLoader).load(root.series_slot_id)


SeriesSlotT = Annotated["SeriesSlot", strawberry.lazy("coinstack_graphql.graphql.collections.types")]
