"""Wishlist items: create, edit, delete; dismiss a match; mark an item acquired.

Errors name the field inside the mutation input (camelCase): `title`, `catalogRef`,
`yearStart`/`yearEnd`, `minGrade`, `maxPrice`, `priority`, `status`, `seriesSlotId`, and the
id arguments `wishlistItemId`, `wishlistMatchId`, `coinId`. The catalogue reference and the
minimum grade are stored in their canonical forms ("RIC I2 207" -> "RIC I² 207", "EF" -> "XF")
so the matching reads what the parsers read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.service import delete_with_dependents, get_coin
from coinstack_graphql.coins.validation import (
    EARLIEST_YEAR,
    blame,
    camel,
    check_range,
    coerce_datetime,
    normalise_fields,
    require_fields,
    writable_columns,
)
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import Conflict, DomainError, NotFound, OutOfRange
from coinstack_graphql.grading.ladder import GradeError, parse_grade
from coinstack_graphql.references.citations import CitationError, parse_citation
from coinstack_graphql.series.models import SeriesSlot
from coinstack_graphql.series.service import fill_series_slot
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch, WishlistStatus

ITEM_WRITABLE = writable_columns(
    WishlistItem, exclude=("created_at", "updated_at", "acquired_coin_id", "acquired_at")
)
DEFAULT_PRIORITY = 2
LATEST_YEAR = 2100  # modern coins are wanted too; this only catches typos


@dataclass
class WishlistItemInput:
    """Every writable field of a new wishlist item; only the title is required."""

    title: str
    description: str | None = None
    issuer: str | None = None
    mint: str | None = None
    year_start: int | None = None
    year_end: int | None = None
    denomination: str | None = None
    catalog_ref: str | None = None
    min_grade: str | None = None
    max_price: Decimal | str | None = None
    priority: int | None = None
    status: WishlistStatus | str | None = None
    series_slot_id: int | None = None
    notes: str | None = None


async def get_wishlist_item(
    session: AsyncSession, item_id: int, *, field: str = "wishlistItemId"
) -> WishlistItem:
    """The item, or NotFound at `field`."""
    item = await session.get(WishlistItem, item_id)
    if item is None:
        raise NotFound(f"no wishlist item with id {item_id}", field=[field])
    return item


async def create_wishlist_item(
    session: AsyncSession, values: WishlistItemInput | Mapping[str, Any]
) -> WishlistItem:
    """Insert an item; unset priority is 2 and unset status is wanted."""
    given = dataclasses.asdict(values) if isinstance(values, WishlistItemInput) else values
    present = {k: v for k, v in given.items() if v is not None}
    data = await _prepare(session, present, None)
    require_fields(WishlistItem, data, ITEM_WRITABLE)
    data.setdefault("priority", DEFAULT_PRIORITY)
    item = WishlistItem(**data)
    session.add(item)
    await session.flush()
    return item


async def update_wishlist_item(
    session: AsyncSession, item_id: int, changes: Mapping[str, Any]
) -> WishlistItem:
    """Change the keys present in `changes` (column names); None clears.

    A cleared priority goes back to 2. Reopening an acquired item (status wanted, watching
    or cancelled) unlinks its coin; the coin stays in any series slot it filled.
    """
    item = await get_wishlist_item(session, item_id)
    data = await _prepare(session, changes, item)
    if "status" in data and item.status == WishlistStatus.ACQUIRED:
        if data["status"] != WishlistStatus.ACQUIRED:
            data.update(acquired_coin_id=None, acquired_at=None)
    for key, value in data.items():
        setattr(item, key, value)
    await session.flush()
    return item


async def delete_wishlist_item(session: AsyncSession, item_id: int) -> None:
    """Delete an item with its matches and the price alerts watching it."""
    item = await get_wishlist_item(session, item_id)
    # Applies the models' ON DELETE rules itself: right with or without the database's FKs.
    await delete_with_dependents(session, WishlistItem.__table__, WishlistItem.id == item_id)
    session.expunge(item)


async def dismiss_wishlist_match(session: AsyncSession, match_id: int) -> WishlistMatch:
    """Hide a match for good: re-scans keep it dismissed. Dismissing again changes nothing."""
    match = await session.get(WishlistMatch, match_id)
    if match is None:
        raise NotFound(f"no wishlist match with id {match_id}", field=["wishlistMatchId"])
    if not match.dismissed:
        match.dismissed = True
        await session.flush()
    return match


async def mark_wishlist_item_acquired(
    session: AsyncSession,
    item_id: int,
    coin_id: int,
    *,
    acquired_at: datetime | None = None,
) -> WishlistItem:
    """Link the bought coin, close the item and put the coin in the item's series slot.

    The slot takes the coin even if it held another (an upgrade: the old coin leaves the
    series); a coin filling another slot of that series moves here. Acquiring an item
    that is already acquired is a Conflict.
    """
    item = await get_wishlist_item(session, item_id)
    await get_coin(session, coin_id)
    if item.status == WishlistStatus.ACQUIRED or item.acquired_coin_id is not None:
        raise Conflict(
            f"wishlist item {item_id} was already acquired (coin {item.acquired_coin_id})",
            field=["wishlistItemId"],
        )
    when = utcnow() if acquired_at is None else coerce_datetime(acquired_at, ["acquiredAt"])
    if item.series_slot_id is not None:
        # A database without the foreign key (ON DELETE SET NULL) can keep a deleted slot's id.
        if await session.get(SeriesSlot, item.series_slot_id) is None:
            raise Conflict(
                f"the item's series slot {item.series_slot_id} no longer exists; "
                "clear seriesSlotId first",
                field=["wishlistItemId"],
            )
    item.acquired_coin_id = coin_id
    item.acquired_at = when
    item.status = WishlistStatus.ACQUIRED
    await session.flush()
    if item.series_slot_id is not None:
        await fill_series_slot(session, item.series_slot_id, coin_id, replace=True)
    return item


# ---- input rules


async def _prepare(
    session: AsyncSession, values: Mapping[str, Any], item: WishlistItem | None
) -> dict[str, Any]:
    """Coerce and check `values`; every rule runs before anything is written."""
    data = normalise_fields(WishlistItem, values, ITEM_WRITABLE)
    if "catalog_ref" in data and data["catalog_ref"] is not None:
        try:
            data["catalog_ref"] = parse_citation(data["catalog_ref"]).local_ref
        except CitationError as exc:
            raise DomainError(str(exc), field=["catalogRef"]) from None
    if "min_grade" in data and data["min_grade"] is not None:
        try:
            data["min_grade"] = parse_grade(data["min_grade"]).label
        except GradeError as exc:
            raise DomainError(str(exc), field=["minGrade"]) from None
    for key in ("year_start", "year_end"):
        year = data.get(key)
        if year == 0:
            raise OutOfRange("there is no year 0: 1 BC is -1, AD 1 is 1", field=[camel(key)])
        check_range(year, [camel(key)], low=EARLIEST_YEAR, high=LATEST_YEAR)
    start = data["year_start"] if "year_start" in data else getattr(item, "year_start", None)
    end = data["year_end"] if "year_end" in data else getattr(item, "year_end", None)
    if start is not None and end is not None and start > end:
        raise OutOfRange(
            f"the end year is before the start year ({start} > {end}); BC years are negative",
            field=blame(data.keys(), "year_end", "year_start"),
        )
    check_range(data.get("max_price"), ["maxPrice"], low=Decimal(0))
    if "priority" in data:
        if data["priority"] is None:
            data["priority"] = DEFAULT_PRIORITY
        check_range(data["priority"], ["priority"], low=1, high=5)
    if "status" in data:
        if data["status"] == WishlistStatus.ACQUIRED and (
            item is None or item.status != WishlistStatus.ACQUIRED
        ):
            raise DomainError(
                "an item becomes acquired with markWishlistItemAcquired, which links the coin",
                field=["status"],
            )
    slot_id = data.get("series_slot_id")
    if slot_id is not None and await session.get(SeriesSlot, slot_id) is None:
        raise NotFound(f"no series slot with id {slot_id}", field=["seriesSlotId"])
    return data
