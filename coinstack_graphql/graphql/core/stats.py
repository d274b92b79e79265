"""Keeping derived figures true after writes (collection counts and totals)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def refresh_stats_after_coin_write(session: AsyncSession) -> None:
    """A coin write can move coins in or out of smart collections: recount them all."""
    from coinstack_graphql.collections.stats import refresh_collection_stats

    await refresh_collection_stats(session)
