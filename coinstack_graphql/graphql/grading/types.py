"""Grading events, rarity assessments and census snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Parent

from coinstack_graphql.grading import models as g
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.loaders import load
from coinstack_graphql.graphql.core.model_fields import model_type
from coinstack_graphql.graphql.core.relay import Node

if TYPE_CHECKING:  # the lazy annotations below name these
    from coinstack_graphql.graphql.coins.types import Coin

CoinT = Annotated["Coin", strawberry.lazy("coinstack_graphql.graphql.coins.types")]


def _coin(info: Info, coin_id: int) -> CoinT:
    from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader

    return load(info, CoinByIdLoader, coin_id)


@model_type(g.GradingHistory, name="GradingEvent", exclude=["coin_id"],
            description="One event of a coin's grading life (initial, crossover, regrade, crack-out).")
class GradingEvent(Node):
    @strawberry.field
    def coin(self, root: Parent[g.GradingHistory], info: Info) -> CoinT:
        return _coin(info, root.coin_id)


@model_type(g.RarityAssessment, name="RarityAssessment", exclude=["coin_id"])
class RarityAssessment(Node):
    @strawberry.field
    def coin(self, root: Parent[g.RarityAssessment], info: Info) -> CoinT:
        return _coin(info, root.coin_id)


@model_type(g.CensusSnapshot, name="CensusSnapshot", exclude=["coin_id"],
            description="An NGC/PCGS population report for the coin's type at a date.")
class CensusSnapshot(Node):
    @strawberry.field
    def coin(self, root: Parent[g.CensusSnapshot], info: Info) -> CoinT:
        return _coin(info, root.coin_id)
