"""The per-request context: settings, session factory, principal and DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from coinstack_graphql.graphql.core.loaders import Loaders
from coinstack_graphql.settings import Settings


@dataclass(frozen=True)
class Principal:
    """Who is asking: a token's name and scopes, or the anonymous loopback user."""

    name: str
    scopes: frozenset[str]
    token_id: int | None = None

    def can(self, scope: str) -> bool:
        order = {"read": 0, "write": 1, "admin": 2}
        return any(order.get(s, -1) >= order[scope] for s in self.scopes)


ANONYMOUS_LOCAL = Principal(name="local", scopes=frozenset({"admin"}))
NOBODY = Principal(name="unauthenticated", scopes=frozenset())


@dataclass
class Context:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    services: Any
    principal: Principal = ANONYMOUS_LOCAL
    # Sessions for writes (mutations); `sessions` is for reads. Same factory if not given.
    write_sessions: async_sessionmaker[AsyncSession] | None = None
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)
    extra: dict[str, Any] = field(default_factory=dict)
    # Set by the graphql-transport-ws handler from connection_init's payload.
    connection_params: Any = None
    # One read session for the whole request (an HTTP request sets it; whoever sets it
    # must call `close()` when the request is answered). A WebSocket connection lives
    # too long to hold one, so its loaders open a session per batch.
    share_reads: bool = False
    _retired: list[Loaders] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.sessions, shared=self.share_reads)
        if self.write_sessions is None:
            self.write_sessions = self.sessions

    def reset_loaders(self) -> None:
        """Forget every cached row (after a write in this request).

        The new loaders read through a new session: a shared one opened before the write
        may hold a snapshot from before it.
        """
        self._retired.append(self.loaders)
        self.loaders = Loaders(self.sessions, shared=self.share_reads)

    async def close(self) -> None:
        """Give back the request's shared read sessions."""
        for loaders in (*self._retired, self.loaders):
            await loaders.close()
        self._retired.clear()


Info = StrawberryInfo[Context, None]
