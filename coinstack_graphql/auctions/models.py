"""`auction_data_v2` and `price_history`: auction lots and their aggregated prices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, utcnow
from coinstack_graphql.db.types import ExactDecimal


class AuctionData(Base):
    """One auction lot, scraped or entered, optionally linked to a coin of the collection."""

    __tablename__ = "auction_data_v2"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    coin_id: Mapped[int | None] = mapped_column(
        ForeignKey("coins_v2.id", ondelete="SET NULL"), index=True
    )
    # Identification
    auction_house: Mapped[str] = mapped_column(String(100), index=True)
    sale_name: Mapped[str | None] = mapped_column(String(200))
    lot_number: Mapped[str | None] = mapped_column(String(50))
    source_lot_id: Mapped[str | None] = mapped_column(String(50), index=True)
    auction_date: Mapped[date | None] = mapped_column(Date, index=True)
    url: Mapped[str] = mapped_column(String(500), unique=True)
    # Pricing
    estimate_low: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    estimate_high: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    estimate_usd: Mapped[int | None] = mapped_column(Integer)
    hammer_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    total_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    buyers_premium_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal(4, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    sold: Mapped[bool | None] = mapped_column(Boolean)
    bids: Mapped[int | None] = mapped_column(Integer)
    # Classification
    ruler: Mapped[str | None] = mapped_column(String(200))
    ruler_title: Mapped[str | None] = mapped_column(String(100))
    reign_dates: Mapped[str | None] = mapped_column(String(50))
    denomination: Mapped[str | None] = mapped_column(String(100))
    metal: Mapped[str | None] = mapped_column(String(20))
    mint: Mapped[str | None] = mapped_column(String(100))
    struck_dates: Mapped[str | None] = mapped_column(String(100))
    struck_under: Mapped[str | None] = mapped_column(String(200))
    categories: Mapped[Any | None] = mapped_column(JSON)
    # Physical
    weight_g: Mapped[Decimal | None] = mapped_column(ExactDecimal(6, 3))
    diameter_mm: Mapped[Decimal | None] = mapped_column(ExactDecimal(5, 2))
    thickness_mm: Mapped[Decimal | None] = mapped_column(ExactDecimal(4, 2))
    die_axis: Mapped[int | None] = mapped_column(Integer)
    die_axis_degrees: Mapped[int | None] = mapped_column(Integer)
    # Descriptions
    title: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    obverse_description: Mapped[str | None] = mapped_column(Text)
    reverse_description: Mapped[str | None] = mapped_column(Text)
    # Grading
    grade: Mapped[str | None] = mapped_column(String(50))
    grade_service: Mapped[str | None] = mapped_column(String(20))
    certification_number: Mapped[str | None] = mapped_column(String(50))
    condition_notes: Mapped[str | None] = mapped_column(Text)
    strike_score: Mapped[str | None] = mapped_column(String(10))
    surface_score: Mapped[str | None] = mapped_column(String(10))
    numeric_grade: Mapped[int | None] = mapped_column(Integer)
    grade_designation: Mapped[str | None] = mapped_column(String(50))
    # References
    catalog_references: Mapped[Any | None] = mapped_column(JSON)
    catalog_references_raw: Mapped[Any | None] = mapped_column(JSON)
    primary_reference: Mapped[str | None] = mapped_column(String(100))
    reference_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("reference_types.id", ondelete="SET NULL"), index=True
    )
    # Provenance
    provenance_text: Mapped[str | None] = mapped_column(Text)
    pedigree_year: Mapped[int | None] = mapped_column(Integer)
    has_provenance: Mapped[bool | None] = mapped_column(Boolean)
    provenance_entries: Mapped[Any | None] = mapped_column(JSON)
    # Photos
    photos: Mapped[Any | None] = mapped_column(JSON)
    primary_photo_url: Mapped[str | None] = mapped_column(String(500))
    photos_downloaded: Mapped[bool | None] = mapped_column(Boolean)
    # Source-specific
    sub_house: Mapped[str | None] = mapped_column(String(50))
    seller_username: Mapped[str | None] = mapped_column(String(100))
    seller_feedback_score: Mapped[int | None] = mapped_column(Integer)
    seller_feedback_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal(5, 2))
    seller_is_top_rated: Mapped[bool | None] = mapped_column(Boolean)
    seller_location: Mapped[str | None] = mapped_column(String(100))
    listing_type: Mapped[str | None] = mapped_column(String(50))
    shipping_cost: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    watchers: Mapped[int | None] = mapped_column(Integer)
    # Legends
    obverse_legend: Mapped[str | None] = mapped_column(String(500))
    reverse_legend: Mapped[str | None] = mapped_column(String(500))
    exergue: Mapped[str | None] = mapped_column(String(200))
    historical_notes: Mapped[str | None] = mapped_column(Text)
    # Metadata
    scraped_at: Mapped[datetime | None] = mapped_column(DateTime)
    raw_data: Mapped[Any | None] = mapped_column(JSON)
    campaign_scraped_at: Mapped[datetime | None] = mapped_column(DateTime)
    campaign_successful: Mapped[bool | None] = mapped_column(Boolean)
    campaign_error: Mapped[str | None] = mapped_column(String(500))


class PriceHistory(Base):
    __tablename__ = "price_history"
    __table_args__ = (
        UniqueConstraint(
            "reference_type_id", "period_date", "period_type", name="uq_price_history_period"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    reference_type_id: Mapped[int] = mapped_column(
        ForeignKey("reference_types.id", ondelete="CASCADE"), index=True
    )
    period_date: Mapped[date] = mapped_column(Date)
    period_type: Mapped[str | None] = mapped_column(String(20))
    min_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    max_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    median_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    mean_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    comp_count: Mapped[int | None] = mapped_column(Integer)
    sold_count: Mapped[int | None] = mapped_column(Integer)
    passed_count: Mapped[int | None] = mapped_column(Integer)
    median_price_vf_adj: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
