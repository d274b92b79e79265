"""Inputs of the reference mutations: citations, catalogue types, concordance, external links."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.scalars import JSON

from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.model_inputs import model_input
from coinstack_graphql.references import models as r

CatalogSourceEnum = graphql_enum(r.CatalogSource)
# The details a coin's citation carries beside the type it cites.
DETAIL_FIELDS = ["is_primary", "plate_coin", "position", "page", "plate", "note_number",
                 "variant_notes", "notes", "attribution_confidence", "catalog_rarity_note",
                 "disagreement_note"]
TYPE_FIELDS = ["external_id", "external_url", "publication_year", "rarity_code", "citation",
               "payload"]
_CITATION = 'A catalogue citation, parsed and normalised: "RIC I² 207", "Crawford 494/23".'


@strawberry.enum(description="Who says the types are equivalent.")
class ConcordanceSource(Enum):
    """references.concordance.CONCORDANCE_SOURCES (a test keeps the two in step)."""

    USER = "user"
    LITERATURE = "literature"
    OCRE = "ocre"
    CRRO = "crro"
    RPC_ONLINE = "rpc_online"
    NOMISMA = "nomisma"


@model_input(r.CoinReference, name="AddCoinReferenceInput", fields=DETAIL_FIELDS,
             description="Cite a catalogue type on a coin; the type is created when new.")
class AddCoinReferenceInput:
    coin: strawberry.ID
    citation: str = strawberry.field(description=_CITATION)


@model_input(r.CoinReference, name="UpdateCoinReferenceInput", fields=DETAIL_FIELDS,
             description="Fields to change; a new citation re-points the reference.")
class UpdateCoinReferenceInput:
    id: strawberry.ID
    citation: str | None = strawberry.field(default=strawberry.UNSET, description=_CITATION)


@strawberry.input
class RemoveCoinReferenceInput:
    id: strawberry.ID


@model_input(r.ReferenceType, name="UpsertReferenceTypeInput", fields=TYPE_FIELDS,
             description="A type by `id`, or by the citation in `reference` (created if new).")
class UpsertReferenceTypeInput:
    id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The ReferenceType to edit."
    )
    reference: str | None = strawberry.field(
        default=strawberry.UNSET, description="The type's citation, e.g. \"RSC 43\"."
    )


@strawberry.input(description="Types to make equivalent: give referenceTypes or citations.")
class LinkConcordanceInput:
    reference_types: list[strawberry.ID] | None = strawberry.field(
        default=None, description="IDs of ReferenceTypes in the catalogue."
    )
    citations: list[str] | None = strawberry.field(
        default=None, description="Citations; types not in the catalogue yet are created."
    )
    source: ConcordanceSource = ConcordanceSource.USER
    confidence: float = strawberry.field(default=1.0, description="From 0 to 1.")
    notes: str | None = None


@strawberry.input
class UnlinkConcordanceInput:
    reference_types: list[strawberry.ID]


@strawberry.input(description="Set a type's link to one catalogue, replacing the one it had.")
class UpsertExternalCatalogLinkInput:
    reference_type: strawberry.ID
    catalog_source: CatalogSourceEnum  # type: ignore[valid-type]
    external_id: str = strawberry.field(description='The id in that catalogue, e.g. "rrc-443.1".')
    external_url: str | None = strawberry.field(
        default=None, description="Built from the id by the catalogue's scheme when omitted."
    )
    external_data: JSON | None = None


@strawberry.input
class RemoveExternalCatalogLinkInput:
    id: strawberry.ID
