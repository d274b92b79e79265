"""Rate limiting by cost: each client's bucket pays for queries, and refuses when empty."""

from __future__ import annotations

from coinstack_graphql.graphql.security.throttle import Buckets
from tests.support.client import graphql_client

PAGE = "{ coins(first: 50) { nodes { id mint { name } } } }"


def test_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = Buckets(capacity=100, restore_per_s=10, clock=lambda: now[0])
    assert buckets.spend("a", 80) == (True, 20)
    assert buckets.spend("a", 30) == (False, 20)
    assert buckets.spend("b", 30) == (True, 70)  # another client has its own bucket
    now[0] = 1.0
    assert buckets.spend("a", 30) == (True, 0)
    now[0] = 100.0
    assert buckets.spend("a", 0) == (True, 100)  # never above capacity


async def test_queries_are_throttled_when_the_bucket_is_empty(demo_db: str) -> None:
    async with graphql_client(demo_db, rate_limit_capacity=80, rate_limit_restore_per_s=0.001) as client:
        first = (await client.post(PAGE)).json()
        cost = first["extensions"]["cost"]["requestedQueryCost"]
        status = first["extensions"]["cost"]["throttleStatus"]
        assert status["maximumAvailable"] == 80
        assert 40 < cost <= 80, cost  # one fits, two do not
        assert status["currentlyAvailable"] == 80 - cost
        assert "errors" not in first
        second = (await client.post(PAGE)).json()
        error = second["errors"][0]
        assert error["extensions"]["code"] == "THROTTLED"
        assert f"costs {cost} points" in error["message"]
        assert second.get("data") is None
        assert second["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < cost
