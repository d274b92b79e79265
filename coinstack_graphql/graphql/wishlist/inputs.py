"""Inputs of the wishlist mutations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from coinstack_graphql.graphql.core.model_inputs import changes_of, model_input
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.wishlist import models as w

ITEM_FIELDS = ["title", "description", "issuer", "mint", "year_start", "year_end",
               "denomination", "catalog_ref", "min_grade", "max_price", "priority", "status",
               "notes"]
_SLOT = "The series slot the coin will fill once acquired."
_CRITERIA = ("Matching criteria: catalogRef (a citation, stored normalised), issuer, "
             "denomination, yearStart/yearEnd (BC negative), mint, minGrade (NGC ladder), "
             "maxPrice (USD). Status ACQUIRED is set by markWishlistItemAcquired only.")


@model_input(w.WishlistItem, name="CreateWishlistItemInput", fields=ITEM_FIELDS,
             required=["title"], description=f"A coin wanted. {_CRITERIA}")
class CreateWishlistItemInput:
    series_slot: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_SLOT
    )


@model_input(w.WishlistItem, name="UpdateWishlistItemInput", fields=ITEM_FIELDS,
             description=f"Fields to change; omitted ones stay, null clears. {_CRITERIA} "
                         "Reopening an acquired item unlinks its coin.")
class UpdateWishlistItemInput:
    id: strawberry.ID
    series_slot: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=_SLOT
    )


@strawberry.input
class DeleteWishlistItemInput:
    id: strawberry.ID


@strawberry.input(description="Score current auction lots against wishlist items.")
class ScanWishlistInput:
    wishlist_items: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Items to scan (wanted or watching); all active ones when "
                                  "omitted."
    )


@strawberry.input(description="Hide a match for good: re-scans keep it dismissed.")
class DismissWishlistMatchInput:
    wishlist_match: strawberry.ID


@strawberry.input(description="Link the coin bought for an item, close the item, and fill its "
                              "series slot (replacing a coin already there).")
class MarkWishlistItemAcquiredInput:
    wishlist_item: strawberry.ID
    coin: strawberry.ID
    acquired_at: dt.datetime | None = strawberry.field(
        default=None, description="When it was bought; now when omitted."
    )


def item_changes(value: Any) -> dict[str, Any]:
    """The item columns an input sets (the series slot's global ID decoded)."""
    changes = changes_of(value, skip={"id", "series_slot"})
    slot = getattr(value, "series_slot", strawberry.UNSET)
    if slot is not strawberry.UNSET:
        changes["series_slot_id"] = (
            None if slot is None else decode_id(slot, "SeriesSlot", argument="input.seriesSlot")
        )
    return changes


# Service error paths → where the client typed the value.
ITEM_PATHS = {"wishlistItemId": ["id"], "seriesSlotId": ["seriesSlot"]}
SCAN_PATHS = {"itemIds": ["wishlistItems"]}
DISMISS_PATHS = {"wishlistMatchId": ["wishlistMatch"]}
ACQUIRE_PATHS = {"wishlistItemId": ["wishlistItem"], "coinId": ["coin"]}
