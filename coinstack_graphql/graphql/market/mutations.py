"""Mutations of the market: data points, valuations, price alerts and their evaluation.

Valuations change coins' current values, so collection totals are recomputed in the same
transaction. Triggers fired by `evaluatePriceAlerts` are published on ALERT_CHANNEL only
after the commit (a rolled-back evaluation fires again next time), then marked notified.
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.mutations import Outcome, Transaction, run_in_transaction
from coinstack_graphql.graphql.core.node_registry import by_id_loader
from coinstack_graphql.graphql.core.payloads import reload_coin as _coin
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id, to_global_id
from coinstack_graphql.graphql.core.stats import refresh_stats_after_coin_write
from coinstack_graphql.graphql.market.inputs import (
    ALERT_PATHS,
    AddMarketDataPointsInput,
    CreatePriceAlertInput,
    DeletePriceAlertInput,
    EvaluatePriceAlertsInput,
    RevaluePortfolioInput,
    UpdatePriceAlertInput,
    ValueCoinInput,
    alert_changes,
)
from coinstack_graphql.graphql.market.portfolio_types import Portfolio
from coinstack_graphql.graphql.market.types import (
    CoinT,
    CoinValuation,
    MarketDataPoint,
    MarketPrice,
    MarketPriceByKeyLoader,
    PriceAlert,
    PriceAlertTrigger,
)
from coinstack_graphql.market import alerts
from coinstack_graphql.market import models as mk
from coinstack_graphql.market.data_service import add_market_data_points
from coinstack_graphql.market.portfolio import portfolio
from coinstack_graphql.market.valuation import revalue_portfolio, value_coin

logger = logging.getLogger(__name__)


@strawberry.type(description="A point not stored because its lot URL is already known.")
class SkippedMarketDataPoint:
    index: int = strawberry.field(description="Its position in input.points.")
    lot_url: str
    reason: str
    existing_id: strawberry.Private[int | None]

    @strawberry.field(description="The stored point with this lot URL (left as it was).")
    async def existing_data_point(self, info: Info) -> MarketDataPoint | None:
        if self.existing_id is None:
            return None
        loader = info.context.loaders.get(by_id_loader(mk.MarketDataPoint))
        return await loader.load(self.existing_id)  # type: ignore[no-any-return]


@strawberry.type
class AddMarketDataPointsPayload:
    added: list[MarketDataPoint] = strawberry.field(default_factory=list)
    skipped: list[SkippedMarketDataPoint] = strawberry.field(default_factory=list)
    series_created: list[MarketPrice] = strawberry.field(
        default_factory=list, description="Price series this call started."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ValueCoinPayload:
    valuation: CoinValuation | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
    coin_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The coin, with its new latestValuation.")
    async def coin(self, info: Info) -> CoinT | None:
        return await _coin(info, self.coin_id)


@strawberry.type
class RevaluePortfolioPayload:
    valued_count: int = 0
    valuations: list[CoinValuation] = strawberry.field(default_factory=list)
    portfolio: Portfolio | None = strawberry.field(
        default=None, description="The portfolio with the new values."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreatePriceAlertPayload:
    price_alert: PriceAlert | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdatePriceAlertPayload:
    price_alert: PriceAlert | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePriceAlertPayload:
    deleted_price_alert_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EvaluatePriceAlertsPayload:
    triggers: list[PriceAlertTrigger] = strawberry.field(
        default_factory=list, description="The alerts that fired, by alert id."
    )
    client_mutation_id: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)



async def _alert(info: Info, out: Outcome) -> Any:
    if not out.ok:
        return None
    return await info.context.loaders.get(by_id_loader(mk.PriceAlert)).load(out.value.id)


def _window(info: Info, months: int | None) -> int:
    return info.context.settings.valuation_window_months if months is None else months


@strawberry.type
class MarketMutation:
    @strawberry.mutation(description="Store observed prices (at most 250); points whose lot URL "
                                     "is already stored are skipped, not duplicated.")
    async def add_market_data_points(
        self, info: Info, input: AddMarketDataPointsInput
    ) -> AddMarketDataPointsPayload:
        points = [p.values() for p in input.points]
        rates = info.context.settings.currency_rates
        out = await run_in_transaction(
            info, lambda tx: add_market_data_points(tx.session, points, rates=rates)
        )
        if not out.ok:
            return AddMarketDataPointsPayload(user_errors=out.errors)
        series = await info.context.loaders.get(MarketPriceByKeyLoader).load_many(
            out.value.series_created
        )
        skipped = [
            SkippedMarketDataPoint(
                index=s.index, lot_url=s.lot_url, existing_id=s.existing_id,
                reason="a data point with this lotUrl is already stored",
            )
            for s in out.value.skipped
        ]
        return AddMarketDataPointsPayload(
            added=out.value.added, skipped=skipped, series_created=[s for s in series if s]
        )

    @strawberry.mutation(description="Value a coin from comparable sales of its type and record "
                                     "the valuation.")
    async def value_coin(self, info: Info, input: ValueCoinInput) -> ValueCoinPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        rates, window = info.context.settings.currency_rates, _window(info, input.window_months)

        async def work(tx: Transaction) -> Any:
            row = await value_coin(tx.session, coin_id, rates=rates, window_months=window)
            await refresh_stats_after_coin_write(tx.session)
            return row

        out = await run_in_transaction(info, work)
        return ValueCoinPayload(
            valuation=out.value, coin_id=coin_id if out.ok else None,
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )

    @strawberry.mutation(description="Value every coin and record the valuations.")
    async def revalue_portfolio(
        self, info: Info, input: RevaluePortfolioInput
    ) -> RevaluePortfolioPayload:
        rates, window = info.context.settings.currency_rates, _window(info, input.window_months)

        async def work(tx: Transaction) -> Any:
            rows = await revalue_portfolio(tx.session, rates=rates, window_months=window)
            await refresh_stats_after_coin_write(tx.session)
            return rows

        out = await run_in_transaction(info, work)
        if not out.ok:
            return RevaluePortfolioPayload(user_errors=out.errors)
        async with info.context.sessions() as session:
            figures = await portfolio(session, rates=rates)
        return RevaluePortfolioPayload(
            valued_count=len(out.value), valuations=out.value, portfolio=Portfolio.of(figures)
        )

    @strawberry.mutation(description="Watch a coin type's price, its trend, or a wishlist item's "
                                     "new matches.")
    async def create_price_alert(
        self, info: Info, input: CreatePriceAlertInput
    ) -> CreatePriceAlertPayload:
        values = alert_changes(input)
        out = await run_in_transaction(
            info, lambda tx: alerts.create_price_alert(tx.session, values)
        )
        return CreatePriceAlertPayload(
            price_alert=await _alert(info, out), user_errors=remap_paths(out.errors, ALERT_PATHS)
        )

    @strawberry.mutation(description="Change an alert; omitted fields stay, null clears.")
    async def update_price_alert(
        self, info: Info, input: UpdatePriceAlertInput
    ) -> UpdatePriceAlertPayload:
        alert_id = decode_id(input.id, "PriceAlert", argument="input.id")
        values = alert_changes(input)
        out = await run_in_transaction(
            info, lambda tx: alerts.update_price_alert(tx.session, alert_id, values)
        )
        return UpdatePriceAlertPayload(
            price_alert=await _alert(info, out), user_errors=remap_paths(out.errors, ALERT_PATHS)
        )

    @strawberry.mutation
    async def delete_price_alert(
        self, info: Info, input: DeletePriceAlertInput
    ) -> DeletePriceAlertPayload:
        alert_id = decode_id(input.id, "PriceAlert", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: alerts.delete_price_alert(tx.session, alert_id)
        )
        deleted = strawberry.ID(to_global_id("PriceAlert", alert_id)) if out.ok else None
        return DeletePriceAlertPayload(
            deleted_price_alert_id=deleted, user_errors=remap_paths(out.errors, ALERT_PATHS)
        )

    @strawberry.mutation(description="Expire, check and fire every active alert. Each trigger "
                                     "is also sent to `priceAlertTriggered` subscribers once "
                                     "committed. Scans do not evaluate: run this after "
                                     "scanWishlist for NEW_MATCH alerts.")
    async def evaluate_price_alerts(
        self, info: Info, input: EvaluatePriceAlertsInput
    ) -> EvaluatePriceAlertsPayload:
        rates = info.context.settings.currency_rates

        async def work(tx: Transaction) -> list[alerts.AlertTrigger]:
            fired = await alerts.evaluate_price_alerts(tx.session, rates=rates)
            if fired:
                tx.after_commit(lambda: _publish(info, fired))
            return fired

        out = await run_in_transaction(info, work)
        return EvaluatePriceAlertsPayload(
            triggers=[PriceAlertTrigger.of(t) for t in out.value or []],
            client_mutation_id=input.client_mutation_id,
            user_errors=out.errors,
        )


async def _publish(info: Info, fired: list[alerts.AlertTrigger]) -> None:
    """Send committed triggers to subscribers (every worker), then mark them notified."""
    broker = info.context.services["broker"]
    sent: list[int] = []
    for trigger in fired:
        try:
            await broker.publish(alerts.ALERT_CHANNEL, trigger.payload())
        except Exception:  # the evaluation is committed; the alert stays notificationSent false
            logger.exception("could not publish the trigger of price alert %s", trigger.alert_id)
            continue
        sent.append(trigger.alert_id)
    if sent:
        assert info.context.write_sessions is not None
        async with info.context.write_sessions() as session, session.begin():
            await alerts.mark_alerts_notified(session, sent)
