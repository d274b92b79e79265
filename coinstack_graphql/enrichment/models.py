"""`enrichment_jobs` (V2.1) and the phase-4 LLM tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal, JSONText

P4 = since(4)


class Capability(StrEnum):
    CONTEXT_GENERATE = "context_generate"
    ATTRIBUTION_SUGGEST = "attribution_suggest"
    LEGEND_EXPAND = "legend_expand"
    CATALOG_SUGGEST = "catalog_suggest"
    CONDITION_DESCRIBE = "condition_describe"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVISED = "revised"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class EnrichmentJob(Base):
    """A bulk enrichment job; V2.1 columns plus what phase 4 needs to resume a batch."""

    __tablename__ = "enrichment_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    result_summary: Mapped[Any | None] = mapped_column(JSONText)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    not_found: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # phase 4
    capability: Mapped[str | None] = mapped_column(String(40), info=P4)
    coin_filter: Mapped[Any | None] = mapped_column(JSON, info=P4)
    batch_job_id: Mapped[str | None] = mapped_column(String(100), info=P4)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, info=P4)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, info=P4)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, info=P4)


class EnrichmentJobItem(Base):
    """One coin of a batch job; workers claim rows (FOR UPDATE SKIP LOCKED on PostgreSQL)."""

    __tablename__ = "enrichment_job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "coin_id", name="uq_enrichment_job_item"),
        Index("ix_enrichment_job_items_job_status", "job_id", "status"),
        {"info": P4},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("enrichment_jobs.id", ondelete="CASCADE"))
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    enrichment_id: Mapped[int | None] = mapped_column(
        ForeignKey("llm_enrichments.id", ondelete="SET NULL")
    )
    error_message: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class LLMEnrichment(Base):
    __tablename__ = "llm_enrichments"
    __table_args__ = (
        UniqueConstraint(
            "coin_id", "capability", "input_hash", "review_status", name="uq_llm_enrichment"
        ),
        Index("ix_llm_enrichments_coin_capability", "coin_id", "capability"),
        Index("ix_llm_enrichments_review_status", "review_status"),
        {"info": P4},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    capability: Mapped[Capability] = mapped_column(EnumText(Capability, 40))
    capability_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    model_id: Mapped[str] = mapped_column(Text)
    model_version: Mapped[str | None] = mapped_column(Text)
    input_hash: Mapped[str] = mapped_column(Text)
    input_snapshot: Mapped[Any | None] = mapped_column(JSONText)
    output_content: Mapped[str] = mapped_column(Text)
    raw_response: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    quality_flags: Mapped[Any | None] = mapped_column(JSONText)
    # Seed says REAL; money is exact here so budgets and daily totals add up to the cent.
    cost_usd: Mapped[Decimal] = mapped_column(ExactDecimal(12, 6), default=0, server_default="0")
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    cached: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    review_status: Mapped[ReviewStatus] = mapped_column(
        EnumText(ReviewStatus, 20), default=ReviewStatus.PENDING, server_default="pending"
    )
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("llm_enrichments.id", ondelete="SET NULL")
    )
    request_id: Mapped[str | None] = mapped_column(Text)
    batch_job_id: Mapped[str | None] = mapped_column(Text)
    # Which prompt produced it (for A/B analysis); not in the seed, recorded by us.
    prompt_template_id: Mapped[int | None] = mapped_column(
        ForeignKey("llm_prompt_templates.id", ondelete="SET NULL")
    )


class PromptTemplate(Base):
    __tablename__ = "llm_prompt_templates"
    __table_args__ = (
        UniqueConstraint("capability", "version", "variant_name", name="uq_prompt_template"),
        {"info": P4},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capability: Mapped[Capability] = mapped_column(EnumText(Capability, 40))
    version: Mapped[int] = mapped_column(Integer)
    system_prompt: Mapped[str] = mapped_column(Text)
    user_template: Mapped[str] = mapped_column(Text)
    parameters: Mapped[Any | None] = mapped_column(JSONText)
    requires_vision: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    output_schema: Mapped[Any | None] = mapped_column(JSONText)
    variant_name: Mapped[str] = mapped_column(Text, default="default", server_default="default")
    traffic_weight: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    deprecated_at: Mapped[datetime | None] = mapped_column(DateTime)
    notes: Mapped[str | None] = mapped_column(Text)


class LLMFeedback(Base):
    __tablename__ = "llm_feedback"
    __table_args__ = ({"info": P4},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrichment_id: Mapped[int] = mapped_column(
        ForeignKey("llm_enrichments.id", ondelete="CASCADE"), index=True
    )
    feedback_type: Mapped[str] = mapped_column(Text)
    field_path: Mapped[str | None] = mapped_column(Text)
    original_value: Mapped[str | None] = mapped_column(Text)
    corrected_value: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str | None] = mapped_column(Text)
    feedback_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class LLMUsageDaily(Base):
    __tablename__ = "llm_usage_daily"
    __table_args__ = ({"info": P4},)

    date: Mapped[str] = mapped_column(Text, primary_key=True)
    capability: Mapped[str] = mapped_column(Text, primary_key=True)
    model_id: Mapped[str] = mapped_column(Text, primary_key=True)
    request_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cache_hits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_cost_usd: Mapped[Decimal] = mapped_column(
        ExactDecimal(14, 6), default=0, server_default="0"
    )
    total_input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_output_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    avg_confidence: Mapped[float | None] = mapped_column(Float)
    review_approved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    review_rejected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    avg_latency_ms: Mapped[float | None] = mapped_column(Float)
