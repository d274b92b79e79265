"""Who a request is: a bearer token's principal, or the anonymous local user."""

from __future__ import annotations

import ipaddress

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.auth.tokens import any_active_token, authenticate, needs_touch, touch
from coinstack_graphql.graphql.context import Principal
from coinstack_graphql.settings import Settings


class AuthenticationError(Exception):
    """The request's credentials are missing, malformed, unknown or revoked."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bearer(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise AuthenticationError("Authorization must be 'Bearer <token>'")
    return credentials.strip()


async def resolve_principal(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    authorization: str | None,
    write_sessions: async_sessionmaker[AsyncSession] | None = None,
) -> Principal:
    """The principal for an Authorization header value (None when absent).

    Without a header, access is anonymous (with every scope) only while no token exists
    and the server listens on loopback or was started with --insecure.
    """
    token_text = _bearer(authorization)
    # Reads go through a read session (on SQLite it does not take the write lock); only
    # a token whose last_used_at is stale is touched, in its own short write.
    async with sessions() as session:
        if token_text is not None:
            token = await authenticate(session, token_text)
            if token is None:
                raise AuthenticationError("invalid or revoked API token")
            if needs_touch(token):
                async with (write_sessions or sessions)() as writer, writer.begin():
                    await touch(writer, token.id)
            return Principal(
                name=token.name, scopes=frozenset({token.scope.value}), token_id=token.id
            )
        if await any_active_token(session):
            raise AuthenticationError(
                "this server requires an API token: send 'Authorization: Bearer <token>' "
                "(create one with `coinstack token create`)"
            )
    if is_loopback(settings.bind_host) or settings.insecure:
        return Principal(name="anonymous", scopes=frozenset({"admin"}))
    raise AuthenticationError("anonymous access is only allowed on a loopback address")
