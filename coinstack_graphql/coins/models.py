"""The `coins_v2` table (V2.1 CoinModel plus the V3 phase-1 columns) and `mints`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.coins import enums as e
from coinstack_graphql.db.base import Base, EnumText, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal, JSONText

P1 = since(1)


class Mint(Base):
    __tablename__ = "mints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    province: Mapped[str | None] = mapped_column(String(100))
    modern_location: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[Decimal | None] = mapped_column(ExactDecimal(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(ExactDecimal(9, 6))


class Coin(Base):
    __tablename__ = "coins_v2"
    __table_args__ = (
        CheckConstraint("die_axis >= 0 AND die_axis <= 12", name="die_axis_range"),
        CheckConstraint(
            "strike_quality IS NULL OR (strike_quality >= 1 AND strike_quality <= 5)",
            name="strike_quality_range",
        ),
        CheckConstraint(
            "surface_quality IS NULL OR (surface_quality >= 1 AND surface_quality <= 5)",
            name="surface_quality_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    # Classification
    category: Mapped[e.Category] = mapped_column(EnumText(e.Category, 50), index=True)
    sub_category: Mapped[str | None] = mapped_column(String(50))
    denomination: Mapped[str] = mapped_column(String(50), index=True)
    metal: Mapped[e.Metal] = mapped_column(EnumText(e.Metal, 50), index=True)

    # Attribution
    issuer: Mapped[str] = mapped_column(String(100), index=True)
    portrait_subject: Mapped[str | None] = mapped_column(String(100))
    mint: Mapped[str | None] = mapped_column(String(100))
    mint_id: Mapped[int | None] = mapped_column(ForeignKey("mints.id", ondelete="SET NULL"), index=True)
    issuer_term_id: Mapped[int | None] = mapped_column(ForeignKey("vocab_terms.id", ondelete="SET NULL"))
    mint_term_id: Mapped[int | None] = mapped_column(ForeignKey("vocab_terms.id", ondelete="SET NULL"))
    denomination_term_id: Mapped[int | None] = mapped_column(
        ForeignKey("vocab_terms.id", ondelete="SET NULL")
    )
    dynasty_term_id: Mapped[int | None] = mapped_column(ForeignKey("vocab_terms.id", ondelete="SET NULL"))
    officina: Mapped[str | None] = mapped_column(String(20))
    script: Mapped[str | None] = mapped_column(String(20))

    # Chronology (negative years are BC)
    year_start: Mapped[int | None] = mapped_column(Integer, index=True)
    year_end: Mapped[int | None] = mapped_column(Integer)
    reign_start: Mapped[int | None] = mapped_column(Integer)
    reign_end: Mapped[int | None] = mapped_column(Integer)
    is_circa: Mapped[bool] = mapped_column(Boolean, default=False)
    dating_certainty: Mapped[e.DatingCertainty | None] = mapped_column(EnumText(e.DatingCertainty, 20))
    dating_notes: Mapped[str | None] = mapped_column(String(255))

    # Physical
    weight_g: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 3))
    diameter_mm: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    diameter_min_mm: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    thickness_mm: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    die_axis: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[e.Orientation | None] = mapped_column(EnumText(e.Orientation, 20))
    specific_gravity: Mapped[Decimal | None] = mapped_column(ExactDecimal(5, 2))

    # Design
    obverse_legend: Mapped[str | None] = mapped_column(String(255))
    obverse_legend_expanded: Mapped[str | None] = mapped_column(Text)
    obverse_description: Mapped[str | None] = mapped_column(Text)
    obverse_symbols: Mapped[str | None] = mapped_column(String(255))
    reverse_legend: Mapped[str | None] = mapped_column(String(255))
    reverse_legend_expanded: Mapped[str | None] = mapped_column(Text)
    reverse_description: Mapped[str | None] = mapped_column(Text)
    reverse_symbols: Mapped[str | None] = mapped_column(String(255))
    exergue: Mapped[str | None] = mapped_column(String(100))

    # Grading
    grading_state: Mapped[e.GradingState] = mapped_column(
        EnumText(e.GradingState, 20), default=e.GradingState.RAW, index=True
    )
    grade: Mapped[str | None] = mapped_column(String(50))
    grade_service: Mapped[e.GradeService | None] = mapped_column(EnumText(e.GradeService, 20))
    certification_number: Mapped[str | None] = mapped_column(String(50))
    strike_quality: Mapped[int | None] = mapped_column(Integer)
    surface_quality: Mapped[int | None] = mapped_column(Integer)
    surface_issues: Mapped[Any | None] = mapped_column(JSON)
    eye_appeal: Mapped[str | None] = mapped_column(String(50))
    toning_description: Mapped[str | None] = mapped_column(String(255))
    style_notes: Mapped[str | None] = mapped_column(String(255))

    # Acquisition
    acquisition_date: Mapped[date | None] = mapped_column(Date, index=True)
    acquisition_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    acquisition_currency: Mapped[str | None] = mapped_column(String(3))
    acquisition_source: Mapped[str | None] = mapped_column(String(100))
    acquisition_url: Mapped[str | None] = mapped_column(String(500))

    # Valuation
    estimate_low: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    estimate_high: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    estimate_date: Mapped[date | None] = mapped_column(Date)
    estimated_value_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))
    insured_value: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))

    # Storage
    holder_type: Mapped[e.HolderType | None] = mapped_column(EnumText(e.HolderType, 20))
    storage_location: Mapped[str | None] = mapped_column(String(50))
    for_sale: Mapped[bool] = mapped_column(Boolean, default=False)
    asking_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 2))

    # Research
    rarity: Mapped[e.Rarity | None] = mapped_column(EnumText(e.Rarity, 20))
    rarity_notes: Mapped[str | None] = mapped_column(String(255))
    historical_significance: Mapped[str | None] = mapped_column(Text)
    die_match_notes: Mapped[str | None] = mapped_column(Text)
    personal_notes: Mapped[str | None] = mapped_column(Text)
    provenance_notes: Mapped[str | None] = mapped_column(Text)
    issue_status: Mapped[e.IssueStatus] = mapped_column(
        EnumText(e.IssueStatus, 20), default=e.IssueStatus.OFFICIAL, index=True
    )
    find_spot: Mapped[str | None] = mapped_column(String(255))
    find_date: Mapped[date | None] = mapped_column(Date)

    # Die study
    obverse_die_id: Mapped[str | None] = mapped_column(String(50), index=True)
    reverse_die_id: Mapped[str | None] = mapped_column(String(50), index=True)
    die_study_obverse_id: Mapped[int | None] = mapped_column(
        ForeignKey("coins_v2.id", ondelete="SET NULL")
    )
    die_study_reverse_id: Mapped[int | None] = mapped_column(
        ForeignKey("coins_v2.id", ondelete="SET NULL")
    )
    die_study_group: Mapped[str | None] = mapped_column(String(50))

    # V2.1 JSON blobs and LLM columns (phase 4 moves the LLM ones into llm_enrichments)
    secondary_treatments: Mapped[Any | None] = mapped_column(JSONText)
    llm_enriched_at: Mapped[datetime | None] = mapped_column(DateTime)
    llm_analysis_sections: Mapped[Any | None] = mapped_column(JSONText)
    llm_suggested_references: Mapped[Any | None] = mapped_column(JSONText)
    field_sources: Mapped[Any | None] = mapped_column(JSON)

    # ---- V3 phase 1: attribution
    secondary_authority: Mapped[str | None] = mapped_column(Text, info=P1)
    secondary_authority_term_id: Mapped[int | None] = mapped_column(
        ForeignKey("vocab_terms.id", ondelete="SET NULL"), info=P1
    )
    authority_type: Mapped[e.AuthorityType | None] = mapped_column(
        EnumText(e.AuthorityType, 20), info=P1
    )
    co_ruler: Mapped[str | None] = mapped_column(Text, info=P1)
    co_ruler_term_id: Mapped[int | None] = mapped_column(
        ForeignKey("vocab_terms.id", ondelete="SET NULL"), info=P1
    )
    portrait_relationship: Mapped[e.PortraitRelationship | None] = mapped_column(
        EnumText(e.PortraitRelationship, 20), info=P1
    )
    moneyer_gens: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- physical
    weight_standard: Mapped[str | None] = mapped_column(Text, info=P1)
    expected_weight_g: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 3), info=P1)
    flan_shape: Mapped[e.FlanShape | None] = mapped_column(EnumText(e.FlanShape, 20), info=P1)
    flan_type: Mapped[e.FlanType | None] = mapped_column(EnumText(e.FlanType, 20), info=P1)
    flan_notes: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- secondary treatments
    is_overstrike: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    undertype_visible: Mapped[str | None] = mapped_column(Text, info=P1)
    undertype_attribution: Mapped[str | None] = mapped_column(Text, info=P1)
    has_test_cut: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    test_cut_count: Mapped[int | None] = mapped_column(Integer, info=P1)
    test_cut_positions: Mapped[str | None] = mapped_column(Text, info=P1)
    has_bankers_marks: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", info=P1
    )
    has_graffiti: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    graffiti_description: Mapped[str | None] = mapped_column(Text, info=P1)
    was_mounted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    mount_evidence: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- tooling / repairs
    tooling_extent: Mapped[e.ToolingExtent | None] = mapped_column(
        EnumText(e.ToolingExtent, 20), info=P1
    )
    tooling_details: Mapped[str | None] = mapped_column(Text, info=P1)
    has_ancient_repair: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", info=P1
    )
    ancient_repairs: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- centering
    centering: Mapped[e.CenteringQuality | None] = mapped_column(
        EnumText(e.CenteringQuality, 20), info=P1
    )
    centering_notes: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- die study
    obverse_die_state: Mapped[e.DieState | None] = mapped_column(EnumText(e.DieState, 20), info=P1)
    reverse_die_state: Mapped[e.DieState | None] = mapped_column(EnumText(e.DieState, 20), info=P1)
    die_break_description: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- TPG grading
    grade_numeric: Mapped[int | None] = mapped_column(Integer, info=P1)
    grade_designation: Mapped[str | None] = mapped_column(Text, info=P1)
    has_star_designation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", info=P1
    )
    photo_certificate: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", info=P1
    )
    verification_url: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- chronology
    date_period_notation: Mapped[str | None] = mapped_column(Text, info=P1)
    emission_phase: Mapped[str | None] = mapped_column(Text, info=P1)
    # ---- phase 1.5b/c: strike quality and NGC strike/surface/fine style
    strike_quality_detail: Mapped[str | None] = mapped_column(Text, info=P1)
    is_double_struck: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", info=P1
    )
    is_brockage: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    is_off_center: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)
    off_center_pct: Mapped[int | None] = mapped_column(Integer, info=P1)
    ngc_strike_grade: Mapped[int | None] = mapped_column(Integer, info=P1)
    ngc_surface_grade: Mapped[int | None] = mapped_column(Integer, info=P1)
    is_fine_style: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", info=P1)


# Phase-1 checks live outside __table_args__ so the baseline can be built without them.
PHASE1_CHECKS = {
    "grade_numeric_range": "grade_numeric IS NULL OR (grade_numeric >= 1 AND grade_numeric <= 70)",
    "ngc_strike_grade_range": "ngc_strike_grade IS NULL OR (ngc_strike_grade >= 1 AND ngc_strike_grade <= 5)",
    "ngc_surface_grade_range": "ngc_surface_grade IS NULL OR (ngc_surface_grade >= 1 AND ngc_surface_grade <= 5)",
    "off_center_pct_range": "off_center_pct IS NULL OR (off_center_pct >= 0 AND off_center_pct <= 100)",
    "test_cut_count_range": "test_cut_count IS NULL OR test_cut_count >= 0",
}
for _name, _sql in PHASE1_CHECKS.items():
    cast(Table, Coin.__table__).append_constraint(CheckConstraint(_sql, name=_name, info=P1))
