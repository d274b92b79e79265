"""Creating, listing, revoking and checking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auth.models import ApiToken, Scope
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import Conflict, DomainError, NotFound

TOKEN_PREFIX = "cst_"
# last_used_at is refreshed at most this often, so reads do not each write a row.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


async def create_token(session: AsyncSession, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token; the plaintext is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError("token name must be 1–100 characters", field=["name"])
    try:
        scope_value = Scope(scope)
    except ValueError:
        raise DomainError("scope must be read, write or admin", field=["scope"]) from None
    if (await session.execute(select(ApiToken.id).where(ApiToken.name == name))).first():
        raise Conflict(f"a token named {name!r} already exists", field=["name"])
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name, token_hash=hash_token(plaintext), prefix=plaintext[:10], scope=scope_value
    )
    session.add(token)
    await session.flush()
    return token, plaintext


async def list_tokens(session: AsyncSession) -> list[ApiToken]:
    return list((await session.execute(select(ApiToken).order_by(ApiToken.id))).scalars())


async def revoke_token(session: AsyncSession, name: str) -> ApiToken:
    token = (await session.execute(select(ApiToken).where(ApiToken.name == name))).scalar_one_or_none()
    if token is None:
        raise NotFound(f"no token named {name!r}", field=["name"])
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
    return token


async def any_active_token(session: AsyncSession) -> bool:
    row = await session.execute(select(ApiToken.id).where(ApiToken.revoked_at.is_(None)).limit(1))
    return row.first() is not None


async def authenticate(session: AsyncSession, plaintext: str) -> ApiToken | None:
    """The active token matching `plaintext`, or None (unknown or revoked)."""
    token = (
        await session.execute(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    return token


def needs_touch(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether last_used_at is old enough to be worth a write."""
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION


async def touch(session: AsyncSession, token_id: int, now: datetime | None = None) -> None:
    await session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now or utcnow())
    )
