"""Helpers shared by mutation resolvers: error paths and the common payload shape."""

from __future__ import annotations

from collections.abc import Mapping

from coinstack_graphql.graphql.core.errors import UserError


def remap_paths(errors: list[UserError], paths: Mapping[str, list[str]]) -> list[UserError]:
    """Rewrite ["input", <column>] paths to where the field sits in a nested input."""
    for error in errors:
        if error.field and len(error.field) >= 2 and error.field[0] == "input":
            target = paths.get(error.field[1])
            if target is not None:
                error.field = ["input", *target, *error.field[2:]]
    return errors
