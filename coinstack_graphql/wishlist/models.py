"""Phase 5 wishlist tables: `wishlist_items` and `wishlist_matches`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal

P5 = {"info": since(5)}


class WishlistStatus(StrEnum):
    WANTED = "wanted"
    WATCHING = "watching"
    ACQUIRED = "acquired"
    CANCELLED = "cancelled"


class WishlistItem(Base):
    __tablename__ = "wishlist_items"
    __table_args__ = (P5,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    mint: Mapped[str | None] = mapped_column(Text)
    year_start: Mapped[int | None] = mapped_column(Integer)
    year_end: Mapped[int | None] = mapped_column(Integer)
    denomination: Mapped[str | None] = mapped_column(Text)
    catalog_ref: Mapped[str | None] = mapped_column(Text)
    min_grade: Mapped[str | None] = mapped_column(Text)
    max_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    priority: Mapped[int | None] = mapped_column(Integer, default=2, server_default="2")
    status: Mapped[WishlistStatus] = mapped_column(
        EnumText(WishlistStatus, 20), default=WishlistStatus.WANTED, server_default="wanted"
    )
    series_slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("series_slots.id", ondelete="SET NULL")
    )
    acquired_coin_id: Mapped[int | None] = mapped_column(
        ForeignKey("coins_v2.id", ondelete="SET NULL")
    )
    acquired_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, onupdate=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)


class WishlistMatch(Base):
    __tablename__ = "wishlist_matches"
    __table_args__ = (
        # Re-scans update rather than duplicate a match.
        UniqueConstraint(
            "wishlist_item_id", "match_type", "match_id", name="uq_wishlist_match_source"
        ),
        P5,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wishlist_item_id: Mapped[int] = mapped_column(
        ForeignKey("wishlist_items.id", ondelete="CASCADE"), index=True
    )
    match_type: Mapped[str] = mapped_column(Text)
    match_id: Mapped[str] = mapped_column(Text)
    match_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    grade: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    currency: Mapped[str | None] = mapped_column(Text, default="USD", server_default="USD")
    match_score: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[str | None] = mapped_column(Text)
    auction_date: Mapped[date | None] = mapped_column(Date)
    is_below_budget: Mapped[bool | None] = mapped_column(Boolean)
    is_below_market: Mapped[bool | None] = mapped_column(Boolean)
    value_score: Mapped[float | None] = mapped_column(Float)
    notified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
