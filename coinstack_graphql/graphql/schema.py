"""The schema: per-domain roots merged into one, with the security extensions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_limit_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from coinstack_graphql.graphql.auctions.queries import AuctionQuery
from coinstack_graphql.graphql.coins.mutations import CoinMutation
from coinstack_graphql.graphql.coins.queries import CoinQuery
from coinstack_graphql.graphql.collections.mutations import CollectionMutation
from coinstack_graphql.graphql.collections.queries import CollectionQuery
from coinstack_graphql.graphql.core.node_queries import NodeQuery
from coinstack_graphql.graphql.core.scalars import SCALAR_MAP
from coinstack_graphql.graphql.enrichment.mutations import EnrichmentMutation
from coinstack_graphql.graphql.enrichment.queries import EnrichmentQuery
from coinstack_graphql.graphql.enrichment.subscriptions import EnrichmentSubscription
from coinstack_graphql.graphql.fast_execution import FastQueries
from coinstack_graphql.graphql.grading.mutations import GradingMutation
from coinstack_graphql.graphql.market.mutations import MarketMutation
from coinstack_graphql.graphql.market.queries import MarketQuery
from coinstack_graphql.graphql.market.subscriptions import MarketSubscription
from coinstack_graphql.graphql.references.mutations import ReferenceMutation
from coinstack_graphql.graphql.references.queries import ReferenceQuery
from coinstack_graphql.graphql.security.access import AccessControl
from coinstack_graphql.graphql.security.cost_limit import QueryCostLimit
from coinstack_graphql.graphql.security.depth import depth_limit_rule
from coinstack_graphql.graphql.security.introspection import IntrospectionDepthLimit
from coinstack_graphql.graphql.security.throttle import Buckets, CostThrottle
from coinstack_graphql.graphql.vocab.mutations import FieldHistoryMutation, VocabMutation
from coinstack_graphql.graphql.wishlist.mutations import WishlistMutation
from coinstack_graphql.graphql.wishlist.queries import WishlistQuery
from coinstack_graphql.http.masking import MaskInternalErrors
from coinstack_graphql.settings import Settings

Query = merge_types(
    "Query",
    (NodeQuery, CoinQuery, ReferenceQuery, CollectionQuery, WishlistQuery, MarketQuery,
     EnrichmentQuery, AuctionQuery),
)

Mutation = merge_types(
    "Mutation",
    (CoinMutation, FieldHistoryMutation, GradingMutation, ReferenceMutation, CollectionMutation,
     VocabMutation, MarketMutation, WishlistMutation, EnrichmentMutation),
)

Subscription = merge_types("Subscription", (MarketSubscription, EnrichmentSubscription))


def _extensions(settings: Settings) -> list[Callable[[], Any]]:
    buckets = Buckets(settings.rate_limit_capacity, settings.rate_limit_restore_per_s)
    # The rule classes are made once per schema: the validation cache keys on them, and a
    # class made afresh per request (as MaxAliasesLimiter does) would miss it every time.
    rules = [depth_limit_rule(settings.max_depth), alias_limit_rule(settings.max_aliases)]
    return [
        lambda: MaskInternalErrors(production=settings.is_production),
        lambda: ParserCache(maxsize=settings.parser_cache_size),
        lambda: ValidationCache(maxsize=settings.parser_cache_size),
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: IntrospectionDepthLimit(),
        lambda: QueryCostLimit(max_cost=settings.max_query_cost, max_nodes=settings.max_query_nodes),
        lambda: CostThrottle(buckets),
        AccessControl,
        FastQueries,  # last: runs queries once every check above has passed
    ]


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings()
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=_extensions(settings),
        config=StrawberryConfig(
            disable_field_suggestions=settings.is_production, scalar_map=SCALAR_MAP
        ),
    )
