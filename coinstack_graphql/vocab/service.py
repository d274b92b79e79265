"""Writes of controlled vocabularies: terms, and assigning a term to a coin's field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.service import get_coin, update_coin
from coinstack_graphql.coins.validation import (
    TERM_FIELDS,
    normalise_fields,
    path,
    require_fields,
    writable_columns,
)
from coinstack_graphql.errors import Conflict, DomainError, NotFound
from coinstack_graphql.vocab.models import CoinVocabAssignment, VocabTerm

TERM_WRITABLE = writable_columns(VocabTerm, exclude=("created_at", "updated_at"))
# The model calls the `metadata` column `extra` (the name is taken on declarative classes).
_ALIASES = {"extra": "metadata"}
# Nomisma concept ids as they appear in nomisma.org/id/<id>: "augustus", "rome", "denarius".
NOMISMA_ID = re.compile(r"[a-z0-9_\-().]+")


async def get_term(session: AsyncSession, term_id: int, *, field: str = "termId") -> VocabTerm:
    term = await session.get(VocabTerm, term_id)
    if term is None:
        raise NotFound(f"no vocabulary term with id {term_id}", field=[field])
    return term


async def create_vocab_term(session: AsyncSession, values: Mapping[str, Any]) -> VocabTerm:
    """Add a term; canonical names are unique per vocabulary, ignoring case."""
    data = _term_values(values)
    require_fields(VocabTerm, data, TERM_WRITABLE, aliases=_ALIASES)
    await _check_unique(session, data["vocabulary"], data, None)
    term = VocabTerm(**data)
    session.add(term)
    await session.flush()
    return term


async def update_vocab_term(
    session: AsyncSession, term_id: int, changes: Mapping[str, Any]
) -> VocabTerm:
    """Change the given fields; a term in use on coins keeps its vocabulary."""
    term = await get_term(session, term_id)
    data = _term_values(changes)
    vocabulary = data.get("vocabulary", term.vocabulary)
    if vocabulary != term.vocabulary and await _in_use(session, term.id):
        raise Conflict(
            f"{term.canonical_name!r} is assigned to coins; its vocabulary cannot change",
            field=["vocabulary"],
        )
    await _check_unique(session, vocabulary, data, term)
    for key, value in data.items():
        setattr(term, key, value)
    await session.flush()
    return term


async def assign_vocab_term(
    session: AsyncSession,
    coin_id: int,
    term_id: int | None,
    field: str,
    *,
    changed_by: str | None = None,
) -> Coin:
    """Set the coin's `<field>_term_id` (None clears it), with history and an assignment row.

    `field` is issuer, mint, denomination, dynasty, secondary_authority or co_ruler (or the
    camelCase spelling). An empty text column of the field takes the term's name.
    """
    name = _field_name(field)
    await get_coin(session, coin_id)
    if term_id is not None:
        await get_term(session, term_id)  # so a bad id is reported at termId
    try:
        return await update_coin(
            session, coin_id, {f"{name}_term_id": term_id}, changed_by=changed_by
        )
    except DomainError as exc:
        if exc.field == path(f"{name}_term_id"):
            exc.field = ["termId"]  # the coin rule speaks of the column; the caller gave termId
        raise


def _field_name(field: str) -> str:
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", field.strip()).lower()
    if name not in TERM_FIELDS:
        raise DomainError(
            f"{field!r} takes no vocabulary term; expected one of {', '.join(TERM_FIELDS)}",
            field=["field"],
        )
    return name


def _term_values(values: Mapping[str, Any]) -> dict[str, Any]:
    data = normalise_fields(VocabTerm, values, TERM_WRITABLE, aliases=_ALIASES)
    nomisma_id = data.get("nomisma_id")
    if nomisma_id is not None and not NOMISMA_ID.fullmatch(nomisma_id):
        raise DomainError(
            f"{nomisma_id!r} is not a Nomisma id; expected lowercase letters, digits and "
            f"_ - ( ) . as in 'augustus' or 'rome'",
            field=["nomismaId"],
        )
    return data


async def _check_unique(
    session: AsyncSession, vocabulary: Any, data: Mapping[str, Any], term: VocabTerm | None
) -> None:
    """One term per name and one per Nomisma concept in a vocabulary."""
    name = data.get("canonical_name", term.canonical_name if term else None)
    nomisma_id = data.get("nomisma_id", term.nomisma_id if term else None)
    others = select(VocabTerm).where(VocabTerm.vocabulary == vocabulary)
    if term is not None:
        others = others.where(VocabTerm.id != term.id)
    if name is not None and (term is None or data.keys() & {"canonical_name", "vocabulary"}):
        clash = await session.scalar(
            others.where(func.lower(VocabTerm.canonical_name) == name.lower()).limit(1)
        )
        if clash is not None:
            raise Conflict(
                f"the {vocabulary} vocabulary already has {clash.canonical_name!r} (id {clash.id})",
                field=["canonicalName"],
            )
    if nomisma_id is not None and (term is None or data.keys() & {"nomisma_id", "vocabulary"}):
        clash = await session.scalar(others.where(VocabTerm.nomisma_id == nomisma_id).limit(1))
        if clash is not None:
            raise Conflict(
                f"nomisma:{nomisma_id} is already {clash.canonical_name!r} (id {clash.id})",
                field=["nomismaId"],
            )


async def _in_use(session: AsyncSession, term_id: int) -> bool:
    """Assigned to a coin, through an assignment row or directly in a term column."""
    assigned = await session.scalar(
        select(CoinVocabAssignment.id).where(CoinVocabAssignment.term_id == term_id).limit(1)
    )
    if assigned is not None:
        return True
    columns = [getattr(Coin, f"{name}_term_id") for name in TERM_FIELDS]
    used = await session.scalar(
        select(Coin.id).where(or_(*(column == term_id for column in columns))).limit(1)
    )
    return used is not None
