"""Root queries: `priceAlerts`, `marketPrices`, `marketTrend`, `portfolio`."""

from __future__ import annotations

import strawberry
from sqlalchemy import or_, select

from coinstack_graphql.errors import DomainError
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.search import contains
from coinstack_graphql.graphql.market.portfolio_types import Portfolio
from coinstack_graphql.graphql.market.types import (
    MarketPrice,
    MarketTrendPoint,
    PriceAlert,
    check_trend_months,
)
from coinstack_graphql.market import models as mk
from coinstack_graphql.market.portfolio import portfolio
from coinstack_graphql.market.trends import market_trend

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
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

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
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

    @strawberry.field(description="Monthly median, count, min and max in USD of one coin type "
                                  "over the last `months` calendar months (1-120, this one "
                                  "included) that have data, oldest first. `attributionKey` "
                                  "may also be a citation (\"RIC I² 207\").")
    async def market_trend(
        self, info: Info, attribution_key: str, months: int | None = 24
    ) -> list[MarketTrendPoint]:
        months = check_trend_months(months)
        async with info.context.sessions() as session:
            try:
                points = await market_trend(
                    session, attribution_key, months, rates=info.context.settings.currency_rates
                )
            except DomainError as exc:
                raise bad_request(exc.message) from None
        return [MarketTrendPoint.of(p) for p in points]

    @strawberry.field(description="Totals and breakdowns of the whole collection, in USD.")
    async def portfolio(self, info: Info) -> Portfolio:
        async with info.context.sessions() as session:
            figures = await portfolio(session, rates=info.context.settings.currency_rates)
        return Portfolio.of(figures)
