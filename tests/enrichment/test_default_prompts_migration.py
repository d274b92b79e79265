"""Revision 20260207_llm_prompts: the default templates exist at head, vanish on downgrade."""

from __future__ import annotations

import json
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from coinstack_graphql.db import migrations
from coinstack_graphql.db.urls import sync_url
from coinstack_graphql.enrichment.capabilities import SPECS
from coinstack_graphql.enrichment.default_templates import DEFAULT_TEMPLATES, SEED_NOTE
from coinstack_graphql.enrichment.models import Capability
from coinstack_graphql.enrichment.prompts import check_user_template

REVISION = "20260207_llm_prompts"
PREVIOUS = "20260206_phase6"


def _rows(url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(row) for row in result.mappings()] if result.returns_rows else []
    finally:
        engine.dispose()


def _templates(url: str) -> list[dict[str, Any]]:
    return _rows(url, "SELECT * FROM llm_prompt_templates ORDER BY capability, variant_name")


def test_head_holds_one_active_default_template_per_capability(migrated_db: str) -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(migrated_db))
    at_head = {r.revision for r in script.walk_revisions(base="base", head="heads")}
    assert (
        REVISION in at_head
        and migrations.current_revision(migrated_db) == script.get_current_head()
    )
    rows = _templates(migrated_db)
    assert sorted(r["capability"] for r in rows) == sorted(c.value for c in Capability)
    for row in rows:
        capability = Capability(row["capability"])
        seeded = DEFAULT_TEMPLATES[capability]
        assert (row["version"], row["variant_name"], row["traffic_weight"]) == (1, "default", 1.0)
        assert bool(row["is_active"]) and row["deprecated_at"] is None and row["notes"] == SEED_NOTE
        assert bool(row["requires_vision"]) == SPECS[capability].requires_vision
        # Same texts as the module today; a better prompt is a new version, not an edit.
        assert (row["system_prompt"], row["user_template"]) == (
            seeded.system_prompt,
            seeded.user_template,
        )
        assert json.loads(row["output_schema"]) == SPECS[capability].output_schema
        assert json.loads(row["parameters"]) == seeded.parameters
        check_user_template(SPECS[capability], row["user_template"], field=["userTemplate"])


def test_downgrade_removes_exactly_the_seeded_rows(migrated_db: str) -> None:
    _rows(
        migrated_db,
        "INSERT INTO llm_prompt_templates (capability, version, system_prompt, user_template, "
        "variant_name, traffic_weight, is_active, requires_vision) VALUES ('context_generate', 1, "
        "'You are brief.', '{coin_facts}', 'concise', 0.5, TRUE, FALSE)",
    )
    seeded_id = _rows(
        migrated_db,
        "SELECT id FROM llm_prompt_templates WHERE capability = 'legend_expand'",
    )[0]["id"]
    _rows(
        migrated_db,
        "INSERT INTO coins_v2 (id, category, denomination, metal, issuer, grading_state, "
        "issue_status, is_circa, for_sale) VALUES (1, 'imperial', 'Denarius', 'silver', "
        "'Augustus', 'raw', 'official', FALSE, FALSE)",
    )
    _rows(
        migrated_db,
        "INSERT INTO llm_enrichments (coin_id, capability, model_id, input_hash, output_content, "
        "confidence, prompt_template_id) VALUES (1, 'legend_expand', 'claude-sonnet-4-6', 'h', "
        "'{}', 0.9, :template)",
        template=seeded_id,
    )

    migrations.downgrade(migrated_db, PREVIOUS)

    remaining = _templates(migrated_db)
    assert [(r["capability"], r["variant_name"]) for r in remaining] == [
        ("context_generate", "concise")
    ]
    (enrichment,) = _rows(migrated_db, "SELECT prompt_template_id FROM llm_enrichments")
    assert enrichment["prompt_template_id"] is None

    migrations.upgrade(migrated_db, "head")
    assert len(_templates(migrated_db)) == len(Capability) + 1


def test_a_template_made_before_the_revision_is_kept(migrated_db: str) -> None:
    migrations.downgrade(migrated_db, PREVIOUS)
    _rows(
        migrated_db,
        "INSERT INTO llm_prompt_templates (capability, version, system_prompt, user_template, "
        "variant_name, traffic_weight, is_active, requires_vision) VALUES ('catalog_suggest', 1, "
        "'Our own prompt.', '{coin_facts}', 'default', 1.0, TRUE, FALSE)",
    )

    migrations.upgrade(migrated_db, REVISION)
    own = [r for r in _templates(migrated_db) if r["capability"] == "catalog_suggest"]
    assert [r["system_prompt"] for r in own] == ["Our own prompt."]

    migrations.downgrade(migrated_db, PREVIOUS)
    assert [r["system_prompt"] for r in _templates(migrated_db)] == ["Our own prompt."]
