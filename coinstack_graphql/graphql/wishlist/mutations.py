"""Mutations of the wishlist: items, scans against auction lots, dismissals, acquisitions.

`scanWishlist` values each item's type at the median USD price of its attribution key over
the server's valuation window (market/trends.py), so matches say whether a lot is below
market. It does not evaluate price alerts: NEW_MATCH alerts fire on the next
`evaluatePriceAlerts`, which is also what publishes them to subscribers.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.db.base import utcnow
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.mutations import Outcome, Transaction, run_in_transaction
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id, to_global_id
from coinstack_graphql.graphql.wishlist.inputs import (
    ACQUIRE_PATHS,
    DISMISS_PATHS,
    ITEM_PATHS,
    SCAN_PATHS,
    CreateWishlistItemInput,
    DeleteWishlistItemInput,
    DismissWishlistMatchInput,
    MarkWishlistItemAcquiredInput,
    ScanWishlistInput,
    UpdateWishlistItemInput,
    item_changes,
)
from coinstack_graphql.graphql.wishlist.loaders import WishlistItemByIdLoader
from coinstack_graphql.graphql.wishlist.types import CoinT, WishlistItem, WishlistMatch
from coinstack_graphql.market.currency import money
from coinstack_graphql.market.trends import (
    load_observations,
    median,
    months_before,
    observation_usd,
)
from coinstack_graphql.wishlist import service
from coinstack_graphql.wishlist.matching import MarketValueLookup, scan_wishlist


@strawberry.type
class CreateWishlistItemPayload:
    wishlist_item: WishlistItem | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateWishlistItemPayload:
    wishlist_item: WishlistItem | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteWishlistItemPayload:
    deleted_wishlist_item_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScanWishlistPayload:
    items_scanned: int = 0
    new_match_count: int = 0
    updated_match_count: int = 0
    new_matches: list[WishlistMatch] = strawberry.field(
        default_factory=list, description="Matches found for the first time, best first per item."
    )
    updated_matches: list[WishlistMatch] = strawberry.field(
        default_factory=list, description="Matches seen before whose figures changed."
    )
    removed_match_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Matches whose lot no longer matches (deleted)."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DismissWishlistMatchPayload:
    wishlist_match: WishlistMatch | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MarkWishlistItemAcquiredPayload:
    wishlist_item: WishlistItem | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
    coin_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The coin bought.")
    async def coin(self, info: Info) -> CoinT | None:
        from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

        if self.coin_id is None:
            return None
        return await info.context.loaders.get(CoinByIdLoader).load(self.coin_id)


async def _item(info: Info, out: Outcome) -> Any:
    if not out.ok:
        return None
    return await info.context.loaders.get(WishlistItemByIdLoader).load(out.value.id)


def market_median_lookup(rates: Mapping[str, Decimal], window_months: int) -> MarketValueLookup:
    """Market value of a key: the median USD price of its points in the last `window_months`."""
    today = utcnow().date()
    since = months_before(today, window_months)

    async def lookup(session: AsyncSession, key: str) -> Decimal | None:
        found = await load_observations(session, [key], since=since, until=today)
        prices = [usd for o in found[key] if (usd := observation_usd(o, rates)) is not None]
        return money(median(prices)) if prices else None

    return lookup


@strawberry.type
class WishlistMutation:
    @strawberry.mutation(description="Add a coin to the wishlist.")
    async def create_wishlist_item(
        self, info: Info, input: CreateWishlistItemInput
    ) -> CreateWishlistItemPayload:
        values = item_changes(input)
        out = await run_in_transaction(
            info, lambda tx: service.create_wishlist_item(tx.session, values)
        )
        return CreateWishlistItemPayload(
            wishlist_item=await _item(info, out), user_errors=remap_paths(out.errors, ITEM_PATHS)
        )

    @strawberry.mutation(description="Change a wishlist item; omitted fields stay, null clears.")
    async def update_wishlist_item(
        self, info: Info, input: UpdateWishlistItemInput
    ) -> UpdateWishlistItemPayload:
        item_id = decode_id(input.id, "WishlistItem", argument="input.id")
        changes = item_changes(input)
        out = await run_in_transaction(
            info, lambda tx: service.update_wishlist_item(tx.session, item_id, changes)
        )
        return UpdateWishlistItemPayload(
            wishlist_item=await _item(info, out), user_errors=remap_paths(out.errors, ITEM_PATHS)
        )

    @strawberry.mutation(description="Delete a wishlist item with its matches and the price "
                                     "alerts watching it.")
    async def delete_wishlist_item(
        self, info: Info, input: DeleteWishlistItemInput
    ) -> DeleteWishlistItemPayload:
        item_id = decode_id(input.id, "WishlistItem", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: service.delete_wishlist_item(tx.session, item_id)
        )
        deleted = strawberry.ID(to_global_id("WishlistItem", item_id)) if out.ok else None
        return DeleteWishlistItemPayload(
            deleted_wishlist_item_id=deleted, user_errors=remap_paths(out.errors, ITEM_PATHS)
        )

    @strawberry.mutation(description="Score current auction lots against wanted and watching "
                                     "items and store the matches; re-scans update in place. "
                                     "Run evaluatePriceAlerts afterwards for NEW_MATCH alerts.")
    async def scan_wishlist(self, info: Info, input: ScanWishlistInput) -> ScanWishlistPayload:
        item_ids = None
        if input.wishlist_items is not None:
            item_ids = [
                decode_id(i, "WishlistItem", argument="input.wishlistItems")
                for i in input.wishlist_items
            ]
        settings = info.context.settings
        lookup = market_median_lookup(settings.currency_rates, settings.valuation_window_months)

        async def work(tx: Transaction) -> Any:
            return await scan_wishlist(
                tx.session, item_ids=item_ids, market_value_lookup=lookup,
                currency_rates=settings.currency_rates,
            )

        out = await run_in_transaction(info, work)
        if not out.ok:
            return ScanWishlistPayload(user_errors=remap_paths(out.errors, SCAN_PATHS))
        result = out.value
        return ScanWishlistPayload(
            items_scanned=result.items_scanned,
            new_match_count=len(result.new_matches),
            updated_match_count=len(result.updated_matches),
            new_matches=result.new_matches,
            updated_matches=result.updated_matches,
            removed_match_ids=[
                strawberry.ID(to_global_id("WishlistMatch", i)) for i in result.removed_match_ids
            ],
        )

    @strawberry.mutation(description="Hide a match for good (idempotent).")
    async def dismiss_wishlist_match(
        self, info: Info, input: DismissWishlistMatchInput
    ) -> DismissWishlistMatchPayload:
        match_id = decode_id(input.wishlist_match, "WishlistMatch", argument="input.wishlistMatch")
        out = await run_in_transaction(
            info, lambda tx: service.dismiss_wishlist_match(tx.session, match_id)
        )
        return DismissWishlistMatchPayload(
            wishlist_match=out.value, user_errors=remap_paths(out.errors, DISMISS_PATHS)
        )

    @strawberry.mutation(description="Record that an item was bought: links the coin, sets "
                                     "status ACQUIRED and fills the item's series slot.")
    async def mark_wishlist_item_acquired(
        self, info: Info, input: MarkWishlistItemAcquiredInput
    ) -> MarkWishlistItemAcquiredPayload:
        item_id = decode_id(input.wishlist_item, "WishlistItem", argument="input.wishlistItem")
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        out = await run_in_transaction(
            info,
            lambda tx: service.mark_wishlist_item_acquired(
                tx.session, item_id, coin_id, acquired_at=input.acquired_at
            ),
        )
        return MarkWishlistItemAcquiredPayload(
            wishlist_item=await _item(info, out), coin_id=coin_id if out.ok else None,
            user_errors=remap_paths(out.errors, ACQUIRE_PATHS),
        )
