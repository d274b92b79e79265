"""Auction lots (auction_data_v2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Parent

from coinstack_graphql.auctions import models as a
from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.loaders import relation
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.graphql.references.loaders import ReferenceTypeByIdLoader

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin
    from coinstack_graphql.graphql.references.types import ReferenceType

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]
ReferenceTypeT = Annotated[
    "ReferenceType", strawberry.lazy("coinstack_graphql.graphql.references.types")
]


@model_type(a.AuctionData, name="AuctionLot", exclude=["coin_id", "reference_type_id", "raw_data"],
            description="An auction lot: realised or upcoming, optionally one of our coins.")
class AuctionLot(Node):
    @strawberry.field
    @relation(CoinByIdLoader, key="coin_id")
    def coin(self, root: Parent[a.AuctionData], info: Info) -> CoinT | None: ...

    @strawberry.field
    @relation(ReferenceTypeByIdLoader, key="reference_type_id")
    def reference_type(self, root: Parent[a.AuctionData], info: Info) -> ReferenceTypeT | None: ...
