"""Wishlist items: input rules with field paths, partial updates, deletion, acquisition."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from coinstack_graphql.errors import Conflict, DomainError, NotFound, OutOfRange, Required
from coinstack_graphql.market.models import AlertTrigger, PriceAlert
from coinstack_graphql.series.models import Series, SeriesMembership, SeriesSlot
from coinstack_graphql.wishlist import service as wishlist_service
from coinstack_graphql.wishlist.matching import scan_wishlist
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch, WishlistStatus
from coinstack_graphql.wishlist.service import (
    WishlistItemInput,
    create_wishlist_item,
    delete_wishlist_item,
    dismiss_wishlist_match,
    get_wishlist_item,
    mark_wishlist_item_acquired,
    update_wishlist_item,
)
from tests.wishlist import (
    TODAY,
    Sessions,
    add_coin,
    add_lots,
    make_lot,
    open_sessions,
    wishlist_rows,
)

OTHO = WishlistItemInput(
    title="Otho denarius",
    description="SECVRITAS P R, the commonest of Otho's three-month reign",
    issuer="Otho",
    mint="Rome",
    year_start=69,
    year_end=69,
    denomination="Denarius",
    catalog_ref="RIC I2 8",
    min_grade="EF",
    max_price=Decimal("3500.00"),
    priority=1,
    status="watching",
    notes="Ask Harlan about the Kunker lot",
)


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def twelve_caesars(sessions: Sessions) -> dict[str, int]:
    """A Twelve Caesars series with its Galba, Otho and Vitellius slots; their ids."""
    async with sessions() as s, s.begin():
        series = Series(name="Twelve Caesars", slug="twelve-caesars", target_count=12)
        s.add(series)
        await s.flush()
        slots = {
            name: SeriesSlot(series_id=series.id, slot_number=number, name=name)
            for number, name in ((7, "Galba"), (8, "Otho"), (9, "Vitellius"))
        }
        s.add_all(slots.values())
        await s.flush()
        return {"series": series.id, **{name: slot.id for name, slot in slots.items()}}


async def test_create_stores_canonical_forms(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
    async with sessions() as s:
        row = await get_wishlist_item(s, item.id)
    assert (row.title, row.catalog_ref, row.min_grade) == ("Otho denarius", "RIC I² 8", "XF")
    assert (row.year_start, row.year_end, row.max_price) == (69, 69, Decimal("3500.00"))
    assert (row.priority, row.status, row.acquired_coin_id) == (1, WishlistStatus.WATCHING, None)
    assert row.created_at is not None and row.notes == "Ask Harlan about the Kunker lot"


async def test_create_defaults_and_mapping_input(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(
            s, {"title": " Caesar elephant denarius ", "catalog_ref": "RRC 443/1", "issuer": ""}
        )
    assert (item.title, item.catalog_ref, item.issuer) == (
        "Caesar elephant denarius", "Crawford 443/1", None,
    )  # fmt: skip
    assert (item.priority, item.status) == (2, WishlistStatus.WANTED)


@pytest.mark.parametrize(
    ("values", "error", "field"),
    [
        ({"title": "   "}, Required, ["title"]),
        ({"title": None}, Required, ["title"]),
        ({"catalog_ref": "RIC XI 12"}, DomainError, ["catalogRef"]),
        ({"catalog_ref": "cf. RIC I² 207"}, DomainError, ["catalogRef"]),
        ({"catalog_ref": "Numismatic notes 4"}, DomainError, ["catalogRef"]),
        ({"year_start": 0}, OutOfRange, ["yearStart"]),
        ({"year_end": 0}, OutOfRange, ["yearEnd"]),
        ({"year_start": -44, "year_end": -49}, OutOfRange, ["yearEnd"]),
        ({"year_start": -5000}, OutOfRange, ["yearStart"]),
        ({"year_start": "49 BC"}, DomainError, ["yearStart"]),
        ({"min_grade": "Superb"}, DomainError, ["minGrade"]),
        ({"min_grade": "Gem VF"}, DomainError, ["minGrade"]),
        ({"max_price": Decimal("-1")}, OutOfRange, ["maxPrice"]),
        ({"max_price": "2500.005"}, DomainError, ["maxPrice"]),
        ({"max_price": 2500.5}, DomainError, ["maxPrice"]),
        ({"priority": 0}, OutOfRange, ["priority"]),
        ({"priority": 6}, OutOfRange, ["priority"]),
        ({"status": "sold"}, DomainError, ["status"]),
        ({"status": "acquired"}, DomainError, ["status"]),
        ({"series_slot_id": 424242}, NotFound, ["seriesSlotId"]),
        ({"acquired_coin_id": 1}, DomainError, ["acquiredCoinId"]),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    sessions: Sessions, values: dict[str, Any], error: type[DomainError], field: list[str]
) -> None:
    async with sessions() as s:
        async with s.begin():
            with pytest.raises(error) as raised:
                await create_wishlist_item(s, {"title": "Otho denarius", **values})
            assert raised.value.field == field
            assert raised.value.message
            await s.rollback()
    async with sessions() as s:
        assert await wishlist_rows(s) == ([], [])


async def test_citation_error_keeps_the_parsers_message(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as raised:
            await create_wishlist_item(s, WishlistItemInput(title="x", catalog_ref="RIC XI 12"))
    assert (
        raised.value.code == "INVALID"
        and "'XI' is not a volume (RIC has I–X)" in raised.value.message
    )


async def test_update_is_partial_and_none_clears(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
    async with sessions() as s, s.begin():
        await update_wishlist_item(
            s, item.id, {"max_price": "2750", "min_grade": "Ch VF", "mint": None, "priority": None}
        )
    async with sessions() as s:
        row = await get_wishlist_item(s, item.id)
    assert (row.max_price, row.min_grade, row.mint, row.priority) == (
        Decimal("2750.00"), "Ch VF", None, 2,
    )  # fmt: skip
    assert (row.title, row.catalog_ref, row.year_start) == ("Otho denarius", "RIC I² 8", 69)
    assert row.updated_at is not None


async def test_update_checks_years_against_the_stored_ones(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(
            s, WishlistItemInput(title="Elephant", year_start=-49, year_end=-48)
        )
    async with sessions() as s, s.begin():
        with pytest.raises(OutOfRange) as late_start:
            await update_wishlist_item(s, item.id, {"year_start": -44})
        with pytest.raises(OutOfRange) as early_end:
            await update_wishlist_item(s, item.id, {"year_end": -50})
        with pytest.raises(Required):
            await update_wishlist_item(s, item.id, {"status": None})
        with pytest.raises(NotFound) as missing:
            await update_wishlist_item(s, 9999, {"title": "x"})
        await update_wishlist_item(s, item.id, {"year_start": None, "year_end": -44})
    assert late_start.value.field == ["yearStart"] and early_end.value.field == ["yearEnd"]
    assert missing.value.field == ["wishlistItemId"]


async def test_delete_takes_matches_and_alerts_along(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
        other = await create_wishlist_item(s, WishlistItemInput(title="Galba", issuer="Galba"))
        await add_lots(
            s,
            make_lot(ruler="Otho", primary_reference="RIC I² 8", grade="EF"),
            make_lot(ruler="Galba", title="Galba. AR Denarius"),
        )
        await scan_wishlist(s, today=TODAY)
        s.add(PriceAlert(wishlist_id=item.id, trigger_type=AlertTrigger.NEW_MATCH))
        await s.flush()
    async with sessions() as s, s.begin():
        await delete_wishlist_item(s, item.id)
        with pytest.raises(NotFound):
            await delete_wishlist_item(s, item.id)
    async with sessions() as s:
        assert await s.get(WishlistItem, item.id) is None
        left = (await s.scalars(select(WishlistMatch.wishlist_item_id))).all()
        alerts = await s.scalar(select(func.count()).select_from(PriceAlert))
    assert list(left) == [other.id] and alerts == 0


async def test_dismiss_unknown_match(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(NotFound) as missing:
            await dismiss_wishlist_match(s, 123)
    assert missing.value.field == ["wishlistMatchId"]


async def test_acquisition_fills_the_series_slot(sessions: Sessions) -> None:
    ids = await twelve_caesars(sessions)
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(
            s, WishlistItemInput(title="Otho for the Twelve Caesars", issuer="Otho",
                                 catalog_ref="RIC I² 8", series_slot_id=ids["Otho"]),
        )  # fmt: skip
        coin_id = await add_coin(s, grade="Ch XF", acquisition_price=Decimal("3100.00"))
    when = datetime(2026, 3, 16, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    async with sessions() as s, s.begin():
        done = await mark_wishlist_item_acquired(s, item.id, coin_id, acquired_at=when)
    assert (done.status, done.acquired_coin_id) == (WishlistStatus.ACQUIRED, coin_id)
    assert done.acquired_at == datetime(2026, 3, 16, 17, 30)  # stored as naive UTC
    async with sessions() as s:
        members = (await s.scalars(select(SeriesMembership))).all()
    assert [(m.series_id, m.slot_id, m.coin_id) for m in members] == [
        (ids["series"], ids["Otho"], coin_id)
    ]


async def test_acquiring_twice_is_a_conflict(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
        first = await add_coin(s)
        second = await add_coin(s, grade="AU")
        before = datetime.now(UTC).replace(tzinfo=None)
        done = await mark_wishlist_item_acquired(s, item.id, first)
        assert done.acquired_at is not None and done.acquired_at >= before - timedelta(seconds=1)
    async with sessions() as s:
        async with s.begin():
            with pytest.raises(Conflict) as twice:
                await mark_wishlist_item_acquired(s, item.id, second)
            await s.rollback()
    assert twice.value.field == ["wishlistItemId"]
    async with sessions() as s:
        row = await get_wishlist_item(s, item.id)
    assert row.acquired_coin_id == first


async def test_acquisition_needs_a_real_item_and_coin(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
        coin_id = await add_coin(s)
        with pytest.raises(NotFound) as no_item:
            await mark_wishlist_item_acquired(s, 999, coin_id)
        with pytest.raises(NotFound) as no_coin:
            await mark_wishlist_item_acquired(s, item.id, 999)
    assert no_item.value.field == ["wishlistItemId"] and no_coin.value.field == ["coinId"]


async def test_acquisition_replaces_the_slots_coin_and_moves_this_one(sessions: Sessions) -> None:
    ids = await twelve_caesars(sessions)
    async with sessions() as s, s.begin():
        worn_otho = await add_coin(s, grade="F")
        fine_otho = await add_coin(s, grade="Ch XF")
        # The fine Otho sat in the Galba slot by mistake; the worn one holds Otho's.
        s.add_all(
            [
                SeriesMembership(series_id=ids["series"], slot_id=ids["Otho"], coin_id=worn_otho),
                SeriesMembership(series_id=ids["series"], slot_id=ids["Galba"], coin_id=fine_otho),
            ]
        )
        item = await create_wishlist_item(
            s, WishlistItemInput(title="Otho upgrade", series_slot_id=ids["Otho"])
        )
    async with sessions() as s, s.begin():
        await mark_wishlist_item_acquired(s, item.id, fine_otho)
    async with sessions() as s:
        members = (await s.scalars(select(SeriesMembership))).all()
    assert [(m.slot_id, m.coin_id) for m in members] == [(ids["Otho"], fine_otho)]


async def test_a_failed_acquisition_rolls_back_whole(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await twelve_caesars(sessions)
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(
            s, WishlistItemInput(title="Vitellius", series_slot_id=ids["Vitellius"])
        )
        coin_id = await add_coin(s, issuer="Vitellius")
    async with sessions() as s:
        before = await wishlist_rows(s)

    async def slot_refuses(*args: Any, **kwargs: Any) -> None:
        raise Conflict("slot 9 (Vitellius) is locked", field=["slotId"])

    # The item is already written when the slot fails: the rollback must undo it.
    monkeypatch.setattr(wishlist_service, "fill_series_slot", slot_refuses)
    async with sessions() as s:
        async with s.begin():
            with pytest.raises(Conflict):
                await mark_wishlist_item_acquired(s, item.id, coin_id)
            written = await s.get(WishlistItem, item.id)
            assert written is not None and written.status == WishlistStatus.ACQUIRED
            await s.rollback()
    async with sessions() as s:
        assert await wishlist_rows(s) == before
        assert (await s.scalars(select(SeriesMembership))).all() == []


async def test_reopening_an_acquired_item_unlinks_the_coin(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, OTHO)
        coin_id = await add_coin(s)
        await mark_wishlist_item_acquired(s, item.id, coin_id)
        await update_wishlist_item(s, item.id, {"notes": "slabbed by NGC"})  # stays acquired
        assert item.acquired_coin_id == coin_id
        await update_wishlist_item(s, item.id, {"status": "wanted"})  # returned to the dealer
    async with sessions() as s:
        row = await get_wishlist_item(s, item.id)
    assert (row.status, row.acquired_coin_id, row.acquired_at) == (
        WishlistStatus.WANTED, None, None,
    )  # fmt: skip
