"""Which coins belong to a collection: stored members, or whatever a smart filter matches."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType

# A smart filter may name other collections; this bounds how deep that may nest.
MAX_SMART_DEPTH = 4


def custom_member_condition(collection_ids: Sequence[int]) -> ColumnElement[bool]:
    return exists(
        select(CollectionCoin.coin_id).where(
            CollectionCoin.coin_id == Coin.id, CollectionCoin.collection_id.in_(collection_ids)
        )
    )


def collection_member_condition(
    collection_ids: Sequence[int], smart_filters: dict[int, dict] | None = None, depth: int = 0
) -> ColumnElement[bool]:
    """Membership in any of the collections.

    Smart collections need their stored filter, which `smart_filters` supplies (loaded by
    `load_smart_filters`); without it only stored members count.
    """
    from coinstack_graphql.coins.filters import coin_conditions, criteria_from_json

    parts: list[ColumnElement[bool]] = [custom_member_condition(collection_ids)]
    if smart_filters and depth < MAX_SMART_DEPTH:
        for cid in collection_ids:
            spec = smart_filters.get(cid)
            if spec is not None:
                criteria = criteria_from_json(spec)
                nested = criteria.collection_ids
                criteria.collection_ids = []
                conds = coin_conditions(criteria)
                if nested:
                    conds.append(collection_member_condition(nested, smart_filters, depth + 1))
                parts.append(and_(*conds) if conds else ~false())
    return or_(*parts)


async def load_smart_filters(session: AsyncSession) -> dict[int, dict]:
    rows = await session.execute(
        select(Collection.id, Collection.smart_filter).where(
            Collection.collection_type == CollectionType.SMART
        )
    )
    return {cid: spec or {} for cid, spec in rows.all()}
