"""Opaque keyset cursors: the sort-key values of a row, typed so they bind back exactly."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from coinstack_graphql.graphql.core.errors import bad_request

_PREFIX = "c1:"
_SIGNATURE = re.compile(r"[0-9a-f]{8}")


def _encode_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"D": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "d":
            return Decimal(raw)
        if tag == "t":
            return datetime.fromisoformat(raw)
        if tag == "D":
            return date.fromisoformat(raw)
    if isinstance(value, (dict, list)):
        raise ValueError("nested value")
    return value


def encode_cursor(values: list[Any], ordering: str = "") -> str:
    """A cursor: the ordering's signature, then the row's sort-key values."""
    payload = [ordering, *(_encode_value(v) for v in values)]
    raw = _PREFIX + json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii")


def decode_cursor(
    cursor: str, expected_length: int, argument: str, ordering: str = "",
    types: list[type | None] | None = None,
) -> list[Any]:
    """Sort-key values of a cursor made by the same ordering; anything else is a client error."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
        if not raw.startswith(_PREFIX):
            raise ValueError("prefix")
        payload = json.loads(raw[len(_PREFIX) :])
        if not isinstance(payload, list) or not payload or not isinstance(payload[0], str):
            raise ValueError("shape")
        signature, values = payload[0], [_decode_value(v) for v in payload[1:]]
        if not _SIGNATURE.fullmatch(signature):
            raise ValueError("signature")
    except (binascii.Error, UnicodeError, ValueError, InvalidOperation, TypeError):
        raise bad_request(f"Argument '{argument}' is not a valid cursor") from None
    if signature != ordering or len(values) != expected_length:
        raise bad_request(
            f"Argument '{argument}' is a cursor from a different ordering; "
            "restart pagination without it"
        )
    for value, expected in zip(values, types or [None] * len(values), strict=True):
        if value is not None and expected is not None and not _fits(value, expected):
            raise bad_request(f"Argument '{argument}' is not a valid cursor")
    return values


def _fits(value: Any, expected: type) -> bool:
    """Whether a decoded value can stand for a sort key of this Python type."""
    if isinstance(value, bool):
        return expected is bool
    if expected is int:
        return isinstance(value, int) and abs(value) < 2**63
    if expected in (float, Decimal):
        return isinstance(value, int | float | Decimal) and bool(abs(value) < 10**15)
    if expected is datetime:
        return isinstance(value, datetime)
    if expected is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, expected)
