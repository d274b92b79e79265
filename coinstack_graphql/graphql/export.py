"""The SDL of the running schema (what `schema.graphql` must equal)."""

from __future__ import annotations

from strawberry.printer import print_schema

from coinstack_graphql.graphql.schema import build_schema


def export_sdl() -> str:
    return print_schema(build_schema()) + "\n"
