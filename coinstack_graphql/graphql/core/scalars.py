"""Scalars: `DateTime` is always UTC with an offset; `Decimal` and `JSON` are Strawberry's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

__all__ = ["JSON", "UTCDateTime", "SCALAR_MAP"]


def _serialize(value: datetime) -> str:
    # The database keeps naive UTC; say so on the wire rather than leave clients guessing.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string, e.g. 2024-05-01T12:00:00Z")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(tzinfo=None)


UTCDateTime = strawberry.scalar(
    name="DateTime",
    description="An ISO 8601 date-time in UTC, e.g. 2024-05-01T12:00:00Z.",
    serialize=_serialize,
    parse_value=_parse,
)

# For StrawberryConfig.scalar_map: every `datetime` field uses the UTC scalar.
SCALAR_MAP: dict[object, Any] = {datetime: UTCDateTime}
