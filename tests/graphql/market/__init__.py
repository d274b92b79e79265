"""Market and wishlist through the real app: shared rates, clients and small builders.

The mutation helpers (`run`, `refused`, `error_at`, `graphql_error`, `query`, `gid`) are the
ones every mutation module uses (tests/graphql/mutations). Clients here are configured with
the demo's currency rates, so EUR, GBP and CHF prices convert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.graphql.mutations import gid, run
from tests.support.client import GraphQLClient, graphql_client
from tests.support.databases import copy_of

RATES = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27"),
         "CHF": Decimal("1.13")}
TODAY = dt.date.today()


def months_ago(months: int, day: int = 10) -> str:
    """An ISO date `months` calendar months before this one (on `day`, never in the future)."""
    if months == 0:
        day = min(day, TODAY.day)
    index = TODAY.year * 12 + TODAY.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, day).isoformat()


@asynccontextmanager
async def market_client(url: str, **settings: Any) -> AsyncIterator[GraphQLClient]:
    """The real app on `url` with the demo's currency rates."""
    async with graphql_client(url, currency_rates=RATES, **settings) as client:
        yield client


@asynccontextmanager
async def shared_market_client(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One client (with rates) on one demo copy, for a module's refusals and reads."""
    with copy_of(demo_template, Path(tmp_path_factory.mktemp("market"))) as url:
        async with market_client(url) as client:
            yield client


async def create_coin(client: GraphQLClient, **fields: Any) -> str:
    """A coin of a type no demo coin shares (`type:testus|denarius|silver|rome`); its ID."""
    values = {"category": "IMPERIAL", "denomination": "denarius", "metal": "SILVER",
              "issuer": "Testus", "mintName": "Rome", **fields}
    payload = await run(client, "createCoin", values, "coin { id }")
    return str(payload["coin"]["id"])


TEST_KEY = "type:testus|denarius|silver|rome"


def point(price: str, months: int, **fields: Any) -> dict[str, Any]:
    """A MarketDataPointInput of TEST_KEY `months` months ago."""
    return {"attributionKey": TEST_KEY, "price": price, "source": "AUCTION_REALIZED",
            "date": months_ago(months), **fields}


__all__ = ["RATES", "TEST_KEY", "create_coin", "gid", "market_client", "months_ago", "point",
           "shared_market_client"]
