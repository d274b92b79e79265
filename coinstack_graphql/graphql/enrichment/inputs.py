"""Inputs of the enrichment mutations, and the batch ID decoder they share with queries."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.scalars import JSON

from coinstack_graphql.enrichment import models as e
from coinstack_graphql.enrichment.review import FeedbackType, ReviewAction
from coinstack_graphql.graphql.coins.inputs import CoinFilter
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.model_inputs import model_input
from coinstack_graphql.graphql.core.relay import from_global_id

CapabilityEnum = graphql_enum(e.Capability)
ReviewActionEnum = graphql_enum(ReviewAction, "What a reviewer does with an enrichment.")
FeedbackTypeEnum = graphql_enum(FeedbackType, "A reviewer's verdict on (part of) an answer.")


def decode_batch_id(global_id: str, *, argument: str) -> str:
    """The job UUID behind an EnrichmentBatch global ID (a client error otherwise)."""
    type_name, raw = from_global_id(global_id)
    if type_name != "EnrichmentBatch":
        raise bad_request(
            f"Argument '{argument}' must be the ID of an EnrichmentBatch, not of a {type_name}"
        )
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise bad_request(f"{global_id!r} is not a valid ID") from None


@strawberry.input
class EnrichCoinInput:
    coin: strawberry.ID
    capability: CapabilityEnum  # type: ignore[valid-type]


@strawberry.input
class StartEnrichmentBatchInput:
    capability: CapabilityEnum  # type: ignore[valid-type]
    filter: CoinFilter | None = strawberry.field(
        default=None, description="The coins to enrich; every coin when omitted."
    )


@strawberry.input
class ResumeEnrichmentBatchInput:
    batch: strawberry.ID


@strawberry.input
class ReviewEnrichmentInput:
    enrichment: strawberry.ID
    action: ReviewActionEnum  # type: ignore[valid-type]
    notes: str | None = None
    revised_output: JSON | None = strawberry.field(
        default=None, description="The corrected answer (REVISE only); null means no suggestion."
    )


@strawberry.input
class AddEnrichmentFeedbackInput:
    enrichment: strawberry.ID
    feedback_type: FeedbackTypeEnum  # type: ignore[valid-type]
    field_path: str | None = strawberry.field(
        default=None, description='A dotted path into the answer, e.g. "references.2.citation".'
    )
    original_value: JSON | None = strawberry.field(
        default=None, description="Taken from the answer at fieldPath when omitted."
    )
    corrected_value: JSON | None = None
    notes: str | None = None


@strawberry.input
class CreatePromptTemplateInput:
    capability: CapabilityEnum  # type: ignore[valid-type]
    version: int
    system_prompt: str
    user_template: str = strawberry.field(
        description="str.format text: {field} for a snapshot field, {coin_facts}, "
        "{references}, {images}."
    )
    variant_name: str = "default"
    traffic_weight: float = 1.0
    output_schema: JSON | None = strawberry.field(
        default=None, description="The capability's schema when omitted."
    )
    requires_vision: bool | None = None
    parameters: JSON | None = strawberry.field(
        default=None, description="max_tokens (1-32000) and temperature (0-1)."
    )
    is_active: bool = True
    notes: str | None = None


TEMPLATE_FIELDS = [
    "version",
    "variant_name",
    "traffic_weight",
    "system_prompt",
    "user_template",
    "output_schema",
    "requires_vision",
    "parameters",
    "is_active",
    "notes",
]


@model_input(e.PromptTemplate, name="UpdatePromptTemplateInput", fields=TEMPLATE_FIELDS)
class UpdatePromptTemplateInput:
    id: strawberry.ID
