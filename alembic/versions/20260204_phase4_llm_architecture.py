"""V3 phase 4: LLM enrichments, prompt templates, feedback, daily usage, batch items.

Revision ID: 20260204_phase4
Revises: 20260203_phase3
Create Date: 2026-02-04 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '20260204_phase4'
down_revision: str | None = '20260203_phase3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('enrichment_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capability', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('coin_filter', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('batch_job_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(), nullable=True))

    op.create_table('llm_prompt_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('capability', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('system_prompt', sa.Text(), nullable=False),
    sa.Column('user_template', sa.Text(), nullable=False),
    sa.Column('parameters', sa.Text(), nullable=True),
    sa.Column('requires_vision', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('output_schema', sa.Text(), nullable=True),
    sa.Column('variant_name', sa.Text(), server_default='default', nullable=False),
    sa.Column('traffic_weight', sa.Float(), server_default='1', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('deprecated_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_prompt_templates')),
    sa.UniqueConstraint('capability', 'version', 'variant_name', name='uq_prompt_template')
    )

    op.create_table('llm_usage_daily',
    sa.Column('date', sa.Text(), nullable=False),
    sa.Column('capability', sa.Text(), nullable=False),
    sa.Column('model_id', sa.Text(), nullable=False),
    sa.Column('request_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cache_hits', sa.Integer(), server_default='0', nullable=False),
    sa.Column('error_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_cost_usd', sa.Numeric(precision=14, scale=6), server_default='0', nullable=False),
    sa.Column('total_input_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_output_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('avg_confidence', sa.Float(), nullable=True),
    sa.Column('review_approved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('review_rejected', sa.Integer(), server_default='0', nullable=False),
    sa.Column('avg_latency_ms', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('date', 'capability', 'model_id', name=op.f('pk_llm_usage_daily'))
    )

    op.create_table('llm_enrichments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('capability', sa.String(length=40), nullable=False),
    sa.Column('capability_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('model_id', sa.Text(), nullable=False),
    sa.Column('model_version', sa.Text(), nullable=True),
    sa.Column('input_hash', sa.Text(), nullable=False),
    sa.Column('input_snapshot', sa.Text(), nullable=True),
    sa.Column('output_content', sa.Text(), nullable=False),
    sa.Column('raw_response', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('needs_review', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('quality_flags', sa.Text(), nullable=True),
    sa.Column('cost_usd', sa.Numeric(precision=12, scale=6), server_default='0', nullable=False),
    sa.Column('input_tokens', sa.Integer(), nullable=True),
    sa.Column('output_tokens', sa.Integer(), nullable=True),
    sa.Column('cached', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('review_status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('reviewed_by', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Text(), nullable=True),
    sa.Column('batch_job_id', sa.Text(), nullable=True),
    sa.Column('prompt_template_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_llm_enrichments_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prompt_template_id'], ['llm_prompt_templates.id'], name=op.f('fk_llm_enrichments_prompt_template_id_llm_prompt_templates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['superseded_by'], ['llm_enrichments.id'], name=op.f('fk_llm_enrichments_superseded_by_llm_enrichments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_enrichments')),
    sa.UniqueConstraint('coin_id', 'capability', 'input_hash', 'review_status', name='uq_llm_enrichment')
    )

    with op.batch_alter_table('llm_enrichments', schema=None) as batch_op:
        batch_op.create_index('ix_llm_enrichments_coin_capability', ['coin_id', 'capability'], unique=False)
        batch_op.create_index('ix_llm_enrichments_review_status', ['review_status'], unique=False)

    op.create_table('enrichment_job_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=36), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('enrichment_id', sa.Integer(), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_enrichment_job_items_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrichment_id'], ['llm_enrichments.id'], name=op.f('fk_enrichment_job_items_enrichment_id_llm_enrichments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['enrichment_jobs.id'], name=op.f('fk_enrichment_job_items_job_id_enrichment_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrichment_job_items')),
    sa.UniqueConstraint('job_id', 'coin_id', name='uq_enrichment_job_item')
    )

    with op.batch_alter_table('enrichment_job_items', schema=None) as batch_op:
        batch_op.create_index('ix_enrichment_job_items_job_status', ['job_id', 'status'], unique=False)

    op.create_table('llm_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrichment_id', sa.Integer(), nullable=False),
    sa.Column('feedback_type', sa.Text(), nullable=False),
    sa.Column('field_path', sa.Text(), nullable=True),
    sa.Column('original_value', sa.Text(), nullable=True),
    sa.Column('corrected_value', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Text(), nullable=True),
    sa.Column('feedback_notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enrichment_id'], ['llm_enrichments.id'], name=op.f('fk_llm_feedback_enrichment_id_llm_enrichments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_feedback'))
    )

    with op.batch_alter_table('llm_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_llm_feedback_enrichment_id'), ['enrichment_id'], unique=False)


    _legacy_llm_columns_to_enrichments()


def downgrade() -> None:
    with op.batch_alter_table('llm_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_llm_feedback_enrichment_id'))

    op.drop_table('llm_feedback')

    with op.batch_alter_table('enrichment_job_items', schema=None) as batch_op:
        batch_op.drop_index('ix_enrichment_job_items_job_status')

    op.drop_table('enrichment_job_items')

    with op.batch_alter_table('llm_enrichments', schema=None) as batch_op:
        batch_op.drop_index('ix_llm_enrichments_review_status')
        batch_op.drop_index('ix_llm_enrichments_coin_capability')

    op.drop_table('llm_enrichments')

    op.drop_table('llm_usage_daily')

    op.drop_table('llm_prompt_templates')

    with op.batch_alter_table('enrichment_jobs', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('created_at')
        batch_op.drop_column('batch_job_id')
        batch_op.drop_column('coin_filter')
        batch_op.drop_column('capability')


LEGACY_MODEL = "coinstack-v2.1-legacy"
LLM_SOURCES = {"llm", "ai", "claude", "anthropic", "openai", "gpt"}


def _json(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _legacy_hash(coin_id: int, capability: str, content: str) -> str:
    return hashlib.sha256(f"v2.1|{coin_id}|{capability}|{content}".encode()).hexdigest()


def _is_llm_made(field_sources: Any, enriched_at: Any) -> bool:
    """Whether V2.1's historical_significance came from an LLM rather than the collector."""
    sources = _json(field_sources)
    if isinstance(sources, dict) and "historical_significance" in sources:
        entry = sources["historical_significance"]
        name = entry.get("source") if isinstance(entry, dict) else entry
        return str(name).lower() in LLM_SOURCES
    return enriched_at is not None


def _legacy_llm_columns_to_enrichments() -> None:
    """V2.1's inline LLM columns become enrichment rows; the columns stay (dual-write).

    Analysis sections and an LLM-written historical significance were already shown on
    the coin, so they arrive approved; suggested references were never reviewed, so they
    arrive pending in the review queue.
    """
    bind = op.get_bind()
    coins = sa.table(
        "coins_v2",
        *(
            sa.column(name)
            for name in (
                "id", "historical_significance", "llm_enriched_at", "llm_analysis_sections",
                "llm_suggested_references", "field_sources",
            )
        ),
    )
    enrichments = sa.table(
        "llm_enrichments",
        *(
            sa.column(name)
            for name in (
                "coin_id", "capability", "capability_version", "model_id", "input_hash",
                "output_content", "confidence", "needs_review", "review_status", "created_at",
                "reviewed_at", "review_notes", "cost_usd", "cached",
            )
        ),
    )
    rows = bind.execute(
        sa.select(coins).where(
            sa.or_(
                coins.c.llm_analysis_sections.is_not(None),
                coins.c.llm_suggested_references.is_not(None),
                coins.c.historical_significance.is_not(None),
            )
        )
    ).mappings()
    inserts: list[dict[str, Any]] = []
    for row in rows:
        when = row["llm_enriched_at"]
        context: dict[str, Any] = {}
        if row["llm_analysis_sections"] is not None:
            context["sections"] = _json(row["llm_analysis_sections"])
        if row["historical_significance"] and _is_llm_made(row["field_sources"], when):
            context["historical_significance"] = row["historical_significance"]
        legacy = {
            "capability_version": 1, "model_id": LEGACY_MODEL, "confidence": 0.5,
            "created_at": when, "cost_usd": 0, "cached": False,
            "review_notes": "Migrated from the V2.1 coin record",
        }
        if context:
            content = json.dumps(context, sort_keys=True, ensure_ascii=False)
            inserts.append({
                **legacy, "coin_id": row["id"], "capability": "context_generate",
                "input_hash": _legacy_hash(row["id"], "context_generate", content),
                "output_content": content, "needs_review": False,
                "review_status": "approved", "reviewed_at": when,
            })
        if row["llm_suggested_references"] is not None:
            refs = _json(row["llm_suggested_references"])
            content = json.dumps({"references": refs}, sort_keys=True, ensure_ascii=False)
            inserts.append({
                **legacy, "coin_id": row["id"], "capability": "catalog_suggest",
                "input_hash": _legacy_hash(row["id"], "catalog_suggest", content),
                "output_content": content, "needs_review": True,
                "review_status": "pending", "reviewed_at": None,
            })
    if inserts:
        bind.execute(enrichments.insert(), inserts)
