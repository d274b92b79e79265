"""Marks on tables and columns telling which schema revision introduced them.

The migration files are written by hand, but tests compare the ORM against them, and the
marks document in the model itself what a V2.1 database lacks.
"""

from __future__ import annotations

from typing import Any

BASELINE = "892810d42bbe"


def since(phase: int) -> dict[str, Any]:
    """`info=` for a column or table added by V3 phase `phase` (1..6, 7+ for our own)."""
    return {"phase": phase}
