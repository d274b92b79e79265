"""Root queries: `priceAlerts`, `marketPrices`."""

from __future__ import annotations

import strawberry
from sqlalchemy import or_, select

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.search import contains
from coinstack_graphql.graphql.market.types import MarketPrice, PriceAlert
from coinstack_graphql.market import models as mk

AlertStatusEnum = graphql_enum(mk.AlertStatus)


@strawberry.type
class MarketQuery:
    @strawberry.field
    async def price_alerts(
        self,
        info: Info,
        status: AlertStatusEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PriceAlert]:
        stmt = select(mk.PriceAlert)
        if status is not None:
            stmt = stmt.where(mk.PriceAlert.status == status)
        keys = [SortKey(mk.PriceAlert.id)]
        return await paginate(info.context.sessions, stmt, keys, first, after, last, before)

    @strawberry.field(description="Price series by attribution key or catalogue reference.")
    async def market_prices(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MarketPrice]:
        stmt = select(mk.MarketPrice)
        if search:
            stmt = stmt.where(
                or_(contains(mk.MarketPrice.attribution_key, search),
                    contains(mk.MarketPrice.catalog_ref, search))
            )
        keys = [SortKey(mk.MarketPrice.attribution_key), SortKey(mk.MarketPrice.id)]
        return await paginate(info.context.sessions, stmt, keys, first, after, last, before)
