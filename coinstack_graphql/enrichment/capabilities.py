"""The capability registry: what each capability reads, the JSON it must answer, and how
its answer is checked and applied to the coin.

The model answers through a forced tool whose `input_schema` is the capability's output
schema, so the answer arrives as a JSON object; `validate_json` checks it (jsonschema is
not a dependency, and the schemas use a small subset: type, properties, required,
additionalProperties, items, enum and length/range bounds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coinstack_graphql.enrichment.models import Capability
from coinstack_graphql.errors import DomainError
from coinstack_graphql.grading.ladder import GradeError, parse_grade
from coinstack_graphql.references.citations import CitationError, parse_citation

Flag = dict[str, Any]
LOW_CONFIDENCE = 0.6  # below this an answer always goes to a reviewer
DEFAULT_CONFIDENCE = 0.5  # when the answer carries no usable confidence

_CONFIDENCE = {"type": "number", "minimum": 0, "maximum": 1}
_TEXT = {"type": "string", "minLength": 1}


def _nullable(kind: str, **bounds: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **bounds}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class CapabilitySpec:
    """One capability: its tool, output schema and the coin fields it reads."""

    capability: Capability
    tool_name: str
    tool_description: str
    output_schema: dict[str, Any]
    snapshot_fields: tuple[str, ...]
    with_references: bool = False  # the coin's catalogue citations join the snapshot
    requires_vision: bool = False
    needs_any_of: tuple[str, ...] = ()  # refuse when every one of these is empty

    def tool(self, schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The tool definition the request forces the model to call."""
        return {
            "name": self.tool_name,
            "description": self.tool_description,
            "input_schema": dict(schema or self.output_schema),
        }


_DESIGN = (
    "obverse_legend",
    "obverse_description",
    "obverse_symbols",
    "reverse_legend",
    "reverse_description",
    "reverse_symbols",
    "exergue",
)
_ATTRIBUTION = ("category", "denomination", "metal", "issuer", "mint", "year_start", "year_end")

SPECS: dict[Capability, CapabilitySpec] = {
    spec.capability: spec
    for spec in (
        CapabilitySpec(
            Capability.CONTEXT_GENERATE,
            tool_name="record_historical_context",
            tool_description="Record the historical significance of the coin.",
            output_schema=_object(
                {
                    "historical_significance": {**_TEXT, "maxLength": 6000},
                    "key_points": {"type": "array", "items": _TEXT, "maxItems": 12},
                    "confidence": _CONFIDENCE,
                }
            ),
            snapshot_fields=(
                *_ATTRIBUTION,
                "portrait_subject",
                "date_period_notation",
                *_DESIGN,
            ),
            with_references=True,
        ),
        CapabilitySpec(
            Capability.ATTRIBUTION_SUGGEST,
            tool_name="record_attribution",
            tool_description="Record the attribution the legends and designs point to.",
            output_schema=_object(
                {
                    "issuer": _nullable("string", minLength=1, maxLength=100),
                    "denomination": _nullable("string", minLength=1, maxLength=50),
                    "mint": _nullable("string", minLength=1, maxLength=100),
                    "year_start": _nullable("integer", minimum=-3000, maximum=2100),
                    "year_end": _nullable("integer", minimum=-3000, maximum=2100),
                    "reasoning": _TEXT,
                    "confidence": _CONFIDENCE,
                }
            ),
            snapshot_fields=("category", "metal", "weight_g", "diameter_mm", "die_axis", *_DESIGN),
            needs_any_of=_DESIGN,
        ),
        CapabilitySpec(
            Capability.LEGEND_EXPAND,
            tool_name="record_expanded_legends",
            tool_description="Record the legends written out in full, abbreviations expanded.",
            output_schema=_object(
                {
                    "obverse_legend_expanded": _nullable("string", minLength=1, maxLength=2000),
                    "reverse_legend_expanded": _nullable("string", minLength=1, maxLength=2000),
                    "confidence": _CONFIDENCE,
                }
            ),
            snapshot_fields=(
                "category",
                "issuer",
                "year_start",
                "year_end",
                "obverse_legend",
                "reverse_legend",
                "exergue",
            ),
            needs_any_of=("obverse_legend", "reverse_legend"),
        ),
        CapabilitySpec(
            Capability.CATALOG_SUGGEST,
            tool_name="record_catalogue_references",
            tool_description="Record the catalogue references that describe this coin's type.",
            output_schema=_object(
                {
                    "references": {
                        "type": "array",
                        "maxItems": 10,
                        "items": _object(
                            {"citation": {**_TEXT, "maxLength": 100}, "confidence": _CONFIDENCE}
                        ),
                    },
                    "confidence": _CONFIDENCE,
                }
            ),
            snapshot_fields=(*_ATTRIBUTION, "weight_g", *_DESIGN),
            with_references=True,
        ),
        CapabilitySpec(
            Capability.CONDITION_DESCRIBE,
            tool_name="record_condition",
            tool_description="Record the coin's state of preservation as seen in the images.",
            output_schema=_object(
                {
                    "condition": {**_TEXT, "maxLength": 4000},
                    "grade_estimate": _nullable("string", minLength=1, maxLength=50),
                    "surface_notes": _nullable("string", maxLength=4000),
                    "confidence": _CONFIDENCE,
                }
            ),
            snapshot_fields=("category", "denomination", "metal", "issuer", "grade"),
            requires_vision=True,
        ),
    )
}


def get_capability(value: Capability | str, *, field: list[str] | None = None) -> CapabilitySpec:
    """The spec of `value`, or a DomainError at `field` naming the known capabilities."""
    try:
        return SPECS[Capability(value)]
    except ValueError:
        known = ", ".join(c.value for c in Capability)
        raise DomainError(
            f"unknown capability {value!r}; expected one of {known}",
            field=field or ["capability"],
        ) from None


def flag(code: str, message: str, **extra: Any) -> Flag:
    """One quality flag as stored in `llm_enrichments.quality_flags`."""
    return {"code": code, "message": message, **extra}


# ---- JSON schema subset

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
}
SCHEMA_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "description",
        "title",
    }
)


@dataclass(frozen=True)
class SchemaIssue:
    """One way a value breaks a schema; `path` is the JSON path as strings (list index too)."""

    path: tuple[str, ...]
    problem: str

    def __str__(self) -> str:
        where = "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in self.path)
        return f"${where}: {self.problem}"


def validate_json(
    schema: Mapping[str, Any], value: Any, path: tuple[str, ...] = ()
) -> list[SchemaIssue]:
    """Every way `value` breaks `schema` (empty when valid)."""
    kinds = schema.get("type")
    if kinds is not None:
        allowed = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_TYPES[kind](value) for kind in allowed):
            expected = " or ".join(allowed)
            return [SchemaIssue(path, f"expected {expected}, got {_json_kind(value)}")]
    issues: list[str] = []
    nested: list[SchemaIssue] = []
    if "enum" in schema and value not in schema["enum"]:
        issues.append(f"must be one of {schema['enum']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            issues.append("must not be empty" if not value else "too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            issues.append(f"at most {schema['maxLength']} characters")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            issues.append(f"must be >= {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            issues.append(f"must be <= {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            issues.append(f"at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            issues.append(f"at most {schema['maxItems']} items")
        if "items" in schema:
            for index, item in enumerate(value):
                nested.extend(validate_json(schema["items"], item, (*path, str(index))))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                nested.append(SchemaIssue((*path, key), "required"))
        for key, item in value.items():
            if key in properties:
                nested.extend(validate_json(properties[key], item, (*path, key)))
            elif schema.get("additionalProperties", True) is False:
                nested.append(SchemaIssue((*path, key), "not allowed"))
    return [SchemaIssue(path, issue) for issue in issues] + nested


def check_schema(schema: Any, path: str = "$") -> list[str]:
    """Problems that make `schema` unusable by `validate_json` (unknown keywords, types)."""
    if not isinstance(schema, dict):
        return [f"{path}: a schema must be a JSON object"]
    problems = [
        f"{path}: unsupported keyword {key!r}" for key in schema if key not in SCHEMA_KEYWORDS
    ]
    kinds = schema.get("type")
    for kind in [kinds] if isinstance(kinds, str) else list(kinds or []):
        if kind not in _TYPES:
            problems.append(f"{path}.type: unknown type {kind!r}")
    for key, sub in (schema.get("properties") or {}).items():
        problems.extend(check_schema(sub, f"{path}.properties.{key}"))
    if "items" in schema:
        problems.extend(check_schema(schema["items"], f"{path}.items"))
    return problems


def _json_kind(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "non-finite number"
    for kind in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[kind](value):
            return kind
    return type(value).__name__


# ---- what an answer means


def confidence_of(output: Any) -> float:
    """The answer's own confidence when it gives a usable one, else DEFAULT_CONFIDENCE."""
    value = output.get("confidence") if isinstance(output, dict) else None
    if isinstance(value, int | float) and _TYPES["number"](value) and 0 <= value <= 1:
        return float(value)
    return DEFAULT_CONFIDENCE


def check_output(capability: Capability, output: dict[str, Any]) -> list[Flag]:
    """Domain checks beyond the schema, on an answer that already matches it."""
    flags: list[Flag] = []
    if capability is Capability.CATALOG_SUGGEST:
        for index, entry in enumerate(output.get("references", [])):
            try:
                parse_citation(entry["citation"])
            except CitationError as exc:
                flags.append(
                    flag("invalid_citation", str(exc), path=["references", str(index), "citation"])
                )
    elif capability is Capability.ATTRIBUTION_SUGGEST:
        start, end = output.get("year_start"), output.get("year_end")
        for key, year in (("year_start", start), ("year_end", end)):
            if year == 0:
                flags.append(flag("invalid_year", "there is no year 0", path=[key]))
        if start is not None and end is not None and start > end:
            flags.append(flag("invalid_year", f"year_end {end} is before year_start {start}"))
    elif capability is Capability.LEGEND_EXPAND:
        if not output.get("obverse_legend_expanded") and not output.get("reverse_legend_expanded"):
            flags.append(flag("empty_output", "neither legend was expanded"))
    elif capability is Capability.CONDITION_DESCRIBE and output.get("grade_estimate"):
        try:
            parse_grade(output["grade_estimate"])
        except GradeError as exc:
            flags.append(flag("unknown_grade", str(exc), path=["grade_estimate"]))
    return flags


# Answer key -> coin column, for the capabilities whose approval edits the coin itself.
COIN_FIELDS: dict[Capability, dict[str, str]] = {
    Capability.CONTEXT_GENERATE: {"historical_significance": "historical_significance"},
    Capability.LEGEND_EXPAND: {
        "obverse_legend_expanded": "obverse_legend_expanded",
        "reverse_legend_expanded": "reverse_legend_expanded",
    },
    Capability.ATTRIBUTION_SUGGEST: {
        key: key for key in ("issuer", "denomination", "mint", "year_start", "year_end")
    },
}


def coin_changes(capability: Capability, output: Mapping[str, Any]) -> dict[str, Any]:
    """Coin column -> value an approved answer sets; a null answer key changes nothing."""
    return {
        column: output[key]
        for key, column in COIN_FIELDS.get(capability, {}).items()
        if output.get(key) is not None
    }


def suggested_citations(output: Mapping[str, Any]) -> list[tuple[int, str, float]]:
    """(index, citation, confidence) of each suggested reference that parses."""
    found = []
    for index, entry in enumerate(output.get("references", [])):
        try:
            parse_citation(entry["citation"])
        except CitationError:
            continue  # already a quality flag; never applied
        found.append((index, entry["citation"], float(entry["confidence"])))
    return found
