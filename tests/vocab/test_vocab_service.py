"""Vocabulary terms and assigning them to coins (vocab/service.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.service import create_coin, delete_coin, update_coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings
from coinstack_graphql.vocab.models import CoinVocabAssignment, VocabTerm, Vocabulary
from coinstack_graphql.vocab.service import (
    assign_vocab_term,
    create_vocab_term,
    update_vocab_term,
)

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]


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


async def term(
    sessions: Sessions, vocabulary: str, name: str, nomisma: str | None = None
) -> VocabTerm:
    values = {"vocabulary": vocabulary, "canonical_name": name, "nomisma_id": nomisma}
    return await run(sessions, lambda s: create_vocab_term(s, values))


@pytest.fixture
async def coin(sessions: Sessions) -> Coin:
    """Augustus denarius with Tiberius Caesar in a quadriga, Lugdunum AD 13–14, RIC I² 222."""
    values = {
        "category": "imperial",
        "metal": "silver",
        "denomination": "Denarius",
        "issuer": "Augustus",
        "year_start": 13,
        "year_end": 14,
    }
    return await run(sessions, lambda s: create_coin(s, values))


async def assignments(sessions: Sessions, coin_id: int) -> dict[str, int]:
    async with sessions() as s:
        rows = await s.scalars(
            select(CoinVocabAssignment).where(CoinVocabAssignment.coin_id == coin_id)
        )
        return {row.field_name: row.term_id for row in rows.all()}


# ---- terms


async def test_create_and_update_a_term(sessions: Sessions) -> None:
    created = await term(sessions, "issuer", "Tiberius", "tiberius")
    await run(
        sessions,
        lambda s: update_vocab_term(
            s, created.id, {"description": "Emperor AD 14–37", "extra": {"ric_volume": "I"}}
        ),
    )
    async with sessions() as s:
        stored = await s.get(VocabTerm, created.id)
    assert stored is not None
    assert stored.vocabulary is Vocabulary.ISSUER and stored.nomisma_id == "tiberius"
    assert stored.description == "Emperor AD 14–37" and stored.extra == {"ric_volume": "I"}


async def test_names_are_unique_per_vocabulary_ignoring_case(sessions: Sessions) -> None:
    await term(sessions, "mint", "Lugdunum", "lugdunum")
    await term(sessions, "issuer", "Augustus", "augustus")
    await term(sessions, "authority", "Augustus")  # same name, another vocabulary
    error = await refused(
        sessions,
        lambda s: create_vocab_term(s, {"vocabulary": "mint", "canonical_name": "LUGDUNUM"}),
    )
    assert (error.field, error.code) == (["canonicalName"], "CONFLICT")
    rome = await term(sessions, "mint", "Rome", "rome")
    error = await refused(
        sessions, lambda s: update_vocab_term(s, rome.id, {"canonical_name": "Lugdunum"})
    )
    assert (error.field, error.code) == (["canonicalName"], "CONFLICT")
    error = await refused(
        sessions,
        lambda s: create_vocab_term(
            s, {"vocabulary": "mint", "canonical_name": "Roma", "nomisma_id": "rome"}
        ),
    )
    assert (error.field, error.code) == (["nomismaId"], "CONFLICT")


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"nomisma_id": "Julio Claudian"}, ["nomismaId"], "INVALID"),
        ({"nomisma_id": "http://nomisma.org/id/augustus"}, ["nomismaId"], "INVALID"),
        ({"vocabulary": "emperor"}, ["vocabulary"], "INVALID"),
        ({"vocabulary": None}, ["vocabulary"], "REQUIRED"),
        ({"canonical_name": " "}, ["canonicalName"], "REQUIRED"),
        ({"extra": {"weight": float("inf")}}, ["metadata"], "INVALID"),
        ({"created_at": None}, ["createdAt"], "INVALID"),
    ],
)
async def test_term_validation(
    sessions: Sessions, values: dict[str, Any], field: list[str], code: str
) -> None:
    base = {"vocabulary": "dynasty", "canonical_name": "Julio-Claudian"}
    error = await refused(sessions, lambda s: create_vocab_term(s, {**base, **values}))
    assert (error.field, error.code) == (field, code), error.message


async def test_a_valid_nomisma_slug_with_punctuation(sessions: Sessions) -> None:
    created = await term(sessions, "dynasty", "Julio-Claudian", "julio-claudian_dynasty")
    assert created.nomisma_id == "julio-claudian_dynasty"


async def test_a_term_in_use_keeps_its_vocabulary(sessions: Sessions, coin: Coin) -> None:
    augustus = await term(sessions, "issuer", "Augustus")
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, augustus.id, "issuer"))
    error = await refused(
        sessions, lambda s: update_vocab_term(s, augustus.id, {"vocabulary": "dynasty"})
    )
    assert (error.field, error.code) == (["vocabulary"], "CONFLICT")
    error = await refused(sessions, lambda s: update_vocab_term(s, 999, {"description": "x"}))
    assert (error.field, error.code) == (["termId"], "NOT_FOUND")


# ---- assignment


async def test_assign_sets_the_term_records_history_and_one_assignment(
    sessions: Sessions, coin: Coin
) -> None:
    augustus = await term(sessions, "issuer", "Augustus", "augustus")
    await run(
        sessions, lambda s: assign_vocab_term(s, coin.id, augustus.id, "issuer", changed_by="ida")
    )
    async with sessions() as s:
        stored = await s.get(Coin, coin.id)
        assert stored is not None and stored.issuer_term_id == augustus.id
        row = await s.scalar(select(CoinVocabAssignment))
        assert row is not None
        assert (row.field_name, row.term_id, row.method, row.raw_value) == (
            "issuer", augustus.id, "manual", "Augustus",
        )  # fmt: skip
        assert row.confidence == Decimal("1.00")
        history = (await s.scalars(select(FieldHistory))).all()
    assert [(h.field_name, h.old_value, h.new_value, h.changed_by) for h in history] == [
        ("issuer_term_id", None, augustus.id, "ida")
    ]

    again = await term(sessions, "authority", "Imp. Caesar Divi f. Augustus")
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, again.id, "issuer"))
    assert await assignments(sessions, coin.id) == {"issuer": again.id}

    await run(sessions, lambda s: assign_vocab_term(s, coin.id, None, "issuer"))
    assert await assignments(sessions, coin.id) == {}
    async with sessions() as s:
        stored = await s.get(Coin, coin.id)
        assert stored is not None and stored.issuer_term_id is None


async def test_assigning_fills_an_empty_text_field_only(sessions: Sessions, coin: Coin) -> None:
    tiberius = await term(sessions, "issuer", "Tiberius", "tiberius")
    lugdunum = await term(sessions, "mint", "Lugdunum", "lugdunum")
    denarius = await term(sessions, "denomination", "Denarius (Roman)", "denarius")
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, tiberius.id, "coRuler"))
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, lugdunum.id, "mint"))
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, denarius.id, "denomination"))
    async with sessions() as s:
        stored = await s.get(Coin, coin.id)
    assert stored is not None
    assert (stored.co_ruler, stored.co_ruler_term_id) == ("Tiberius", tiberius.id)
    assert (stored.mint, stored.mint_term_id) == ("Lugdunum", lugdunum.id)
    assert stored.denomination == "Denarius", "the collector's wording stays"
    assert await assignments(sessions, coin.id) == {
        "co_ruler": tiberius.id, "mint": lugdunum.id, "denomination": denarius.id,
    }  # fmt: skip


async def test_authority_terms_fit_secondary_authority(sessions: Sessions, coin: Coin) -> None:
    moneyer = await term(sessions, "authority", "C. Antistius Reginus")
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, moneyer.id, "secondary_authority"))
    julio = await term(sessions, "dynasty", "Julio-Claudian", "julio-claudian_dynasty")
    await run(sessions, lambda s: assign_vocab_term(s, coin.id, julio.id, "dynasty"))
    assert await assignments(sessions, coin.id) == {
        "secondary_authority": moneyer.id,
        "dynasty": julio.id,
    }


async def test_assignment_refusals(sessions: Sessions, coin: Coin) -> None:
    rome = await term(sessions, "mint", "Rome", "rome")
    error = await refused(sessions, lambda s: assign_vocab_term(s, coin.id, rome.id, "issuer"))
    assert (error.field, error.code) == (["termId"], "INVALID")
    error = await refused(sessions, lambda s: assign_vocab_term(s, coin.id, rome.id, "emperor"))
    assert (error.field, error.code) == (["field"], "INVALID")
    error = await refused(sessions, lambda s: assign_vocab_term(s, coin.id, 999, "mint"))
    assert (error.field, error.code) == (["termId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: assign_vocab_term(s, 999, rome.id, "mint"))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: update_coin(s, coin.id, {"issuer_term_id": rome.id}))
    assert (error.field, error.code) == (["issuerTermId"], "INVALID")
    assert await assignments(sessions, coin.id) == {}


async def test_setting_a_term_column_directly_keeps_assignments_in_step(
    sessions: Sessions, coin: Coin
) -> None:
    rome = await term(sessions, "mint", "Rome", "rome")
    await run(sessions, lambda s: update_coin(s, coin.id, {"mint_term_id": rome.id}))
    assert await assignments(sessions, coin.id) == {"mint": rome.id}
    await run(sessions, lambda s: delete_coin(s, coin.id))
    assert await assignments(sessions, coin.id) == {}
