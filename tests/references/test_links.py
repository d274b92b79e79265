"""External catalogue links: user upserts, built URLs, id forms, and automatic links."""

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
from coinstack_graphql.references.links import (
    remove_external_catalog_link,
    upsert_external_catalog_link,
)
from coinstack_graphql.references.models import ExternalCatalogLink
from coinstack_graphql.references.service import add_coin_reference, upsert_reference_type
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def new_type(sessions: Sessions, citation: str) -> int:
    async with sessions() as s, s.begin():
        return (await upsert_reference_type(s, {"reference": citation})).id


async def upsert(sessions: Sessions, *args: Any, **kwargs: Any) -> ExternalCatalogLink:
    async with sessions() as s, s.begin():
        return await upsert_external_catalog_link(s, *args, **kwargs)


async def all_links(sessions: Sessions, type_id: int) -> dict[str, tuple[str, str | None]]:
    async with sessions() as s:
        rows = await s.scalars(
            select(ExternalCatalogLink).where(ExternalCatalogLink.reference_type_id == type_id)
        )
        return {str(r.catalog_source): (r.external_id, r.external_url) for r in rows}


async def refused(sessions: Sessions, call: Any, *args: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await call(s, *args)
    return caught.value


async def test_urls_are_built_from_the_id(sessions: Sessions) -> None:
    ric = await new_type(sessions, "RIC I² 207")  # no coin yet, so no issuer: no OCRE link
    assert await all_links(sessions, ric) == {}
    ocre = await upsert(sessions, ric, "ocre", "ric.1(2).aug.207")
    assert ocre.external_url == "http://numismatics.org/ocre/id/ric.1(2).aug.207"
    await upsert(sessions, ric, "nomisma", "augustus", external_data={"type": "foaf:Person"})
    await upsert(
        sessions,
        ric,
        "other",
        "Lugdunum-C-L-CAESARES",
        "https://www.wildwinds.com/coins/ric/augustus/",
    )
    assert await all_links(sessions, ric) == {
        "ocre": ("ric.1(2).aug.207", "http://numismatics.org/ocre/id/ric.1(2).aug.207"),
        "nomisma": ("augustus", "http://nomisma.org/id/augustus"),
        "other": ("Lugdunum-C-L-CAESARES", "https://www.wildwinds.com/coins/ric/augustus/"),
    }


async def test_upsert_replaces_and_automatic_links_never_overwrite(sessions: Sessions) -> None:
    crawford = await new_type(sessions, "Crawford 443/1")
    assert await all_links(sessions, crawford) == {
        "crro": ("rrc-443.1", "http://numismatics.org/crro/id/rrc-443.1")
    }
    # The user prefers the https address; citing the type again leaves it alone.
    await upsert(
        sessions, crawford, "crro", "rrc-443.1", "https://numismatics.org/crro/id/rrc-443.1"
    )
    async with sessions() as s, s.begin():
        coin = Coin(
            category=Category.REPUBLIC,
            denomination="Denarius",
            metal=Metal.SILVER,
            issuer="Julius Caesar",
        )
        s.add(coin)
        await s.flush()
        await add_coin_reference(s, coin.id, "Crawford 443/1")
    assert await all_links(sessions, crawford) == {
        "crro": ("rrc-443.1", "https://numismatics.org/crro/id/rrc-443.1")
    }


async def test_an_ocre_link_appears_once_a_coin_names_the_issuer(sessions: Sessions) -> None:
    ric = await new_type(sessions, "RIC I² 207")
    async with sessions() as s, s.begin():
        coin = Coin(
            category=Category.IMPERIAL,
            denomination="Denarius",
            metal=Metal.SILVER,
            issuer="Augustus",
        )
        s.add(coin)
        await s.flush()
        await add_coin_reference(s, coin.id, "RIC I² 207")
    assert await all_links(sessions, ric) == {
        "ocre": ("ric.1(2).aug.207", "http://numismatics.org/ocre/id/ric.1(2).aug.207")
    }


@pytest.mark.parametrize(
    ("source", "external_id", "url", "code", "field"),
    [
        ("ocre", "rrc-443.1", None, "INVALID", ["externalId"]),
        ("crro", "ric.1(2).aug.207", None, "INVALID", ["externalId"]),
        ("rpc_online", "RPC I 4967", None, "INVALID", ["externalId"]),
        ("other", "two words", None, "INVALID", ["externalId"]),
        ("ocre", "  ", None, "REQUIRED", ["externalId"]),
        ("wikipedia", "Augustus", None, "INVALID", ["catalogSource"]),
        ("ocre", "ric.1(2).aug.207", "numismatics.org/ocre", "INVALID", ["externalUrl"]),
    ],
)
async def test_each_rule_names_its_field(
    sessions: Sessions, source: str, external_id: str, url: str | None, code: str, field: list[str]
) -> None:
    ric = await new_type(sessions, "RIC I² 207")
    error = await refused(sessions, upsert_external_catalog_link, ric, source, external_id, url)
    assert (error.code, error.field) == (code, field), error.message
    assert await all_links(sessions, ric) == {}


async def test_remove_and_not_found(sessions: Sessions) -> None:
    rpc = await new_type(sessions, "RPC I 4967")
    links = await all_links(sessions, rpc)
    assert links == {"rpc_online": ("1/4967", "https://rpc.ashmus.ox.ac.uk/coins/1/4967")}
    async with sessions() as s:
        link_id = await s.scalar(select(ExternalCatalogLink.id))
    assert link_id is not None
    async with sessions() as s, s.begin():
        assert await remove_external_catalog_link(s, link_id) == rpc
    error = await refused(sessions, remove_external_catalog_link, link_id)
    assert (error.code, error.field) == ("NOT_FOUND", ["externalCatalogLinkId"])
    error = await refused(sessions, upsert_external_catalog_link, 321, "crro", "rrc-443.1")
    assert (error.code, error.field) == ("NOT_FOUND", ["referenceTypeId"])
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ExternalCatalogLink)) == 0
