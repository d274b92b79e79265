"""`api_tokens`: bearer tokens, stored only as SHA-256 hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coinstack_graphql.db.base import Base, EnumText, StrEnum, utcnow
from coinstack_graphql.db.phases import since


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = ({"info": since(8)},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # SHA-256 of the token: tokens are 256-bit random, so a fast hash suffices and the
    # plaintext cannot be recovered from the database.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[Scope] = mapped_column(EnumText(Scope, 10))
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
