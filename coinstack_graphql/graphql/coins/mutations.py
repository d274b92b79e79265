"""Mutations of the coin domain: the coin itself, images, provenance, countermarks, tags."""

from __future__ import annotations

from typing import Any

import strawberry

from coinstack_graphql.coins import children as ch
from coinstack_graphql.coins import children_service as cs
from coinstack_graphql.coins import service as coin_service
from coinstack_graphql.graphql.coins.coin_inputs import (
    ERROR_PATHS,
    CreateCoinInput,
    UpdateCoinInput,
    coin_changes,
)
from coinstack_graphql.graphql.coins.types import Coin, CoinImage, Countermark, ProvenanceEvent
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.model_inputs import changes_of, model_input
from coinstack_graphql.graphql.core.mutations import Transaction, run_in_transaction
from coinstack_graphql.graphql.core.payloads import reload_coin as _fresh_coin
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id, to_global_id
from coinstack_graphql.graphql.core.stats import refresh_stats_after_coin_write

IMAGE_FIELDS = ["image_type", "file_path", "file_name", "mime_type", "size_bytes", "width",
                "height", "is_primary", "perceptual_hash", "source_url", "source_house"]
PROVENANCE_FIELDS = ["event_type", "event_date", "auction_house", "sale_series", "sale_number",
                     "lot_number", "catalog_reference", "hammer_price", "buyers_premium_pct",
                     "total_price", "currency", "dealer_name", "collection_name", "url",
                     "receipt_available", "notes"]
COUNTERMARK_FIELDS = ["countermark_type", "description", "expanded", "placement", "position",
                      "condition", "punch_shape", "authority", "reference", "date_applied",
                      "image_url", "image_side", "notes"]


@model_input(ch.CoinImage, name="AddCoinImageInput", fields=IMAGE_FIELDS,
             required=["image_type", "file_path"])
class AddCoinImageInput:
    coin: strawberry.ID


@model_input(ch.CoinImage, name="UpdateCoinImageInput", fields=IMAGE_FIELDS)
class UpdateCoinImageInput:
    id: strawberry.ID


@model_input(ch.ProvenanceEvent, name="AddProvenanceEventInput", fields=PROVENANCE_FIELDS,
             required=["event_type"])
class AddProvenanceEventInput:
    coin: strawberry.ID
    position: int | None = strawberry.field(
        default=None, description="Where to insert it (0 = oldest); last when omitted."
    )


@model_input(ch.ProvenanceEvent, name="UpdateProvenanceEventInput", fields=PROVENANCE_FIELDS)
class UpdateProvenanceEventInput:
    id: strawberry.ID


@model_input(ch.Countermark, name="AddCountermarkInput", fields=COUNTERMARK_FIELDS,
             required=["countermark_type", "description", "placement"])
class AddCountermarkInput:
    coin: strawberry.ID


@model_input(ch.Countermark, name="UpdateCountermarkInput", fields=COUNTERMARK_FIELDS)
class UpdateCountermarkInput:
    id: strawberry.ID


@strawberry.input
class DeleteInput:
    id: strawberry.ID


@strawberry.input
class CoinTagsInput:
    coin: strawberry.ID
    tags: list[str]


# API.md: every mutation takes its own <Name>Input and returns its own <Name>Payload, so
# codegen clients get a type per operation; the shared shapes above are subclassed.
@strawberry.input
class DeleteCoinInput(DeleteInput):
    pass


@strawberry.input
class RemoveCoinImageInput(DeleteInput):
    pass


@strawberry.input
class RemoveProvenanceEventInput(DeleteInput):
    pass


@strawberry.input
class RemoveCountermarkInput(DeleteInput):
    pass


@strawberry.input
class AddCoinTagsInput(CoinTagsInput):
    pass


@strawberry.input
class RemoveCoinTagsInput(CoinTagsInput):
    pass


@strawberry.type
class CoinPayload:
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCoinPayload:
    deleted_coin_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CoinImagePayload:
    image: CoinImage | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProvenanceEventPayload:
    provenance_event: ProvenanceEvent | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CountermarkPayload:
    countermark: Countermark | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemovePayload:
    removed_id: strawberry.ID | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CoinTagsPayload:
    coin: Coin | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateCoinPayload(CoinPayload):
    pass


@strawberry.type
class UpdateCoinPayload(CoinPayload):
    pass


@strawberry.type
class AddCoinImagePayload(CoinImagePayload):
    pass


@strawberry.type
class UpdateCoinImagePayload(CoinImagePayload):
    pass


@strawberry.type
class RemoveCoinImagePayload(RemovePayload):
    pass


@strawberry.type
class AddProvenanceEventPayload(ProvenanceEventPayload):
    pass


@strawberry.type
class UpdateProvenanceEventPayload(ProvenanceEventPayload):
    pass


@strawberry.type
class RemoveProvenanceEventPayload(RemovePayload):
    pass


@strawberry.type
class AddCountermarkPayload(CountermarkPayload):
    pass


@strawberry.type
class UpdateCountermarkPayload(CountermarkPayload):
    pass


@strawberry.type
class RemoveCountermarkPayload(RemovePayload):
    pass


@strawberry.type
class AddCoinTagsPayload(CoinTagsPayload):
    pass


@strawberry.type
class RemoveCoinTagsPayload(CoinTagsPayload):
    pass



@strawberry.type
class CoinMutation:
    @strawberry.mutation(description="Add a coin to the collection.")
    async def create_coin(self, info: Info, input: CreateCoinInput) -> CreateCoinPayload:  # type: ignore[valid-type]
        async def work(tx: Transaction) -> Any:
            coin = await coin_service.create_coin(tx.session, coin_changes(input))
            await refresh_stats_after_coin_write(tx.session)
            return coin

        out = await run_in_transaction(info, work)
        return CreateCoinPayload(coin=out.value, user_errors=remap_paths(out.errors, ERROR_PATHS))

    @strawberry.mutation(description="Change a coin; omitted fields stay, null clears. Writes field history.")
    async def update_coin(self, info: Info, input: UpdateCoinInput) -> UpdateCoinPayload:  # type: ignore[valid-type]
        coin_id = decode_id(input.id, "Coin", argument="input.id")

        async def work(tx: Transaction) -> Any:
            coin = await coin_service.update_coin(
                tx.session, coin_id, coin_changes(input), changed_by=info.context.principal.name
            )
            await refresh_stats_after_coin_write(tx.session)
            return coin

        out = await run_in_transaction(info, work)
        errors = remap_paths(out.errors, {"coinId": ["id"], **ERROR_PATHS})
        return UpdateCoinPayload(coin=out.value, user_errors=errors)

    @strawberry.mutation(description="Delete a coin and everything that belongs to it.")
    async def delete_coin(self, info: Info, input: DeleteCoinInput) -> DeleteCoinPayload:
        coin_id = decode_id(input.id, "Coin", argument="input.id")

        async def work(tx: Transaction) -> None:
            await coin_service.delete_coin(tx.session, coin_id)
            await refresh_stats_after_coin_write(tx.session)

        out = await run_in_transaction(info, work)
        deleted = strawberry.ID(to_global_id("Coin", coin_id)) if out.ok else None
        return DeleteCoinPayload(
            deleted_coin_id=deleted, user_errors=remap_paths(out.errors, {"coinId": ["id"]})
        )

    @strawberry.mutation
    async def add_coin_image(self, info: Info, input: AddCoinImageInput) -> AddCoinImagePayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        out = await run_in_transaction(
            info, lambda tx: cs.add_coin_image(tx.session, coin_id, changes_of(input, skip={"coin"}))
        )
        return AddCoinImagePayload(
            image=out.value, coin=await _fresh_coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )

    @strawberry.mutation
    async def update_coin_image(
        self, info: Info, input: UpdateCoinImageInput
    ) -> UpdateCoinImagePayload:
        image_id = decode_id(input.id, "CoinImage", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: cs.update_coin_image(tx.session, image_id, changes_of(input, skip={"id"}))
        )
        coin_id = out.value.coin_id if out.ok else None
        return UpdateCoinImagePayload(image=out.value, coin=await _fresh_coin(info, coin_id),
                                user_errors=remap_paths(out.errors, {"imageId": ["id"]}))

    @strawberry.mutation
    async def remove_coin_image(
        self, info: Info, input: RemoveCoinImageInput
    ) -> RemoveCoinImagePayload:
        image_id = decode_id(input.id, "CoinImage", argument="input.id")
        out = await run_in_transaction(info, lambda tx: cs.remove_coin_image(tx.session, image_id))
        return await _removed(info, out, "CoinImage", image_id, "imageId", RemoveCoinImagePayload)

    @strawberry.mutation
    async def add_provenance_event(
        self, info: Info, input: AddProvenanceEventInput
    ) -> AddProvenanceEventPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        values = changes_of(input, skip={"coin", "position"})
        out = await run_in_transaction(
            info,
            lambda tx: cs.add_provenance_event(tx.session, coin_id, values, position=input.position),
        )
        return AddProvenanceEventPayload(
            provenance_event=out.value, coin=await _fresh_coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )

    @strawberry.mutation
    async def update_provenance_event(
        self, info: Info, input: UpdateProvenanceEventInput
    ) -> UpdateProvenanceEventPayload:
        event_id = decode_id(input.id, "ProvenanceEvent", argument="input.id")
        out = await run_in_transaction(
            info,
            lambda tx: cs.update_provenance_event(tx.session, event_id, changes_of(input, skip={"id"})),
        )
        coin_id = out.value.coin_id if out.ok else None
        return UpdateProvenanceEventPayload(provenance_event=out.value, coin=await _fresh_coin(info, coin_id),
                                      user_errors=remap_paths(out.errors, {"eventId": ["id"]}))

    @strawberry.mutation
    async def remove_provenance_event(
        self, info: Info, input: RemoveProvenanceEventInput
    ) -> RemoveProvenanceEventPayload:
        event_id = decode_id(input.id, "ProvenanceEvent", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: cs.remove_provenance_event(tx.session, event_id)
        )
        return await _removed(
            info, out, "ProvenanceEvent", event_id, "eventId", RemoveProvenanceEventPayload
        )

    @strawberry.mutation
    async def add_countermark(
        self, info: Info, input: AddCountermarkInput
    ) -> AddCountermarkPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        out = await run_in_transaction(
            info, lambda tx: cs.add_countermark(tx.session, coin_id, changes_of(input, skip={"coin"}))
        )
        return AddCountermarkPayload(
            countermark=out.value, coin=await _fresh_coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )

    @strawberry.mutation
    async def update_countermark(
        self, info: Info, input: UpdateCountermarkInput
    ) -> UpdateCountermarkPayload:
        mark_id = decode_id(input.id, "Countermark", argument="input.id")
        out = await run_in_transaction(
            info,
            lambda tx: cs.update_countermark(tx.session, mark_id, changes_of(input, skip={"id"})),
        )
        coin_id = out.value.coin_id if out.ok else None
        return UpdateCountermarkPayload(countermark=out.value, coin=await _fresh_coin(info, coin_id),
                                  user_errors=remap_paths(out.errors, {"countermarkId": ["id"]}))

    @strawberry.mutation
    async def remove_countermark(
        self, info: Info, input: RemoveCountermarkInput
    ) -> RemoveCountermarkPayload:
        mark_id = decode_id(input.id, "Countermark", argument="input.id")
        out = await run_in_transaction(info, lambda tx: cs.remove_countermark(tx.session, mark_id))
        return await _removed(
            info, out, "Countermark", mark_id, "countermarkId", RemoveCountermarkPayload
        )

    @strawberry.mutation(description="Add tags to a coin (idempotent).")
    async def add_coin_tags(self, info: Info, input: AddCoinTagsInput) -> AddCoinTagsPayload:
        return await _tags(info, input, cs.add_coin_tags, AddCoinTagsPayload)

    @strawberry.mutation(description="Remove tags from a coin.")
    async def remove_coin_tags(
        self, info: Info, input: RemoveCoinTagsInput
    ) -> RemoveCoinTagsPayload:
        return await _tags(info, input, cs.remove_coin_tags, RemoveCoinTagsPayload)


async def _tags(info: Info, input: CoinTagsInput, op: Any, payload: Any) -> Any:
    coin_id = decode_id(input.coin, "Coin", argument="input.coin")

    async def work(tx: Transaction) -> Any:
        tags = await op(tx.session, coin_id, input.tags)
        await refresh_stats_after_coin_write(tx.session)
        return tags

    out = await run_in_transaction(info, work)
    return payload(
        coin=await _fresh_coin(info, coin_id if out.ok else None),
        tags=list(out.value or []),
        user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
    )


async def _removed(
    info: Info, out: Any, type_name: str, row_id: int, id_field: str, payload: Any
) -> Any:
    removed = strawberry.ID(to_global_id(type_name, row_id)) if out.ok else None
    return payload(
        removed_id=removed,
        coin=await _fresh_coin(info, out.value if out.ok else None),
        user_errors=remap_paths(out.errors, {id_field: ["id"]}),
    )
