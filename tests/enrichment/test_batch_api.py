"""The Message Batches path of enrichment batches, through the real SDK against the fake."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.enrichment.batches import BatchProgress, run_batch, start_batch
from coinstack_graphql.enrichment.models import EnrichmentJob, LLMEnrichment
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.settings import Settings
from tests.enrichment import (
    Sessions,
    answer_by_tool,
    open_sessions,
    settings_for,
    usage_rows,
)
from tests.enrichment.test_batches import (
    Progress,
    enrichments_per_coin,
    items_of,
    job_row,
    make_coins,
    statuses,
)
from tests.fakes.anthropic_api import Error, FakeAnthropic

CONTEXT = "context_generate"
BATCHES = "/v1/messages/batches"


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic(batch_polls_to_end=2) as server:
        server.respond_with(answer_by_tool)
        yield server


def batch_settings(url: str, fake: FakeAnthropic, **overrides: Any) -> Settings:
    return settings_for(url, fake, llm_use_batches_api=True, **overrides)


def creations(fake: FakeAnthropic) -> list[Any]:
    return [r for r in fake.requests if r.method == "POST" and r.path == BATCHES]


def polls(fake: FakeAnthropic) -> list[Any]:
    return [r for r in fake.requests if r.method == "GET" and r.path.startswith(BATCHES + "/")]


async def submitted_and_polled(sessions: Sessions, job_id: str, fake: FakeAnthropic) -> bool:
    """The job's Message Batch is recorded and has been polled at least once."""
    return (await job_row(sessions, job_id)).batch_job_id is not None and bool(polls(fake))


async def until(check: Callable[[], Awaitable[bool]], limit: float = 20) -> None:
    async with asyncio.timeout(limit):
        while not await check():  # noqa: ASYNC110 - polling the database, no event to wait on
            await asyncio.sleep(0.02)


async def new_batch(sessions: Sessions, settings: Settings) -> EnrichmentJob:
    return await start_batch(sessions, capability=CONTEXT, criteria=None, settings=settings)


async def test_a_batch_goes_through_one_message_batch_end_to_end(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 5)
    settings = batch_settings(migrated_db, fake)
    job = await new_batch(sessions, settings)
    progress = Progress()

    final = await run_batch(sessions, job.id, settings=settings, on_progress=progress, poll_s=0.01)

    assert (final.status, final.total, final.progress, final.updated, final.errors) == (
        "completed", 5, 5, 5, 0,
    )
    assert final.batch_job_id is not None and final.batch_job_id.startswith("msgbatch_")
    assert fake.message_requests == []  # nothing went through the Messages API
    (created,) = creations(fake)
    lines = created.body["requests"]
    items = await items_of(sessions, job.id)
    by_item = {str(i.id): i.coin_id for i in items}
    assert sorted(line["custom_id"].split("-")[0] for line in lines) == sorted(by_item)
    tools = {line["params"]["tool_choice"]["name"] for line in lines}
    assert tools == {"record_historical_context"}
    assert len(polls(fake)) >= 2  # polled until ended, then read the results
    assert statuses(items) == {"done": 5}
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    async with sessions() as session:
        stored = list((await session.scalars(select(LLMEnrichment))).all())
    assert {i.enrichment_id for i in items} == {e.id for e in stored}
    assert {e.batch_job_id for e in stored} == {job.id}
    for enrichment in stored:
        full = (Decimal(enrichment.input_tokens) * 3 + Decimal(enrichment.output_tokens) * 15)
        assert enrichment.cost_usd == (full / 10**6 / 2).quantize(Decimal("0.000001"))
        assert enrichment.output_content  # the answer, read like a Messages API reply
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (5, 0)
    assert usage.total_cost_usd == sum(e.cost_usd for e in stored)
    assert progress.events[-1] == BatchProgress(job.id, "completed", 5, 5, 0)


async def test_coins_with_a_cached_answer_are_not_submitted(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 4)
    settings = batch_settings(migrated_db, fake)
    for name in ("Augustus", "Tiberius"):
        await enrich_coin(sessions, coins[name], CONTEXT, settings=settings)
    job = await new_batch(sessions, settings)

    final = await run_batch(sessions, job.id, settings=settings, poll_s=0.01)

    assert (final.status, final.progress, final.updated) == ("completed", 4, 4)
    (created,) = creations(fake)
    assert len(created.body["requests"]) == 2
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.cache_hits) == (4, 2)


async def test_a_resumed_batch_collects_its_message_batch_instead_of_submitting_again(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 6)
    fake.batch_polls_to_end = 10**6  # it ends when the test says so
    settings = batch_settings(migrated_db, fake)
    job = await new_batch(sessions, settings)
    progress = Progress()
    runner = asyncio.create_task(
        run_batch(sessions, job.id, settings=settings, on_progress=progress, poll_s=0.01)
    )
    await until(lambda: submitted_and_polled(sessions, job.id, fake))
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner

    submitted = await job_row(sessions, job.id)
    assert submitted.status == "running"
    assert statuses(await items_of(sessions, job.id)) == {"submitted": 6}
    assert await enrichments_per_coin(sessions) == Counter()
    fake.finish_batches()

    async def runner_on_own_engine(worker: str) -> EnrichmentJob:
        async with open_sessions(migrated_db) as own:
            return await run_batch(
                own, job.id, settings=settings, worker_id=worker, poll_s=0.01, lease_s=2.0
            )

    # Two servers resume it at once: each result is still stored once.
    one, two = await asyncio.gather(runner_on_own_engine("a"), runner_on_own_engine("b"))

    assert {one.status, two.status} == {"completed"}
    assert len(creations(fake)) == 1  # polled the recorded Message Batch, never resubmitted
    assert (await job_row(sessions, job.id)).batch_job_id == submitted.batch_job_id
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    final = await job_row(sessions, job.id)
    assert (final.progress, final.updated, final.errors) == (6, 6, 0)
    (usage,) = await usage_rows(sessions)
    assert usage.request_count == 6


async def test_an_errored_line_fails_its_coin_and_counts_as_a_usage_error(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 3)
    fake.enqueue(Error(529, message="Overloaded"))  # the first line of the Message Batch
    settings = batch_settings(migrated_db, fake)
    job = await new_batch(sessions, settings)

    final = await run_batch(sessions, job.id, settings=settings, poll_s=0.01)

    assert (final.status, final.progress, final.updated, final.errors) == ("completed", 3, 2, 1)
    (failed,) = [i for i in await items_of(sessions, job.id) if i.status == "failed"]
    assert "overloaded_error" in (failed.error_message or "")
    assert "Overloaded" in (failed.error_message or "")
    assert failed.coin_id not in await enrichments_per_coin(sessions)
    assert len(await enrichments_per_coin(sessions)) == 2 == len(coins) - 1
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (2, 1)


async def test_an_answer_about_an_earlier_state_of_the_coin_is_asked_again(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 3)
    fake.batch_polls_to_end = 10**6
    settings = batch_settings(migrated_db, fake)
    job = await new_batch(sessions, settings)
    runner = asyncio.create_task(run_batch(sessions, job.id, settings=settings, poll_s=0.01))
    await until(lambda: submitted_and_polled(sessions, job.id, fake))
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    async with sessions() as session, session.begin():  # edited while the batch ran
        await session.execute(
            update(Coin).where(Coin.id == coins["Caligula"]).values(mint="Rome")
        )
    fake.finish_batches()
    fake.batch_polls_to_end = 1

    final = await run_batch(sessions, job.id, settings=settings, poll_s=0.01)

    assert (final.status, final.progress, final.updated) == ("completed", 3, 3)
    resubmitted = creations(fake)[1].body["requests"]
    assert len(creations(fake)) == 2 and len(resubmitted) == 1
    assert "Mint: Rome" in resubmitted[0]["params"]["messages"][0]["content"]
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    async with sessions() as session:
        answer = await session.scalar(
            select(LLMEnrichment).where(LLMEnrichment.coin_id == coins["Caligula"])
        )
    assert answer is not None and (answer.input_snapshot or {})["mint"] == "Rome"
    (usage,) = await usage_rows(sessions)
    assert usage.request_count == 4  # the stale answer was paid for too


async def test_a_message_batch_the_api_refuses_stops_the_batch_with_coins_pending(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 2)
    job = await new_batch(sessions, batch_settings(migrated_db, fake))
    unreachable = batch_settings(migrated_db, fake, anthropic_base_url="http://127.0.0.1:9")

    final = await run_batch(sessions, job.id, settings=unreachable, poll_s=0.01)

    assert final.status == "failed"
    assert final.result_summary["stoppedBy"] == "LLM_UNAVAILABLE"
    assert "Message Batch" in final.result_summary["message"]
    assert final.batch_job_id is None
    assert statuses(await items_of(sessions, job.id)) == {"pending": 2}
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (0, 1)
