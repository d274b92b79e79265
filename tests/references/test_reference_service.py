"""Coin references and reference types: parsing, reuse, one primary, automatic links."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.references.models import CoinReference, ExternalCatalogLink, ReferenceType
from coinstack_graphql.references.service import (
    add_coin_reference,
    remove_coin_reference,
    update_coin_reference,
    upsert_reference_type,
)
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def make_coin(sessions: Sessions, issuer: str, category: Category = Category.IMPERIAL) -> int:
    async with sessions() as s, s.begin():
        coin = Coin(category=category, denomination="Denarius", metal=Metal.SILVER, issuer=issuer)
        s.add(coin)
        await s.flush()
        return coin.id


async def cite(sessions: Sessions, coin_id: int, citation: str, **options: Any) -> CoinReference:
    async with sessions() as s, s.begin():
        return await add_coin_reference(s, coin_id, citation, **options)


async def refused(sessions: Sessions, call: Any, *args: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await call(s, *args, **kwargs)
    return caught.value


async def references(sessions: Sessions, coin_id: int) -> list[tuple[str, bool | None]]:
    async with sessions() as s:
        rows = await s.execute(
            select(ReferenceType.local_ref, CoinReference.is_primary)
            .join(ReferenceType, ReferenceType.id == CoinReference.reference_type_id)
            .where(CoinReference.coin_id == coin_id)
            .order_by(CoinReference.id)
        )
        return [(ref, primary) for ref, primary in rows.all()]


async def links(sessions: Sessions, type_id: int) -> dict[str, str]:
    async with sessions() as s:
        rows = await s.execute(
            select(ExternalCatalogLink.catalog_source, ExternalCatalogLink.external_id).where(
                ExternalCatalogLink.reference_type_id == type_id
            )
        )
        return {str(source): ident for source, ident in rows.all()}


async def test_citation_creates_a_parsed_type_with_its_ocre_link(sessions: Sessions) -> None:
    augustus = await make_coin(sessions, "Augustus")
    reference = await cite(
        sessions, augustus, "RIC I(2) 207", page="55", plate="IV.7", position="reverse"
    )
    assert reference.is_primary and reference.position == "reverse"
    async with sessions() as s:
        rt = await s.get(ReferenceType, reference.reference_type_id)
        assert rt is not None
    assert (rt.system, rt.local_ref, rt.local_ref_normalized) == (
        "ric",
        "RIC I² 207",
        "ric.1(2).207",
    )
    assert (rt.volume, rt.edition, rt.number, rt.number_numeric) == ("1", "2", "207", 207)
    assert await links(sessions, rt.id) == {"ocre": "ric.1(2).aug.207"}
    # A second specimen of the type shares the record.
    other = await make_coin(sessions, "Augustus")
    again = await cite(sessions, other, "ric i² 207")
    assert again.reference_type_id == rt.id
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ReferenceType)) == 1


async def test_crawford_and_rpc_get_crro_and_rpc_online_links(sessions: Sessions) -> None:
    caesar = await make_coin(sessions, "Julius Caesar", Category.REPUBLIC)
    elephant = await cite(sessions, caesar, "Crawford 443/1")  # the elephant denarius
    assert await links(sessions, elephant.reference_type_id) == {"crro": "rrc-443.1"}
    pilate = await make_coin(sessions, "Tiberius", Category.PROVINCIAL)
    prutah = await cite(sessions, pilate, "RPC I 4967")  # Pontius Pilate's simpulum prutah
    assert await links(sessions, prutah.reference_type_id) == {"rpc_online": "1/4967"}
    sydenham = await cite(sessions, caesar, "Sydenham 1006")
    assert await links(sessions, sydenham.reference_type_id) == {}


async def test_duplicates_and_bad_citations(sessions: Sessions) -> None:
    coin = await make_coin(sessions, "Augustus")
    await cite(sessions, coin, "RIC I² 207")
    error = await refused(sessions, add_coin_reference, coin, "RIC I(2) 207")
    assert (error.code, error.field) == ("CONFLICT", ["citation"])
    error = await refused(sessions, add_coin_reference, coin, "RIC XII 5")
    assert (error.code, error.field) == (
        "INVALID",
        ["citation"],
    ) and "is not a volume" in error.message
    error = await refused(sessions, add_coin_reference, coin, "Goodacre 12")
    assert "expected one of RIC, Crawford" in error.message
    error = await refused(sessions, add_coin_reference, coin, "cf. RIC I² 210")
    assert (error.code, error.field) == ("INVALID", ["citation"])
    error = await refused(sessions, add_coin_reference, coin, "RSC 43", position="edge")
    assert (error.code, error.field) == ("INVALID", ["position"])
    error = await refused(sessions, add_coin_reference, coin, "RSC 43", page="x" * 21)
    assert (error.code, error.field) == ("OUT_OF_RANGE", ["page"])
    error = await refused(sessions, add_coin_reference, 404, "RSC 43")
    assert (error.code, error.field) == ("NOT_FOUND", ["coinId"])
    assert await references(sessions, coin) == [("RIC I² 207", True)]


async def test_one_primary_reference(sessions: Sessions) -> None:
    coin = await make_coin(sessions, "Augustus")
    ric = await cite(sessions, coin, "RIC I² 207", is_primary=False)
    rsc = await cite(sessions, coin, "RSC 43")
    bmc = await cite(sessions, coin, "BMCRE 533", is_primary=True)
    assert await references(sessions, coin) == [
        ("RIC I² 207", False),
        ("RSC 43", False),
        ("BMCRE 533", True),
    ]
    async with sessions() as s, s.begin():
        await update_coin_reference(
            s, ric.id, {"is_primary": True, "plate_coin": True, "notes": "same dies as BMCRE plate"}
        )
    assert await references(sessions, coin) == [
        ("RIC I² 207", True),
        ("RSC 43", False),
        ("BMCRE 533", False),
    ]
    error = await refused(sessions, update_coin_reference, ric.id, {"is_primary": False})
    assert (error.code, error.field) == ("CONFLICT", ["isPrimary"])
    async with sessions() as s, s.begin():
        assert await remove_coin_reference(s, ric.id) == coin
    assert await references(sessions, coin) == [("RSC 43", True), ("BMCRE 533", False)]
    for row in (rsc, bmc):
        async with sessions() as s, s.begin():
            await remove_coin_reference(s, row.id)
    assert await references(sessions, coin) == []
    error = await refused(sessions, remove_coin_reference, rsc.id)
    assert (error.code, error.field) == ("NOT_FOUND", ["coinReferenceId"])


async def test_update_can_repoint_the_citation(sessions: Sessions) -> None:
    coin = await make_coin(sessions, "Augustus")
    wrong = await cite(sessions, coin, "RIC I² 210")
    await cite(sessions, coin, "RSC 43")
    async with sessions() as s, s.begin():
        fixed = await update_coin_reference(
            s, wrong.id, {"citation": "RIC I² 207", "variant_notes": "simpulum left"}
        )
    assert await references(sessions, coin) == [("RIC I² 207", True), ("RSC 43", False)]
    assert await links(sessions, fixed.reference_type_id) == {"ocre": "ric.1(2).aug.207"}
    error = await refused(sessions, update_coin_reference, wrong.id, {"citation": "RSC 43"})
    assert (error.code, error.field) == ("CONFLICT", ["citation"])
    error = await refused(sessions, update_coin_reference, wrong.id, {"citation": None})
    assert (error.code, error.field) == ("REQUIRED", ["citation"])


async def test_upsert_reference_type_by_citation_and_by_id(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        # Caesar's elephant denarius, the commonest of his coins.
        rt = await upsert_reference_type(
            s, {"reference": "RRC 443/1", "publication_year": 1974, "rarity_code": "c"}
        )
    assert (rt.local_ref, rt.publication_year, rt.rarity_code) == ("Crawford 443/1", 1974, "C")
    assert await links(sessions, rt.id) == {"crro": "rrc-443.1"}
    async with sessions() as s, s.begin():
        same = await upsert_reference_type(
            s,
            {
                "id": rt.id,
                "citation": "Crawford, RRC (1974), 443/1",
                "payload": {"struck": "49-48 BC"},
            },
        )
    assert same.id == rt.id and same.payload == {"struck": "49-48 BC"}
    assert same.publication_year == 1974  # untouched keys stay
    cases = [
        ({"id": rt.id, "publication_year": 1066}, "OUT_OF_RANGE", ["publicationYear"]),
        ({"id": rt.id, "rarity_code": "R9"}, "INVALID", ["rarityCode"]),
        ({"id": rt.id, "external_url": "numismatics.org/crro"}, "INVALID", ["externalUrl"]),
        ({"id": rt.id, "reference": "Crawford 494/23"}, "CONFLICT", ["reference"]),
        ({"id": 999}, "NOT_FOUND", ["id"]),
        ({"publication_year": 1974}, "REQUIRED", ["reference"]),
        ({"reference": "Crawford"}, "INVALID", ["reference"]),
    ]
    for values, code, field in cases:
        error = await refused(sessions, upsert_reference_type, values)
        assert (error.code, error.field) == (code, field), (values, error.message)


async def test_failure_half_way_leaves_nothing(sessions: Sessions) -> None:
    coin = await make_coin(sessions, "Augustus")
    with pytest.raises(DomainError):
        async with sessions() as s, s.begin():
            await add_coin_reference(s, coin, "RIC I² 207")
            await add_coin_reference(s, coin, "RIC I(2) 207")
    async with sessions() as s:
        for model in (CoinReference, ReferenceType, ExternalCatalogLink):
            assert await s.scalar(select(func.count()).select_from(model)) == 0
