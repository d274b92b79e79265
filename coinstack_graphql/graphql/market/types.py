"""Valuations, market price series and price alerts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Parent

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.graphql.market import loaders as ld
from coinstack_graphql.market import models as mk

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]
WishlistItemT = Annotated["WishlistItem", strawberry.lazy("coinstack_graphql.graphql.wishlist.types")]


async def _coin(info: Info, coin_id: int | None) -> CoinT | None:
    from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

    if coin_id is None:
        return None
    return await info.context.loaders.get(CoinByIdLoader).load(coin_id)


@model_type(mk.CoinValuation, name="CoinValuation", exclude=["coin_id"],
            description="A valuation snapshot: market value from comparables, gain or loss.")
class CoinValuation(Node):
    @strawberry.field
    async def coin(self, root: Parent[mk.CoinValuation], info: Info) -> CoinT:
        return await _coin(info, root.coin_id)


@model_type(mk.MarketDataPoint, name="MarketDataPoint", exclude=["market_price_id"],
            description="One observed price: a realised auction price or a dealer's asking price.")
class MarketDataPoint(Node):
    pass


@model_type(mk.MarketPrice, name="MarketPrice",
            description="The price series of one attribution key (one coin type).")
class MarketPrice(Node):
    @strawberry.field(description="Observations, newest first.")
    async def data_points(
        self, root: Parent[mk.MarketPrice], info: Info, limit: int = 100
    ) -> list[MarketDataPoint]:
        rows = await info.context.loaders.get(ld.DataPointsByMarketPriceIdLoader).load(root.id)
        return rows[: max(0, min(limit, 1000))]


@model_type(mk.PriceAlert, name="PriceAlert", exclude=["coin_id", "wishlist_id"])
class PriceAlert(Node):
    @strawberry.field
    async def coin(self, root: Parent[mk.PriceAlert], info: Info) -> CoinT | None:
        return await _coin(info, root.coin_id)

    @strawberry.field
    async def wishlist_item(self, root: Parent[mk.PriceAlert], info: Info) -> WishlistItemT | None:
        from coinstack_graphql.graphql.wishlist.loaders import WishlistItemByIdLoader

        if root.wishlist_id is None:
            return None
        return await info.context.loaders.get(WishlistItemByIdLoader).load(root.wishlist_id)
