"""Writes of the rows that hang off a coin: images, provenance events, countermarks, tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.children import CoinImage, CoinTag, Countermark, ProvenanceEvent
from coinstack_graphql.coins.service import delete_with_dependents, get_coin
from coinstack_graphql.coins.validation import (
    blame,
    check_currency,
    check_range,
    normalise_fields,
    path,
    require_fields,
    writable_columns,
)
from coinstack_graphql.db.base import Base
from coinstack_graphql.errors import DomainError, NotFound, OutOfRange, Required

IMAGE_WRITABLE = writable_columns(CoinImage, exclude=("coin_id", "uploaded_at"))
PROVENANCE_WRITABLE = writable_columns(ProvenanceEvent, exclude=("coin_id", "sort_order"))
COUNTERMARK_WRITABLE = writable_columns(Countermark, exclude=("coin_id", "created_at"))
MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/tiff"})
MAX_BUYERS_PREMIUM_PCT = Decimal(50)
MAX_TAG_LENGTH = 50
_CENT = Decimal("0.01")

RowT = TypeVar("RowT", bound=Base)


async def _get(session: AsyncSession, model: type[RowT], row_id: int, field: str) -> RowT:
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {model.__tablename__} row with id {row_id}", field=[field])
    return row


async def _check_auction(session: AsyncSession, auction_id: int | None, key: str) -> None:
    if auction_id is None:
        return
    if await session.scalar(select(AuctionData.id).where(AuctionData.id == auction_id)) is None:
        raise NotFound(f"no auction record with id {auction_id}", field=path(key))


async def _remove(session: AsyncSession, row: Base) -> None:
    table = type(row).__table__
    await delete_with_dependents(session, table, table.c.id == row.id)  # type: ignore[attr-defined]
    session.expunge(row)


def _apply(row: Base, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        setattr(row, key, value)


# ---- images


def _image_values(values: Mapping[str, Any]) -> dict[str, Any]:
    data = normalise_fields(CoinImage, values, IMAGE_WRITABLE)
    mime = data.get("mime_type")
    if mime is not None:
        mime = mime.lower()  # MIME types are case-insensitive
        if mime not in MIME_TYPES:
            raise DomainError(
                f"unsupported image type {mime!r}; expected one of {', '.join(sorted(MIME_TYPES))}",
                field=["mimeType"],
            )
        data["mime_type"] = mime
    for key in ("size_bytes", "width", "height"):
        check_range(data.get(key), path(key), above=0)
    if "is_primary" in data and data["is_primary"] is None:
        data["is_primary"] = False
    return data


async def _clear_primary(session: AsyncSession, coin_id: int, keep_id: int | None = None) -> None:
    """At most one primary image per coin: choosing one demotes the others."""
    query = update(CoinImage).where(CoinImage.coin_id == coin_id, CoinImage.is_primary.is_(True))
    if keep_id is not None:
        query = query.where(CoinImage.id != keep_id)
    await session.execute(query.values(is_primary=False))


async def add_coin_image(
    session: AsyncSession, coin_id: int, values: Mapping[str, Any]
) -> CoinImage:
    """Record an image's metadata (the file itself is stored elsewhere)."""
    await get_coin(session, coin_id)
    data = _image_values(values)
    require_fields(CoinImage, data, IMAGE_WRITABLE)
    await _check_auction(session, data.get("source_auction_id"), "source_auction_id")
    if data.get("is_primary"):
        await _clear_primary(session, coin_id)
    image = CoinImage(coin_id=coin_id, **data)
    session.add(image)
    await session.flush()
    return image


async def update_coin_image(
    session: AsyncSession, image_id: int, changes: Mapping[str, Any]
) -> CoinImage:
    image = await _get(session, CoinImage, image_id, "imageId")
    data = _image_values(changes)
    await _check_auction(session, data.get("source_auction_id"), "source_auction_id")
    if data.get("is_primary"):
        await _clear_primary(session, image.coin_id, keep_id=image.id)
    _apply(image, data)
    await session.flush()
    return image


async def remove_coin_image(session: AsyncSession, image_id: int) -> int:
    """Delete an image row; returns its coin's id."""
    image = await _get(session, CoinImage, image_id, "imageId")
    coin_id = image.coin_id
    await _remove(session, image)
    return coin_id


# ---- provenance


def buyers_total(hammer: Decimal | None, premium_pct: Decimal | None) -> Decimal | None:
    """Hammer plus buyer's premium, rounded half-up to the cent."""
    if hammer is None or premium_pct is None:
        return None
    return (hammer * (1 + premium_pct / 100)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _provenance_values(values: Mapping[str, Any], event: ProvenanceEvent | None) -> dict[str, Any]:
    data = normalise_fields(ProvenanceEvent, values, PROVENANCE_WRITABLE)
    if "currency" in data:
        data["currency"] = check_currency(data["currency"], ["currency"])
    for key in ("hammer_price", "total_price"):
        check_range(data.get(key), path(key), low=Decimal(0))
    check_range(
        data.get("buyers_premium_pct"),
        ["buyersPremiumPct"],
        low=Decimal(0),
        high=MAX_BUYERS_PREMIUM_PCT,
    )
    if "total_price" in data or not data.keys() & {"hammer_price", "buyers_premium_pct"}:
        return data
    current = event.total_price if event is not None else None
    before = buyers_total(event.hammer_price, event.buyers_premium_pct) if event else None
    # Only a total we derived (or none) follows the hammer; a total typed from an
    # invoice (with VAT, shipping …) is left alone.
    if current is None or current == before:
        hammer = data.get("hammer_price", event.hammer_price if event else None)
        pct = data.get("buyers_premium_pct", event.buyers_premium_pct if event else None)
        total = buyers_total(hammer, pct)
        if total is not None and total >= Decimal(10) ** 8:
            raise OutOfRange(
                "hammer plus premium is too large to store",
                field=blame(data.keys(), "hammer_price", "buyers_premium_pct"),
            )
        if total != current:
            data["total_price"] = total
    return data


async def _events(session: AsyncSession, coin_id: int) -> list[ProvenanceEvent]:
    """The coin's events in display order (legacy rows without an order go last)."""
    result = await session.scalars(
        select(ProvenanceEvent).where(ProvenanceEvent.coin_id == coin_id)
    )
    return sorted(result.all(), key=lambda e: (e.sort_order is None, e.sort_order or 0, e.id))


def _renumber(events: Sequence[ProvenanceEvent]) -> None:
    for index, event in enumerate(events):
        if event.sort_order != index:
            event.sort_order = index


def _check_position(position: int | None, count: int) -> int:
    """A 0-based index into a list of `count` items; None means the end."""
    if position is None:
        return count
    if isinstance(position, bool) or not isinstance(position, int):
        raise DomainError(f"expected a whole number; got {position!r}", field=["position"])
    check_range(position, ["position"], low=0, high=count)
    return position


async def add_provenance_event(
    session: AsyncSession,
    coin_id: int,
    values: Mapping[str, Any],
    *,
    position: int | None = None,
) -> ProvenanceEvent:
    """Add an event at `position` (0 = first) or, by default, last."""
    await get_coin(session, coin_id)
    data = _provenance_values(values, None)
    require_fields(ProvenanceEvent, data, PROVENANCE_WRITABLE)
    await _check_auction(session, data.get("auction_data_id"), "auction_data_id")
    events = await _events(session, coin_id)
    index = _check_position(position, len(events))
    event = ProvenanceEvent(coin_id=coin_id, **data)
    session.add(event)
    events.insert(index, event)
    _renumber(events)
    await session.flush()
    return event


async def update_provenance_event(
    session: AsyncSession,
    event_id: int,
    changes: Mapping[str, Any],
    *,
    position: int | None = None,
) -> ProvenanceEvent:
    """Change the given fields; `position` moves the event within its coin's list."""
    event = await _get(session, ProvenanceEvent, event_id, "eventId")
    data = _provenance_values(changes, event)
    await _check_auction(session, data.get("auction_data_id"), "auction_data_id")
    events = await _events(session, event.coin_id)
    if position is not None:
        index = _check_position(position, len(events) - 1)
        events.remove(event)
        events.insert(index, event)
    _apply(event, data)
    _renumber(events)
    await session.flush()
    return event


async def remove_provenance_event(session: AsyncSession, event_id: int) -> int:
    """Delete an event and close the gap in the order; returns its coin's id."""
    event = await _get(session, ProvenanceEvent, event_id, "eventId")
    coin_id = event.coin_id
    await _remove(session, event)
    _renumber(await _events(session, coin_id))
    await session.flush()
    return coin_id


async def reorder_provenance(
    session: AsyncSession, coin_id: int, event_ids: Sequence[int]
) -> list[ProvenanceEvent]:
    """Put the coin's events in the order of `event_ids`, which must list each once."""
    await get_coin(session, coin_id)
    events = await _events(session, coin_id)
    by_id = {event.id: event for event in events}
    seen: set[int] = set()
    for index, event_id in enumerate(event_ids):
        field = ["eventIds", str(index)]
        if event_id in seen:
            raise DomainError(f"event {event_id} is listed twice", field=field)
        if event_id not in by_id:
            raise NotFound(f"coin {coin_id} has no provenance event {event_id}", field=field)
        seen.add(event_id)
    missing = sorted(by_id.keys() - seen)
    if missing:
        raise Required(
            f"list every provenance event of the coin; missing {missing}", field=["eventIds"]
        )
    ordered = [by_id[event_id] for event_id in event_ids]
    _renumber(ordered)
    await session.flush()
    return ordered


# ---- countermarks


async def add_countermark(
    session: AsyncSession, coin_id: int, values: Mapping[str, Any]
) -> Countermark:
    """Record a countermark, e.g. a legionary mark cited as "Howgego 746"."""
    await get_coin(session, coin_id)
    data = normalise_fields(Countermark, values, COUNTERMARK_WRITABLE)
    require_fields(Countermark, data, COUNTERMARK_WRITABLE)
    countermark = Countermark(coin_id=coin_id, **data)
    session.add(countermark)
    await session.flush()
    return countermark


async def update_countermark(
    session: AsyncSession, countermark_id: int, changes: Mapping[str, Any]
) -> Countermark:
    countermark = await _get(session, Countermark, countermark_id, "countermarkId")
    _apply(countermark, normalise_fields(Countermark, changes, COUNTERMARK_WRITABLE))
    await session.flush()
    return countermark


async def remove_countermark(session: AsyncSession, countermark_id: int) -> int:
    """Delete a countermark; returns its coin's id."""
    countermark = await _get(session, Countermark, countermark_id, "countermarkId")
    coin_id = countermark.coin_id
    await _remove(session, countermark)
    return coin_id


# ---- tags


def normalise_tags(tags: Sequence[str]) -> list[str]:
    """Trimmed tags with inner spaces collapsed; case kept, duplicates by case dropped."""
    if isinstance(tags, str):
        raise DomainError("expected a list of tags", field=["tags"])
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(tags):
        field = ["tags", str(index)]
        if not isinstance(raw, str):
            raise DomainError(f"a tag is text; got {raw!r}", field=field)
        tag = " ".join(raw.split())
        if not tag:
            raise Required("a tag cannot be empty", field=field)
        if len(tag) > MAX_TAG_LENGTH:
            raise OutOfRange(f"a tag has at most {MAX_TAG_LENGTH} characters", field=field)
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return out


async def _tag_rows(session: AsyncSession, coin_id: int) -> list[CoinTag]:
    result = await session.scalars(select(CoinTag).where(CoinTag.coin_id == coin_id))
    return list(result.all())


def _tag_names(rows: Sequence[CoinTag]) -> list[str]:
    return sorted((row.tag for row in rows), key=lambda t: (t.casefold(), t))


async def add_coin_tags(session: AsyncSession, coin_id: int, tags: Sequence[str]) -> list[str]:
    """Add tags not already present (compared case-insensitively); returns all the coin's tags."""
    await get_coin(session, coin_id)
    wanted = normalise_tags(tags)
    rows = await _tag_rows(session, coin_id)
    have = {row.tag.casefold() for row in rows}
    for tag in wanted:
        if tag.casefold() not in have:
            row = CoinTag(coin_id=coin_id, tag=tag)
            session.add(row)
            rows.append(row)
            have.add(tag.casefold())
    await session.flush()
    return _tag_names(rows)


async def remove_coin_tags(session: AsyncSession, coin_id: int, tags: Sequence[str]) -> list[str]:
    """Remove tags (case-insensitively; absent ones are ignored); returns those left."""
    await get_coin(session, coin_id)
    drop = {tag.casefold() for tag in normalise_tags(tags)}
    kept: list[CoinTag] = []
    for row in await _tag_rows(session, coin_id):
        if row.tag.casefold() in drop:
            await session.delete(row)
        else:
            kept.append(row)
    await session.flush()
    return _tag_names(kept)
