"""Valuations, market price series and price alerts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import Parent

from coinstack_graphql.db.base import utcnow
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.loaders import BaseLoader, ModelLoader
from coinstack_graphql.graphql.core.model_fields import graphql_enum, model_type
from coinstack_graphql.graphql.core.node_registry import by_id_loader
from coinstack_graphql.graphql.core.relay import Node, to_global_id
from coinstack_graphql.graphql.market import loaders as ld
from coinstack_graphql.market import models as mk
from coinstack_graphql.market.alerts import AlertTrigger as AlertTriggerRecord
from coinstack_graphql.market.trends import (
    MAX_TREND_MONTHS,
    TrendPoint,
    load_observations,
    monthly_points,
    months_before,
)

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin
    from coinstack_graphql.graphql.wishlist.types import WishlistItem

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

    @strawberry.field(description="Monthly median, count, min and max in USD over the last "
                                  "`months` calendar months (1-120, this one included) "
                                  "that have data, oldest first; as `marketTrend`.")
    async def trend(
        self, root: Parent[mk.MarketPrice], info: Info, months: int | None = 24
    ) -> list[MarketTrendPoint]:
        months = check_trend_months(months)
        loader = info.context.loaders.get(TrendsByKeyLoader)
        loader.rates = info.context.settings.currency_rates
        points = await loader.load((root.attribution_key, months))
        return [MarketTrendPoint.of(p) for p in points]


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


# ---- read models that are not rows: trends and alert triggers


DEFAULT_TREND_MONTHS = 24


class MarketPriceByKeyLoader(ModelLoader[str]):
    model = mk.MarketPrice
    key = mk.MarketPrice.attribution_key


@strawberry.type(description="One calendar month of a price series that has data, in USD: "
                             "prices as recorded (asking and realised), not grade-adjusted.")
class MarketTrendPoint:
    month: dt.date = strawberry.field(description="The month's first day.")
    median_usd: Decimal
    count: int
    min_usd: Decimal
    max_usd: Decimal

    @classmethod
    def of(cls, point: TrendPoint) -> MarketTrendPoint:
        return cls(month=point.month, median_usd=point.median_usd, count=point.count,
                   min_usd=point.min_usd, max_usd=point.max_usd)


def check_trend_months(months: int | None) -> int:
    """`months` (null: 24); outside 1..120 is a GraphQL error, not an empty list."""
    if months is None:
        return DEFAULT_TREND_MONTHS
    if not 1 <= months <= MAX_TREND_MONTHS:
        raise bad_request(f"months must be 1 to {MAX_TREND_MONTHS}; got {months}")
    return months


class TrendsByKeyLoader(BaseLoader[tuple[str, int]]):
    """Monthly trend points of (attribution key, months): one query per distinct `months`.

    Groups exactly as `trends.market_trend` does (a test holds the two equal); set `rates`
    before loading.
    """

    rates: Mapping[str, Decimal] = {}

    async def _load_batch(self, keys: list[tuple[str, int]]) -> list[Any]:
        today = utcnow().date()
        wanted: dict[int, set[str]] = defaultdict(set)
        for key, months in keys:
            wanted[months].add(key)
        found: dict[tuple[str, int], list[TrendPoint]] = {}
        async with self.sessions() as session:
            for months, series in wanted.items():
                first = months_before(today.replace(day=1), months - 1)
                rows = await load_observations(session, series, since=first, until=today)
                for key, observations in rows.items():
                    found[(key, months)] = monthly_points(observations, self.rates)
        return [found.get(k, []) for k in keys]


AlertTriggerEnum = graphql_enum(mk.AlertTrigger)


@strawberry.type(description="A price alert that fired: what was observed against what was set.")
class PriceAlertTrigger:
    alert_id: strawberry.ID = strawberry.field(description="Global ID of the PriceAlert.")
    trigger_type: AlertTriggerEnum  # type: ignore[valid-type]
    attribution_key: str | None
    observed_value: Decimal | None = strawberry.field(
        description="USD price observed; the % change for PCT_CHANGE alerts."
    )
    threshold: Decimal | None = strawberry.field(
        description="The alert's USD threshold, or its % for PCT_CHANGE; null for NEW_MATCH."
    )
    observation_key: str = strawberry.field(
        description="What fired it (point:<id>, window:<W>m:point:<id>, match:<id>); an "
                    "alert never fires twice on one observation."
    )
    message: str
    triggered_at: dt.datetime
    database_alert_id: strawberry.Private[int]

    @strawberry.field(description="The alert as it is now; null if it was deleted since.")
    async def alert(self, info: Info) -> PriceAlert | None:
        loader = info.context.loaders.get(by_id_loader(mk.PriceAlert))
        return await loader.load(self.database_alert_id)  # type: ignore[no-any-return]

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> PriceAlertTrigger:
        """From `AlertTrigger.payload()`, as published on ALERT_CHANNEL."""
        alert_id = int(payload["alertId"])
        observed, threshold = payload.get("observedValue"), payload.get("threshold")
        moment = dt.datetime.fromisoformat(str(payload["triggeredAt"]))
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return cls(
            alert_id=strawberry.ID(to_global_id("PriceAlert", alert_id)),
            trigger_type=mk.AlertTrigger(payload["triggerType"]),
            attribution_key=payload.get("attributionKey"),
            observed_value=None if observed is None else Decimal(str(observed)),
            threshold=None if threshold is None else Decimal(str(threshold)),
            observation_key=str(payload.get("observationKey") or ""),
            message=str(payload.get("message") or ""),
            triggered_at=moment,
            database_alert_id=alert_id,
        )

    @classmethod
    def of(cls, trigger: AlertTriggerRecord) -> PriceAlertTrigger:
        return cls.from_payload(trigger.payload())
