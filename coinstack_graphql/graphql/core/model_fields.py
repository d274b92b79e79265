"""Strawberry types whose scalar fields mirror a model's columns.

A field that mirrors a column is that column in camelCase (API.md), so the GraphQL types
list which columns they show and this module derives the field types from the model:
nullability, Decimal for NUMERIC, enums for enum-like columns, JSON for JSON columns.
Resolvers read attributes straight off the ORM instance that is the parent value.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

import strawberry
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, Text
from sqlalchemy.sql.schema import Column
from strawberry.scalars import JSON as JSONScalar

from coinstack_graphql.db.base import EnumText
from coinstack_graphql.db.rows import is_row_of, row_columns
from coinstack_graphql.db.types import ExactDecimal, JSONText
from coinstack_graphql.graphql.core.relay import to_global_id

T = TypeVar("T")
_ENUMS: dict[type[enum.Enum], Any] = {}


def graphql_enum(enum_cls: type[enum.Enum], description: str | None = None) -> Any:
    """The Strawberry enum for a domain enum (values SCREAMING_SNAKE, stored lowercase)."""
    if enum_cls not in _ENUMS:
        _ENUMS[enum_cls] = strawberry.enum(enum_cls, description=description)
    return _ENUMS[enum_cls]


def column_python_type(column: Column[Any]) -> Any:
    """The Python annotation Strawberry should see for a column."""
    col_type = column.type
    base: Any
    if isinstance(col_type, EnumText):
        base = graphql_enum(col_type.enum_cls)
    elif isinstance(col_type, ExactDecimal | Numeric):
        base = Decimal
    elif isinstance(col_type, JSONText | JSON):
        base = JSONScalar
    elif isinstance(col_type, Boolean):
        base = bool
    elif isinstance(col_type, Integer):
        base = int
    elif isinstance(col_type, Float):
        base = float
    elif isinstance(col_type, DateTime):
        base = dt.datetime
    elif isinstance(col_type, Date):
        base = dt.date
    elif isinstance(col_type, String | Text):
        base = str
    else:  # pragma: no cover - a new column type needs a mapping here
        raise TypeError(f"no GraphQL type for column {column}")
    return base | None if column.nullable else base


def model_columns(model: type) -> dict[str, Column[Any]]:
    """Attribute name → column of a mapped class, in declaration order."""
    return dict(row_columns(model))


def model_type(
    model: type,
    *,
    name: str,
    fields: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    node: bool = True,
    description: str | None = None,
    directives: Iterable[object] = (),
) -> Callable[[type[T]], type[T]]:
    """Decorate a class into a Strawberry type with the model's columns as fields.

    `fields` limits the columns shown (default all but the primary key); anything the
    class declares itself wins. With `node`, the type implements `Node` and gets `id`
    (global) and `databaseId`.
    """
    skip = set(exclude)

    def wrap(cls: type[T]) -> type[T]:
        columns = model_columns(model)
        wanted = list(fields) if fields is not None else [k for k in columns if k != "id"]
        annotations: dict[str, Any] = {}
        for key in wanted:
            if key in skip or key in cls.__dict__ or key in getattr(cls, "__annotations__", {}):
                continue
            annotations[key] = column_python_type(columns[key])
        annotations.update(getattr(cls, "__annotations__", {}))
        cls.__annotations__ = annotations
        if node:
            _add_identity(cls, name)

        def is_type_of(_cls: type, obj: object, _info: object) -> bool:
            # An ORM instance (mutations) or a read-only row (loaders, pages).
            return is_row_of(obj, model)

        cls.is_type_of = classmethod(is_type_of)  # type: ignore[attr-defined]
        return strawberry.type(cls, name=name, description=description, directives=directives)

    return wrap


def _add_identity(cls: type, type_name: str) -> None:
    def resolve_id(root: strawberry.Parent[Any]) -> strawberry.ID:
        return strawberry.ID(to_global_id(type_name, root.id))

    def resolve_database_id(root: strawberry.Parent[Any]) -> int:
        return int(root.id)

    cls.id = strawberry.field(resolver=resolve_id, description="Global ID (Relay).")  # type: ignore[attr-defined]
    cls.database_id = strawberry.field(  # type: ignore[attr-defined]
        resolver=resolve_database_id, description="Primary key in the database."
    )
