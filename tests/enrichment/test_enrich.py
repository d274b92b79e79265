"""enrich_coin through the real SDK against the fake API: each capability, cache, flags."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coinstack_graphql.coins.enums import ImageType
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.enrichment.models import Capability, LLMEnrichment, ReviewStatus
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.errors import DomainError, NotFound
from coinstack_graphql.references.models import CoinReference, ReferenceSystem, ReferenceType
from tests.enrichment import (
    ANSWERS,
    AUGUSTUS_CAESARES,
    CAESAR_ELEPHANT,
    JPEG,
    MODEL,
    NOW,
    PNG,
    Sessions,
    add_coin,
    add_image,
    answer_by_tool,
    count,
    enrichments,
    flags_of,
    open_sessions,
    settings_for,
    snapshot_of,
    usage_row,
)
from tests.fakes.anthropic_api import FakeAnthropic, Malformed, Reply


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as server:
        server.respond_with(answer_by_tool)
        yield server


async def _augustus_with_images(sessions: Sessions, tmp_path: Path) -> int:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    (tmp_path / "obv.png").write_bytes(PNG)
    (tmp_path / "rev.jpg").write_bytes(JPEG)
    await add_image(
        sessions, coin_id, tmp_path / "rev.jpg", image_type=ImageType.REVERSE, mime="image/jpeg"
    )
    await add_image(
        sessions, coin_id, tmp_path / "obv.png", image_type=ImageType.OBVERSE, mime="image/png"
    )
    return coin_id


TOOLS = {
    Capability.CONTEXT_GENERATE: "record_historical_context",
    Capability.ATTRIBUTION_SUGGEST: "record_attribution",
    Capability.LEGEND_EXPAND: "record_expanded_legends",
    Capability.CATALOG_SUGGEST: "record_catalogue_references",
    Capability.CONDITION_DESCRIBE: "record_condition",
}


@pytest.mark.parametrize("capability", list(Capability))
async def test_each_capability_stores_the_tool_answer(
    sessions: Sessions,
    fake: FakeAnthropic,
    migrated_db: str,
    tmp_path: Path,
    capability: Capability,
) -> None:
    coin_id = await _augustus_with_images(sessions, tmp_path)
    settings = settings_for(migrated_db, fake)

    result = await enrich_coin(sessions, coin_id, capability, settings=settings, now=NOW)

    assert not result.cached
    (request,) = fake.message_requests
    body = request.body
    assert body["model"] == MODEL
    assert body["tool_choice"] == {"type": "tool", "name": TOOLS[capability]}
    assert body["tools"][0]["input_schema"]["type"] == "object"
    assert request.api_key == "sk-ant-test"
    (stored,) = await enrichments(sessions)
    answer = ANSWERS[TOOLS[capability]]
    assert json.loads(stored.output_content) == answer
    assert stored.id == result.enrichment.id
    assert (stored.coin_id, stored.capability, stored.model_id) == (coin_id, capability, MODEL)
    assert stored.model_version == MODEL
    assert stored.review_status is ReviewStatus.PENDING
    assert stored.confidence == answer["confidence"]
    assert stored.needs_review is False and flags_of(stored) == []
    assert stored.input_tokens and stored.output_tokens
    expected = (Decimal(stored.input_tokens) * 3 + Decimal(stored.output_tokens) * 15) / 10**6
    assert stored.cost_usd == expected.quantize(Decimal("0.000001"))
    assert stored.request_id and stored.request_id.startswith("req_")
    assert json.loads(stored.raw_response or "")["type"] == "message"
    assert stored.created_at == NOW
    assert stored.prompt_template_id is not None and stored.capability_version == 1
    assert snapshot_of(stored)["issuer" if capability != "attribution_suggest" else "category"]
    usage = await usage_row(sessions, capability.value)
    assert (usage.request_count, usage.cache_hits, usage.error_count) == (1, 0, 0)
    assert usage.total_cost_usd == stored.cost_usd
    assert usage.total_input_tokens == stored.input_tokens
    assert usage.avg_confidence == pytest.approx(answer["confidence"])
    assert usage.avg_latency_ms is not None and usage.avg_latency_ms > 0


async def test_condition_sends_the_readable_images_as_base64(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str, tmp_path: Path
) -> None:
    coin_id = await _augustus_with_images(sessions, tmp_path)
    (tmp_path / "notes.txt").write_text("not an image")
    await add_image(
        sessions, coin_id, tmp_path / "notes.txt", image_type=ImageType.DETAIL, mime="image/png"
    )
    await add_image(
        sessions, coin_id, tmp_path / "gone.png", image_type=ImageType.EDGE, mime="image/png"
    )
    await add_image(
        sessions, coin_id, tmp_path / "obv.png", image_type=ImageType.SLAB, mime="text/plain"
    )

    await enrich_coin(
        sessions, coin_id, "condition_describe", settings=settings_for(migrated_db, fake), now=NOW
    )

    (request,) = fake.message_requests
    images = request.images
    assert [base64.b64decode(i["source"]["data"]) for i in images] == [PNG, JPEG]  # obverse first
    assert [i["source"]["media_type"] for i in images] == ["image/png", "image/jpeg"]
    (stored,) = await enrichments(sessions)
    assert [i["image_type"] for i in snapshot_of(stored)["images"]] == ["obverse", "reverse"]


async def test_condition_without_a_readable_image_is_refused_before_any_call(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str, tmp_path: Path
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    await add_image(
        sessions, coin_id, tmp_path / "missing.jpg", image_type=ImageType.OBVERSE, mime="image/jpeg"
    )

    with pytest.raises(DomainError, match="no readable image") as caught:
        await enrich_coin(
            sessions, coin_id, "condition_describe", settings=settings_for(migrated_db, fake)
        )

    assert (caught.value.code, caught.value.field) == ("INVALID", ["coinId"])
    assert fake.requests == []
    assert await enrichments(sessions) == []


async def test_the_snapshot_holds_the_coins_fields_and_citations(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    async with sessions() as session, session.begin():
        ric = ReferenceType(
            system=ReferenceSystem.RIC, local_ref="RIC I² 207", local_ref_normalized="ric.1(2).207"
        )
        session.add(ric)
        await session.flush()
        session.add(CoinReference(coin_id=coin_id, reference_type_id=ric.id))

    result = await enrich_coin(
        sessions, coin_id, "catalog_suggest", settings=settings_for(migrated_db, fake), now=NOW
    )

    snapshot = snapshot_of(result.enrichment)
    assert snapshot["references"] == ["RIC I² 207"]
    assert snapshot["weight_g"] == "3.850" and snapshot["year_start"] == -2
    assert "personal_notes" not in snapshot
    prompt = fake.message_requests[0].body["messages"][0]["content"]
    assert "Catalogue references already recorded: RIC I² 207" in prompt
    assert "Year start: 2 BC" in prompt and "Year end: AD 4" in prompt


async def test_a_second_call_with_the_same_input_is_served_from_the_cache(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    settings = settings_for(migrated_db, fake)
    first = await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)
    sent = len(fake.requests)

    again = await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)

    assert len(fake.requests) == sent
    assert again.cached and again.enrichment.id == first.enrichment.id
    assert len(await enrichments(sessions)) == 1
    usage = await usage_row(sessions, "legend_expand")
    assert (usage.request_count, usage.cache_hits) == (1, 1)
    assert usage.total_cost_usd == first.enrichment.cost_usd  # the hit cost nothing


async def test_the_cache_needs_no_api_key(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    await enrich_coin(
        sessions, coin_id, "legend_expand", settings=settings_for(migrated_db, fake), now=NOW
    )
    keyless = settings_for(migrated_db, fake, anthropic_api_key=None)
    assert (await enrich_coin(sessions, coin_id, "legend_expand", settings=keyless, now=NOW)).cached


async def test_a_changed_coin_gets_a_new_answer_that_supersedes_the_old(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    settings = settings_for(migrated_db, fake)
    first = await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)
    async with sessions() as session, session.begin():
        coin = await session.get(Coin, coin_id)
        assert coin is not None
        coin.reverse_legend = "C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT"[:-1]

    second = await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)

    assert not second.cached and second.enrichment.input_hash != first.enrichment.input_hash
    old, new = await enrichments(sessions)
    assert (old.superseded_by, new.superseded_by) == (new.id, None)
    # Back to the first state: its answer is served again and becomes current again.
    async with sessions() as session, session.begin():
        coin = await session.get(Coin, coin_id)
        assert coin is not None
        coin.reverse_legend = str(AUGUSTUS_CAESARES["reverse_legend"])
    third = await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)
    assert third.cached and third.enrichment.id == first.enrichment.id
    old, new = await enrichments(sessions)
    assert (old.superseded_by, new.superseded_by) == (None, old.id)
    assert len(fake.message_requests) == 2


async def test_a_rejected_answer_is_not_served_from_the_cache(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    settings = settings_for(migrated_db, fake)
    first = await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)
    async with sessions() as session, session.begin():
        row = await session.get(LLMEnrichment, first.enrichment.id)
        assert row is not None
        row.review_status = ReviewStatus.REJECTED

    again = await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)

    assert not again.cached and again.enrichment.id != first.enrichment.id
    assert len(fake.message_requests) == 2


async def test_output_breaking_the_schema_is_stored_flagged_for_review(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    fake.enqueue(Reply(tool_input={"historical_significance": "", "confidence": 1.4, "extra": 1}))

    result = await enrich_coin(
        sessions, coin_id, "context_generate", settings=settings_for(migrated_db, fake), now=NOW
    )

    stored = result.enrichment
    assert stored.needs_review and stored.review_status is ReviewStatus.PENDING
    assert json.loads(stored.output_content)["extra"] == 1
    messages = {f["message"] for f in flags_of(stored) if f["code"] == "schema"}
    assert messages == {
        "$.historical_significance: must not be empty",
        "$.confidence: must be <= 1",
        "$.key_points: required",
        "$.extra: not allowed",
    }
    assert stored.confidence == 0.5  # no usable confidence of its own
    async with sessions() as session:
        coin = await session.get(Coin, coin_id)
    assert coin is not None and coin.historical_significance is None  # never applied


async def test_low_confidence_is_flagged_for_review(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **CAESAR_ELEPHANT)
    fake.enqueue(
        Reply(
            tool_input={
                "issuer": "Julius Caesar",
                "denomination": "Denarius",
                "mint": None,
                "year_start": -49,
                "year_end": -48,
                "confidence": 0.41,
                "reasoning": "The elephant type is Caesar's, struck by a travelling mint.",
            }
        )
    )

    result = await enrich_coin(
        sessions, coin_id, "attribution_suggest", settings=settings_for(migrated_db, fake), now=NOW
    )

    assert result.enrichment.needs_review
    assert [f["code"] for f in flags_of(result.enrichment)] == ["low_confidence"]
    assert result.enrichment.confidence == pytest.approx(0.41)


async def test_invalid_citations_become_quality_flags(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **CAESAR_ELEPHANT)
    fake.enqueue(
        Reply(
            tool_input={
                "references": [
                    {"citation": "Crawford 443/1", "confidence": 0.95},
                    {"citation": "cf. Sydenham 1006", "confidence": 0.6},
                    {"citation": "RIC XV 12", "confidence": 0.3},
                ],
                "confidence": 0.9,
            }
        )
    )

    result = await enrich_coin(
        sessions, coin_id, "catalog_suggest", settings=settings_for(migrated_db, fake), now=NOW
    )

    flags = flags_of(result.enrichment)
    assert [(f["code"], f["path"]) for f in flags] == [
        ("invalid_citation", ["references", "1", "citation"]),
        ("invalid_citation", ["references", "2", "citation"]),
    ]
    assert "qualified" in flags[0]["message"]
    assert result.enrichment.needs_review


async def test_a_reply_without_the_tool_call_is_stored_as_malformed(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    message = {
        "id": "msg_01prose",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [{"type": "text", "text": "This is a denarius of Augustus, {probably"}],
        "stop_reason": "max_tokens",
        "stop_sequence": None,
        "usage": {"input_tokens": 420, "output_tokens": 800},
    }
    fake.enqueue(Malformed(body=json.dumps(message)))

    result = await enrich_coin(
        sessions, coin_id, "legend_expand", settings=settings_for(migrated_db, fake), now=NOW
    )

    stored = result.enrichment
    assert stored.output_content == "This is a denarius of Augustus, {probably"
    assert [f["code"] for f in flags_of(stored)] == [
        "truncated",
        "no_tool_output",
        "malformed_output",
        "low_confidence",
    ]
    assert stored.needs_review
    assert stored.cost_usd == Decimal("0.013260")  # 420 x $3 + 800 x $15 per million


async def test_unknown_coin_and_capability(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    settings = settings_for(migrated_db, fake)
    with pytest.raises(NotFound) as missing:
        await enrich_coin(sessions, 999, "context_generate", settings=settings)
    assert missing.value.field == ["coinId"]
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    with pytest.raises(DomainError, match="unknown capability") as unknown:
        await enrich_coin(sessions, coin_id, "catalog_lookup", settings=settings)
    assert unknown.value.field == ["capability"]
    assert fake.requests == []


async def test_legend_expand_needs_a_legend(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    values: dict[str, Any] = {**CAESAR_ELEPHANT, "exergue": None}
    coin_id = await add_coin(sessions, **values)
    with pytest.raises(DomainError, match="no obverse legend or reverse legend") as caught:
        await enrich_coin(
            sessions, coin_id, "legend_expand", settings=settings_for(migrated_db, fake)
        )
    assert caught.value.field == ["coinId"]
    assert fake.requests == [] and await count(sessions, LLMEnrichment) == 0
