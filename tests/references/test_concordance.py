"""Concordance groups: link, merge into the oldest group, idempotence, unlink and dissolve."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.references.concordance import (
    concordance_for,
    link_concordance,
    link_concordance_by_citations,
    unlink_concordance,
)
from coinstack_graphql.references.models import ReferenceConcordance, ReferenceType
from coinstack_graphql.references.service import upsert_reference_type
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
# Augustus, denarius of Lugdunum, C L CAESARES: the standard concordance of the type.
GAIUS_LUCIUS = ["RIC I² 207", "RSC 43", "BMCRE 533"]
# The same type in Sear's and Cohen's numbering (RSC I keeps Cohen's numbers).
SEAR_COHEN = ["SRCV I 1597", "Cohen 43"]
# Julius Caesar, elephant denarius: an unrelated group.
ELEPHANT = ["Crawford 443/1", "RSC 49", "Sydenham 1006"]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def link(sessions: Sessions, citations: Sequence[str], **options: Any) -> str:
    async with sessions() as s, s.begin():
        return await link_concordance_by_citations(s, citations, **options)


async def ids(sessions: Sessions, *citations: str) -> list[int]:
    found = []
    for citation in citations:
        async with sessions() as s, s.begin():
            found.append((await upsert_reference_type(s, {"reference": citation})).id)
    return found


async def equivalents(sessions: Sessions, citation_or_id: str | int) -> list[str]:
    async with sessions() as s:
        return sorted(t.local_ref for t in await concordance_for(s, citation_or_id))


async def groups(sessions: Sessions) -> dict[str, list[str]]:
    async with sessions() as s:
        rows = await s.execute(
            select(ReferenceConcordance.concordance_group_id, ReferenceType.local_ref).join(
                ReferenceType, ReferenceType.id == ReferenceConcordance.reference_type_id
            )
        )
        out: dict[str, list[str]] = {}
        for group, ref in rows.all():
            out.setdefault(group, []).append(ref)
        return {g: sorted(refs) for g, refs in out.items()}


async def refused(sessions: Sessions, call: Any, *args: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await call(s, *args, **kwargs)
    return caught.value


async def test_groups_merge_and_split(sessions: Sessions) -> None:
    first = await link(sessions, GAIUS_LUCIUS, source="literature", notes="RIC I² p. 55")
    for citation in GAIUS_LUCIUS:
        assert await equivalents(sessions, citation) == sorted(GAIUS_LUCIUS)
    ric, rsc, bmcre = await ids(sessions, *GAIUS_LUCIUS)
    assert await equivalents(sessions, bmcre) == sorted(GAIUS_LUCIUS)
    # Linking what is already linked changes nothing.
    async with sessions() as s, s.begin():
        assert await link_concordance(s, [bmcre, ric, ric]) == first
    assert await groups(sessions) == {first: sorted(GAIUS_LUCIUS)}

    second = await link(sessions, SEAR_COHEN)
    elephant = await link(sessions, ELEPHANT, source="ocre", confidence=0.9)
    assert len({first, second, elephant}) == 3
    srcv, cohen = await ids(sessions, *SEAR_COHEN)
    # One type of each group: both groups merge into the older one.
    async with sessions() as s, s.begin():
        assert await link_concordance(s, [cohen, rsc]) == first
    merged = sorted(GAIUS_LUCIUS + SEAR_COHEN)
    assert await groups(sessions) == {first: merged, elephant: sorted(ELEPHANT)}
    assert await equivalents(sessions, "SRCV I 1597") == merged
    assert await equivalents(sessions, "Sydenham 1006") == sorted(ELEPHANT)

    async with sessions() as s, s.begin():
        assert await unlink_concordance(s, [srcv]) == [srcv]
    assert await equivalents(sessions, srcv) == ["SRCV I 1597"]
    # Unlinking three of four leaves Cohen 43 alone: its group is dissolved.
    async with sessions() as s, s.begin():
        assert await unlink_concordance(s, [ric, rsc, bmcre]) == sorted([ric, rsc, bmcre, cohen])
    assert await groups(sessions) == {elephant: sorted(ELEPHANT)}
    assert await equivalents(sessions, ric) == ["RIC I² 207"]
    async with sessions() as s, s.begin():
        assert await unlink_concordance(s, [ric]) == []  # not linked: nothing to do


async def test_members_keep_the_source_that_linked_them(sessions: Sessions) -> None:
    await link(sessions, ELEPHANT[:2], source="ocre", confidence=0.8)
    await link(sessions, ELEPHANT[1:], source="user")
    async with sessions() as s:
        rows = await s.execute(
            select(
                ReferenceType.local_ref,
                ReferenceConcordance.source,
                ReferenceConcordance.confidence,
            ).join(ReferenceType, ReferenceType.id == ReferenceConcordance.reference_type_id)
        )
        assert sorted(rows.all()) == [
            ("Crawford 443/1", "ocre", 0.8),
            ("RSC 49", "ocre", 0.8),
            ("Sydenham 1006", "user", 1.0),
        ]


async def test_concordance_of_unknown_citations(sessions: Sessions) -> None:
    assert await equivalents(sessions, "RIC I² 206") == []
    error = await refused(sessions, concordance_for, "RIC")
    assert (error.code, error.field) == ("INVALID", ["reference"])
    error = await refused(sessions, concordance_for, 77)
    assert (error.code, error.field) == ("NOT_FOUND", ["id"])


async def test_link_rules(sessions: Sessions) -> None:
    ric, rsc = await ids(sessions, "RIC I² 207", "RSC 43")
    cases: list[tuple[Any, tuple[Any, ...], dict[str, Any], str, list[str]]] = [
        (link_concordance, ([ric, ric],), {}, "INVALID", ["referenceTypeIds"]),
        (link_concordance, ([ric, 999],), {}, "NOT_FOUND", ["referenceTypeIds", "1"]),
        (link_concordance, ([ric, rsc],), {"source": "wikipedia"}, "INVALID", ["source"]),
        (link_concordance, ([ric, rsc],), {"confidence": 1.5}, "OUT_OF_RANGE", ["confidence"]),
        (
            link_concordance_by_citations,
            (["RIC I² 207", "RIC I(2) 207"],),
            {},
            "INVALID",
            ["citations"],
        ),
        (
            link_concordance_by_citations,
            (["RSC 43", "BMC RE 533 var."],),
            {},
            "INVALID",
            ["citations", "1"],
        ),
        (unlink_concordance, ([],), {}, "REQUIRED", ["referenceTypeIds"]),
        (unlink_concordance, ([555],), {}, "NOT_FOUND", ["referenceTypeIds", "0"]),
    ]
    for call, args, kwargs, code, field in cases:
        error = await refused(sessions, call, *args, **kwargs)
        assert (error.code, error.field) == (code, field), (args, error.message)
    assert await groups(sessions) == {}


async def test_failure_half_way_leaves_nothing(sessions: Sessions) -> None:
    with pytest.raises(DomainError):
        async with sessions() as s, s.begin():
            await link_concordance_by_citations(s, GAIUS_LUCIUS)
            await link_concordance_by_citations(s, ["Crawford 443/1", "Crawford 443/1"])
    async with sessions() as s:
        for model in (ReferenceType, ReferenceConcordance):
            assert await s.scalar(select(func.count()).select_from(model)) == 0
