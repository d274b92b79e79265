"""Collecting series, slots and filling them with coins: the Twelve Caesars (series/service.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.service import create_coin, delete_coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.series import service as ss
from coinstack_graphql.series.models import Series, SeriesMembership, SeriesSlot
from coinstack_graphql.settings import Settings

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]

# Suetonius' twelve, with a denarius (or an as where no denarius is affordable) of each:
# (issuer, first year, last year, metal, denomination)
TWELVE_CAESARS: list[tuple[str, int, int, str, str]] = [
    ("Julius Caesar", -49, -48, "silver", "Denarius"),  # Crawford 443/1, elephant
    ("Augustus", -2, 4, "silver", "Denarius"),  # RIC I² 207, Gaius and Lucius
    ("Tiberius", 15, 37, "silver", "Denarius"),  # RIC I² 26, "Tribute Penny"
    ("Caligula", 37, 38, "copper", "As"),  # RIC I² 38, Vesta
    ("Claudius", 41, 50, "copper", "As"),  # RIC I² 100, Minerva
    ("Nero", 64, 65, "silver", "Denarius"),  # RIC I² 60, Salus
    ("Galba", 68, 69, "silver", "Denarius"),  # RIC I² 167, SPQR OB CS
    ("Otho", 69, 69, "silver", "Denarius"),  # RIC I² 8, Securitas
    ("Vitellius", 69, 69, "silver", "Denarius"),  # RIC I² 86, tripod
    ("Vespasian", 69, 70, "silver", "Denarius"),  # RIC II.1² 2, IVDAEA
    ("Titus", 80, 80, "silver", "Denarius"),  # dolphin entwined on anchor
    ("Domitian", 90, 91, "silver", "Denarius"),  # Minerva standing
]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def run(sessions: Sessions, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with sessions() as s, s.begin():
        return await work(s)


async def refused(
    sessions: Sessions, work: Callable[[AsyncSession], Awaitable[Any]]
) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await run(sessions, work)
    return caught.value


@pytest.fixture
async def caesars(sessions: Sessions) -> dict[str, Coin]:
    """One coin per Caesar, by issuer."""

    async def work(s: AsyncSession) -> dict[str, Coin]:
        coins = {}
        for issuer, start, end, metal, denomination in TWELVE_CAESARS:
            coins[issuer] = await create_coin(
                s,
                {
                    "category": "republic" if start < 0 and end < 0 else "imperial",
                    "metal": metal,
                    "denomination": denomination,
                    "issuer": issuer,
                    "year_start": start,
                    "year_end": end,
                },
            )
        return coins

    return await run(sessions, work)


async def twelve_caesars(sessions: Sessions) -> tuple[Series, list[SeriesSlot]]:
    async def work(s: AsyncSession) -> tuple[Series, list[SeriesSlot]]:
        series = await ss.create_series(
            s,
            {
                "name": "The Twelve Caesars",
                "description": "Suetonius' De vita Caesarum, Julius Caesar to Domitian",
                "series_type": "ruler",
                "target_count": 12,
            },
        )
        slots = [
            await ss.add_series_slot(s, series.id, {"name": issuer})
            for issuer, *_ in TWELVE_CAESARS
        ]
        return series, slots

    return await run(sessions, work)


async def read_series(sessions: Sessions, series_id: int) -> Series | None:
    async with sessions() as s:
        return await s.get(Series, series_id)


async def completion(sessions: Sessions, series_id: int) -> tuple[int, int]:
    async with sessions() as s:
        return await ss.series_completion(s, series_id)


async def fill(sessions: Sessions, slot: SeriesSlot, coin: Coin, **kw: Any) -> SeriesMembership:
    return await run(sessions, lambda s: ss.fill_series_slot(s, slot.id, coin.id, **kw))


# ---- series


async def test_create_series_with_a_unique_slug(sessions: Sessions) -> None:
    series, slots = await twelve_caesars(sessions)
    assert series.slug == "the-twelve-caesars" and series.is_complete is False
    assert [slot.slot_number for slot in slots] == list(range(1, 13))
    again = await run(sessions, lambda s: ss.create_series(s, {"name": "The Twelve Caesars!"}))
    assert again.slug == "the-twelve-caesars-2"
    greek = await run(sessions, lambda s: ss.create_series(s, {"name": "Diadochi – Ptolemaîs"}))
    assert greek.slug == "diadochi-ptolemais"

    await run(sessions, lambda s: ss.update_series(s, series.id, {"name": "XII Caesares"}))
    stored = await read_series(sessions, series.id)
    assert stored is not None and (stored.name, stored.slug) == (
        "XII Caesares",
        "the-twelve-caesars",
    ), "renaming keeps the slug"


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"name": None}, ["name"], "REQUIRED"),
        ({"name": "Flavians", "slug": "Flavian Dynasty"}, ["slug"], "INVALID"),
        ({"name": "Flavians", "slug": "the-twelve-caesars"}, ["slug"], "CONFLICT"),
        ({"name": "Flavians", "target_count": 0}, ["targetCount"], "OUT_OF_RANGE"),
        ({"name": "Flavians", "canonical_vocab_id": 77}, ["canonicalVocabId"], "NOT_FOUND"),
        ({"name": "Flavians", "is_complete": True}, ["isComplete"], "INVALID"),
        ({"name": "Flavians", "series_type": "x" * 31}, ["seriesType"], "OUT_OF_RANGE"),
    ],
)
async def test_series_validation(
    sessions: Sessions, values: dict[str, Any], field: list[str], code: str
) -> None:
    await twelve_caesars(sessions)
    error = await refused(sessions, lambda s: ss.create_series(s, values))
    assert (error.field, error.code) == (field, code), error.message
    async with sessions() as s:
        assert await s.scalar(select(func.count(Series.id))) == 1


async def test_unknown_ids_are_not_found(sessions: Sessions, caesars: dict[str, Coin]) -> None:
    series, slots = await twelve_caesars(sessions)
    cases: list[tuple[Callable[[AsyncSession], Awaitable[Any]], list[str]]] = [
        (lambda s: ss.update_series(s, 999, {"name": "x"}), ["seriesId"]),
        (lambda s: ss.delete_series(s, 999), ["seriesId"]),
        (lambda s: ss.add_series_slot(s, 999, {"name": "Nerva"}), ["seriesId"]),
        (lambda s: ss.remove_series_slot(s, 999), ["slotId"]),
        (lambda s: ss.fill_series_slot(s, 999, caesars["Nero"].id), ["slotId"]),
        (lambda s: ss.fill_series_slot(s, slots[5].id, 999), ["coinId"]),
        (lambda s: ss.clear_series_slot(s, 999), ["slotId"]),
        (lambda s: ss.series_completion(s, 999), ["seriesId"]),
    ]
    for work, field in cases:
        error = await refused(sessions, work)
        assert (error.field, error.code) == (field, "NOT_FOUND")


async def test_delete_series_removes_slots_and_memberships_not_coins(
    sessions: Sessions, caesars: dict[str, Coin]
) -> None:
    series, slots = await twelve_caesars(sessions)
    await fill(sessions, slots[0], caesars["Julius Caesar"])
    await run(sessions, lambda s: ss.delete_series(s, series.id))
    async with sessions() as s:
        assert await s.scalar(select(func.count(SeriesSlot.id))) == 0
        assert await s.scalar(select(func.count(SeriesMembership.id))) == 0
        assert await s.scalar(select(func.count(Coin.id))) == 12


# ---- slots


async def test_slot_numbers(sessions: Sessions) -> None:
    series, slots = await twelve_caesars(sessions)
    error = await refused(
        sessions, lambda s: ss.add_series_slot(s, series.id, {"name": "Nerva", "slot_number": 12})
    )
    assert (error.field, error.code) == (["slotNumber"], "CONFLICT")
    error = await refused(
        sessions, lambda s: ss.add_series_slot(s, series.id, {"name": "Nerva", "slot_number": 0})
    )
    assert (error.field, error.code) == (["slotNumber"], "OUT_OF_RANGE")
    error = await refused(sessions, lambda s: ss.add_series_slot(s, series.id, {"priority": 1}))
    assert (error.field, error.code) == (["name"], "REQUIRED")
    await run(sessions, lambda s: ss.remove_series_slot(s, slots[11].id))
    nerva = await run(sessions, lambda s: ss.add_series_slot(s, series.id, {"name": "Nerva"}))
    assert nerva.slot_number == 12, "auto numbers follow the highest remaining slot"


# ---- filling and completion


async def test_filling_all_twelve_completes_the_series(
    sessions: Sessions, caesars: dict[str, Coin]
) -> None:
    series, slots = await twelve_caesars(sessions)
    assert await completion(sessions, series.id) == (0, 12)
    for slot, (issuer, *_) in zip(slots, TWELVE_CAESARS, strict=True):
        await fill(sessions, slot, caesars[issuer])
        stored = await read_series(sessions, series.id)
        assert stored is not None and stored.is_complete is (issuer == "Domitian")
    assert await completion(sessions, series.id) == (12, 12)

    await run(sessions, lambda s: ss.clear_series_slot(s, slots[7].id))  # sell the Otho
    stored = await read_series(sessions, series.id)
    assert stored is not None and stored.is_complete is False
    assert await completion(sessions, series.id) == (11, 12)

    # Dropping the empty slot makes the remaining eleven a complete series again.
    await run(sessions, lambda s: ss.remove_series_slot(s, slots[7].id))
    stored = await read_series(sessions, series.id)
    assert stored is not None and stored.is_complete is True
    assert await completion(sessions, series.id) == (11, 11)

    # A new empty slot, or deleting a coin that fills one, undoes completeness.
    await run(sessions, lambda s: ss.add_series_slot(s, series.id, {"name": "Otho"}))
    stored = await read_series(sessions, series.id)
    assert stored is not None and stored.is_complete is False
    await fill(sessions, await _slot(sessions, series.id, 13), caesars["Otho"])
    stored = await read_series(sessions, series.id)
    assert stored is not None and stored.is_complete is True
    await run(sessions, lambda s: delete_coin(s, caesars["Nero"].id))
    stored = await read_series(sessions, series.id)
    assert stored is not None and stored.is_complete is False
    assert await completion(sessions, series.id) == (11, 12)


async def _slot(sessions: Sessions, series_id: int, number: int) -> SeriesSlot:
    async with sessions() as s:
        slot = await s.scalar(
            select(SeriesSlot).where(
                SeriesSlot.series_id == series_id, SeriesSlot.slot_number == number
            )
        )
    assert slot is not None
    return slot


async def test_a_slot_holds_one_coin_and_a_coin_fills_one_slot(
    sessions: Sessions, caesars: dict[str, Coin]
) -> None:
    series, slots = await twelve_caesars(sessions)
    vespasian, titus = slots[9], slots[10]
    first = await fill(sessions, vespasian, caesars["Vespasian"], notes="IVDAEA")
    same = await fill(sessions, vespasian, caesars["Vespasian"])
    assert same.id == first.id, "filling a slot with its own coin changes nothing"

    error = await refused(
        sessions, lambda s: ss.fill_series_slot(s, vespasian.id, caesars["Titus"].id)
    )
    assert (error.field, error.code) == (["slotId"], "CONFLICT")
    error = await refused(
        sessions, lambda s: ss.fill_series_slot(s, titus.id, caesars["Vespasian"].id)
    )
    assert (error.field, error.code) == (["coinId"], "CONFLICT")

    # replace: the Titus takes the Vespasian slot, then moves on to its own.
    await fill(sessions, vespasian, caesars["Titus"], replace=True)
    await fill(sessions, titus, caesars["Titus"], replace=True)
    async with sessions() as s:
        rows = (await s.scalars(select(SeriesMembership))).all()
    assert [(r.slot_id, r.coin_id) for r in rows] == [(titus.id, caesars["Titus"].id)]
    assert await completion(sessions, series.id) == (1, 12)


async def test_clearing_an_empty_slot_is_harmless(sessions: Sessions) -> None:
    series, slots = await twelve_caesars(sessions)
    cleared = await run(sessions, lambda s: ss.clear_series_slot(s, slots[0].id))
    assert cleared.id == slots[0].id
    assert await completion(sessions, series.id) == (0, 12)
