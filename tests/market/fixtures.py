"""Shared pieces of the market tests: sessions, rates, real coins and real-looking comps.

The comparables are sales of Augustus' Gaius and Lucius Caesars denarius (Lugdunum,
2 BC–AD 4, RIC I² 207) at CNG, Roma, Leu and Künker between 2022 and 2025, in USD, EUR and
CHF, at the grades those houses print. Prices are of the right order for the type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.enums import Category, GradeService, GradingState, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.market.data_service import MarketDataPointInput
from coinstack_graphql.market.models import (
    CoinValuation,
    MarketDataPoint,
    MarketPrice,
    MarketSource,
    PriceAlert,
)
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.references.models import CoinReference, ReferenceType
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]

# USD per unit, as COINSTACK_CURRENCY_RATES="EUR=1.08,GBP=1.27,CHF=1.13" gives them.
RATES: dict[str, Decimal] = {
    "USD": Decimal("1"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27"), "CHF": Decimal("1.13"),
}  # fmt: skip
TODAY = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 30, 12, 0)
AUGUSTUS_KEY = "ric.1(2).207"
HADRIAN_SESTERTIUS_KEY = "type:hadrian|sestertius|orichalcum|rome"

COINS: dict[str, dict[str, Any]] = {
    "augustus_207": dict(
        category=Category.IMPERIAL, denomination="Denarius", metal=Metal.SILVER,
        issuer="Augustus", mint="Lugdunum", year_start=-2, year_end=4,
        reverse_legend="C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT",
        grade="Ch VF", grade_service=GradeService.NGC, grading_state=GradingState.SLABBED,
        acquisition_price=Decimal("750.00"), acquisition_currency="EUR",
        acquisition_date=dt.date(2021, 11, 20),
    ),
    "hadrian_sestertius": dict(
        category=Category.IMPERIAL, denomination="Sestertius", metal=Metal.ORICHALCUM,
        issuer="Hadrian", mint="Roma", year_start=134, year_end=138, grade="VF",
        acquisition_price=Decimal("420.00"), acquisition_currency="USD",
    ),
    "caesar_elephant": dict(
        category=Category.REPUBLIC, denomination="Denarius", metal=Metal.SILVER,
        issuer="Julius Caesar", year_start=-49, year_end=-48, grade="VF",
        obverse_description="Elephant right trampling a serpent",
        acquisition_price=Decimal("1150.00"), acquisition_currency="CHF",
    ),
    "athens_owl": dict(
        category=Category.GREEK, denomination="Tetradrachm", metal=Metal.SILVER,
        issuer="Athens", mint="Athens", year_start=-454, year_end=-404, grade="Ch XF",
        acquisition_price=None,
    ),
}


@asynccontextmanager
async def open_sessions(url: str) -> AsyncIterator[Sessions]:
    """A session factory on `url`; the engine is disposed on exit."""
    engine = create_engine(Settings(database_url=url))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def add_coin(session: AsyncSession, name: str, **changes: Any) -> int:
    coin = Coin(**{**COINS[name], **changes})
    session.add(coin)
    await session.flush()
    return coin.id


async def add_reference_type(session: AsyncSession, citation: str) -> ReferenceType:
    parsed = parse_citation(citation)
    ref = ReferenceType(
        system=parsed.system, local_ref=parsed.local_ref, local_ref_normalized=parsed.normalized,
        volume=parsed.volume, number=parsed.number, edition=parsed.edition,
        number_numeric=parsed.number_numeric,
    )
    session.add(ref)
    await session.flush()
    return ref


async def cite(
    session: AsyncSession, coin_id: int, citation: str, *, primary: bool = True
) -> ReferenceType:
    """Cite `citation` on the coin (reusing its reference type when it exists)."""
    parsed = parse_citation(citation)
    ref = await session.scalar(
        select(ReferenceType).where(ReferenceType.local_ref_normalized == parsed.normalized)
    )
    if ref is None:
        ref = await add_reference_type(session, citation)
    session.add(CoinReference(coin_id=coin_id, reference_type_id=ref.id, is_primary=primary))
    await session.flush()
    return ref


def point(
    price: str,
    day: dt.date,
    *,
    currency: str = "USD",
    grade: str | None = None,
    house: str | None = "CNG",
    url: str | None = None,
    key: str | None = AUGUSTUS_KEY,
    citation: str | None = None,
    source: MarketSource | str = MarketSource.AUCTION_REALIZED,
) -> MarketDataPointInput:
    return MarketDataPointInput(
        price=Decimal(price), date=day, source=source, currency=currency,
        attribution_key=None if citation else key, citation=citation, grade=grade,
        auction_house=house, lot_url=url,
    )


# The worked example of docs/market.md (valued on 2025-06-30, coin graded Ch VF).
AUGUSTUS_COMPS: list[MarketDataPointInput] = [
    point("950.00", dt.date(2023, 1, 18), grade="Ch VF", house="CNG",
          url="https://www.cngcoins.com/Coin.aspx?CoinID=498211"),
    point("800.00", dt.date(2023, 9, 28), currency="EUR", grade="VF", house="Roma",
          url="https://www.romanumismatics.com/auction/e-sale-111/lot-812"),
    point("1100.00", dt.date(2024, 5, 12), currency="CHF", grade="EF", house="Leu",
          url="https://leunumismatik.com/en/lot/88/1423"),
    point("1000.00", dt.date(2024, 10, 2), currency="EUR", grade="aEF", house="Künker",
          url="https://www.kuenker.de/en/archiv/stueck/401/2207"),
    point("1400.00", dt.date(2025, 3, 12), grade="EF", house="CNG",
          url="https://www.cngcoins.com/Coin.aspx?CoinID=512377"),
    # 40 months before 2025-06-30: outside the 36-month window.
    point("400.00", dt.date(2022, 2, 20), grade="Ch VF", house="CNG",
          url="https://www.cngcoins.com/Coin.aspx?CoinID=471002"),
]


async def table_rows(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every market row, to show a rolled-back call left nothing behind."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, columns in (
        ("market_prices", (MarketPrice.id, MarketPrice.attribution_key)),
        ("market_data_points", (MarketDataPoint.id, MarketDataPoint.price,
                                MarketDataPoint.lot_url)),
        ("coin_valuations", (CoinValuation.id, CoinValuation.current_market_value)),
        ("price_alerts", (PriceAlert.id, PriceAlert.status, PriceAlert.last_observation_key)),
    ):
        rows = await session.execute(select(*columns).order_by(columns[0]))
        out[name] = [tuple(r) for r in rows.all()]
    return out
