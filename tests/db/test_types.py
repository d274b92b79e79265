"""ExactDecimal and JSONText on the engine under test: values come back as they went in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.settings import Settings


@pytest.fixture
async def engine(migrated_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(database_url=migrated_db))
    yield engine
    await engine.dispose()


def tribute_penny(**values: Any) -> Coin:
    """Tiberius denarius, RIC I² 30, Lugdunum."""
    base: dict[str, Any] = {
        "category": Category.IMPERIAL,
        "denomination": "denarius",
        "metal": Metal.SILVER,
        "issuer": "Tiberius",
        "mint": "Lugdunum",
        "die_axis": 6,
    }
    return Coin(**{**base, **values})


async def _store(engine: AsyncEngine, obj: Any) -> int:
    async with session_factory(engine)() as session:
        session.add(obj)
        await session.commit()
        return int(obj.id)


async def _load_coin(engine: AsyncEngine, coin_id: int) -> Coin:
    # A new session, so the value is read from the database, not the identity map.
    async with session_factory(engine)() as session:
        return (await session.execute(select(Coin).where(Coin.id == coin_id))).scalar_one()


async def _raw(engine: AsyncEngine, column: str, coin_id: int) -> Any:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(f"SELECT {column} FROM coins_v2 WHERE id = :id"), {"id": coin_id}
        )
        value = result.scalar_one()
        await conn.rollback()
        return value


# ---- ExactDecimal


@pytest.mark.parametrize(
    ("weight", "diameter", "price"),
    [
        (Decimal("3.780"), Decimal("19.00"), Decimal("1234.56")),  # Tiberius denarius
        (Decimal("25.610"), Decimal("33.00"), Decimal("0.01")),  # Hadrian sestertius
        (Decimal("0.001"), Decimal("0.50"), Decimal("99999999.99")),  # at the column limits
        (Decimal("17.205"), Decimal("24.10"), Decimal("3100.00")),  # Athenian tetradrachm
    ],
)
async def test_weights_sizes_and_money_round_trip_exactly(
    engine: AsyncEngine, weight: Decimal, diameter: Decimal, price: Decimal
) -> None:
    coin_id = await _store(
        engine, tribute_penny(weight_g=weight, diameter_mm=diameter, acquisition_price=price)
    )
    coin = await _load_coin(engine, coin_id)
    for got, want in [
        (coin.weight_g, weight),
        (coin.diameter_mm, diameter),
        (coin.acquisition_price, price),
    ]:
        assert isinstance(got, Decimal)
        assert got == want
        assert str(got) == str(want)  # quantised to the column's scale: 3.780, not 3.78


async def test_values_come_back_at_the_column_scale(engine: AsyncEngine) -> None:
    coin_id = await _store(engine, tribute_penny(weight_g=Decimal("3.78")))
    assert str((await _load_coin(engine, coin_id)).weight_g) == "3.780"


async def test_twelve_digit_money_round_trips(engine: AsyncEngine) -> None:
    # NUMERIC(12,2) at its widest: SQLite keeps a double, exact to this many digits.
    coin_id = await _store(engine, tribute_penny())
    valuation = CoinValuation(
        coin_id=coin_id,
        valuation_date=date(2025, 6, 30),
        purchase_price=Decimal("1234.56"),
        current_market_value=Decimal("9999999999.99"),
        gain_loss_usd=Decimal("-1234.56"),
    )
    await _store(engine, valuation)
    async with session_factory(engine)() as session:
        got = (await session.execute(select(CoinValuation))).scalar_one()
    assert got.current_market_value == Decimal("9999999999.99")
    assert got.purchase_price == Decimal("1234.56")
    assert got.gain_loss_usd == Decimal("-1234.56")


async def test_excess_digits_round_the_same_way_on_every_engine(engine: AsyncEngine) -> None:
    coin_id = await _store(engine, tribute_penny(acquisition_price=Decimal("1234.565")))
    assert (await _load_coin(engine, coin_id)).acquisition_price == Decimal("1234.57")


# ---- JSONText


async def test_json_text_round_trips_dicts_and_lists(engine: AsyncEngine) -> None:
    treatments = {
        "test_cut": {"count": 2, "positions": "obverse at 3h"},
        "graffiti": "Greek letter Δ",
        "bankers_marks": True,
    }
    references = ["RIC I² 30", "RSC 16a", "BMCRE 48"]
    coin_id = await _store(
        engine,
        tribute_penny(secondary_treatments=treatments, llm_suggested_references=references),
    )
    coin = await _load_coin(engine, coin_id)
    assert coin.secondary_treatments == treatments
    assert coin.llm_suggested_references == references
    # Stored as JSON text any other V2.1 reader can parse, Greek kept as written.
    raw = await _raw(engine, "secondary_treatments", coin_id)
    assert isinstance(raw, str)
    assert json.loads(raw) == treatments
    assert "Δ" in raw


async def test_json_text_none_is_sql_null(engine: AsyncEngine) -> None:
    coin_id = await _store(engine, tribute_penny(secondary_treatments=None))
    assert await _raw(engine, "secondary_treatments", coin_id) is None
    assert (await _load_coin(engine, coin_id)).secondary_treatments is None


@pytest.mark.parametrize(
    "legacy",
    ["test cut at 3h; mounted", "Prüfhieb auf dem Avers", "{not json"],
)
async def test_json_text_keeps_legacy_prose_readable(engine: AsyncEngine, legacy: str) -> None:
    coin_id = await _store(engine, tribute_penny())
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE coins_v2 SET secondary_treatments = :v WHERE id = :id"),
            {"v": legacy, "id": coin_id},
        )
    assert (await _load_coin(engine, coin_id)).secondary_treatments == legacy


async def test_json_text_empty_string_reads_as_none(engine: AsyncEngine) -> None:
    coin_id = await _store(engine, tribute_penny())
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE coins_v2 SET llm_analysis_sections = '' WHERE id = :id"), {"id": coin_id}
        )
    assert (await _load_coin(engine, coin_id)).llm_analysis_sections is None
