"""Seed version 1 ("default" variant, weight 1.0, active) of each LLM capability's prompt.

Revision ID: 20260207_llm_prompts
Revises: 20260206_phase6
Create Date: 2026-02-07 00:00:00

The texts and schemas are copied here rather than imported from
coinstack_graphql/enrichment/default_templates.py, so that editing the module later never
rewrites what this revision did. Downgrade deletes exactly the rows this revision inserted
(found by capability, version 1, variant "default" and the seed note) and, as the model's
ON DELETE SET NULL would, detaches enrichments that point at them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "20260207_llm_prompts"
down_revision: str | None = "20260206_phase6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION = 1
VARIANT = "default"
SEED_NOTE = "seeded by revision 20260207_llm_prompts"

TEMPLATES: list[dict[str, Any]] = [
    {
        "capability": "context_generate",
        "system_prompt": "You are a numismatist and historian of the ancient Mediterranean writing "
        "for a private collector's catalogue. Explain why a coin matters: who "
        "issued it and when, the events, propaganda or religious ideas its types "
        "express, and its place in the coinage of its time. Write two or three "
        "plain, accurate paragraphs without invented detail. Years are given as "
        "integers where negative numbers are BC and positive numbers are AD; there "
        "is no year 0. Use the standard references of the field (RIC, RRC/Crawford, "
        "RPC, RSC, BMCRE, Sear, SNG, HN) and the conventions of auction catalogues. "
        "If the evidence is thin, say so and lower your confidence instead of "
        "guessing. Confidence is a number from 0 to 1: 0.9 or more only when the "
        "identification is certain.",
        "user_template": "Describe the historical significance of this coin.\n"
        "\n"
        "{coin_facts}\n"
        "\n"
        "Answer with the record_historical_context tool: the text, up to eight key "
        "points, and your confidence.",
        "parameters": {"max_tokens": 1500},
        "requires_vision": False,
        "output_schema": {
            "type": "object",
            "properties": {
                "historical_significance": {"type": "string", "minLength": 1, "maxLength": 6000},
                "key_points": {
                    "type": "array",
                    "items": {"type": "string", "minLength": 1},
                    "maxItems": 12,
                },
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["confidence", "historical_significance", "key_points"],
            "additionalProperties": False,
        },
    },
    {
        "capability": "attribution_suggest",
        "system_prompt": "You are an expert in attributing ancient coins from their legends, designs "
        "and physical data. Read the legends (expanding abbreviations and "
        "titulature such as TR P, COS, IMP) and the designs, and propose the issuer "
        "(the ruler, city or moneyer in whose name the coin was struck), the "
        "denomination, the mint and the date range. Use null for anything the "
        "evidence does not support. Years are given as integers where negative "
        "numbers are BC and positive numbers are AD; there is no year 0. Use the "
        "standard references of the field (RIC, RRC/Crawford, RPC, RSC, BMCRE, "
        "Sear, SNG, HN) and the conventions of auction catalogues. If the evidence "
        "is thin, say so and lower your confidence instead of guessing. Confidence "
        "is a number from 0 to 1: 0.9 or more only when the identification is "
        "certain.",
        "user_template": "Suggest an attribution for this coin.\n"
        "\n"
        "{coin_facts}\n"
        "\n"
        "Answer with the record_attribution tool, explaining your reasoning "
        "briefly.",
        "parameters": {"max_tokens": 1000},
        "requires_vision": False,
        "output_schema": {
            "type": "object",
            "properties": {
                "issuer": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
                "denomination": {"type": ["string", "null"], "minLength": 1, "maxLength": 50},
                "mint": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
                "year_start": {"type": ["integer", "null"], "minimum": -3000, "maximum": 2100},
                "year_end": {"type": ["integer", "null"], "minimum": -3000, "maximum": 2100},
                "reasoning": {"type": "string", "minLength": 1},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": [
                "confidence",
                "denomination",
                "issuer",
                "mint",
                "reasoning",
                "year_end",
                "year_start",
            ],
            "additionalProperties": False,
        },
    },
    {
        "capability": "legend_expand",
        "system_prompt": "You are an epigrapher of ancient coin legends. Expand each legend into its "
        "full Latin or Greek words, keeping the original order, resolving "
        "abbreviations and ligatures (e.g. 'IMP CAESAR DIVI F AVGVSTVS' -> "
        "'Imperator Caesar Divi Filius Augustus'); do not translate. Use null for a "
        "side without a legend. Years are given as integers where negative numbers "
        "are BC and positive numbers are AD; there is no year 0. Use the standard "
        "references of the field (RIC, RRC/Crawford, RPC, RSC, BMCRE, Sear, SNG, "
        "HN) and the conventions of auction catalogues. If the evidence is thin, "
        "say so and lower your confidence instead of guessing. Confidence is a "
        "number from 0 to 1: 0.9 or more only when the identification is certain.",
        "user_template": "Expand the legends of this {category} coin of {issuer}, dated {year_start} "
        "to {year_end}.\n"
        "\n"
        "Obverse legend: {obverse_legend}\n"
        "Reverse legend: {reverse_legend}\n"
        "Exergue: {exergue}\n"
        "\n"
        "Answer with the record_expanded_legends tool.",
        "parameters": {"max_tokens": 800},
        "requires_vision": False,
        "output_schema": {
            "type": "object",
            "properties": {
                "obverse_legend_expanded": {
                    "type": ["string", "null"],
                    "minLength": 1,
                    "maxLength": 2000,
                },
                "reverse_legend_expanded": {
                    "type": ["string", "null"],
                    "minLength": 1,
                    "maxLength": 2000,
                },
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["confidence", "obverse_legend_expanded", "reverse_legend_expanded"],
            "additionalProperties": False,
        },
    },
    {
        "capability": "catalog_suggest",
        "system_prompt": "You are a cataloguer of ancient coins. Suggest the standard catalogue "
        "references for the coin's type, one citation each, written the way "
        "catalogues print them: 'RIC I² 207', 'Crawford 494/23', 'RPC I 4567', 'RSC "
        "43', 'BMCRE I 533', 'Sear 1234', 'SNG Cop 123', 'HN Italy 123'. Do not "
        "qualify a citation with 'cf.' or 'var.'; leave out references you cannot "
        "pin to a number, and do not repeat the references the coin already has. "
        "Years are given as integers where negative numbers are BC and positive "
        "numbers are AD; there is no year 0. Use the standard references of the "
        "field (RIC, RRC/Crawford, RPC, RSC, BMCRE, Sear, SNG, HN) and the "
        "conventions of auction catalogues. If the evidence is thin, say so and "
        "lower your confidence instead of guessing. Confidence is a number from 0 "
        "to 1: 0.9 or more only when the identification is certain.",
        "user_template": "Suggest catalogue references for this coin.\n"
        "\n"
        "{coin_facts}\n"
        "\n"
        "Answer with the record_catalogue_references tool, giving a confidence for "
        "each citation and overall.",
        "parameters": {"max_tokens": 1000},
        "requires_vision": False,
        "output_schema": {
            "type": "object",
            "properties": {
                "references": {
                    "type": "array",
                    "maxItems": 10,
                    "items": {
                        "type": "object",
                        "properties": {
                            "citation": {"type": "string", "minLength": 1, "maxLength": 100},
                            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                        },
                        "required": ["citation", "confidence"],
                        "additionalProperties": False,
                    },
                },
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["confidence", "references"],
            "additionalProperties": False,
        },
    },
    {
        "capability": "condition_describe",
        "system_prompt": "You are a professional grader of ancient coins in the manner of NGC "
        "Ancients. From the photographs, describe the state of preservation: wear "
        "on the high points, strike, centering, surfaces (porosity, scratches, "
        "tooling, smoothing, cleaning), toning and patina. Estimate the grade on "
        "the adjectival scale (Poor, Fair, AG, G, VG, F, Ch F, VF, Ch VF, XF, Ch "
        "XF, AU, Ch AU, MS, Ch MS, Gem MS), optionally with strike and surface out "
        "of 5 ('Ch VF 5/5 - 4/5'), or null when the images do not allow it. "
        "Photographs flatter or hide detail; say so when it matters. Years are "
        "given as integers where negative numbers are BC and positive numbers are "
        "AD; there is no year 0. Use the standard references of the field (RIC, "
        "RRC/Crawford, RPC, RSC, BMCRE, Sear, SNG, HN) and the conventions of "
        "auction catalogues. If the evidence is thin, say so and lower your "
        "confidence instead of guessing. Confidence is a number from 0 to 1: 0.9 or "
        "more only when the identification is certain.",
        "user_template": "Describe the condition of this coin from its images.\n"
        "\n"
        "{coin_facts}\n"
        "\n"
        "Answer with the record_condition tool.",
        "parameters": {"max_tokens": 1000},
        "requires_vision": True,
        "output_schema": {
            "type": "object",
            "properties": {
                "condition": {"type": "string", "minLength": 1, "maxLength": 4000},
                "grade_estimate": {"type": ["string", "null"], "minLength": 1, "maxLength": 50},
                "surface_notes": {"type": ["string", "null"], "maxLength": 4000},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["condition", "confidence", "grade_estimate", "surface_notes"],
            "additionalProperties": False,
        },
    },
]

templates = sa.table(
    "llm_prompt_templates",
    sa.column("id", sa.Integer),
    sa.column("capability", sa.String),
    sa.column("version", sa.Integer),
    sa.column("system_prompt", sa.Text),
    sa.column("user_template", sa.Text),
    sa.column("parameters", sa.Text),
    sa.column("requires_vision", sa.Boolean),
    sa.column("output_schema", sa.Text),
    sa.column("variant_name", sa.Text),
    sa.column("traffic_weight", sa.Float),
    sa.column("is_active", sa.Boolean),
    sa.column("created_at", sa.DateTime),
    sa.column("deprecated_at", sa.DateTime),
    sa.column("notes", sa.Text),
)
enrichments = sa.table("llm_enrichments", sa.column("prompt_template_id", sa.Integer))


def _json(value: Any) -> str:
    # The same encoding as the JSONText column type, so the ORM reads these back unchanged.
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _seeded() -> sa.ColumnElement[bool]:
    return sa.and_(
        templates.c.capability.in_([t["capability"] for t in TEMPLATES]),
        templates.c.version == VERSION,
        templates.c.variant_name == VARIANT,
        templates.c.notes == SEED_NOTE,
    )


def upgrade() -> None:
    bind = op.get_bind()
    taken = set(
        bind.execute(
            sa.select(templates.c.capability).where(
                templates.c.version == VERSION, templates.c.variant_name == VARIANT
            )
        ).scalars()
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "capability": t["capability"],
            "version": VERSION,
            "system_prompt": t["system_prompt"],
            "user_template": t["user_template"],
            "parameters": _json(t["parameters"]),
            "requires_vision": t["requires_vision"],
            "output_schema": _json(t["output_schema"]),
            "variant_name": VARIANT,
            "traffic_weight": 1.0,
            "is_active": True,
            "created_at": now,
            "deprecated_at": None,
            "notes": SEED_NOTE,
        }
        for t in TEMPLATES
        if t["capability"] not in taken  # a template made by hand before this revision wins
    ]
    if rows:
        op.bulk_insert(templates, rows)


def downgrade() -> None:
    bind = op.get_bind()
    seeded = sa.select(templates.c.id).where(_seeded())
    bind.execute(
        enrichments.update()
        .where(enrichments.c.prompt_template_id.in_(seeded))
        .values(prompt_template_id=None)
    )
    bind.execute(templates.delete().where(_seeded()))
