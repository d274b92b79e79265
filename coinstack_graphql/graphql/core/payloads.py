"""Helpers shared by mutation resolvers: error paths and the common payload shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.node_registry import by_id_loader
from coinstack_graphql.graphql.core.relay import to_global_id


def remap_paths(errors: list[UserError], paths: Mapping[str, list[str]]) -> list[UserError]:
    """Rewrite ["input", <column>] paths to where the field sits in a nested input."""
    for error in errors:
        if error.field and len(error.field) >= 2 and error.field[0] == "input":
            target = paths.get(error.field[1])
            if target is not None:
                error.field = ["input", *target, *error.field[2:]]
    return errors


async def reload_coin(info: Info, coin_id: int | None) -> Any:
    """The coin as committed (loaders were reset by the mutation), or None."""
    from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

    if coin_id is None:
        return None
    return await info.context.loaders.get(CoinByIdLoader).load(coin_id)


async def reload_row(info: Info, model: type, row: Any) -> Any:
    """The row as committed, read again (services may change rows with bulk statements)."""
    if row is None:
        return None
    return await info.context.loaders.get(by_id_loader(model)).load(row.id)


def removed_id(type_name: str, row_id: int, ok: bool) -> strawberry.ID | None:
    """The global ID of a deleted row, for the payload (None when nothing was deleted)."""
    return strawberry.ID(to_global_id(type_name, row_id)) if ok else None
