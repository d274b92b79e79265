"""Root `node(id:)` and `nodes(ids:)`: any entity by its global ID."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.node_registry import by_id_loader, node_models
from coinstack_graphql.graphql.core.relay import Node, from_global_id, is_canonical_id

MAX_NODES = 100


async def resolve_node(info: Info, global_id: str) -> Any:
    type_name, raw_id = from_global_id(global_id)
    model = node_models().get(type_name)
    if model is None:
        raise bad_request(f"{global_id!r} is not the ID of any type")
    if type_name == "EnrichmentBatch":
        key: Any = raw_id
    elif is_canonical_id(raw_id):
        key = int(raw_id)
    else:
        raise bad_request(f"{global_id!r} is not a valid ID")
    return await info.context.loaders.get(by_id_loader(model)).load(key)


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID (Relay).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description="Several objects by global ID, in the order asked (max 100).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise bad_request(f"At most {MAX_NODES} ids per request (got {len(ids)})")
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))
