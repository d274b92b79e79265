"""Which loader fetches each Node type by its database id (for `node` / `nodes`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from coinstack_graphql.graphql.core.loaders import ModelLoader


@cache
def by_id_loader(model: type) -> type[ModelLoader[Any]]:
    """A `<Model>ByIdLoader` class for any model with an `id` primary key."""
    return type(f"{model.__name__}ByIdLoader", (ModelLoader,), {"model": model, "key": model.id})


def node_models() -> dict[str, type]:
    """GraphQL type name → model, for every type that implements Node."""
    from coinstack_graphql.auctions import audit_models
    from coinstack_graphql.auctions import models as auctions
    from coinstack_graphql.coins import children
    from coinstack_graphql.coins import models as coins
    from coinstack_graphql.collections import models as collections
    from coinstack_graphql.enrichment import models as enrichment
    from coinstack_graphql.grading import models as grading
    from coinstack_graphql.market import models as market
    from coinstack_graphql.references import models as references
    from coinstack_graphql.series import models as series
    from coinstack_graphql.vocab import models as vocab
    from coinstack_graphql.wishlist import models as wishlist

    return {
        "Coin": coins.Coin,
        "Mint": coins.Mint,
        "VocabTerm": vocab.VocabTerm,
        "CoinImage": children.CoinImage,
        "ProvenanceEvent": children.ProvenanceEvent,
        "Countermark": children.Countermark,
        "FieldChange": audit_models.FieldHistory,
        "GradingEvent": grading.GradingHistory,
        "RarityAssessment": grading.RarityAssessment,
        "CensusSnapshot": grading.CensusSnapshot,
        "ReferenceType": references.ReferenceType,
        "CoinReference": references.CoinReference,
        "ExternalCatalogLink": references.ExternalCatalogLink,
        "LLMEnrichment": enrichment.LLMEnrichment,
        "EnrichmentFeedback": enrichment.LLMFeedback,
        "PromptTemplate": enrichment.PromptTemplate,
        "CoinValuation": market.CoinValuation,
        "MarketPrice": market.MarketPrice,
        "MarketDataPoint": market.MarketDataPoint,
        "PriceAlert": market.PriceAlert,
        "WishlistItem": wishlist.WishlistItem,
        "WishlistMatch": wishlist.WishlistMatch,
        "Collection": collections.Collection,
        "Series": series.Series,
        "SeriesSlot": series.SeriesSlot,
        "AuctionLot": auctions.AuctionData,
        "EnrichmentBatch": enrichment.EnrichmentJob,
    }
