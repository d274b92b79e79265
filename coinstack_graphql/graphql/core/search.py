"""Case-insensitive substring search with user text escaped for LIKE."""

from __future__ import annotations

from coinstack_graphql.coins.filters import contains_text as contains

__all__ = ["contains"]
