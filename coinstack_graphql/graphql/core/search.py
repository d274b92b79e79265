"""Case-insensitive substring search with user text escaped for LIKE."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.filters import escape_like


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text` literally (`%` and `_` match only themselves)."""
    return func.lower(column).like(f"%{escape_like(text.lower())}%", escape="\\")
