"""`enrichmentBatchProgress`: a batch's counters as its runners move them, to completion.

The first event is the batch as it is when the subscription starts; then one per change
that any runner (on any worker sharing the database) publishes. Broker delivery is at
most once, so while no event arrives the batch row is re-read every REFRESH_S seconds:
a subscriber never waits forever for a final event it missed. The stream ends with the
batch (COMPLETED, FAILED or CANCELLED).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import strawberry

from coinstack_graphql.enrichment import models as e
from coinstack_graphql.enrichment.batches import BatchProgress, progress_channel
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.enrichment.inputs import decode_batch_id
from coinstack_graphql.graphql.enrichment.types import EnrichmentBatch, EnrichmentBatchStatus

REFRESH_S = 15.0


@strawberry.type(description="A batch's counters at one moment.")
class EnrichmentBatchProgress:
    job_id: strawberry.Private[str]
    status: EnrichmentBatchStatus  # type: ignore[valid-type]
    total: int
    progress: int = strawberry.field(description="Coins finished (enriched or failed).")
    errors: int

    @strawberry.field(description="The batch as it is now.")
    async def batch(self, info: Info) -> EnrichmentBatch | None:
        # Not a DataLoader: one context serves the whole connection and would keep
        # showing the row as it was at the first event.
        async with info.context.sessions() as session:
            job: Any = await session.get(e.EnrichmentJob, self.job_id)
        return job

    @classmethod
    def of(cls, progress: BatchProgress) -> EnrichmentBatchProgress:
        return cls(
            job_id=progress.job_id,
            status=e.JobStatus(progress.status),
            total=progress.total,
            progress=progress.progress,
            errors=progress.errors,
        )


async def _current(info: Info, job_id: str) -> BatchProgress | None:
    async with info.context.sessions() as session:
        job = await session.get(e.EnrichmentJob, job_id)
    return BatchProgress.of(job) if job is not None else None


@strawberry.type
class EnrichmentSubscription:
    @strawberry.subscription(
        description="Progress of an enrichment batch: its state now, then each change, "
        "until it ends."
    )
    async def enrichment_batch_progress(
        self, info: Info, batch: strawberry.ID
    ) -> AsyncGenerator[EnrichmentBatchProgress, None]:
        job_id = decode_batch_id(batch, argument="batch")
        broker = info.context.services["broker"]
        # Subscribe before reading the row, so no change falls between the two.
        async with broker.subscribe(progress_channel(job_id)) as messages:
            current = await _current(info, job_id)
            if current is None:
                raise bad_request(f"no enrichment batch with id {batch}", code="NOT_FOUND")
            yield EnrichmentBatchProgress.of(current)
            while not current.finished:
                try:
                    update: BatchProgress | None = BatchProgress.from_payload(
                        await asyncio.wait_for(anext(messages), REFRESH_S)
                    )
                except TimeoutError:
                    update = await _current(info, job_id)
                except StopAsyncIteration:  # the broker closed (server shutting down)
                    return
                if update is None:
                    return
                same = (update.status, update.progress, update.errors) == (
                    current.status, current.progress, current.errors
                )
                overtaken = update.status == current.status and update.progress < current.progress
                if same or overtaken:
                    continue
                current = update
                yield EnrichmentBatchProgress.of(current)
