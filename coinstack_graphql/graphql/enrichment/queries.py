"""Root queries: `promptTemplates`, `enrichmentReviewQueue`, `llmUsage`, batches."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy import select

from coinstack_graphql.enrichment import models as e
from coinstack_graphql.graphql.coins.types import CapabilityEnum
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.enrichment.inputs import decode_batch_id
from coinstack_graphql.graphql.enrichment.types import (
    EnrichmentBatch,
    EnrichmentBatchStatus,
    LLMEnrichment,
    LLMUsageDay,
    PromptTemplate,
)


@strawberry.type
class EnrichmentQuery:
    @strawberry.field(description="Prompt templates by capability, version and variant.")
    async def prompt_templates(
        self,
        info: Info,
        capability: CapabilityEnum | None = None,  # type: ignore[valid-type]
        active_only: bool = False,
    ) -> list[PromptTemplate]:
        stmt = select(e.PromptTemplate).order_by(
            e.PromptTemplate.capability, e.PromptTemplate.version.desc(),
            e.PromptTemplate.variant_name,
        )
        if capability is not None:
            stmt = stmt.where(e.PromptTemplate.capability == capability)
        if active_only:
            stmt = stmt.where(e.PromptTemplate.is_active.is_(True))
        async with info.context.sessions() as session:
            return list((await session.execute(stmt)).scalars())

    @strawberry.field(description="Enrichments waiting for review, oldest first.")
    async def enrichment_review_queue(
        self,
        info: Info,
        capability: CapabilityEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[LLMEnrichment]:
        stmt = select(e.LLMEnrichment).where(
            e.LLMEnrichment.review_status == e.ReviewStatus.PENDING,
            e.LLMEnrichment.superseded_by.is_(None),
        )
        if capability is not None:
            stmt = stmt.where(e.LLMEnrichment.capability == capability)
        keys = [SortKey(e.LLMEnrichment.id)]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

    @strawberry.field(description="Daily LLM usage (requests, tokens, cost) in a date range.")
    async def llm_usage(
        self,
        info: Info,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        capability: CapabilityEnum | None = None,  # type: ignore[valid-type]
    ) -> list[LLMUsageDay]:
        stmt = select(e.LLMUsageDaily).order_by(
            e.LLMUsageDaily.date, e.LLMUsageDaily.capability, e.LLMUsageDaily.model_id
        )
        if from_ is not None:
            stmt = stmt.where(e.LLMUsageDaily.date >= from_.isoformat())
        if to is not None:
            stmt = stmt.where(e.LLMUsageDaily.date <= to.isoformat())
        if capability is not None:
            stmt = stmt.where(e.LLMUsageDaily.capability == capability.value)
        async with info.context.sessions() as session:
            return list((await session.execute(stmt.limit(1000))).scalars())

    @strawberry.field(description="One enrichment batch by its global ID.")
    async def enrichment_batch(self, info: Info, id: strawberry.ID) -> EnrichmentBatch | None:
        job_id = decode_batch_id(id, argument="id")
        async with info.context.sessions() as session:
            job: Any = await session.get(e.EnrichmentJob, job_id)
        return job

    @strawberry.field(description="Enrichment batches, newest first.")
    async def enrichment_batches(
        self,
        info: Info,
        status: EnrichmentBatchStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[EnrichmentBatch]:
        stmt = select(e.EnrichmentJob)
        if status is not None:
            stmt = stmt.where(e.EnrichmentJob.status == status.value)
        job: Any = e.EnrichmentJob  # columns as expressions for SortKey
        keys = [
            SortKey(job.created_at, descending=True, nullable=True),
            SortKey(job.id, descending=True),
        ]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)
