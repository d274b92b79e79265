"""DataLoaders for valuations, market prices and data points."""

from __future__ import annotations

from coinstack_graphql.graphql.core.loaders import ModelLoader
from coinstack_graphql.market import models as mk


class ValuationsByCoinIdLoader(ModelLoader[int]):
    model = mk.CoinValuation
    key = mk.CoinValuation.coin_id
    many = True
    order_by = (mk.CoinValuation.valuation_date.desc(), mk.CoinValuation.id.desc())


class DataPointsByMarketPriceIdLoader(ModelLoader[int]):
    model = mk.MarketDataPoint
    key = mk.MarketDataPoint.market_price_id
    many = True
    order_by = (mk.MarketDataPoint.date.desc(), mk.MarketDataPoint.id.desc())
