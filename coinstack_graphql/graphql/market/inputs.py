"""Inputs of the market mutations: data points, valuations, price alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.model_inputs import changes_of, model_input
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.market import models as mk
from coinstack_graphql.market.data_service import MarketDataPointInput as PointValues

MarketSourceEnum = graphql_enum(mk.MarketSource)

_KEY = "The series: an attribution key (\"ric.1(2).207\", \"type:hadrian|sestertius|…\")."
_CITATION = "The series by catalogue citation (\"RIC I² 207\"), instead of attributionKey."


@strawberry.input(description="One observed price of a coin type; name the type by "
                              "attributionKey or citation. Stored in its own currency.")
class MarketDataPointInput:
    price: Decimal = strawberry.field(description="Greater than 0, at most two decimals.")
    source: MarketSourceEnum  # type: ignore[valid-type]
    date: dt.date = strawberry.field(description="Sale or asking date; not in the future.")
    currency: str = strawberry.field(
        default="USD", description="ISO code; other than USD it needs a configured rate."
    )
    attribution_key: str | None = strawberry.field(default=None, description=_KEY)
    citation: str | None = strawberry.field(default=None, description=_CITATION)
    grade: str | None = strawberry.field(default=None, description="Must read on the NGC ladder.")
    auction_house: str | None = None
    lot_url: str | None = strawberry.field(
        default=None, description="http(s) URL; a point whose URL is already stored is skipped."
    )
    confidence: str | None = strawberry.field(
        default=None, description="low, medium (the default) or high."
    )

    def values(self) -> PointValues:
        return PointValues(
            price=self.price, date=self.date, source=self.source, currency=self.currency,
            attribution_key=self.attribution_key, citation=self.citation, grade=self.grade,
            auction_house=self.auction_house, lot_url=self.lot_url, confidence=self.confidence,
        )


@strawberry.input(description="Up to 250 observations; all are checked before any is stored.")
class AddMarketDataPointsInput:
    points: list[MarketDataPointInput]


_WINDOW = "Months of comparables to use (1-120); the server's setting when omitted."


@strawberry.input(description="Value one coin from comparable sales of its type.")
class ValueCoinInput:
    coin: strawberry.ID
    window_months: int | None = strawberry.field(default=None, description=_WINDOW)


@strawberry.input(description="Value every coin; `{}` uses the server's window.")
class RevaluePortfolioInput:
    window_months: int | None = strawberry.field(default=None, description=_WINDOW)


ALERT_FIELDS = ["trigger_type", "attribution_key", "threshold_value", "threshold_pct",
                "window_months", "expires_at", "notes", "status"]
_COIN = "Follow this coin's attribution key (even if its references change)."
_WISH = "The wishlist item a NEW_MATCH alert watches."


@model_input(mk.PriceAlert, name="CreatePriceAlertInput", fields=ALERT_FIELDS,
             required=["trigger_type"],
             description="PRICE_BELOW/PRICE_ABOVE need thresholdValue (USD); PCT_CHANGE needs "
                         "thresholdPct (15 = a rise of 15 %, -20 = a fall of 20 %) and takes "
                         "windowMonths (default 12); these three target one of attributionKey, "
                         "citation or coin. NEW_MATCH needs wishlistItem.")
class CreatePriceAlertInput:
    citation: str | None = strawberry.field(default=strawberry.UNSET, description=_CITATION)
    coin: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_COIN)
    wishlist_item: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_WISH
    )


@model_input(mk.PriceAlert, name="UpdatePriceAlertInput", fields=ALERT_FIELDS,
             description="Fields to change; omitted ones stay, null clears. Settings that do "
                         "not belong to a new triggerType are cleared; status ACTIVE re-arms "
                         "a triggered or expired alert.")
class UpdatePriceAlertInput:
    id: strawberry.ID
    citation: str | None = strawberry.field(default=strawberry.UNSET, description=_CITATION)
    coin: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_COIN)
    wishlist_item: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_WISH
    )


@strawberry.input
class DeletePriceAlertInput:
    id: strawberry.ID


@strawberry.input(description="Evaluate every active alert now.")
class EvaluatePriceAlertsInput:
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Echoed in the payload, to match answers to requests."
    )


def alert_changes(value: Any) -> dict[str, Any]:
    """The alert columns an input sets (global IDs decoded), as the alert service takes them."""
    changes = changes_of(value, skip={"id", "coin", "wishlist_item"})
    coin = getattr(value, "coin", strawberry.UNSET)
    if coin is not strawberry.UNSET:
        changes["coin_id"] = (
            None if coin is None else decode_id(coin, "Coin", argument="input.coin")
        )
    item = getattr(value, "wishlist_item", strawberry.UNSET)
    if item is not strawberry.UNSET:
        changes["wishlist_id"] = (
            None if item is None
            else decode_id(item, "WishlistItem", argument="input.wishlistItem")
        )
    return changes


# Service error paths → where the client typed the value.
ALERT_PATHS = {"coinId": ["coin"], "wishlistId": ["wishlistItem"], "alertId": ["id"]}
