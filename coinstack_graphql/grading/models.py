"""Phase 2: `grading_history`, `rarity_assessments`, `census_snapshots`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.coins.enums import GradeService, GradingState
from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal, JSONText

P2 = {"info": since(2)}


class GradingEventType(StrEnum):
    INITIAL = "initial"
    CROSSOVER = "crossover"
    REGRADE = "regrade"
    CRACK_OUT = "crack_out"


class RarityCode(StrEnum):
    """Rarity codes as catalogues print them (the seed's literal values, not lowercased)."""

    C = "C"
    S = "S"
    R1 = "R1"
    R2 = "R2"
    R3 = "R3"
    R4 = "R4"
    R5 = "R5"
    RR = "RR"
    RRR = "RRR"
    UNIQUE = "UNIQUE"


class RaritySystem(StrEnum):
    RIC = "ric"
    CATALOG = "catalog"
    CENSUS = "census"
    MARKET_FREQUENCY = "market_frequency"


class RaritySourceType(StrEnum):
    CATALOG = "catalog"
    CENSUS_DATA = "census_data"
    AUCTION_ANALYSIS = "auction_analysis"
    EXPERT_OPINION = "expert_opinion"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class GradingHistory(Base):
    """One event of a coin's grading life: raw → slabbed → crossed over → cracked out."""

    __tablename__ = "grading_history"
    __table_args__ = (
        Index("ix_grading_history_coin_sequence", "coin_id", "sequence_order"),
        # The database itself guarantees one current entry per coin.
        Index(
            "uq_grading_history_one_current",
            "coin_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        CheckConstraint(
            "grade_numeric IS NULL OR (grade_numeric >= 1 AND grade_numeric <= 70)",
            name="grade_numeric_range",
        ),
        CheckConstraint(
            "strike_quality IS NULL OR strike_quality IN ('1','2','3','4','5')",
            name="strike_quality_range",
        ),
        CheckConstraint(
            "surface_quality IS NULL OR surface_quality IN ('1','2','3','4','5')",
            name="surface_quality_range",
        ),
        P2,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    grading_state: Mapped[GradingState] = mapped_column(EnumText(GradingState, 20))
    grade: Mapped[str | None] = mapped_column(Text)
    grade_service: Mapped[GradeService | None] = mapped_column(EnumText(GradeService, 20))
    certification_number: Mapped[str | None] = mapped_column(Text)
    strike_quality: Mapped[str | None] = mapped_column(Text)
    surface_quality: Mapped[str | None] = mapped_column(Text)
    grade_numeric: Mapped[int | None] = mapped_column(Integer)
    designation: Mapped[str | None] = mapped_column(Text)
    has_star: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    photo_cert: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    verification_url: Mapped[str | None] = mapped_column(Text)
    event_type: Mapped[GradingEventType] = mapped_column(EnumText(GradingEventType, 20))
    graded_date: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    submitter: Mapped[str | None] = mapped_column(Text)
    turnaround_days: Mapped[int | None] = mapped_column(Integer)
    grading_fee: Mapped[Decimal | None] = mapped_column(ExactDecimal(8, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    sequence_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class RarityAssessment(Base):
    __tablename__ = "rarity_assessments"
    __table_args__ = (
        Index("ix_rarity_assessments_coin_id", "coin_id"),
        Index(
            "uq_rarity_assessments_one_primary",
            "coin_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
        P2,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    rarity_code: Mapped[RarityCode] = mapped_column(EnumText(RarityCode, 10))
    rarity_system: Mapped[RaritySystem] = mapped_column(EnumText(RaritySystem, 20))
    source_type: Mapped[RaritySourceType] = mapped_column(EnumText(RaritySourceType, 20))
    source_name: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_date: Mapped[date | None] = mapped_column(Date)
    grade_range_low: Mapped[str | None] = mapped_column(Text)
    grade_range_high: Mapped[str | None] = mapped_column(Text)
    grade_conditional_notes: Mapped[str | None] = mapped_column(Text)
    census_total: Mapped[int | None] = mapped_column(Integer)
    census_this_grade: Mapped[int | None] = mapped_column(Integer)
    census_finer: Mapped[int | None] = mapped_column(Integer)
    census_date: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[Confidence | None] = mapped_column(
        EnumText(Confidence, 10), default=Confidence.MEDIUM, server_default="medium"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class CensusSnapshot(Base):
    __tablename__ = "census_snapshots"
    __table_args__ = (Index("ix_census_snapshots_coin_id", "coin_id"), P2)

    id: Mapped[int] = mapped_column(primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"))
    service: Mapped[GradeService] = mapped_column(EnumText(GradeService, 20))
    snapshot_date: Mapped[date] = mapped_column(Date)
    total_graded: Mapped[int] = mapped_column(Integer)
    grade_breakdown: Mapped[Any | None] = mapped_column(JSONText)
    coins_at_grade: Mapped[int | None] = mapped_column(Integer)
    coins_finer: Mapped[int | None] = mapped_column(Integer)
    percentile: Mapped[Decimal | None] = mapped_column(ExactDecimal(5, 2))
    catalog_reference: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
