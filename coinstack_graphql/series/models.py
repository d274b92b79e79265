"""`series`, `series_slots`, `series_memberships`, `monograms`, `coin_monograms`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, utcnow


class Series(Base):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    series_type: Mapped[str | None] = mapped_column(String(30))
    target_count: Mapped[int | None] = mapped_column(Integer)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    canonical_vocab_id: Mapped[int | None] = mapped_column(
        ForeignKey("vocab_terms.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SeriesSlot(Base):
    __tablename__ = "series_slots"
    __table_args__ = (UniqueConstraint("series_id", "slot_number", name="uq_series_slot_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    slot_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int | None] = mapped_column(Integer)


class SeriesMembership(Base):
    __tablename__ = "series_memberships"
    __table_args__ = (
        UniqueConstraint("series_id", "coin_id", name="uq_series_membership_coin"),
        UniqueConstraint("slot_id", name="uq_series_membership_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("series_slots.id", ondelete="CASCADE"))
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)


class Monogram(Base):
    __tablename__ = "monograms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(100), unique=True)
    image_path: Mapped[str | None] = mapped_column(String(255))
    vector_data: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(100))


coin_monograms = Table(
    "coin_monograms",
    Base.metadata,
    Column("coin_id", ForeignKey("coins_v2.id", ondelete="CASCADE"), primary_key=True),
    Column("monogram_id", ForeignKey("monograms.id", ondelete="CASCADE"), primary_key=True),
)
