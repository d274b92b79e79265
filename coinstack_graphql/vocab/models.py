"""`vocab_terms` and their assignment to coins."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.types import ExactDecimal


class Vocabulary(StrEnum):
    ISSUER = "issuer"
    MINT = "mint"
    DENOMINATION = "denomination"
    DYNASTY = "dynasty"
    AUTHORITY = "authority"


class VocabTerm(Base):
    __tablename__ = "vocab_terms"
    __table_args__ = (UniqueConstraint("vocabulary", "canonical_name", name="uq_vocab_term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vocabulary: Mapped[Vocabulary] = mapped_column(EnumText(Vocabulary, 20), index=True)
    canonical_name: Mapped[str] = mapped_column(String(200))
    nomisma_id: Mapped[str | None] = mapped_column(String(100), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[Any | None] = mapped_column("metadata", JSON)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CoinVocabAssignment(Base):
    __tablename__ = "coin_vocab_assignments"
    __table_args__ = (UniqueConstraint("coin_id", "field_name", name="uq_coin_vocab_field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coin_id: Mapped[int] = mapped_column(ForeignKey("coins_v2.id", ondelete="CASCADE"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("vocab_terms.id", ondelete="CASCADE"), index=True)
    field_name: Mapped[str] = mapped_column(String(50))
    raw_value: Mapped[str | None] = mapped_column(String(200))
    confidence: Mapped[Decimal | None] = mapped_column(ExactDecimal(3, 2))
    method: Mapped[str | None] = mapped_column(String(20))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
