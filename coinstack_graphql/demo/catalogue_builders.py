"""Per-series defaults for building `DemoCoin` records tersely."""

from __future__ import annotations

from typing import Any

from .catalogue_types import DemoCoin


def _build(defaults: dict[str, Any], kw: dict[str, Any]) -> DemoCoin:
    return DemoCoin(**{**defaults, **kw})


def republic_coin(**kw: Any) -> DemoCoin:
    """A moneyer's denarius of the Rome mint unless told otherwise."""
    defaults = {
        "category": "republic",
        "sub_category": "Moneyer issue",
        "metal": "silver",
        "denomination": "denarius",
        "mint": "Rome",
        "portrait_subject": None,
        "is_circa": False,
        "dating_certainty": "exact",
        "authority_type": "moneyer",
        "grade_service": "dealer",
    }
    return _build(defaults, kw)


def imperatorial_coin(**kw: Any) -> DemoCoin:
    """A late-Republican issue of a military (travelling) mint."""
    defaults = {
        "sub_category": "Imperatorial",
        "authority_type": None,
        "dating_certainty": "narrow",
        "mint": None,
    }
    return republic_coin(**{**defaults, **kw})


def imperial_coin(**kw: Any) -> DemoCoin:
    """A Roman Imperial coin; the portrait is the issuer's own unless told otherwise."""
    defaults: dict[str, Any] = {
        "category": "imperial",
        "metal": "silver",
        "denomination": "denarius",
        "mint": "Rome",
        "is_circa": False,
        "dating_certainty": "narrow",
        "grade_service": "dealer",
        "portrait_relationship": "self",
    }
    merged = {**defaults, **kw}
    merged.setdefault("portrait_subject", merged["issuer"])
    return DemoCoin(**merged)


def provincial_coin(**kw: Any) -> DemoCoin:
    """A Roman provincial (Greek Imperial) coin, Greek legends unless told otherwise."""
    defaults: dict[str, Any] = {
        "category": "provincial",
        "metal": "bronze",
        "script": "greek",
        "is_circa": False,
        "dating_certainty": "narrow",
        "grade_service": "dealer",
        "portrait_relationship": "self",
    }
    merged = {**defaults, **kw}
    merged.setdefault("portrait_subject", merged["issuer"])
    return DemoCoin(**merged)


def greek_coin(**kw: Any) -> DemoCoin:
    """A Greek coin: silver, Greek script, circa-dated unless told otherwise."""
    defaults: dict[str, Any] = {
        "category": "greek",
        "metal": "silver",
        "script": "greek",
        "is_circa": True,
        "dating_certainty": "broad",
        "grade_service": "dealer",
        "portrait_subject": None,
    }
    return _build(defaults, kw)


def byzantine_coin(**kw: Any) -> DemoCoin:
    """A Byzantine coin of Constantinople; the portrait is the issuer's own by default."""
    defaults: dict[str, Any] = {
        "category": "byzantine",
        "mint": "Constantinople",
        "script": "latin",
        "is_circa": False,
        "dating_certainty": "narrow",
        "grade_service": "dealer",
        "portrait_relationship": "self",
    }
    merged = {**defaults, **kw}
    merged.setdefault("portrait_subject", merged["issuer"])
    return DemoCoin(**merged)
