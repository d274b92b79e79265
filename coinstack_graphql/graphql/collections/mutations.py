"""Mutations of collections: create, edit, delete, and the coins of custom collections.

Payloads read the collection again after the commit, so `coinCount` and `totalValue` are
the figures the service just recomputed.
"""

from __future__ import annotations

from typing import Any

import strawberry

from coinstack_graphql.collections import service as cols
from coinstack_graphql.graphql.collections.inputs import (
    FILTER_PATHS,
    AddCoinsToCollectionInput,
    CreateCollectionInput,
    DeleteCollectionInput,
    RemoveCoinsFromCollectionInput,
    ReorderCollectionInput,
    UpdateCollectionInput,
    coin_ids,
    collection_changes,
)
from coinstack_graphql.graphql.collections.loaders import CollectionByIdLoader
from coinstack_graphql.graphql.collections.types import Collection
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.mutations import Outcome, run_in_transaction
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id, to_global_id

PATHS = {"parentId": ["parent"], "collectionId": ["id"]}
MEMBER_PATHS = {"collectionId": ["collection"], "coinIds": ["coins"]}


@strawberry.type
class _CollectionPayload:
    collection: Collection | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateCollectionPayload(_CollectionPayload):
    pass


@strawberry.type
class UpdateCollectionPayload(_CollectionPayload):
    pass


@strawberry.type
class DeleteCollectionPayload:
    deleted_collection_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddCoinsToCollectionPayload(_CollectionPayload):
    pass


@strawberry.type
class RemoveCoinsFromCollectionPayload(_CollectionPayload):
    pass


@strawberry.type
class ReorderCollectionPayload(_CollectionPayload):
    pass


def _errors(out: Outcome, paths: dict[str, list[str]]) -> list[UserError]:
    """Service paths → input paths, filter keys included (["smartFilter", "metals"] → "metal")."""
    for error in out.errors:
        if error.field and error.field[1:2] == ["smartFilter"] and len(error.field) > 2:
            error.field[2] = FILTER_PATHS.get(error.field[2], error.field[2])
    return remap_paths(out.errors, paths)


async def _collection(info: Info, out: Outcome) -> Any:
    if not out.ok:
        return None
    return await info.context.loaders.get(CollectionByIdLoader).load(out.value.id)


@strawberry.type
class CollectionMutation:
    @strawberry.mutation(description="Create a collection (slug made from the name if omitted).")
    async def create_collection(
        self, info: Info, input: CreateCollectionInput
    ) -> CreateCollectionPayload:
        values = collection_changes(input)
        out = await run_in_transaction(
            info, lambda tx: cols.create_collection(tx.session, **values)
        )
        return CreateCollectionPayload(
            collection=await _collection(info, out), user_errors=_errors(out, PATHS)
        )

    @strawberry.mutation(description="Change a collection; omitted fields stay, null clears.")
    async def update_collection(
        self, info: Info, input: UpdateCollectionInput
    ) -> UpdateCollectionPayload:
        collection_id = decode_id(input.id, "Collection", argument="input.id")
        changes = collection_changes(input)
        out = await run_in_transaction(
            info, lambda tx: cols.update_collection(tx.session, collection_id, changes)
        )
        return UpdateCollectionPayload(
            collection=await _collection(info, out), user_errors=_errors(out, PATHS)
        )

    @strawberry.mutation(
        description="Delete a collection (never its coins); its sub-collections move up."
    )
    async def delete_collection(
        self, info: Info, input: DeleteCollectionInput
    ) -> DeleteCollectionPayload:
        collection_id = decode_id(input.id, "Collection", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: cols.delete_collection(tx.session, collection_id)
        )
        deleted = strawberry.ID(to_global_id("Collection", collection_id)) if out.ok else None
        return DeleteCollectionPayload(
            deleted_collection_id=deleted, user_errors=_errors(out, PATHS)
        )

    @strawberry.mutation(description="Append coins to a custom collection.")
    async def add_coins_to_collection(
        self, info: Info, input: AddCoinsToCollectionInput
    ) -> AddCoinsToCollectionPayload:
        collection_id = decode_id(input.collection, "Collection", argument="input.collection")
        ids = coin_ids(input)
        out = await run_in_transaction(
            info, lambda tx: cols.add_coins_to_collection(tx.session, collection_id, ids)
        )
        return AddCoinsToCollectionPayload(
            collection=await _collection(info, out), user_errors=_errors(out, MEMBER_PATHS)
        )

    @strawberry.mutation(description="Take coins out of a custom collection.")
    async def remove_coins_from_collection(
        self, info: Info, input: RemoveCoinsFromCollectionInput
    ) -> RemoveCoinsFromCollectionPayload:
        collection_id = decode_id(input.collection, "Collection", argument="input.collection")
        ids = coin_ids(input)
        out = await run_in_transaction(
            info, lambda tx: cols.remove_coins_from_collection(tx.session, collection_id, ids)
        )
        return RemoveCoinsFromCollectionPayload(
            collection=await _collection(info, out), user_errors=_errors(out, MEMBER_PATHS)
        )

    @strawberry.mutation(description="Put a custom collection's coins in a new order.")
    async def reorder_collection(
        self, info: Info, input: ReorderCollectionInput
    ) -> ReorderCollectionPayload:
        collection_id = decode_id(input.collection, "Collection", argument="input.collection")
        ids = coin_ids(input)
        out = await run_in_transaction(
            info, lambda tx: cols.reorder_collection(tx.session, collection_id, ids)
        )
        return ReorderCollectionPayload(
            collection=await _collection(info, out), user_errors=_errors(out, MEMBER_PATHS)
        )
