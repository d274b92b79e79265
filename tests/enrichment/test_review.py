"""Reviewing enrichments: approve applies (with field history), reject, revise, feedback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins.enums import ImageType
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.enrichment.models import LLMEnrichment, LLMFeedback, ReviewStatus
from coinstack_graphql.enrichment.review import add_enrichment_feedback, review_enrichment
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.errors import DomainError
from coinstack_graphql.references.models import CoinReference, ReferenceSystem, ReferenceType
from tests.enrichment import (
    ANSWERS,
    AUGUSTUS_CAESARES,
    CAESAR_ELEPHANT,
    NOW,
    PNG,
    Sessions,
    add_coin,
    add_image,
    answer_by_tool,
    count,
    flags_of,
    open_sessions,
    settings_for,
    usage_row,
)
from tests.fakes.anthropic_api import FakeAnthropic, Reply


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as server:
        server.respond_with(answer_by_tool)
        yield server


async def _enriched(
    sessions: Sessions,
    fake: FakeAnthropic,
    url: str,
    capability: str,
    coin: dict[str, Any] | None = None,
) -> tuple[int, int]:
    coin_id = await add_coin(sessions, **(coin or AUGUSTUS_CAESARES))
    result = await enrich_coin(
        sessions, coin_id, capability, settings=settings_for(url, fake), now=NOW
    )
    return coin_id, result.enrichment.id


async def _review(sessions: Sessions, enrichment_id: int, action: str, **kwargs: Any) -> Any:
    async with sessions() as session, session.begin():
        return await review_enrichment(session, enrichment_id, action, now=NOW, **kwargs)


async def _coin(sessions: Sessions, coin_id: int) -> Coin:
    async with sessions() as session:
        coin = await session.get(Coin, coin_id)
    assert coin is not None
    return coin


async def _history(sessions: Sessions, coin_id: int) -> list[FieldHistory]:
    async with sessions() as session:
        rows = await session.scalars(
            select(FieldHistory).where(FieldHistory.coin_id == coin_id).order_by(FieldHistory.id)
        )
        return list(rows.all())


async def _enrichment(sessions: Sessions, enrichment_id: int) -> LLMEnrichment:
    async with sessions() as session:
        row = await session.get(LLMEnrichment, enrichment_id)
    assert row is not None
    return row


async def test_approving_context_applies_it_with_field_history(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, enrichment_id = await _enriched(sessions, fake, migrated_db, "context_generate")

    outcome = await _review(
        sessions, enrichment_id, "approve", reviewer="curator", notes="Reads well"
    )

    text = ANSWERS["record_historical_context"]["historical_significance"]
    assert outcome.coin_changes == {"historical_significance": text}
    assert (await _coin(sessions, coin_id)).historical_significance == text
    (row,) = await _history(sessions, coin_id)
    assert (row.field_name, row.old_value, row.new_value) == ("historical_significance", None, text)
    assert (row.change_type, row.new_source, row.new_source_id) == (
        "llm",
        "llm:context_generate",
        str(enrichment_id),
    )
    assert row.changed_by == "curator" and row.batch_id
    reviewed = await _enrichment(sessions, enrichment_id)
    assert reviewed.review_status is ReviewStatus.APPROVED
    assert (reviewed.reviewed_by, reviewed.reviewed_at, reviewed.review_notes) == (
        "curator",
        NOW,
        "Reads well",
    )
    usage = await usage_row(sessions, "context_generate")
    assert (usage.review_approved, usage.review_rejected) == (1, 0)


async def test_approving_legends_and_attribution(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, legends = await _enriched(sessions, fake, migrated_db, "legend_expand")
    await _review(sessions, legends, "approve")
    coin = await _coin(sessions, coin_id)
    assert coin.obverse_legend_expanded == "Caesar Augustus Divi Filius Pater Patriae"
    assert coin.reverse_legend_expanded.startswith("Gaius Lucius Caesares")  # type: ignore[union-attr]

    fake.enqueue(
        Reply(
            tool_input={
                **ANSWERS["record_attribution"],
                "issuer": "Julius Caesar",
                "mint": None,
                "year_start": -49,
                "year_end": -48,
            }
        )
    )
    elephant, attribution = await _enriched(
        sessions,
        fake,
        migrated_db,
        "attribution_suggest",
        {**CAESAR_ELEPHANT, "issuer": "Caesar", "year_start": None, "year_end": None},
    )
    outcome = await _review(sessions, attribution, "approve")
    assert outcome.coin_changes == {"issuer": "Julius Caesar", "year_start": -49, "year_end": -48}
    coin = await _coin(sessions, elephant)
    assert (coin.issuer, coin.mint, coin.year_start, coin.year_end) == (
        "Julius Caesar",
        None,
        -49,
        -48,
    )
    assert (coin.denomination) == "Denarius"  # unchanged value: no history row
    assert {r.field_name for r in await _history(sessions, elephant)} == {
        "issuer",
        "year_start",
        "year_end",
    }


async def test_approving_catalogue_suggestions_adds_references(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    async with sessions() as session, session.begin():
        rsc = ReferenceType(
            system=ReferenceSystem.RSC, local_ref="RSC 43", local_ref_normalized="rsc.43"
        )
        session.add(rsc)
        await session.flush()
        session.add(CoinReference(coin_id=coin_id, reference_type_id=rsc.id))
    fake.enqueue(
        Reply(
            tool_input={
                **ANSWERS["record_catalogue_references"],
                "references": [
                    *ANSWERS["record_catalogue_references"]["references"],
                    {"citation": "cf. RIC 350", "confidence": 0.2},
                ],
            }
        )
    )
    result = await enrich_coin(
        sessions, coin_id, "catalog_suggest", settings=settings_for(migrated_db, fake), now=NOW
    )
    assert [f["code"] for f in flags_of(result.enrichment)] == ["invalid_citation"]

    outcome = await _review(sessions, result.enrichment.id, "approve")

    async with sessions() as session:
        rows = await session.execute(
            select(ReferenceType.local_ref, CoinReference.attribution_confidence)
            .join(CoinReference, CoinReference.reference_type_id == ReferenceType.id)
            .where(CoinReference.coin_id == coin_id)
            .order_by(CoinReference.id)
        )
        cited = rows.tuples().all()
    assert cited == [("RSC 43", None), ("RIC I² 207", "llm:0.82"), ("BMCRE I 533", "llm:0.70")]
    assert len(outcome.reference_ids) == 2 and outcome.coin_changes == {}


async def test_condition_is_informational(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str, tmp_path: Any
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    (tmp_path / "obv.png").write_bytes(PNG)
    await add_image(
        sessions, coin_id, tmp_path / "obv.png", image_type=ImageType.OBVERSE, mime="image/png"
    )
    result = await enrich_coin(
        sessions, coin_id, "condition_describe", settings=settings_for(migrated_db, fake), now=NOW
    )
    before = await _coin(sessions, coin_id)

    outcome = await _review(sessions, result.enrichment.id, "approve")

    after = await _coin(sessions, coin_id)
    assert outcome.coin_changes == {} and (after.grade, after.updated_at) == (
        before.grade,
        before.updated_at,
    )
    assert await _history(sessions, coin_id) == []


async def test_reject_applies_nothing(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, enrichment_id = await _enriched(sessions, fake, migrated_db, "context_generate")

    await _review(sessions, enrichment_id, "reject", reviewer="curator", notes="Too generic")

    assert (await _coin(sessions, coin_id)).historical_significance is None
    assert await _history(sessions, coin_id) == []
    assert (await _enrichment(sessions, enrichment_id)).review_status is ReviewStatus.REJECTED
    usage = await usage_row(sessions, "context_generate")
    assert (usage.review_approved, usage.review_rejected) == (0, 1)


async def test_rejecting_the_same_input_twice_keeps_both_rejections(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, first = await _enriched(sessions, fake, migrated_db, "context_generate")
    await _review(sessions, first, "reject")
    again = await enrich_coin(
        sessions, coin_id, "context_generate", settings=settings_for(migrated_db, fake), now=NOW
    )

    await _review(sessions, again.enrichment.id, "reject")

    old, new = await _enrichment(sessions, first), await _enrichment(sessions, again.enrichment.id)
    assert old.review_status is new.review_status is ReviewStatus.REJECTED
    assert old.input_hash == f"{new.input_hash}~{old.id}"


async def test_revise_stores_and_applies_the_corrected_output(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, enrichment_id = await _enriched(sessions, fake, migrated_db, "legend_expand")
    corrected = {
        "obverse_legend_expanded": "Caesar Augustus Divi Filius Pater Patriae",
        "reverse_legend_expanded": None,  # keep the collector's own reverse reading
        "confidence": 1.0,
    }

    outcome = await _review(
        sessions, enrichment_id, "revise", reviewer="curator", revised_output=corrected
    )

    assert outcome.coin_changes == {"obverse_legend_expanded": corrected["obverse_legend_expanded"]}
    coin = await _coin(sessions, coin_id)
    assert coin.reverse_legend_expanded is None
    row = await _enrichment(sessions, enrichment_id)
    assert row.review_status is ReviewStatus.REVISED and not row.needs_review
    assert json.loads(row.output_content) == corrected
    (revision,) = [f for f in flags_of(row) if f["code"] == "revised"]
    assert revision["original_output"] == ANSWERS["record_expanded_legends"]
    assert (
        json.loads(row.raw_response or "")["content"][0]["input"]
        == ANSWERS["record_expanded_legends"]
    )
    assert (await usage_row(sessions, "legend_expand")).review_approved == 1


@pytest.mark.parametrize(
    ("revised", "field", "message"),
    [
        (None, ["revisedOutput"], "needs the corrected output"),
        (
            {"obverse_legend_expanded": "x", "confidence": 2},
            ["revisedOutput", "reverse_legend_expanded"],
            "required",
        ),
        (
            {"obverse_legend_expanded": 7, "reverse_legend_expanded": None, "confidence": 1},
            ["revisedOutput", "obverse_legend_expanded"],
            "expected string",
        ),
        (
            {"obverse_legend_expanded": None, "reverse_legend_expanded": None, "confidence": 1},
            ["revisedOutput"],
            "neither legend",
        ),
    ],
)
async def test_a_bad_revision_is_refused_and_changes_nothing(
    sessions: Sessions,
    fake: FakeAnthropic,
    migrated_db: str,
    revised: Any,
    field: list[str],
    message: str,
) -> None:
    coin_id, enrichment_id = await _enriched(sessions, fake, migrated_db, "legend_expand")

    with pytest.raises(DomainError, match=message) as caught:
        await _review(sessions, enrichment_id, "revise", revised_output=revised)

    assert caught.value.field == field
    assert (await _enrichment(sessions, enrichment_id)).review_status is ReviewStatus.PENDING
    assert (await _coin(sessions, coin_id)).obverse_legend_expanded is None


async def test_inverted_years_in_a_revision_are_refused(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, enrichment_id = await _enriched(
        sessions, fake, migrated_db, "attribution_suggest", CAESAR_ELEPHANT
    )
    revised = {
        **ANSWERS["record_attribution"],
        "issuer": "Julius Caesar",
        "year_start": -48,
        "year_end": -49,
    }

    with pytest.raises(DomainError, match="before year_start") as caught:
        await _review(sessions, enrichment_id, "revise", revised_output=revised)

    assert caught.value.field == ["revisedOutput"]
    assert (await _coin(sessions, coin_id)).year_start == -49


async def test_a_failure_after_applying_leaves_nothing_once_rolled_back(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    coin_id, enrichment_id = await _enriched(sessions, fake, migrated_db, "catalog_suggest")

    async def usage_fails(*args: Any, **kwargs: Any) -> None:
        raise DomainError("usage table unavailable")

    monkeypatch.setattr("coinstack_graphql.enrichment.review.record_usage", usage_fails)
    async with sessions() as session:
        await session.begin()
        with pytest.raises(DomainError, match="usage table unavailable"):
            await review_enrichment(session, enrichment_id, "approve", reviewer="curator")
        await session.rollback()

    assert await count(sessions, CoinReference) == 0
    assert await count(sessions, ReferenceType) == 0
    assert await _history(sessions, coin_id) == []
    row = await _enrichment(sessions, enrichment_id)
    assert (row.review_status, row.reviewed_by) == (ReviewStatus.PENDING, None)


async def test_a_value_the_coin_refuses_names_the_answer_key(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id, enrichment_id = await _enriched(
        sessions, fake, migrated_db, "attribution_suggest", CAESAR_ELEPHANT
    )
    revised = {
        **ANSWERS["record_attribution"],
        "issuer": "Julius Caesar",
        "year_start": -49,
        "year_end": 2090,
    }

    with pytest.raises(DomainError) as caught:
        await _review(sessions, enrichment_id, "revise", revised_output=revised)

    assert caught.value.field == ["revisedOutput", "year_end"]
    assert caught.value.code == "OUT_OF_RANGE"
    assert (await _coin(sessions, coin_id)).issuer == "Julius Caesar"
    assert await _history(sessions, coin_id) == []


async def test_reviewing_twice_is_a_conflict(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    _, enrichment_id = await _enriched(sessions, fake, migrated_db, "context_generate")
    await _review(sessions, enrichment_id, "approve")
    for action in ("approve", "reject"):
        with pytest.raises(DomainError) as caught:
            await _review(sessions, enrichment_id, action)
        assert (caught.value.code, caught.value.field) == ("CONFLICT", ["enrichmentId"])
    assert (await usage_row(sessions, "context_generate")).review_approved == 1


async def test_invalid_or_superseded_answers_cannot_be_approved(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    fake.enqueue(Reply(tool_input={"historical_significance": "Augustus", "confidence": 0.9}))
    coin_id, invalid = await _enriched(sessions, fake, migrated_db, "context_generate")
    with pytest.raises(DomainError, match="output is invalid") as caught:
        await _review(sessions, invalid, "approve")
    assert caught.value.field == ["enrichmentId"]

    async with sessions() as session, session.begin():
        coin = await session.get(Coin, coin_id)
        assert coin is not None
        coin.mint = "Roma"
    await enrich_coin(
        sessions, coin_id, "context_generate", settings=settings_for(migrated_db, fake), now=NOW
    )
    with pytest.raises(DomainError, match="superseded") as stale:
        await _review(
            sessions, invalid, "revise", revised_output=ANSWERS["record_historical_context"]
        )
    assert stale.value.code == "CONFLICT"
    await _review(sessions, invalid, "reject")  # an out-of-date answer may still be rejected


async def test_unknown_enrichment_and_action(sessions: Sessions) -> None:
    with pytest.raises(DomainError) as missing:
        await _review(sessions, 404, "approve")
    assert (missing.value.code, missing.value.field) == ("NOT_FOUND", ["enrichmentId"])
    with pytest.raises(DomainError) as action:
        await _review(sessions, 404, "publish")
    assert action.value.field == ["action"]


async def test_feedback_is_recorded_with_the_original_value(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    _, enrichment_id = await _enriched(sessions, fake, migrated_db, "catalog_suggest")

    async with sessions() as session, session.begin():
        feedback = await add_enrichment_feedback(
            session,
            enrichment_id,
            "correction",
            "references.2.citation",
            corrected_value="BMCRE I 540",
            notes="540 is the Lugdunum variety",
            user_id="curator",
        )

    async with sessions() as session:
        row = await session.get(LLMFeedback, feedback.id)
    assert row is not None
    assert (row.feedback_type, row.field_path, row.original_value, row.corrected_value) == (
        "correction",
        "references.2.citation",
        "BMCRE I 533",
        "BMCRE I 540",
    )
    assert (row.user_id, row.feedback_notes) == ("curator", "540 is the Lugdunum variety")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("praise",), ["feedbackType"]),
        (("helpful", "provenance"), ["fieldPath"]),
        (("correction", "confidence"), ["correctedValue"]),
    ],
)
async def test_bad_feedback_is_refused(
    sessions: Sessions,
    fake: FakeAnthropic,
    migrated_db: str,
    args: tuple[str, ...],
    field: list[str],
) -> None:
    _, enrichment_id = await _enriched(sessions, fake, migrated_db, "context_generate")
    async with sessions() as session, session.begin():
        with pytest.raises(DomainError) as caught:
            await add_enrichment_feedback(session, enrichment_id, *args)
    assert caught.value.field == field
    assert await count(sessions, LLMFeedback) == 0
