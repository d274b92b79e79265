"""Mutations of the grading domain: grading events, rarity assessments, census snapshots.

Each payload carries the changed row and its coin, so a client sees the coin's grading
columns and rarity follow the history in the same response.
"""

from __future__ import annotations

from typing import Any

import strawberry

from coinstack_graphql.grading import census_service as census
from coinstack_graphql.grading import models as g
from coinstack_graphql.grading import rarity_service as rarity
from coinstack_graphql.grading import service as grading
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
from coinstack_graphql.graphql.grading.inputs import (
    AddCensusSnapshotInput,
    AddGradingEventInput,
    AddRarityAssessmentInput,
    RemoveCensusSnapshotInput,
    RemoveGradingEventInput,
    RemoveRarityAssessmentInput,
    UpdateGradingEventInput,
    UpdateRarityAssessmentInput,
)
from coinstack_graphql.graphql.grading.types import CensusSnapshot, GradingEvent, RarityAssessment

ON_COIN = {"coinId": ["coin"]}


@strawberry.type
class _GradingEventPayload:
    grading_event: GradingEvent | None = None
    coin: Coin | None = strawberry.field(
        default=None, description="The coin, its grading columns following its current entry."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddGradingEventPayload(_GradingEventPayload):
    pass


@strawberry.type
class UpdateGradingEventPayload(_GradingEventPayload):
    pass


@strawberry.type
class RemoveGradingEventPayload:
    removed_grading_event_id: strawberry.ID | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class _RarityAssessmentPayload:
    rarity_assessment: RarityAssessment | None = None
    coin: Coin | None = strawberry.field(
        default=None, description="The coin, its rarity following the primary assessment."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddRarityAssessmentPayload(_RarityAssessmentPayload):
    pass


@strawberry.type
class UpdateRarityAssessmentPayload(_RarityAssessmentPayload):
    pass


@strawberry.type
class RemoveRarityAssessmentPayload:
    removed_rarity_assessment_id: strawberry.ID | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddCensusSnapshotPayload:
    census_snapshot: CensusSnapshot | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemoveCensusSnapshotPayload:
    removed_census_snapshot_id: strawberry.ID | None = None
    coin: Coin | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)





@strawberry.type
class GradingMutation:
    @strawberry.mutation(
        description="Record a grading event; the server keeps one current entry per coin."
    )
    async def add_grading_event(
        self, info: Info, input: AddGradingEventInput
    ) -> AddGradingEventPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        values = grading.GradingEventInput(**changes_of(input, skip={"coin"}))

        async def work(tx: Transaction) -> Any:
            entry = await grading.add_grading_event(tx.session, coin_id, values)
            await refresh_stats_after_coin_write(tx.session)  # slabbed/service filters
            return entry

        out = await run_in_transaction(info, work)
        return AddGradingEventPayload(
            grading_event=await _row(info, g.GradingHistory, out.value),
            coin=await _coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, ON_COIN),
        )

    @strawberry.mutation(description="Change a grading event; omitted fields stay, null clears.")
    async def update_grading_event(
        self, info: Info, input: UpdateGradingEventInput
    ) -> UpdateGradingEventPayload:
        event_id = decode_id(input.id, "GradingEvent", argument="input.id")

        async def work(tx: Transaction) -> Any:
            entry = await grading.update_grading_event(
                tx.session, event_id, changes_of(input, skip={"id"})
            )
            await refresh_stats_after_coin_write(tx.session)
            return entry

        out = await run_in_transaction(info, work)
        return UpdateGradingEventPayload(
            grading_event=await _row(info, g.GradingHistory, out.value),
            coin=await _coin(info, out.value.coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"gradingEventId": ["id"]}),
        )

    @strawberry.mutation(description="Delete a grading event; the one before it becomes current.")
    async def remove_grading_event(
        self, info: Info, input: RemoveGradingEventInput
    ) -> RemoveGradingEventPayload:
        event_id = decode_id(input.id, "GradingEvent", argument="input.id")

        async def work(tx: Transaction) -> int:
            coin_id = await grading.remove_grading_event(tx.session, event_id)
            await refresh_stats_after_coin_write(tx.session)
            return coin_id

        out = await run_in_transaction(info, work)
        return RemoveGradingEventPayload(
            removed_grading_event_id=_removed_id("GradingEvent", event_id, out.ok),
            coin=await _coin(info, out.value),
            user_errors=remap_paths(out.errors, {"gradingEventId": ["id"]}),
        )

    @strawberry.mutation(
        description="Record a rarity assessment; the coin's rarity follows the primary."
    )
    async def add_rarity_assessment(
        self, info: Info, input: AddRarityAssessmentInput
    ) -> AddRarityAssessmentPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        given = changes_of(input, skip={"coin"})
        if given.get("is_primary", strawberry.UNSET) is None:
            given.pop("is_primary")  # null on a new row: the default (primary if first)
        values = rarity.RarityAssessmentInput(**given)

        async def work(tx: Transaction) -> Any:
            row = await rarity.add_rarity_assessment(tx.session, coin_id, values)
            await refresh_stats_after_coin_write(tx.session)  # rarityCode filters
            return row

        out = await run_in_transaction(info, work)
        return AddRarityAssessmentPayload(
            rarity_assessment=await _row(info, g.RarityAssessment, out.value),
            coin=await _coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, ON_COIN),
        )

    @strawberry.mutation(description="Change a rarity assessment; isPrimary true takes over.")
    async def update_rarity_assessment(
        self, info: Info, input: UpdateRarityAssessmentInput
    ) -> UpdateRarityAssessmentPayload:
        row_id = decode_id(input.id, "RarityAssessment", argument="input.id")

        async def work(tx: Transaction) -> Any:
            row = await rarity.update_rarity_assessment(
                tx.session, row_id, changes_of(input, skip={"id"})
            )
            await refresh_stats_after_coin_write(tx.session)
            return row

        out = await run_in_transaction(info, work)
        return UpdateRarityAssessmentPayload(
            rarity_assessment=await _row(info, g.RarityAssessment, out.value),
            coin=await _coin(info, out.value.coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, {"rarityAssessmentId": ["id"]}),
        )

    @strawberry.mutation(
        description="Delete a rarity assessment; a removed primary hands over to the newest left."
    )
    async def remove_rarity_assessment(
        self, info: Info, input: RemoveRarityAssessmentInput
    ) -> RemoveRarityAssessmentPayload:
        row_id = decode_id(input.id, "RarityAssessment", argument="input.id")

        async def work(tx: Transaction) -> int:
            coin_id = await rarity.remove_rarity_assessment(tx.session, row_id)
            await refresh_stats_after_coin_write(tx.session)
            return coin_id

        out = await run_in_transaction(info, work)
        return RemoveRarityAssessmentPayload(
            removed_rarity_assessment_id=_removed_id("RarityAssessment", row_id, out.ok),
            coin=await _coin(info, out.value),
            user_errors=remap_paths(out.errors, {"rarityAssessmentId": ["id"]}),
        )

    @strawberry.mutation(description="Record an NGC or PCGS census snapshot for a coin's type.")
    async def add_census_snapshot(
        self, info: Info, input: AddCensusSnapshotInput
    ) -> AddCensusSnapshotPayload:
        coin_id = decode_id(input.coin, "Coin", argument="input.coin")
        values = census.CensusSnapshotInput(**changes_of(input, skip={"coin"}))
        out = await run_in_transaction(
            info, lambda tx: census.add_census_snapshot(tx.session, coin_id, values)
        )
        return AddCensusSnapshotPayload(
            census_snapshot=await _row(info, g.CensusSnapshot, out.value),
            coin=await _coin(info, coin_id if out.ok else None),
            user_errors=remap_paths(out.errors, ON_COIN),
        )

    @strawberry.mutation(description="Delete a census snapshot.")
    async def remove_census_snapshot(
        self, info: Info, input: RemoveCensusSnapshotInput
    ) -> RemoveCensusSnapshotPayload:
        row_id = decode_id(input.id, "CensusSnapshot", argument="input.id")
        out = await run_in_transaction(
            info, lambda tx: census.remove_census_snapshot(tx.session, row_id)
        )
        return RemoveCensusSnapshotPayload(
            removed_census_snapshot_id=_removed_id("CensusSnapshot", row_id, out.ok),
            coin=await _coin(info, out.value),
            user_errors=remap_paths(out.errors, {"censusSnapshotId": ["id"]}),
        )
