"""One mutation = one transaction: run a service, turn refusals into userErrors.

`run_in_transaction` opens a session, begins (BEGIN IMMEDIATE on SQLite), calls the
service, and commits; a `DomainError` anywhere rolls everything back and comes out as the
payload's `userErrors`. Work that must only happen once the data is committed (publishing
an alert to subscribers, say) is queued with `after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.errors import Conflict, DomainError
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import UserError, user_error

logger = logging.getLogger(__name__)
R = TypeVar("R")


@dataclass
class Outcome:
    """What a mutation produced: its value, or the userErrors that refused it."""

    value: Any = None
    errors: list[UserError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Transaction:
    """The session of a mutation plus callbacks to run after commit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after: list[Callable[[], Awaitable[None]]] = []

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        self._after.append(callback)


async def run_in_transaction(
    info: Info, work: Callable[[Transaction], Awaitable[R]]
) -> Outcome:
    """Run `work` in one transaction; DomainError → rolled back, userErrors returned."""
    tx: Transaction | None = None
    try:
        assert info.context.write_sessions is not None
        async with info.context.write_sessions() as session:
            async with session.begin():
                tx = Transaction(session)
                value = await work(tx)
    except DomainError as exc:
        return Outcome(errors=[user_error(exc)])
    except IntegrityError as exc:
        # A constraint the services did not foresee (a race on a unique key, say): the
        # write is refused as a conflict rather than surfacing as an internal error.
        logger.info("mutation refused by a database constraint: %s", exc.orig)
        return Outcome(errors=[user_error(Conflict("the change conflicts with existing data"))])
    # Loaders may hold rows read before the write; the payload must show the new state.
    info.context.reset_loaders()
    for callback in tx._after:
        try:
            await callback()
        except Exception:  # committed data stays committed; a failed notification is logged
            logger.exception("after-commit callback failed")
    return Outcome(value=value)


def errors_of(outcome: Outcome) -> list[UserError]:
    return outcome.errors
