"""Rarity assessments: rarity from several sources, one primary per coin, the coin's rarity.

Primary. A coin's first assessment becomes primary whatever the input says; marking another
one primary demotes the old one; the primary cannot be un-marked directly (mark the one that
should replace it instead); removing the primary promotes the most recently recorded
remaining assessment. So a coin with assessments always has exactly one primary.

The coin's V2.1 `rarity` column follows the primary's code (None once no assessment is left),
on the coarse scale the phase-2 migration read the other way (rare -> R1, very_rare -> RR,
extremely_rare -> RRR):

    C -> common      S -> scarce      R1, R2 -> rare      R3, RR -> very_rare
    R4, R5, RRR -> extremely_rare     UNIQUE -> unique
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.enums import Rarity
from coinstack_graphql.coins.history import record_field_changes
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.validation import blame, camel, coerce_bool
from coinstack_graphql.errors import Conflict, DomainError, NotFound, Required
from coinstack_graphql.grading import ladder
from coinstack_graphql.grading.models import (
    Confidence,
    RarityAssessment,
    RarityCode,
    RaritySourceType,
    RaritySystem,
)
from coinstack_graphql.grading.service import (
    count_value,
    enum_value,
    lock_coin,
    past_date,
    text_value,
    web_url,
)

RARITY_BY_CODE: dict[RarityCode, Rarity] = {
    RarityCode.C: Rarity.COMMON,
    RarityCode.S: Rarity.SCARCE,
    RarityCode.R1: Rarity.RARE,
    RarityCode.R2: Rarity.RARE,
    RarityCode.R3: Rarity.VERY_RARE,
    RarityCode.RR: Rarity.VERY_RARE,
    RarityCode.R4: Rarity.EXTREMELY_RARE,
    RarityCode.R5: Rarity.EXTREMELY_RARE,
    RarityCode.RRR: Rarity.EXTREMELY_RARE,
    RarityCode.UNIQUE: Rarity.UNIQUE,
}


@dataclass(kw_only=True)
class RarityAssessmentInput:
    """A new assessment; `is_primary` False still makes a coin's first assessment primary."""

    rarity_code: RarityCode | str
    rarity_system: RaritySystem | str
    source_type: RaritySourceType | str
    source_name: str | None = None
    source_url: str | None = None
    source_date: date | None = None
    grade_range_low: str | None = None
    grade_range_high: str | None = None
    grade_conditional_notes: str | None = None
    census_total: int | None = None
    census_this_grade: int | None = None
    census_finer: int | None = None
    census_date: date | None = None
    confidence: Confidence | str | None = None
    notes: str | None = None
    is_primary: bool = False


ASSESSMENT_FIELDS = frozenset(f.name for f in fields(RarityAssessmentInput))


async def add_rarity_assessment(
    session: AsyncSession, coin_id: int, values: RarityAssessmentInput
) -> RarityAssessment:
    """Record an assessment; the coin's rarity follows the primary one."""
    coin = await lock_coin(session, coin_id)
    raw = asdict(values)
    wanted = coerce_bool(raw.pop("is_primary"), ["isPrimary"])
    columns = _validated(raw, changed={k for k, v in raw.items() if v is not None})
    others = await _assessments(session, coin_id)
    primary = wanted or not any(a.is_primary for a in others)
    if primary:
        await _demote(session, others)
    row = RarityAssessment(coin_id=coin_id, is_primary=primary, **columns)
    session.add(row)
    await session.flush()
    await _follow_primary(session, coin)
    return row


async def update_rarity_assessment(
    session: AsyncSession, assessment_id: int, changes: Mapping[str, Any]
) -> RarityAssessment:
    """Change the keys present in `changes` (None clears); `is_primary=True` takes over."""
    unknown = set(changes) - ASSESSMENT_FIELDS
    if unknown:
        raise TypeError(f"not rarity assessment fields: {', '.join(sorted(unknown))}")
    row = await _assessment(session, assessment_id)
    coin = await lock_coin(session, row.coin_id)
    raw = {name: getattr(row, name) for name in ASSESSMENT_FIELDS - {"is_primary"}}
    raw.update((k, v) for k, v in changes.items() if k != "is_primary")
    columns = _validated(raw, changed=changes.keys())
    if "is_primary" in changes:
        if changes["is_primary"] is None:
            raise Required("isPrimary cannot be cleared", field=["isPrimary"])
        wanted = coerce_bool(changes["is_primary"], ["isPrimary"])
        if not wanted and row.is_primary:
            raise Conflict(
                "a coin with assessments keeps one primary: mark the assessment that should "
                "replace this one as primary instead",
                field=["isPrimary"],
            )
        if wanted and not row.is_primary:
            await _demote(session, await _assessments(session, row.coin_id))
            row.is_primary = True
    for name, value in columns.items():
        setattr(row, name, value)
    await session.flush()
    await _follow_primary(session, coin)
    return row


async def remove_rarity_assessment(session: AsyncSession, assessment_id: int) -> int:
    """Delete an assessment; a removed primary hands over to the most recent one left.

    Returns the coin's id.
    """
    row = await _assessment(session, assessment_id)
    coin = await lock_coin(session, row.coin_id)
    was_primary = row.is_primary
    await session.delete(row)
    await session.flush()
    if was_primary:
        successor = await session.scalar(
            select(RarityAssessment)
            .where(RarityAssessment.coin_id == coin.id)
            .order_by(RarityAssessment.created_at.desc(), RarityAssessment.id.desc())
            .limit(1)
        )
        if successor is not None:
            successor.is_primary = True
            await session.flush()
    await _follow_primary(session, coin)
    return coin.id


# ---- fields -----------------------------------------------------------------------------


def _validated(raw: dict[str, Any], changed: Collection[str]) -> dict[str, Any]:
    """Check one assessment's fields; returns its column values."""
    for name in ("rarity_code", "rarity_system", "source_type"):
        if raw[name] is None:
            raise Required(f"{camel(name)} is required", field=[camel(name)])
    low = _grade(raw["grade_range_low"], "grade_range_low")
    high = _grade(raw["grade_range_high"], "grade_range_high")
    if low is not None and high is not None and ladder.grade_rank(low) > ladder.grade_rank(high):
        field = blame(changed, "grade_range_high", "grade_range_low")
        raise DomainError(
            f"the grade range runs upwards: {low!r} is finer than {high!r}", field=field
        )
    total = count_value(raw["census_total"], "census_total")
    this_grade = count_value(raw["census_this_grade"], "census_this_grade")
    finer = count_value(raw["census_finer"], "census_finer")
    if total is not None and (this_grade or 0) + (finer or 0) > total:
        field = blame(changed, "census_this_grade", "census_finer", "census_total")
        message = (
            f"censusThisGrade ({this_grade or 0}) + censusFiner ({finer or 0}) exceeds "
            f"censusTotal ({total})"
        )
        raise DomainError(message, field=field)
    confidence = raw["confidence"]
    return {
        "rarity_code": _code(raw["rarity_code"]),
        "rarity_system": enum_value(RaritySystem, raw["rarity_system"], "rarity_system"),
        "source_type": enum_value(RaritySourceType, raw["source_type"], "source_type"),
        "source_name": text_value(raw["source_name"], "source_name"),
        "source_url": web_url(raw["source_url"], "source_url"),
        "source_date": past_date(raw["source_date"], "source_date"),
        "grade_range_low": low,
        "grade_range_high": high,
        "grade_conditional_notes": text_value(
            raw["grade_conditional_notes"], "grade_conditional_notes"
        ),
        "census_total": total,
        "census_this_grade": this_grade,
        "census_finer": finer,
        "census_date": past_date(raw["census_date"], "census_date"),
        # The seed's default: an assessment of unstated confidence counts as medium.
        "confidence": Confidence.MEDIUM
        if confidence is None
        else enum_value(Confidence, confidence, "confidence"),
        "notes": text_value(raw["notes"], "notes"),
    }


def _code(value: Any) -> RarityCode:
    """Codes are printed in capitals (R3, RRR, UNIQUE); any case is read."""
    if isinstance(value, RarityCode):
        return value
    try:
        return RarityCode(str(value).strip().upper())
    except ValueError:
        allowed = ", ".join(code.value for code in RarityCode)
        raise DomainError(
            f"{value!r} is not a rarity code; expected one of {allowed}", field=["rarityCode"]
        ) from None


def _grade(value: Any, name: str) -> str | None:
    text = text_value(value, name)
    if text is None:
        return None
    try:
        ladder.parse_grade(text)
    except ladder.GradeError as exc:
        raise DomainError(f"cannot read {camel(name)}: {exc}", field=[camel(name)]) from None
    return text


# ---- rows and the coin ------------------------------------------------------------------


async def _assessment(session: AsyncSession, assessment_id: int) -> RarityAssessment:
    row = await session.get(RarityAssessment, assessment_id)
    if row is None:
        raise NotFound(
            f"no rarity assessment with id {assessment_id}", field=["rarityAssessmentId"]
        )
    return row


async def _assessments(session: AsyncSession, coin_id: int) -> list[RarityAssessment]:
    rows = await session.scalars(
        select(RarityAssessment).where(RarityAssessment.coin_id == coin_id)
    )
    return list(rows)


async def _demote(session: AsyncSession, rows: list[RarityAssessment]) -> None:
    """Clear the old primary and flush first: the partial unique index allows only one."""
    demoted = [row for row in rows if row.is_primary]
    for row in demoted:
        row.is_primary = False
    if demoted:
        await session.flush()


async def _follow_primary(session: AsyncSession, coin: Coin) -> None:
    code = await session.scalar(
        select(RarityAssessment.rarity_code).where(
            RarityAssessment.coin_id == coin.id, RarityAssessment.is_primary.is_(True)
        )
    )
    rarity = None if code is None else RARITY_BY_CODE.get(code)
    await record_field_changes(
        session,
        coin,
        {"rarity": rarity},
        source="rarity_assessment",
        change_type="rarity_sync",
        reason="rarity follows the primary assessment",
    )
