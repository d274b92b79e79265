"""DataLoaders for grading history, rarity and census rows of coins."""

from __future__ import annotations

from coinstack_graphql.grading import models as g
from coinstack_graphql.graphql.core.loaders import ModelLoader


class GradingHistoryByCoinIdLoader(ModelLoader[int]):
    model = g.GradingHistory
    key = g.GradingHistory.coin_id
    many = True
    order_by = (g.GradingHistory.sequence_order, g.GradingHistory.id)


class RarityAssessmentsByCoinIdLoader(ModelLoader[int]):
    model = g.RarityAssessment
    key = g.RarityAssessment.coin_id
    many = True
    order_by = (g.RarityAssessment.is_primary.desc(), g.RarityAssessment.id)


class CensusSnapshotsByCoinIdLoader(ModelLoader[int]):
    model = g.CensusSnapshot
    key = g.CensusSnapshot.coin_id
    many = True
    order_by = (g.CensusSnapshot.snapshot_date.desc(), g.CensusSnapshot.id)
