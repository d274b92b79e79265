"""Root query `auctionLots` with its filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy import select

from coinstack_graphql.auctions import models as a
from coinstack_graphql.graphql.auctions.types import AuctionLot
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.search import contains


@strawberry.input(description="Conditions on auction lots; all given conditions must hold.")
class AuctionLotFilter:
    auction_house: str | None = None
    ruler: str | None = None
    denomination: str | None = None
    reference: str | None = strawberry.field(default=None, description="Primary reference text.")
    date_from: date | None = None
    date_to: date | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sold: bool | None = None
    linked_to_collection: bool | None = strawberry.field(
        default=None, description="Only lots that are (or are not) coins of the collection."
    )
    search: str | None = None


@strawberry.type
class AuctionQuery:
    @strawberry.field(description="Auction lots, newest first.")
    async def auction_lots(
        self,
        info: Info,
        filter: AuctionLotFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuctionLot]:
        stmt = select(a.AuctionData)
        f = filter or AuctionLotFilter()
        if f.auction_house:
            stmt = stmt.where(contains(a.AuctionData.auction_house, f.auction_house))
        if f.ruler:
            stmt = stmt.where(contains(a.AuctionData.ruler, f.ruler))
        if f.denomination:
            stmt = stmt.where(contains(a.AuctionData.denomination, f.denomination))
        if f.reference:
            stmt = stmt.where(contains(a.AuctionData.primary_reference, f.reference))
        if f.date_from:
            stmt = stmt.where(a.AuctionData.auction_date >= f.date_from)
        if f.date_to:
            stmt = stmt.where(a.AuctionData.auction_date <= f.date_to)
        if f.price_min is not None:
            stmt = stmt.where(a.AuctionData.total_price >= f.price_min)
        if f.price_max is not None:
            stmt = stmt.where(a.AuctionData.total_price <= f.price_max)
        if f.sold is not None:
            stmt = stmt.where(a.AuctionData.sold.is_(f.sold))
        if f.linked_to_collection is not None:
            col = a.AuctionData.coin_id
            stmt = stmt.where(col.is_not(None) if f.linked_to_collection else col.is_(None))
        if f.search:
            stmt = stmt.where(contains(a.AuctionData.title, f.search))
        keys = [SortKey(a.AuctionData.auction_date, descending=True, nullable=True),
                SortKey(a.AuctionData.id, descending=True)]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)
