"""Strawberry input types whose fields mirror model columns, for partial writes.

Every field defaults to UNSET, so a mutation can tell "omitted" (leave as is) from an
explicit `null` (clear). `changes_of` turns an input into the attribute → value mapping
the domain services take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import get_object_definition

from coinstack_graphql.graphql.core.model_fields import column_python_type, model_columns

T = TypeVar("T")


def model_input(
    model: type,
    *,
    name: str,
    fields: Iterable[str],
    required: Iterable[str] = (),
    description: str | None = None,
) -> Callable[[type[T]], type[T]]:
    """Decorate a class into an input with the given columns (UNSET by default)."""
    must = set(required)

    def wrap(cls: type[T]) -> type[T]:
        columns = model_columns(model)
        annotations: dict[str, Any] = dict(getattr(cls, "__annotations__", {}))
        for key in fields:
            if key in annotations or key in cls.__dict__:
                continue
            py_type = column_python_type(columns[key])
            if key in must:
                annotations[key] = py_type
            else:
                annotations[key] = py_type | None if not _optional(py_type) else py_type
                setattr(cls, key, strawberry.UNSET)
        # Required fields first: dataclass-style inputs cannot put them after defaults.
        ordered = {k: v for k, v in annotations.items() if k in must}
        ordered.update({k: v for k, v in annotations.items() if k not in must})
        cls.__annotations__ = ordered
        return strawberry.input(cls, name=name, description=description)

    return wrap


def _optional(py_type: Any) -> bool:
    return type(None) in getattr(py_type, "__args__", ())


def changes_of(value: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of an input that were given (UNSET ones left out), by Python name."""
    if value is None or value is strawberry.UNSET:
        return {}
    definition = get_object_definition(value, strict=True)
    omit = set(skip)
    out: dict[str, Any] = {}
    for f in definition.fields:
        if f.python_name in omit:
            continue
        raw = getattr(value, f.python_name)
        if raw is not strawberry.UNSET:
            out[f.python_name] = raw
    return out
