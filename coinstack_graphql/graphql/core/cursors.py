"""Opaque keyset cursors: the sort-key values of a row, typed so they bind back exactly."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from coinstack_graphql.graphql.core.errors import bad_request

_PREFIX = "c1:"


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


def encode_cursor(values: list[Any]) -> str:
    raw = _PREFIX + json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii")


def decode_cursor(cursor: str, expected_length: int, argument: str) -> list[Any]:
    """Sort-key values of a cursor; a cursor of another ordering or garbage is a client error."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
        if not raw.startswith(_PREFIX):
            raise ValueError("prefix")
        values = [_decode_value(v) for v in json.loads(raw[len(_PREFIX) :])]
    except (binascii.Error, UnicodeError, ValueError, InvalidOperation, TypeError):
        raise bad_request(f"Argument '{argument}' is not a valid cursor") from None
    if len(values) != expected_length:
        raise bad_request(
            f"Argument '{argument}' is a cursor from a different ordering; "
            "restart pagination without it"
        )
    return values
