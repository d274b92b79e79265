"""Census snapshots: an NGC or PCGS population report for a coin's type on one date.

The breakdown maps grade labels as the service prints them ("Ch VF", "XF 45") to counts; the
labels must read on the grade ladder and the counts must add up to `total_graded`.

Where the coin stands, when not given, is computed from the breakdown and the coin's grade
(`coins_v2.grade`, which follows its current grading entry):
- a label is *at* the coin's grade when it ranks equal on the ladder, *finer* when above.
  Sheldon numbers count only when both sides carry one ("AU 55" vs "AU 58"); otherwise
  they compare on the adjectival rung ("AU" vs "AU 58" is the same grade), since the
  ancients census is adjectival. Strike, surface, ★ and Fine Style are not ranks.
- percentile = 100 × (total − at grade − finer) / total, rounded half-up to 2 places: the
  share of graded coins strictly below the coin's grade. None when the total is 0 or the
  coin's place is unknown (no grade, or one the ladder cannot read).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.enums import GradeService
from coinstack_graphql.coins.validation import camel
from coinstack_graphql.errors import DomainError, NotFound, Required
from coinstack_graphql.grading import ladder
from coinstack_graphql.grading.models import CensusSnapshot
from coinstack_graphql.grading.service import (
    count_value,
    enum_value,
    lock_coin,
    past_date,
    text_value,
)

CENSUS_SERVICES = (GradeService.NGC, GradeService.PCGS)
_CENT = Decimal("0.01")


@dataclass(kw_only=True)
class CensusSnapshotInput:
    """A population report; `coins_at_grade`/`coins_finer` are computed when left None."""

    service: GradeService | str
    snapshot_date: date
    total_graded: int
    grade_breakdown: Mapping[str, int] | None = None
    coins_at_grade: int | None = None
    coins_finer: int | None = None
    catalog_reference: str | None = None
    notes: str | None = None


async def add_census_snapshot(
    session: AsyncSession, coin_id: int, values: CensusSnapshotInput
) -> CensusSnapshot:
    """Record a snapshot, placing the coin in it where the breakdown allows."""
    coin = await lock_coin(session, coin_id)
    for name in ("service", "snapshot_date", "total_graded"):
        if getattr(values, name) is None:
            raise Required(f"{camel(name)} is required", field=[camel(name)])
    service = enum_value(GradeService, values.service, "service")
    if service not in CENSUS_SERVICES:
        raise DomainError("census reports are NGC's or PCGS's", field=["service"])
    total = count_value(values.total_graded, "total_graded")
    assert total is not None
    breakdown = _breakdown(values.grade_breakdown, total)
    at_grade = count_value(values.coins_at_grade, "coins_at_grade")
    finer = count_value(values.coins_finer, "coins_finer")
    if breakdown is not None and (at_grade is None or finer is None):
        placed = place_in_breakdown(breakdown, coin.grade)
        if placed is not None:
            at_grade = placed[0] if at_grade is None else at_grade
            finer = placed[1] if finer is None else finer
    if (at_grade or 0) + (finer or 0) > total:
        message = (
            f"coinsAtGrade ({at_grade or 0}) + coinsFiner ({finer or 0}) exceeds "
            f"totalGraded ({total})"
        )
        raise DomainError(message, field=["coinsFiner" if finer else "coinsAtGrade"])
    snapshot = CensusSnapshot(
        coin_id=coin.id,
        service=service,
        snapshot_date=past_date(values.snapshot_date, "snapshot_date"),
        total_graded=total,
        grade_breakdown=breakdown,
        coins_at_grade=at_grade,
        coins_finer=finer,
        percentile=percentile(total, at_grade, finer),
        catalog_reference=text_value(values.catalog_reference, "catalog_reference"),
        notes=text_value(values.notes, "notes"),
    )
    session.add(snapshot)
    await session.flush()
    return snapshot


async def remove_census_snapshot(session: AsyncSession, snapshot_id: int) -> int:
    """Delete a snapshot; returns its coin's id."""
    snapshot = await session.get(CensusSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(f"no census snapshot with id {snapshot_id}", field=["censusSnapshotId"])
    coin_id = snapshot.coin_id
    await session.delete(snapshot)
    await session.flush()
    return coin_id


def percentile(total: int, at_grade: int | None, finer: int | None) -> Decimal | None:
    """Share of graded coins strictly below the coin's grade, in percent (2 places)."""
    if total == 0 or at_grade is None or finer is None:
        return None
    below = Decimal(total - at_grade - finer) * 100 / Decimal(total)
    return below.quantize(_CENT, rounding=ROUND_HALF_UP)


def place_in_breakdown(breakdown: Mapping[str, int], grade: str | None) -> tuple[int, int] | None:
    """(coins at the grade, coins finer) in a validated breakdown, or None if unplaceable."""
    if grade is None:
        return None
    try:
        own = ladder.parse_grade(grade)
    except ladder.GradeError:
        return None  # a legacy grade the ladder cannot read has no place
    at_grade = finer = 0
    for label, count in breakdown.items():
        other = ladder.parse_grade(label)
        if own.numeric is not None and other.numeric is not None:
            mine, theirs = ladder.grade_rank(own), ladder.grade_rank(other)
        else:
            mine, theirs = _adjectival_rank(own), _adjectival_rank(other)
        if theirs == mine:
            at_grade += count
        elif theirs > mine:
            finer += count
    return at_grade, finer


def _adjectival_rank(grade: ladder.Grade) -> float:
    return ladder.grade_rank(ladder.Grade(rung=grade.rung, qualifier=grade.qualifier))


def _breakdown(value: Any, total: int) -> dict[str, int] | None:
    """Labels that read on the ladder, counts >= 0 that add up to the total."""
    if value is None:
        return None
    field = ["gradeBreakdown"]
    if not isinstance(value, Mapping):
        raise DomainError("gradeBreakdown maps grade labels to counts", field=field)
    seen: dict[str, str] = {}
    clean: dict[str, int] = {}
    for raw_label, count in value.items():
        label = str(raw_label).strip()
        try:
            grade = ladder.parse_grade(label)
        except ladder.GradeError as exc:
            raise DomainError(f"grade label {label!r}: {exc}", field=field) from None
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            message = f"the count of {label!r} must be a whole number >= 0; got {count!r}"
            raise DomainError(message, field=field)
        if grade.label in seen:
            raise DomainError(
                f"{seen[grade.label]!r} and {label!r} are the same grade", field=field
            )
        seen[grade.label] = label
        clean[label] = count
    counted = sum(clean.values())
    if counted != total:
        message = f"the breakdown counts {counted} coins but totalGraded is {total}"
        raise DomainError(message, field=field)
    return clean
