"""Enrichment batches: a job row with one item per coin, worked through by claiming items.

`create_batch` writes the job and its items (one transaction); `run_batch` enriches them.
Each item is claimed in its own short transaction: on PostgreSQL `SELECT … FOR UPDATE
SKIP LOCKED` then an UPDATE, on SQLite one `UPDATE … WHERE id IN (SELECT … LIMIT n)
RETURNING` (writers are serialised by BEGIN IMMEDIATE). So several runners on one
database, in one process or many, never hold the same item. A claim is a lease: the
runner refreshes `claimed_at` while it works; an item whose lease ran out (its worker died)
is claimed again, and a runner that is cancelled hands its items back at once. Finished
items are never claimed again, so a batch resumes after a restart without redoing coins.

Items: pending → running → done | failed (and → submitted on the Message Batches path,
see batch_api.py). The job's counters move in the same transaction as the item, with
`SET progress = progress + 1`, and every change is reported through `on_progress`.

A spent budget, a missing API key, or an API that keeps failing stops the batch: the job
becomes `failed` with the reason in `result_summary`, its unfinished items stay pending,
and `run_batch` on it later resumes them. One coin's own failure (its call failed after
the SDK's retries, it has nothing to work from) fails that item and the batch goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from anthropic import AsyncAnthropic
from sqlalchemy import ColumnElement, String, and_, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.filters import CoinCriteria, coin_conditions
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.membership import load_smart_filters
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment.capabilities import get_capability
from coinstack_graphql.enrichment.client import LLMCallFailed, LLMUnavailable, build_client
from coinstack_graphql.enrichment.models import EnrichmentJob, EnrichmentJobItem, JobStatus
from coinstack_graphql.enrichment.prompts import capability_templates, choose_template
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.enrichment.usage import BudgetExceeded, check_budget
from coinstack_graphql.errors import DomainError, NotFound
from coinstack_graphql.settings import Settings

log = logging.getLogger(__name__)

Sessions = async_sessionmaker[AsyncSession]
Item = EnrichmentJobItem

PENDING, RUNNING, SUBMITTED, DONE, FAILED = "pending", "running", "submitted", "done", "failed"
UNFINISHED = (PENDING, RUNNING, SUBMITTED)
FINAL_JOB = (JobStatus.COMPLETED.value, JobStatus.CANCELLED.value)
LEASE_S = 120.0  # a claim not refreshed for this long belongs to a dead worker
MAX_API_FAILURES = 5  # consecutive failed coins after which the batch stops
NO_KEY = "LLM enrichment is not configured: set ANTHROPIC_API_KEY for the server"


@dataclass(frozen=True)
class BatchProgress:
    """What subscribers hear about a batch; `payload()` is the broker message."""

    job_id: str
    status: str
    total: int
    progress: int
    errors: int

    @classmethod
    def of(cls, job: EnrichmentJob) -> BatchProgress:
        return cls(job.id, job.status, job.total, job.progress, job.errors)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> BatchProgress:
        return cls(
            str(payload["jobId"]),
            str(payload["status"]),
            int(payload["total"]),
            int(payload["progress"]),
            int(payload["errors"]),
        )

    @property
    def finished(self) -> bool:
        return self.status in (*FINAL_JOB, JobStatus.FAILED.value)

    def payload(self) -> dict[str, Any]:
        return {
            "jobId": self.job_id,
            "status": self.status,
            "total": self.total,
            "progress": self.progress,
            "errors": self.errors,
        }


ProgressCallback = Callable[[BatchProgress], Awaitable[None]]


def progress_channel(job_id: str) -> str:
    """The broker channel of one batch (a job id is a UUID: 32 hex digits)."""
    return "enrichment_batch_" + uuid.UUID(job_id).hex


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# ---- creating a batch


async def create_batch(
    session: AsyncSession,
    *,
    capability: str,
    criteria: CoinCriteria | None,
    settings: Settings,
) -> EnrichmentJob:
    """A queued job with one pending item per coin the criteria match (in the caller's
    transaction). No match gives a completed job of total 0, not an error."""
    spec = get_capability(capability, field=["capability"])
    if not settings.anthropic_api_key:
        raise LLMUnavailable(NO_KEY)
    now = utcnow()
    await check_budget(session, settings, now.date())
    choose_template(await capability_templates(session, spec), 0)  # refuses when none is active
    criteria = criteria or CoinCriteria()
    smart = await load_smart_filters(session) if criteria.collection_ids else None
    conditions = coin_conditions(criteria, smart)
    job = EnrichmentJob(
        id=str(uuid.uuid4()),
        status=JobStatus.QUEUED.value,
        total=0,
        progress=0,
        updated=0,
        conflicts=0,
        not_found=0,
        errors=0,
        capability=spec.capability.value,
        coin_filter=criteria.to_json(),
        created_at=now,
    )
    session.add(job)
    await session.flush()
    coins = select(literal(job.id, String), Coin.id, literal(PENDING, String)).where(*conditions)
    await session.execute(
        insert(Item).from_select(["job_id", "coin_id", "status"], coins.order_by(Coin.id))
    )
    job.total = int(await session.scalar(select(func.count()).where(Item.job_id == job.id)) or 0)
    if job.total == 0:
        job.status = JobStatus.COMPLETED.value
        job.finished_at = now
        job.result_summary = {"succeeded": 0, "failed": 0, "deleted": 0}
    await session.flush()
    return job


async def start_batch(
    sessions: Sessions, *, capability: str, criteria: CoinCriteria | None, settings: Settings
) -> EnrichmentJob:
    """`create_batch` in its own transaction."""
    async with sessions() as session, session.begin():
        return await create_batch(
            session, capability=capability, criteria=criteria, settings=settings
        )


# ---- one runner's view of a job


class BatchRun:
    """The database side of one runner working on one job: claims, leases, counters."""

    def __init__(
        self,
        sessions: Sessions,
        job_id: str,
        *,
        settings: Settings,
        worker_id: str,
        on_progress: ProgressCallback | None,
        lease_s: float,
    ) -> None:
        self.sessions = sessions
        self.job_id = job_id
        self.settings = settings
        self.worker_id = worker_id[:100]
        self.on_progress = on_progress
        self.lease_s = lease_s
        self.wait_s = min(5.0, lease_s / 4)  # how often to look again while others work
        self.capability = ""
        self.stop_error: DomainError | None = None
        self.failures_in_a_row = 0

    @property
    def stopped(self) -> bool:
        return self.stop_error is not None

    def stop(self, error: DomainError) -> None:
        if self.stop_error is None:
            self.stop_error = error

    async def load(self) -> EnrichmentJob:
        async with self.sessions() as session:
            job = await session.get(EnrichmentJob, self.job_id)
        if job is None:
            raise NotFound(f"no enrichment batch {self.job_id}", field=["batch"])
        return job

    async def begin(self) -> EnrichmentJob | None:
        """Mark the job running; None when it is already finished (nothing to do)."""
        async with self.sessions() as session, session.begin():
            job = await session.get(EnrichmentJob, self.job_id)
            if job is None:
                raise NotFound(f"no enrichment batch {self.job_id}", field=["batch"])
            if job.capability is None:  # a V2.1 job: no items, nothing an LLM runner can do
                raise DomainError(
                    f"job {self.job_id} is not an LLM enrichment batch", field=["batch"]
                )
            self.capability = str(job.capability)
            resumable = (JobStatus.QUEUED.value, JobStatus.RUNNING.value, JobStatus.FAILED.value)
            result = await session.execute(
                update(EnrichmentJob)
                .where(EnrichmentJob.id == self.job_id, EnrichmentJob.status.in_(resumable))
                .values(
                    status=JobStatus.RUNNING.value,
                    started_at=func.coalesce(EnrichmentJob.started_at, utcnow()),
                    finished_at=None,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                return None
        job = await self.load()
        await self.report(BatchProgress.of(job))
        return job

    def _claimable(self) -> ColumnElement[bool]:
        stale = utcnow() - timedelta(seconds=self.lease_s)
        return and_(
            Item.job_id == self.job_id,
            or_(Item.status == PENDING, and_(Item.status == RUNNING, Item.claimed_at < stale)),
        )

    async def claim(self, limit: int) -> list[tuple[int, int]]:
        """Up to `limit` (item id, coin id) pairs now held by this runner."""
        claimed = {"status": RUNNING, "claimed_by": self.worker_id, "claimed_at": utcnow()}
        async with self.sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                rows = (
                    await session.execute(
                        select(Item.id, Item.coin_id)
                        .where(self._claimable())
                        .order_by(Item.id)
                        .limit(limit)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
                if rows:
                    await session.execute(
                        update(Item)
                        .where(Item.id.in_([r.id for r in rows]))
                        .values(**claimed)
                        .execution_options(synchronize_session=False)
                    )
            else:
                # BEGIN IMMEDIATE holds SQLite's write lock: no other writer runs between
                # the subquery and the update.
                ids = select(Item.id).where(self._claimable()).order_by(Item.id).limit(limit)
                rows = (
                    await session.execute(
                        update(Item)
                        .where(Item.id.in_(ids.scalar_subquery()), self._claimable())
                        .values(**claimed)
                        .returning(Item.id, Item.coin_id)
                        .execution_options(synchronize_session=False)
                    )
                ).all()
        return sorted((int(r.id), int(r.coin_id)) for r in rows)

    async def finish(
        self,
        item_id: int,
        *,
        enrichment_id: int | None = None,
        error: str | None = None,
        not_found: bool = False,
        held: str = RUNNING,
        session: AsyncSession | None = None,
    ) -> BatchProgress | None:
        """Record an item's outcome and move the job's counters, once; the job's progress
        then, or None when the item is not held here any more (its lease was taken over,
        or its coin was deleted). Report it once the transaction has committed."""
        if session is None:
            async with self.sessions() as own, own.begin():
                return await self.finish(
                    item_id,
                    enrichment_id=enrichment_id,
                    error=error,
                    not_found=not_found,
                    held=held,
                    session=own,
                )
        now = utcnow()
        mine = [Item.id == item_id, Item.status == held]
        if held == RUNNING:
            mine.append(Item.claimed_by == self.worker_id)
        result = await session.execute(
            update(Item)
            .where(*mine)
            .values(
                status=FAILED if error is not None else DONE,
                enrichment_id=enrichment_id,
                error_message=error[:2000] if error is not None else None,
                finished_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        failed = int(error is not None)
        row = (
            await session.execute(
                update(EnrichmentJob)
                .where(EnrichmentJob.id == self.job_id)
                .values(
                    progress=EnrichmentJob.progress + 1,
                    updated=EnrichmentJob.updated + (1 - failed),
                    errors=EnrichmentJob.errors + failed,
                    not_found=EnrichmentJob.not_found + int(not_found),
                )
                .returning(
                    EnrichmentJob.status,
                    EnrichmentJob.total,
                    EnrichmentJob.progress,
                    EnrichmentJob.errors,
                )
                .execution_options(synchronize_session=False)
            )
        ).one()
        return BatchProgress(self.job_id, *row)

    async def release(self, item_ids: list[int] | None = None) -> None:
        """Hand this runner's running items (or some of them) back to pending."""
        where = [
            Item.job_id == self.job_id,
            Item.claimed_by == self.worker_id,
            Item.status == RUNNING,
        ]
        if item_ids is not None:
            where.append(Item.id.in_(item_ids))
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Item)
                .where(*where)
                .values(status=PENDING, claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False)
            )

    async def heartbeat(self) -> None:
        """Keep this runner's claims fresh so nobody takes them over while it works."""
        while True:
            await asyncio.sleep(self.lease_s / 3)
            try:
                async with self.sessions() as session, session.begin():
                    await session.execute(
                        update(Item)
                        .where(
                            Item.job_id == self.job_id,
                            Item.claimed_by == self.worker_id,
                            Item.status == RUNNING,
                        )
                        .values(claimed_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
            except Exception:  # a missed beat only risks a takeover, which is handled
                log.warning("batch %s: could not refresh claims", self.job_id, exc_info=True)

    async def count(self, *statuses: str) -> int:
        async with self.sessions() as session:
            return int(
                await session.scalar(
                    select(func.count()).where(
                        Item.job_id == self.job_id, Item.status.in_(statuses)
                    )
                )
                or 0
            )

    async def conclude(self) -> EnrichmentJob:
        """Complete the job when no item is left, or fail it with the reason it stopped."""
        now = utcnow()
        async with self.sessions() as session, session.begin():
            rows = await session.execute(
                select(Item.status, func.count())
                .where(Item.job_id == self.job_id)
                .group_by(Item.status)
            )
            counts = {str(status): int(n) for status, n in rows.tuples().all()}
            left = sum(counts.get(s, 0) for s in UNFINISHED)
            if self.stop_error is not None:
                values: dict[str, Any] = {
                    "status": JobStatus.FAILED.value,
                    "result_summary": {
                        "stoppedBy": self.stop_error.code,
                        "message": self.stop_error.message,
                        "unfinished": left,
                    },
                }
            elif left == 0:
                total = await session.scalar(
                    select(EnrichmentJob.total).where(EnrichmentJob.id == self.job_id)
                )
                done, failed = counts.get(DONE, 0), counts.get(FAILED, 0)
                deleted = max(0, int(total or 0) - done - failed)  # their items cascaded away
                values = {
                    "status": JobStatus.COMPLETED.value,
                    "progress": done + failed + deleted,
                    "updated": done,
                    "errors": failed,
                    "not_found": deleted,
                    "result_summary": {"succeeded": done, "failed": failed, "deleted": deleted},
                }
            else:
                values = {}
            changed = False
            if values:
                result = await session.execute(
                    update(EnrichmentJob)
                    .where(
                        EnrichmentJob.id == self.job_id,
                        EnrichmentJob.status == JobStatus.RUNNING.value,
                    )
                    .values(finished_at=now, **values)
                    .execution_options(synchronize_session=False)
                )
                changed = result.rowcount == 1  # type: ignore[attr-defined]
        job = await self.load()
        if changed:
            await self.report(BatchProgress.of(job))
        return job

    async def report(self, progress: BatchProgress | None) -> None:
        if self.on_progress is None or progress is None:
            return
        try:
            await self.on_progress(progress)
        except Exception:  # subscribers missing an event must not stop the batch
            log.warning("batch %s: progress report failed", self.job_id, exc_info=True)


# ---- running a batch


async def run_batch(
    sessions: Sessions,
    job_id: str,
    *,
    settings: Settings,
    worker_id: str | None = None,
    client: AsyncAnthropic | None = None,
    on_progress: ProgressCallback | None = None,
    lease_s: float = LEASE_S,
    poll_s: float | None = None,
) -> EnrichmentJob:
    """Work on a job until no item is left (or it stops); returns the job as it ends.

    Several runners may work on one job at once. With `settings.llm_use_batches_api` the
    pending items go to the Message Batches API (`poll_s` between status checks) instead.
    """
    run = BatchRun(
        sessions,
        job_id,
        settings=settings,
        worker_id=worker_id or new_worker_id(),
        on_progress=on_progress,
        lease_s=lease_s,
    )
    if await run.begin() is None:
        return await run.load()
    try:
        api = client or build_client(settings)
    except LLMUnavailable as exc:
        run.stop(exc)
        return await run.conclude()
    beat = asyncio.create_task(run.heartbeat(), name=f"batch-heartbeat-{job_id}")
    try:
        # Deferred import: batch_api builds on this module.
        from coinstack_graphql.enrichment import batch_api

        if settings.llm_use_batches_api or await run.count(SUBMITTED):
            await batch_api.drive(run, api, submit=settings.llm_use_batches_api, poll_s=poll_s)
        if not settings.llm_use_batches_api:
            await _drive_messages(run, api)
        return await run.conclude()
    except BaseException:
        # Cancelled (server shutdown) or broken: hand the claims back so another runner, or
        # this server after a restart, picks them up at once instead of after the lease.
        await asyncio.shield(_release_quietly(run))
        raise
    finally:
        beat.cancel()
        if client is None:
            await api.close()


async def _release_quietly(run: BatchRun) -> None:
    try:
        await run.release()
    except Exception:
        log.warning("batch %s: could not release claims", run.job_id, exc_info=True)


async def _drive_messages(run: BatchRun, api: AsyncAnthropic) -> None:
    """`llm_batch_concurrency` workers claim and enrich one coin at a time."""
    concurrency = max(1, run.settings.llm_batch_concurrency)

    async def worker() -> None:
        while not run.stopped:
            claimed = await run.claim(1)
            if not claimed:
                return
            item_id, coin_id = claimed[0]
            await _enrich_item(run, api, item_id, coin_id)

    while not run.stopped:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
        if run.stopped or await run.count(*UNFINISHED) == 0:
            return
        # Items held by other runners: wait for them, or for their leases to run out.
        await asyncio.sleep(run.wait_s)


async def _enrich_item(run: BatchRun, api: AsyncAnthropic, item_id: int, coin_id: int) -> None:
    try:
        result = await enrich_coin(
            run.sessions,
            coin_id,
            run.capability,
            settings=run.settings,
            client=api,
            batch_job_id=run.job_id,
        )
    except LLMCallFailed as exc:  # enrich_coin counted it as a usage error
        await run.report(await run.finish(item_id, error=exc.message))
        run.failures_in_a_row += 1
        if run.failures_in_a_row >= MAX_API_FAILURES:
            run.stop(
                LLMUnavailable(
                    f"stopped after {run.failures_in_a_row} consecutive failed API calls; "
                    f"the last one: {exc.message}"
                )
            )
    except (BudgetExceeded, LLMUnavailable) as exc:  # nothing was asked: the coin waits
        await run.release([item_id])
        run.stop(exc)
    except DomainError as exc:
        not_found = isinstance(exc, NotFound)
        await run.report(await run.finish(item_id, error=exc.message, not_found=not_found))
    except Exception as exc:  # a bug: fail the coin, and stop if every coin hits it
        log.exception("batch %s: enriching coin %s failed", run.job_id, coin_id)
        error = f"internal error ({type(exc).__name__}); see the server log"
        await run.report(await run.finish(item_id, error=error))
        run.failures_in_a_row += 1
        if run.failures_in_a_row >= MAX_API_FAILURES:
            run.stop(
                DomainError(
                    f"stopped after {run.failures_in_a_row} consecutive failures; the last one: "
                    f"{error}",
                    code="INTERNAL_ERROR",
                )
            )
    else:
        run.failures_in_a_row = 0
        await run.report(await run.finish(item_id, enrichment_id=result.enrichment.id))


# ---- background runners of a server


def publisher(broker: Any) -> ProgressCallback:
    """Publish progress on the batch's broker channel."""

    async def publish(progress: BatchProgress) -> None:
        await broker.publish(progress_channel(progress.job_id), progress.payload())

    return publish


def _track(services: MutableMapping[str, Any], task: asyncio.Task[Any]) -> None:
    """Keep `task` in services["background_tasks"] (cancelled on shutdown) while it runs."""
    tasks = services.setdefault("background_tasks", set())
    if isinstance(tasks, set):
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    else:
        tasks.append(task)
        task.add_done_callback(lambda done: done in tasks and tasks.remove(done))


def launch_batch(
    services: MutableMapping[str, Any], sessions: Sessions, job_id: str, settings: Settings
) -> asyncio.Task[Any]:
    """Run a batch as a background task of the server; one task per job per process."""
    name = f"enrichment-batch-{job_id}"
    for task in list(services.get("background_tasks", ())):
        if task.get_name() == name and not task.done():
            return task
    broker = services.get("broker")
    on_progress = publisher(broker) if broker is not None else None
    task = asyncio.create_task(_run_logged(sessions, job_id, settings, on_progress), name=name)
    _track(services, task)
    return task


def spawn_resume(
    services: MutableMapping[str, Any], sessions: Sessions, settings: Settings
) -> asyncio.Task[Any]:
    """At server start: resume unfinished batches in a background task."""
    task = asyncio.create_task(
        resume_unfinished_batches(services, sessions, settings), name="resume-enrichment-batches"
    )
    _track(services, task)
    return task


async def _run_logged(
    sessions: Sessions, job_id: str, settings: Settings, on_progress: ProgressCallback | None
) -> None:
    try:
        await run_batch(sessions, job_id, settings=settings, on_progress=on_progress)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("enrichment batch %s stopped by an internal error", job_id)


async def resume_unfinished_batches(
    services: MutableMapping[str, Any], sessions: Sessions, settings: Settings
) -> None:
    """Launch a runner for every queued or running job (run at server start)."""
    try:
        async with sessions() as session:
            ids = (
                await session.scalars(
                    select(EnrichmentJob.id)
                    .where(
                        EnrichmentJob.status.in_((JobStatus.QUEUED.value, JobStatus.RUNNING.value)),
                        EnrichmentJob.capability.is_not(None),  # V2.1 jobs are not ours to run
                    )
                    .order_by(EnrichmentJob.created_at)
                )
            ).all()
    except Exception:  # an unmigrated or unreachable database: healthz reports it
        log.warning("could not look for unfinished enrichment batches", exc_info=True)
        return
    for job_id in ids:
        log.info("resuming enrichment batch %s", job_id)
        launch_batch(services, sessions, job_id, settings)
