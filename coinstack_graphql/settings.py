"""Frozen settings read once from the environment (COINSTACK_*)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./coinstack.db"

# USD per million tokens (input, output); the Anthropic list prices the server bills by.
DEFAULT_MODEL_PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "claude-sonnet-4-6": (Decimal("3"), Decimal("15")),
    "claude-haiku-4-5": (Decimal("1"), Decimal("5")),
    "claude-opus-4-6": (Decimal("5"), Decimal("25")),
}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return default if raw in (None, "") else int(raw)


def _decimal(env: Mapping[str, str], name: str, default: str | None) -> Decimal | None:
    raw = env.get(name, default)
    return None if raw in (None, "") else Decimal(raw)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _rates(raw: str | None) -> dict[str, Decimal]:
    """Parse `EUR=1.08,GBP=1.27` (units of USD per unit of currency)."""
    rates: dict[str, Decimal] = {"USD": Decimal("1")}
    for part in (raw or "").split(","):
        if part.strip():
            code, _, value = part.partition("=")
            rates[code.strip().upper()] = Decimal(value.strip())
    return rates


@dataclass(frozen=True)
class Settings:
    """Everything the server can be told; nothing else reads the environment."""

    database_url: str = DEFAULT_DATABASE_URL
    environment: str = "development"
    # GraphQL limits
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    default_page_size: int = 20
    max_query_cost: int = 5000
    max_query_nodes: int = 50000
    max_body_bytes: int = 1_000_000
    request_timeout_s: float = 15.0
    # Freeze the start-up heap for the garbage collector (gc_tuning.py). On for servers
    # configured from the environment; off for apps built in-process (tests).
    tune_gc: bool = False
    parser_cache_size: int = 512
    # PostgreSQL pool
    pool_size: int = 10
    max_overflow: int = 10
    sqlite_busy_timeout_ms: int = 10_000
    # HTTP and access
    cors_origins: tuple[str, ...] = ()
    bind_host: str = "127.0.0.1"
    insecure: bool = False
    rate_limit_capacity: int = 20_000
    rate_limit_restore_per_s: float = 1_000.0
    # LLM
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    llm_model: str = "claude-sonnet-4-6"
    llm_max_retries: int = 2
    llm_timeout_s: float = 60.0
    llm_daily_budget_usd: Decimal | None = None
    llm_batch_concurrency: int = 4
    llm_use_batches_api: bool = False
    model_prices: Mapping[str, tuple[Decimal, Decimal]] = field(
        default_factory=lambda: dict(DEFAULT_MODEL_PRICES)
    )
    # Market
    currency_rates: Mapping[str, Decimal] = field(default_factory=lambda: {"USD": Decimal("1")})
    valuation_window_months: int = 36

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        prices = dict(DEFAULT_MODEL_PRICES)
        if env.get("COINSTACK_LLM_MODEL_PRICES"):
            for model, pair in json.loads(env["COINSTACK_LLM_MODEL_PRICES"]).items():
                prices[model] = (Decimal(str(pair[0])), Decimal(str(pair[1])))
        origins = tuple(
            o.strip() for o in env.get("COINSTACK_CORS_ORIGINS", "").split(",") if o.strip()
        )
        return cls(
            database_url=env.get("COINSTACK_DATABASE_URL", DEFAULT_DATABASE_URL),
            environment=env.get("COINSTACK_ENV", "development"),
            max_depth=_int(env, "COINSTACK_MAX_DEPTH", 12),
            max_aliases=_int(env, "COINSTACK_MAX_ALIASES", 30),
            max_tokens=_int(env, "COINSTACK_MAX_TOKENS", 4000),
            max_query_cost=_int(env, "COINSTACK_MAX_QUERY_COST", 5000),
            max_query_nodes=_int(env, "COINSTACK_MAX_QUERY_NODES", 50000),
            max_body_bytes=_int(env, "COINSTACK_MAX_BODY_BYTES", 1_000_000),
            request_timeout_s=float(env.get("COINSTACK_REQUEST_TIMEOUT_S", "15")),
            tune_gc=_bool(env, "COINSTACK_TUNE_GC", True),
            pool_size=_int(env, "COINSTACK_DB_POOL_SIZE", 10),
            max_overflow=_int(env, "COINSTACK_DB_MAX_OVERFLOW", 10),
            cors_origins=origins,
            bind_host=env.get("COINSTACK_BIND_HOST", "127.0.0.1"),
            insecure=_bool(env, "COINSTACK_INSECURE", False),
            rate_limit_capacity=_int(env, "COINSTACK_RATE_LIMIT_CAPACITY", 20_000),
            rate_limit_restore_per_s=float(env.get("COINSTACK_RATE_LIMIT_RESTORE_PER_S", "1000")),
            anthropic_api_key=env.get("ANTHROPIC_API_KEY") or None,
            anthropic_base_url=env.get("COINSTACK_ANTHROPIC_BASE_URL") or None,
            llm_model=env.get("COINSTACK_LLM_MODEL", "claude-sonnet-4-6"),
            llm_max_retries=_int(env, "COINSTACK_LLM_MAX_RETRIES", 2),
            llm_timeout_s=float(env.get("COINSTACK_LLM_TIMEOUT_S", "60")),
            llm_daily_budget_usd=_decimal(env, "COINSTACK_LLM_DAILY_BUDGET_USD", None),
            llm_batch_concurrency=_int(env, "COINSTACK_LLM_BATCH_CONCURRENCY", 4),
            llm_use_batches_api=_bool(env, "COINSTACK_LLM_USE_BATCHES_API", False),
            model_prices=prices,
            currency_rates=_rates(env.get("COINSTACK_CURRENCY_RATES")),
            valuation_window_months=_int(env, "COINSTACK_VALUATION_WINDOW_MONTHS", 36),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings.from_env()
