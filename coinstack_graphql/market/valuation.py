"""ValuationService: a coin's market value from comparable sales of its type.

Comparables are the data points of the coin's attribution key dated within the window
(default 36 months up to today), converted to USD, adjusted to the coin's grade on the NGC
ladder, cleared of outliers by Tukey's fences when there are at least five, and summarised
by their median. Every run writes a `coin_valuations` snapshot; without comparables the
snapshot says so (no value, confidence "none") rather than inventing one. The rules, with
a worked example, are in docs/market.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import NotFound, OutOfRange
from coinstack_graphql.grading.ladder import (
    Grade,
    GradeError,
    canonical_adjectival,
    parse_grade,
    rungs_between,
)
from coinstack_graphql.market.attribution import attribution_keys
from coinstack_graphql.market.currency import money, usd_rate
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.market.trends import (
    Observation,
    load_observations,
    median,
    months_before,
    observation_usd,
    percent_change,
    window_change,
)

# Price multiple per rung of the NGC ladder (1.25 per rung), by distance in half rungs.
# A comp finer than the coin sold for more than the coin would: divide by the multiple;
# a coarser comp sold for less: multiply. Comps more than 4 rungs away are left out.
GRADE_MULTIPLIERS: dict[Decimal, Decimal] = {
    Decimal("0.5"): Decimal("1.1180"),
    Decimal("1"): Decimal("1.2500"),
    Decimal("1.5"): Decimal("1.3975"),
    Decimal("2"): Decimal("1.5625"),
    Decimal("2.5"): Decimal("1.7469"),
    Decimal("3"): Decimal("1.9531"),
    Decimal("3.5"): Decimal("2.1837"),
    Decimal("4"): Decimal("2.4414"),
}
MAX_RUNG_DISTANCE = Decimal(4)
OUTLIER_MIN_COMPS = 5
HIGH_MIN_COMPS = 8
HIGH_MAX_CV = Decimal("0.25")
MEDIUM_MIN_COMPS = 3
TREND_MONTHS = 12
TREND_MIN_POINTS = 2
MAX_WINDOW_MONTHS = 120


@dataclass(frozen=True)
class Comparable:
    """One observation in USD, with its distance from the coin's grade and adjusted price."""

    observation: Observation
    usd: Decimal
    rung_difference: Decimal | None  # comp minus coin, in rungs; None when not adjusted
    adjusted_usd: Decimal


@dataclass(frozen=True)
class _Subject:
    coin_id: int
    grade: str | None
    grade_numeric: int | None
    price: Decimal | None
    currency: str | None
    purchase_date: dt.date | None


def check_window(months: int, field: str = "windowMonths") -> None:
    if not 1 <= months <= MAX_WINDOW_MONTHS:
        raise OutOfRange(f"{field} must be 1 to {MAX_WINDOW_MONTHS}; got {months}", field=[field])


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Q1 and Q3 by linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)

    def at(q: Decimal) -> Decimal:
        position = (len(ordered) - 1) * q
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(Decimal("0.25")), at(Decimal("0.75"))


def drop_outliers(
    values: Sequence[Decimal],
) -> tuple[list[Decimal], list[Decimal], tuple[Decimal, Decimal] | None]:
    """(kept, dropped, fences): values outside Q1 − 1.5·IQR … Q3 + 1.5·IQR go, given ≥ 5."""
    if len(values) < OUTLIER_MIN_COMPS:
        return list(values), [], None
    q1, q3 = quartiles(values)
    spread = (q3 - q1) * Decimal("1.5")
    low, high = q1 - spread, q3 + spread
    kept = [v for v in values if low <= v <= high]
    return kept, [v for v in values if not low <= v <= high], (low, high)


def coefficient_of_variation(values: Sequence[Decimal]) -> Decimal | None:
    """Sample standard deviation over the mean; None for fewer than two values."""
    if len(values) < 2:
        return None
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / (len(values) - 1)
    return variance.sqrt() / mean if mean else None


def market_confidence(values: Sequence[Decimal]) -> str:
    """none: 0 comps; low: 1–2; high: ≥ 8 and CV < 0.25; medium: the rest from 3."""
    if not values:
        return "none"
    if len(values) < MEDIUM_MIN_COMPS:
        return "low"
    cv = coefficient_of_variation(values)
    if len(values) >= HIGH_MIN_COMPS and cv is not None and cv < HIGH_MAX_CV:
        return "high"
    return "medium"


def half_rungs(difference: float) -> Decimal:
    """A ladder distance rounded to the nearest half rung, halves away from zero."""
    doubled = (Decimal(repr(difference)) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return doubled / 2


def adjust_for_grade(usd: Decimal, difference: Decimal) -> Decimal:
    """What a comp `difference` rungs finer (negative: coarser) says the coin is worth."""
    if difference == 0:
        return usd
    multiple = GRADE_MULTIPLIERS[abs(difference)]
    return money(usd / multiple if difference > 0 else usd * multiple)


def comparable(
    observation: Observation, usd: Decimal, subject: Grade | None
) -> Comparable | None:
    """The comp adjusted to `subject`; None when it is more than 4 rungs away."""
    comp_grade = _grade(observation.grade)
    if subject is None or comp_grade is None:
        return Comparable(observation, usd, None, usd)
    difference = half_rungs(rungs_between(subject, comp_grade))
    if abs(difference) > MAX_RUNG_DISTANCE:
        return None
    return Comparable(observation, usd, difference, adjust_for_grade(usd, difference))


def _grade(text: str | None) -> Grade | None:
    if not text:
        return None
    try:
        return parse_grade(text)
    except GradeError:
        return None


def _subject_grade(subject: _Subject) -> Grade | None:
    grade = _grade(subject.grade)
    if grade is None and subject.grade_numeric is not None:
        try:
            grade = parse_grade(canonical_adjectival(subject.grade_numeric))
        except GradeError:
            return None
    return grade


async def value_coin(
    session: AsyncSession,
    coin_id: int,
    *,
    rates: Mapping[str, Decimal],
    window_months: int = 36,
    today: dt.date | None = None,
) -> CoinValuation:
    """Value one coin from its comparables and record the snapshot."""
    check_window(window_months)
    subjects = await _subjects(session, [coin_id])
    if not subjects:
        raise NotFound(f"no coin with id {coin_id}", field=["coinId"])
    return (await _value(session, subjects, rates, window_months, today))[0]


async def revalue_portfolio(
    session: AsyncSession,
    *,
    rates: Mapping[str, Decimal],
    window_months: int = 36,
    today: dt.date | None = None,
) -> list[CoinValuation]:
    """Value every coin (keys and data points loaded in batches) and record the snapshots."""
    check_window(window_months)
    return await _value(session, await _subjects(session, None), rates, window_months, today)


async def _subjects(session: AsyncSession, coin_ids: list[int] | None) -> list[_Subject]:
    stmt = select(
        Coin.id, Coin.grade, Coin.grade_numeric, Coin.acquisition_price,
        Coin.acquisition_currency, Coin.acquisition_date,
    ).order_by(Coin.id)
    if coin_ids is not None:
        stmt = stmt.where(Coin.id.in_(coin_ids))
    return [_Subject(*row) for row in (await session.execute(stmt)).all()]


async def _value(
    session: AsyncSession,
    subjects: list[_Subject],
    rates: Mapping[str, Decimal],
    window_months: int,
    today: dt.date | None,
) -> list[CoinValuation]:
    day = today or utcnow().date()
    keys = await attribution_keys(session, [s.coin_id for s in subjects])
    since = months_before(day, max(window_months, 2 * TREND_MONTHS))
    observations = await load_observations(session, set(keys.values()), since=since, until=day)
    rows = [
        _snapshot(s, keys[s.coin_id], observations[keys[s.coin_id]], rates, window_months, day)
        for s in subjects
    ]
    session.add_all(rows)
    await session.flush()
    return rows


def _snapshot(
    subject: _Subject,
    key: str,
    observations: list[Observation],
    rates: Mapping[str, Decimal],
    window_months: int,
    today: dt.date,
) -> CoinValuation:
    grade = _subject_grade(subject)
    start = months_before(today, window_months)
    notes: list[str] = []
    comps: list[Comparable] = []
    unconverted: dict[str, int] = {}
    too_far = 0
    for observation in observations:
        usd = observation_usd(observation, rates)
        if usd is None:
            if observation.date >= start:
                unconverted[observation.currency] = unconverted.get(observation.currency, 0) + 1
            continue
        comp = comparable(observation, usd, grade)
        if comp is None:
            too_far += 1 if observation.date >= start else 0
        else:
            comps.append(comp)
    in_window = [c.adjusted_usd for c in comps if c.observation.date >= start]
    kept, dropped, fences = drop_outliers(in_window)
    value = money(median(kept)) if kept else None
    if value is None:
        notes.append(
            f"No comparable sales of {key} dated {start.isoformat()} to {today.isoformat()} "
            f"({window_months}-month window): no market value given."
        )
    else:
        how = f"adjusted to {grade.label}" if grade else "not grade-adjusted (coin ungraded)"
        notes.append(f"Median of {len(kept)} comparables of {key} from {start.isoformat()} "
                     f"to {today.isoformat()}, {how}.")
    if dropped and fences:
        shown = ", ".join(f"{v:,.2f}" for v in sorted(dropped))
        notes.append(f"Dropped {len(dropped)} outlier(s) outside USD {fences[0]:,.2f} to "
                     f"{fences[1]:,.2f}: {shown}.")
    ungraded = sum(1 for c in comps if c.rung_difference is None and c.observation.date >= start)
    if grade is not None and ungraded:
        notes.append(f"{ungraded} comparable(s) without a readable grade used unadjusted.")
    if too_far:
        notes.append(f"Left out {too_far} comparable(s) more than {MAX_RUNG_DISTANCE} grades "
                     "from the coin's.")
    for code, count in sorted(unconverted.items()):
        notes.append(f"Left out {count} observation(s) in {code}: no exchange rate configured.")
    purchase_usd = _purchase_usd(subject, rates, notes)
    gain = pct = None
    if value is not None and purchase_usd is not None:
        gain = value - purchase_usd
        pct = percent_change(value, purchase_usd) if purchase_usd else None
    return CoinValuation(
        coin_id=subject.coin_id,
        valuation_date=today,
        purchase_price=purchase_usd,
        purchase_date=subject.purchase_date,
        current_market_value=value,
        market_confidence=market_confidence(kept),
        comparable_count=len(kept),
        price_trend_12mo=price_trend(comps, today),
        gain_loss_usd=gain,
        gain_loss_pct=pct,
        attribution_key=key,
        notes=" ".join(notes),
    )


def price_trend(comps: Sequence[Comparable], today: dt.date) -> float | None:
    """% change of the median adjusted price of the last 12 months over the 12 before."""
    dated = [(c.observation, c.adjusted_usd) for c in comps]
    change = window_change(dated, today, TREND_MONTHS, TREND_MIN_POINTS)
    return None if change is None else change.pct


def _purchase_usd(
    subject: _Subject, rates: Mapping[str, Decimal], notes: list[str]
) -> Decimal | None:
    if subject.price is None:
        notes.append("No purchase price recorded: no gain or loss.")
        return None
    if subject.currency is None:
        notes.append("Purchase currency not recorded; taken as USD.")
    code = (subject.currency or "USD").strip().upper()
    try:
        rate = usd_rate(code, rates)
    except ValueError:
        rate = None
    if rate is None:
        notes.append(f"Purchase price in {code} not converted: no exchange rate configured, "
                     "so no gain or loss.")
        return None
    usd = money(subject.price * rate)
    if code != "USD":
        notes.append(f"Purchase price {code} {subject.price:,.2f} = USD {usd:,.2f}.")
    return usd
