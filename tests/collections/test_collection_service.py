"""Custom collections: creation, slugs, hierarchy, membership, ordering and rollback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType
from coinstack_graphql.collections.service import (
    add_coins_to_collection,
    collection_coin_ids,
    create_collection,
    delete_collection,
    remove_coins_from_collection,
    reorder_collection,
    slugify,
    update_collection,
)
from coinstack_graphql.collections.stats import refresh_collection_stats
from coinstack_graphql.errors import DomainError
from tests.collections import Sessions, add_coins, open_sessions, stored_rows


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def test_create_custom_collection(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        made = await create_collection(
            s, name="  Twelve Caesars ", description="Suetonius' twelve, one denarius each",
            display_order=1, is_favorite=True,
            cover_image_url="https://images.example.org/augustus-ric-207.jpg",
        )
    async with sessions() as s:
        row = await s.get(Collection, made.id)
    assert row is not None
    assert (row.name, row.slug, row.collection_type) == (
        "Twelve Caesars", "twelve-caesars", CollectionType.CUSTOM
    )
    assert (row.coin_count, row.total_value) == (0, Decimal("0.00"))
    assert row.smart_filter is None and row.parent_id is None and row.is_favorite
    assert row.created_at is not None


async def test_generated_slugs_are_unique(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        slugs = [(await create_collection(s, name="Twelve Caesars")).slug for _ in range(3)]
        own = await create_collection(s, name="Twelve caesars", slug="twelve-caesars-7")
        after = await create_collection(s, name="TWELVE  CAESARS!")
    assert slugs == ["twelve-caesars", "twelve-caesars-2", "twelve-caesars-3"]
    assert own.slug == "twelve-caesars-7"
    assert after.slug == "twelve-caesars-4"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ἀθῆναι – Owls", "athenai-owls"),
        ("Émissions de Lugdunum", "emissions-de-lugdunum"),
        ("RIC I² 207 & friends", "ric-i2-207-friends"),
        ("Φίλιππος Β΄", "philippos-b"),
        ("★ ★ ★", "collection"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slugify_cuts_long_names_at_a_word() -> None:
    slug = slugify("Denarii of the Roman Republic " * 10)
    assert len(slug) <= 76 and not slug.endswith("-")
    assert slug.startswith("denarii-of-the-roman-republic-denarii")


@pytest.mark.parametrize(
    "slug", ["", "Twelve-Caesars", "twelve_caesars", "-caesars", "caesars-", "a--b", "x" * 81]
)
async def test_given_slug_must_be_well_formed(sessions: Sessions, slug: str) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as err:
            await create_collection(s, name="Flavians", slug=slug)
    assert (err.value.code, err.value.field) == ("INVALID", ["slug"])


async def test_given_slug_conflict(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await create_collection(s, name="Flavians")
        with pytest.raises(DomainError) as err:
            await create_collection(s, name="Flavian dynasty", slug="flavians")
    assert (err.value.code, err.value.field) == ("CONFLICT", ["slug"])


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"name": "   "}, "REQUIRED", ["name"]),
        ({"name": "x" * 201}, "OUT_OF_RANGE", ["name"]),
        ({"name": "Severans", "collection_type": "dynasty"}, "INVALID", ["collectionType"]),
        ({"name": "Severans", "collection_type": "series"}, "INVALID", ["collectionType"]),
        ({"name": "Severans", "smart_filter": {"issuers": ["Septimius Severus"]}},
         "INVALID", ["smartFilter"]),
        ({"name": "Severans", "parent_id": 999}, "NOT_FOUND", ["parentId"]),
        ({"name": "Severans", "display_order": -1}, "OUT_OF_RANGE", ["displayOrder"]),
        ({"name": "Severans", "cover_image_url": "javascript:alert(1)"},
         "INVALID", ["coverImageUrl"]),
    ],
)
async def test_create_refuses_bad_input(
    sessions: Sessions, kwargs: dict, code: str, field: list[str]
) -> None:
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as err:
            await create_collection(s, **kwargs)
    assert (err.value.code, err.value.field) == (code, field)
    assert err.value.message


async def test_hierarchy_depth_is_bounded(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        parent_id = None
        chain = []
        for name in ("Rome", "Empire", "Principate", "Julio-Claudians", "Augustus"):
            made = await create_collection(s, name=name, parent_id=parent_id)
            chain.append(made.id)
            parent_id = made.id
        with pytest.raises(DomainError) as err:
            await create_collection(s, name="Lugdunum denarii", parent_id=chain[-1])
        assert (err.value.code, err.value.field) == ("OUT_OF_RANGE", ["parentId"])
        # Moving a two-level branch under level 4 would make it six deep.
        branch = await create_collection(s, name="Flavians")
        await create_collection(s, name="Vespasian", parent_id=branch.id)
        with pytest.raises(DomainError) as err:
            await update_collection(s, branch.id, {"parent_id": chain[3]})
        assert (err.value.code, err.value.field) == ("OUT_OF_RANGE", ["parentId"])
        moved = await update_collection(s, branch.id, {"parent_id": chain[2]})
        assert moved.parent_id == chain[2]


async def test_cycles_are_refused(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        greek = await create_collection(s, name="Greek")
        attica = await create_collection(s, name="Attica", parent_id=greek.id)
        athens = await create_collection(s, name="Athens", parent_id=attica.id)
        for target in (greek.id, athens.id):
            with pytest.raises(DomainError) as err:
                await update_collection(s, greek.id, {"parent_id": target})
            assert (err.value.code, err.value.field) == ("INVALID", ["parentId"])
        with pytest.raises(DomainError) as err:
            await update_collection(s, greek.id, {"parent_id": 12345})
        assert (err.value.code, err.value.field) == ("NOT_FOUND", ["parentId"])


async def test_update_is_partial(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        made = await create_collection(
            s, name="Tribute pennies", description="Tiberius, RIC I² 30", display_order=3
        )
        updated = await update_collection(s, made.id, {"name": "Tiberius denarii"})
        assert (updated.name, updated.slug) == ("Tiberius denarii", "tribute-pennies")
        assert (updated.description, updated.display_order) == ("Tiberius, RIC I² 30", 3)
        await update_collection(s, made.id, {"description": None, "is_favorite": True})
        await update_collection(s, made.id, {"slug": None})
    async with sessions() as s:
        row = await s.get(Collection, made.id)
    assert row is not None
    assert (row.name, row.slug, row.description, row.is_favorite, row.display_order) == (
        "Tiberius denarii", "tiberius-denarii", None, True, 3
    )


async def test_update_refuses_bad_input(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        first = await create_collection(s, name="Nero")
        second = await create_collection(s, name="Galba")
        cases: list[tuple[int, dict[str, Any], str, list[str]]] = [
            (9999, {"name": "Otho"}, "NOT_FOUND", ["collectionId"]),
            (second.id, {"slug": "nero"}, "CONFLICT", ["slug"]),
            (second.id, {"name": None}, "REQUIRED", ["name"]),
            (second.id, {"collection_type": None}, "REQUIRED", ["collectionType"]),
            (second.id, {"smart_filter": {"issuers": ["Galba"]}}, "INVALID", ["smartFilter"]),
        ]
        for cid, changes, code, field in cases:
            with pytest.raises(DomainError) as err:
                await update_collection(s, cid, changes)
            assert (err.value.code, err.value.field) == (code, field), changes
        with pytest.raises(TypeError):
            await update_collection(s, first.id, {"coin_count": 12})
        # Keeping its own slug is not a conflict.
        assert (await update_collection(s, first.id, {"slug": "nero"})).slug == "nero"


async def test_delete_reparents_children_and_drops_memberships(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "augustus_caius_lucius", "tiberius_tribute_penny")
        rome = await create_collection(s, name="Rome")
        julio = await create_collection(s, name="Julio-Claudians", parent_id=rome.id)
        augustus = await create_collection(s, name="Augustus", parent_id=julio.id)
        tiberius = await create_collection(s, name="Tiberius", parent_id=julio.id)
        await add_coins_to_collection(s, julio.id, list(ids.values()))
        await add_coins_to_collection(s, augustus.id, [ids["augustus_caius_lucius"]])
    async with sessions() as s, s.begin():
        await delete_collection(s, julio.id)
        with pytest.raises(DomainError) as err:
            await delete_collection(s, julio.id)
        assert (err.value.code, err.value.field) == ("NOT_FOUND", ["collectionId"])
    async with sessions() as s, s.begin():
        parents = await _parents(s)
        assert parents == {rome.id: None, augustus.id: rome.id, tiberius.id: rome.id}
        members = (await s.execute(select(CollectionCoin.collection_id))).scalars().all()
        assert members == [augustus.id]
        assert len((await s.scalars(select(Coin.id))).all()) == 2
        await delete_collection(s, rome.id)  # the children become roots
        parents = await _parents(s)
        assert parents == {augustus.id: None, tiberius.id: None}


async def _parents(s: AsyncSession) -> dict[int, int | None]:
    rows = await s.execute(select(Collection.id, Collection.parent_id))
    return dict(rows.tuples().all())


async def test_add_coins_appends_and_is_idempotent(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s)
        caesars = await create_collection(s, name="Twelve Caesars")
        first = [ids["tiberius_tribute_penny"], ids["augustus_caius_lucius"]]
        await add_coins_to_collection(s, caesars.id, first)
        again = [ids["nero_sestertius"], ids["tiberius_tribute_penny"], ids["nero_sestertius"]]
        result = await add_coins_to_collection(s, caesars.id, again)
        await add_coins_to_collection(s, caesars.id, [])
    assert result.coin_count == 3
    assert result.total_value == Decimal("2250.00")  # 600 + 450 + 1200
    async with sessions() as s:
        assert await collection_coin_ids(s, caesars.id) == [*first, ids["nero_sestertius"]]
        positions = (
            await s.execute(select(CollectionCoin.coin_id, CollectionCoin.position))
        ).tuples().all()
        assert dict(positions) == {first[0]: 0, first[1]: 1, ids["nero_sestertius"]: 2}


async def test_add_unknown_coin_names_its_index(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "athens_owl")
        owls = await create_collection(s, name="Owls")
        with pytest.raises(DomainError) as err:
            await add_coins_to_collection(s, owls.id, [ids["athens_owl"], 424242])
        assert (err.value.code, err.value.field) == ("NOT_FOUND", ["coinIds", "1"])
        with pytest.raises(DomainError) as err:
            await add_coins_to_collection(s, 31337, [ids["athens_owl"]])
        assert (err.value.code, err.value.field) == ("NOT_FOUND", ["collectionId"])


async def test_failed_mutation_leaves_nothing_behind(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "caesar_elephant", "athens_owl")
        kept = await create_collection(s, name="Imperators")
        await add_coins_to_collection(s, kept.id, [ids["caesar_elephant"]])
    async with sessions() as s:
        before = await stored_rows(s)
    # One mutation = one transaction: writes before the failure go too.
    async with sessions() as s:
        await s.begin()
        with pytest.raises(DomainError):
            made = await create_collection(s, name="Silver", parent_id=kept.id)
            await add_coins_to_collection(s, made.id, [ids["athens_owl"]])
            await add_coins_to_collection(s, kept.id, [ids["athens_owl"], -5])
        await s.rollback()
    async with sessions() as s:
        await s.begin()
        with pytest.raises(DomainError):
            await update_collection(s, kept.id, {"name": "Caesar", "parent_id": kept.id})
        await s.rollback()
    async with sessions() as s:
        assert await stored_rows(s) == before


async def test_remove_coins(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(
            s, "augustus_caius_lucius", "tiberius_tribute_penny", "nero_sestertius"
        )
        box = await create_collection(s, name="Tray 3")
        await add_coins_to_collection(s, box.id, list(ids.values()))
        result = await remove_coins_from_collection(
            s, box.id, [ids["tiberius_tribute_penny"], 999_999]
        )
        assert (result.coin_count, result.total_value) == (2, Decimal("1650.00"))
        assert await collection_coin_ids(s, box.id) == [
            ids["augustus_caius_lucius"], ids["nero_sestertius"]
        ]
        await remove_coins_from_collection(s, box.id, list(ids.values()))
        assert (box.coin_count, box.total_value) == (0, Decimal("0.00"))


async def test_reorder(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s)
        caesars = await create_collection(s, name="Twelve Caesars")
        chosen = [ids[k] for k in ("nero_sestertius", "vespasian_judaea_capta",
                                   "augustus_caius_lucius", "tiberius_tribute_penny")]
        await add_coins_to_collection(s, caesars.id, chosen)
        chronological = [chosen[2], chosen[3], chosen[0], chosen[1]]
        await reorder_collection(s, caesars.id, chronological)
        assert await collection_coin_ids(s, caesars.id) == chronological
        bad = [
            chronological[:3],
            [*chronological, ids["athens_owl"]],
            [*chronological[:3], chronological[0]],
            [*chronological[:3], ids["hadrian_aureus"]],
        ]
        for coin_ids in bad:
            with pytest.raises(DomainError) as err:
                await reorder_collection(s, caesars.id, coin_ids)
            assert (err.value.code, err.value.field) == ("INVALID", ["coinIds"])
        # A coin added after the reorder goes to the end.
        await add_coins_to_collection(s, caesars.id, [ids["hadrian_aureus"]])
        assert await collection_coin_ids(s, caesars.id) == [*chronological, ids["hadrian_aureus"]]
        empty = await create_collection(s, name="Empty")
        await reorder_collection(s, empty.id, [])
    async with sessions() as s:
        rows = await s.execute(select(CollectionCoin.coin_id, CollectionCoin.position))
        positions = dict(rows.tuples().all())
    assert [positions[c] for c in chronological] == [0, 1, 2, 3]
    assert positions[ids["hadrian_aureus"]] == 4


async def test_memberships_of_deleted_coins_are_ignored(sessions: Sessions) -> None:
    # The schema has no foreign keys, so deleting a coin leaves its membership rows behind.
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "constantine_follis", "nero_sestertius")
        bronze = await create_collection(s, name="Bronzes")
        await add_coins_to_collection(s, bronze.id, list(ids.values()))
        await s.execute(delete(Coin).where(Coin.id == ids["nero_sestertius"]))
        assert await collection_coin_ids(s, bronze.id) == [ids["constantine_follis"]]
        await reorder_collection(s, bronze.id, [ids["constantine_follis"]])
        await add_coins_to_collection(s, bronze.id, [ids["constantine_follis"]])
    async with sessions() as s, s.begin():
        await refresh_collection_stats(s)
        row = await s.get(Collection, bronze.id)
    assert row is not None
    assert (row.coin_count, row.total_value) == (1, Decimal("40.00"))
    async with sessions() as s, s.begin():
        # Emptied of live coins it may turn smart, and the dead rows go with the switch.
        await remove_coins_from_collection(s, bronze.id, [ids["constantine_follis"]])
        await update_collection(
            s, bronze.id, {"collection_type": "smart", "smart_filter": {"metals": ["bronze"]}}
        )
        left = await s.scalars(
            select(CollectionCoin.coin_id).where(CollectionCoin.collection_id == bronze.id)
        )
        assert list(left) == []
        assert await collection_coin_ids(s, bronze.id) == [ids["constantine_follis"]]
