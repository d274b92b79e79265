"""DataLoaders for wishlist items and their matches."""

from __future__ import annotations

from coinstack_graphql.graphql.core.loaders import ModelLoader
from coinstack_graphql.wishlist import models as w


class WishlistItemByIdLoader(ModelLoader[int]):
    model = w.WishlistItem
    key = w.WishlistItem.id


class MatchesByWishlistItemIdLoader(ModelLoader[int]):
    model = w.WishlistMatch
    key = w.WishlistMatch.wishlist_item_id
    many = True
    order_by = (w.WishlistMatch.match_score.desc(), w.WishlistMatch.id)
