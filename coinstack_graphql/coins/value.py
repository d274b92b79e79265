"""A coin's current value: its latest valuation, else the collector's own estimate.

One definition serves collection totals, the portfolio and `CoinOrder.currentValue`, so
they never disagree. The latest valuation is the one with the greatest `valuation_date`
(ties: greatest id, i.e. the last recorded). If that valuation carries no market value (a
valuation run that found no comparables), the coin falls back to `estimated_value_usd`
rather than to an older valuation: the newest run said "unknown", and an old market
figure would look current when it is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.types import ExactDecimal
from coinstack_graphql.market.models import CoinValuation

# Large IN lists are split so neither engine meets its bind-parameter limit.
_CHUNK = 500


def latest_valuation_value_expr(coin: Any = Coin) -> ColumnElement[Decimal | None]:
    """Correlated scalar subquery: `current_market_value` of the coin's latest valuation."""
    return (
        select(CoinValuation.current_market_value)
        .where(CoinValuation.coin_id == coin.id)
        .order_by(CoinValuation.valuation_date.desc(), CoinValuation.id.desc())
        .limit(1)
        .correlate(coin)
        .scalar_subquery()
    )


def current_value_expr(coin: Any = Coin) -> ColumnElement[Decimal | None]:
    """The current value of `coin` (the mapped class or an alias of it) as SQL.

    Usable in SELECT, ORDER BY and inside SUM on SQLite and PostgreSQL; NULL when the coin
    has neither a valued valuation nor an estimate.
    """
    return func.coalesce(
        latest_valuation_value_expr(coin), coin.estimated_value_usd, type_=ExactDecimal(12, 2)
    )


async def current_values(
    session: AsyncSession, coin_ids: Iterable[int]
) -> dict[int, Decimal | None]:
    """Current value of each existing coin among `coin_ids`; unknown ids are left out."""
    ids = list(dict.fromkeys(coin_ids))
    values: dict[int, Decimal | None] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = await session.execute(
            select(Coin.id, current_value_expr()).where(Coin.id.in_(chunk))
        )
        values.update({coin_id: value for coin_id, value in rows.all()})
    return values
