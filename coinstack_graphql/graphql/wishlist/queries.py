"""Root queries: `wishlistItems`, `wishlistMatches`."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.wishlist.types import WishlistItem, WishlistMatch
from coinstack_graphql.wishlist import models as w

WishlistStatusEnum = graphql_enum(w.WishlistStatus)


@strawberry.type
class WishlistQuery:
    @strawberry.field(description="Wishlist items, highest priority (1) first.")
    async def wishlist_items(
        self,
        info: Info,
        status: WishlistStatusEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WishlistItem]:
        stmt = select(w.WishlistItem)
        if status is not None:
            stmt = stmt.where(w.WishlistItem.status == status)
        keys = [SortKey(w.WishlistItem.priority, nullable=True), SortKey(w.WishlistItem.id)]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

    @strawberry.field(description="Matched lots, best score first; dismissed ones on request.")
    async def wishlist_matches(
        self,
        info: Info,
        wishlist_item: strawberry.ID | None = None,
        include_dismissed: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WishlistMatch]:
        stmt = select(w.WishlistMatch)
        if wishlist_item is not None:
            item_id = decode_id(wishlist_item, "WishlistItem", argument="wishlistItem")
            stmt = stmt.where(w.WishlistMatch.wishlist_item_id == item_id)
        if not include_dismissed:
            stmt = stmt.where(w.WishlistMatch.dismissed.is_(False))
        keys = [SortKey(w.WishlistMatch.match_score, descending=True, nullable=True),
                SortKey(w.WishlistMatch.id)]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)
