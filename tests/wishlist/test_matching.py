"""scan_wishlist against a real database: which lots match, what is stored, re-scans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.errors import Conflict, NotFound
from coinstack_graphql.wishlist.matching import MATCH_TYPE, MarketValue, scan_wishlist
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch, WishlistStatus
from coinstack_graphql.wishlist.service import (
    WishlistItemInput,
    create_wishlist_item,
    dismiss_wishlist_match,
    update_wishlist_item,
)
from tests.wishlist import (
    TODAY,
    Sessions,
    add_coin,
    add_lots,
    link_concordance,
    make_lot,
    open_sessions,
    wishlist_rows,
)

ELEPHANT = WishlistItemInput(
    title="Caesar elephant denarius",
    issuer="Julius Caesar",
    denomination="Denarius",
    year_start=-49,
    year_end=-48,
    catalog_ref="Crawford 443/1",
    min_grade="VF",
    max_price=Decimal("2500.00"),
    priority=1,
)


def elephant(**values: object):  # type: ignore[no-untyped-def]
    """A lot of the elephant denarius, Ch VF, estimated at USD 1,500 unless told otherwise."""
    base: dict[str, object] = dict(
        title="Julius Caesar. AR Denarius (18mm, 3.92 g, 12h). Military mint traveling with "
        "Caesar, 49-48 BC. Elephant right trampling serpent / Pontifical implements.",
        ruler="Julius Caesar",
        denomination="Denarius",
        metal="AR",
        struck_dates="49-48 BC",
        primary_reference="Crawford 443/1",
        catalog_references=["Crawford 443/1", "CRI 9", "Sydenham 1006", "RSC 49"],
        grade="Choice VF",
        estimate_low=Decimal("1500.00"),
        estimate_high=Decimal("2000.00"),
    )
    base.update(values)
    return make_lot(**base)


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def matches_of(session: AsyncSession, item_id: int) -> dict[str, WishlistMatch]:
    rows = await session.scalars(
        select(WishlistMatch).where(WishlistMatch.wishlist_item_id == item_id)
    )
    return {row.match_id: row for row in rows.all()}


async def test_elephant_denarius_lots_are_scored_and_stored(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, ELEPHANT)
        coin_id = await add_coin(
            s, category="republic", issuer="Julius Caesar", year_start=-49, year_end=-48
        )
        first_lot = elephant()
        best, dear, portrait, owned, old, recent = await add_lots(
            s,
            first_lot,
            elephant(grade="VF", estimate_low=Decimal("3000.00"), url="https://www.numisbids.com/n.php?p=lot&sid=7001&lot=1"),
            elephant(
                title="Julius Caesar. AR Denarius. Rome, 44 BC. Wreathed head / Venus.",
                struck_dates="January-February 44 BC",
                primary_reference="Crawford 480/6", catalog_references=["Crawford 480/6"],
            ),
            elephant(coin_id=coin_id),  # bought already: part of the collection
            elephant(auction_date=date(2025, 6, 1), sold=True, total_price=Decimal("2100.00")),
            elephant(
                auction_date=date(2026, 2, 20), sold=True, hammer_price=Decimal("1700.00"),
                total_price=Decimal("2040.00"), grade="NGC Ch XF 5/5 - 4/5",
            ),
        )  # fmt: skip
        result = await scan_wishlist(s, today=TODAY)
    assert result.items_scanned == 1 and result.updated_matches == []
    assert {m.match_id for m in result.new_matches} == {str(best), str(dear), str(recent)}
    async with sessions() as s:
        stored = await matches_of(s, item.id)
    top = stored[str(best)]
    assert (top.match_type, top.match_score, top.confidence) == (MATCH_TYPE, 1.0, "high")
    assert top.match_url == first_lot.url
    assert top.title.startswith("Julius Caesar. AR Denarius")
    assert (top.grade, top.price, top.currency) == ("Choice VF", Decimal("1500.00"), "USD")
    assert (top.auction_date, top.is_below_budget, top.dismissed) == (
        date(2026, 3, 16),
        True,
        False,
    )
    assert top.is_below_market is None and top.value_score is None
    over = stored[str(dear)]
    assert over.is_below_budget is False and over.price == Decimal("3000.00")
    assert (over.match_score or 0) < (top.match_score or 0) and over.confidence == "medium"
    sold = stored[str(recent)]
    assert (sold.price, sold.grade, sold.is_below_budget) == (
        Decimal("2040.00"), "NGC Ch XF 5/5 - 4/5", True,
    )  # fmt: skip
    assert str(portrait) not in stored and str(owned) not in stored and str(old) not in stored


async def test_rsc_citation_matches_ric_item_through_the_concordance(sessions: Sessions) -> None:
    lot_values = dict(
        title="Augustus. AR Denarius. Lugdunum, 2 BC-AD 4. Caius and Lucius Caesars.",
        ruler="Augustus", denomination="Denarius", struck_dates="2 BC-AD 4", mint="Lugdunum",
        primary_reference="RSC 43", catalog_references=None, grade="gVF",
    )  # fmt: skip
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(
            s,
            WishlistItemInput(
                title="Augustus, Caius and Lucius denarius", issuer="Augustus",
                denomination="Denarius", mint="Lyon", catalog_ref="RIC I² 207",
            ),
        )  # fmt: skip
        (unlinked,) = await add_lots(s, make_lot(**lot_values))
        before = await scan_wishlist(s, today=TODAY)
    # Without the concordance RSC says nothing about RIC: unknown, not a mismatch.
    assert [m.match_id for m in before.new_matches] == [str(unlinked)]
    assert (
        before.new_matches[0].confidence == "low" and (before.new_matches[0].match_score or 1) < 1
    )
    async with sessions() as s, s.begin():
        await link_concordance(s, "augustus-caius-lucius", "RIC I² 207", "RSC 43", "BMCRE I 533")
        (other,) = await add_lots(s, make_lot(**{**lot_values, "primary_reference": "RSC 44"}))
        after = await scan_wishlist(s, today=TODAY)
    assert after.new_matches == []  # RSC 44 is another type now that RSC is comparable
    assert [m.match_id for m in after.updated_matches] == [str(unlinked)]
    upgraded = after.updated_matches[0]
    assert (upgraded.match_score, upgraded.confidence) == (1.0, "high")
    async with sessions() as s:
        assert set(await matches_of(s, item.id)) == {str(unlinked)}
    assert other != unlinked


async def test_bc_year_ranges_overlap(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await create_wishlist_item(
            s, WishlistItemInput(title="Denarius of 49-48 BC", issuer="Julius Caesar",
                                 year_start=-49, year_end=-48),
        )  # fmt: skip
        same, later, wider, unreadable = await add_lots(
            s,
            make_lot(ruler="Julius Caesar", struck_dates="49-48 BC"),
            make_lot(ruler="Julius Caesar", struck_dates="44 BC"),
            make_lot(ruler="Julius Caesar", reign_dates="100-44 BC"),
            make_lot(ruler="Julius Caesar", struck_dates="during the civil war"),
        )
        result = await scan_wishlist(s, today=TODAY)
    scores = {m.match_id: m.match_score for m in result.new_matches}
    assert set(scores) == {str(same), str(wider), str(unreadable)}
    assert scores[str(same)] == scores[str(wider)] == 1.0
    assert 0 < (scores[str(unreadable)] or 0) < 1.0  # unknown years count half


async def test_grade_threshold_on_the_ladder(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await create_wishlist_item(
            s, WishlistItemInput(title="Otho denarius in EF", issuer="Otho",
                                 denomination="Denarius", catalog_ref="RIC I² 8", min_grade="EF"),
        )  # fmt: skip
        grades = ["VF", "aEF", "gVF", "EF", "Ch XF", "NGC AU 55", "VF/EF", "Nice portrait"]
        ids = await add_lots(
            s,
            *(
                make_lot(ruler="Otho", denomination="Denarius", primary_reference="RIC I² 8",
                         grade=grade, title="Otho, AD 69. AR Denarius. Rome. SECVRITAS P R")
                for grade in grades
            ),
        )  # fmt: skip
        result = await scan_wishlist(s, today=TODAY)
    by_grade = dict(zip(grades, ids, strict=True))
    found = {m.match_id: m for m in result.new_matches}
    assert set(found) == {str(by_grade[g]) for g in ("EF", "Ch XF", "NGC AU 55", "Nice portrait")}
    assert 0 < (found[str(by_grade["Nice portrait"])].match_score or 0) < 1.0  # unknown
    assert found[str(by_grade["Ch XF"])].match_score == 1.0


async def test_rescan_is_idempotent_and_updates_prices(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, ELEPHANT)
        first_lot, second_lot = await add_lots(s, elephant(), elephant(grade="EF"))
        first = await scan_wishlist(s, today=TODAY)
    async with sessions() as s:
        rows_after_first = await wishlist_rows(s)
    async with sessions() as s, s.begin():
        second = await scan_wishlist(s, today=TODAY)
    async with sessions() as s:
        assert await wishlist_rows(s) == rows_after_first
    assert len(first.new_matches) == 2
    assert (second.new_matches, second.updated_matches, second.removed_match_ids) == ([], [], [])
    async with sessions() as s, s.begin():
        sold = await s.get(AuctionData, first_lot)
        assert sold is not None
        sold.sold, sold.hammer_price, sold.total_price = True, Decimal("2600"), Decimal("3120")
        await s.flush()
        third = await scan_wishlist(s, today=TODAY)
    assert [m.match_id for m in third.updated_matches] == [str(first_lot)]
    async with sessions() as s:
        stored = await matches_of(s, item.id)
    assert len(stored) == 2
    assert (stored[str(first_lot)].price, stored[str(first_lot)].is_below_budget) == (
        Decimal("3120.00"), False,
    )  # fmt: skip
    assert stored[str(second_lot)].price == Decimal("1500.00")


async def test_dismissed_matches_stay_dismissed(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, ELEPHANT)
        kept_lot, dismissed_lot = await add_lots(s, elephant(), elephant(grade="VF"))
        first = await scan_wishlist(s, today=TODAY)
        doomed = next(m for m in first.new_matches if m.match_id == str(dismissed_lot))
        await dismiss_wishlist_match(s, doomed.id)
        await dismiss_wishlist_match(s, doomed.id)  # twice changes nothing
    async with sessions() as s, s.begin():
        lot = await s.get(AuctionData, dismissed_lot)
        assert lot is not None
        lot.estimate_low = Decimal("900.00")  # cheaper now: still not shown again
        await s.flush()
        again = await scan_wishlist(s, today=TODAY)
        # Raising the bar removes the other match, never the dismissed one.
        await update_wishlist_item(s, item.id, {"min_grade": "XF"})
        stricter = await scan_wishlist(s, today=TODAY)
    assert again.new_matches == [] and again.updated_matches == []
    async with sessions() as s:
        stored = await matches_of(s, item.id)
    assert set(stored) == {str(dismissed_lot)}
    assert stored[str(dismissed_lot)].dismissed is True
    assert stored[str(dismissed_lot)].price == Decimal("1500.00")
    assert len(stricter.removed_match_ids) == 1 and kept_lot != dismissed_lot


async def test_market_value_sets_below_market_and_value_score(sessions: Sessions) -> None:
    asked: list[str] = []

    async def lookup(session: AsyncSession, key: str) -> MarketValue | Decimal | None:
        asked.append(key)
        return {"crawford.443.1": Decimal("2000.00"), "ric.1(2).8": None}.get(key)

    async with sessions() as s, s.begin():
        await create_wishlist_item(s, ELEPHANT)
        await create_wishlist_item(s, ELEPHANT)  # same type: one lookup
        otho = await create_wishlist_item(
            s, WishlistItemInput(title="Otho denarius", issuer="Otho", catalog_ref="RIC I² 8")
        )
        cheap, dear, chf, _ = await add_lots(
            s,
            elephant(),
            elephant(estimate_low=Decimal("2400.00")),
            elephant(estimate_low=Decimal("1500.00"), currency="CHF"),
            make_lot(ruler="Otho", primary_reference="RIC I² 8", estimate_low=Decimal("2000")),
        )
        result = await scan_wishlist(
            s, today=TODAY, market_value_lookup=lookup, currency_rates={"CHF": Decimal("1.12")}
        )
    assert asked == ["crawford.443.1", "ric.1(2).8"]
    found = {(m.wishlist_item_id, m.match_id): m for m in result.new_matches}
    first_item = min(m.wishlist_item_id for m in result.new_matches)
    below = found[(first_item, str(cheap))]
    assert (below.is_below_market, below.value_score) == (True, 0.25)
    above = found[(first_item, str(dear))]
    assert (above.is_below_market, above.value_score) == (False, -0.2)
    francs = found[(first_item, str(chf))]  # CHF 1,500 = USD 1,680 against USD 2,000
    assert (francs.currency, francs.is_below_market, francs.value_score) == ("CHF", True, 0.16)
    assert francs.is_below_budget is True
    otho_match = next(m for m in result.new_matches if m.wishlist_item_id == otho.id)
    assert otho_match.is_below_market is None and otho_match.value_score is None


async def test_scan_only_the_items_asked_for(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        wanted = await create_wishlist_item(s, ELEPHANT)
        watching = await create_wishlist_item(
            s, WishlistItemInput(title="Otho", issuer="Otho", status="watching")
        )
        cancelled = await create_wishlist_item(
            s, WishlistItemInput(title="Elephant, cancelled", catalog_ref="Crawford 443/1",
                                 status="cancelled"),
        )  # fmt: skip
        await add_lots(s, elephant(), make_lot(ruler="Otho", title="Otho. AR Denarius"))
        everything = await scan_wishlist(s, today=TODAY)
        assert everything.items_scanned == 2
        assert {m.wishlist_item_id for m in everything.new_matches} == {wanted.id, watching.id}
        only = await scan_wishlist(s, item_ids=[watching.id], today=TODAY)
        assert only.items_scanned == 1 and only.new_matches == []
        with pytest.raises(NotFound) as missing:
            await scan_wishlist(s, item_ids=[wanted.id, 99999], today=TODAY)
        assert missing.value.field == ["itemIds", "1"]
        with pytest.raises(Conflict) as closed:
            await scan_wishlist(s, item_ids=[cancelled.id], today=TODAY)
        assert closed.value.field == ["itemIds", "0"]
        assert (await scan_wishlist(s, item_ids=[], today=TODAY)).items_scanned == 0


async def test_a_rolled_back_scan_leaves_nothing(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await create_wishlist_item(s, ELEPHANT)
        await add_lots(s, elephant(), elephant(grade="EF"))
    async with sessions() as s:
        before = await wishlist_rows(s)
    async with sessions() as s:
        async with s.begin():
            result = await scan_wishlist(s, today=TODAY)
            assert len(result.new_matches) == 2
            await s.rollback()
    async with sessions() as s:
        assert await wishlist_rows(s) == before


async def test_acquired_items_are_not_scanned(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await create_wishlist_item(s, ELEPHANT)
        await add_lots(s, elephant())
        row = await s.get(WishlistItem, item.id)
        assert row is not None
        row.status = WishlistStatus.ACQUIRED
        await s.flush()
        result = await scan_wishlist(s, today=TODAY)
    assert (result.items_scanned, result.new_matches) == (0, [])
