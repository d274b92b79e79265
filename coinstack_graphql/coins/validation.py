"""Turning plain input values into column values: types, lengths, ranges, required fields.

Every write service of the coins domain (coins, their children, vocabularies, series)
normalises its input here, so a bad value is refused the same way everywhere: a
DomainError whose `field` is the camelCase path of the offending input key.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase

from coinstack_graphql.db.base import EnumText
from coinstack_graphql.db.types import ExactDecimal, JSONText
from coinstack_graphql.errors import DomainError, OutOfRange, Required
from coinstack_graphql.grading.ladder import GradeError, validate_designation, validate_numeric

_CURRENCY = re.compile(r"[A-Z]{3}")


def camel(name: str) -> str:
    """`weight_g` -> `weightG`: the GraphQL name of a column, used in error paths."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def path(key: str, aliases: Mapping[str, str] | None = None) -> list[str]:
    """The error path of one input key."""
    return [aliases[key]] if aliases and key in aliases else [camel(key)]


def blame(changed: Collection[str], *keys: str) -> list[str]:
    """Path for a rule spanning `keys`: the first one this write touches, else the first."""
    for key in keys:
        if key in changed:
            return path(key)
    return path(keys[0])


def coerce_enum(enum_cls: type[enum.Enum], value: Any, field: list[str]) -> enum.Enum:
    """An enum member from a member or its value ("very_rare"; case and spaces forgiven)."""
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        for member in enum_cls:
            if str(member.value) == key:
                return member
    allowed = ", ".join(str(m.value) for m in enum_cls)
    raise DomainError(f"{value!r} is not one of: {allowed}", field=field)


def coerce_decimal(value: Any, field: list[str], *, precision: int, scale: int) -> Decimal:
    """An exact Decimal that fits NUMERIC(precision, scale) without rounding."""
    if isinstance(value, bool) or isinstance(value, float):
        # Floats have already lost the digits the collector typed; the API sends strings.
        raise DomainError("give a decimal number as Decimal or string, not a float", field=field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value!r} is not a decimal number", field=field) from None
    if not number.is_finite():
        raise DomainError(f"{value!r} is not a finite number", field=field)
    quantum = Decimal(1).scaleb(-scale)
    exact = number.quantize(quantum)
    if exact != number:
        raise DomainError(f"at most {scale} decimal places are kept; got {value}", field=field)
    if abs(exact) >= Decimal(10) ** (precision - scale):
        raise OutOfRange(f"{value} is too large for this field", field=field)
    return exact


def coerce_int(value: Any, field: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"expected a whole number; got {value!r}", field=field)
    return value


def coerce_bool(value: Any, field: list[str]) -> bool:
    if not isinstance(value, bool):
        raise DomainError(f"expected true or false; got {value!r}", field=field)
    return value


def coerce_text(value: Any, field: list[str], *, max_length: int | None) -> str | None:
    """Trimmed text; blank becomes None so an empty form field clears the column."""
    if not isinstance(value, str):
        raise DomainError(f"expected text; got {value!r}", field=field)
    text = value.strip()
    if max_length is not None and len(text) > max_length:
        raise OutOfRange(f"at most {max_length} characters; got {len(text)}", field=field)
    return text or None


def coerce_date(value: Any, field: list[str]) -> date:
    if isinstance(value, datetime):
        raise DomainError("expected a date without a time", field=field)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError(f"expected an ISO date such as 2024-01-17; got {value!r}", field=field)


def coerce_datetime(value: Any, field: list[str]) -> datetime:
    """A naive UTC datetime, as the columns store it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(f"expected an ISO date-time; got {value!r}", field=field) from None
    if not isinstance(value, datetime):
        raise DomainError(f"expected a date-time; got {value!r}", field=field)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def coerce_json(value: Any, field: list[str]) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise DomainError(
            "expected JSON: objects, lists, strings, numbers, booleans", field=field
        ) from None
    return value


def check_currency(value: str | None, field: list[str]) -> str | None:
    """ISO 4217 style code; lowercase input is accepted and stored uppercase."""
    if value is None:
        return None
    code = value.upper()
    if not _CURRENCY.fullmatch(code):
        raise DomainError(
            f"currency must be three letters such as EUR or USD; got {value!r}", field=field
        )
    return code


def check_range(
    value: int | Decimal | None,
    field: list[str],
    *,
    low: int | Decimal | None = None,
    high: int | Decimal | None = None,
    above: int | Decimal | None = None,
    below: int | Decimal | None = None,
) -> None:
    """Inclusive `low`/`high`, exclusive `above`/`below`; None passes."""
    if value is None:
        return
    if (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (above is not None and value <= above)
        or (below is not None and value >= below)
    ):
        bounds = []
        if low is not None:
            bounds.append(f">= {low}")
        if above is not None:
            bounds.append(f"> {above}")
        if high is not None:
            bounds.append(f"<= {high}")
        if below is not None:
            bounds.append(f"< {below}")
        raise OutOfRange(f"must be {' and '.join(bounds)}; got {value}", field=field)


def coerce_column(column: Column[Any], value: Any, field: list[str]) -> Any:
    """`value` as the Python type `column` stores, or a DomainError."""
    if value is None:
        if not column.nullable:
            raise Required(f"{field[-1]} is required and cannot be cleared", field=field)
        return None
    kind = column.type
    if isinstance(kind, EnumText):
        return coerce_enum(kind.enum_cls, value, field)
    if isinstance(kind, ExactDecimal):
        return coerce_decimal(value, field, precision=kind.precision, scale=kind.scale)
    if isinstance(kind, Boolean):
        return coerce_bool(value, field)
    if isinstance(kind, Integer):
        return coerce_int(value, field)
    if isinstance(kind, DateTime):
        return coerce_datetime(value, field)
    if isinstance(kind, Date):
        return coerce_date(value, field)
    if isinstance(kind, (JSON, JSONText)):
        return coerce_json(value, field)
    if isinstance(kind, String):
        text = coerce_text(value, field, max_length=kind.length)
        if text is None and not column.nullable:
            raise Required(f"{field[-1]} must not be blank", field=field)
        return text
    raise TypeError(f"no input rule for column type {kind!r}")  # a new column type: add one


def normalise_fields(
    model: type[DeclarativeBase],
    values: Mapping[str, Any],
    writable: Collection[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Coerce every key of `values`; keys outside `writable` are refused."""
    columns = model.__mapper__.columns
    out: dict[str, Any] = {}
    for key, value in values.items():
        field = path(key, aliases)
        if key not in writable:
            raise DomainError(f"unknown or read-only field {field[-1]!r}", field=field)
        out[key] = coerce_column(columns[key], value, field)
    return out


def require_fields(
    model: type[DeclarativeBase],
    values: Mapping[str, Any],
    writable: Collection[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Refuse a create that omits a NOT NULL column without a default."""
    for attr in model.__mapper__.column_attrs:  # declaration order: deterministic errors
        key, column = attr.key, attr.columns[0]
        if (
            key not in writable
            or column.nullable
            or column.default is not None
            or column.server_default is not None
        ):
            continue
        if values.get(key) is None:
            field = path(key, aliases)
            raise Required(f"{field[-1]} is required", field=field)


def writable_columns(
    model: type[DeclarativeBase], *, exclude: Collection[str] = ()
) -> frozenset[str]:
    """Attribute names of `model`'s columns minus the primary key and `exclude`."""
    return frozenset(
        attr.key
        for attr in model.__mapper__.column_attrs
        if not attr.columns[0].primary_key and attr.key not in exclude
    )


# ---- the coin's own rules (pure: the service adds the checks that need the database)

# Exclusive upper bounds that catch a misplaced decimal point (3350 g for 3.350 g): the
# heaviest ancient pieces (aes grave, Ptolemaic bronzes) stay well below them.
PHYSICAL_LIMITS: dict[str, Decimal] = {
    "weight_g": Decimal(1000),
    "expected_weight_g": Decimal(1000),
    "diameter_mm": Decimal(200),
    "diameter_min_mm": Decimal(200),
    "thickness_mm": Decimal(50),
    "specific_gravity": Decimal(25),
}
MONEY_FIELDS = (
    "acquisition_price",
    "estimate_low",
    "estimate_high",
    "estimated_value_usd",
    "insured_value",
    "asking_price",
)
INT_RANGES: dict[str, tuple[int, int | None]] = {
    "die_axis": (0, 12),
    "strike_quality": (1, 5),
    "surface_quality": (1, 5),
    "ngc_strike_grade": (1, 5),
    "ngc_surface_grade": (1, 5),
    "off_center_pct": (0, 100),
    "test_cut_count": (0, None),
}
YEAR_FIELDS = ("year_start", "year_end", "reign_start", "reign_end")
EARLIEST_YEAR = -3000  # before the first coinage, so only typos fall outside
CURRENCY_FIELDS = ("acquisition_currency",)

# Which vocabularies may fill each `<field>_term_id` of a coin (values of Vocabulary).
TERM_FIELDS: dict[str, frozenset[str]] = {
    "issuer": frozenset({"issuer", "authority"}),
    "co_ruler": frozenset({"issuer", "authority"}),
    "secondary_authority": frozenset({"issuer", "authority"}),
    "mint": frozenset({"mint"}),
    "denomination": frozenset({"denomination"}),
    "dynasty": frozenset({"dynasty"}),
}


def check_coin_field(key: str, value: Any) -> Any:
    """Single-field rules on an already coerced value; returns the value to store."""
    field = path(key)
    if value is None:
        return None
    if key in PHYSICAL_LIMITS:
        check_range(value, field, above=Decimal(0), below=PHYSICAL_LIMITS[key])
    elif key in MONEY_FIELDS:
        check_range(value, field, low=Decimal(0))
    elif key in INT_RANGES:
        low, high = INT_RANGES[key]
        check_range(value, field, low=low, high=high)
    elif key in YEAR_FIELDS:
        if value == 0:
            raise DomainError("there is no year 0: 1 BC is -1, AD 1 is 1", field=field)
        check_range(value, field, low=EARLIEST_YEAR, high=datetime.now(UTC).year)
    elif key in CURRENCY_FIELDS:
        return check_currency(value, field)
    elif key == "grade_numeric":
        check_range(value, field, low=1, high=70)
        try:
            validate_numeric(value)
        except GradeError as exc:
            raise DomainError(str(exc), field=field) from None
    return value


def check_coin_consistency(state: Mapping[str, Any], changed: Collection[str]) -> None:
    """Rules between fields, on the coin as it will be; only rules this write touches run,
    so a legacy inconsistency elsewhere never blocks an unrelated edit."""

    def touched(*keys: str) -> bool:
        return any(k in changed for k in keys)

    for low_key, high_key, what in (
        ("year_start", "year_end", "the end year is before the start year"),
        ("reign_start", "reign_end", "the reign ends before it starts"),
        ("diameter_min_mm", "diameter_mm", "the minimum diameter exceeds the diameter"),
        ("estimate_low", "estimate_high", "the low estimate exceeds the high estimate"),
    ):
        low, high = state.get(low_key), state.get(high_key)
        if touched(low_key, high_key) and low is not None and high is not None and low > high:
            raise DomainError(f"{what} ({low} > {high})", field=blame(changed, high_key, low_key))
    if (
        touched("off_center_pct", "is_off_center")
        and state.get("off_center_pct") is not None
        and not state.get("is_off_center")
    ):
        raise DomainError(
            "an off-centre percentage needs isOffCenter to be true",
            field=blame(changed, "off_center_pct", "is_off_center"),
        )
    if (
        touched("test_cut_count", "has_test_cut")
        and (state.get("test_cut_count") or 0) > 0
        and not state.get("has_test_cut")
    ):
        raise DomainError(
            "a test-cut count needs hasTestCut to be true",
            field=blame(changed, "test_cut_count", "has_test_cut"),
        )
    if touched("grade_designation", "grade_numeric"):
        try:
            validate_designation(state.get("grade_designation"), state.get("grade_numeric"))
        except GradeError as exc:
            raise DomainError(
                str(exc), field=blame(changed, "grade_designation", "grade_numeric")
            ) from None
