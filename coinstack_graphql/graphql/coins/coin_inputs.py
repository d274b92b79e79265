"""Inputs of `createCoin` / `updateCoin`: V2.1 columns flat, V3 value objects nested."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from coinstack_graphql.coins import models as m
from coinstack_graphql.graphql.core.model_inputs import changes_of, model_input
from coinstack_graphql.graphql.core.relay import decode_id

# Value object → the coin columns it carries (same grouping as the output types).
GROUPS: dict[str, list[str]] = {
    "secondary_authority": ["secondary_authority", "authority_type"],
    "co_ruler": ["co_ruler", "portrait_relationship"],
    "physical": ["weight_standard", "expected_weight_g", "flan_shape", "flan_type", "flan_notes"],
    "secondary_treatments": [
        "is_overstrike", "undertype_visible", "undertype_attribution", "has_test_cut",
        "test_cut_count", "test_cut_positions", "has_bankers_marks", "has_graffiti",
        "graffiti_description", "was_mounted", "mount_evidence",
    ],
    "tooling": ["tooling_extent", "tooling_details", "has_ancient_repair", "ancient_repairs"],
    "centering": ["centering", "centering_notes"],
    "die_study": [
        "obverse_die_state", "reverse_die_state", "die_break_description", "obverse_die_id",
        "reverse_die_id", "die_study_group", "die_match_notes",
    ],
    "tpg_grading": [
        "grade_numeric", "grade_designation", "has_star_designation", "photo_certificate",
        "verification_url", "ngc_strike_grade", "ngc_surface_grade", "is_fine_style",
    ],
    "chronology": ["date_period_notation", "emission_phase"],
    "strike_quality_detail": [
        "strike_quality_detail", "is_double_struck", "is_brockage", "is_off_center",
        "off_center_pct",
    ],
}
GROUPED = {col for cols in GROUPS.values() for col in cols}
# Columns written through an ID argument instead (global IDs in, database ids stored).
ID_COLUMNS = {
    "mint_id": ("mint", "Mint"),
    "issuer_term_id": ("issuer_term", "VocabTerm"),
    "mint_term_id": ("mint_term", "VocabTerm"),
    "denomination_term_id": ("denomination_term", "VocabTerm"),
    "dynasty_term_id": ("dynasty_term", "VocabTerm"),
    "secondary_authority_term_id": ("secondary_authority_term", "VocabTerm"),
    "co_ruler_term_id": ("co_ruler_term", "VocabTerm"),
    "die_study_obverse_id": ("obverse_die_match", "Coin"),
    "die_study_reverse_id": ("reverse_die_match", "Coin"),
}
SKIP = {"id", "created_at", "updated_at", "llm_analysis_sections", "llm_suggested_references",
        "mint"}
FLAT = [
    name for name in __import__("coinstack_graphql.graphql.core.model_fields",
                                fromlist=["model_columns"]).model_columns(m.Coin)
    if name not in SKIP and name not in GROUPED and name not in ID_COLUMNS
]
REQUIRED_ON_CREATE = ["category", "denomination", "metal", "issuer"]


def _group_input(name: str, columns: list[str]) -> type:
    cls = type(name, (), {"__doc__": None})
    return model_input(m.Coin, name=name, fields=columns)(cls)


CoinSecondaryAuthorityInput = _group_input("CoinSecondaryAuthorityInput", GROUPS["secondary_authority"])
CoinCoRulerInput = _group_input("CoinCoRulerInput", GROUPS["co_ruler"])
CoinPhysicalInput = _group_input("CoinPhysicalInput", GROUPS["physical"])
CoinSecondaryTreatmentsInput = _group_input(
    "CoinSecondaryTreatmentsInput", GROUPS["secondary_treatments"]
)
CoinToolingInput = _group_input("CoinToolingInput", GROUPS["tooling"])
CoinCenteringInput = _group_input("CoinCenteringInput", GROUPS["centering"])
CoinDieStudyInput = _group_input("CoinDieStudyInput", GROUPS["die_study"])
CoinTpgGradingInput = _group_input("CoinTpgGradingInput", GROUPS["tpg_grading"])
CoinChronologyInput = _group_input("CoinChronologyInput", GROUPS["chronology"])
CoinStrikeQualityInput = _group_input("CoinStrikeQualityInput", GROUPS["strike_quality_detail"])

GROUP_INPUTS: dict[str, Any] = {
    "secondary_authority": CoinSecondaryAuthorityInput,
    "co_ruler": CoinCoRulerInput,
    "physical": CoinPhysicalInput,
    "secondary_treatments": CoinSecondaryTreatmentsInput,
    "tooling": CoinToolingInput,
    "centering": CoinCenteringInput,
    "die_study": CoinDieStudyInput,
    "tpg_grading": CoinTpgGradingInput,
    "chronology": CoinChronologyInput,
    "strike_quality_detail": CoinStrikeQualityInput,
}


def _fields_namespace(required: bool) -> dict[str, Any]:
    ns: dict[str, Any] = {"__annotations__": {}}
    for group, input_cls in GROUP_INPUTS.items():
        ns["__annotations__"][group] = input_cls | None
        ns[group] = strawberry.UNSET
    for column, (arg, _type) in ID_COLUMNS.items():
        ns["__annotations__"][arg] = strawberry.ID | None
        ns[arg] = strawberry.UNSET
    # The V2.1 JSON blob; `secondaryTreatments` is the structured V3 value object.
    ns["__annotations__"]["secondary_treatments_json"] = JSON | None
    ns["secondary_treatments_json"] = strawberry.UNSET
    # The mint as written (free text); `mint` takes the ID of a mint record.
    ns["__annotations__"]["mint_name"] = str | None
    ns["mint_name"] = strawberry.UNSET
    return ns


def _coin_input(name: str, *, create: bool) -> type:
    ns = _fields_namespace(create)
    if not create:
        ns["__annotations__"] = {"id": strawberry.ID, **ns["__annotations__"]}
    cls = type(name, (), ns)
    required = REQUIRED_ON_CREATE if create else []
    return model_input(m.Coin, name=name, fields=FLAT, required=required,
                       description="Coin fields; omitted ones are left as they are.")(cls)


CreateCoinInput = _coin_input("CreateCoinInput", create=True)
UpdateCoinInput = _coin_input("UpdateCoinInput", create=False)

# Where each coin column sits in the input, for userError paths.
INPUT_PATHS: dict[str, list[str]] = {
    "secondary_treatments": ["secondaryTreatmentsJson"],
    "mint": ["mintName"],
}
for _group, _cols in GROUPS.items():
    for _col in _cols:
        INPUT_PATHS[_col] = [_group, _col]
for _col, (_arg, _t) in ID_COLUMNS.items():
    INPUT_PATHS[_col] = [_arg]


def coin_changes(value: Any) -> dict[str, Any]:
    """The coin columns an input sets, by attribute name (global IDs decoded)."""
    changes = changes_of(
        value,
        skip={"id", "secondary_treatments_json", "mint_name", *GROUP_INPUTS, *(a for a, _ in ID_COLUMNS.values())},
    )
    blob = getattr(value, "secondary_treatments_json", strawberry.UNSET)
    if blob is not strawberry.UNSET:
        changes["secondary_treatments"] = blob
    mint_name = getattr(value, "mint_name", strawberry.UNSET)
    if mint_name is not strawberry.UNSET:
        changes["mint"] = mint_name
    for group in GROUP_INPUTS:
        nested = getattr(value, group, strawberry.UNSET)
        if nested is None:
            changes.update({col: None for col in GROUPS[group]})
        else:
            changes.update(changes_of(nested))
    for column, (arg, type_name) in ID_COLUMNS.items():
        raw = getattr(value, arg, strawberry.UNSET)
        if raw is strawberry.UNSET:
            continue
        changes[column] = None if raw is None else decode_id(raw, type_name, argument=f"input.{arg}")
    return changes


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Service error paths name columns in camelCase; these say where the client typed them.
ERROR_PATHS: dict[str, list[str]] = {
    _camel(col): [_camel(part) for part in path] for col, path in INPUT_PATHS.items()
}
