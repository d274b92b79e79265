"""Concordance: groups of equivalent reference types (RIC I² 207 = RSC 43 = BMCRE 533).

Equivalence is transitive, so a type sits in at most one group (UNIQUE(reference_type_id)):
- linking puts types into one group. Types already in different groups merge those groups
  into the oldest one (whose first membership was recorded first), members not named
  included; the group id is a uuid4. Linking types that are already together changes
  nothing. A new member's source, confidence and notes describe the link that brought it
  in; members already grouped keep theirs.
- unlinking takes types out of their groups; a group left with one member is dissolved, as
  a type is trivially equivalent to itself.
- `concordance_for` lists a type with all its equivalents.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.validation import check_range, coerce_text
from coinstack_graphql.errors import DomainError, NotFound, Required
from coinstack_graphql.references.links import add_deterministic_links, reference_type_or_404
from coinstack_graphql.references.lookup import equivalent_type_ids
from coinstack_graphql.references.models import ReferenceConcordance, ReferenceType
from coinstack_graphql.references.service import (
    create_reference_type,
    find_reference_type,
    parse_citation_field,
)

CONCORDANCE_SOURCES = ("user", "literature", "ocre", "crro", "rpc_online", "nomisma")
Member = ReferenceConcordance


async def link_concordance(
    session: AsyncSession,
    reference_type_ids: Sequence[int],
    *,
    source: str = "user",
    confidence: float = 1.0,
    notes: str | None = None,
) -> str:
    """Make the types equivalent; returns the id of the group they now share."""
    _check_link(source, confidence)
    ids = list(dict.fromkeys(reference_type_ids))
    if len(ids) < 2:
        raise DomainError("link at least two different reference types", field=["referenceTypeIds"])
    await _lock_types(session, ids)
    return await _link(session, ids, source, confidence, notes)


async def link_concordance_by_citations(
    session: AsyncSession,
    citations: Sequence[str],
    *,
    source: str = "user",
    confidence: float = 1.0,
    notes: str | None = None,
) -> str:
    """`link_concordance` by citations; types not in the catalogue yet are created."""
    _check_link(source, confidence)
    parsed = [parse_citation_field(text, ["citations", str(i)]) for i, text in enumerate(citations)]
    if len({(p.system, p.normalized) for p in parsed}) < 2:
        raise DomainError("link at least two different citations", field=["citations"])
    ids: list[int] = []
    for citation in parsed:
        reference_type = await find_reference_type(session, citation)
        if reference_type is None:
            reference_type = await create_reference_type(session, citation)
            await add_deterministic_links(session, reference_type)
        ids.append(reference_type.id)
    ids = list(dict.fromkeys(ids))
    await _lock_types(session, ids)
    return await _link(session, ids, source, confidence, notes)


async def unlink_concordance(session: AsyncSession, reference_type_ids: Sequence[int]) -> list[int]:
    """Take the types out of their groups; returns the ids of every type that left a group
    (those named, and the last member of any group this dissolved)."""
    ids = list(dict.fromkeys(reference_type_ids))
    if not ids:
        raise Required("name the reference types to unlink", field=["referenceTypeIds"])
    await _lock_types(session, ids)
    rows = list(await session.scalars(select(Member).where(Member.reference_type_id.in_(ids))))
    if not rows:
        return []
    groups = {row.concordance_group_id for row in rows}
    await session.execute(delete(Member).where(Member.reference_type_id.in_(ids)))
    lonely = list(
        await session.scalars(
            select(Member.reference_type_id).where(
                Member.concordance_group_id.in_(
                    select(Member.concordance_group_id)
                    .where(Member.concordance_group_id.in_(groups))
                    .group_by(Member.concordance_group_id)
                    .having(func.count() == 1)
                )
            )
        )
    )
    if lonely:
        await session.execute(delete(Member).where(Member.reference_type_id.in_(lonely)))
    await session.flush()
    return sorted({row.reference_type_id for row in rows} | set(lonely))


async def concordance_for(
    session: AsyncSession, citation_or_type_id: str | int
) -> list[ReferenceType]:
    """The type and all its equivalents; [] for a citation no type has yet."""
    wanted: ColumnElement[bool]
    if isinstance(citation_or_type_id, int):
        await reference_type_or_404(session, citation_or_type_id, field=["id"])
        group = select(Member.concordance_group_id).where(
            Member.reference_type_id == citation_or_type_id
        )
        members = select(Member.reference_type_id).where(Member.concordance_group_id.in_(group))
        wanted = ReferenceType.id.in_(members) | (ReferenceType.id == citation_or_type_id)
    else:
        parse_citation_field(citation_or_type_id, ["reference"])  # the error names the field
        ids = equivalent_type_ids(citation_or_type_id, field=["reference"]).subquery()
        wanted = ReferenceType.id.in_(select(ids.c.id))
    rows = await session.scalars(
        select(ReferenceType)
        .where(wanted)
        .order_by(
            ReferenceType.system, ReferenceType.number_numeric, ReferenceType.local_ref_normalized
        )
    )
    return list(rows)


# ---- internals ----------------------------------------------------------------------------


def _check_link(source: str, confidence: float) -> None:
    text = coerce_text(source, ["source"], max_length=None)
    if text not in CONCORDANCE_SOURCES:
        message = f"source {source!r} is not one of {', '.join(CONCORDANCE_SOURCES)}"
        raise DomainError(message, field=["source"])
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise DomainError(
            f"confidence is a number from 0 to 1; got {confidence!r}", field=["confidence"]
        )
    check_range(confidence, ["confidence"], low=0, high=1)  # type: ignore[arg-type]


async def _lock_types(session: AsyncSession, ids: list[int]) -> None:
    """Check the types exist and lock them in id order, so concurrent links cannot deadlock."""
    found = set(
        await session.scalars(
            select(ReferenceType.id)
            .where(ReferenceType.id.in_(ids))
            .order_by(ReferenceType.id)
            .with_for_update()
        )
    )
    for index, type_id in enumerate(ids):
        if type_id not in found:
            field = ["referenceTypeIds", str(index)]
            raise NotFound(f"no reference type with id {type_id}", field=field)


async def _link(
    session: AsyncSession, ids: list[int], source: str, confidence: float, notes: str | None
) -> str:
    rows = list(await session.scalars(select(Member).where(Member.reference_type_id.in_(ids))))
    groups = {row.concordance_group_id for row in rows}
    if len(groups) == 1 and len(rows) == len(ids):
        return groups.pop()  # already equivalent: nothing to write
    if groups:
        keep = await session.scalar(
            select(Member.concordance_group_id)
            .where(Member.concordance_group_id.in_(groups))
            .group_by(Member.concordance_group_id)
            .order_by(func.min(Member.id))
            .limit(1)
        )
        assert keep is not None
        if len(groups) > 1:
            await session.execute(
                update(Member)
                .where(Member.concordance_group_id.in_(groups - {keep}))
                .values(concordance_group_id=keep)
            )
    else:
        keep = str(uuid.uuid4())
    grouped = {row.reference_type_id for row in rows}
    session.add_all(
        Member(
            concordance_group_id=keep,
            reference_type_id=type_id,
            confidence=float(confidence),
            source=source.strip(),
            notes=None if notes is None else coerce_text(notes, ["notes"], max_length=None),
        )
        for type_id in ids
        if type_id not in grouped
    )
    await session.flush()
    return keep
