"""`reference_types`, `coin_references`, `reference_match_attempts` and the phase-3
`reference_concordance` and `external_catalog_links`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since
from coinstack_graphql.db.types import ExactDecimal, JSONText

P3 = since(3)


class ReferenceSystem(StrEnum):
    RIC = "ric"
    CRAWFORD = "crawford"
    RPC = "rpc"
    RSC = "rsc"
    BMCRE = "bmcre"
    SEAR = "sear"
    SYDENHAM = "sydenham"
    SNG = "sng"
    BMC = "bmc"
    HN = "hn"
    OTHER = "other"


class ReferencePosition(StrEnum):
    OBVERSE = "obverse"
    REVERSE = "reverse"
    BOTH = "both"


class CatalogSource(StrEnum):
    OCRE = "ocre"
    NOMISMA = "nomisma"
    CRRO = "crro"
    RPC_ONLINE = "rpc_online"
    PELLA = "pella"
    SCO = "sco"
    OTHER = "other"


class ReferenceType(Base):
    """A catalogue type (RIC I² 207): the single record every specimen citing it shares."""

    __tablename__ = "reference_types"
    __table_args__ = (
        UniqueConstraint("system", "local_ref_normalized", name="uq_ref_type"),
        Index("idx_ref_number_numeric", "system", "number_numeric", info=P3),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    system: Mapped[ReferenceSystem] = mapped_column(EnumText(ReferenceSystem, 20), index=True)
    local_ref: Mapped[str] = mapped_column(String(100))
    local_ref_normalized: Mapped[str] = mapped_column(String(100), index=True)
    volume: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(50))
    edition: Mapped[str | None] = mapped_column(String(10))
    variant: Mapped[str | None] = mapped_column(String(10))
    mint: Mapped[str | None] = mapped_column(String(30))
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str | None] = mapped_column(String(500))
    lookup_status: Mapped[str | None] = mapped_column(String(20))
    lookup_confidence: Mapped[Decimal | None] = mapped_column(ExactDecimal(3, 2))
    last_lookup: Mapped[datetime | None] = mapped_column(DateTime)
    source_version: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[Any | None] = mapped_column(JSON)
    citation: Mapped[str | None] = mapped_column(Text)
    bibliography_refs: Mapped[Any | None] = mapped_column(JSON)
    # phase 3
    sng_volume: Mapped[str | None] = mapped_column(Text, info=P3)
    number_numeric: Mapped[int | None] = mapped_column(Integer, info=P3)
    publication_year: Mapped[int | None] = mapped_column(Integer, info=P3)
    rarity_code: Mapped[str | None] = mapped_column(Text, info=P3)


class CoinReference(Base):
    """A coin's citation of a reference type, with what is specific to this specimen."""

    __tablename__ = "coin_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"), index=True)
    reference_type_id: Mapped[int] = mapped_column(
        ForeignKey("reference_types.id", ondelete="RESTRICT"), index=True
    )
    is_primary: Mapped[bool | None] = mapped_column(Boolean, default=False)
    plate_coin: Mapped[bool | None] = mapped_column(Boolean, default=False)
    position: Mapped[ReferencePosition | None] = mapped_column(EnumText(ReferencePosition, 20))
    variant_notes: Mapped[str | None] = mapped_column(String(255))
    page: Mapped[str | None] = mapped_column(String(20))
    plate: Mapped[str | None] = mapped_column(String(30))
    note_number: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(String(255))
    # phase 3
    attribution_confidence: Mapped[str | None] = mapped_column(Text, info=P3)
    catalog_rarity_note: Mapped[str | None] = mapped_column(Text, info=P3)
    disagreement_note: Mapped[str | None] = mapped_column(Text, info=P3)


class ReferenceMatchAttempt(Base):
    __tablename__ = "reference_match_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("reference_types.id", ondelete="CASCADE"), index=True
    )
    timestamp: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    query_sent: Mapped[str | None] = mapped_column(Text)
    context_used: Mapped[Any | None] = mapped_column(JSON)
    result_status: Mapped[str | None] = mapped_column(String(20))
    confidence: Mapped[Decimal | None] = mapped_column(ExactDecimal(3, 2))
    candidates_returned: Mapped[int | None] = mapped_column(Integer)
    selected_candidate: Mapped[Any | None] = mapped_column(JSON)
    error_message: Mapped[str | None] = mapped_column(Text)


class ReferenceConcordance(Base):
    """Membership of a reference type in an equivalence group (RIC 207 = RSC 112 = BMC 298)."""

    __tablename__ = "reference_concordance"
    __table_args__ = (
        UniqueConstraint(
            "concordance_group_id", "reference_type_id", name="uq_concordance_group_member"
        ),
        # A type belongs to at most one group: equivalence is transitive, so groups merge.
        UniqueConstraint("reference_type_id", name="uq_concordance_reference_type"),
        {"info": P3},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concordance_group_id: Mapped[str] = mapped_column(Text, index=True)
    reference_type_id: Mapped[int] = mapped_column(
        ForeignKey("reference_types.id", ondelete="CASCADE")
    )
    confidence: Mapped[float | None] = mapped_column(Float, default=1.0)
    source: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class ExternalCatalogLink(Base):
    __tablename__ = "external_catalog_links"
    __table_args__ = (
        UniqueConstraint("reference_type_id", "catalog_source", name="uq_external_link_source"),
        {"info": P3},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_type_id: Mapped[int] = mapped_column(
        ForeignKey("reference_types.id", ondelete="CASCADE"), index=True
    )
    catalog_source: Mapped[CatalogSource] = mapped_column(EnumText(CatalogSource, 20))
    external_id: Mapped[str] = mapped_column(Text)
    external_url: Mapped[str | None] = mapped_column(Text)
    external_data: Mapped[Any | None] = mapped_column(JSONText)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime)
