"""Coin search criteria: one definition for `coins(filter:)` and smart collections.

A smart collection stores these criteria as JSON (the camelCase keys of the GraphQL
`CoinFilter`), so both read the same rules: `criteria_from_json` ↔ `CoinCriteria.to_json`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, false, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.children import CoinTag
from coinstack_graphql.coins.enums import Category, GradeService, GradingState, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.errors import DomainError

# Has-issue flags a filter can ask for, by their GraphQL name → coin column.
ISSUE_FLAGS = {
    "testCut": "has_test_cut",
    "overstrike": "is_overstrike",
    "bankersMarks": "has_bankers_marks",
    "graffiti": "has_graffiti",
    "mounted": "was_mounted",
    "ancientRepair": "has_ancient_repair",
    "doubleStruck": "is_double_struck",
    "brockage": "is_brockage",
    "offCenter": "is_off_center",
}


@dataclass
class CoinCriteria:
    """All conditions are ANDed; list-valued ones match any of their values."""

    categories: list[Category] = field(default_factory=list)
    metals: list[Metal] = field(default_factory=list)
    denominations: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)
    mint_ids: list[int] = field(default_factory=list)
    mint_name: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    grade: str | None = None
    grade_services: list[GradeService] = field(default_factory=list)
    grading_states: list[GradingState] = field(default_factory=list)
    rarity_codes: list[str] = field(default_factory=list)
    collection_ids: list[int] = field(default_factory=list)
    reference: str | None = None
    has_issues: list[str] = field(default_factory=list)
    acquisition_price_min: Decimal | None = None
    acquisition_price_max: Decimal | None = None
    tags: list[str] = field(default_factory=list)
    search: str | None = None
    for_sale: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """The camelCase JSON a smart collection stores."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value in (None, [], ""):
                continue
            if isinstance(value, list):
                value = [v.value if hasattr(v, "value") else v for v in value]
            elif isinstance(value, Decimal):
                value = str(value)
            out[_camel(f.name)] = value
        return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


_FIELDS = {_camel(f.name): f for f in dataclasses.fields(CoinCriteria)}


def criteria_from_json(data: dict[str, Any]) -> CoinCriteria:
    """Criteria from stored JSON; unknown keys are refused so typos do not match everything."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        f = _FIELDS.get(key)
        if f is None:
            raise DomainError(f"unknown filter field '{key}'", field=["smartFilter", key])
        if key == "categories":
            value = [Category(v) for v in value]
        elif key == "metals":
            value = [Metal(v) for v in value]
        elif key == "gradeServices":
            value = [GradeService(v) for v in value]
        elif key == "gradingStates":
            value = [GradingState(v) for v in value]
        elif key in ("acquisitionPriceMin", "acquisitionPriceMax") and value is not None:
            value = Decimal(str(value))
        kwargs[f.name] = value
    return CoinCriteria(**kwargs)


def escape_like(text: str) -> str:
    """A LIKE pattern matching `text` literally (escape char is backslash)."""
    return re.sub(r"([\\%_])", r"\\\1", text)


def contains_text(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive: `column` contains `text` literally (`%`, `_` match themselves)."""
    return func.lower(column).like(
        func.lower(literal(f"%{escape_like(text)}%")), escape="\\"
    )


def coin_conditions(
    c: CoinCriteria, smart_filters: dict[int, dict] | None = None
) -> list[ColumnElement[bool]]:
    """WHERE clauses over `coins_v2`; `smart_filters` resolves smart collections named."""
    # Local imports: these domains import coins, not the other way round.
    from coinstack_graphql.collections.membership import collection_member_condition
    from coinstack_graphql.grading.models import RarityAssessment
    from coinstack_graphql.references.lookup import reference_condition

    conds: list[ColumnElement[bool]] = []
    if c.categories:
        conds.append(Coin.category.in_(c.categories))
    if c.metals:
        conds.append(Coin.metal.in_(c.metals))
    if c.denominations:
        conds.append(func.lower(Coin.denomination).in_([d.lower() for d in c.denominations]))
    if c.issuers:
        conds.append(or_(*(contains_text(Coin.issuer, name) for name in c.issuers)))
    if c.mint_ids:
        conds.append(Coin.mint_id.in_(c.mint_ids))
    if c.mint_name:
        conds.append(contains_text(Coin.mint, c.mint_name))
    # A coin dated year_start..year_end overlaps [from, to]; an undated end means a point.
    if c.year_from is not None:
        conds.append(func.coalesce(Coin.year_end, Coin.year_start) >= c.year_from)
    if c.year_to is not None:
        conds.append(Coin.year_start <= c.year_to)
    if c.grade:
        conds.append(func.lower(Coin.grade) == c.grade.lower())
    if c.grade_services:
        conds.append(Coin.grade_service.in_(c.grade_services))
    if c.grading_states:
        conds.append(Coin.grading_state.in_(c.grading_states))
    if c.rarity_codes:
        conds.append(
            exists(
                select(RarityAssessment.id).where(
                    RarityAssessment.coin_id == Coin.id,
                    RarityAssessment.rarity_code.in_(c.rarity_codes),
                )
            )
        )
    if c.collection_ids:
        conds.append(collection_member_condition(c.collection_ids, smart_filters))
    if c.reference:
        conds.append(reference_condition(c.reference))
    for flag in c.has_issues:
        column = ISSUE_FLAGS.get(flag)
        if column is None:
            raise DomainError(f"unknown issue flag '{flag}'", field=["filter", "hasIssues"])
        conds.append(getattr(Coin, column).is_(True))
    if c.acquisition_price_min is not None:
        conds.append(Coin.acquisition_price >= c.acquisition_price_min)
    if c.acquisition_price_max is not None:
        conds.append(Coin.acquisition_price <= c.acquisition_price_max)
    if c.tags:
        conds.append(
            exists(select(CoinTag.id).where(CoinTag.coin_id == Coin.id, CoinTag.tag.in_(c.tags)))
        )
    if c.for_sale is not None:
        conds.append(Coin.for_sale.is_(c.for_sale))
    if c.search:
        words = [w for w in c.search.split() if w]
        searchable = (
            Coin.issuer, Coin.denomination, Coin.mint, Coin.obverse_legend, Coin.reverse_legend,
            Coin.obverse_description, Coin.reverse_description, Coin.personal_notes,
            Coin.portrait_subject, Coin.sub_category,
        )
        for word in words:
            conds.append(or_(*(contains_text(col, word) for col in searchable)))
    return conds


def criteria_condition(
    c: CoinCriteria, smart_filters: dict[int, dict] | None = None
) -> ColumnElement[bool]:
    conds = coin_conditions(c, smart_filters)
    return and_(*conds) if conds else ~false()
