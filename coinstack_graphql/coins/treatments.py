"""Reading V2.1's free-form `secondary_treatments` JSON into the V3 structured flags.

V2.1 wrote this blob by hand and by importers, so the reader accepts the shapes seen there:
an object keyed by treatment (`{"test_cut": {"count": 2}, "bankers_marks": true}`), the V3
flag names themselves (`{"has_test_cut": true}`), or a list of phrases (`["test cut"]`).
"""

from __future__ import annotations

import json
import re
from typing import Any

FLAG_COLUMNS = (
    "is_overstrike",
    "undertype_visible",
    "undertype_attribution",
    "has_test_cut",
    "test_cut_count",
    "test_cut_positions",
    "has_bankers_marks",
    "has_graffiti",
    "graffiti_description",
    "was_mounted",
    "mount_evidence",
)

_ALIASES = {
    "test_cut": "test_cut",
    "test_cuts": "test_cut",
    "testcut": "test_cut",
    "has_test_cut": "test_cut",
    "pruefhieb": "test_cut",
    "bankers_marks": "bankers_marks",
    "banker_marks": "bankers_marks",
    "bankers_mark": "bankers_marks",
    "has_bankers_marks": "bankers_marks",
    "graffiti": "graffiti",
    "graffito": "graffiti",
    "has_graffiti": "graffiti",
    "mounted": "mounted",
    "was_mounted": "mounted",
    "mount": "mounted",
    "overstrike": "overstrike",
    "overstruck": "overstrike",
    "is_overstrike": "overstrike",
}


_UMLAUTS = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"})


def _key(raw: str) -> str | None:
    folded = raw.lower().replace("'", "").translate(_UMLAUTS)
    slug = re.sub(r"[^a-z]+", "_", folded).strip("_")
    return _ALIASES.get(slug)


def _text(value: Any, *names: str) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list):  # e.g. positions: ["obverse edge", "reverse at 6h"]
        parts = [str(v).strip() for v in value if str(v).strip()]
        return ", ".join(parts) or None
    if isinstance(value, dict):
        for name in names:
            found = _text(value.get(name))
            if found:
                return found
    return None


def _present(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get("present", True) is not False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value > 0
    return bool(value)


def parse_secondary_treatments(raw: Any) -> dict[str, Any]:
    """The V3 flag columns implied by a V2.1 blob; absent treatments come back False/None."""
    flags: dict[str, Any] = {c: None for c in FLAG_COLUMNS}
    for flag in ("is_overstrike", "has_test_cut", "has_bankers_marks", "has_graffiti", "was_mounted"):
        flags[flag] = False
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = [part for part in re.split(r"[;,]", raw) if part.strip()]
    items: list[tuple[str, Any]]
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = [(str(x), True) if not isinstance(x, dict) else (str(x.get("type", "")), x) for x in raw]
    else:
        return flags
    if isinstance(raw, dict):
        # Blobs already written with the V3 detail names keep their details.
        for column in FLAG_COLUMNS:
            detail = raw.get(column)
            if detail is not None and not isinstance(detail, bool | dict | list):
                flags[column] = detail
    for name, value in items:
        kind = _key(name)
        if kind is None or not _present(value):
            continue
        found: dict[str, Any] = {}
        if kind == "test_cut":
            flags["has_test_cut"] = True
            count = value if isinstance(value, int) and not isinstance(value, bool) else None
            if isinstance(value, dict):
                count = value.get("count")
            found["test_cut_count"] = count if isinstance(count, int) else None
            found["test_cut_positions"] = _text(value, "positions", "position", "location")
        elif kind == "bankers_marks":
            flags["has_bankers_marks"] = True
        elif kind == "graffiti":
            flags["has_graffiti"] = True
            found["graffiti_description"] = _text(value, "description", "text", "transcription")
        elif kind == "mounted":
            flags["was_mounted"] = True
            found["mount_evidence"] = _text(value, "evidence", "description", "notes")
        elif kind == "overstrike":
            flags["is_overstrike"] = True
            found["undertype_visible"] = _text(value, "undertype_visible", "visible", "undertype")
            found["undertype_attribution"] = _text(
                value, "undertype_attribution", "attribution", "host"
            )
        # A detail given under its own V3 name (copied above) is not overwritten by None.
        flags.update({k: v for k, v in found.items() if v is not None})
    return flags
