"""Rate limiting by query cost: a leaky bucket of cost points per principal (Shopify's model).

Each principal's bucket holds up to `capacity` points and refills at `restore_per_s`.
A query spends its requested cost before it runs; one the bucket cannot pay for is
refused with THROTTLED and runs nothing. The bucket's state is reported beside the
cost in `extensions.cost.throttleStatus`. Buckets live in the process: with several
workers each keeps its own, so the effective rate is per worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from coinstack_graphql.graphql.security.cost_limit import current_query_cost


@dataclass
class Bucket:
    available: float
    updated: float


class Buckets:
    """Thread-safe buckets keyed by principal name."""

    def __init__(self, capacity: int, restore_per_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.restore_per_s = restore_per_s
        self.clock = clock
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def spend(self, key: str, cost: int) -> tuple[bool, float]:
        """Take `cost` points if available; (taken, points left afterwards)."""
        with self._lock:
            now = self.clock()
            bucket = self._buckets.setdefault(key, Bucket(float(self.capacity), now))
            bucket.available = min(
                float(self.capacity), bucket.available + (now - bucket.updated) * self.restore_per_s
            )
            bucket.updated = now
            if cost > bucket.available:
                return False, bucket.available
            bucket.available -= cost
            return True, bucket.available


class CostThrottle(SchemaExtension):
    """Spend each operation's cost from its principal's bucket (after QueryCostLimit)."""

    def __init__(self, buckets: Buckets) -> None:
        super().__init__()
        self.buckets = buckets

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query_cost = current_query_cost.get()
        if query_cost is not None and not context.pre_execution_errors:
            principal = getattr(context.context, "principal", None)
            key = getattr(principal, "name", "anonymous")
            cost = query_cost.report.cost
            taken, left = self.buckets.spend(key, cost)
            query_cost.payload["throttleStatus"] = {
                "maximumAvailable": self.buckets.capacity,
                "currentlyAvailable": int(left),
                "restoreRate": self.buckets.restore_per_s,
            }
            if not taken:
                wait = (cost - left) / self.buckets.restore_per_s if self.buckets.restore_per_s else None
                context.pre_execution_errors = [
                    GraphQLError(
                        f"Throttled: this query costs {cost} points and {int(left)} are available; "
                        f"retry in {wait:.1f} s" if wait is not None else "Throttled",
                        extensions={"code": "THROTTLED", "cost": cost, "available": int(left)},
                    )
                ]
        yield
