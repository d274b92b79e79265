"""Helpers shared by the collection tests: sessions on a migrated database, real coins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.enums import Category, GradeService, GradingState, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.models import Collection, CollectionCoin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_sessions(url: str) -> AsyncIterator[Sessions]:
    """A session factory on `url`; the engine is disposed on exit."""
    engine = create_engine(Settings(database_url=url))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


# Real pieces: (key, attributes). Values are what such coins fetch at auction, roughly.
COINS: dict[str, dict[str, Any]] = {
    "augustus_caius_lucius": dict(
        category=Category.IMPERIAL, denomination="Denarius", metal=Metal.SILVER,
        issuer="Augustus", mint="Lugdunum", year_start=-2, year_end=4,
        reverse_legend="C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT",
        grade="Ch VF", grade_service=GradeService.NGC, grading_state=GradingState.SLABBED,
        acquisition_price=Decimal("380.00"), estimated_value_usd=Decimal("450.00"),
    ),
    "tiberius_tribute_penny": dict(
        category=Category.IMPERIAL, denomination="Denarius", metal=Metal.SILVER,
        issuer="Tiberius", mint="Lugdunum", year_start=14, year_end=37,
        reverse_legend="PONTIF MAXIM", grade="XF", grade_service=GradeService.NGC,
        grading_state=GradingState.SLABBED, acquisition_price=Decimal("525.00"),
        estimated_value_usd=Decimal("600.00"),
    ),
    "nero_sestertius": dict(
        category=Category.IMPERIAL, denomination="Sestertius", metal=Metal.ORICHALCUM,
        issuer="Nero", mint="Rome", year_start=64, year_end=66,
        reverse_legend="DECVRSIO", grade="Ch F", acquisition_price=Decimal("900.00"),
        estimated_value_usd=Decimal("1200.00"),
    ),
    "vespasian_judaea_capta": dict(
        category=Category.IMPERIAL, denomination="Denarius", metal=Metal.SILVER,
        issuer="Vespasian", mint="Rome", year_start=69, year_end=70,
        reverse_legend="IVDAEA", grade="Ch AU", grade_service=GradeService.NGC,
        grading_state=GradingState.SLABBED, acquisition_price=Decimal("700.00"),
        estimated_value_usd=Decimal("900.00"), has_test_cut=True,
    ),
    "caesar_elephant": dict(
        category=Category.REPUBLIC, denomination="Denarius", metal=Metal.SILVER,
        issuer="Julius Caesar", year_start=-49, year_end=-48, obverse_description="Elephant "
        "right trampling a serpent", reverse_legend=None, grade="VF",
        acquisition_price=Decimal("1250.00"), estimated_value_usd=Decimal("1500.00"),
    ),
    "athens_owl": dict(
        category=Category.GREEK, denomination="Tetradrachm", metal=Metal.SILVER,
        issuer="Athens", mint="Athens", year_start=-454, year_end=-404,
        reverse_legend="ΑΘΕ", grade="Ch XF", grade_service=GradeService.NGC,
        grading_state=GradingState.SLABBED, acquisition_price=Decimal("1400.00"),
        estimated_value_usd=Decimal("1100.00"), has_test_cut=True,
    ),
    "hadrian_aureus": dict(
        category=Category.IMPERIAL, denomination="Aureus", metal=Metal.GOLD,
        issuer="Hadrian", mint="Rome", year_start=134, year_end=138, grade="VF",
        acquisition_price=None, estimated_value_usd=None,  # no idea yet: NULL value
    ),
    "constantine_follis": dict(
        category=Category.IMPERIAL, denomination="Follis", metal=Metal.BRONZE,
        issuer="Constantine I", mint="Trier", year_start=310, year_end=313,
        reverse_legend="SOLI INVICTO COMITI", grade="XF", acquisition_price=Decimal("35.00"),
        estimated_value_usd=Decimal("40.00"),
    ),
}


async def add_coins(session: AsyncSession, *keys: str) -> dict[str, int]:
    """Insert the named coins (all when none are named); their ids by key."""
    chosen = keys or tuple(COINS)
    coins = {key: Coin(**COINS[key]) for key in chosen}
    session.add_all(coins.values())
    await session.flush()
    return {key: coin.id for key, coin in coins.items()}


async def add_valuation(
    session: AsyncSession, coin_id: int, when: date, value: str | None
) -> CoinValuation:
    valuation = CoinValuation(
        coin_id=coin_id, valuation_date=when,
        current_market_value=None if value is None else Decimal(value),
    )
    session.add(valuation)
    await session.flush()
    return valuation


async def stored_rows(session: AsyncSession) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every collection and membership row, to show a rolled-back call left nothing."""
    collections = await session.execute(
        select(
            Collection.id, Collection.name, Collection.slug, Collection.parent_id,
            Collection.collection_type, Collection.smart_filter, Collection.coin_count,
            Collection.total_value,
        ).order_by(Collection.id)
    )
    members = await session.execute(
        select(CollectionCoin.collection_id, CollectionCoin.coin_id, CollectionCoin.position)
        .order_by(CollectionCoin.collection_id, CollectionCoin.coin_id)
    )
    return [tuple(r) for r in collections.all()], [tuple(r) for r in members.all()]
