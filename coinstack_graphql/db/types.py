"""Column types shared by every domain: exact decimals and JSON kept in TEXT columns."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Numeric, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """NUMERIC(p, s) that always hands back `Decimal`, quantised to the column's scale.

    SQLite has no decimal type: it keeps NUMERIC as REAL, and SQLAlchemy warns on every
    Decimal read. We read the float and quantise it to the declared scale ourselves, which
    is exact for the sizes the seeds declare (at most 12 significant digits).
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision=precision, scale=scale)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=False))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(str(value)) if not isinstance(value, Decimal) else value
        # Round the same way on every engine (PostgreSQL would round half-up itself).
        value = value.quantize(self._quantum, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return float(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):  # PostgreSQL: already exact, at most re-scaled
            return value.quantize(self._quantum)
        return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
            self._quantum
        )


class JSONText(TypeDecorator[Any]):
    """JSON stored in a TEXT column, as the seeds declare it; Python objects in and out."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value  # legacy rows that hold prose rather than JSON stay readable
