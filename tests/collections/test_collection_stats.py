"""A coin's current value, and the stored count and total value of collections."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.value import current_value_expr, current_values
from coinstack_graphql.collections.models import Collection, CollectionCoin
from coinstack_graphql.collections.service import add_coins_to_collection, create_collection
from coinstack_graphql.collections.stats import refresh_collection_stats, smart_dependents
from tests.collections import Sessions, add_coins, add_valuation, open_sessions


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@contextmanager
def counting_statements(s: AsyncSession) -> Iterator[list[str]]:
    """The SQL statements `s` sends while the block runs."""
    seen: list[str] = []
    engine = s.bind.sync_engine  # type: ignore[union-attr]

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_current_value_prefers_the_latest_valuation(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s)
        augustus, nero = ids["augustus_caius_lucius"], ids["nero_sestertius"]
        tiberius, hadrian = ids["tiberius_tribute_penny"], ids["hadrian_aureus"]
        await add_valuation(s, augustus, date(2025, 1, 15), "610.00")
        await add_valuation(s, augustus, date(2024, 5, 1), "520.00")  # older, recorded later
        await add_valuation(s, nero, date(2025, 3, 1), "1350.00")
        await add_valuation(s, nero, date(2025, 3, 1), "1325.50")  # same day: last id wins
        # The newest run found no comparables: the estimate stands, not the old market value.
        await add_valuation(s, tiberius, date(2024, 1, 1), "700.00")
        await add_valuation(s, tiberius, date(2025, 6, 1), None)
        await add_valuation(s, hadrian, date(2025, 2, 2), "7800.00")
    async with sessions() as s:
        values = await current_values(s, [*ids.values(), 987_654])
    assert values == {
        augustus: Decimal("610.00"),
        tiberius: Decimal("600.00"),
        nero: Decimal("1325.50"),
        ids["vespasian_judaea_capta"]: Decimal("900.00"),
        ids["caesar_elephant"]: Decimal("1500.00"),
        ids["athens_owl"]: Decimal("1100.00"),
        hadrian: Decimal("7800.00"),
        ids["constantine_follis"]: Decimal("40.00"),
    }


async def test_current_value_is_null_without_valuation_or_estimate(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "hadrian_aureus")
    async with sessions() as s:
        assert await current_values(s, ids.values()) == {ids["hadrian_aureus"]: None}
        assert await current_values(s, []) == {}


async def test_current_value_expr_orders_and_sums(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "athens_owl", "caesar_elephant", "constantine_follis",
                              "hadrian_aureus")
        await add_valuation(s, ids["constantine_follis"], date(2025, 4, 4), "2100.00")
    async with sessions() as s:
        ranked = await s.scalars(
            select(Coin.id)
            .where(current_value_expr().is_not(None))
            .order_by(current_value_expr().desc(), Coin.id)
        )
        total = await s.scalar(select(func.sum(current_value_expr())))
    assert list(ranked) == [ids["constantine_follis"], ids["caesar_elephant"], ids["athens_owl"]]
    assert total == Decimal("4700.00")  # 2100 + 1500 + 1100; the aureus adds nothing


async def test_refresh_custom_collections_in_one_grouped_query(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s)
        names = ("Julio-Claudians", "Greek", "Unvalued", "Empty")
        made = [await create_collection(s, name=n) for n in names]
        rows = [
            (made[0].id, ids["augustus_caius_lucius"]), (made[0].id, ids["tiberius_tribute_penny"]),
            (made[0].id, ids["nero_sestertius"]), (made[1].id, ids["athens_owl"]),
            (made[2].id, ids["hadrian_aureus"]),
        ]
        # Written behind the service's back, as an import would: the stats are now stale.
        await s.execute(insert(CollectionCoin),
                        [{"collection_id": c, "coin_id": k, "position": 0} for c, k in rows])
        await s.execute(update(Collection).values(coin_count=99, total_value=Decimal("1.00")))
        with counting_statements(s) as statements:
            await refresh_collection_stats(s)
        assert len(statements) == 3  # read collections, one grouped aggregate, one update
    async with sessions() as s:
        result = await s.execute(
            select(Collection.name, Collection.coin_count, Collection.total_value)
        )
        stats = {name: (count, total) for name, count, total in result.tuples().all()}
    assert stats == {
        "Julio-Claudians": (3, Decimal("2250.00")),  # 450 + 600 + 1200
        "Greek": (1, Decimal("1100.00")),
        "Unvalued": (1, Decimal("0.00")),  # counted, adds nothing
        "Empty": (0, Decimal("0.00")),
    }


async def test_refresh_only_named_collections_and_keep_updated_at(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ids = await add_coins(s, "caesar_elephant", "athens_owl")
        republic = await create_collection(s, name="Republic")
        greek = await create_collection(s, name="Greek")
        await add_coins_to_collection(s, republic.id, [ids["caesar_elephant"]])
        await add_coins_to_collection(s, greek.id, [ids["athens_owl"]])
        stamps = dict(
            (await s.execute(select(Collection.id, Collection.updated_at))).tuples().all()
        )
    async with sessions() as s, s.begin():
        await add_valuation(s, ids["caesar_elephant"], date(2025, 5, 5), "1725.00")
        await add_valuation(s, ids["athens_owl"], date(2025, 5, 5), "1180.00")
        await refresh_collection_stats(s, [republic.id])
        with counting_statements(s) as statements:
            await refresh_collection_stats(s, [])
            await refresh_collection_stats(s, [republic.id])  # nothing changed: no write
        assert len(statements) == 2
    async with sessions() as s:
        result = await s.execute(
            select(Collection.id, Collection.total_value, Collection.updated_at)
        )
        rows = {cid: (total, stamp) for cid, total, stamp in result.tuples().all()}
    assert rows[republic.id] == (Decimal("1725.00"), stamps[republic.id])
    assert rows[greek.id] == (Decimal("1100.00"), stamps[greek.id])  # not asked: stale


async def test_refresh_smart_collections_one_query_each(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await add_coins(s)
        for name, spec in (("Silver", {"metals": ["silver"]}), ("BC", {"yearTo": -1}),
                           ("Gold", {"metals": ["gold"]})):
            await create_collection(s, name=name, collection_type="smart", smart_filter=spec)
        await create_collection(s, name="Tray")
        await s.execute(update(Collection).values(coin_count=0, total_value=None))
        with counting_statements(s) as statements:
            await refresh_collection_stats(s)
        # collections, grouped custom query, smart filters, one per smart collection, update
        assert len(statements) == 1 + 1 + 1 + 3 + 1
        result = await s.execute(
            select(Collection.name, Collection.coin_count, Collection.total_value)
        )
        stats = {name: (count, total) for name, count, total in result.tuples().all()}
    assert stats == {
        "Silver": (5, Decimal("4550.00")),  # 450 + 600 + 900 + 1500 + 1100
        "BC": (3, Decimal("3050.00")),  # 450 + 1500 + 1100
        "Gold": (1, Decimal("0.00")),
        "Tray": (0, Decimal("0.00")),
    }


def test_smart_dependents_follow_chains() -> None:
    filters: dict[int, dict[str, Any]] = {
        10: {"collectionIds": [1]},
        11: {"collectionIds": [10], "metals": ["silver"]},
        12: {"metals": ["gold"]},
        13: {"collectionIds": [2, 11]},
    }
    assert smart_dependents(filters, [1]) == {10, 11, 13}
    assert smart_dependents(filters, [2]) == {13}
    assert smart_dependents(filters, [12]) == set()
