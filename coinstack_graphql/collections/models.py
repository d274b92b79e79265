"""Phase 6: `collections` (custom, smart, hierarchical) and `collection_coins`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal, JSONText

P6 = {"info": since(6)}


class CollectionType(StrEnum):
    CUSTOM = "custom"
    SMART = "smart"
    SERIES = "series"
    SYSTEM = "system"


class Collection(Base):
    __tablename__ = "collections"
    __table_args__ = (Index("ix_collections_parent_id", "parent_id"), P6)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    collection_type: Mapped[CollectionType] = mapped_column(
        EnumText(CollectionType, 20), default=CollectionType.CUSTOM, server_default="custom"
    )
    smart_filter: Mapped[Any | None] = mapped_column(JSONText)
    cover_image_url: Mapped[str | None] = mapped_column(Text)
    display_order: Mapped[int | None] = mapped_column(Integer)
    is_favorite: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("collections.id", ondelete="SET NULL")
    )
    coin_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_value: Mapped[Decimal | None] = mapped_column(ExactDecimal(14, 2))
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, onupdate=utcnow)


class CollectionCoin(Base):
    __tablename__ = "collection_coins"
    __table_args__ = (Index("ix_collection_coins_coin_id", "coin_id"), P6)

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    coin_id: Mapped[int] = mapped_column(
        ForeignKey("coins_v2.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    position: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
