"""Writes of collecting series (e.g. the Twelve Caesars): series, slots, and coins in slots.

`Series.is_complete` is kept by these services: true exactly when the series has slots and
every one of them holds a coin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.service import delete_with_dependents, get_coin
from coinstack_graphql.coins.validation import (
    check_range,
    normalise_fields,
    require_fields,
    writable_columns,
)
from coinstack_graphql.errors import Conflict, DomainError, NotFound
from coinstack_graphql.series.models import Series, SeriesMembership, SeriesSlot
from coinstack_graphql.vocab.models import VocabTerm

SERIES_WRITABLE = writable_columns(Series, exclude=("created_at", "updated_at", "is_complete"))
SLOT_WRITABLE = writable_columns(SeriesSlot, exclude=("series_id",))
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_LENGTH = 200


def slugify(name: str) -> str:
    """ "Twelve Caesars (Suetonius)" -> "twelve-caesars-suetonius"; accents are dropped."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:_SLUG_LENGTH].rstrip("-") or "series"


async def get_series(session: AsyncSession, series_id: int, *, field: str = "seriesId") -> Series:
    series = await session.get(Series, series_id)
    if series is None:
        raise NotFound(f"no series with id {series_id}", field=[field])
    return series


async def get_slot(session: AsyncSession, slot_id: int, *, field: str = "slotId") -> SeriesSlot:
    slot = await session.get(SeriesSlot, slot_id)
    if slot is None:
        raise NotFound(f"no series slot with id {slot_id}", field=[field])
    return slot


# ---- series


async def create_series(session: AsyncSession, values: Mapping[str, Any]) -> Series:
    """Add a series; without a slug one is made from the name (and made unique)."""
    values = {k: v for k, v in values.items() if not (k == "slug" and v is None)}
    data = await _series_values(session, values, None)
    if data.get("name") is not None and "slug" not in data:
        data["slug"] = await _free_slug(session, slugify(data["name"]))
    require_fields(Series, data, SERIES_WRITABLE)
    series = Series(**data, is_complete=False)
    session.add(series)
    await session.flush()
    return series


async def update_series(
    session: AsyncSession, series_id: int, changes: Mapping[str, Any]
) -> Series:
    """Change the given fields; the slug stays unless given, so links keep working."""
    series = await get_series(session, series_id)
    data = await _series_values(session, changes, series)
    for key, value in data.items():
        setattr(series, key, value)
    await session.flush()
    return series


async def delete_series(session: AsyncSession, series_id: int) -> None:
    """Delete a series with its slots and memberships (the coins stay)."""
    series = await get_series(session, series_id)
    await delete_with_dependents(session, Series.__table__, Series.id == series_id)
    session.expunge(series)


async def _series_values(
    session: AsyncSession, values: Mapping[str, Any], series: Series | None
) -> dict[str, Any]:
    data = normalise_fields(Series, values, SERIES_WRITABLE)
    check_range(data.get("target_count"), ["targetCount"], low=1)
    slug = data.get("slug")
    if slug is not None:
        if not SLUG.fullmatch(slug):
            raise DomainError(
                f"{slug!r} is not a slug; use lowercase letters and digits joined by hyphens",
                field=["slug"],
            )
        taken = select(Series.id).where(Series.slug == slug)
        if series is not None:
            taken = taken.where(Series.id != series.id)
        if await session.scalar(taken) is not None:
            raise Conflict(f"another series already uses the slug {slug!r}", field=["slug"])
    vocab_id = data.get("canonical_vocab_id")
    if vocab_id is not None and await session.get(VocabTerm, vocab_id) is None:
        raise NotFound(f"no vocabulary term with id {vocab_id}", field=["canonicalVocabId"])
    return data


async def _free_slug(session: AsyncSession, base: str) -> str:
    """`base`, or `base-2`, `base-3` … whichever no other series uses."""
    query = select(Series.slug).where((Series.slug == base) | Series.slug.startswith(f"{base}-"))
    used = set((await session.scalars(query)).all())
    candidate, n = base, 1
    while candidate in used:
        n += 1
        suffix = f"-{n}"
        candidate = base[: _SLUG_LENGTH - len(suffix)] + suffix
    return candidate


# ---- slots


async def add_series_slot(
    session: AsyncSession, series_id: int, values: Mapping[str, Any]
) -> SeriesSlot:
    """Add a slot; without a slot number it goes after the highest one."""
    series = await get_series(session, series_id)
    data = normalise_fields(SeriesSlot, values, SLOT_WRITABLE)
    number = data.get("slot_number")
    if number is None:
        highest = await session.scalar(
            select(func.max(SeriesSlot.slot_number)).where(SeriesSlot.series_id == series_id)
        )
        data["slot_number"] = (highest or 0) + 1
    else:
        check_range(number, ["slotNumber"], low=1)
        clash = await session.scalar(
            select(SeriesSlot).where(
                SeriesSlot.series_id == series_id, SeriesSlot.slot_number == number
            )
        )
        if clash is not None:
            raise Conflict(
                f"slot {number} of {series.name!r} is already {clash.name!r}", field=["slotNumber"]
            )
    require_fields(SeriesSlot, data, SLOT_WRITABLE)
    slot = SeriesSlot(series_id=series_id, **data)
    session.add(slot)
    await session.flush()
    await refresh_completion(session, series)
    return slot


async def remove_series_slot(session: AsyncSession, slot_id: int) -> Series:
    """Delete a slot (and the coin's place in it); returns the series."""
    slot = await get_slot(session, slot_id)
    series = await get_series(session, slot.series_id)
    await delete_with_dependents(session, SeriesSlot.__table__, SeriesSlot.id == slot_id)
    session.expunge(slot)
    await refresh_completion(session, series)
    return series


async def fill_series_slot(
    session: AsyncSession,
    slot_id: int,
    coin_id: int,
    *,
    replace: bool = False,
    notes: str | None = None,
) -> SeriesMembership:
    """Put a coin in a slot.

    A slot holds one coin and a coin fills one slot per series; either clash is a
    Conflict unless `replace`, which empties the slot and moves the coin out of its
    other slot. Filling a slot with the coin it already holds changes nothing.
    """
    slot = await get_slot(session, slot_id)
    await get_coin(session, coin_id)
    in_slot = await session.scalar(
        select(SeriesMembership).where(SeriesMembership.slot_id == slot_id)
    )
    of_coin = await session.scalar(
        select(SeriesMembership).where(
            SeriesMembership.series_id == slot.series_id, SeriesMembership.coin_id == coin_id
        )
    )
    if in_slot is not None and in_slot.coin_id == coin_id:
        if notes is not None:
            in_slot.notes = notes
            await session.flush()
        return in_slot
    if in_slot is not None and not replace:
        raise Conflict(
            f"slot {slot.slot_number} ({slot.name}) already holds coin {in_slot.coin_id}",
            field=["slotId"],
        )
    if of_coin is not None and of_coin.slot_id is not None and not replace:
        raise Conflict(
            f"coin {coin_id} already fills another slot of this series", field=["coinId"]
        )
    if in_slot is not None:
        await session.delete(in_slot)
        await session.flush()  # free the slot before the coin's row takes it
    if of_coin is None:
        of_coin = SeriesMembership(series_id=slot.series_id, coin_id=coin_id)
        session.add(of_coin)
    of_coin.slot_id = slot.id
    if notes is not None:
        of_coin.notes = notes
    await session.flush()
    await refresh_completion(session, await get_series(session, slot.series_id))
    return of_coin


async def clear_series_slot(session: AsyncSession, slot_id: int) -> SeriesSlot:
    """Take the coin out of a slot; an empty slot stays empty."""
    slot = await get_slot(session, slot_id)
    held = await session.scalar(select(SeriesMembership).where(SeriesMembership.slot_id == slot_id))
    if held is not None:
        await session.delete(held)
        await session.flush()
    await refresh_completion(session, await get_series(session, slot.series_id))
    return slot


# ---- completion


async def series_completion(session: AsyncSession, series_id: int) -> tuple[int, int]:
    """(filled slots, all slots) of a series."""
    await get_series(session, series_id)
    total, filled = (
        await session.execute(
            select(func.count(SeriesSlot.id), func.count(SeriesMembership.id))
            .select_from(SeriesSlot)
            .outerjoin(SeriesMembership, SeriesMembership.slot_id == SeriesSlot.id)
            .where(SeriesSlot.series_id == series_id)
        )
    ).one()
    return int(filled), int(total)


async def refresh_completion(session: AsyncSession, series: Series) -> None:
    filled, total = await series_completion(session, series.id)
    complete = total > 0 and filled == total
    if series.is_complete != complete:
        series.is_complete = complete
        await session.flush()
