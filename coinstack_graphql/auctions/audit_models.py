"""Audit trail tables: audit runs, discrepancies, suggested enrichments, field history,
image sources and import records."""

from __future__ import annotations

from datetime import datetime
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

from coinstack_graphql.db.base import Base, utcnow

COIN_FK = "coins_v2.id"
AUCTION_FK = "auction_data_v2.id"


class AuditRun(Base):
    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    scope: Mapped[str] = mapped_column(String(20))
    coin_ids: Mapped[Any | None] = mapped_column(JSON)
    total_coins: Mapped[int | None] = mapped_column(Integer)
    coins_audited: Mapped[int | None] = mapped_column(Integer)
    coins_with_issues: Mapped[int | None] = mapped_column(Integer)
    discrepancies_found: Mapped[int | None] = mapped_column(Integer)
    enrichments_found: Mapped[int | None] = mapped_column(Integer)
    images_downloaded: Mapped[int | None] = mapped_column(Integer)
    auto_accepted: Mapped[int | None] = mapped_column(Integer)
    auto_applied: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    error_message: Mapped[str | None] = mapped_column(Text)
    config_snapshot: Mapped[Any | None] = mapped_column(JSON)


class DiscrepancyRecord(Base):
    __tablename__ = "discrepancy_records"
    __table_args__ = (
        Index("ix_discrepancy_status_trust", "status", "trust_level"),
        Index("ix_discrepancy_coin_status", "coin_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"))
    auction_data_id: Mapped[int | None] = mapped_column(ForeignKey(AUCTION_FK, ondelete="SET NULL"))
    audit_run_id: Mapped[int | None] = mapped_column(ForeignKey("audit_runs.id", ondelete="SET NULL"))
    field_name: Mapped[str] = mapped_column(String(50))
    current_value: Mapped[str | None] = mapped_column(Text)
    auction_value: Mapped[str | None] = mapped_column(Text)
    similarity: Mapped[float | None] = mapped_column(Float)
    difference_type: Mapped[str | None] = mapped_column(String(30))
    comparison_notes: Mapped[str | None] = mapped_column(Text)
    normalized_current: Mapped[str | None] = mapped_column(Text)
    normalized_auction: Mapped[str | None] = mapped_column(Text)
    source_house: Mapped[str] = mapped_column(String(50))
    trust_level: Mapped[str] = mapped_column(String(20))
    auto_acceptable: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_notes: Mapped[str | None] = mapped_column(Text)


class EnrichmentRecord(Base):
    __tablename__ = "enrichment_records"
    __table_args__ = (
        Index("ix_enrichment_status_trust", "status", "trust_level"),
        Index("ix_enrichment_coin_status", "coin_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"))
    auction_data_id: Mapped[int | None] = mapped_column(ForeignKey(AUCTION_FK, ondelete="SET NULL"))
    audit_run_id: Mapped[int | None] = mapped_column(ForeignKey("audit_runs.id", ondelete="SET NULL"))
    field_name: Mapped[str] = mapped_column(String(50))
    suggested_value: Mapped[str] = mapped_column(Text)
    source_house: Mapped[str] = mapped_column(String(50))
    trust_level: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float | None] = mapped_column(Float)
    auto_applicable: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
    applied: Mapped[bool | None] = mapped_column(Boolean)
    rejection_reason: Mapped[str | None] = mapped_column(Text)


class FieldHistory(Base):
    """One changed field of one coin; a batch id groups the changes of one write."""

    __tablename__ = "field_history"
    __table_args__ = (
        Index("ix_field_history_batch_coin", "batch_id", "coin_id"),
        Index("ix_field_history_coin_field", "coin_id", "field_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"))
    field_name: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[Any | None] = mapped_column(JSON)
    new_value: Mapped[Any | None] = mapped_column(JSON)
    old_source: Mapped[str | None] = mapped_column(String(50))
    new_source: Mapped[str | None] = mapped_column(String(50))
    old_source_id: Mapped[str | None] = mapped_column(String(100))
    new_source_id: Mapped[str | None] = mapped_column(String(100))
    change_type: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[str | None] = mapped_column(String(36))
    conflict_type: Mapped[str | None] = mapped_column(String(50))
    trust_old: Mapped[int | None] = mapped_column(Integer)
    trust_new: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))


class ImageAuctionSource(Base):
    __tablename__ = "image_auction_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    image_id: Mapped[int] = mapped_column(ForeignKey("coin_images.id", ondelete="CASCADE"), index=True)
    auction_data_id: Mapped[int] = mapped_column(ForeignKey(AUCTION_FK, ondelete="CASCADE"))
    source_url: Mapped[str] = mapped_column(String(500))
    source_house: Mapped[str | None] = mapped_column(String(50))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportRecord(Base):
    __tablename__ = "import_records"
    __table_args__ = (
        UniqueConstraint("source_type", "source_id", name="uq_import_source"),
        Index("ix_import_source_lookup", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"), index=True)
    source_type: Mapped[str] = mapped_column(String(50))
    source_id: Mapped[str | None] = mapped_column(String(100))
    source_url: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    raw_data: Mapped[Any | None] = mapped_column(JSON)
    import_method: Mapped[str | None] = mapped_column(String(50))
    imported_by: Mapped[str | None] = mapped_column(String(100))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_row: Mapped[int | None] = mapped_column(Integer)
    enriched_at: Mapped[datetime | None] = mapped_column(DateTime)
    enrichment_source: Mapped[str | None] = mapped_column(String(50))
