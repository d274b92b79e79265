"""Mutations of LLM enrichment: enrich a coin, run batches, review, feedback, prompts.

`enrichCoin` does not run in one transaction: `enrich_coin` opens its own short ones so no
database transaction is held open while the model is asked. `startEnrichmentBatch` writes
the job in the mutation's transaction and starts its runner once that has committed.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import strawberry
from sqlalchemy.exc import IntegrityError
from strawberry.scalars import JSON

from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment import batches, prompts, review, service
from coinstack_graphql.enrichment import models as e
from coinstack_graphql.enrichment.client import LLMUnavailable
from coinstack_graphql.enrichment.usage import check_budget
from coinstack_graphql.errors import Conflict, DomainError, NotFound
from coinstack_graphql.graphql.coins.types import Coin
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError, user_error
from coinstack_graphql.graphql.core.model_inputs import changes_of
from coinstack_graphql.graphql.core.mutations import Transaction, run_in_transaction
from coinstack_graphql.graphql.core.node_registry import by_id_loader
from coinstack_graphql.graphql.core.payloads import reload_coin as _coin
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.core.stats import refresh_stats_after_coin_write
from coinstack_graphql.graphql.enrichment.inputs import (
    AddEnrichmentFeedbackInput,
    CreatePromptTemplateInput,
    EnrichCoinInput,
    ResumeEnrichmentBatchInput,
    ReviewEnrichmentInput,
    StartEnrichmentBatchInput,
    UpdatePromptTemplateInput,
    decode_batch_id,
)
from coinstack_graphql.graphql.enrichment.types import (
    EnrichmentBatch,
    EnrichmentFeedback,
    LLMEnrichment,
    PromptTemplate,
)

logger = logging.getLogger(__name__)


@strawberry.type
class EnrichCoinPayload:
    enrichment: LLMEnrichment | None = None
    cached: bool | None = strawberry.field(
        default=None, description="True when an earlier answer to the same input was served."
    )
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnrichmentBatchPayload:
    batch: EnrichmentBatch | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReviewEnrichmentPayload:
    enrichment: LLMEnrichment | None = None
    coin: Coin | None = None
    applied_changes: JSON | None = strawberry.field(
        default=None, description="Coin fields the review changed (column: new value)."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddEnrichmentFeedbackPayload:
    feedback: EnrichmentFeedback | None = None
    enrichment: LLMEnrichment | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PromptTemplatePayload:
    prompt_template: PromptTemplate | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)



def _launch(info: Info, job_id: str) -> Any:
    async def launch() -> None:
        assert info.context.write_sessions is not None
        batches.launch_batch(
            info.context.services, info.context.write_sessions, job_id, info.context.settings
        )

    return launch


@strawberry.type
class EnrichmentMutation:
    @strawberry.mutation(
        description="Ask the model about one coin (or serve the cached answer to the same "
        "input). The answer waits for review; nothing reaches the coin until approved."
    )
    async def enrich_coin(self, info: Info, input: EnrichCoinInput) -> EnrichCoinPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        assert info.context.write_sessions is not None
        try:
            result = await service.enrich_coin(
                info.context.write_sessions,
                coin_id,
                input.capability,
                settings=info.context.settings,
            )
        except DomainError as exc:
            errors = remap_paths([user_error(exc)], {"coinId": ["coin"]})
            return EnrichCoinPayload(user_errors=errors)
        except IntegrityError as exc:  # a race the service's twin check did not catch
            logger.info("enrichCoin refused by a database constraint: %s", exc.orig)
            conflict = Conflict("a concurrent enrichment of this coin conflicts; try again")
            return EnrichCoinPayload(user_errors=[user_error(conflict)])
        info.context.reset_loaders()
        enrichment: Any = result.enrichment
        return EnrichCoinPayload(
            enrichment=enrichment, cached=result.cached, coin=await _coin(info, coin_id)
        )

    @strawberry.mutation(
        description="Enrich every coin the filter matches, in the background; follow it with "
        "enrichmentBatchProgress or the batch's counters."
    )
    async def start_enrichment_batch(
        self, info: Info, input: StartEnrichmentBatchInput
    ) -> EnrichmentBatchPayload:
        criteria = input.filter.to_criteria() if input.filter is not None else None

        async def work(tx: Transaction) -> e.EnrichmentJob:
            job = await batches.create_batch(
                tx.session,
                capability=input.capability,
                criteria=criteria,
                settings=info.context.settings,
            )
            if job.status == e.JobStatus.QUEUED.value:
                tx.after_commit(_launch(info, job.id))
            return job

        out = await run_in_transaction(info, work)
        return EnrichmentBatchPayload(batch=out.value, user_errors=out.errors)

    @strawberry.mutation(
        description="Run a FAILED (stopped) batch again: its unfinished coins are enriched, "
        "finished ones are not redone."
    )
    async def resume_enrichment_batch(
        self, info: Info, input: ResumeEnrichmentBatchInput
    ) -> EnrichmentBatchPayload:
        job_id = decode_batch_id(input.batch, argument="input.batch")

        async def work(tx: Transaction) -> e.EnrichmentJob:
            job = await tx.session.get(e.EnrichmentJob, job_id)
            if job is None or job.capability is None:  # V2.1 jobs are not LLM batches
                raise NotFound(f"no enrichment batch {job_id}", field=["batch"])
            if job.status == e.JobStatus.COMPLETED.value:
                raise Conflict("the batch is already completed", field=["batch"])
            if not info.context.settings.anthropic_api_key:
                raise LLMUnavailable(batches.NO_KEY)
            await check_budget(tx.session, info.context.settings, utcnow().date())
            if job.status == e.JobStatus.FAILED.value:  # queued again until a runner takes it
                job.status = e.JobStatus.QUEUED.value
                job.result_summary = None
                job.finished_at = None
            tx.after_commit(_launch(info, job.id))
            return job

        out = await run_in_transaction(info, work)
        return EnrichmentBatchPayload(batch=out.value, user_errors=out.errors)

    @strawberry.mutation(
        description="Approve (apply to the coin, with field history), reject, or revise "
        "(apply corrected output) an enrichment."
    )
    async def review_enrichment(
        self, info: Info, input: ReviewEnrichmentInput
    ) -> ReviewEnrichmentPayload:
        enrichment_id = decode_id(input.enrichment, "LLMEnrichment", argument="input.enrichment")

        async def work(tx: Transaction) -> review.ReviewOutcome:
            outcome = await review.review_enrichment(
                tx.session,
                enrichment_id,
                input.action,
                reviewer=info.context.principal.name,
                notes=input.notes,
                revised_output=cast(dict[str, Any] | None, input.revised_output),
            )
            if outcome.coin_changes or outcome.reference_ids:
                # An approval edits the coin like updateCoin does: smart collections recount.
                await refresh_stats_after_coin_write(tx.session)
            return outcome

        out = await run_in_transaction(info, work)
        errors = remap_paths(out.errors, {"enrichmentId": ["enrichment"]})
        if not out.ok:
            return ReviewEnrichmentPayload(user_errors=errors)
        outcome: Any = out.value
        return ReviewEnrichmentPayload(
            enrichment=outcome.enrichment,
            coin=await _coin(info, outcome.enrichment.coin_id),
            applied_changes=outcome.coin_changes,
        )

    @strawberry.mutation(description="Record a reviewer's verdict on (a field of) an answer.")
    async def add_enrichment_feedback(
        self, info: Info, input: AddEnrichmentFeedbackInput
    ) -> AddEnrichmentFeedbackPayload:
        enrichment_id = decode_id(input.enrichment, "LLMEnrichment", argument="input.enrichment")

        async def work(tx: Transaction) -> e.LLMFeedback:
            return await review.add_enrichment_feedback(
                tx.session,
                enrichment_id,
                input.feedback_type,
                input.field_path,
                input.original_value,
                input.corrected_value,
                input.notes,
                user_id=info.context.principal.name,
            )

        out = await run_in_transaction(info, work)
        errors = remap_paths(out.errors, {"enrichmentId": ["enrichment"]})
        if not out.ok:
            return AddEnrichmentFeedbackPayload(user_errors=errors)
        loader = info.context.loaders.get(by_id_loader(e.LLMEnrichment))
        enrichment = await loader.load(enrichment_id)
        return AddEnrichmentFeedbackPayload(feedback=out.value, enrichment=enrichment)

    @strawberry.mutation(description="A new prompt version or A/B variant (admin scope).")
    async def create_prompt_template(
        self, info: Info, input: CreatePromptTemplateInput
    ) -> PromptTemplatePayload:
        data = prompts.PromptTemplateInput(
            capability=input.capability,
            version=input.version,
            system_prompt=input.system_prompt,
            user_template=input.user_template,
            variant_name=input.variant_name,
            traffic_weight=input.traffic_weight,
            output_schema=cast(dict[str, Any] | None, input.output_schema),  # checked there
            requires_vision=input.requires_vision,
            parameters=cast(dict[str, Any] | None, input.parameters),
            is_active=input.is_active,
            notes=input.notes,
        )
        out = await run_in_transaction(
            info, lambda tx: prompts.create_prompt_template(tx.session, data)
        )
        return PromptTemplatePayload(prompt_template=out.value, user_errors=out.errors)

    @strawberry.mutation(
        description="Change a prompt template; omitted fields stay. Deactivating stamps "
        "deprecatedAt (admin scope)."
    )
    async def update_prompt_template(
        self, info: Info, input: UpdatePromptTemplateInput
    ) -> PromptTemplatePayload:
        template_id = decode_id(input.id, "PromptTemplate", argument="input.id")
        changes = changes_of(input, skip={"id"})
        out = await run_in_transaction(
            info, lambda tx: prompts.update_prompt_template(tx.session, template_id, changes)
        )
        errors = remap_paths(out.errors, {"templateId": ["id"]})
        return PromptTemplatePayload(prompt_template=out.value, user_errors=errors)

