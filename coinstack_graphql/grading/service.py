"""Grading history writes: lifecycle rules, the server-kept order and the coin's grading columns.

Order. Events are ordered by graded date; an undated event counts as dated like the event
recorded just before it (so it stays where it was recorded); ties go by recording order. No
explicit position is taken: `sequence_order` is rewritten 0, 1, 2 … after every write, and
the last event is the coin's one current entry.

Lifecycle, each event judged against the one before it:
- initial: the first event, or the first grading of a coin that is not slabbed (after a
  crack-out, or after a raw entry such as the collector's own grade); any service or none.
- crossover: a coin slabbed by NGC or PCGS moves to the other of the two; needs the new cert.
- regrade: the same service as before (inherited when an added regrade names none).
- crack_out: a slabbed coin leaves its holder; raw, no service or certificate, grade optional.
A write that would break a rule for any pair of neighbours it creates is refused; pairs that
already stood (legacy rows) are not judged again.

The coin follows its current entry (`_coin_columns`), through `record_field_changes`.
Removing the last entry resets the coin to raw with no service: every column the history
drives is cleared except the grade text, which stays as the collector's last known grade.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.enums import GradeService, GradingState, HolderType
from coinstack_graphql.coins.history import record_field_changes
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.validation import (
    camel,
    check_range,
    coerce_bool,
    coerce_date,
    coerce_decimal,
    coerce_enum,
    coerce_int,
    coerce_text,
)
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import Conflict, DomainError, NotFound, OutOfRange, Required
from coinstack_graphql.grading import certificates, ladder
from coinstack_graphql.grading.models import GradingEventType, GradingHistory

Event = GradingEventType
Explicit = Callable[[str], bool]
_TPG = (GradeService.NGC, GradeService.PCGS)
_SLABS = {GradeService.NGC: HolderType.NGC_SLAB, GradeService.PCGS: HolderType.PCGS_SLAB}
_NGC_ONLY_DESIGNATIONS = ("fine style", "star", "★")
_NEW = sys.maxsize  # recording position of an event not inserted yet: after every other
_WEB_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
E = TypeVar("E", bound=Enum)


@dataclass(kw_only=True)
class GradingEventInput:
    """A new grading event; None means not given (derived where the rules allow)."""

    event_type: GradingEventType | str
    grading_state: GradingState | str | None = None
    grade: str | None = None
    grade_service: GradeService | str | None = None
    certification_number: str | None = None
    strike_quality: int | None = None
    surface_quality: int | None = None
    grade_numeric: int | None = None
    designation: str | None = None
    has_star: bool | None = None
    photo_cert: bool = False
    verification_url: str | None = None
    graded_date: date | None = None
    submitter: str | None = None
    turnaround_days: int | None = None
    grading_fee: Decimal | None = None
    notes: str | None = None


EVENT_FIELDS = frozenset(f.name for f in fields(GradingEventInput))


async def add_grading_event(
    session: AsyncSession, coin_id: int, values: GradingEventInput
) -> GradingHistory:
    """Record a grading event; the coin's columns follow the (possibly new) current entry."""
    coin = await lock_coin(session, coin_id)
    events = await _events(session, coin_id)
    before = _ordered([_link(e) for e in events])
    raw = asdict(values)
    raw["event_type"] = _event_type(raw["event_type"])
    if raw["event_type"] is Event.REGRADE and raw["grade_service"] is None:
        # A regrade keeps the service, so naming it again is optional.
        probe = _Link(
            None, _NEW, Event.REGRADE, None, None, past_date(raw["graded_date"], "graded_date")
        )
        placed = _ordered([*before, probe])
        index = placed.index(probe)
        raw["grade_service"] = placed[index - 1].service if index else None
    columns = _validated(raw, explicit=lambda name: raw[name] is not None)
    new = _Link.of(None, _NEW, columns)
    _check_chain(before, _ordered([*before, new]), operated=new)
    entry = GradingHistory(coin_id=coin_id, **columns)
    session.add(entry)
    await session.flush()
    await _settle(session, coin, [*events, entry], f"grading event {entry.id} added")
    return entry


async def update_grading_event(
    session: AsyncSession, event_id: int, changes: Mapping[str, Any]
) -> GradingHistory:
    """Change the keys present in `changes` (None clears) and derive the rest again."""
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"not grading event fields: {', '.join(sorted(unknown))}")
    entry = await _entry(session, event_id)
    coin = await lock_coin(session, entry.coin_id)
    events = await _events(session, entry.coin_id)
    raw = {name: getattr(entry, name) for name in EVENT_FIELDS}
    raw["strike_quality"] = _int(entry.strike_quality)
    raw["surface_quality"] = _int(entry.surface_quality)
    raw.update(changes)
    raw["event_type"] = _event_type(raw["event_type"])
    if {"grade_service", "certification_number"} & changes.keys() and (
        "verification_url" not in changes
    ):
        raw["verification_url"] = None  # a page of the old certificate must not survive

    def explicit(name: str) -> bool:
        # Stored values were accepted together; when the grade text changes, what it carries
        # wins. A stored grade text is not re-read strictly: legacy prose must not block edits.
        return name in changes or ("grade" not in changes and name != "grade")

    columns = _validated(raw, explicit)
    before = _ordered([_link(e) for e in events])
    new = _Link.of(entry.id, entry.id, columns)
    _check_chain(before, _ordered([new if x.key == entry.id else x for x in before]), operated=new)
    for name, value in columns.items():
        setattr(entry, name, value)
    await session.flush()
    await _settle(session, coin, events, f"grading event {entry.id} changed")
    return entry


async def remove_grading_event(session: AsyncSession, event_id: int) -> int:
    """Delete an event; the one before it becomes current. Returns the coin's id."""
    entry = await _entry(session, event_id)
    coin = await lock_coin(session, entry.coin_id)
    events = await _events(session, entry.coin_id)
    before = _ordered([_link(e) for e in events])
    _check_chain(before, [x for x in before if x.key != entry.id], operated=None)
    await session.delete(entry)
    await session.flush()
    rest = [e for e in events if e.id != event_id]
    await _settle(session, coin, rest, f"grading event {event_id} removed")
    return coin.id


# ---- order and lifecycle -------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    """What the order and the lifecycle rules look at in one event."""

    key: int | None
    recorded: int
    event_type: Any
    service: Any
    state: Any
    graded_date: date | None

    @classmethod
    def of(cls, key: int | None, recorded: int, c: Mapping[str, Any]) -> _Link:
        return cls(
            key, recorded, c["event_type"], c["grade_service"], c["grading_state"], c["graded_date"]
        )


def _link(e: GradingHistory) -> _Link:
    return _Link(e.id, e.id, e.event_type, e.grade_service, e.grading_state, e.graded_date)


def _ordered(links: list[_Link]) -> list[_Link]:
    """By graded date; an undated event takes the date of the one recorded before it."""
    effective: dict[_Link, date] = {}
    last = date.min
    for link in sorted(links, key=lambda item: item.recorded):
        last = link.graded_date or last
        effective[link] = last
    return sorted(links, key=lambda item: (effective[item], item.recorded))


def _transition_error(prev: _Link | None, cur: _Link) -> DomainError | None:
    """Why `cur` cannot follow `prev`, or None."""
    kind = cur.event_type
    if prev is None:
        first = f"a coin's first grading event must be initial, not {kind}"
        return None if kind is Event.INITIAL else DomainError(first, field=["eventType"])
    held = f"{prev.state} by {str(prev.service).upper()}" if prev.service else str(prev.state)
    after = f"after the {prev.event_type} event ({held})"
    slabbed = prev.state is GradingState.SLABBED
    on_type, on_service = None, None
    if kind is Event.INITIAL and slabbed:
        on_type = (
            f"an initial grading comes first or when the coin is not slabbed, not {after}; "
            "record a regrade, crossover or crack_out"
        )
    elif kind is Event.CROSSOVER and (not slabbed or prev.service not in _TPG):
        on_type = f"a crossover moves a coin slabbed by NGC or PCGS to the other; not {after}"
    elif kind is Event.CROSSOVER and cur.service == prev.service:
        on_service = (
            f"a crossover changes the service; {str(cur.service).upper()} again is a regrade"
        )
    elif kind is Event.REGRADE and prev.event_type is Event.CRACK_OUT:
        on_type = "after a crack-out the coin is raw: record its next grading as initial"
    elif kind is Event.REGRADE and cur.service != prev.service:
        hint = "a crossover" if slabbed else "an initial event for its first grading"
        was = str(prev.service or "none").upper()
        on_service = f"a regrade keeps the service ({was}); use {hint} to change it"
    elif kind is Event.CRACK_OUT and not slabbed:
        on_type = f"only a slabbed coin can be cracked out, not one {after}"
    if on_service:
        return DomainError(on_service, field=["gradeService"])
    return DomainError(on_type, field=["eventType"]) if on_type else None


def _check_chain(before: list[_Link], after: list[_Link], *, operated: _Link | None) -> None:
    """Judge every neighbour pair the write creates."""
    standing = set(zip([None, *before], before, strict=False))
    for prev, cur in zip([None, *after], after, strict=False):
        if (prev, cur) in standing or (error := _transition_error(prev, cur)) is None:
            continue
        if cur is operated:
            raise error
        when = f" of {cur.graded_date.isoformat()}" if cur.graded_date else ""
        field = ["gradedDate" if operated and operated.graded_date else "eventType"]
        if operated is None:
            field = ["gradingEventId"]
        raise Conflict(
            f"this would break the {cur.event_type} event{when}: {error.message}", field=field
        )


# ---- one event's fields ----------------------------------------------------------------


def _event_type(value: Any) -> GradingEventType:
    if value is None:
        raise Required("eventType is required", field=["eventType"])
    return enum_value(GradingEventType, value, "event_type")


def _validated(raw: dict[str, Any], explicit: Explicit) -> dict[str, Any]:
    """Check one event's fields and derive the rest; returns its column values."""
    event: GradingEventType = raw["event_type"]
    service = (
        None
        if raw["grade_service"] is None
        else enum_value(GradeService, raw["grade_service"], "grade_service")
    )
    ngc = service is GradeService.NGC
    if event is Event.CRACK_OUT and service is not None:
        raise DomainError(
            "a crack-out leaves the coin raw: it has no grading service", field=["gradeService"]
        )
    state = _grading_state(event, service, raw["grading_state"])
    cert = _certificate(event, service, raw["certification_number"])
    grade = text_value(raw["grade"], "grade", max_length=50)
    numeric, strike, surface, star = _grade_figures(raw, grade, ngc, explicit)
    if grade is None and numeric is not None:
        grade = ladder.Grade(rung=ladder.rung_for_numeric(numeric), numeric=numeric).label
    if grade is None and state is GradingState.SLABBED:
        raise Required("a slabbed coin has a grade: give grade or gradeNumeric", field=["grade"])
    if star and not ngc:
        message = "the ★ designation is NGC's; this event is not NGC"
        raise DomainError(message, field=["hasStar" if raw["has_star"] else "grade"])
    photo_cert = raw["photo_cert"] is not None and coerce_bool(raw["photo_cert"], ["photoCert"])
    if photo_cert and not ngc:
        raise DomainError("NGC Photo Certificates exist only for NGC slabs", field=["photoCert"])
    return {
        "event_type": event,
        "grading_state": state,
        "grade": grade,
        "grade_service": service,
        "certification_number": cert,
        "strike_quality": None if strike is None else str(strike),
        "surface_quality": None if surface is None else str(surface),
        "grade_numeric": numeric,
        "designation": _designation(raw["designation"], numeric, ngc),
        "has_star": bool(star),
        "photo_cert": photo_cert,
        "verification_url": _verification_url(service, cert, numeric, raw, explicit),
        "graded_date": past_date(raw["graded_date"], "graded_date"),
        "submitter": text_value(raw["submitter"], "submitter"),
        "turnaround_days": count_value(raw["turnaround_days"], "turnaround_days"),
        "grading_fee": _fee(raw["grading_fee"]),
        "notes": text_value(raw["notes"], "notes"),
    }


def _grade_figures(
    raw: dict[str, Any], grade: str | None, ngc: bool, explicit: Explicit
) -> tuple[int | None, int | None, int | None, bool | None]:
    """Numeric, strike, surface and star: as given, filled from the grade text, in agreement."""
    numeric = _numeric(raw["grade_numeric"])
    strike = _one_to_five(raw["strike_quality"], "strike_quality")
    surface = _one_to_five(raw["surface_quality"], "surface_quality")
    star = raw["has_star"]
    parsed = _parse_grade(grade, strict=explicit("grade"))
    if parsed is None:
        return numeric, strike, surface, star
    numeric = _from_text("grade_numeric", numeric, parsed.numeric, explicit)
    strike = _from_text("strike_quality", strike, parsed.strike, explicit)
    surface = _from_text("surface_quality", surface, parsed.surface, explicit)
    star = _from_text("has_star", star, True if parsed.star else None, explicit)
    if parsed.numeric is None and numeric is not None:
        try:
            ladder.validate_designation(parsed.adjectival, numeric)
        except ladder.GradeError as exc:
            if not explicit("grade_numeric"):
                # A number kept from the old grade text gives way to new text that
                # does not fit it: the new text wins, as documented above.
                numeric = None
            else:
                message = f"gradeNumeric does not fit the grade {grade!r}: {exc}"
                raise DomainError(message, field=["gradeNumeric"]) from None
    if parsed.fine_style and not ngc:
        raise DomainError(
            "'Fine Style' is an NGC designation; this event is not NGC", field=["grade"]
        )
    return numeric, strike, surface, star


def _parse_grade(grade: str | None, *, strict: bool) -> ladder.Grade | None:
    if grade is None:
        return None
    try:
        return ladder.parse_grade(grade)
    except ladder.GradeError as exc:
        if not strict:
            return None  # legacy text the user did not touch is kept as it is
        raise DomainError(f"cannot read the grade: {exc}", field=["grade"]) from None


def _from_text(name: str, value: Any, carried: Any, explicit: Explicit) -> Any:
    """What the grade text carries fills a missing value and must agree with a given one."""
    if carried is None:
        return value
    if value is None or not explicit(name):
        return carried
    if value != carried:
        message = f"{camel(name)} {value!r} disagrees with the grade text, which says {carried!r}"
        raise DomainError(message, field=[camel(name)])
    return value


def _numeric(value: Any) -> int | None:
    number = count_value(value, "grade_numeric")
    if number is None:
        return None
    try:
        ladder.validate_numeric(number)
    except ladder.GradeError as exc:
        error = DomainError if 1 <= number <= 70 else OutOfRange
        raise error(str(exc), field=["gradeNumeric"]) from None
    return number


def _one_to_five(value: Any, name: str) -> int | None:
    number = count_value(value, name)
    if number is not None and not 1 <= number <= 5:
        raise OutOfRange(f"{camel(name)} is graded 1 to 5; got {number}", field=[camel(name)])
    return number


def _designation(value: Any, numeric: int | None, ngc: bool) -> str | None:
    designation = text_value(value, "designation")
    if designation is None:
        return None
    try:
        ladder.validate_designation(designation, numeric)
    except ladder.GradeError as exc:
        raise DomainError(str(exc), field=["designation"]) from None
    if designation.lower() in _NGC_ONLY_DESIGNATIONS and not ngc:
        raise DomainError(f"{designation!r} is an NGC designation", field=["designation"])
    return designation


def _grading_state(
    event: GradingEventType, service: GradeService | None, value: Any
) -> GradingState:
    tpg = service in _TPG
    state = enum_value(GradingState, value, "grading_state") if value is not None else None
    state = state or (GradingState.SLABBED if tpg else GradingState.RAW)
    message = None
    if event is Event.CRACK_OUT and state is not GradingState.RAW:
        message = "a crack-out leaves the coin raw"
    elif tpg and state is not GradingState.SLABBED:
        message = "NGC and PCGS grades come in their slab: gradingState must be slabbed"
    elif not tpg and state is GradingState.SLABBED:
        message = "slabbed needs the service that slabbed it: gradeService NGC or PCGS"
    if message:
        raise DomainError(message, field=["gradingState"])
    return state


def _certificate(event: GradingEventType, service: GradeService | None, value: Any) -> str | None:
    cert = text_value(value, "certification_number", max_length=50)
    field = ["certificationNumber"]
    if event is Event.CRACK_OUT and cert is not None:
        raise DomainError("a crack-out has no certificate: the holder is gone", field=field)
    if event is Event.CROSSOVER:
        if service is None:
            raise Required("a crossover needs the new service, NGC or PCGS", field=["gradeService"])
        if service not in _TPG:
            raise DomainError("a crossover moves a coin to NGC or PCGS", field=["gradeService"])
        if cert is None:
            raise Required("a crossover needs the new holder's certificate number", field=field)
    if cert is None:
        return None
    if service is None:
        raise Required(
            "a certificate number needs the service that issued it", field=["gradeService"]
        )
    try:
        return certificates.validate_cert_number(service.value, cert)
    except certificates.CertificateError as exc:
        raise DomainError(str(exc), field=field) from None


def _verification_url(
    service: GradeService | None,
    cert: str | None,
    numeric: int | None,
    raw: dict[str, Any],
    explicit: Explicit,
) -> str | None:
    url = text_value(raw["verification_url"], "verification_url")
    if service is None or service not in _TPG:
        return web_url(url, "verification_url")  # self/dealer: whatever page the user has
    built = certificates.verification_url(service.value, cert, numeric) if cert else None
    if url is not None and explicit("verification_url") and url != built:
        why = f"it is {built}" if built else "it needs the certificate number"
        message = (
            f"the {service.value.upper()} verification URL is built from the certificate; {why}"
        )
        raise DomainError(message, field=["verificationUrl"])
    return built


# ---- writing the order and the coin ---------------------------------------------------


async def _entry(session: AsyncSession, event_id: int) -> GradingHistory:
    entry = await session.get(GradingHistory, event_id)
    if entry is None:
        raise NotFound(f"no grading event with id {event_id}", field=["gradingEventId"])
    return entry


async def _events(session: AsyncSession, coin_id: int) -> list[GradingHistory]:
    rows = await session.scalars(select(GradingHistory).where(GradingHistory.coin_id == coin_id))
    return list(rows)


async def _settle(
    session: AsyncSession, coin: Coin, events: list[GradingHistory], reason: str
) -> None:
    """Renumber the events, mark the last one current and copy it onto the coin."""
    by_id = {e.id: e for e in events}
    ordered = [by_id[link.key] for link in _ordered([_link(e) for e in events]) if link.key]
    current = ordered[-1] if ordered else None
    stale = [e for e in ordered if e.is_current and e is not current]
    for e in stale:
        e.is_current = False
    if stale:
        await session.flush()  # the partial unique index allows one current row at any moment
    for position, e in enumerate(ordered):
        e.sequence_order = position
    if current is not None:
        current.is_current = True
    await session.flush()
    columns = _coin_columns(coin, current)
    await record_field_changes(
        session, coin, columns, source="grading_history", change_type="grading_sync", reason=reason
    )


_RESET: dict[str, Any] = {
    **dict.fromkeys(("grade_service", "certification_number", "verification_url"), None),
    **dict.fromkeys(("strike_quality", "surface_quality", "grade_numeric"), None),
    **dict.fromkeys(("grade_designation", "ngc_strike_grade", "ngc_surface_grade"), None),
    **dict.fromkeys(("has_star_designation", "photo_certificate", "is_fine_style"), False),
    "grading_state": GradingState.RAW,
}


def _coin_columns(coin: Coin, current: GradingHistory | None) -> dict[str, Any]:
    """The coin's grading columns as its current entry says (reset when there is none)."""
    if current is None:
        return {**_RESET, "holder_type": _holder(coin.holder_type, GradingState.RAW, None)}
    service = current.grade_service
    ngc = service is GradeService.NGC
    strike, surface = _int(current.strike_quality), _int(current.surface_quality)
    return {
        "grading_state": current.grading_state,
        "grade": current.grade,
        "grade_service": service,
        "certification_number": current.certification_number,
        "strike_quality": strike,
        "surface_quality": surface,
        "grade_numeric": current.grade_numeric,
        "grade_designation": current.designation,
        "has_star_designation": bool(current.has_star),
        "photo_certificate": bool(current.photo_cert),
        "verification_url": current.verification_url,
        "ngc_strike_grade": strike if ngc else None,
        "ngc_surface_grade": surface if ngc else None,
        "is_fine_style": ngc and _fine_style(current),
        "holder_type": _holder(coin.holder_type, current.grading_state, service),
    }


def _holder(existing: Any, state: Any, service: Any) -> Any:
    """Slabs by their service; a raw coin leaves a slab holder but keeps its flip or tray."""
    if state is GradingState.SLABBED:
        return _SLABS.get(service, existing)
    if existing in (None, HolderType.NGC_SLAB, HolderType.PCGS_SLAB):
        return HolderType.CAPSULE if state is GradingState.CAPSULE else HolderType.RAW
    return existing


def _fine_style(entry: GradingHistory) -> bool:
    if (entry.designation or "").strip().lower() == "fine style":
        return True
    try:
        return entry.grade is not None and ladder.parse_grade(entry.grade).fine_style
    except ladder.GradeError:
        return False


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _fee(value: Any) -> Decimal | None:
    if value is None:
        return None
    fee = coerce_decimal(value, ["gradingFee"], precision=8, scale=2)
    check_range(fee, ["gradingFee"], low=0)
    return fee


# ---- input helpers the grading services share (coins.validation has the general ones) -----


async def lock_coin(session: AsyncSession, coin_id: int, *, field: str = "coinId") -> Coin:
    """The coin, row-locked until the transaction ends.

    On PostgreSQL this makes writers of one coin's history, primary flags and columns take
    turns (the partial unique indexes would otherwise fail a concurrent pair); SQLite's
    BEGIN IMMEDIATE already serialises writers and SQLAlchemy drops FOR UPDATE there.
    """
    coin = await session.scalar(select(Coin).where(Coin.id == coin_id).with_for_update())
    if coin is None:
        raise NotFound(f"no coin with id {coin_id}", field=[field])
    return coin


def enum_value(enum_cls: type[E], value: Any, name: str) -> E:
    """A member of `enum_cls` from a member or its value; the error names the input field."""
    return coerce_enum(enum_cls, value, [camel(name)])  # type: ignore[return-value]


def text_value(value: Any, name: str, *, max_length: int | None = None) -> str | None:
    """Trimmed text or None (blank clears)."""
    return None if value is None else coerce_text(value, [camel(name)], max_length=max_length)


def count_value(value: Any, name: str) -> int | None:
    """A whole number >= 0, or None."""
    if value is None:
        return None
    number = coerce_int(value, [camel(name)])
    check_range(number, [camel(name)], low=0)
    return number


def past_date(value: Any, name: str) -> date | None:
    """A date that is not in the future (UTC), or None."""
    if value is None:
        return None
    day = coerce_date(value, [camel(name)])
    if day > utcnow().date():
        raise OutOfRange(f"{camel(name)} {day.isoformat()} is in the future", field=[camel(name)])
    return day


def web_url(value: Any, name: str, *, max_length: int | None = None) -> str | None:
    """An http(s) URL, or None."""
    url = text_value(value, name, max_length=max_length)
    if url is not None and not _WEB_URL.fullmatch(url):
        message = f"{camel(name)} must be an http or https address; got {url!r}"
        raise DomainError(message, field=[camel(name)])
    return url
