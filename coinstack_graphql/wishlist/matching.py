"""WishlistMatchingService: score current auction lots against active wishlist items.

`scan_wishlist` reads the candidate lots once, scores each against each active item
(`scoring.py`) and keeps `wishlist_matches` in step: new matches are inserted, matches seen
before are updated in place (the unique key is item, type, lot id), matches the lot no longer
earns are removed, and dismissed matches are never touched. Rules: docs/wishlist-matching.md.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import Conflict, NotFound
from coinstack_graphql.grading.ladder import Grade, GradeError, parse_grade, rung_for_numeric
from coinstack_graphql.market.attribution import attribution_key_for_citation
from coinstack_graphql.references.citations import (
    CitationError,
    ParsedCitation,
    parse_citation,
    parse_citations,
)
from coinstack_graphql.references.concordance import concordance_for
from coinstack_graphql.references.models import ReferenceType
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch, WishlistStatus
from coinstack_graphql.wishlist.scoring import (
    CitationKey,
    ItemCriteria,
    LotFacts,
    LotScore,
    parse_year_range,
    score_lot,
    to_usd,
)

MATCH_TYPE = "auction_lot"
RECENT_DAYS = 30
ACTIVE = (WishlistStatus.WANTED, WishlistStatus.WATCHING)
# Columns a match copies from its lot or computes; a re-scan compares and updates these.
SCORED_FIELDS = (
    "match_url", "title", "description", "grade", "price", "currency", "auction_date",
    "match_score", "confidence", "is_below_budget", "is_below_market", "value_score",
)  # fmt: skip


@dataclass(frozen=True)
class MarketValue:
    """A market value for an item's type, in `currency`."""

    amount: Decimal
    currency: str = "USD"


# The market value of an attribution key ("ric.1(2).207"); a bare Decimal is in USD.
MarketValueLookup = Callable[[AsyncSession, str], Awaitable[MarketValue | Decimal | None]]


@dataclass
class ScanResult:
    """What a scan changed; matches are the stored rows, best first per item."""

    new_matches: list[WishlistMatch] = field(default_factory=list)
    updated_matches: list[WishlistMatch] = field(default_factory=list)
    items_scanned: int = 0
    removed_match_ids: list[int] = field(default_factory=list)


async def scan_wishlist(
    session: AsyncSession,
    *,
    item_ids: Sequence[int] | None = None,
    today: date | None = None,
    market_value_lookup: MarketValueLookup | None = None,
    currency_rates: Mapping[str, Decimal] | None = None,
) -> ScanResult:
    """Score candidate lots against the active items (all, or `item_ids`) and store matches.

    `currency_rates` (USD per unit, as `Settings.currency_rates`) lets budgets and market
    values compare lots in other currencies; without a rate the comparison is unknown.
    """
    today = today or utcnow().date()
    items = await _items_to_scan(session, item_ids)
    result = ScanResult(items_scanned=len(items))
    if not items:
        return result
    lots = await _candidate_lots(session, today)
    existing = await _existing_matches(session, [item.id for item in items])
    rates = {"USD": Decimal(1), **(currency_rates or {})}
    market_cache: dict[str, MarketValue | None] = {}
    new_rows: list[dict[str, Any]] = []
    stale: list[WishlistMatch] = []
    for item in items:
        criteria = await item_criteria(session, item)
        market = await _market_value(session, item, market_value_lookup, market_cache)
        for lot, facts in lots:
            row = existing.get((item.id, str(lot.id)))
            if row is not None and row.dismissed:
                continue  # the collector said no; a re-scan must not bring it back
            scored = score_lot(criteria, facts, rates)
            if scored is None:
                if row is not None:
                    stale.append(row)
                continue
            values = _match_values(lot, facts, scored, market, rates)
            if row is None:
                new_rows.append(
                    {"wishlist_item_id": item.id, "match_type": MATCH_TYPE,
                     "match_id": str(lot.id), **values}
                )  # fmt: skip
            elif _apply(row, values):
                result.updated_matches.append(row)
    for row in stale:
        result.removed_match_ids.append(row.id)
        await session.delete(row)
    await session.flush()
    result.new_matches = await _insert(session, new_rows)
    result.new_matches.sort(key=lambda m: (m.wishlist_item_id, -(m.match_score or 0), m.id))
    return result


def item_attribution_key(item: WishlistItem) -> str | None:
    """The market's key for the item's type: its catalogue reference's ("ric.1(2).207").

    Items have no metal, so an item without a reference has no type key and no market value.
    """
    if not item.catalog_ref:
        return None
    try:
        return attribution_key_for_citation(item.catalog_ref)
    except CitationError:
        return None


async def _market_value(
    session: AsyncSession,
    item: WishlistItem,
    lookup: MarketValueLookup | None,
    cache: dict[str, MarketValue | None],
) -> MarketValue | None:
    key = item_attribution_key(item)
    if lookup is None or key is None:
        return None
    if key not in cache:
        found = await lookup(session, key)
        cache[key] = MarketValue(found) if isinstance(found, Decimal) else found
    return cache[key]


async def _items_to_scan(
    session: AsyncSession, item_ids: Sequence[int] | None
) -> list[WishlistItem]:
    if item_ids is None:
        query = select(WishlistItem).where(WishlistItem.status.in_(ACTIVE))
        return list((await session.scalars(query.order_by(WishlistItem.id))).all())
    wanted = list(dict.fromkeys(item_ids))
    found = {
        item.id: item
        for item in (
            await session.scalars(select(WishlistItem).where(WishlistItem.id.in_(wanted)))
        ).all()
    }
    for index, item_id in enumerate(item_ids):
        item = found.get(item_id)
        if item is None:
            raise NotFound(f"no wishlist item with id {item_id}", field=["itemIds", str(index)])
        if item.status not in ACTIVE:
            raise Conflict(
                f"wishlist item {item_id} is {item.status}; only wanted and watching items "
                "are scanned",
                field=["itemIds", str(index)],
            )
    return [found[item_id] for item_id in wanted]


# A lot as `_candidate_lots` reads it (the columns below), or a whole AuctionData.
LotRow = AuctionData | Row[Any]
_LOT_COLUMNS = (
    AuctionData.id, AuctionData.url, AuctionData.auction_house, AuctionData.sale_name,
    AuctionData.lot_number, AuctionData.auction_date, AuctionData.title,
    AuctionData.description, AuctionData.ruler, AuctionData.struck_under,
    AuctionData.reign_dates, AuctionData.struck_dates, AuctionData.denomination,
    AuctionData.mint, AuctionData.grade, AuctionData.numeric_grade,
    AuctionData.primary_reference, AuctionData.catalog_references,
    AuctionData.catalog_references_raw, AuctionData.reference_type_id,
    AuctionData.total_price, AuctionData.hammer_price, AuctionData.estimate_low,
    AuctionData.currency, AuctionData.sold, AuctionData.coin_id,
)  # fmt: skip


async def _candidate_lots(session: AsyncSession, today: date) -> list[tuple[LotRow, LotFacts]]:
    """Lots a collector could still act on, with what they say: not already a coin of the
    collection, and sold or offered in the last `RECENT_DAYS` days or later (upcoming);
    undated lots only while not sold."""
    since = today - timedelta(days=RECENT_DAYS)
    # Plain rows, not entities: half-loaded AuctionData objects left in the session's
    # identity map would fail later readers of the other columns (no lazy loads in async).
    query = (
        select(*_LOT_COLUMNS)
        .where(
            AuctionData.coin_id.is_(None),
            or_(
                AuctionData.auction_date >= since,
                and_(AuctionData.auction_date.is_(None), AuctionData.sold.is_not(True)),
            ),
        )
        .order_by(AuctionData.id)
    )
    lots = list((await session.execute(query)).all())
    typed = {lot.reference_type_id for lot in lots if lot.reference_type_id is not None}
    linked: dict[int, str] = {}
    if typed:
        rows = await session.execute(
            select(ReferenceType.id, ReferenceType.local_ref).where(ReferenceType.id.in_(typed))
        )
        linked = {type_id: local_ref for type_id, local_ref in rows.all()}
    return [(lot, lot_facts(lot, linked.get(lot.reference_type_id or 0))) for lot in lots]


def lot_facts(lot: LotRow, linked_ref: str | None = None) -> LotFacts:
    """What the scoring reads from a lot row; `linked_ref` cites its linked reference type."""
    years = parse_year_range(lot.struck_dates) or parse_year_range(lot.reign_dates)
    return LotFacts(
        ruler=" ".join(t for t in (lot.ruler, lot.struck_under) if t) or None,
        title=lot.title,
        mint=lot.mint,
        denomination=lot.denomination,
        years=years,
        citations=read_citations(
            [lot.primary_reference, lot.catalog_references, lot.catalog_references_raw, linked_ref]
        ),  # fmt: skip
        grade=read_lot_grade(lot.grade, lot.numeric_grade),
        price=lot_price(lot),
        currency=(lot.currency or "USD").upper(),
    )


def read_lot_grade(text: str | None, numeric: int | None = None) -> Grade | None:
    """The lot's grade, trying its first clause ("Near EF, toned") and then its number."""
    for candidate in (text, re.split(r"[,;(]", text or "")[0]):
        if candidate and candidate.strip():
            try:
                return parse_grade(candidate)
            except GradeError:
                pass
    if numeric is not None:
        try:
            return Grade(rung=rung_for_numeric(numeric), numeric=numeric)
        except GradeError:
            return None
    return None


def read_citations(values: Iterable[object]) -> tuple[CitationKey, ...]:
    """Every citation readable in lot fields; unreadable pieces are skipped, not fatal.

    Values are strings ("RIC I² 207; RSC 43") or, from some scrapers, lists of strings or
    of objects carrying the text under "citation", "reference", "ref", "raw" or "text".
    """
    keys: dict[CitationKey, None] = {}
    for text in _texts(values):
        for parsed in _parse_tolerantly(text):
            keys[CitationKey.of(parsed)] = None
    return tuple(keys)


def _texts(values: Iterable[object]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            for name in ("citation", "reference", "ref", "raw", "text"):
                if isinstance(value.get(name), str):
                    yield value[name]
                    break
        elif isinstance(value, list | tuple):
            yield from _texts(value)


def _parse_tolerantly(text: str) -> list[ParsedCitation]:
    try:
        return parse_citations(text)
    except CitationError:
        pass
    # One bad piece fails the whole list; retry piece by piece and keep what reads.
    found = []
    for piece in re.split(r"[;=,]", text):
        try:
            found.append(parse_citation(piece))
        except CitationError:
            continue
    return found


def lot_price(lot: LotRow) -> Decimal | None:
    """What the lot costs: the total with premium, else the hammer, else the low estimate."""
    for amount in (lot.total_price, lot.hammer_price, lot.estimate_low):
        if amount is not None:
            return amount
    return None


async def item_criteria(session: AsyncSession, item: WishlistItem) -> ItemCriteria:
    """The item's criteria, with its catalogue reference widened to its concordance."""
    grade = None
    if item.min_grade:
        try:
            grade = parse_grade(item.min_grade)
        except GradeError:
            grade = None  # a legacy value the service would refuse today: criterion unset
    return ItemCriteria(
        issuer=item.issuer,
        mint=item.mint,
        denomination=item.denomination,
        year_start=item.year_start,
        year_end=item.year_end,
        references=await equivalent_citations(session, item.catalog_ref),
        min_grade=grade,
        max_price=item.max_price,
    )


async def equivalent_citations(
    session: AsyncSession, citation: str | None
) -> frozenset[CitationKey]:
    """The citation and every type the concordance makes equivalent to it."""
    if not citation:
        return frozenset()
    try:
        own = parse_citation(citation)
    except CitationError:
        return frozenset()
    keys = {CitationKey.of(own)}
    for row in await concordance_for(session, citation):
        try:
            keys.add(CitationKey.of(parse_citation(row.local_ref)))
        except CitationError:
            continue  # types are made from parsed citations; an unreadable one is legacy
    return frozenset(keys)


def _match_values(
    lot: LotRow,
    facts: LotFacts,
    scored: LotScore,
    market: MarketValue | None,
    rates: Mapping[str, Decimal],
) -> dict[str, Any]:
    below_market: bool | None = None
    value_score: float | None = None
    price: Decimal | None
    value: Decimal | None
    if market is not None and facts.price is not None and market.amount > 0:
        if market.currency.upper() == facts.currency:
            price, value = facts.price, market.amount
        else:
            price, value = scored.price_usd, to_usd(market.amount, market.currency, rates)
        if price is not None and value is not None and value > 0:
            below_market = price < value
            value_score = round(float((value - price) / value), 4)
    return {
        "match_url": lot.url,
        "title": _title(lot),
        "description": lot.description,
        "grade": lot.grade,
        "price": facts.price,
        "currency": facts.currency,
        "auction_date": lot.auction_date,
        "match_score": scored.score,
        "confidence": scored.confidence,
        "is_below_budget": scored.is_below_budget,
        "is_below_market": below_market,
        "value_score": value_score,
    }


def _title(lot: LotRow) -> str:
    if lot.title and lot.title.strip():
        return lot.title.strip()
    parts = [lot.auction_house, lot.sale_name, f"lot {lot.lot_number}" if lot.lot_number else None]
    return " ".join(p for p in parts if p)


def _apply(row: WishlistMatch, values: Mapping[str, Any]) -> bool:
    """Copy changed values onto a stored match; True when anything changed."""
    changed = False
    for name in SCORED_FIELDS:
        if getattr(row, name) != values[name]:
            setattr(row, name, values[name])
            changed = True
    return changed


async def _existing_matches(
    session: AsyncSession, item_ids: list[int]
) -> dict[tuple[int, str], WishlistMatch]:
    rows = await session.scalars(
        select(WishlistMatch).where(
            WishlistMatch.wishlist_item_id.in_(item_ids), WishlistMatch.match_type == MATCH_TYPE
        )
    )
    return {(row.wishlist_item_id, row.match_id): row for row in rows.all()}


async def _insert(session: AsyncSession, rows: list[dict[str, Any]]) -> list[WishlistMatch]:
    """Insert new matches; a row a concurrent scan inserted first is left to that scan."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert(WishlistMatch).on_conflict_do_nothing().returning(WishlistMatch.id)
    ids = list((await session.scalars(stmt, [{**row, "created_at": now} for row in rows])).all())
    if not ids:
        return []
    stored = await session.scalars(select(WishlistMatch).where(WishlistMatch.id.in_(ids)))
    return list(stored.all())
