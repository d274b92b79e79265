"""Daily LLM usage: exact counters under concurrency, cost from the price table, budget.

Each change is one `INSERT … ON CONFLICT (date, capability, model_id) DO UPDATE` whose
SET adds to the stored values, so concurrent writers never lose an increment (no read-
modify-write in Python). Averages are running means weighted by request_count, computed
in the same statement from the row's old values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.enrichment.models import LLMUsageDaily
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings

COST_QUANTUM = Decimal("0.000001")  # llm_enrichments.cost_usd is NUMERIC(12, 6)
PER_MILLION = Decimal(1_000_000)


class BudgetExceeded(DomainError):
    code = "BUDGET_EXCEEDED"


@dataclass(frozen=True)
class UsageDelta:
    """What to add to one day's row; `confidence`/`latency_ms` belong to its `requests`."""

    requests: int = 0
    cache_hits: int = 0
    errors: int = 0
    cost_usd: Decimal = Decimal(0)
    input_tokens: int = 0
    output_tokens: int = 0
    confidence: float | None = None
    latency_ms: float | None = None
    approved: int = 0
    rejected: int = 0


def cost_usd(
    settings: Settings, model: str, input_tokens: int, output_tokens: int
) -> Decimal | None:
    """The price of one call from `settings.model_prices`, or None for an unpriced model.

    A dated model name ("claude-haiku-4-5-20251001") is priced as its alias.
    """
    prices = settings.model_prices.get(model)
    if prices is None:
        prices = next(
            (p for name, p in settings.model_prices.items() if model.startswith(f"{name}-")), None
        )
    if prices is None:
        return None
    price_in, price_out = prices
    total = (Decimal(input_tokens) * price_in + Decimal(output_tokens) * price_out) / PER_MILLION
    return total.quantize(COST_QUANTUM, rounding=ROUND_HALF_UP)


def _running_mean(column: str, table: Any, excluded: Any) -> ColumnElement[Any]:
    old, new = table.c[column], excluded[column]
    old_n, new_n = table.c.request_count, excluded.request_count
    return case(
        (new.is_(None) | (new_n == 0), old),
        (old.is_(None) | (old_n == 0), new),
        else_=(old * old_n + new * new_n) / (old_n + new_n),
    )


async def record_usage(
    session: AsyncSession, day: date, capability: str, model_id: str, delta: UsageDelta
) -> None:
    """Add `delta` to the (day, capability, model) row, creating it when missing."""
    table = cast(Table, LLMUsageDaily.__table__)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(
        date=day.isoformat(),
        capability=str(capability),
        model_id=model_id,
        request_count=delta.requests,
        cache_hits=delta.cache_hits,
        error_count=delta.errors,
        total_cost_usd=delta.cost_usd,
        total_input_tokens=delta.input_tokens,
        total_output_tokens=delta.output_tokens,
        avg_confidence=delta.confidence if delta.requests else None,
        review_approved=delta.approved,
        review_rejected=delta.rejected,
        avg_latency_ms=delta.latency_ms if delta.requests else None,
    )
    ex, t = stmt.excluded, table.c
    summed = {
        name: t[name] + ex[name]
        for name in (
            "request_count",
            "cache_hits",
            "error_count",
            "total_cost_usd",
            "total_input_tokens",
            "total_output_tokens",
            "review_approved",
            "review_rejected",
        )
    }
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.date, t.capability, t.model_id],
        set_={
            **summed,
            "avg_confidence": _running_mean("avg_confidence", table, ex),
            "avg_latency_ms": _running_mean("avg_latency_ms", table, ex),
        },
    )
    await session.execute(stmt)


async def spent_on(session: AsyncSession, day: date) -> Decimal:
    """Total cost of every capability and model on `day`."""
    total = await session.scalar(
        select(func.sum(LLMUsageDaily.total_cost_usd)).where(LLMUsageDaily.date == day.isoformat())
    )
    if total is None:
        return Decimal(0)
    return Decimal(str(total)).quantize(COST_QUANTUM)


async def check_budget(session: AsyncSession, settings: Settings, day: date) -> None:
    """BudgetExceeded once the day's spend has reached `llm_daily_budget_usd`.

    Calls already in flight when the budget is reached still land, so a day may end a
    little over budget; what the check guarantees is that no new call starts after it.
    """
    budget = settings.llm_daily_budget_usd
    if budget is None:
        return
    spent = await spent_on(session, day)
    if spent >= budget:
        raise BudgetExceeded(
            f"the daily LLM budget of ${budget} is spent (${spent} on {day.isoformat()}, UTC); "
            "cached results are still served, new calls resume tomorrow or when the budget "
            "(COINSTACK_LLM_DAILY_BUDGET_USD) is raised"
        )
