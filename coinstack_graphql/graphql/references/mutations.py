"""Mutations of the reference domain: coin citations, catalogue types, concordance, links.

Citations and concordance decide which coins a `reference` filter matches, so those writes
recount the smart collections in the same transaction.
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select

from coinstack_graphql.errors import DomainError, Required
from coinstack_graphql.graphql.coins.types import Coin
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.model_inputs import changes_of
from coinstack_graphql.graphql.core.mutations import Transaction, run_in_transaction
from coinstack_graphql.graphql.core.payloads import reload_coin as _coin
from coinstack_graphql.graphql.core.payloads import reload_row as _row
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.payloads import removed_id as _removed_id
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.core.stats import refresh_stats_after_coin_write
from coinstack_graphql.graphql.references.inputs import (
    AddCoinReferenceInput,
    LinkConcordanceInput,
    RemoveCoinReferenceInput,
    RemoveExternalCatalogLinkInput,
    UnlinkConcordanceInput,
    UpdateCoinReferenceInput,
    UpsertExternalCatalogLinkInput,
    UpsertReferenceTypeInput,
)
from coinstack_graphql.graphql.references.loaders import ReferenceTypeByIdLoader
from coinstack_graphql.graphql.references.types import (
    CoinReference,
    ExternalCatalogLink,
    ReferenceType,
)
from coinstack_graphql.references import concordance, links
from coinstack_graphql.references import models as r
from coinstack_graphql.references import service as refs

TYPE_PATHS = {"referenceTypeIds": ["referenceTypes"]}


@strawberry.type
class _CoinReferencePayload:
    coin_reference: CoinReference | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddCoinReferencePayload(_CoinReferencePayload):
    pass


@strawberry.type
class UpdateCoinReferencePayload(_CoinReferencePayload):
    pass


@strawberry.type
class RemoveCoinReferencePayload:
    removed_coin_reference_id: strawberry.ID | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpsertReferenceTypePayload:
    reference_type: ReferenceType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LinkConcordancePayload:
    concordance_group_id: str | None = strawberry.field(
        default=None, description="The group the types now share (merged groups keep the oldest)."
    )
    reference_types: list[ReferenceType] | None = strawberry.field(
        default=None, description="Every member of the group, those not named included."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnlinkConcordancePayload:
    unlinked_reference_types: list[ReferenceType] | None = strawberry.field(
        default=None,
        description="Types that left a group: those named and the last member of a dissolved one.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpsertExternalCatalogLinkPayload:
    external_catalog_link: ExternalCatalogLink | None = None
    reference_type: ReferenceType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemoveExternalCatalogLinkPayload:
    removed_external_catalog_link_id: strawberry.ID | None = None
    reference_type: ReferenceType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)



async def _type(info: Info, type_id: int | None) -> Any:
    if type_id is None:
        return None
    return await info.context.loaders.get(ReferenceTypeByIdLoader).load(type_id)




async def _group_members(info: Info, group_id: str) -> list[Any]:
    stmt = (
        select(r.ReferenceType)
        .join(r.ReferenceConcordance,
              r.ReferenceConcordance.reference_type_id == r.ReferenceType.id)
        .where(r.ReferenceConcordance.concordance_group_id == group_id)
        .order_by(
            r.ReferenceType.system, r.ReferenceType.number_numeric,
            r.ReferenceType.local_ref_normalized,
        )
    )
    async with info.context.sessions() as session:
        return list((await session.scalars(stmt)).all())


@strawberry.type
class ReferenceMutation:
    @strawberry.mutation(description="Cite a catalogue type on a coin, from a citation string.")
    async def add_coin_reference(
        self, info: Info, input: AddCoinReferenceInput
    ) -> AddCoinReferencePayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        details = changes_of(input, skip={"coin", "citation"})
        if details.get("is_primary", False) is None:
            details.pop("is_primary")  # null on a new citation: the default
        if details.get("plate_coin", False) is None:
            details.pop("plate_coin")

        async def work(tx: Transaction) -> Any:
            ref = await refs.add_coin_reference(tx.session, coin_id, input.citation, **details)
            await refresh_stats_after_coin_write(tx.session)
            return ref

        out = await run_in_transaction(info, work)
        return AddCoinReferencePayload(
            coin_reference=await _row(info, r.CoinReference, out.value),
            coin=await _coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )

    @strawberry.mutation(description="Change a citation; omitted fields stay, null clears.")
    async def update_coin_reference(
        self, info: Info, input: UpdateCoinReferenceInput
    ) -> UpdateCoinReferencePayload:
        ref_id = decode_id(input.id, "CoinReference", argument="input.id")
        changes = changes_of(input, skip={"id"})

        async def work(tx: Transaction) -> Any:
            ref = await refs.update_coin_reference(tx.session, ref_id, changes)
            if "citation" in changes:
                await refresh_stats_after_coin_write(tx.session)
            return ref

        out = await run_in_transaction(info, work)
        return UpdateCoinReferencePayload(
            coin_reference=await _row(info, r.CoinReference, out.value),
            coin=await _coin(info, out.value.coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinReferenceId": ["id"]}),
        )

    @strawberry.mutation(description="Delete a citation; its type stays in the catalogue.")
    async def remove_coin_reference(
        self, info: Info, input: RemoveCoinReferenceInput
    ) -> RemoveCoinReferencePayload:
        ref_id = decode_id(input.id, "CoinReference", argument="input.id")

        async def work(tx: Transaction) -> int:
            coin_id = await refs.remove_coin_reference(tx.session, ref_id)
            await refresh_stats_after_coin_write(tx.session)
            return coin_id

        out = await run_in_transaction(info, work)
        return RemoveCoinReferencePayload(
            removed_coin_reference_id=_removed_id("CoinReference", ref_id, out.ok),
            coin=await _coin(info, out.value),
            user_errors=remap_paths(out.errors, {"coinReferenceId": ["id"]}),
        )

    @strawberry.mutation(
        description="Edit a catalogue type's fields, found by id or citation (created if new)."
    )
    async def upsert_reference_type(
        self, info: Info, input: UpsertReferenceTypeInput
    ) -> UpsertReferenceTypePayload:
        values = changes_of(input, skip={"id"})
        if input.id is not strawberry.UNSET and input.id is not None:
            values["id"] = decode_id(input.id, "ReferenceType", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: refs.upsert_reference_type(tx.session, values)
        )
        return UpsertReferenceTypePayload(
            reference_type=await _type(info, out.value.id if out.ok else None),
            user_errors=out.errors,
        )

    @strawberry.mutation(
        description="Make reference types equivalent; groups they were in merge into one."
    )
    async def link_concordance(
        self, info: Info, input: LinkConcordanceInput
    ) -> LinkConcordancePayload:
        ids = None
        if input.reference_types is not None:
            ids = [
                decode_id(i, "ReferenceType", argument="input.referenceTypes")
                for i in input.reference_types
            ]
        source, confidence, notes = input.source.value, input.confidence, input.notes

        async def work(tx: Transaction) -> str:
            if ids is not None and input.citations is not None:
                raise DomainError("give referenceTypes or citations, not both",
                                  field=["referenceTypes"])
            if ids is not None:
                group = await concordance.link_concordance(
                    tx.session, ids, source=source, confidence=confidence, notes=notes
                )
            elif input.citations is not None:
                group = await concordance.link_concordance_by_citations(
                    tx.session, input.citations, source=source, confidence=confidence,
                    notes=notes,
                )
            else:
                raise Required("give the referenceTypes or the citations to link",
                               field=["referenceTypes"])
            await refresh_stats_after_coin_write(tx.session)  # reference filters follow groups
            return group

        out = await run_in_transaction(info, work)
        return LinkConcordancePayload(
            concordance_group_id=out.value,
            reference_types=await _group_members(info, out.value) if out.ok else None,
            user_errors=remap_paths(out.errors, TYPE_PATHS),
        )

    @strawberry.mutation(
        description="Take types out of their concordance groups; a group of one dissolves."
    )
    async def unlink_concordance(
        self, info: Info, input: UnlinkConcordanceInput
    ) -> UnlinkConcordancePayload:
        ids = [
            decode_id(i, "ReferenceType", argument="input.referenceTypes")
            for i in input.reference_types
        ]

        async def work(tx: Transaction) -> list[int]:
            left = await concordance.unlink_concordance(tx.session, ids)
            await refresh_stats_after_coin_write(tx.session)
            return left

        out = await run_in_transaction(info, work)
        unlinked = None
        if out.ok:
            loader = info.context.loaders.get(ReferenceTypeByIdLoader)
            unlinked = [t for t in await loader.load_many(out.value) if t is not None]
        return UnlinkConcordancePayload(
            unlinked_reference_types=unlinked, user_errors=remap_paths(out.errors, TYPE_PATHS)
        )

    @strawberry.mutation(description="Set a type's link to OCRE, CRRO, RPC Online, Nomisma ….")
    async def upsert_external_catalog_link(
        self, info: Info, input: UpsertExternalCatalogLinkInput
    ) -> UpsertExternalCatalogLinkPayload:
        type_id = decode_id(input.reference_type, "ReferenceType", argument="input.referenceType")
        out = await run_in_transaction(
            info,
            lambda tx: links.upsert_external_catalog_link(
                tx.session, type_id, input.catalog_source, input.external_id,
                input.external_url, input.external_data,
            ),
        )
        return UpsertExternalCatalogLinkPayload(
            external_catalog_link=await _row(info, r.ExternalCatalogLink, out.value),
            reference_type=await _type(info, type_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"referenceTypeId": ["referenceType"]}),
        )

    @strawberry.mutation(description="Delete an external catalogue link.")
    async def remove_external_catalog_link(
        self, info: Info, input: RemoveExternalCatalogLinkInput
    ) -> RemoveExternalCatalogLinkPayload:
        link_id = decode_id(input.id, "ExternalCatalogLink", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: links.remove_external_catalog_link(tx.session, link_id)
        )
        return RemoveExternalCatalogLinkPayload(
            removed_external_catalog_link_id=_removed_id("ExternalCatalogLink", link_id, out.ok),
            reference_type=await _type(info, out.value),
            user_errors=remap_paths(out.errors, {"externalCatalogLinkId": ["id"]}),
        )
