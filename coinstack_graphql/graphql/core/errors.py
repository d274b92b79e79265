"""`UserError` and its codes: the payload side of every mutation."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import strawberry
from graphql import GraphQLError

from coinstack_graphql.errors import DomainError


@strawberry.enum(description="Machine-readable reason of a UserError.")
class UserErrorCode(Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    REQUIRED = "REQUIRED"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    LLM_UNAVAILABLE = "LLM_UNAVAILABLE"
    BUDGET_EXCEEDED = "BUDGET_EXCEEDED"
    FORBIDDEN = "FORBIDDEN"


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path of the offending input field, e.g. ["input", "dieAxis"].'
    )
    message: str
    code: UserErrorCode


def user_error(error: DomainError, prefix: Sequence[str] = ("input",)) -> UserError:
    """The UserError a client sees for a refused input."""
    path = [*prefix, *error.field] if error.field is not None else None
    return UserError(field=path, message=error.message, code=UserErrorCode(error.code))


def bad_request(message: str, code: str = "BAD_USER_INPUT") -> GraphQLError:
    """A GraphQL error the client caused (shown as is, also in production)."""
    return GraphQLError(message, extensions={"code": code})
