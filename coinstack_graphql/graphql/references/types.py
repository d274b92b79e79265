"""Catalogue reference types, a coin's citations, and external catalogue links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Parent

from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.loaders import load, relation
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.graphql.references import loaders as ld
from coinstack_graphql.references import models as r

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]


@model_type(r.ExternalCatalogLink, name="ExternalCatalogLink", exclude=["reference_type_id"],
            description="The same type in OCRE, CRRO, RPC Online or Nomisma.")
class ExternalCatalogLink(Node):
    @strawberry.field
    def reference_type(
        self, root: Parent[r.ExternalCatalogLink], info: Info
    ) -> ReferenceType:
        return load(info, ld.ReferenceTypeByIdLoader, root.reference_type_id)


@model_type(r.ReferenceType, name="ReferenceType",
            description="A catalogue type (e.g. RIC I² 207), shared by every coin citing it.")
class ReferenceType(Node):
    @strawberry.field(description="Equivalent types in other catalogues (this one excluded).")
    @relation(ld.ConcordanceByReferenceTypeIdLoader)
    def concordance(self, root: Parent[r.ReferenceType], info: Info) -> list[ReferenceType]: ...

    @strawberry.field(description="The concordance group this type belongs to, if any.")
    async def concordance_group_id(self, root: Parent[r.ReferenceType], info: Info) -> str | None:
        row = await info.context.loaders.get(ld.ConcordanceGroupByReferenceTypeIdLoader).load(
            root.id
        )
        return row.concordance_group_id if row is not None else None

    @strawberry.field
    def external_links(
        self, root: Parent[r.ReferenceType], info: Info
    ) -> list[ExternalCatalogLink]:
        return load(info, ld.ExternalLinksByReferenceTypeIdLoader, root.id)


@model_type(r.CoinReference, name="CoinReference", exclude=["coin_id", "reference_type_id"],
            description="A coin's citation of a reference type.")
class CoinReference(Node):
    @strawberry.field
    @relation(ld.ReferenceTypeByIdLoader, key="reference_type_id")
    def reference_type(self, root: Parent[r.CoinReference], info: Info) -> ReferenceType: ...

    @strawberry.field
    @relation(CoinByIdLoader, key="coin_id")
    def coin(self, root: Parent[r.CoinReference], info: Info) -> CoinT: ...
