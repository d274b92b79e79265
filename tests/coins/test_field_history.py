"""Field history rows written by coin updates, and undoing a batch of them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins.enums import Rarity
from coinstack_graphql.coins.history import coin_history, json_safe, record_field_changes
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.coins.service import create_coin, get_coin, undo_batch, update_coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def run(sessions: Sessions, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with sessions() as s, s.begin():
        return await work(s)


async def refused(
    sessions: Sessions, work: Callable[[AsyncSession], Awaitable[Any]]
) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await run(sessions, work)
    return caught.value


def tiberius_denarius() -> dict[str, Any]:
    """Tiberius "Tribute Penny" denarius, Lugdunum AD 14–37, RIC I² 26."""
    return {
        "category": "imperial",
        "metal": "silver",
        "denomination": "Denarius",
        "issuer": "Tiberius",
        "year_start": 15,
        "year_end": 37,
        "weight_g": Decimal("3.850"),
        "acquisition_date": date(2021, 9, 30),
        "acquisition_price": Decimal("620.00"),
    }


async def add_coin(sessions: Sessions) -> Coin:
    return await run(sessions, lambda s: create_coin(s, tiberius_denarius()))


async def rows_of(sessions: Sessions, coin_id: int) -> list[FieldHistory]:
    async with sessions() as s:
        return await coin_history(s, coin_id)


async def test_update_writes_one_row_per_changed_field_with_json_values(
    sessions: Sessions,
) -> None:
    coin = await add_coin(sessions)
    assert await rows_of(sessions, coin.id) == [], "a create is not history"
    await run(
        sessions,
        lambda s: update_coin(
            s,
            coin.id,
            {
                "weight_g": "3.79",
                "acquisition_date": date(2021, 10, 2),
                "rarity": Rarity.SCARCE,
                "die_axis": 6,
                "acquisition_price": None,
                "issuer": "Tiberius",  # unchanged: no row
                "year_start": 15,  # unchanged: no row
            },
            changed_by="marcus",
            reason="re-weighed on a new scale",
        ),
    )
    rows = await rows_of(sessions, coin.id)
    assert {r.field_name: (r.old_value, r.new_value) for r in rows} == {
        "weight_g": ("3.850", "3.790"),
        "acquisition_date": ("2021-09-30", "2021-10-02"),
        "rarity": (None, "scarce"),
        "die_axis": (None, 6),
        "acquisition_price": ("620.00", None),
    }
    assert len({r.batch_id for r in rows}) == 1
    assert str(uuid.UUID(rows[0].batch_id or "", version=4)) == rows[0].batch_id
    for row in rows:
        assert row.change_type == "manual" and row.new_source == "manual"
        assert row.old_source is None and row.changed_by == "marcus"
        assert row.reason == "re-weighed on a new scale" and row.changed_at is not None


async def test_each_call_is_its_own_batch_and_no_op_updates_write_nothing(
    sessions: Sessions,
) -> None:
    coin = await add_coin(sessions)
    await run(sessions, lambda s: update_coin(s, coin.id, {"die_axis": 6}))
    await run(sessions, lambda s: update_coin(s, coin.id, {"die_axis": 7}))
    await run(sessions, lambda s: update_coin(s, coin.id, {"die_axis": 7, "weight_g": "3.85"}))
    rows = await rows_of(sessions, coin.id)
    assert [(r.old_value, r.new_value) for r in rows] == [(None, 6), (6, 7)]
    assert rows[0].batch_id != rows[1].batch_id


async def test_record_field_changes_serves_other_sources(sessions: Sessions) -> None:
    coin = await add_coin(sessions)
    batch = str(uuid.uuid4())

    async def llm_review(s: AsyncSession) -> list[FieldHistory]:
        loaded = await get_coin(s, coin.id)
        return await record_field_changes(
            s,
            loaded,
            {"historical_significance": "Issued for the tribute of Matthew 22:19", "die_axis": 6},
            source="llm",
            batch_id=batch,
            changed_by="review:41",
            change_type="auto_fill",
            source_id="enrichment:41",
        )

    written = await run(sessions, llm_review)
    assert [r.batch_id for r in written] == [batch, batch]
    await run(sessions, lambda s: update_coin(s, coin.id, {"die_axis": 5}))
    rows = await rows_of(sessions, coin.id)
    last = rows[-1]
    assert (last.field_name, last.old_source, last.old_source_id) == (
        "die_axis",
        "llm",
        "enrichment:41",
    ), "the previous change's source becomes the old source"
    assert rows[0].change_type == "auto_fill"


def test_json_safe_values() -> None:
    assert json_safe(Decimal("3.850")) == "3.850"
    assert json_safe(date(2024, 1, 17)) == "2024-01-17"
    assert json_safe(Rarity.VERY_RARE) == "very_rare"
    assert json_safe({"lot": 812, "price": Decimal("1440.00")}) == {"lot": 812, "price": "1440.00"}


async def test_undo_batch_restores_old_values_as_a_new_batch(sessions: Sessions) -> None:
    coin = await add_coin(sessions)
    changed = await run(
        sessions,
        lambda s: update_coin(
            s,
            coin.id,
            {"weight_g": "3.70", "rarity": "rare", "acquisition_date": None, "die_axis": 6},
        ),
    )
    async with sessions() as s:
        batch = (await coin_history(s, changed.id))[0].batch_id
    assert batch is not None
    await run(sessions, lambda s: undo_batch(s, batch, changed_by="marcus"))
    async with sessions() as s:
        restored = await s.get(Coin, coin.id)
        assert restored is not None
        assert restored.weight_g == Decimal("3.850") and restored.rarity is None
        assert restored.acquisition_date == date(2021, 9, 30) and restored.die_axis is None
    rows = await rows_of(sessions, coin.id)
    undo_rows = [r for r in rows if r.batch_id != batch]
    assert len(undo_rows) == 4 and len({r.batch_id for r in undo_rows}) == 1
    assert {r.field_name: (r.old_value, r.new_value) for r in undo_rows} == {
        "weight_g": ("3.700", "3.850"),
        "rarity": ("rare", None),
        "acquisition_date": (None, "2021-09-30"),
        "die_axis": (6, None),
    }
    assert {r.change_type for r in undo_rows} == {"undo"}
    assert undo_rows[0].reason == f"undo of batch {batch}"

    # Undoing the undo brings the edit back.
    redo = undo_rows[0].batch_id
    assert redo is not None
    await run(sessions, lambda s: undo_batch(s, redo))
    async with sessions() as s:
        again = await s.get(Coin, coin.id)
        assert again is not None and again.weight_g == Decimal("3.700")


async def test_undo_restores_the_mint_text_that_came_with_a_mint(sessions: Sessions) -> None:
    coin = await add_coin(sessions)

    async def move_to_lugdunum(s: AsyncSession) -> Coin:
        mint = Mint(name="Lugdunum", province="Gallia Lugdunensis")
        s.add(mint)
        await s.flush()
        return await update_coin(s, coin.id, {"mint_id": mint.id})

    await run(sessions, move_to_lugdunum)
    rows = await rows_of(sessions, coin.id)
    assert {r.field_name for r in rows} == {"mint_id", "mint"}
    batch = rows[0].batch_id
    assert batch is not None
    await run(sessions, lambda s: undo_batch(s, batch))
    async with sessions() as s:
        restored = await s.get(Coin, coin.id)
        assert restored is not None and (restored.mint_id, restored.mint) == (None, None)


async def test_undo_refuses_when_a_later_batch_changed_the_field(sessions: Sessions) -> None:
    coin = await add_coin(sessions)
    await run(sessions, lambda s: update_coin(s, coin.id, {"weight_g": "3.70"}))
    await run(sessions, lambda s: update_coin(s, coin.id, {"weight_g": "3.60"}))
    first = (await rows_of(sessions, coin.id))[0].batch_id
    assert first is not None
    error = await refused(sessions, lambda s: undo_batch(s, first))
    assert (error.field, error.code) == (["batchId"], "CONFLICT")
    async with sessions() as s:
        current = await s.get(Coin, coin.id)
        assert current is not None and current.weight_g == Decimal("3.600")
    assert len(await rows_of(sessions, coin.id)) == 2


async def test_undo_that_would_break_a_rule_is_refused(sessions: Sessions) -> None:
    coin = await add_coin(sessions)  # AD 15–37
    await run(sessions, lambda s: update_coin(s, coin.id, {"year_start": 14}))
    await run(sessions, lambda s: update_coin(s, coin.id, {"year_end": 14}))
    first = (await rows_of(sessions, coin.id))[0].batch_id
    assert first is not None
    error = await refused(sessions, lambda s: undo_batch(s, first))  # 15 > 14
    assert (error.field, error.code) == (["batchId"], "INVALID")
    assert error.message.startswith("cannot undo")


async def test_undo_of_an_unknown_batch_is_not_found(sessions: Sessions) -> None:
    error = await refused(sessions, lambda s: undo_batch(s, str(uuid.uuid4())))
    assert (error.field, error.code) == (["batchId"], "NOT_FOUND")


async def test_a_batch_over_several_coins_is_undone_one_coin_at_a_time(
    sessions: Sessions,
) -> None:
    first, second = await add_coin(sessions), await add_coin(sessions)
    batch = str(uuid.uuid4())

    async def grading_sync(s: AsyncSession) -> None:
        for coin_id in (first.id, second.id):
            await update_coin(s, coin_id, {"grade": "VF"}, source="grading_sync", batch_id=batch)

    await run(sessions, grading_sync)
    error = await refused(sessions, lambda s: undo_batch(s, batch))
    assert error.field == ["coinId"]
    await run(sessions, lambda s: undo_batch(s, batch, coin_id=second.id))
    async with sessions() as s:
        grades = dict((await s.execute(select(Coin.id, Coin.grade))).tuples().all())
    assert grades == {first.id: "VF", second.id: None}
