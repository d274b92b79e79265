"""The portfolio: what the collection cost, what it is worth now, and where.

Costs are acquisition prices converted to USD. A coin's value is its current value as
`coins/value.py` defines it (its latest valuation's market value, else the collector's
estimate), so the portfolio, collection totals and `currentValue` ordering agree. Gain or
loss counts only coins that have both a cost and a value: a coin never valued is not a
100 % loss, and a gift is not a 100 % gain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.value import current_values
from coinstack_graphql.collections.membership import (
    collection_member_condition,
    load_smart_filters,
)
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType
from coinstack_graphql.errors import DomainError
from coinstack_graphql.market.attribution import slug
from coinstack_graphql.market.currency import money, usd_rate
from coinstack_graphql.market.trends import percent_change

ZERO = Decimal("0.00")
_UPPER_LABELS = {"ae": "AE"}


@dataclass(frozen=True)
class BreakdownRow:
    """One group of coins: its key, display label, count and money in USD."""

    key: str
    label: str
    coin_count: int
    cost_usd: Decimal
    value_usd: Decimal
    gain_loss_usd: Decimal


@dataclass(frozen=True)
class Portfolio:
    coin_count: int
    total_cost_usd: Decimal
    coins_without_cost: int
    current_value_usd: Decimal
    gain_loss_usd: Decimal
    gain_loss_pct: float | None
    by_category: list[BreakdownRow] = field(default_factory=list)
    by_metal: list[BreakdownRow] = field(default_factory=list)
    by_issuer: list[BreakdownRow] = field(default_factory=list)
    by_collection: list[BreakdownRow] = field(default_factory=list)
    coins_without_valuation: list[int] = field(default_factory=list)
    # Acquisition currencies without a configured rate: their coins count as without cost.
    missing_rates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Money:
    cost: Decimal | None
    value: Decimal | None


class _Group:
    def __init__(self, label: str) -> None:
        self.label = label
        self.count = 0
        self.cost = ZERO
        self.value = ZERO
        self.gain = ZERO

    def add(self, m: _Money) -> None:
        self.count += 1
        self.cost += m.cost or ZERO
        self.value += m.value or ZERO
        if m.cost is not None and m.value is not None:
            self.gain += m.value - m.cost

    def row(self, key: str) -> BreakdownRow:
        return BreakdownRow(key, self.label, self.count, self.cost, self.value, self.gain)


async def portfolio(session: AsyncSession, *, rates: Mapping[str, Decimal]) -> Portfolio:
    """Totals and breakdowns of the whole collection, in USD."""
    coins = (
        await session.execute(
            select(Coin.id, Coin.category, Coin.metal, Coin.issuer, Coin.acquisition_price,
                   Coin.acquisition_currency).order_by(Coin.id)
        )
    ).all()
    values = await current_values(session, [c.id for c in coins])
    missing: set[str] = set()
    money_of: dict[int, _Money] = {}
    for c in coins:
        cost = _cost_usd(c.acquisition_price, c.acquisition_currency, rates, missing)
        money_of[c.id] = _Money(cost, values.get(c.id))
    total = _Group("")
    categories: dict[str, _Group] = {}
    metals: dict[str, _Group] = {}
    issuers: dict[str, _Group] = {}
    for c in coins:
        m = money_of[c.id]
        total.add(m)
        _group(categories, str(c.category), _label(str(c.category))).add(m)
        _group(metals, str(c.metal), _label(str(c.metal))).add(m)
        _group(issuers, slug(c.issuer) or c.issuer, c.issuer).add(m)
    # The cost of the coins that also have a value: what the gain or loss is measured on.
    matched_cost = sum(
        (m.cost for m in money_of.values() if m.cost is not None and m.value is not None), ZERO
    )
    return Portfolio(
        coin_count=len(coins),
        total_cost_usd=total.cost,
        coins_without_cost=sum(1 for m in money_of.values() if m.cost is None),
        current_value_usd=total.value,
        gain_loss_usd=total.gain,
        gain_loss_pct=_pct(total.gain, matched_cost),
        by_category=_rows(categories),
        by_metal=_rows(metals),
        by_issuer=_rows(issuers),
        by_collection=await _by_collection(session, money_of),
        coins_without_valuation=[cid for cid, m in money_of.items() if m.value is None],
        missing_rates=sorted(missing),
    )


def _pct(gain: Decimal, cost: Decimal) -> float | None:
    return percent_change(cost + gain, cost) if cost else None


def _cost_usd(
    price: Decimal | None, currency: str | None, rates: Mapping[str, Decimal], missing: set[str]
) -> Decimal | None:
    if price is None:
        return None
    code = (currency or "USD").strip().upper()  # no currency recorded: USD, the column's sense
    try:
        rate = usd_rate(code, rates)
    except ValueError:
        rate = None
    if rate is None:
        missing.add(code)
        return None
    return money(price * rate)


def _group(groups: dict[str, _Group], key: str, label: str) -> _Group:
    if key not in groups:
        groups[key] = _Group(label)
    return groups[key]


def _label(value: str) -> str:
    return _UPPER_LABELS.get(value) or value.replace("_", " ").title()


def _rows(groups: Mapping[str, _Group]) -> list[BreakdownRow]:
    rows = [group.row(key) for key, group in groups.items()]
    return sorted(rows, key=lambda r: (-r.value_usd, r.label.lower(), r.key))


async def _by_collection(
    session: AsyncSession, money_of: Mapping[int, _Money]
) -> list[BreakdownRow]:
    """One row per collection; a coin in several collections counts in each."""
    collections = (
        await session.execute(
            select(Collection.id, Collection.name, Collection.collection_type)
            .order_by(Collection.display_order, Collection.name, Collection.id)
        )
    ).all()
    members: dict[int, set[int]] = defaultdict(set)
    stored = await session.execute(select(CollectionCoin.collection_id, CollectionCoin.coin_id))
    for collection_id, coin_id in stored.all():
        members[collection_id].add(coin_id)
    smart = [cid for cid, _, kind in collections if kind == CollectionType.SMART]
    if smart:
        filters = await load_smart_filters(session)
        for cid in smart:
            members[cid] |= await _smart_members(session, cid, filters)
    rows = []
    for cid, name, _ in collections:
        group = _Group(name)
        for coin_id in sorted(members.get(cid, ())):
            if coin_id in money_of:
                group.add(money_of[coin_id])
        rows.append(group.row(str(cid)))
    return rows


async def _smart_members(session: AsyncSession, cid: int, filters: dict[int, dict]) -> set[int]:
    try:
        condition = collection_member_condition([cid], filters)
    except DomainError:
        return set()  # a stored filter that no longer reads matches nothing, not an error
    return set(await session.scalars(select(Coin.id).where(condition)))

