"""Enrichment batches through the real SDK against the fake API: claims, resume, workers.

Each test builds its own coins (one emperor per coin, so a request names its coin by its
"Issuer:" line) in a migrated database of the engine under test.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from coinstack_graphql.coins.filters import CoinCriteria
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment.batches import (
    BatchProgress,
    progress_channel,
    run_batch,
    start_batch,
)
from coinstack_graphql.enrichment.client import LLMUnavailable
from coinstack_graphql.enrichment.models import EnrichmentJob, EnrichmentJobItem, LLMEnrichment
from coinstack_graphql.enrichment.usage import BudgetExceeded
from coinstack_graphql.graphql.core.relay import to_global_id
from coinstack_graphql.settings import Settings
from tests.enrichment import (
    ANSWERS,
    AUGUSTUS_CAESARES,
    CAESAR_ELEPHANT,
    EMPERORS,
    Sessions,
    add_coin,
    answer_by_tool,
    open_sessions,
    settings_for,
    usage_rows,
)
from tests.fakes.anthropic_api import Error, FakeAnthropic, Reply, Slow
from tests.support.client import graphql_client

CONTEXT = "context_generate"
ANSWER = ANSWERS["record_historical_context"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as server:
        server.respond_with(answer_by_tool)
        yield server


# ---- helpers


def issuer_of(body: dict[str, Any]) -> str:
    """Which of our coins a request is about (its prompt's "Issuer:" line)."""
    content = body["messages"][0]["content"]
    text = content if isinstance(content, str) else " ".join(
        block.get("text", "") for block in content if block.get("type") == "text"
    )
    found = re.search(r"^Issuer: (.+)$", text, re.MULTILINE)
    assert found, text
    return found.group(1)


def asked(fake: FakeAnthropic) -> Counter[str]:
    """How many Messages API requests each coin (by issuer) got."""
    return Counter(issuer_of(r.body) for r in fake.message_requests)


async def make_coins(sessions: Sessions, count: int) -> dict[str, int]:
    """`count` coins, issuer → coin id."""
    coins = {}
    for name in EMPERORS[:count]:
        coins[name] = await add_coin(sessions, **{**AUGUSTUS_CAESARES, "issuer": name})
    return coins


async def new_batch(sessions: Sessions, settings: Settings, **criteria: Any) -> EnrichmentJob:
    return await start_batch(
        sessions,
        capability=CONTEXT,
        criteria=CoinCriteria(**criteria) if criteria else None,
        settings=settings,
    )


async def job_row(sessions: Sessions, job_id: str) -> EnrichmentJob:
    async with sessions() as session:
        job = await session.get(EnrichmentJob, job_id)
    assert job is not None
    return job


async def items_of(sessions: Sessions, job_id: str) -> list[EnrichmentJobItem]:
    async with sessions() as session:
        rows = await session.scalars(
            select(EnrichmentJobItem)
            .where(EnrichmentJobItem.job_id == job_id)
            .order_by(EnrichmentJobItem.id)
        )
        return list(rows.all())


async def enrichments_per_coin(sessions: Sessions) -> Counter[int]:
    async with sessions() as session:
        rows = await session.scalars(select(LLMEnrichment.coin_id))
        return Counter(rows.all())


def statuses(items: list[EnrichmentJobItem]) -> Counter[str]:
    return Counter(item.status for item in items)


class Progress:
    """An on_progress callback that keeps every event and can wake a waiter."""

    def __init__(self, check: Callable[[BatchProgress], Any] | None = None) -> None:
        self.events: list[BatchProgress] = []
        self.changed = asyncio.Event()
        self.check = check

    async def __call__(self, progress: BatchProgress) -> None:
        self.events.append(progress)
        if self.check is not None:
            await self.check(progress)
        self.changed.set()

    async def until(self, done: Callable[[BatchProgress], bool], limit: float = 20) -> None:
        async with asyncio.timeout(limit):
            while not (self.events and done(self.events[-1])):
                self.changed.clear()
                await self.changed.wait()


def counted_handler(fast: int) -> Callable[[dict[str, Any]], Any]:
    """Answer the first `fast` requests at once and hang on the rest (thread-safe)."""
    lock = threading.Lock()
    calls = [0]

    def handler(body: dict[str, Any]) -> Any:
        with lock:
            calls[0] += 1
            number = calls[0]
        if number <= fast:
            return answer_by_tool(body)
        return Slow(30, then=Reply(tool_input=answer_by_tool(body)))

    return handler


# ---- creating a batch


async def test_a_batch_holds_one_pending_item_per_matching_coin(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 12)

    job = await new_batch(sessions, settings_for(migrated_db, fake), issuers=["Tiberius", "ner"])

    wanted = {coins["Tiberius"], coins["Nero"], coins["Nerva"]}
    assert (job.status, job.total, job.progress, job.capability) == ("queued", 3, 0, CONTEXT)
    assert job.coin_filter == {"issuers": ["Tiberius", "ner"]}
    items = await items_of(sessions, job.id)
    assert {i.coin_id for i in items} == wanted
    assert statuses(items) == {"pending": 3}
    assert fake.requests == []  # nothing is asked before the batch runs


async def test_an_empty_selection_is_a_completed_batch_of_nothing(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 2)

    job = await new_batch(sessions, settings_for(migrated_db, fake), issuers=["Zenobia"])

    assert (job.status, job.total, job.progress) == ("completed", 0, 0)
    assert job.finished_at is not None
    assert await items_of(sessions, job.id) == []


@pytest.mark.parametrize(
    ("overrides", "error", "text"),
    [
        ({"anthropic_api_key": None}, LLMUnavailable, "ANTHROPIC_API_KEY"),
        ({"llm_daily_budget_usd": Decimal("0")}, BudgetExceeded, "budget"),
    ],
)
async def test_a_batch_that_could_not_run_is_refused_up_front(
    sessions: Sessions,
    migrated_db: str,
    overrides: dict[str, Any],
    error: type[Exception],
    text: str,
) -> None:
    await make_coins(sessions, 2)

    with pytest.raises(error, match=text):
        await new_batch(sessions, settings_for(migrated_db, None, **overrides))

    async with sessions() as session:
        assert (await session.scalars(select(EnrichmentJob))).all() == []


# ---- running


async def test_a_batch_enriches_each_coin_once_with_bounded_concurrency(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 8)
    fake.respond_with(lambda body: Slow(0.05, then=Reply(tool_input=answer_by_tool(body))))
    settings = settings_for(migrated_db, fake, llm_batch_concurrency=3)
    job = await new_batch(sessions, settings)
    progress = Progress()
    final = await run_batch(sessions, job.id, settings=settings, on_progress=progress)

    assert (final.status, final.total, final.progress, final.updated, final.errors) == (
        "completed", 8, 8, 8, 0,
    )
    assert final.started_at is not None and final.finished_at is not None
    assert final.result_summary == {"succeeded": 8, "failed": 0, "deleted": 0}
    assert asked(fake) == Counter({name: 1 for name in coins})
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    items = await items_of(sessions, job.id)
    assert statuses(items) == {"done": 8}
    async with sessions() as session:
        stored = {e.id: e for e in (await session.scalars(select(LLMEnrichment))).all()}
    assert {i.enrichment_id for i in items} == set(stored)
    assert {e.batch_job_id for e in stored.values()} == {job.id}
    # Counted where the calls arrive, not sampled from progress events (which raced with
    # the workers): several calls at once, never more than the configured three.
    assert 2 <= fake.max_in_flight <= 3
    # Events: running first, counts only grow, completed last with everything counted.
    assert progress.events[0].status == "running"
    assert [e.progress for e in progress.events] == sorted(e.progress for e in progress.events)
    assert progress.events[-1] == BatchProgress(job.id, "completed", 8, 8, 0)
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (8, 0)


async def test_a_second_batch_over_the_same_coins_is_served_from_the_cache(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 3)
    settings = settings_for(migrated_db, fake)
    await run_batch(sessions, (await new_batch(sessions, settings)).id, settings=settings)
    fake.reset()

    second = await new_batch(sessions, settings)
    final = await run_batch(sessions, second.id, settings=settings)

    assert (final.status, final.progress, final.updated) == ("completed", 3, 3)
    assert fake.message_requests == []
    assert sum((await enrichments_per_coin(sessions)).values()) == 3
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.cache_hits) == (3, 3)


async def test_an_interrupted_batch_resumes_without_redoing_finished_coins(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 8)
    settings = settings_for(migrated_db, fake, llm_batch_concurrency=2)
    job = await new_batch(sessions, settings)
    fake.respond_with(counted_handler(fast=3))
    progress = Progress()
    runner = asyncio.create_task(
        run_batch(sessions, job.id, settings=settings, worker_id="first", on_progress=progress)
    )

    await progress.until(lambda p: p.progress == 3)
    await asyncio.sleep(0.2)  # the next two requests are now hanging at the API
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner

    items = await items_of(sessions, job.id)
    assert statuses(items) == {"done": 3, "pending": 5}  # the cancelled runner let go
    assert all(i.claimed_by is None for i in items if i.status == "pending")
    first_round = {name for name, n in asked(fake).items()}
    finished = {i.coin_id for i in items if i.status == "done"}
    assert (await job_row(sessions, job.id)).status == "running"  # to be resumed

    fake.respond_with(answer_by_tool)
    before = asked(fake)
    final = await run_batch(sessions, job.id, settings=settings, worker_id="second")

    assert (final.status, final.progress, final.updated, final.errors) == ("completed", 8, 8, 0)
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    again = asked(fake) - before
    by_id = {coin_id: name for name, coin_id in coins.items()}
    assert not {by_id[c] for c in finished} & set(again)  # finished coins were not asked again
    assert set(again) == set(coins) - {by_id[c] for c in finished}
    assert first_round >= {by_id[c] for c in finished}
    items = await items_of(sessions, job.id)
    assert Counter(i.claimed_by for i in items) == {"first": 3, "second": 5}


async def test_two_runners_on_one_job_enrich_each_coin_exactly_once(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 12)
    fake.respond_with(lambda body: Slow(0.05, then=Reply(tool_input=answer_by_tool(body))))
    settings = settings_for(migrated_db, fake, llm_batch_concurrency=2)
    job = await new_batch(sessions, settings)

    async def runner(worker: str) -> EnrichmentJob:
        # Each runner has its own engine and pool, as two server workers would.
        async with open_sessions(migrated_db) as own:
            return await run_batch(own, job.id, settings=settings, worker_id=worker, lease_s=2.0)

    one, two = await asyncio.gather(runner("w1"), runner("w2"))

    assert {one.status, two.status} == {"completed"}
    assert asked(fake) == Counter({name: 1 for name in coins})
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    items = await items_of(sessions, job.id)
    assert statuses(items) == {"done": 12}
    assert set(Counter(i.claimed_by for i in items)) == {"w1", "w2"}
    final = await job_row(sessions, job.id)
    assert (final.progress, final.updated, final.errors) == (12, 12, 0)


WORKER = """
import asyncio, sys
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.enrichment.batches import run_batch
from coinstack_graphql.settings import Settings

async def main(url, job_id, base_url, worker):
    settings = Settings(
        database_url=url, anthropic_api_key="sk-ant-test", anthropic_base_url=base_url,
        llm_max_retries=0, llm_timeout_s=10.0, llm_batch_concurrency=2,
    )
    engine = create_engine(settings)
    try:
        job = await run_batch(
            session_factory(engine), job_id, settings=settings, worker_id=worker, lease_s=4.0
        )
        print(job.status)
    finally:
        await engine.dispose()

print("ready", flush=True)
sys.stdin.readline()  # start together: imports take seconds on a busy machine
asyncio.run(main(*sys.argv[1:]))
"""


async def test_two_worker_processes_on_one_database_share_a_batch(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 16)
    fake.respond_with(lambda body: Slow(0.1, then=Reply(tool_input=answer_by_tool(body))))
    job = await new_batch(sessions, settings_for(migrated_db, fake))
    pipe = asyncio.subprocess.PIPE
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", WORKER, migrated_db, job.id, fake.url, f"proc-{n}",
            cwd=ROOT, stdin=pipe, stdout=pipe, stderr=pipe,
        )
        for n in (1, 2)
    ]
    for process in processes:
        assert process.stdout is not None
        ready = await asyncio.wait_for(process.stdout.readline(), 60)
        assert ready == b"ready\n", (ready, await process.stderr.read())  # type: ignore[union-attr]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(b"go\n")
        await process.stdin.drain()
        process.stdin.close()
    outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), 60)

    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert out.decode().strip() == "completed"
    assert asked(fake) == Counter({name: 1 for name in coins})
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    items = await items_of(sessions, job.id)
    assert statuses(items) == {"done": 16}
    assert set(Counter(i.claimed_by for i in items)) == {"proc-1", "proc-2"}


async def test_items_of_a_dead_worker_are_taken_over_when_their_lease_runs_out(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 5)
    settings = settings_for(migrated_db, fake)
    job = await new_batch(sessions, settings)
    ids = [i.id for i in await items_of(sessions, job.id)]
    async with sessions() as session, session.begin():
        stale = utcnow() - timedelta(minutes=10)
        await session.execute(
            update(EnrichmentJobItem)
            .where(EnrichmentJobItem.id.in_(ids[:2]))
            .values(status="running", claimed_by="crashed", claimed_at=stale)
        )
        await session.execute(  # a claim of a live worker that then goes silent
            update(EnrichmentJobItem)
            .where(EnrichmentJobItem.id == ids[2])
            .values(status="running", claimed_by="silent", claimed_at=utcnow())
        )

    started = time.monotonic()
    final = await run_batch(sessions, job.id, settings=settings, worker_id="heir", lease_s=1.0)

    assert time.monotonic() - started >= 0.9  # the fresh claim was respected for its lease
    assert final.status == "completed"
    items = await items_of(sessions, job.id)
    assert statuses(items) == {"done": 5}
    assert {i.claimed_by for i in items} == {"heir"}
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    assert asked(fake) == Counter({name: 1 for name in coins})


async def test_a_batch_resumes_when_the_server_restarts(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 6)
    settings = settings_for(migrated_db, fake, llm_batch_concurrency=1)
    job = await new_batch(sessions, settings)
    progress = Progress()
    fake.respond_with(counted_handler(fast=2))
    runner = asyncio.create_task(
        run_batch(sessions, job.id, settings=settings, worker_id="before", on_progress=progress)
    )
    await progress.until(lambda p: p.progress == 2)
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    # What a crash (no goodbye) leaves: one item still claimed, long ago.
    pending = [i.id for i in await items_of(sessions, job.id) if i.status == "pending"]
    async with sessions() as session, session.begin():
        await session.execute(
            update(EnrichmentJobItem)
            .where(EnrichmentJobItem.id == pending[0])
            .values(
                status="running", claimed_by="before", claimed_at=utcnow() - timedelta(hours=1)
            )
        )
    legacy = "5f0c6f7e-9d3b-4e0a-8a67-3c2b1d4e5f60"  # a V2.1 job: not an LLM batch
    async with sessions() as session, session.begin():
        session.add(EnrichmentJob(id=legacy, status="running", total=7, progress=3, updated=2,
                                  conflicts=0, not_found=0, errors=0))
    fake.respond_with(answer_by_tool)
    before = asked(fake)

    async with graphql_client(
        migrated_db, anthropic_api_key="sk-ant-test", anthropic_base_url=fake.url,
        llm_max_retries=0,
    ) as client:
        query = "query B($id: ID!) { enrichmentBatch(id: $id) { status progress total errors } }"
        async with asyncio.timeout(20):
            while True:
                data = await client.execute(query, {"id": to_global_id("EnrichmentBatch", job.id)})
                if data["enrichmentBatch"]["status"] == "COMPLETED":
                    break
                await asyncio.sleep(0.05)

    assert data["enrichmentBatch"] == {
        "status": "COMPLETED", "progress": 6, "total": 6, "errors": 0
    }
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    again = asked(fake) - before
    assert sum(again.values()) == 4 and max(again.values()) == 1
    untouched = await job_row(sessions, legacy)
    assert (untouched.status, untouched.progress, untouched.started_at) == ("running", 3, None)


# ---- stopping cleanly


async def test_a_spent_budget_stops_the_batch_and_a_resume_finishes_it(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 4)
    tight = settings_for(
        migrated_db, fake, llm_batch_concurrency=1, llm_daily_budget_usd=Decimal("0.000001")
    )
    job = await new_batch(sessions, tight)
    progress = Progress()

    stopped = await run_batch(sessions, job.id, settings=tight, on_progress=progress)

    assert (stopped.status, stopped.progress, stopped.errors) == ("failed", 1, 0)
    assert stopped.result_summary["stoppedBy"] == "BUDGET_EXCEEDED"
    assert "budget" in stopped.result_summary["message"]
    assert stopped.result_summary["unfinished"] == 3
    assert statuses(await items_of(sessions, job.id)) == {"done": 1, "pending": 3}
    assert progress.events[-1].status == "failed"
    assert len(fake.message_requests) == 1

    roomy = settings_for(migrated_db, fake, llm_batch_concurrency=1)
    final = await run_batch(sessions, job.id, settings=roomy)

    assert (final.status, final.progress, final.updated) == ("completed", 4, 4)
    assert final.result_summary == {"succeeded": 4, "failed": 0, "deleted": 0}
    assert await enrichments_per_coin(sessions) == Counter(coins.values())
    assert asked(fake) == Counter({name: 1 for name in coins})


async def test_without_an_api_key_the_batch_stops_and_nothing_is_written(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 3)
    job = await new_batch(sessions, settings_for(migrated_db, fake))

    final = await run_batch(
        sessions, job.id, settings=settings_for(migrated_db, fake, anthropic_api_key=None)
    )

    assert final.status == "failed"
    assert final.result_summary["stoppedBy"] == "LLM_UNAVAILABLE"
    assert "ANTHROPIC_API_KEY" in final.result_summary["message"]
    assert statuses(await items_of(sessions, job.id)) == {"pending": 3}
    assert fake.requests == []
    assert await enrichments_per_coin(sessions) == Counter()
    assert await usage_rows(sessions) == []


async def test_a_call_failing_after_the_sdk_retries_fails_only_its_coin(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    coins = await make_coins(sessions, 4)

    def overloaded_for_nero(body: dict[str, Any]) -> Any:
        if issuer_of(body) == "Caligula":
            return Error(529, retry_after_ms=1)
        return answer_by_tool(body)

    fake.respond_with(overloaded_for_nero)
    settings = settings_for(migrated_db, fake, llm_max_retries=2)
    job = await new_batch(sessions, settings)

    final = await run_batch(sessions, job.id, settings=settings)

    assert (final.status, final.progress, final.updated, final.errors) == ("completed", 4, 3, 1)
    assert asked(fake)["Caligula"] == 3  # the first try and the two configured retries
    (failed,) = [i for i in await items_of(sessions, job.id) if i.status == "failed"]
    assert failed.coin_id == coins["Caligula"]
    assert failed.enrichment_id is None
    assert "529" in (failed.error_message or "") and "after 2 retries" in failed.error_message
    assert coins["Caligula"] not in await enrichments_per_coin(sessions)
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (3, 1)


async def test_an_api_that_keeps_failing_stops_the_batch(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 8)
    fake.respond_with(lambda body: Error(500, message="upstream exploded"))
    settings = settings_for(migrated_db, fake, llm_batch_concurrency=1)
    job = await new_batch(sessions, settings)

    final = await run_batch(sessions, job.id, settings=settings)

    assert final.status == "failed"
    assert final.result_summary["stoppedBy"] == "LLM_UNAVAILABLE"
    assert "5 consecutive failed API calls" in final.result_summary["message"]
    assert statuses(await items_of(sessions, job.id)) == {"failed": 5, "pending": 3}
    assert await enrichments_per_coin(sessions) == Counter()
    (usage,) = await usage_rows(sessions)
    assert (usage.request_count, usage.error_count) == (0, 5)


async def test_a_coin_with_nothing_to_work_from_fails_alone(
    sessions: Sessions, fake: FakeAnthropic, migrated_db: str
) -> None:
    await make_coins(sessions, 2)
    blank = await add_coin(sessions, **CAESAR_ELEPHANT)  # no legends to expand
    settings = settings_for(migrated_db, fake)
    job = await start_batch(
        sessions, capability="legend_expand", criteria=None, settings=settings
    )

    final = await run_batch(sessions, job.id, settings=settings)

    assert (final.status, final.progress, final.updated, final.errors) == ("completed", 3, 2, 1)
    (failed,) = [i for i in await items_of(sessions, job.id) if i.status == "failed"]
    assert failed.coin_id == blank
    assert "no obverse legend or reverse legend" in (failed.error_message or "")
    assert len(fake.message_requests) == 2


def test_progress_channels_are_broker_identifiers() -> None:
    channel = progress_channel("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert channel == "enrichment_batch_0f8fad5bd9cb469fa16570867728950e"
