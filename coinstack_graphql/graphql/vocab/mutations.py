"""Mutations of vocabularies and collecting series, and the undo of a coin's field changes."""

from __future__ import annotations

from typing import Any

import strawberry

from coinstack_graphql.coins import service as coin_service
from coinstack_graphql.errors import Required
from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader, VocabTermByIdLoader
from coinstack_graphql.graphql.coins.types import Coin, VocabTerm
from coinstack_graphql.graphql.collections.loaders import SeriesByIdLoader, SeriesSlotByIdLoader
from coinstack_graphql.graphql.collections.types import Series, SeriesSlot
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError
from coinstack_graphql.graphql.core.model_inputs import changes_of
from coinstack_graphql.graphql.core.mutations import Transaction, run_in_transaction
from coinstack_graphql.graphql.core.payloads import remap_paths
from coinstack_graphql.graphql.core.relay import decode_id, to_global_id
from coinstack_graphql.graphql.core.stats import refresh_stats_after_coin_write
from coinstack_graphql.graphql.vocab.inputs import (
    AddSeriesSlotInput,
    AssignVocabTermInput,
    ClearSeriesSlotInput,
    CreateSeriesInput,
    CreateVocabTermInput,
    DeleteSeriesInput,
    FillSeriesSlotInput,
    RemoveSeriesSlotInput,
    UndoFieldChangesInput,
    UpdateSeriesInput,
    UpdateVocabTermInput,
)
from coinstack_graphql.series import service as series_service
from coinstack_graphql.vocab import service as vocab_service

SERIES_PATHS = {"seriesId": ["id"], "canonicalVocabId": ["canonicalVocab"]}


@strawberry.type
class _VocabTermPayload:
    vocab_term: VocabTerm | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateVocabTermPayload(_VocabTermPayload):
    pass


@strawberry.type
class UpdateVocabTermPayload(_VocabTermPayload):
    pass


@strawberry.type
class AssignVocabTermPayload:
    coin: Coin | None = None
    vocab_term: VocabTerm | None = strawberry.field(
        default=None, description="The term assigned (null when the field was cleared)."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class _SeriesPayload:
    series: Series | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateSeriesPayload(_SeriesPayload):
    pass


@strawberry.type
class UpdateSeriesPayload(_SeriesPayload):
    pass


@strawberry.type
class DeleteSeriesPayload:
    deleted_series_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class _SlotPayload:
    slot: SeriesSlot | None = None
    series: Series | None = strawberry.field(
        default=None, description="The series, with its completion after the change."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddSeriesSlotPayload(_SlotPayload):
    pass


@strawberry.type
class FillSeriesSlotPayload:
    slot: SeriesSlot | None = None
    series: Series | None = strawberry.field(
        default=None, description="The series, with its completion after the change."
    )
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ClearSeriesSlotPayload(_SlotPayload):
    pass


@strawberry.type
class RemoveSeriesSlotPayload:
    removed_slot_id: strawberry.ID | None = None
    series: Series | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UndoFieldChangesPayload:
    coin: Coin | None = strawberry.field(
        default=None, description="The coin restored; the undo is itself a new history batch."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _load(info: Info, loader: type, row_id: int | None) -> Any:
    if row_id is None:
        return None
    return await info.context.loaders.get(loader).load(row_id)


def _series_values(value: Any) -> dict[str, Any]:
    changes = changes_of(value, skip={"id", "canonical_vocab"})
    vocab = value.canonical_vocab
    if vocab is not strawberry.UNSET:
        changes["canonical_vocab_id"] = (
            None if vocab is None
            else decode_id(vocab, "VocabTerm", argument="input.canonicalVocab")
        )
    return changes


@strawberry.type
class VocabMutation:
    @strawberry.mutation(description="Add a vocabulary term.")
    async def create_vocab_term(
        self, info: Info, input: CreateVocabTermInput
    ) -> CreateVocabTermPayload:
        values = changes_of(input)
        out = await run_in_transaction(
            info, lambda tx: vocab_service.create_vocab_term(tx.session, values)
        )
        return CreateVocabTermPayload(
            vocab_term=await _load(info, VocabTermByIdLoader, out.value.id if out.ok else None),
            user_errors=out.errors,
        )

    @strawberry.mutation(description="Change a vocabulary term; omitted fields stay, null clears.")
    async def update_vocab_term(
        self, info: Info, input: UpdateVocabTermInput
    ) -> UpdateVocabTermPayload:
        term_id = decode_id(input.id, "VocabTerm", argument="input.id")
        changes = changes_of(input, skip={"id"})
        out = await run_in_transaction(
            info, lambda tx: vocab_service.update_vocab_term(tx.session, term_id, changes)
        )
        return UpdateVocabTermPayload(
            vocab_term=await _load(info, VocabTermByIdLoader, term_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"termId": ["id"]}),
        )

    @strawberry.mutation(
        description="Set or clear the term of a coin field; writes field history."
    )
    async def assign_vocab_term(
        self, info: Info, input: AssignVocabTermInput
    ) -> AssignVocabTermPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        term = input.term
        term_id = None if term is None or term is strawberry.UNSET else decode_id(
            term, "VocabTerm", argument="input.term"
        )

        async def work(tx: Transaction) -> Any:
            if term is strawberry.UNSET:
                raise Required("give the term, or null to clear the field", field=["term"])
            coin = await vocab_service.assign_vocab_term(
                tx.session, coin_id, term_id, input.field.value,
                changed_by=info.context.principal.name,
            )
            await refresh_stats_after_coin_write(tx.session)  # the issuer text may follow
            return coin

        out = await run_in_transaction(info, work)
        return AssignVocabTermPayload(
            coin=await _load(info, CoinByIdLoader, coin_id if out.ok else None),
            vocab_term=await _load(info, VocabTermByIdLoader, term_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"], "termId": ["term"]}),
        )

    @strawberry.mutation(description="Add a collecting series.")
    async def create_series(self, info: Info, input: CreateSeriesInput) -> CreateSeriesPayload:
        values = _series_values(input)
        out = await run_in_transaction(
            info, lambda tx: series_service.create_series(tx.session, values)
        )
        return CreateSeriesPayload(
            series=await _load(info, SeriesByIdLoader, out.value.id if out.ok else None),
            user_errors=remap_paths(out.errors, SERIES_PATHS),
        )

    @strawberry.mutation(description="Change a series; omitted fields stay, null clears.")
    async def update_series(self, info: Info, input: UpdateSeriesInput) -> UpdateSeriesPayload:
        series_id = decode_id(input.id, "Series", argument="input.id")
        changes = _series_values(input)
        out = await run_in_transaction(
            info, lambda tx: series_service.update_series(tx.session, series_id, changes)
        )
        return UpdateSeriesPayload(
            series=await _load(info, SeriesByIdLoader, series_id if out.ok else None),
            user_errors=remap_paths(out.errors, SERIES_PATHS),
        )

    @strawberry.mutation(description="Delete a series with its slots (the coins stay).")
    async def delete_series(self, info: Info, input: DeleteSeriesInput) -> DeleteSeriesPayload:
        series_id = decode_id(input.id, "Series", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: series_service.delete_series(tx.session, series_id)
        )
        deleted = strawberry.ID(to_global_id("Series", series_id)) if out.ok else None
        return DeleteSeriesPayload(
            deleted_series_id=deleted, user_errors=remap_paths(out.errors, SERIES_PATHS)
        )

    @strawberry.mutation(description="Add a slot to a series.")
    async def add_series_slot(self, info: Info, input: AddSeriesSlotInput) -> AddSeriesSlotPayload:
        series_id = decode_id(input.series, "Series", argument="input.series")
        values = changes_of(input, skip={"series"})
        out = await run_in_transaction(
            info, lambda tx: series_service.add_series_slot(tx.session, series_id, values)
        )
        return AddSeriesSlotPayload(
            slot=await _load(info, SeriesSlotByIdLoader, out.value.id if out.ok else None),
            series=await _load(info, SeriesByIdLoader, series_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"seriesId": ["series"]}),
        )

    @strawberry.mutation(description="Delete a slot (and the coin's place in it).")
    async def remove_series_slot(
        self, info: Info, input: RemoveSeriesSlotInput
    ) -> RemoveSeriesSlotPayload:
        slot_id = decode_id(input.id, "SeriesSlot", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: series_service.remove_series_slot(tx.session, slot_id)
        )
        return RemoveSeriesSlotPayload(
            removed_slot_id=strawberry.ID(to_global_id("SeriesSlot", slot_id)) if out.ok else None,
            series=await _load(info, SeriesByIdLoader, out.value.id if out.ok else None),
            user_errors=remap_paths(out.errors, {"slotId": ["id"]}),
        )

    @strawberry.mutation(description="Put a coin in a slot of a series.")
    async def fill_series_slot(
        self, info: Info, input: FillSeriesSlotInput
    ) -> FillSeriesSlotPayload:
        slot_id = decode_id(input.slot, "SeriesSlot", argument="input.slot")
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        out = await run_in_transaction(
            info,
            lambda tx: series_service.fill_series_slot(
                tx.session, slot_id, coin_id, replace=input.replace, notes=input.notes
            ),
        )
        return FillSeriesSlotPayload(
            slot=await _load(info, SeriesSlotByIdLoader, slot_id if out.ok else None),
            series=await _load(info, SeriesByIdLoader, out.value.series_id if out.ok else None),
            coin=await _load(info, CoinByIdLoader, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"slotId": ["slot"], "coinId": ["coin"]}),
        )

    @strawberry.mutation(description="Take the coin out of a slot.")
    async def clear_series_slot(
        self, info: Info, input: ClearSeriesSlotInput
    ) -> ClearSeriesSlotPayload:
        slot_id = decode_id(input.slot, "SeriesSlot", argument="input.slot")
        out = await run_in_transaction(
            info, lambda tx: series_service.clear_series_slot(tx.session, slot_id)
        )
        return ClearSeriesSlotPayload(
            slot=await _load(info, SeriesSlotByIdLoader, slot_id if out.ok else None),
            series=await _load(info, SeriesByIdLoader, out.value.series_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"slotId": ["slot"]}),
        )


@strawberry.type
class FieldHistoryMutation:
    @strawberry.mutation(
        description="Restore the values a batch of Coin.fieldHistory replaced, as a new batch."
    )
    async def undo_field_changes(
        self, info: Info, input: UndoFieldChangesInput
    ) -> UndoFieldChangesPayload:
        coin_id = (
            None if input.coin is None else decode_id(input.coin, "Coin", argument="input.coin")
        )

        async def work(tx: Transaction) -> Any:
            coin = await coin_service.undo_batch(
                tx.session, input.batch_id, coin_id=coin_id,
                changed_by=info.context.principal.name,
            )
            await refresh_stats_after_coin_write(tx.session)
            return coin

        out = await run_in_transaction(info, work)
        return UndoFieldChangesPayload(
            coin=await _load(info, CoinByIdLoader, out.value.id if out.ok else None),
            user_errors=remap_paths(out.errors, {"coinId": ["coin"]}),
        )
