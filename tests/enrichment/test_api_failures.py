"""When the API fails: SDK retries, errors counted in usage, nothing else written."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from coinstack_graphql.enrichment.models import LLMEnrichment, LLMUsageDaily
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.enrichment.usage import UsageDelta, record_usage
from coinstack_graphql.errors import DomainError
from tests.enrichment import (
    AUGUSTUS_CAESARES,
    NOW,
    Sessions,
    add_coin,
    answer_by_tool,
    count,
    enrichments,
    open_sessions,
    settings_for,
    usage_row,
    usage_rows,
)
from tests.fakes.anthropic_api import Error, FakeAnthropic, Malformed, Slow


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as server:
        server.respond_with(answer_by_tool)
        yield server


async def _fails(
    sessions: Sessions, migrated_db: str, fake: FakeAnthropic, **settings: object
) -> DomainError:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    with pytest.raises(DomainError) as caught:
        await enrich_coin(
            sessions,
            coin_id,
            "context_generate",
            settings=settings_for(migrated_db, fake, **settings),
            now=NOW,
        )
    assert caught.value.code == "LLM_UNAVAILABLE"
    assert await enrichments(sessions) == []
    usage = await usage_row(sessions, "context_generate")
    assert (usage.error_count, usage.request_count, usage.cache_hits) == (1, 0, 0)
    assert (usage.total_cost_usd, usage.total_input_tokens) == (Decimal("0.000000"), 0)
    assert usage.avg_confidence is None and usage.avg_latency_ms is None
    return caught.value


async def test_rate_limit_is_retried_after_retry_after(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    fake.enqueue(Error(429, retry_after_ms=30))
    settings = settings_for(migrated_db, fake, llm_max_retries=2)

    result = await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)

    assert [r.headers["x-stainless-retry-count"] for r in fake.message_requests] == ["0", "1"]
    assert result.enrichment.id is not None
    usage = await usage_row(sessions, "context_generate")
    assert (usage.request_count, usage.error_count) == (1, 0)


async def test_overloaded_529_is_retried(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    fake.enqueue(Error(529, retry_after_ms=10), Error(529, retry_after_ms=10))
    settings = settings_for(migrated_db, fake, llm_max_retries=2)

    await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)

    assert len(fake.message_requests) == 3
    assert await count(sessions, LLMEnrichment) == 1


async def test_server_errors_exhausting_the_retries(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    fake.enqueue(*[Error(500, retry_after_ms=10)] * 3)
    error = await _fails(sessions, migrated_db, fake, llm_max_retries=2)
    assert len(fake.message_requests) == 3
    assert "(500, request req_" in error.message and "after 2 retries" in error.message


async def test_timeout(sessions: Sessions, fake: FakeAnthropic, migrated_db: str) -> None:
    fake.enqueue(Slow(5), Slow(5))
    started = time.monotonic()
    error = await _fails(sessions, migrated_db, fake, llm_timeout_s=0.2, llm_max_retries=1)
    assert time.monotonic() - started < 4
    assert "did not answer within 0.2 s" in error.message
    assert len(fake.message_requests) == 2  # the SDK retried the timeout once


async def test_malformed_json_body(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    fake.enqueue(Malformed())
    error = await _fails(sessions, migrated_db, fake, llm_max_retries=2)
    assert "malformed" in error.message
    assert len(fake.message_requests) == 1


async def test_a_body_that_is_not_a_message(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    fake.enqueue(Malformed(body="upstream hiccup", content_type="text/plain"))
    error = await _fails(sessions, migrated_db, fake)
    assert "not a message" in error.message


async def test_a_refused_request_is_not_retried(sessions: Sessions, migrated_db: str) -> None:
    async with FakeAnthropic(api_key="sk-ant-other") as server:
        error = await _fails(sessions, migrated_db, server, llm_max_retries=2)
        assert len(server.message_requests) == 1
    assert "(401" in error.message and "invalid x-api-key" in error.message


async def test_no_api_key_is_llm_unavailable_with_a_clear_message(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    settings = settings_for(migrated_db, fake, anthropic_api_key=None)

    with pytest.raises(DomainError) as caught:
        await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)

    assert caught.value.code == "LLM_UNAVAILABLE"
    assert "ANTHROPIC_API_KEY" in caught.value.message
    assert fake.requests == []
    assert await enrichments(sessions) == [] and await usage_rows(sessions) == []


async def test_budget_stops_new_calls_once_spent(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    first_coin = await add_coin(sessions, **AUGUSTUS_CAESARES)
    second_coin = await add_coin(sessions, **{**AUGUSTUS_CAESARES, "issuer": "Tiberius"})
    settings = settings_for(migrated_db, fake, llm_daily_budget_usd=Decimal("0.001"))
    first = await enrich_coin(sessions, first_coin, "context_generate", settings=settings, now=NOW)
    assert first.enrichment.cost_usd >= Decimal("0.001")
    sent = len(fake.requests)

    with pytest.raises(DomainError) as caught:
        await enrich_coin(sessions, second_coin, "legend_expand", settings=settings, now=NOW)

    assert caught.value.code == "BUDGET_EXCEEDED"
    assert "daily LLM budget of $0.001 is spent" in caught.value.message
    assert len(fake.requests) == sent
    assert await count(sessions, LLMEnrichment) == 1
    # The cached answer is still served: it costs nothing.
    again = await enrich_coin(sessions, first_coin, "context_generate", settings=settings, now=NOW)
    assert again.cached


async def test_budget_counts_every_capability_and_model_of_the_day(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
    async with sessions() as session, session.begin():
        for capability, model, cost in (
            ("context_generate", "claude-haiku-4-5", "2.50"),
            ("catalog_suggest", "claude-opus-4-6", "2.50"),
        ):
            await record_usage(
                session,
                NOW.date(),
                capability,
                model,
                UsageDelta(requests=1, cost_usd=Decimal(cost)),
            )
    settings = settings_for(migrated_db, fake, llm_daily_budget_usd=Decimal("5.00"))

    with pytest.raises(DomainError) as caught:
        await enrich_coin(sessions, coin_id, "legend_expand", settings=settings, now=NOW)

    assert caught.value.code == "BUDGET_EXCEEDED"
    assert fake.requests == []
    assert await count(sessions, LLMUsageDaily) == 2
