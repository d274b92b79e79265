"""LLM enrichments, feedback, prompt templates, usage and batch jobs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Parent
from strawberry.scalars import JSON

from coinstack_graphql.enrichment import models as e
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.model_fields import graphql_enum, model_type
from coinstack_graphql.graphql.core.relay import Node, to_global_id
from coinstack_graphql.graphql.enrichment import loaders as ld

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]


@model_type(e.LLMFeedback, name="EnrichmentFeedback", exclude=["enrichment_id"])
class EnrichmentFeedback(Node):
    pass


@model_type(e.PromptTemplate, name="PromptTemplate",
            description="A versioned prompt for one capability; variants split traffic by weight.")
class PromptTemplate(Node):
    pass


@model_type(e.LLMEnrichment, name="LLMEnrichment",
            exclude=["coin_id", "superseded_by", "prompt_template_id", "output_content"],
            description="One LLM answer about a coin, with its provenance, cost and review.")
class LLMEnrichment(Node):
    @strawberry.field(description="The validated output as JSON.")
    def output(self, root: Parent[e.LLMEnrichment]) -> JSON | None:
        try:
            return json.loads(root.output_content)
        except (TypeError, ValueError):
            return root.output_content

    @strawberry.field
    def output_content(self, root: Parent[e.LLMEnrichment]) -> str:
        return root.output_content

    @strawberry.field
    def superseded_by_id(self, root: Parent[e.LLMEnrichment]) -> strawberry.ID | None:
        if root.superseded_by is None:
            return None
        return strawberry.ID(to_global_id("LLMEnrichment", root.superseded_by))

    @strawberry.field
    async def coin(self, root: Parent[e.LLMEnrichment], info: Info) -> CoinT:
        from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

        return await info.context.loaders.get(CoinByIdLoader).load(root.coin_id)

    @strawberry.field
    async def prompt_template(
        self, root: Parent[e.LLMEnrichment], info: Info
    ) -> PromptTemplate | None:
        if root.prompt_template_id is None:
            return None
        return await info.context.loaders.get(ld.PromptTemplateByIdLoader).load(
            root.prompt_template_id
        )

    @strawberry.field
    async def feedback(self, root: Parent[e.LLMEnrichment], info: Info) -> list[EnrichmentFeedback]:
        return await info.context.loaders.get(ld.FeedbackByEnrichmentIdLoader).load(root.id)


@model_type(e.LLMUsageDaily, name="LLMUsageDay", node=False,
            description="One day of LLM use for one capability and model.")
class LLMUsageDay:
    pass


CapabilityEnum = graphql_enum(e.Capability)
EnrichmentBatchStatus = strawberry.enum(
    e.JobStatus,
    name="EnrichmentBatchStatus",
    description="Where a batch stands; FAILED means it stopped (see `message`) with its "
    "unfinished coins kept for a resume.",
)


@model_type(e.EnrichmentJob, name="EnrichmentBatch", exclude=["id"], node=False,
            description="A background enrichment batch and its progress.")
class EnrichmentBatch(Node):
    @strawberry.field
    def id(self, root: Parent[e.EnrichmentJob]) -> strawberry.ID:
        return strawberry.ID(to_global_id("EnrichmentBatch", root.id))

    @strawberry.field(description="The job's UUID.")
    def job_id(self, root: Parent[e.EnrichmentJob]) -> str:
        return root.id

    @strawberry.field
    def status(self, root: Parent[e.EnrichmentJob]) -> EnrichmentBatchStatus:  # type: ignore[valid-type]
        return e.JobStatus(root.status)

    @strawberry.field(description="What the batch asks of each coin.")
    def capability(self, root: Parent[e.EnrichmentJob]) -> CapabilityEnum | None:  # type: ignore[valid-type]
        return e.Capability(root.capability) if root.capability else None

    @strawberry.field(
        description="The Anthropic Message Batch id when the batch runs through the Message "
        "Batches API (the latest one)."
    )
    def batch_job_id(self, root: Parent[e.EnrichmentJob]) -> str | None:
        return root.batch_job_id

    @strawberry.field(description="Why the batch stopped, when it is FAILED.")
    def message(self, root: Parent[e.EnrichmentJob]) -> str | None:
        summary = root.result_summary
        if isinstance(summary, dict) and summary.get("message"):
            return str(summary["message"])
        return None
