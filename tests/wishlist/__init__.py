"""Helpers shared by the wishlist tests: sessions on a migrated database, real lots."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.enums import Category, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.references.models import ReferenceConcordance, ReferenceType
from coinstack_graphql.settings import Settings
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2026, 3, 2)
_lot_numbers = itertools.count(100)


@asynccontextmanager
async def open_sessions(url: str) -> AsyncIterator[Sessions]:
    """A session factory on `url`; the engine is disposed on exit."""
    engine = create_engine(Settings(database_url=url))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


def make_lot(**values: Any) -> AuctionData:
    """An upcoming lot (two weeks after TODAY) with the given fields."""
    number = next(_lot_numbers)
    defaults: dict[str, Any] = {
        "auction_house": "Classical Numismatic Group",
        "sale_name": "Triton XXIX",
        "lot_number": str(number),
        "auction_date": date(2026, 3, 16),
        "url": f"https://auctions.cngcoins.com/lots/view/4-TRITON29/{number}",
        "currency": "USD",
    }
    return AuctionData(**{**defaults, **values})


async def add_lots(session: AsyncSession, *lots: AuctionData) -> list[int]:
    session.add_all(lots)
    await session.flush()
    return [row.id for row in lots]


async def add_coin(session: AsyncSession, **values: Any) -> int:
    """A coin of the collection (an Otho denarius unless told otherwise)."""
    defaults: dict[str, Any] = {
        "category": Category.IMPERIAL,
        "denomination": "Denarius",
        "metal": Metal.SILVER,
        "issuer": "Otho",
        "mint": "Rome",
        "year_start": 69,
        "year_end": 69,
    }
    coin = Coin(**{**defaults, **values})
    session.add(coin)
    await session.flush()
    return coin.id


async def link_concordance(session: AsyncSession, group: str, *citations: str) -> list[int]:
    """Reference types for `citations`, all in one concordance group; their ids."""
    ids = []
    for citation in citations:
        parsed = parse_citation(citation)
        row = ReferenceType(
            system=parsed.system,
            local_ref=parsed.local_ref,
            local_ref_normalized=parsed.normalized,
            volume=parsed.volume,
            number=parsed.number,
            edition=parsed.edition,
        )
        session.add(row)
        await session.flush()
        session.add(ReferenceConcordance(concordance_group_id=group, reference_type_id=row.id))
        ids.append(row.id)
    await session.flush()
    return ids


async def wishlist_rows(
    session: AsyncSession,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every item and match row, to show a rolled-back call left nothing behind."""
    items = await session.execute(
        select(
            WishlistItem.id, WishlistItem.title, WishlistItem.catalog_ref, WishlistItem.status,
            WishlistItem.acquired_coin_id, WishlistItem.priority, WishlistItem.max_price,
        ).order_by(WishlistItem.id)
    )  # fmt: skip
    matches = await session.execute(
        select(
            WishlistMatch.id, WishlistMatch.wishlist_item_id, WishlistMatch.match_id,
            WishlistMatch.match_score, WishlistMatch.price, WishlistMatch.dismissed,
        ).order_by(WishlistMatch.id)
    )  # fmt: skip
    return [tuple(r) for r in items.all()], [tuple(r) for r in matches.all()]
