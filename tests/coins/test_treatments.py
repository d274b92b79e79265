"""Reading V2.1 `secondary_treatments` blobs into the V3 phase-1 flag columns."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coinstack_graphql.coins.treatments import FLAG_COLUMNS, parse_secondary_treatments

BOOL_FLAGS = ("is_overstrike", "has_test_cut", "has_bankers_marks", "has_graffiti", "was_mounted")
NOTHING: dict[str, Any] = {
    column: (False if column in BOOL_FLAGS else None) for column in FLAG_COLUMNS
}


def flags(**set_: Any) -> dict[str, Any]:
    """The full flag dict: everything absent except `set_`."""
    unknown = set(set_) - set(FLAG_COLUMNS)
    assert not unknown, unknown
    return {**NOTHING, **set_}


CASES: list[tuple[str, Any, dict[str, Any]]] = [
    (
        "dict: test cut with count and position",
        {"test_cut": {"count": 2, "positions": "obverse at 3h"}},
        flags(has_test_cut=True, test_cut_count=2, test_cut_positions="obverse at 3h"),
    ),
    (
        "dict: banker's marks and a graffito transcription",
        {"bankers_marks": True, "graffiti": "Greek letter Δ"},
        flags(has_bankers_marks=True, has_graffiti=True, graffiti_description="Greek letter Δ"),
    ),
    (
        "dict: overstrike with undertype and host attribution",
        {"overstrike": {"undertype": "traces of ΠΡΟ", "attribution": "Ptolemaic bronze"}},
        flags(
            is_overstrike=True,
            undertype_visible="traces of ΠΡΟ",
            undertype_attribution="Ptolemaic bronze",
        ),
    ),
    (
        "dict: count given as a bare integer",
        {"test_cuts": 3},
        flags(has_test_cut=True, test_cut_count=3),
    ),
    (
        "dict: mount evidence as text",
        {"mounted": "loop removed at 12h, bezel marks on edge"},
        flags(was_mounted=True, mount_evidence="loop removed at 12h, bezel marks on edge"),
    ),
    (
        "dict: graffito as object with a transcription",
        {"graffito": {"transcription": "ΑΡΤΕΜΙΔΩΡΟΥ"}},
        flags(has_graffiti=True, graffiti_description="ΑΡΤΕΜΙΔΩΡΟΥ"),
    ),
    (
        "dict: keys in display case",
        {"Test Cut": True, "Banker's Marks": True},
        flags(has_test_cut=True, has_bankers_marks=True),
    ),
    (
        "dict: explicit absence is not a treatment",
        {"test_cut": {"present": False}, "bankers_marks": False, "graffiti": 0, "mounted": ""},
        NOTHING,
    ),
    (
        "V3 flag names",
        {
            "has_test_cut": True,
            "has_bankers_marks": True,
            "was_mounted": True,
            "is_overstrike": True,
            "has_graffiti": False,
        },
        flags(has_test_cut=True, has_bankers_marks=True, was_mounted=True, is_overstrike=True),
    ),
    (
        "list of phrases",
        ["test cut", "mounted"],
        flags(has_test_cut=True, was_mounted=True),
    ),
    (
        "list of typed objects",
        [{"type": "test_cut", "count": 1, "position": "reverse"}, {"type": "overstruck"}],
        flags(
            has_test_cut=True, test_cut_count=1, test_cut_positions="reverse", is_overstrike=True
        ),
    ),
    (
        "JSON string of a dict",
        json.dumps({"bankers_marks": True, "graffiti": "Greek letter Δ"}, ensure_ascii=False),
        flags(has_bankers_marks=True, has_graffiti=True, graffiti_description="Greek letter Δ"),
    ),
    (
        "JSON string of a list",
        '["test cut", "mounted"]',
        flags(has_test_cut=True, was_mounted=True),
    ),
    (
        "legacy prose, semicolon separated",
        "test cut; banker's mark",
        flags(has_test_cut=True, has_bankers_marks=True),
    ),
    ("None", None, NOTHING),
    ("empty string", "", NOTHING),
    ("JSON null", "null", NOTHING),
    ("empty dict", {}, NOTHING),
    ("empty list", [], NOTHING),
    ("unrelated keys", {"toning": "old cabinet", "porosity": True}, NOTHING),
    ("prose with no treatment", "lovely old cabinet toning", NOTHING),
    ("a number", 42, NOTHING),
    ("a bare boolean", True, NOTHING),
]


@pytest.mark.parametrize(("blob", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_blob_shapes_map_to_flags(blob: Any, expected: dict[str, Any]) -> None:
    assert parse_secondary_treatments(blob) == expected


def test_every_flag_column_is_returned_even_for_garbage() -> None:
    # The phase-1 migration passes the dict straight to UPDATE … SET; a missing key would
    # leave a stale value behind instead of resetting it.
    assert set(parse_secondary_treatments("%%%")) == set(FLAG_COLUMNS)


def test_input_is_not_mutated() -> None:
    blob = {"test_cut": {"count": 2, "positions": "obverse at 3h"}}
    snapshot = json.dumps(blob, sort_keys=True)
    parse_secondary_treatments(blob)
    assert json.dumps(blob, sort_keys=True) == snapshot


def test_v3_flag_names_keep_their_details() -> None:
    blob = {
        "has_test_cut": True,
        "test_cut_count": 2,
        "test_cut_positions": "obverse at 3h",
        "was_mounted": True,
        "mount_evidence": "loop removed at 12h",
        "has_graffiti": True,
        "graffiti_description": "Greek letter Δ",
    }
    assert parse_secondary_treatments(blob) == flags(
        has_test_cut=True,
        test_cut_count=2,
        test_cut_positions="obverse at 3h",
        was_mounted=True,
        mount_evidence="loop removed at 12h",
        has_graffiti=True,
        graffiti_description="Greek letter Δ",
    )


def test_german_pruefhieb_with_umlaut_is_a_test_cut() -> None:
    assert parse_secondary_treatments({"Prüfhieb": True})["has_test_cut"] is True
