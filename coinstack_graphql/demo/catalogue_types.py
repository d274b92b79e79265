"""Record types for the demo catalogue.

Enum-valued fields hold the plain string values of the project enums (Category, Metal,
GradeService, ...); the demo tests check every value against those enums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NotRequired, TypedDict


class CutInfo(TypedDict):
    """A test-cut entry: how many cuts and, optionally, where."""

    count: int
    positions: NotRequired[list[str]]


class MountInfo(TypedDict):
    """Evidence that the coin was once mounted."""

    evidence: str


class OverstrikeInfo(TypedDict):
    """The undertype of an overstruck coin."""

    undertype: str
    attribution: NotRequired[str]


class SecondaryTreatments(TypedDict, total=False):
    """V2.1 `secondary_treatments` JSON, as read by `coins.treatments`.

    Shape: {"test_cut": {"count": 1}, "bankers_marks": true,
    "mounted": {"evidence": "..."}, "overstrike": {"undertype": "..."}, "graffiti": "..."}.
    """

    test_cut: CutInfo
    bankers_marks: bool
    mounted: MountInfo
    overstrike: OverstrikeInfo
    graffiti: str


@dataclass(frozen=True, kw_only=True)
class Mint:
    """A real ancient mint with its modern site."""

    name: str
    province: str
    modern_location: str
    latitude: float
    longitude: float
    nomisma_id: str | None


@dataclass(frozen=True, kw_only=True)
class VocabTermData:
    """A controlled-vocabulary term; `parent` names an issuer's dynasty term."""

    vocabulary: str
    canonical_name: str
    nomisma_id: str | None
    description: str
    parent: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProvenanceEvent:
    """One step of a coin's pedigree, oldest first."""

    event_type: str
    event_date: date | None
    auction_house: str | None = None
    sale_series: str | None = None
    sale_number: str | None = None
    lot_number: str | None = None
    hammer_price: Decimal | None = None
    buyers_premium_pct: Decimal | None = None
    currency: str | None = None
    dealer_name: str | None = None
    collection_name: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class GradingEvent:
    """One grading-history event, oldest first; the last is the coin's current state."""

    event_type: str
    grading_state: str
    grade_service: str | None
    grade: str
    graded_date: date
    grade_numeric: int | None = None
    strike_quality: int | None = None
    surface_quality: int | None = None
    certification_number: str | None = None
    has_star: bool = False
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class RarityAssessmentData:
    """A rarity opinion from one source."""

    rarity_code: str
    rarity_system: str
    source_type: str
    source_name: str
    is_primary: bool = False
    source_date: date | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class CensusSnapshotData:
    """A grading-service population report for the coin's type."""

    service: str
    snapshot_date: date
    total_graded: int
    grade_breakdown: dict[str, int]
    coins_at_grade: int
    coins_finer: int
    catalog_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class CountermarkData:
    """A countermark punched on the coin after striking."""

    countermark_type: str
    position: str
    condition: str
    punch_shape: str
    description: str
    authority: str | None = None
    reference: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class DemoCoin:
    """One specimen of the demo collection; `key` is its stable identifier."""

    key: str
    category: str
    sub_category: str | None
    denomination: str
    metal: str
    issuer: str
    portrait_subject: str | None
    mint: str | None
    year_start: int
    year_end: int
    is_circa: bool
    dating_certainty: str
    date_period_notation: str
    weight_g: Decimal
    diameter_mm: Decimal
    die_axis: int | None
    obverse_legend: str | None
    obverse_description: str
    reverse_legend: str | None
    reverse_description: str
    exergue: str | None = None
    officina: str | None = None
    script: str = "latin"
    moneyer_gens: str | None = None
    secondary_authority: str | None = None
    authority_type: str | None = None
    co_ruler: str | None = None
    portrait_relationship: str | None = None
    flan_shape: str = "round"
    grading_state: str = "raw"
    grade: str
    grade_service: str | None = None
    certification_number: str | None = None
    grade_numeric: int | None = None
    ngc_strike_grade: int | None = None
    ngc_surface_grade: int | None = None
    is_fine_style: bool = False
    has_star_designation: bool = False
    holder_type: str = "flip"
    acquisition_date: date
    acquisition_price: Decimal
    acquisition_currency: str
    acquisition_source: str
    rarity: str | None = None
    references: tuple[str, ...]
    supplementary_references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    secondary_treatments: SecondaryTreatments | None = None
    obverse_die_id: str | None = None
    reverse_die_id: str | None = None
    is_double_struck: bool = False
    is_off_center: bool = False
    off_center_pct: int | None = None
    strike_quality_detail: str | None = None
    find_spot: str | None = None
    personal_notes: str | None = None
    historical_significance: str | None = None
    provenance: tuple[ProvenanceEvent, ...] = ()
    grading_history: tuple[GradingEvent, ...] = ()
    rarity_assessments: tuple[RarityAssessmentData, ...] = ()
    census_snapshots: tuple[CensusSnapshotData, ...] = ()
    countermarks: tuple[CountermarkData, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AuctionLot:
    """An auction record (the auction_data_v2 table); `sold` is None for an upcoming lot."""

    auction_house: str
    sale_name: str
    lot_number: str
    auction_date: date
    url: str
    estimate_low: Decimal | None
    estimate_high: Decimal | None
    hammer_price: Decimal | None
    total_price: Decimal | None
    buyers_premium_pct: Decimal
    currency: str
    sold: bool | None
    ruler: str
    denomination: str
    metal: str
    mint: str | None
    title: str
    grade: str | None
    primary_reference: str
    weight_g: Decimal | None = None
    diameter_mm: Decimal | None = None
    coin_key: str | None = None


@dataclass(frozen=True, kw_only=True)
class DemoCollection:
    """A user collection: custom (coin_keys), smart (smart_filter) or series-backed."""

    key: str
    name: str
    slug: str
    description: str
    collection_type: str
    coin_keys: tuple[str, ...] = ()
    smart_filter: dict[str, Any] | None = None
    parent_key: str | None = None
    is_favorite: bool = False
    display_order: int = 0


@dataclass(frozen=True, kw_only=True)
class DemoSeriesSlot:
    """One slot of a series; `coin_key` is None while the slot is empty."""

    slot_number: int
    name: str
    description: str | None = None
    coin_key: str | None = None
    priority: int | None = None


@dataclass(frozen=True, kw_only=True)
class DemoSeries:
    """A completion series such as the Twelve Caesars."""

    key: str
    name: str
    slug: str
    description: str
    series_type: str
    slots: tuple[DemoSeriesSlot, ...] = field(default_factory=tuple)


@dataclass(frozen=True, kw_only=True)
class DemoWishlistItem:
    """A wanted type; `series_slot` is (series key, slot number) when it fills a gap."""

    key: str
    title: str
    issuer: str | None
    mint: str | None
    year_start: int | None
    year_end: int | None
    denomination: str | None
    catalog_ref: str | None
    min_grade: str | None
    max_price: Decimal | None
    priority: int
    status: str = "wanted"
    series_slot: tuple[str, int] | None = None
    description: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class DemoPriceAlert:
    """A price alert on an attribution (citation), optionally tied to a coin or wish."""

    key: str
    trigger_type: str
    attribution: str
    threshold_value: Decimal | None = None
    threshold_pct: float | None = None
    coin_key: str | None = None
    wishlist_key: str | None = None
    status: str = "active"
    expires_at: date | None = None
    window_months: int | None = None
    notes: str | None = None


def auction(
    house: str,
    sale: str,
    lot: str,
    when: date,
    hammer: str,
    currency: str,
    *,
    series: str | None = None,
    premium: str = "20",
    notes: str | None = None,
) -> ProvenanceEvent:
    """An auction appearance in a pedigree."""
    return ProvenanceEvent(
        event_type="auction",
        event_date=when,
        auction_house=house,
        sale_series=series,
        sale_number=sale,
        lot_number=lot,
        hammer_price=Decimal(hammer),
        buyers_premium_pct=Decimal(premium),
        currency=currency,
        notes=notes,
    )


def dealer(name: str, when: date | None, notes: str | None = None) -> ProvenanceEvent:
    """A dealer's stock or fixed-price list in a pedigree."""
    return ProvenanceEvent(event_type="dealer", event_date=when, dealer_name=name, notes=notes)


def held_in(name: str, when: date | None, notes: str | None = None) -> ProvenanceEvent:
    """A named (or anonymised) collection in a pedigree; `when` is when it was formed."""
    return ProvenanceEvent(
        event_type="collection", event_date=when, collection_name=name, notes=notes
    )


def total_with_premium(hammer: str, premium: str = "20") -> Decimal:
    """Hammer plus buyer's premium, to the cent."""
    h = Decimal(hammer)
    return (h + h * Decimal(premium) / 100).quantize(Decimal("0.01"))
