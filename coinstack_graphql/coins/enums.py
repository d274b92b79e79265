"""Enumerations of the coin domain, with the lowercase values the database stores."""

from __future__ import annotations

from coinstack_graphql.db.base import StrEnum


class Category(StrEnum):
    GREEK = "greek"
    CELTIC = "celtic"
    REPUBLIC = "republic"
    IMPERIAL = "imperial"
    PROVINCIAL = "provincial"
    JUDAEAN = "judaean"
    BYZANTINE = "byzantine"
    MIGRATION = "migration"
    PSEUDO_ROMAN = "pseudo_roman"
    OTHER = "other"


class Metal(StrEnum):
    GOLD = "gold"
    ELECTRUM = "electrum"
    SILVER = "silver"
    BILLON = "billon"
    POTIN = "potin"
    ORICHALCUM = "orichalcum"
    BRONZE = "bronze"
    COPPER = "copper"
    LEAD = "lead"
    AE = "ae"
    UNCERTAIN = "uncertain"


class DatingCertainty(StrEnum):
    EXACT = "exact"
    NARROW = "narrow"
    BROAD = "broad"
    UNKNOWN = "unknown"


class GradeService(StrEnum):
    NGC = "ngc"
    PCGS = "pcgs"
    SELF = "self"
    DEALER = "dealer"


class GradingState(StrEnum):
    """Whether the coin is raw or encapsulated by a grading service."""

    RAW = "raw"
    SLABBED = "slabbed"
    CAPSULE = "capsule"


class HolderType(StrEnum):
    NGC_SLAB = "ngc_slab"
    PCGS_SLAB = "pcgs_slab"
    FLIP = "flip"
    CAPSULE = "capsule"
    TRAY = "tray"
    RAW = "raw"


class Rarity(StrEnum):
    COMMON = "common"
    SCARCE = "scarce"
    RARE = "rare"
    VERY_RARE = "very_rare"
    EXTREMELY_RARE = "extremely_rare"
    UNIQUE = "unique"


class Orientation(StrEnum):
    OBVERSE_UP = "obverse_up"
    REVERSE_UP = "reverse_up"
    ROTATED = "rotated"


class IssueStatus(StrEnum):
    """Whether the piece is an official issue or an ancient imitation/plated copy."""

    OFFICIAL = "official"
    IMITATION = "imitation"
    FOURREE = "fourree"
    BARBAROUS = "barbarous"
    MODERN_FAKE = "modern_fake"
    UNCERTAIN = "uncertain"


class AuthorityType(StrEnum):
    MAGISTRATE = "magistrate"
    SATRAP = "satrap"
    DYNAST = "dynast"
    STRATEGOS = "strategos"
    GOVERNOR = "governor"
    MONEYER = "moneyer"
    OTHER = "other"


class PortraitRelationship(StrEnum):
    CONSORT = "consort"
    HEIR = "heir"
    DIVUS = "divus"
    DIVA = "diva"
    COMMEMORATIVE = "commemorative"
    SELF = "self"
    OTHER = "other"


class FlanShape(StrEnum):
    ROUND = "round"
    SCYPHATE = "scyphate"
    IRREGULAR = "irregular"
    SQUARE = "square"
    OVAL = "oval"


class FlanType(StrEnum):
    CAST = "cast"
    STRUCK = "struck"
    HAMMERED = "hammered"


class ToolingExtent(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    SIGNIFICANT = "significant"


class CenteringQuality(StrEnum):
    WELL_CENTERED = "well_centered"
    SLIGHTLY_OFF = "slightly_off"
    OFF_CENTER = "off_center"


class DieState(StrEnum):
    FRESH = "fresh"
    EARLY = "early"
    MIDDLE = "middle"
    LATE = "late"
    BROKEN = "broken"


class ImageType(StrEnum):
    OBVERSE = "obverse"
    REVERSE = "reverse"
    EDGE = "edge"
    SLAB = "slab"
    DETAIL = "detail"
    COMBINED = "combined"
    OTHER = "other"


class ProvenanceType(StrEnum):
    AUCTION = "auction"
    PRIVATE_SALE = "private_sale"
    DEALER = "dealer"
    FIND = "find"
    INHERITANCE = "inheritance"
    GIFT = "gift"
    COLLECTION = "collection"
    EXCHANGE = "exchange"


class CountermarkType(StrEnum):
    """Phase 1.5b's countermark classes (V2.1's six older values are migrated onto these)."""

    REVALIDATION = "revalidation"
    REVALUATION = "revaluation"
    IMPERIAL_PORTRAIT = "imperial_portrait"
    IMPERIAL_MONOGRAM = "imperial_monogram"
    LEGIONARY = "legionary"
    CIVIC_SYMBOL = "civic_symbol"
    ROYAL_DYNASTIC = "royal_dynastic"
    TRADE_MERCHANT = "trade_merchant"
    RELIGIOUS_CULT = "religious_cult"
    UNCERTAIN = "uncertain"


class CountermarkPlacement(StrEnum):
    OBVERSE = "obverse"
    REVERSE = "reverse"
    EDGE = "edge"
    BOTH_SIDES = "both_sides"


class CountermarkCondition(StrEnum):
    CLEAR = "clear"
    PARTIAL = "partial"
    WORN = "worn"
    UNCERTAIN = "uncertain"


class PunchShape(StrEnum):
    RECTANGULAR = "rectangular"
    CIRCULAR = "circular"
    OVAL = "oval"
    SQUARE = "square"
    IRREGULAR = "irregular"
    TRIANGULAR = "triangular"
    STAR = "star"
    UNCERTAIN = "uncertain"


# V2.1 countermark types and the phase-1.5b class each one became (and back on downgrade).
LEGACY_COUNTERMARK_TYPES: dict[str, str] = {
    "host_validation": "revalidation",
    "value_reduction": "revaluation",
    "military": "legionary",
    "civic": "civic_symbol",
    "imperial": "imperial_portrait",
    "other": "uncertain",
}
