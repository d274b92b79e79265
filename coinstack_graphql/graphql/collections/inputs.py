"""Inputs of the collection mutations; a smart collection's filter is the `coins` CoinFilter."""

from __future__ import annotations

from typing import Any

import strawberry

from coinstack_graphql.collections import models as c
from coinstack_graphql.graphql.coins.inputs import CoinFilter
from coinstack_graphql.graphql.core.model_inputs import changes_of, model_input
from coinstack_graphql.graphql.core.relay import decode_id

COLLECTION_FIELDS = ["name", "slug", "description", "collection_type", "cover_image_url",
                     "display_order", "is_favorite"]
_FILTER = "A smart collection's conditions: the CoinFilter of `coins(filter:)`."
_PARENT = "The Collection this one is filed under (top level when null)."


@model_input(c.Collection, name="CreateCollectionInput", fields=COLLECTION_FIELDS,
             required=["name"],
             description="A custom collection (coins by hand) or a smart one (a saved filter).")
class CreateCollectionInput:
    smart_filter: CoinFilter | None = strawberry.field(default=strawberry.UNSET,
                                                       description=_FILTER)
    parent: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_PARENT)


@model_input(c.Collection, name="UpdateCollectionInput", fields=COLLECTION_FIELDS,
             description="Fields to change; omitted ones stay, null clears (a null slug "
                         "is made again from the name).")
class UpdateCollectionInput:
    id: strawberry.ID
    smart_filter: CoinFilter | None = strawberry.field(default=strawberry.UNSET,
                                                       description=_FILTER)
    parent: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_PARENT)


@strawberry.input
class DeleteCollectionInput:
    id: strawberry.ID


@strawberry.input
class CollectionCoinsInput:
    collection: strawberry.ID
    coins: list[strawberry.ID]


@strawberry.input(description="Coins to append to a custom collection; members keep their place.")
class AddCoinsToCollectionInput(CollectionCoinsInput):
    pass


@strawberry.input(description="Coins to take out of a custom collection.")
class RemoveCoinsFromCollectionInput(CollectionCoinsInput):
    pass


@strawberry.input(description="Exactly the collection's coins, in their new order.")
class ReorderCollectionInput(CollectionCoinsInput):
    pass


def collection_changes(value: Any) -> dict[str, Any]:
    """Column → value of a collection input (filter as stored JSON, IDs decoded)."""
    changes = changes_of(value, skip={"id", "smart_filter", "parent"})
    spec = getattr(value, "smart_filter", strawberry.UNSET)
    if spec is not strawberry.UNSET:
        changes["smart_filter"] = None if spec is None else spec.to_criteria().to_json()
    parent = getattr(value, "parent", strawberry.UNSET)
    if parent is not strawberry.UNSET:
        changes["parent_id"] = (
            None if parent is None else decode_id(parent, "Collection", argument="input.parent")
        )
    return changes


def coin_ids(value: CollectionCoinsInput) -> list[int]:
    return [decode_id(i, "Coin", argument="input.coins") for i in value.coins]


# The stored filter's keys (CoinCriteria.to_json) → the CoinFilter fields the client typed.
FILTER_PATHS = {
    "categories": "category", "metals": "metal", "denominations": "denomination",
    "issuers": "issuer", "mintIds": "mint", "gradeServices": "gradeService",
    "gradingStates": "gradingState", "rarityCodes": "rarityCode", "collectionIds": "collection",
    "tags": "tag",
}
