"""The Message Batches path of an enrichment batch (`settings.llm_use_batches_api`).

The runner claims the pending items, prepares each coin's request as the synchronous path
would (`prepare_enrichment`; a cached answer finishes its item at once) and submits them
as one Message Batch, each line's `custom_id` being "<item id>-<input hash prefix>". One
transaction then puts the Message Batch id on the job (`batch_job_id`) and moves the items
to `submitted`: from there a restarted server polls that Message Batch instead of
submitting again. A job has at most one Message Batch outstanding.

Once it has ended, each result is stored through the synchronous path's pieces
(`read_reply`, `store_enrichment`, `record_usage`) in one transaction with its item's move
from submitted to done, so a result is stored once even when two runners collect it. An
answer about an earlier state of the coin (or of its prompt) is paid for but not stored:
its item goes back to pending and is asked again, as are expired requests. Message Batch
calls are billed at half the list price, and recorded so.

The one window for a double submission is a crash after the API accepted a Message Batch
and before its id was committed; the items' leases then run out and they are sent again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from decimal import Decimal
from typing import Any

import anthropic
from anthropic import AsyncAnthropic
from sqlalchemy import func, select, update

from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment.batches import (
    PENDING,
    RUNNING,
    SUBMITTED,
    UNFINISHED,
    BatchProgress,
    BatchRun,
    Item,
)
from coinstack_graphql.enrichment.client import LLMUnavailable, read_reply
from coinstack_graphql.enrichment.models import EnrichmentJob
from coinstack_graphql.enrichment.service import (
    find_cached,
    prepare_enrichment,
    store_enrichment,
)
from coinstack_graphql.enrichment.usage import (
    COST_QUANTUM,
    BudgetExceeded,
    UsageDelta,
    check_budget,
    record_usage,
)
from coinstack_graphql.errors import DomainError, NotFound

log = logging.getLogger(__name__)

POLL_S = 30.0
BATCH_PRICE = Decimal("0.5")  # Message Batches cost half the Messages API list price
MAX_LINES = 10_000  # per Message Batch (the API takes 100,000)
MAX_BYTES = 200 * 1024 * 1024  # of request params per Message Batch (the API takes 256 MB)
HASH_CHARS = 32  # of the input hash in a custom_id (at most 64 characters in all)


async def drive(run: BatchRun, api: AsyncAnthropic, *, submit: bool, poll_s: float | None) -> None:
    """Collect the job's outstanding Message Batch; with `submit`, send pending items in
    new ones until none is left."""
    poll = POLL_S if poll_s is None else poll_s
    while not run.stopped:
        await collect(run, api, poll)
        if run.stopped or not submit:
            return
        claimed = await run.claim(MAX_LINES)
        if claimed:
            await submit_items(run, api, claimed)
            continue
        if await run.count(*UNFINISHED) == 0:
            return
        await asyncio.sleep(run.wait_s)  # another runner holds items


def _limited(run: BatchRun, api: AsyncAnthropic) -> AsyncAnthropic:
    return api.with_options(
        max_retries=run.settings.llm_max_retries, timeout=run.settings.llm_timeout_s
    )


def _describe(exc: anthropic.AnthropicError) -> str:
    if isinstance(exc, anthropic.APIStatusError):
        return f"{exc.status_code}: {exc.message}"
    return str(getattr(exc, "message", exc))


async def _record_usage(run: BatchRun, delta: UsageDelta) -> None:
    async with run.sessions() as session, session.begin():
        await record_usage(session, utcnow().date(), run.capability, run.settings.llm_model, delta)


# ---- submitting


async def submit_items(run: BatchRun, api: AsyncAnthropic, claimed: list[tuple[int, int]]) -> None:
    """Prepare the claimed items and send those without a cached answer as a Message Batch."""
    lines: list[dict[str, Any]] = []
    sent: list[int] = []
    size = 0
    for index, (item_id, coin_id) in enumerate(claimed):
        if size >= MAX_BYTES:
            await run.release([i for i, _ in claimed[index:]])
            break
        try:
            prepared = await prepare_enrichment(run.sessions, coin_id, run.capability)
        except DomainError as exc:
            not_found = isinstance(exc, NotFound)
            await run.report(await run.finish(item_id, error=exc.message, not_found=not_found))
            continue
        async with run.sessions() as session, session.begin():
            cached = await find_cached(session, prepared)
            if cached is not None:
                await record_usage(
                    session,
                    utcnow().date(),
                    prepared.spec.capability,
                    cached.model_id,
                    UsageDelta(cache_hits=1),
                )
        if cached is not None:
            await run.report(await run.finish(item_id, enrichment_id=cached.id))
            continue
        params = prepared.params(run.settings.llm_model)
        lines.append(
            {"custom_id": f"{item_id}-{prepared.input_hash[:HASH_CHARS]}", "params": params}
        )
        sent.append(item_id)
        size += len(json.dumps(params))
    if not lines:
        return
    try:
        async with run.sessions() as session, session.begin():
            await check_budget(session, run.settings, utcnow().date())
    except BudgetExceeded as exc:
        await run.release(sent)
        run.stop(exc)
        return
    try:
        batch = await _limited(run, api).messages.batches.create(requests=lines)  # type: ignore[arg-type]
    except anthropic.AnthropicError as exc:
        await _record_usage(run, UsageDelta(errors=1))
        await run.release(sent)
        run.stop(
            LLMUnavailable(f"the Anthropic API did not take the Message Batch ({_describe(exc)})")
        )
        return
    if not await _record_submission(run, batch.id, sent):
        # Another runner's Message Batch is outstanding: withdraw ours, its items wait.
        try:
            await _limited(run, api).messages.batches.cancel(batch.id)
        except anthropic.AnthropicError:
            log.warning("batch %s: could not cancel Message Batch %s", run.job_id, batch.id)
        await run.release(sent)
        return
    await run.report(BatchProgress.of(await run.load()))


async def _record_submission(run: BatchRun, batch_id: str, item_ids: list[int]) -> bool:
    """Put the Message Batch on the job and its items in `submitted`, unless the job has
    another one outstanding."""
    async with run.sessions() as session, session.begin():
        lock = select(EnrichmentJob.id).where(EnrichmentJob.id == run.job_id)
        if session.get_bind().dialect.name == "postgresql":
            lock = lock.with_for_update()  # serialises the runners recording for this job
        await session.execute(lock)
        outstanding = await session.scalar(
            select(func.count()).where(Item.job_id == run.job_id, Item.status == SUBMITTED)
        )
        if outstanding:
            return False
        await session.execute(
            update(EnrichmentJob)
            .where(EnrichmentJob.id == run.job_id)
            .values(batch_job_id=batch_id)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(Item)
            .where(Item.id.in_(item_ids), Item.claimed_by == run.worker_id, Item.status == RUNNING)
            .values(status=SUBMITTED)
            .execution_options(synchronize_session=False)
        )
    return True


# ---- collecting


async def collect(run: BatchRun, api: AsyncAnthropic, poll_s: float) -> None:
    """Wait for the job's outstanding Message Batch to end and store its results."""
    job = await run.load()
    if job.batch_job_id is None or not await run.count(SUBMITTED):
        return
    batch_id = job.batch_job_id
    client = _limited(run, api)
    try:
        while True:
            batch = await client.messages.batches.retrieve(batch_id)
            if batch.processing_status == "ended":
                break
            await asyncio.sleep(poll_s)
        results = await client.messages.batches.results(batch_id)
        try:
            async for line in results:
                await _store_line(run, line)
        finally:
            await results.close()
    except anthropic.NotFoundError:
        log.warning("batch %s: Message Batch %s is gone; asking again", run.job_id, batch_id)
    except anthropic.AnthropicError as exc:
        # Items stay submitted: a later run polls the same Message Batch again.
        run.stop(LLMUnavailable(f"cannot read Message Batch {batch_id} ({_describe(exc)})"))
        return
    # Requests the results did not cover (or a vanished batch): ask again.
    await _requeue(run, None)


async def _requeue(run: BatchRun, item_id: int | None, delta: UsageDelta | None = None) -> None:
    """Submitted items (all, or one) back to pending; `delta` is usage to record with it."""
    where = [Item.job_id == run.job_id, Item.status == SUBMITTED]
    if item_id is not None:
        where.append(Item.id == item_id)
    async with run.sessions() as session, session.begin():
        moved = await session.execute(
            update(Item)
            .where(*where)
            .values(status=PENDING, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        if delta is not None and moved.rowcount:  # type: ignore[attr-defined]
            await record_usage(
                session, utcnow().date(), run.capability, run.settings.llm_model, delta
            )


async def _store_line(run: BatchRun, line: Any) -> None:
    """Store one result line, once, through the synchronous path's pieces."""
    head, _, digest = str(line.custom_id).partition("-")
    if not head.isdigit():
        log.warning("batch %s: unexpected custom_id %r", run.job_id, line.custom_id)
        return
    item_id = int(head)
    async with run.sessions() as session:
        row = (
            await session.execute(
                select(Item.coin_id, Item.status).where(
                    Item.id == item_id, Item.job_id == run.job_id
                )
            )
        ).first()
    if row is None or row.status != SUBMITTED:
        return  # stored by another runner already, or the coin was deleted
    result = line.result
    if result.type == "expired":
        await _requeue(run, item_id)
        return
    if result.type != "succeeded":
        error = f"the Message Batch was {result.type} before this request ran"
        usage = None
        if result.type == "errored":
            detail = result.error.error
            error = (
                f"the Anthropic API refused this request in the Message Batch "
                f"({getattr(detail, 'type', 'error')}): {getattr(detail, 'message', '')}"
            )
            usage = UsageDelta(errors=1)
        async with run.sessions() as session, session.begin():
            progress = await run.finish(item_id, error=error, held=SUBMITTED, session=session)
            if progress is not None and usage is not None:
                await record_usage(
                    session, utcnow().date(), run.capability, run.settings.llm_model, usage
                )
        await run.report(progress)
        return
    try:
        prepared = await prepare_enrichment(run.sessions, row.coin_id, run.capability)
    except DomainError as exc:
        async with run.sessions() as session, session.begin():
            progress = await run.finish(
                item_id,
                error=exc.message,
                not_found=isinstance(exc, NotFound),
                held=SUBMITTED,
                session=session,
            )
        await run.report(progress)
        return
    reading = read_reply(prepared.spec, prepared.template, result.message, settings=run.settings)
    reading = replace(reading, cost_usd=(reading.cost_usd * BATCH_PRICE).quantize(COST_QUANTUM))
    if not prepared.input_hash.startswith(digest):
        await _requeue(run, item_id, reading.usage())  # paid for, but about another input
        return
    async with run.sessions() as session, session.begin():
        # The item moves first: its row lock makes a second collector wait, then skip.
        progress = await run.finish(item_id, held=SUBMITTED, session=session)
        if progress is None:
            return
        stored = await store_enrichment(
            session, prepared, reading, settings=run.settings, batch_job_id=run.job_id
        )
        await session.execute(
            update(Item)
            .where(Item.id == item_id)
            .values(enrichment_id=stored.id)
            .execution_options(synchronize_session=False)
        )
        await record_usage(
            session,
            utcnow().date(),
            prepared.spec.capability,
            run.settings.llm_model,
            reading.usage(),
        )
    await run.report(progress)
