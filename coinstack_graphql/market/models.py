"""Phase 5 market tables: `market_prices`, `market_data_points`, `coin_valuations`,
`price_alerts`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal

P5 = {"info": since(5)}


class MarketSource(StrEnum):
    AUCTION_REALIZED = "auction_realized"
    DEALER_ASKING = "dealer_asking"


class AlertTrigger(StrEnum):
    PRICE_BELOW = "price_below"
    PRICE_ABOVE = "price_above"
    PCT_CHANGE = "pct_change"
    NEW_MATCH = "new_match"


class AlertStatus(StrEnum):
    ACTIVE = "active"
    TRIGGERED = "triggered"
    PAUSED = "paused"
    EXPIRED = "expired"


class MarketPrice(Base):
    """The price series of one attribution key (one coin type)."""

    __tablename__ = "market_prices"
    __table_args__ = (P5,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribution_key: Mapped[str] = mapped_column(Text, unique=True)
    catalog_ref: Mapped[str | None] = mapped_column(Text)
    denomination: Mapped[str | None] = mapped_column(Text)
    metal: Mapped[str | None] = mapped_column(Text)
    last_updated: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class MarketDataPoint(Base):
    __tablename__ = "market_data_points"
    __table_args__ = (
        Index("ix_market_data_points_price_date", "market_price_id", "date"),
        # Idempotent bulk loads: one observation per lot URL.
        UniqueConstraint("lot_url", name="uq_market_data_points_lot_url"),
        P5,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    market_price_id: Mapped[int] = mapped_column(
        ForeignKey("market_prices.id", ondelete="CASCADE")
    )
    price: Mapped[Decimal] = mapped_column(ExactDecimal(12, 2))
    currency: Mapped[str | None] = mapped_column(Text, default="USD", server_default="USD")
    source: Mapped[MarketSource] = mapped_column(EnumText(MarketSource, 20))
    date: Mapped[date] = mapped_column(Date)
    grade: Mapped[str | None] = mapped_column(Text)
    auction_house: Mapped[str | None] = mapped_column(Text)
    lot_url: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(Text, default="medium", server_default="medium")
    auction_data_id: Mapped[int | None] = mapped_column(
        ForeignKey("auction_data_v2.id", ondelete="SET NULL")
    )


class CoinValuation(Base):
    __tablename__ = "coin_valuations"
    __table_args__ = (Index("ix_coin_valuations_coin_date", "coin_id", "valuation_date"), P5)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    valuation_date: Mapped[date] = mapped_column(Date)
    purchase_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    purchase_date: Mapped[date | None] = mapped_column(Date)
    current_market_value: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    market_confidence: Mapped[str | None] = mapped_column(Text)
    comparable_count: Mapped[int | None] = mapped_column(Integer)
    price_trend_12mo: Mapped[float | None] = mapped_column(Float)
    gain_loss_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    gain_loss_pct: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    # Not in the seed: the key used and why no value was given, so a client can explain it.
    attribution_key: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class PriceAlert(Base):
    __tablename__ = "price_alerts"
    __table_args__ = (Index("ix_price_alerts_status", "status"), P5)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribution_key: Mapped[str | None] = mapped_column(Text)
    coin_id: Mapped[int | None] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    wishlist_id: Mapped[int | None] = mapped_column(
        ForeignKey("wishlist_items.id", ondelete="CASCADE")
    )
    trigger_type: Mapped[AlertTrigger] = mapped_column(EnumText(AlertTrigger, 20))
    threshold_value: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 2))
    threshold_pct: Mapped[float | None] = mapped_column(Float)
    status: Mapped[AlertStatus] = mapped_column(
        EnumText(AlertStatus, 20), default=AlertStatus.ACTIVE, server_default="active"
    )
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    triggered_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    notification_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)
    # Not in the seed: the observation that fired it, so the same one never fires twice.
    window_months: Mapped[int | None] = mapped_column(Integer)
    last_observation_key: Mapped[str | None] = mapped_column(Text)
