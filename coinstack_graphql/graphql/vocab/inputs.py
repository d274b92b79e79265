"""Inputs of the vocabulary, series and field-history mutations."""

from __future__ import annotations

from enum import Enum

import strawberry

from coinstack_graphql.graphql.core.model_inputs import model_input
from coinstack_graphql.series import models as s
from coinstack_graphql.vocab import models as v

TERM_FIELDS = ["vocabulary", "canonical_name", "nomisma_id", "description"]
SERIES_FIELDS = ["name", "slug", "description", "series_type", "target_count"]
SLOT_FIELDS = ["slot_number", "name", "description", "priority"]
_VOCAB = "The issuer VocabTerm the series is about (e.g. the Julio-Claudian dynasty)."


@strawberry.enum(description="A coin field that takes a vocabulary term.")
class VocabField(Enum):
    ISSUER = "issuer"
    MINT = "mint"
    DENOMINATION = "denomination"
    DYNASTY = "dynasty"
    SECONDARY_AUTHORITY = "secondary_authority"
    CO_RULER = "co_ruler"


@model_input(v.VocabTerm, name="CreateVocabTermInput", fields=TERM_FIELDS,
             required=["vocabulary", "canonical_name"],
             description="A term; canonical names are unique per vocabulary, ignoring case.")
class CreateVocabTermInput:
    pass


@model_input(v.VocabTerm, name="UpdateVocabTermInput", fields=TERM_FIELDS,
             description="Fields to change; a term in use on coins keeps its vocabulary.")
class UpdateVocabTermInput:
    id: strawberry.ID


@strawberry.input(description="Set (or with term null, clear) the term of one of a coin's fields.")
class AssignVocabTermInput:
    coin: strawberry.ID
    field: VocabField
    term: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The VocabTerm; null clears the field's term."
    )


@model_input(s.Series, name="CreateSeriesInput", fields=SERIES_FIELDS, required=["name"],
             description="A collecting series; the slug is made from the name unless given.")
class CreateSeriesInput:
    canonical_vocab: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_VOCAB
    )


@model_input(s.Series, name="UpdateSeriesInput", fields=SERIES_FIELDS,
             description="Fields to change; the slug stays unless given.")
class UpdateSeriesInput:
    id: strawberry.ID
    canonical_vocab: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_VOCAB
    )


@strawberry.input
class DeleteSeriesInput:
    id: strawberry.ID


@model_input(s.SeriesSlot, name="AddSeriesSlotInput", fields=SLOT_FIELDS, required=["name"],
             description="A slot; without a slotNumber it goes after the highest one.")
class AddSeriesSlotInput:
    series: strawberry.ID


@strawberry.input
class RemoveSeriesSlotInput:
    id: strawberry.ID


@strawberry.input(description="Put a coin in a slot.")
class FillSeriesSlotInput:
    slot: strawberry.ID
    coin: strawberry.ID
    replace: bool = strawberry.field(
        default=False,
        description="Empty the slot and move the coin out of its other slot instead of refusing.",
    )
    notes: str | None = None


@strawberry.input
class ClearSeriesSlotInput:
    slot: strawberry.ID


@strawberry.input(description="A batch of Coin.fieldHistory (FieldChange.batchId) to revert.")
class UndoFieldChangesInput:
    batch_id: str
    coin: strawberry.ID | None = strawberry.field(
        default=None, description="Which coin, when the batch changed several."
    )
