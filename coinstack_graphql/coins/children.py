"""Rows that belong to one coin: images, tags, countermarks and provenance events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.coins import enums as e
from coinstack_graphql.db.base import Base, EnumText, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal

COIN_FK = "coins_v2.id"


class CoinImage(Base):
    __tablename__ = "coin_images"
    __table_args__ = (Index("ix_coin_image_hash", "coin_id", "perceptual_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"), index=True)
    image_type: Mapped[e.ImageType] = mapped_column(EnumText(e.ImageType, 20))
    file_path: Mapped[str] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(100))
    mime_type: Mapped[str | None] = mapped_column(String(50))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    is_primary: Mapped[bool | None] = mapped_column(Boolean, default=False)
    uploaded_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    perceptual_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_auction_id: Mapped[int | None] = mapped_column(
        ForeignKey("auction_data_v2.id", ondelete="SET NULL")
    )
    source_house: Mapped[str | None] = mapped_column(String(50))
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime)


class CoinTag(Base):
    __tablename__ = "coin_tags"
    __table_args__ = (UniqueConstraint("coin_id", "tag", name="uq_coin_tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(50), index=True)


class Countermark(Base):
    __tablename__ = "countermarks"
    __table_args__ = (Index("ix_countermarks_coin_type", "coin_id", "countermark_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"), index=True)
    countermark_type: Mapped[e.CountermarkType] = mapped_column(EnumText(e.CountermarkType, 30))
    description: Mapped[str] = mapped_column(String(100))
    expanded: Mapped[str | None] = mapped_column(String(255))
    placement: Mapped[e.CountermarkPlacement] = mapped_column(EnumText(e.CountermarkPlacement, 20))
    position: Mapped[str | None] = mapped_column(String(50))
    condition: Mapped[e.CountermarkCondition | None] = mapped_column(
        EnumText(e.CountermarkCondition, 20)
    )
    authority: Mapped[str | None] = mapped_column(String(100))
    date_applied: Mapped[str | None] = mapped_column(String(50))
    image_url: Mapped[str | None] = mapped_column(String(500))
    image_side: Mapped[e.CountermarkPlacement | None] = mapped_column(
        EnumText(e.CountermarkPlacement, 20)
    )
    notes: Mapped[str | None] = mapped_column(String(255))
    # phase 1.5b/c
    punch_shape: Mapped[e.PunchShape | None] = mapped_column(EnumText(e.PunchShape, 20), info=since(1))
    reference: Mapped[str | None] = mapped_column(String(100), info=since(1))
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, info=since(1))


class ProvenanceEvent(Base):
    __tablename__ = "provenance_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey(COIN_FK, ondelete="CASCADE"), index=True)
    event_type: Mapped[e.ProvenanceType] = mapped_column(EnumText(e.ProvenanceType, 50))
    event_date: Mapped[date | None] = mapped_column(Date)
    auction_house: Mapped[str | None] = mapped_column(String(100))
    sale_series: Mapped[str | None] = mapped_column(String(50))
    sale_number: Mapped[str | None] = mapped_column(String(20))
    lot_number: Mapped[str | None] = mapped_column(String(20))
    catalog_reference: Mapped[str | None] = mapped_column(String(200))
    hammer_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    buyers_premium_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal(4, 2))
    total_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    dealer_name: Mapped[str | None] = mapped_column(String(100))
    collection_name: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    receipt_available: Mapped[bool | None] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int | None] = mapped_column(Integer)
    auction_data_id: Mapped[int | None] = mapped_column(
        ForeignKey("auction_data_v2.id", ondelete="SET NULL")
    )
