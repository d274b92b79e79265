"""Declarative base with a naming convention so Alembic names every constraint alike."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(AsyncAttrs, DeclarativeBase):
    """Root of every model; relationships must be loaded explicitly (lazy='raise')."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Timezone-naive UTC now: SQLite has no time zones, so we store UTC without one."""
    return datetime.now(UTC).replace(tzinfo=None)


class StrEnum(str, enum.Enum):
    """A string enum whose value is what the database stores (lowercase)."""

    def __str__(self) -> str:
        return str(self.value)


class EnumText(TypeDecorator[Any]):
    """Stores an enum's lowercase *value* in a VARCHAR and refuses anything else.

    SQLAlchemy's own Enum type stores member names (IMPERIAL); the seeds want values
    (imperial), and a plain string column would accept typos.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type[enum.Enum], length: int = 30) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls
        self._values = frozenset(str(m.value) for m in enum_cls)
        # Value → member, read once per column value of every row: a dict lookup is
        # several times cheaper than calling the enum class.
        self._members = {str(m.value): m for m in enum_cls}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        raw = value.value if isinstance(value, enum.Enum) else str(value)
        if raw not in self._values:
            raise ValueError(f"{raw!r} is not a valid {self.enum_cls.__name__}")
        return str(raw)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        # Legacy rows keep their text rather than failing a read.
        return self._members.get(value, value)
