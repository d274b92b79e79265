"""Reading price series: observations of attribution keys in USD, and monthly trends.

Valuation and alerts read the series through `load_observations` and
`newest_observations`. A trend is the observations as recorded (asking and realised
alike), converted to USD and not grade-adjusted: it describes the type's market, not one
coin. Observations in a currency without a configured rate are left out of every reading.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import DomainError, OutOfRange
from coinstack_graphql.market.attribution import AttributionKeyError, resolve_attribution_key
from coinstack_graphql.market.currency import currency_code, money, usd_rate
from coinstack_graphql.market.models import MarketDataPoint, MarketPrice

MAX_TREND_MONTHS = 120
_CHUNK = 500


@dataclass(frozen=True)
class Observation:
    """A stored data point as valuation, trends and alerts read it."""

    id: int
    attribution_key: str
    date: dt.date
    price: Decimal
    currency: str
    source: str
    grade: str | None
    auction_house: str | None
    lot_url: str | None


@dataclass(frozen=True)
class TrendPoint:
    """One calendar month with data; `month` is its first day."""

    month: dt.date
    median_usd: Decimal
    count: int
    min_usd: Decimal
    max_usd: Decimal


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 May - 3 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value, or the mean of the two middle ones (unrounded)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def percent_change(new: Decimal, old: Decimal) -> float:
    """(new − old) / old in percent, to two places."""
    return float(((new - old) / old * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class WindowChange:
    """Medians of the latest window and the one before it, and the change between them."""

    recent_median: Decimal
    prior_median: Decimal
    pct: float
    newest: Observation  # the latest window's newest observation


def window_change(
    values: Sequence[tuple[Observation, Decimal]], today: dt.date, months: int, min_points: int = 2
) -> WindowChange | None:
    """Median of (today − months, today] against (today − 2·months, today − months];
    None when either window has fewer than `min_points` values. `values` oldest first."""
    middle, start = months_before(today, months), months_before(today, 2 * months)
    recent = [(o, v) for o, v in values if middle < o.date <= today]
    prior = [v for o, v in values if start < o.date <= middle]
    if len(recent) < min_points or len(prior) < min_points:
        return None
    now, before = median([v for _, v in recent]), median(prior)
    return WindowChange(now, before, percent_change(now, before), recent[-1][0])


def observation_usd(observation: Observation, rates: Mapping[str, Decimal]) -> Decimal | None:
    """The observation's price in USD to the cent, or None without a rate for its currency."""
    try:
        rate = usd_rate(observation.currency, rates)
    except ValueError:
        return None
    return None if rate is None else money(observation.price * rate)


def _observation(key: str, p: MarketDataPoint) -> Observation:
    try:
        currency = currency_code(p.currency)
    except ValueError:
        currency = (p.currency or "").strip().upper()  # legacy text: no rate will match it
    return Observation(p.id, key, p.date, p.price, currency, str(p.source), p.grade,
                       p.auction_house, p.lot_url)


async def load_observations(
    session: AsyncSession,
    keys: Iterable[str | None],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, list[Observation]]:
    """Stored points of `keys` dated within [since, until], oldest first, by key."""
    wanted = sorted({k for k in keys if k})
    found: dict[str, list[Observation]] = {key: [] for key in wanted}
    for start in range(0, len(wanted), _CHUNK):
        stmt = (
            select(MarketPrice.attribution_key, MarketDataPoint)
            .join(MarketPrice, MarketPrice.id == MarketDataPoint.market_price_id)
            .where(MarketPrice.attribution_key.in_(wanted[start : start + _CHUNK]))
            .order_by(MarketDataPoint.date, MarketDataPoint.id)
        )
        if since is not None:
            stmt = stmt.where(MarketDataPoint.date >= since)
        if until is not None:
            stmt = stmt.where(MarketDataPoint.date <= until)
        for key, point in (await session.execute(stmt)).all():
            found[key].append(_observation(key, point))
    return found


async def newest_observations(
    session: AsyncSession, keys: Iterable[str | None], rates: Mapping[str, Decimal]
) -> dict[str, tuple[Observation, Decimal]]:
    """The newest observation (by date, then id) of each key among those in a currency we
    can convert, with its USD price; one query per 500 keys."""
    wanted = sorted({k for k in keys if k})
    codes = sorted({"USD", *(code.upper() for code in rates)})
    rank = func.row_number().over(
        partition_by=MarketDataPoint.market_price_id,
        order_by=(MarketDataPoint.date.desc(), MarketDataPoint.id.desc()),
    )
    found: dict[str, tuple[Observation, Decimal]] = {}
    for start in range(0, len(wanted), _CHUNK):
        ranked = (
            select(MarketPrice.attribution_key, MarketDataPoint.id, rank.label("rank"))
            .join(MarketPrice, MarketPrice.id == MarketDataPoint.market_price_id)
            .where(
                MarketPrice.attribution_key.in_(wanted[start : start + _CHUNK]),
                or_(MarketDataPoint.currency.is_(None),
                    func.upper(MarketDataPoint.currency).in_(codes)),
            )
            .subquery()
        )
        rows = await session.execute(
            select(ranked.c.attribution_key, MarketDataPoint)
            .join(MarketDataPoint, MarketDataPoint.id == ranked.c.id)
            .where(ranked.c.rank == 1)
        )
        for key, point in rows.all():
            observation = _observation(key, point)
            usd = observation_usd(observation, rates)
            if usd is not None:
                found[key] = (observation, usd)
    return found


async def market_trend(
    session: AsyncSession,
    attribution_key: str,
    months: int = 24,
    *,
    rates: Mapping[str, Decimal],
    today: dt.date | None = None,
) -> list[TrendPoint]:
    """The last `months` calendar months (this one included) that have data, oldest first.

    `attribution_key` may also be a citation ("RIC I² 207").
    """
    if not 1 <= months <= MAX_TREND_MONTHS:
        raise OutOfRange(f"months must be 1 to {MAX_TREND_MONTHS}; got {months}", field=["months"])
    try:
        key = resolve_attribution_key(attribution_key)
    except AttributionKeyError as exc:
        raise DomainError(str(exc), field=["attributionKey"]) from None
    day = today or utcnow().date()
    first = months_before(day.replace(day=1), months - 1)
    observations = (await load_observations(session, [key], since=first, until=day))[key]
    return monthly_points(observations, rates)


def monthly_points(
    observations: Sequence[Observation], rates: Mapping[str, Decimal]
) -> list[TrendPoint]:
    """Median, count, min and max in USD per calendar month that has data, oldest first."""
    by_month: dict[dt.date, list[Decimal]] = defaultdict(list)
    for observation in observations:
        usd = observation_usd(observation, rates)
        if usd is not None:
            by_month[observation.date.replace(day=1)].append(usd)
    return [
        TrendPoint(month, money(median(prices)), len(prices), min(prices), max(prices))
        for month, prices in sorted(by_month.items())
    ]
