"""Inputs of the grading mutations: grading events, rarity assessments, census snapshots."""

from __future__ import annotations

import strawberry

from coinstack_graphql.grading import models as g
from coinstack_graphql.graphql.core.model_inputs import model_input

# The fields of grading.service.GradingEventInput (strike/surface typed by hand: the model
# stores them as text, the service takes 1–5).
EVENT_FIELDS = ["event_type", "grading_state", "grade", "grade_service", "certification_number",
                "grade_numeric", "designation", "has_star", "photo_cert", "verification_url",
                "graded_date", "submitter", "turnaround_days", "grading_fee", "notes"]
ASSESSMENT_FIELDS = ["rarity_code", "rarity_system", "source_type", "source_name", "source_url",
                     "source_date", "grade_range_low", "grade_range_high",
                     "grade_conditional_notes", "census_total", "census_this_grade",
                     "census_finer", "census_date", "confidence", "notes", "is_primary"]
CENSUS_FIELDS = ["service", "snapshot_date", "total_graded", "grade_breakdown", "coins_at_grade",
                 "coins_finer", "catalog_reference", "notes"]


_STRIKE = "NGC strike grade, 1 to 5; read from the grade text when it carries one."
_SURFACE = "NGC surface grade, 1 to 5; read from the grade text when it carries one."


@model_input(g.GradingHistory, name="AddGradingEventInput", fields=EVENT_FIELDS,
             required=["event_type"],
             description="A grading event; the server orders the history by graded date.")
class AddGradingEventInput:
    coin: strawberry.ID
    strike_quality: int | None = strawberry.field(default=strawberry.UNSET, description=_STRIKE)
    surface_quality: int | None = strawberry.field(default=strawberry.UNSET, description=_SURFACE)


@model_input(g.GradingHistory, name="UpdateGradingEventInput", fields=EVENT_FIELDS,
             description="Fields to change; omitted ones stay, null clears.")
class UpdateGradingEventInput:
    id: strawberry.ID
    strike_quality: int | None = strawberry.field(default=strawberry.UNSET, description=_STRIKE)
    surface_quality: int | None = strawberry.field(default=strawberry.UNSET, description=_SURFACE)


@strawberry.input
class RemoveGradingEventInput:
    id: strawberry.ID


@model_input(g.RarityAssessment, name="AddRarityAssessmentInput", fields=ASSESSMENT_FIELDS,
             required=["rarity_code", "rarity_system", "source_type"],
             description="A rarity judgement; a coin's first assessment is always primary.")
class AddRarityAssessmentInput:
    coin: strawberry.ID


@model_input(g.RarityAssessment, name="UpdateRarityAssessmentInput", fields=ASSESSMENT_FIELDS,
             description="Fields to change; isPrimary true takes over as the coin's primary.")
class UpdateRarityAssessmentInput:
    id: strawberry.ID


@strawberry.input
class RemoveRarityAssessmentInput:
    id: strawberry.ID


@model_input(g.CensusSnapshot, name="AddCensusSnapshotInput", fields=CENSUS_FIELDS,
             required=["service", "snapshot_date", "total_graded"],
             description="A population report; the coin's place in it is computed when omitted.")
class AddCensusSnapshotInput:
    coin: strawberry.ID


@strawberry.input
class RemoveCensusSnapshotInput:
    id: strawberry.ID
