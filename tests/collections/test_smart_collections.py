"""Smart collections: filter validation, membership equal to the coin filter, live totals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.children import CoinTag
from coinstack_graphql.coins.enums import GradingState
from coinstack_graphql.coins.filters import coin_conditions, criteria_from_json
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.membership import load_smart_filters
from coinstack_graphql.collections.models import Collection, CollectionType
from coinstack_graphql.collections.service import (
    add_coins_to_collection,
    collection_coin_ids,
    create_collection,
    delete_collection,
    remove_coins_from_collection,
    reorder_collection,
    update_collection,
)
from coinstack_graphql.collections.stats import refresh_collection_stats
from coinstack_graphql.errors import DomainError
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.references.models import CoinReference, ReferenceSystem, ReferenceType
from tests.collections import COINS, Sessions, add_coins, add_valuation, open_sessions

TWELVE_CAESARS = ("augustus_caius_lucius", "tiberius_tribute_penny", "nero_sestertius",
                  "vespasian_judaea_capta")


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def _catalogue(s: AsyncSession) -> dict[str, int]:
    """All the test coins, the Caesars tagged, the elephant denarius cited as Crawford 443/1."""
    ids = await add_coins(s)
    s.add_all(CoinTag(coin_id=ids[key], tag="twelve caesars") for key in TWELVE_CAESARS)
    cited = parse_citation("Crawford 443/1")
    crawford = ReferenceType(
        system=ReferenceSystem.CRAWFORD, local_ref=cited.local_ref,
        local_ref_normalized=cited.normalized, number=cited.number,
    )
    s.add(crawford)
    await s.flush()
    s.add(CoinReference(coin_id=ids["caesar_elephant"], reference_type_id=crawford.id))
    await s.flush()
    return ids


def _expected(keys: tuple[str, ...]) -> tuple[int, Decimal]:
    """Count and hand-summed estimates of the named coins (NULL estimates add nothing)."""
    total = sum((COINS[k]["estimated_value_usd"] or Decimal(0) for k in keys), Decimal("0.00"))
    return len(keys), total


async def _matching(s: AsyncSession, spec: dict[str, Any]) -> list[int]:
    """The coins `coins(filter:)` would return for the same criteria."""
    conditions = coin_conditions(criteria_from_json(spec), await load_smart_filters(s))
    return list((await s.scalars(select(Coin.id).where(*conditions).order_by(Coin.id))).all())


@pytest.mark.parametrize(
    ("spec", "keys"),
    [
        ({"categories": ["imperial"], "metals": ["silver"]},
         ("augustus_caius_lucius", "tiberius_tribute_penny", "vespasian_judaea_capta")),
        ({"issuers": ["augustus", "Tiberius"]},
         ("augustus_caius_lucius", "tiberius_tribute_penny")),
        ({"yearTo": -1}, ("augustus_caius_lucius", "caesar_elephant", "athens_owl")),
        ({"yearFrom": 60, "yearTo": 100}, ("nero_sestertius", "vespasian_judaea_capta")),
        ({"gradeServices": ["ngc"], "gradingStates": ["slabbed"]},
         ("augustus_caius_lucius", "tiberius_tribute_penny", "vespasian_judaea_capta",
          "athens_owl")),
        ({"hasIssues": ["testCut"]}, ("vespasian_judaea_capta", "athens_owl")),
        ({"acquisitionPriceMin": "500", "acquisitionPriceMax": 1300},
         ("tiberius_tribute_penny", "nero_sestertius", "vespasian_judaea_capta",
          "caesar_elephant")),
        ({"search": "elephant"}, ("caesar_elephant",)),
        ({"denominations": ["DENARIUS"]},
         ("augustus_caius_lucius", "tiberius_tribute_penny", "vespasian_judaea_capta",
          "caesar_elephant")),
        ({"mintName": "lugdunum"}, ("augustus_caius_lucius", "tiberius_tribute_penny")),
        ({"reference": "Crawford 443/1"}, ("caesar_elephant",)),
        ({"tags": ["twelve caesars"]}, TWELVE_CAESARS),
        ({"metals": ["gold"]}, ("hadrian_aureus",)),
        ({}, tuple(COINS)),
    ],
)
async def test_members_equal_the_coin_filter(
    sessions: Sessions, spec: dict[str, Any], keys: tuple[str, ...]
) -> None:
    async with sessions() as s, s.begin():
        ids = await _catalogue(s)
        smart = await create_collection(
            s, name="Smart", collection_type="smart", smart_filter=spec
        )
    async with sessions() as s:
        members = await collection_coin_ids(s, smart.id)
        assert members == await _matching(s, spec)
        assert members == sorted(ids[k] for k in keys)
        row = await s.get(Collection, smart.id)
    assert row is not None
    assert (row.coin_count, row.total_value) == _expected(keys)


async def test_totals_follow_coin_edits_and_valuations(sessions: Sessions) -> None:
    spec = {"gradeServices": ["ngc"], "gradingStates": ["slabbed"]}
    async with sessions() as s, s.begin():
        ids = await _catalogue(s)
        slabs = await create_collection(s, name="NGC slabs", collection_type="smart",
                                        smart_filter=spec)
    assert (slabs.coin_count, slabs.total_value) == (4, Decimal("3050.00"))
    async with sessions() as s, s.begin():
        # The owl is cracked out of its slab; the Nero sestertius goes to NGC.
        await s.execute(update(Coin).where(Coin.id == ids["athens_owl"])
                        .values(grading_state=GradingState.RAW))
        await s.execute(update(Coin).where(Coin.id == ids["nero_sestertius"])
                        .values(grade_service="ngc", grading_state=GradingState.SLABBED))
        await refresh_collection_stats(s)
        members = await collection_coin_ids(s, slabs.id)
        assert members == await _matching(s, spec)
        assert members == sorted(ids[k] for k in (
            "augustus_caius_lucius", "tiberius_tribute_penny", "nero_sestertius",
            "vespasian_judaea_capta"))
    async with sessions() as s, s.begin():
        row = await s.get(Collection, slabs.id)
        assert row is not None
        assert (row.coin_count, row.total_value) == (4, Decimal("3150.00"))  # 450+600+1200+900
        # Valuations replace the estimate; the latest one (by date, then id) counts.
        augustus = ids["augustus_caius_lucius"]
        await add_valuation(s, augustus, date(2025, 1, 15), "610.00")
        await add_valuation(s, augustus, date(2024, 5, 1), "520.00")
        await add_valuation(s, ids["nero_sestertius"], date(2025, 3, 1), "1350.00")
        await add_valuation(s, ids["nero_sestertius"], date(2025, 3, 1), "1325.50")
        await refresh_collection_stats(s)
        assert row.total_value == Decimal("3435.50")  # 610 + 600 + 1325.50 + 900
    async with sessions() as s:
        row = await s.get(Collection, slabs.id)
    assert row is not None and (row.coin_count, row.total_value) == (4, Decimal("3435.50"))


async def test_smart_filter_on_a_custom_collection(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await _catalogue(s)
        tray = await create_collection(s, name="Tray 1")
        await add_coins_to_collection(s, tray.id, [ids["nero_sestertius"], ids["athens_owl"]])
        spec = {"collectionIds": [tray.id], "metals": ["silver"]}
        silver = await create_collection(s, name="Silver in tray 1", collection_type="smart",
                                         smart_filter=spec)
        assert await collection_coin_ids(s, silver.id) == [ids["athens_owl"]]
        assert (silver.coin_count, silver.total_value) == (1, Decimal("1100.00"))
        # Filling the tray refreshes the smart collection that filters on it.
        await add_coins_to_collection(s, tray.id, [ids["caesar_elephant"]])
        assert await collection_coin_ids(s, silver.id) == await _matching(s, spec)
        assert (silver.coin_count, silver.total_value) == (2, Decimal("2600.00"))
        await remove_coins_from_collection(s, tray.id, [ids["athens_owl"]])
        assert (silver.coin_count, silver.total_value) == (1, Decimal("1500.00"))
        with pytest.raises(DomainError) as err:
            await delete_collection(s, tray.id)
        assert (err.value.code, err.value.field) == ("CONFLICT", ["collectionId"])


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        (None, "REQUIRED", ["smartFilter"]),
        (["silver"], "INVALID", ["smartFilter"]),
        ({"mintname": "Rome"}, "INVALID", ["smartFilter", "mintname"]),
        ({"metals": "silver"}, "INVALID", ["smartFilter", "metals"]),
        ({"metals": ["platinum"]}, "INVALID", ["smartFilter", "metals"]),
        ({"categories": ["imperial", 3]}, "INVALID", ["smartFilter", "categories"]),
        ({"yearFrom": "100 BC"}, "INVALID", ["smartFilter", "yearFrom"]),
        ({"yearTo": True}, "INVALID", ["smartFilter", "yearTo"]),
        ({"acquisitionPriceMin": "lots"}, "INVALID", ["smartFilter", "acquisitionPriceMin"]),
        ({"acquisitionPriceMax": "NaN"}, "INVALID", ["smartFilter", "acquisitionPriceMax"]),
        ({"acquisitionPriceMin": 900, "acquisitionPriceMax": "450.00"},
         "INVALID", ["smartFilter", "acquisitionPriceMax"]),
        ({"forSale": "yes"}, "INVALID", ["smartFilter", "forSale"]),
        ({"search": 42}, "INVALID", ["smartFilter", "search"]),
        ({"mintIds": ["Rome"]}, "INVALID", ["smartFilter", "mintIds"]),
        ({"hasIssues": ["chopmark"]}, "INVALID", ["smartFilter", "hasIssues"]),
        ({"reference": "cf. RIC 207"}, "INVALID", ["smartFilter", "reference"]),
        ({"yearFrom": 100, "yearTo": -100}, "INVALID", ["smartFilter", "yearTo"]),
        ({"collectionIds": [777]}, "NOT_FOUND", ["smartFilter", "collectionIds", "0"]),
    ],
)
async def test_bad_filters_are_refused(
    sessions: Sessions, spec: Any, code: str, field: list[str]
) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as err:
            await create_collection(s, name="Bad", collection_type=CollectionType.SMART,
                                    smart_filter=spec)
    assert (err.value.code, err.value.field) == (code, field)


async def test_filter_is_stored_canonically(sessions: Sessions) -> None:
    spec = {"acquisitionPriceMin": 500, "metals": ["silver"], "yearFrom": None, "tags": []}
    async with sessions() as s, s.begin():
        made = await create_collection(s, name="Silver over $500", collection_type="smart",
                                       smart_filter=spec)
    async with sessions() as s:
        row = await s.get(Collection, made.id)
    assert row is not None
    assert row.smart_filter == {"acquisitionPriceMin": "500", "metals": ["silver"]}


async def test_smart_collections_hold_no_coins_by_hand(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "athens_owl")
        owls = await create_collection(s, name="Owls", collection_type="smart",
                                       smart_filter={"issuers": ["Athens"]})
        for call in (add_coins_to_collection, remove_coins_from_collection, reorder_collection):
            with pytest.raises(DomainError) as err:
                await call(s, owls.id, [ids["athens_owl"]])
            assert (err.value.code, err.value.field) == ("INVALID", ["collectionId"])


async def test_changing_type(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "constantine_follis", "nero_sestertius")
        bronzes = await create_collection(s, name="Bronzes")
        await add_coins_to_collection(s, bronzes.id, [ids["nero_sestertius"]])
        spec = {"metals": ["bronze"]}
        with pytest.raises(DomainError) as err:
            await update_collection(s, bronzes.id,
                                    {"collection_type": "smart", "smart_filter": spec})
        assert (err.value.code, err.value.field) == ("INVALID", ["collectionType"])
        await remove_coins_from_collection(s, bronzes.id, [ids["nero_sestertius"]])
        with pytest.raises(DomainError) as err:
            await update_collection(s, bronzes.id, {"collection_type": "smart"})
        assert (err.value.code, err.value.field) == ("REQUIRED", ["smartFilter"])
        smart = await update_collection(s, bronzes.id,
                                        {"collection_type": "smart", "smart_filter": spec})
        assert (smart.coin_count, smart.total_value) == (1, Decimal("40.00"))
        assert await collection_coin_ids(s, bronzes.id) == [ids["constantine_follis"]]
        with pytest.raises(DomainError) as err:
            await update_collection(s, bronzes.id, {"smart_filter": None})
        assert (err.value.code, err.value.field) == ("REQUIRED", ["smartFilter"])
        back = await update_collection(s, bronzes.id, {"collection_type": "custom"})
        assert (back.smart_filter, back.coin_count, back.total_value) == (None, 0, Decimal(0))
        assert await collection_coin_ids(s, bronzes.id) == []


async def test_smart_filters_cannot_loop(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        silver = await create_collection(s, name="Silver", collection_type="smart",
                                         smart_filter={"metals": ["silver"]})
        greek = await create_collection(s, name="Greek silver", collection_type="smart",
                                        smart_filter={"collectionIds": [silver.id],
                                                      "categories": ["greek"]})
        for named in ([silver.id], [greek.id]):
            with pytest.raises(DomainError) as err:
                await update_collection(s, silver.id, {"smart_filter": {"collectionIds": named}})
            assert err.value.code == "INVALID"
            assert err.value.field == ["smartFilter", "collectionIds"]
