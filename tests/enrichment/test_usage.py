"""Daily usage counters: exact under concurrent enrichments, running means, prices."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.enrichment.client import build_client
from coinstack_graphql.enrichment.models import LLMEnrichment
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.enrichment.usage import UsageDelta, cost_usd, record_usage, spent_on
from coinstack_graphql.settings import Settings
from tests.enrichment import (
    ANSWERS,
    EMPERORS,
    NOW,
    Sessions,
    add_coin,
    enrichments,
    open_sessions,
    settings_for,
    usage_row,
)
from tests.fakes.anthropic_api import FakeAnthropic


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def test_fifty_concurrent_enrichments_count_exactly(migrated_db: str) -> None:
    confidences = [round(0.5 + i / 100, 2) for i in range(50)]  # 0.50 … 0.99

    def answer(body: dict[str, object]) -> dict[str, object]:
        # Each coin's prompt names its issuer and reign; the answer's confidence is per coin.
        text = str(body["messages"][0]["content"])  # type: ignore[index]
        index = int(text.split("Year start: AD ")[1].split("\n")[0]) - 100
        return {**ANSWERS["record_historical_context"], "confidence": confidences[index]}

    async with FakeAnthropic() as fake, open_sessions(migrated_db) as sessions:
        fake.respond_with(answer)
        settings = settings_for(migrated_db, fake)
        coin_ids = []
        for index in range(50):
            coin_ids.append(
                await add_coin(
                    sessions,
                    category=Category.IMPERIAL,
                    denomination="Denarius",
                    metal=Metal.SILVER,
                    issuer=EMPERORS[index % len(EMPERORS)],
                    year_start=100 + index,
                )
            )
        client = build_client(settings)
        try:
            results = await asyncio.gather(
                *(
                    enrich_coin(
                        sessions,
                        coin_id,
                        "context_generate",
                        settings=settings,
                        client=client,
                        now=NOW,
                    )
                    for coin_id in coin_ids
                )
            )
        finally:
            await client.close()

        stored = await enrichments(sessions)
        assert len(fake.message_requests) == 50 and len(stored) == 50
        assert not any(r.cached for r in results)
        usage = await usage_row(sessions, "context_generate")
        assert usage.request_count == 50
        assert usage.total_input_tokens == sum(e.input_tokens or 0 for e in stored)
        assert usage.total_output_tokens == sum(e.output_tokens or 0 for e in stored)
        assert usage.total_cost_usd == sum((e.cost_usd for e in stored), Decimal(0))
        assert usage.avg_confidence == pytest.approx(sum(confidences) / 50)
        assert sorted(e.confidence for e in stored) == pytest.approx(confidences)

        # Fifty concurrent cache hits count exactly too.
        hits = await asyncio.gather(
            *(
                enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)
                for coin_id in coin_ids
            )
        )
        assert all(hit.cached for hit in hits) and len(fake.message_requests) == 50
        usage = await usage_row(sessions, "context_generate")
        assert (usage.request_count, usage.cache_hits) == (50, 50)


async def test_running_means_are_weighted_by_requests(sessions: Sessions) -> None:
    day = NOW.date()
    async with sessions() as session, session.begin():
        await record_usage(
            session, day, "legend_expand", "claude-haiku-4-5", UsageDelta(cache_hits=1)
        )
        await record_usage(
            session,
            day,
            "legend_expand",
            "claude-haiku-4-5",
            UsageDelta(
                requests=1,
                confidence=0.9,
                latency_ms=800.0,
                cost_usd=Decimal("0.004200"),
                input_tokens=1200,
                output_tokens=600,
            ),
        )
        await record_usage(
            session,
            day,
            "legend_expand",
            "claude-haiku-4-5",
            UsageDelta(requests=3, confidence=0.5, latency_ms=400.0, cost_usd=Decimal("0.000100")),
        )
        await record_usage(session, day, "legend_expand", "claude-haiku-4-5", UsageDelta(errors=1))
        await record_usage(
            session, day, "legend_expand", "claude-haiku-4-5", UsageDelta(approved=1)
        )
        await record_usage(
            session, day, "legend_expand", "claude-haiku-4-5", UsageDelta(rejected=2)
        )
    row = await usage_row(sessions, "legend_expand", "claude-haiku-4-5")
    assert (row.request_count, row.cache_hits, row.error_count) == (4, 1, 1)
    assert (row.review_approved, row.review_rejected) == (1, 2)
    assert row.avg_confidence == pytest.approx((0.9 + 3 * 0.5) / 4)
    assert row.avg_latency_ms == pytest.approx((800 + 3 * 400) / 4)
    assert row.total_cost_usd == Decimal("0.004300")
    assert (row.total_input_tokens, row.total_output_tokens) == (1200, 600)
    async with sessions() as session:
        assert await spent_on(session, day) == Decimal("0.004300")


def test_cost_from_the_price_table() -> None:
    settings = Settings()
    assert cost_usd(settings, "claude-sonnet-4-6", 1_000_000, 1_000_000) == Decimal("18.000000")
    assert cost_usd(settings, "claude-haiku-4-5-20251001", 2_000, 500) == Decimal("0.004500")
    assert cost_usd(settings, "claude-opus-4-6", 1, 1) == Decimal("0.000030")
    assert cost_usd(settings, "claude-instant-1", 10, 10) is None


async def test_every_enrichment_is_costed_like_its_usage(
    sessions: Sessions, migrated_db: str
) -> None:
    async with FakeAnthropic() as fake:
        fake.respond_with(lambda body: ANSWERS["record_historical_context"])
        coin_id = await add_coin(
            sessions,
            category=Category.IMPERIAL,
            denomination="Aureus",
            metal=Metal.GOLD,
            issuer="Hadrian",
            mint="Rome",
            year_start=134,
            year_end=138,
        )
        settings = settings_for(migrated_db, fake, llm_model="claude-haiku-4-5")
        result = await enrich_coin(
            sessions, coin_id, "context_generate", settings=settings, now=NOW
        )
    enrichment: LLMEnrichment = result.enrichment
    expected = cost_usd(
        settings, "claude-haiku-4-5", enrichment.input_tokens or 0, enrichment.output_tokens or 0
    )
    assert enrichment.cost_usd == expected and enrichment.model_id == "claude-haiku-4-5"
    assert (
        await usage_row(sessions, "context_generate", "claude-haiku-4-5")
    ).total_cost_usd == expected
