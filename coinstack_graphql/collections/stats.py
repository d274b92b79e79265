"""The stored `coin_count` and `total_value` of collections, recomputed from their members.

The figures are denormalised so listing collections costs no aggregate per row; whoever
changes what they depend on must call `refresh_collection_stats` in the same transaction:

- the collection service, after each of its writes (it does so itself);
- the coin service, after creating, updating or deleting coins (a coin can enter or leave
  a smart collection, and its estimate feeds the totals): `refresh_collection_stats(session)`;
- the valuation service, after recording valuations (the latest one sets the value):
  `refresh_collection_stats(session)`.

Totals count only each collection's own members, not its sub-collections'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.value import current_value_expr
from coinstack_graphql.collections.membership import (
    collection_member_condition,
    load_smart_filters,
)
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType

ZERO = Decimal("0.00")
Stats = tuple[int, Decimal]


async def refresh_collection_stats(
    session: AsyncSession, collection_ids: Sequence[int] | None = None
) -> None:
    """Recompute count and total value of the given collections (all when None).

    One grouped query covers every stored-membership collection; each smart collection
    takes one more. Only rows whose figures changed are written.
    """
    await session.flush()  # autoflush is off: pending coin edits must count
    query = select(
        Collection.id, Collection.collection_type, Collection.coin_count, Collection.total_value
    )
    if collection_ids is not None:
        if not collection_ids:
            return
        query = query.where(Collection.id.in_(list(collection_ids)))
    rows = (await session.execute(query)).all()
    smart = [cid for cid, kind, _, _ in rows if kind == CollectionType.SMART]
    stored = [cid for cid, kind, _, _ in rows if kind != CollectionType.SMART]

    fresh: dict[int, Stats] = {cid: (0, ZERO) for cid, *_ in rows}
    fresh.update(await _stored_stats(session, stored))
    if smart:
        filters = await load_smart_filters(session)
        for cid in smart:
            fresh[cid] = await _smart_stats(session, cid, filters)

    changed = [
        {"b_id": cid, "b_count": fresh[cid][0], "b_total": fresh[cid][1]}
        for cid, _, count, total in rows
        if (count, total) != fresh[cid]
    ]
    await _write(session, changed)


async def _stored_stats(session: AsyncSession, collection_ids: list[int]) -> dict[int, Stats]:
    if not collection_ids:
        return {}
    # The inner join to coins skips membership rows of deleted coins: the database has no
    # foreign key that would have cascaded them away.
    result = await session.execute(
        select(
            CollectionCoin.collection_id,
            func.count(Coin.id),
            func.sum(current_value_expr()),
        )
        .join(Coin, Coin.id == CollectionCoin.coin_id)
        .where(CollectionCoin.collection_id.in_(collection_ids))
        .group_by(CollectionCoin.collection_id)
    )
    return {cid: (int(count), total or ZERO) for cid, count, total in result.all()}


async def _smart_stats(
    session: AsyncSession, collection_id: int, smart_filters: dict[int, dict[str, Any]]
) -> Stats:
    result = await session.execute(
        select(func.count(Coin.id), func.sum(current_value_expr())).where(
            collection_member_condition([collection_id], smart_filters)
        )
    )
    count, total = result.one()
    return int(count), total or ZERO


async def _write(session: AsyncSession, changed: list[dict[str, Any]]) -> None:
    if not changed:
        return
    table = cast(Table, Collection.__table__)
    # Core executemany so `updated_at` keeps its value: member coins changing is not an
    # edit of the collection itself (assigning the column to itself skips its onupdate).
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            coin_count=bindparam("b_count"),
            total_value=bindparam("b_total"),
            updated_at=table.c.updated_at,
        )
    )
    await session.execute(statement, changed)
    # Core bypasses the identity map; bring loaded Collection objects up to date.
    identity_map = session.sync_session.identity_map
    for row in changed:
        loaded = identity_map.get(identity_key(Collection, row["b_id"]))
        if loaded is not None:
            set_committed_value(loaded, "coin_count", row["b_count"])
            set_committed_value(loaded, "total_value", row["b_total"])


def smart_dependents(
    smart_filters: dict[int, dict[str, Any]], collection_ids: Iterable[int]
) -> set[int]:
    """Smart collections whose filter names any of `collection_ids`, directly or not."""
    targets = set(collection_ids)
    found: set[int] = set()
    grew = True
    while grew:
        grew = False
        for cid, spec in smart_filters.items():
            if cid in found or not isinstance(spec, dict):
                continue
            named = spec.get("collectionIds") or []
            if targets.intersection(named) or found.intersection(named):
                found.add(cid)
                grew = True
    return found
