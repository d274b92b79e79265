"""Read-only row objects: a model's columns as a named tuple, without the ORM.

The read graph only reads attributes off the rows it serves. An ORM instance costs an
InstanceState, an identity-map entry and attribute instrumentation per row — on a page
of a hundred coins with their children that was most of the time spent in SQLAlchemy.
A named tuple per model carries the same attribute names (the mapped attribute keys,
not the column names) and values (the columns' type processors still run: enums,
exact decimals, JSON), and reads as fast as a tuple.

Rows are immutable and detached by nature; code that changes data loads ORM instances
in a write session instead.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import ColumnProperty
from sqlalchemy.sql.schema import Column


@cache
def row_columns(model: type) -> tuple[tuple[str, Any], ...]:
    """(attribute key, column) of every mapped column, in declaration order."""
    props: list[ColumnProperty[Any]] = [
        prop for prop in sa_inspect(model).attrs if isinstance(prop, ColumnProperty)
    ]
    return tuple((prop.key, prop.columns[0]) for prop in props)


@cache
def row_class(model: type) -> Any:
    """The named-tuple class standing for a read-only `model` row."""
    keys = [key for key, _ in row_columns(model)]
    cls = namedtuple(f"{model.__name__}Row", keys)  # type: ignore[misc]  # noqa: PYI024
    cls.__doc__ = f"A read-only row of {model.__name__} (see coinstack_graphql.db.rows)."
    cls.model = model  # type: ignore[attr-defined]
    return cls


def row_select_columns(model: type) -> list[Column[Any]]:
    """The columns to SELECT so that each result row builds a `row_class(model)`."""
    return [column for _, column in row_columns(model)]


def is_row_of(obj: object, model: type) -> bool:
    """Whether `obj` is an ORM instance or a read-only row of `model`."""
    return isinstance(obj, model) or type(obj) is row_class(model)
