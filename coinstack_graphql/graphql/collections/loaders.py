"""DataLoaders for collections (membership of coins, smart ones included) and series."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import literal, select, union_all

from coinstack_graphql.coins.filters import coin_conditions, criteria_from_json
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections import models as c
from coinstack_graphql.db.rows import row_class, row_select_columns
from coinstack_graphql.graphql.core.loaders import BaseLoader, ModelLoader, chunked
from coinstack_graphql.series import models as s


class CollectionByIdLoader(ModelLoader[int]):
    model = c.Collection
    key = c.Collection.id


class ChildCollectionsByParentIdLoader(ModelLoader[int]):
    model = c.Collection
    key = c.Collection.parent_id
    many = True
    order_by = (c.Collection.display_order, c.Collection.name, c.Collection.id)


class CollectionsByCoinIdLoader(BaseLoader[int]):
    """Collections holding each coin: stored members plus smart filters that match it.

    Two statements per batch however many smart collections exist: one reading the
    collections, one UNION ALL of the stored memberships and each smart filter.
    """

    async def _load_batch(self, keys: list[int]) -> list[Any]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        async with self.sessions() as session:
            connection = await session.connection()
            make = row_class(c.Collection)._make
            collections = [
                make(row) for row in
                await connection.execute(select(*row_select_columns(c.Collection)))
            ]
            by_id = {col.id: col for col in collections}
            for part in chunked(list(dict.fromkeys(keys))):
                selects = [
                    select(c.CollectionCoin.coin_id.label("coin_id"),
                           c.CollectionCoin.collection_id.label("collection_id"))
                    .where(c.CollectionCoin.coin_id.in_(part))
                ]
                smart_filters = {
                    col.id: col.smart_filter or {}
                    for col in collections
                    if col.collection_type == c.CollectionType.SMART
                }
                for cid, spec in smart_filters.items():
                    criteria = criteria_from_json(spec)
                    selects.append(
                        select(Coin.id.label("coin_id"), literal(cid).label("collection_id"))
                        .where(Coin.id.in_(part), *coin_conditions(criteria, smart_filters))
                    )
                rows = await connection.execute(union_all(*selects))
                for coin_id, collection_id in rows.all():
                    grouped[coin_id].append(by_id[collection_id])
        for members in grouped.values():
            members.sort(key=lambda col: (col.display_order is None, col.display_order, col.name))
        return [grouped.get(k, []) for k in keys]


class SeriesByIdLoader(ModelLoader[int]):
    model = s.Series
    key = s.Series.id


class SeriesSlotByIdLoader(ModelLoader[int]):
    model = s.SeriesSlot
    key = s.SeriesSlot.id


class SlotsBySeriesIdLoader(ModelLoader[int]):
    model = s.SeriesSlot
    key = s.SeriesSlot.series_id
    many = True
    order_by = (s.SeriesSlot.slot_number,)


class MembershipsBySeriesIdLoader(ModelLoader[int]):
    model = s.SeriesMembership
    key = s.SeriesMembership.series_id
    many = True
    order_by = (s.SeriesMembership.id,)
