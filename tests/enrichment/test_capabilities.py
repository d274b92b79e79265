"""The capability registry: schema validation, domain checks, what approval applies."""

from __future__ import annotations

from typing import Any

import pytest

from coinstack_graphql.enrichment.capabilities import (
    SPECS,
    check_output,
    check_schema,
    coin_changes,
    confidence_of,
    get_capability,
    suggested_citations,
    validate_json,
)
from coinstack_graphql.enrichment.models import Capability
from coinstack_graphql.errors import DomainError
from tests.enrichment import ANSWERS


def test_every_capability_has_a_spec_whose_schema_the_validator_reads() -> None:
    assert set(SPECS) == set(Capability)
    for spec in SPECS.values():
        assert check_schema(spec.output_schema) == []
        assert "confidence" in spec.output_schema["required"]
        assert spec.tool()["input_schema"] == spec.output_schema
    assert [s.capability for s in SPECS.values() if s.requires_vision] == [
        Capability.CONDITION_DESCRIBE
    ]


@pytest.mark.parametrize("capability", list(Capability))
def test_the_canned_answers_are_valid(capability: Capability) -> None:
    spec = SPECS[capability]
    answer = ANSWERS[spec.tool_name]
    assert validate_json(spec.output_schema, answer) == []
    assert check_output(capability, answer) == []


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ({"references": [], "confidence": 0.5}, []),
        (
            {"references": "RIC I² 207", "confidence": 0.5},
            ["$.references: expected array, got string"],
        ),
        (
            {"references": [{"citation": "RSC 43"}], "confidence": True},
            ["$.references[0].confidence: required", "$.confidence: expected number, got boolean"],
        ),
        (
            {"references": [{"citation": "", "confidence": -1}], "confidence": 0.5},
            [
                "$.references[0].citation: must not be empty",
                "$.references[0].confidence: must be >= 0",
            ],
        ),
        (
            {"references": [{"citation": "RSC 43", "confidence": 0.5}] * 11, "confidence": 0.5},
            ["$.references: at most 10 items"],
        ),
        ([], ["$: expected object, got array"]),
        (
            {"confidence": float("nan"), "references": []},
            ["$.confidence: expected number, got non-finite number"],
        ),
    ],
)
def test_validator_reports_every_problem_with_its_path(value: Any, problems: list[str]) -> None:
    schema = SPECS[Capability.CATALOG_SUGGEST].output_schema
    assert [str(issue) for issue in validate_json(schema, value)] == problems


def test_validator_knows_integers_nulls_and_enums() -> None:
    schema = {
        "type": "object",
        "properties": {
            "year": {"type": ["integer", "null"]},
            "side": {"type": "string", "enum": ["obverse", "reverse"]},
        },
    }
    assert validate_json(schema, {"year": None, "side": "obverse"}) == []
    issues = validate_json(schema, {"year": 44.5, "side": "edge"})
    assert [(i.path, i.problem) for i in issues] == [
        (("year",), "expected integer or null, got number"),
        (("side",), "must be one of ['obverse', 'reverse']"),
    ]
    assert validate_json(schema, {"year": True}) != []  # a boolean is not a year


def test_check_schema_names_what_the_validator_cannot_read() -> None:
    assert check_schema({"type": "object", "properties": {"a": {"type": "decimal"}}}) == [
        "$.properties.a.type: unknown type 'decimal'"
    ]
    assert check_schema({"type": "object", "anyOf": []}) == ["$: unsupported keyword 'anyOf'"]


def test_domain_checks() -> None:
    attribution = {**ANSWERS["record_attribution"], "year_start": 0, "year_end": 30}
    codes = [f["code"] for f in check_output(Capability.ATTRIBUTION_SUGGEST, attribution)]
    assert codes == ["invalid_year"]
    inverted = {**ANSWERS["record_attribution"], "year_start": 14, "year_end": -27}
    assert (
        "before year_start" in check_output(Capability.ATTRIBUTION_SUGGEST, inverted)[0]["message"]
    )
    condition = {**ANSWERS["record_condition"], "grade_estimate": "Superb"}
    assert check_output(Capability.CONDITION_DESCRIBE, condition)[0]["code"] == "unknown_grade"
    ngc = {**ANSWERS["record_condition"], "grade_estimate": "NGC Ch XF 5/5 - 4/5"}
    assert check_output(Capability.CONDITION_DESCRIBE, ngc) == []


def test_what_approval_applies() -> None:
    assert coin_changes(
        Capability.LEGEND_EXPAND,
        {
            "obverse_legend_expanded": "Imperator Caesar Vespasianus Augustus",
            "reverse_legend_expanded": None,
            "confidence": 0.9,
        },
    ) == {"obverse_legend_expanded": "Imperator Caesar Vespasianus Augustus"}
    assert coin_changes(Capability.ATTRIBUTION_SUGGEST, ANSWERS["record_attribution"]) == {
        "issuer": "Augustus",
        "denomination": "Denarius",
        "mint": "Lugdunum",
        "year_start": -2,
        "year_end": 4,
    }
    assert coin_changes(Capability.CONDITION_DESCRIBE, ANSWERS["record_condition"]) == {}
    assert coin_changes(Capability.CATALOG_SUGGEST, ANSWERS["record_catalogue_references"]) == {}
    refs = {
        "references": [
            {"citation": "Crawford 443/1", "confidence": 0.9},
            {"citation": "var. RIC 1", "confidence": 0.1},
        ],
        "confidence": 0.9,
    }
    assert suggested_citations(refs) == [(0, "Crawford 443/1", 0.9)]


def test_confidence_and_unknown_capabilities() -> None:
    assert confidence_of({"confidence": 0.75}) == 0.75
    assert confidence_of({"confidence": 7}) == confidence_of(None) == confidence_of({}) == 0.5
    with pytest.raises(DomainError) as caught:
        get_capability("catalog_lookup", field=["input", "capability"])
    assert caught.value.field == ["input", "capability"]
    assert "context_generate" in caught.value.message
