"""`Portfolio`: what the collection cost, what it is worth now, and where (market/portfolio.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.relay import to_global_id
from coinstack_graphql.market import portfolio as service

if TYPE_CHECKING:
    from coinstack_graphql.graphql.coins.types import Coin

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]


@strawberry.type(description="One group of coins of the portfolio, money in USD.")
class PortfolioBreakdown:
    key: str = strawberry.field(
        description="Stable key of the group: the Category or Metal enum value "
                    "(IMPERIAL, SILVER), the issuer's slug (julius_caesar), or the "
                    "Collection's global ID."
    )
    label: str
    coin_count: int
    cost_usd: Decimal = strawberry.field(description="Acquisition prices of its coins in USD.")
    value_usd: Decimal = strawberry.field(description="Current values of its coins in USD.")
    gain_loss_usd: Decimal = strawberry.field(
        description="Value minus cost over the coins that have both."
    )


@strawberry.type(description="The whole collection in USD. A coin's value is its latest "
                             "valuation's market value, else the collector's estimate.")
class Portfolio:
    coin_count: int
    total_cost_usd: Decimal = strawberry.field(
        description="Sum of acquisition prices converted to USD (see coinsWithoutCost)."
    )
    coins_without_cost: int = strawberry.field(
        description="Coins without an acquisition price, or in a currency without a rate."
    )
    current_value_usd: Decimal
    gain_loss_usd: Decimal = strawberry.field(
        description="Value minus cost over the coins that have both a cost and a value."
    )
    gain_loss_pct: Decimal | None = strawberry.field(
        description="gainLossUsd over the cost of those coins, in percent."
    )
    by_category: list[PortfolioBreakdown]
    by_metal: list[PortfolioBreakdown]
    by_issuer: list[PortfolioBreakdown]
    by_collection: list[PortfolioBreakdown] = strawberry.field(
        description="One row per collection; a coin in two collections counts in both."
    )
    missing_rates: list[str] = strawberry.field(
        description="Acquisition currencies without a configured rate "
                    "(COINSTACK_CURRENCY_RATES): their coins count as without cost."
    )
    coins_without_valuation_ids: strawberry.Private[list[int]]

    @strawberry.field(description="How many coins have neither a market value nor an estimate.")
    def coins_without_valuation_count(self) -> int:
        return len(self.coins_without_valuation_ids)

    @strawberry.field(description="Coins with neither a market value nor an estimate, by id.")
    async def coins_without_valuation(self, info: Info) -> list[CoinT]:
        from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

        loader = info.context.loaders.get(CoinByIdLoader)
        coins = await loader.load_many(self.coins_without_valuation_ids)
        return [c for c in coins if c is not None]

    @classmethod
    def of(cls, p: service.Portfolio) -> Portfolio:
        return cls(
            coin_count=p.coin_count,
            total_cost_usd=p.total_cost_usd,
            coins_without_cost=p.coins_without_cost,
            current_value_usd=p.current_value_usd,
            gain_loss_usd=p.gain_loss_usd,
            gain_loss_pct=None if p.gain_loss_pct is None else Decimal(str(p.gain_loss_pct)),
            by_category=[_row(r, _enum_key(Category, r.key)) for r in p.by_category],
            by_metal=[_row(r, _enum_key(Metal, r.key)) for r in p.by_metal],
            by_issuer=[_row(r, r.key) for r in p.by_issuer],
            by_collection=[_row(r, to_global_id("Collection", r.key)) for r in p.by_collection],
            missing_rates=list(p.missing_rates),
            coins_without_valuation_ids=list(p.coins_without_valuation),
        )


def _enum_key(enum_cls: Any, value: str) -> str:
    """The GraphQL enum value of a stored one ("imperial" -> "IMPERIAL")."""
    try:
        return str(enum_cls(value).name)
    except ValueError:
        return value.upper()


def _row(row: service.BreakdownRow, key: str) -> PortfolioBreakdown:
    return PortfolioBreakdown(
        key=key, label=row.label, coin_count=row.coin_count, cost_usd=row.cost_usd,
        value_usd=row.value_usd, gain_loss_usd=row.gain_loss_usd,
    )
