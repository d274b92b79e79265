"""Root queries of the coin domain: `coin`, `coins`, `mints`, `vocabTerms`."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Select, func, select

from coinstack_graphql.coins import models as m
from coinstack_graphql.coins.filters import coin_conditions
from coinstack_graphql.collections.membership import load_smart_filters
from coinstack_graphql.errors import DomainError
from coinstack_graphql.graphql.coins.inputs import (
    CoinFilter,
    CoinOrder,
    CoinOrderField,
    OrderDirection,
)
from coinstack_graphql.graphql.coins.loaders import CoinByIdLoader
from coinstack_graphql.graphql.coins.types import Coin, Mint, VocabTerm
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.pagination import (
    Connection,
    SortKey,
    paginate,
    selects_field,
)
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.core.search import contains
from coinstack_graphql.vocab.models import VocabTerm as VocabTermModel
from coinstack_graphql.vocab.models import Vocabulary

VocabularyEnum = __import__(
    "coinstack_graphql.graphql.core.model_fields", fromlist=["graphql_enum"]
).graphql_enum(Vocabulary)


def coin_sort_keys(order_by: list[CoinOrder] | None) -> list[SortKey]:
    """ORDER BY terms for `orderBy`, always ending with the id so ordering is total."""
    from coinstack_graphql.coins.value import current_value_expr

    keys: list[SortKey] = []
    for term in order_by or []:
        if term.field is CoinOrderField.ID:
            continue
        expr: Any = (
            current_value_expr() if term.field is CoinOrderField.CURRENT_VALUE
            else getattr(m.Coin, term.field.value)
        )
        nullable = term.field not in (CoinOrderField.ISSUER, CoinOrderField.DENOMINATION)
        keys.append(SortKey(expr, term.direction is OrderDirection.DESC, nullable))
    id_desc = any(
        t.field is CoinOrderField.ID and t.direction is OrderDirection.DESC for t in order_by or []
    )
    keys.append(SortKey(m.Coin.id, id_desc))
    return keys


async def coin_statement(info: Info, filter: CoinFilter | None) -> Select[Any]:
    stmt = select(m.Coin)
    if filter is None:
        return stmt
    criteria = filter.to_criteria()
    smart = None
    if criteria.collection_ids:
        async with info.context.sessions() as session:
            smart = await load_smart_filters(session)
    try:
        conds = coin_conditions(criteria, smart)
    except DomainError as exc:
        raise bad_request(exc.message) from None
    return stmt.where(*conds)


async def coin_connection(
    info: Info,
    stmt: Select[Any],
    order_by: list[CoinOrder] | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Coin]:
    return await paginate(
        info.context.loaders.reads,
        stmt,
        coin_sort_keys(order_by),
        first,
        after,
        last,
        before,
        with_total=selects_field(info, "totalCount"),
    )


@strawberry.type
class CoinQuery:
    @strawberry.field(description="One coin by its global ID.")
    async def coin(self, info: Info, id: strawberry.ID) -> Coin | None:
        return await info.context.loaders.get(CoinByIdLoader).load(decode_id(id, "Coin"))

    @strawberry.field(description="Coins matching a filter, in a stable order, paginated.")
    async def coins(
        self,
        info: Info,
        filter: CoinFilter | None = None,
        order_by: list[CoinOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Coin]:
        stmt = await coin_statement(info, filter)
        return await coin_connection(info, stmt, order_by, first, after, last, before)

    @strawberry.field(description="All mints, by name.")
    async def mints(self, info: Info, search: str | None = None) -> list[Mint]:
        stmt = select(m.Mint).order_by(m.Mint.name)
        if search:
            stmt = stmt.where(contains(m.Mint.name, search))
        async with info.context.sessions() as session:
            return list((await session.execute(stmt)).scalars())

    @strawberry.field(description="Vocabulary terms, optionally of one vocabulary.")
    async def vocab_terms(
        self,
        info: Info,
        vocabulary: VocabularyEnum | None = None,  # type: ignore[valid-type]
        search: str | None = None,
    ) -> list[VocabTerm]:
        stmt = select(VocabTermModel).order_by(
            VocabTermModel.vocabulary, VocabTermModel.canonical_name
        )
        if vocabulary is not None:
            stmt = stmt.where(VocabTermModel.vocabulary == vocabulary)
        if search:
            stmt = stmt.where(contains(VocabTermModel.canonical_name, search))
        async with info.context.sessions() as session:
            return list((await session.execute(stmt.limit(500))).scalars())


__all__ = ["CoinQuery", "coin_connection", "coin_statement", "func"]
