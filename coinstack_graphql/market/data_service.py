"""Market data: price observations per attribution key, entered in bulk or taken from
realised auction prices.

Points are stored in the currency they were paid or asked in (`price` + `currency`) and
converted when read. A point with a `lot_url` is stored once: adding it again changes
nothing and is reported as skipped, so a scraper can resend a whole sale safely. Every
point is checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import DomainError, OutOfRange, Required
from coinstack_graphql.grading.ladder import GradeError, parse_grade
from coinstack_graphql.market.attribution import (
    AttributionKeyError,
    LotAttribution,
    attribution_key_for_citation,
    auction_lot_attributions,
    check_attribution_key,
    parse_type_key,
)
from coinstack_graphql.market.currency import UnknownCurrency, currency_code, usd_rate
from coinstack_graphql.market.models import MarketDataPoint, MarketPrice, MarketSource
from coinstack_graphql.references.citations import CitationError, parse_citation
from coinstack_graphql.references.models import ReferenceType

MAX_POINTS = 250
MAX_PRICE = Decimal("9999999999.99")  # NUMERIC(12, 2)
CONFIDENCES = ("low", "medium", "high")
_CHUNK = 500


@dataclass(kw_only=True)
class MarketDataPointInput:
    """One observed price; give `attribution_key` or `citation`, not both."""

    price: Decimal
    date: dt.date
    source: MarketSource | str
    currency: str = "USD"
    attribution_key: str | None = None
    citation: str | None = None
    grade: str | None = None
    auction_house: str | None = None
    lot_url: str | None = None
    confidence: str | None = "medium"


@dataclass(frozen=True)
class SkippedPoint:
    """A point not stored because its lot URL is already known."""

    index: int
    lot_url: str
    existing_id: int | None


@dataclass
class AddResult:
    added: list[MarketDataPoint] = field(default_factory=list)
    skipped: list[SkippedPoint] = field(default_factory=list)
    series_created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _SeriesInfo:
    catalog_ref: str | None = None
    denomination: str | None = None
    metal: str | None = None


@dataclass(frozen=True)
class _Point:
    index: int
    key: str
    values: dict[str, Any]


async def add_market_data_points(
    session: AsyncSession,
    points: Sequence[MarketDataPointInput],
    *,
    rates: Mapping[str, Decimal],
    today: dt.date | None = None,
) -> AddResult:
    """Store up to 250 observations; points whose lot URL is known are skipped."""
    if len(points) > MAX_POINTS:
        raise OutOfRange(
            f"at most {MAX_POINTS} points per call; got {len(points)}: send them in batches",
            field=["points"],
        )
    day = today or utcnow().date()
    prepared: list[_Point] = []
    series: dict[str, _SeriesInfo] = {}
    for index, point in enumerate(points):
        key, info = _point_key(point, ["points", str(index)])
        prepared.append(_Point(index, key, _point_values(point, index, rates, day)))
        series.setdefault(key, info)
    series = await _with_catalog_refs(session, series)

    result = AddResult()
    known = await _known_urls(session, [p.values["lot_url"] for p in prepared])
    ids, result.series_created = await _ensure_series(session, series)
    added: list[int] = []
    for item in prepared:
        url = item.values["lot_url"]
        if url is not None and url in known:
            result.skipped.append(SkippedPoint(item.index, url, known[url]))
            continue
        new_id = await _insert_point(session, {**item.values, "market_price_id": ids[item.key]})
        if new_id is None:  # stored by a concurrent call since we looked
            result.skipped.append(SkippedPoint(item.index, url, None))
            continue
        added.append(new_id)
        if url is not None:
            known[url] = new_id
    await _touch(session, {p.key for p in prepared})
    if added:
        rows = await session.scalars(
            select(MarketDataPoint).where(MarketDataPoint.id.in_(added)).order_by(MarketDataPoint.id)
        )
        result.added = list(rows)
    return result


def _point_key(point: MarketDataPointInput, at: list[str]) -> tuple[str, _SeriesInfo]:
    if point.attribution_key is not None and point.citation is not None:
        raise DomainError(
            "give attributionKey or citation, not both", field=[*at, "citation"]
        )
    if point.citation is not None:
        try:
            parsed = parse_citation(point.citation)
        except CitationError as exc:
            raise DomainError(str(exc), field=[*at, "citation"]) from None
        return attribution_key_for_citation(point.citation), _SeriesInfo(parsed.local_ref)
    if point.attribution_key is None or not point.attribution_key.strip():
        raise Required(
            "each point needs attributionKey or citation", field=[*at, "attributionKey"]
        )
    try:
        key = check_attribution_key(point.attribution_key.strip())
    except AttributionKeyError as exc:
        raise DomainError(str(exc), field=[*at, "attributionKey"]) from None
    parts = parse_type_key(key)
    return key, _SeriesInfo(None, parts.denomination, parts.metal) if parts else _SeriesInfo()


def _point_values(
    point: MarketDataPointInput, index: int, rates: Mapping[str, Decimal], today: dt.date
) -> dict[str, Any]:
    at = ["points", str(index)]
    try:
        currency = currency_code(point.currency)
    except ValueError as exc:
        raise DomainError(str(exc), field=[*at, "currency"]) from None
    if usd_rate(currency, rates) is None:
        # Refused now rather than stored unconvertible: no valuation could use it.
        raise UnknownCurrency(currency, rates, field=[*at, "currency"])
    try:
        source = MarketSource(point.source)
    except ValueError:
        allowed = ", ".join(s.value for s in MarketSource)
        raise DomainError(
            f"source must be one of {allowed}; got {point.source!r}", field=[*at, "source"]
        ) from None
    day = point.date.date() if isinstance(point.date, dt.datetime) else point.date
    if day > today:
        raise OutOfRange(
            f"date {day.isoformat()} is in the future (today is {today.isoformat()})",
            field=[*at, "date"],
        )
    confidence = point.confidence or "medium"
    if confidence not in CONFIDENCES:
        raise DomainError(
            f"confidence must be one of {', '.join(CONFIDENCES)}; got {confidence!r}",
            field=[*at, "confidence"],
        )
    return {
        "price": check_price(point.price, [*at, "price"]),
        "currency": currency,
        "source": source,
        "date": day,
        "grade": check_grade(point.grade, [*at, "grade"]),
        "auction_house": _text(point.auction_house, [*at, "auctionHouse"], 200),
        "lot_url": check_url(point.lot_url, [*at, "lotUrl"]),
        "confidence": confidence,
    }


def check_price(value: Decimal | int | str, at: list[str]) -> Decimal:
    """A positive amount in cents that fits NUMERIC(12, 2)."""
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"price must be a number; got {value!r}", field=at) from None
    if not price.is_finite() or price <= 0:
        raise OutOfRange(f"price must be greater than 0; got {value}", field=at)
    if price > MAX_PRICE:
        raise OutOfRange(f"price must be at most {MAX_PRICE}; got {value}", field=at)
    if price != price.quantize(Decimal("0.01")):
        raise DomainError(f"price has more than two decimal places: {value}", field=at)
    return price


def check_grade(value: str | None, at: list[str]) -> str | None:
    """The grade as written, if it reads on the NGC ladder."""
    if value is None or not value.strip():
        return None
    try:
        parse_grade(value)
    except GradeError as exc:
        raise DomainError(str(exc), field=at) from None
    return value.strip()


def check_url(value: str | None, at: list[str]) -> str | None:
    if value is None or not value.strip():
        return None
    url = value.strip()
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
        raise DomainError(f"lotUrl must be an http(s) URL; got {value!r}", field=at)
    return url


def _text(value: str | None, at: list[str], limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value.strip()) > limit:
        raise DomainError(f"at most {limit} characters", field=at)
    return value.strip()


def _insert(session: AsyncSession, table: Any) -> Any:
    # Both dialects' INSERT … ON CONFLICT DO NOTHING keeps concurrent loads race-free.
    dialect = session.get_bind().dialect.name
    return pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)


async def _insert_point(session: AsyncSession, values: dict[str, Any]) -> int | None:
    stmt = (
        _insert(session, MarketDataPoint)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["lot_url"])
        .returning(MarketDataPoint.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _known_urls(session: AsyncSession, urls: Iterable[str | None]) -> dict[str, int]:
    wanted = sorted({u for u in urls if u is not None})
    known: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = await session.execute(
            select(MarketDataPoint.lot_url, MarketDataPoint.id).where(
                MarketDataPoint.lot_url.in_(wanted[start : start + _CHUNK])
            )
        )
        known.update({url: pid for url, pid in rows.all()})
    return known


async def _with_catalog_refs(
    session: AsyncSession, series: dict[str, _SeriesInfo]
) -> dict[str, _SeriesInfo]:
    """Fill the display citation of reference keys from `reference_types` where known."""
    bare = [k for k, info in series.items() if info.catalog_ref is None and "." in k]
    if not bare:
        return series
    rows = await session.execute(
        select(ReferenceType.system, ReferenceType.local_ref_normalized, ReferenceType.local_ref)
        .where(ReferenceType.local_ref_normalized.in_(bare))
    )
    refs = {norm: ref for system, norm, ref in rows.all() if norm.startswith(f"{system}.")}
    return {k: _SeriesInfo(refs.get(k), v.denomination, v.metal) if k in refs else v
            for k, v in series.items()}


async def _ensure_series(
    session: AsyncSession, series: Mapping[str, _SeriesInfo]
) -> tuple[dict[str, int], list[str]]:
    """Ids of the `market_prices` rows of `series`, creating the missing ones."""
    keys = sorted(series)
    ids = await _series_ids(session, keys)
    created = []
    for key in keys:
        if key in ids:
            continue
        info = series[key]
        stmt = (
            _insert(session, MarketPrice)
            .values(attribution_key=key, catalog_ref=info.catalog_ref,
                    denomination=info.denomination, metal=info.metal, last_updated=utcnow())
            .on_conflict_do_nothing(index_elements=["attribution_key"])
            .returning(MarketPrice.id)
        )
        new_id = (await session.execute(stmt)).scalar_one_or_none()
        if new_id is not None:
            created.append(key)
    if created or len(ids) < len(keys):
        ids = await _series_ids(session, keys)
    return ids, created


async def _series_ids(session: AsyncSession, keys: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = await session.execute(
            select(MarketPrice.attribution_key, MarketPrice.id).where(
                MarketPrice.attribution_key.in_(keys[start : start + _CHUNK])
            )
        )
        ids.update({key: pid for key, pid in rows.all()})
    return ids


async def _touch(session: AsyncSession, keys: Iterable[str]) -> None:
    wanted = sorted(keys)
    if wanted:
        await session.execute(
            update(MarketPrice)
            .where(MarketPrice.attribution_key.in_(wanted))
            .values(last_updated=utcnow())
        )


async def sync_auction_realized_prices(session: AsyncSession) -> int:
    """Copy realised prices of sold auction lots into their series; returns how many.

    A lot counts when it was sold, has a total (else hammer) price, a date, a currency and
    a reference type or a readable primary reference. Its URL is the point's `lot_url`, so
    running this again adds only lots not seen before.
    """
    inserted = 0
    after = 0
    while True:
        lots = list(
            await session.scalars(
                select(AuctionData)
                .where(
                    AuctionData.id > after,
                    AuctionData.sold.is_(True),
                    or_(AuctionData.total_price.is_not(None),
                        AuctionData.hammer_price.is_not(None)),
                    or_(AuctionData.reference_type_id.is_not(None),
                        AuctionData.primary_reference.is_not(None)),
                    AuctionData.auction_date.is_not(None),
                    AuctionData.currency.is_not(None),
                    ~exists().where(MarketDataPoint.lot_url == AuctionData.url),
                )
                .order_by(AuctionData.id)
                .limit(_CHUNK)
            )
        )
        if not lots:
            return inserted
        after = lots[-1].id
        inserted += await _store_lots(session, lots)


async def _store_lots(session: AsyncSession, lots: list[AuctionData]) -> int:
    keys = await auction_lot_attributions(session, lots, by_type=False)
    usable = [(lot, keys[lot.id]) for lot in lots if lot.id in keys and _lot_point(lot)]
    if not usable:
        return 0
    series: dict[str, _SeriesInfo] = {}
    for _, attr in usable:
        series.setdefault(attr.key, _series_of(attr))
    ids, _ = await _ensure_series(session, series)
    count = 0
    for lot, attr in usable:
        values = {**_lot_point(lot), "market_price_id": ids[attr.key]}  # type: ignore[dict-item]
        if await _insert_point(session, values) is not None:
            count += 1
    await _touch(session, series)
    return count


def _series_of(attr: LotAttribution) -> _SeriesInfo:
    return _SeriesInfo(attr.catalog_ref, attr.denomination, attr.metal)


def _lot_point(lot: AuctionData) -> dict[str, Any] | None:
    """The data point of a sold lot, or None when its price, currency or date is unusable."""
    price = lot.total_price if lot.total_price is not None else lot.hammer_price
    try:
        currency = currency_code(lot.currency)
    except ValueError:
        return None
    if price is None or price <= 0 or lot.auction_date is None:
        return None
    try:
        grade = check_grade(lot.grade, ["grade"])
    except DomainError:
        grade = None  # a scraped grade we cannot read does not cost us the price
    return {
        "price": price, "currency": currency, "source": MarketSource.AUCTION_REALIZED,
        "date": lot.auction_date, "grade": grade, "auction_house": lot.auction_house,
        "lot_url": lot.url, "confidence": "high", "auction_data_id": lot.id,
    }
