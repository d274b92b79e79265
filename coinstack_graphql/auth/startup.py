"""Whether `coinstack serve` may start on a given address."""

from __future__ import annotations

from coinstack_graphql.auth.principal import is_loopback
from coinstack_graphql.auth.tokens import any_active_token
from coinstack_graphql.db.engine import create_null_pool_engine, session_factory


async def check_serve_access(database_url: str, host: str, *, insecure: bool) -> str | None:
    """A reason to refuse starting, or None.

    On loopback anyone local may use the server until a token exists. On any other
    address at least one token must exist (so anonymous access is off), unless the
    operator says --insecure.
    """
    if is_loopback(host) or insecure:
        return None
    engine = create_null_pool_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            if await any_active_token(session):
                return None
    finally:
        await engine.dispose()
    return (
        f"refusing to serve on {host} without API tokens: create one with "
        "`coinstack token create --name NAME --scope admin`, bind to 127.0.0.1, or pass "
        "--insecure to let anyone who can reach this address read and write"
    )
