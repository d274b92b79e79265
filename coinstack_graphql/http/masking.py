"""Hide errors that are not the client's (bugs, database faults) behind an error id."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterator, Sequence

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import StreamExecutionResult

INTERNAL_ERROR_CODE = "INTERNAL"
INTERNAL_ERROR_MESSAGE = "Internal server error"

# Codes whose messages are written for the client, so they pass through untouched.
PUBLIC_ERROR_CODES: frozenset[str] = frozenset(
    {
        "BAD_REQUEST",
        "BAD_USER_INPUT",
        "NOT_FOUND",
        "FORBIDDEN",
        "UNAUTHENTICATED",
        "THROTTLED",
        "QUERY_TOO_COMPLEX",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "PERSISTED_QUERY_NOT_FOUND",
        "TIMEOUT",
        "QUERY_TOO_DEEP",
        "OUT_OF_RANGE",
    }
)

logger = logging.getLogger(__name__)


def is_public_error(
    error: GraphQLError, public_codes: Collection[str] = PUBLIC_ERROR_CODES
) -> bool:
    """Whether the client may see `error` as it is."""
    extensions = error.extensions or {}
    if "errorId" in extensions:
        return True  # already masked or tagged once; never log or rewrite it twice
    original = error.original_error
    # No original: parse/validation/coercion errors graphql-core wrote for the client.
    # A GraphQLError original: raised on purpose by our own code with a chosen message.
    if original is None or isinstance(original, GraphQLError):
        return True
    return extensions.get("code") in public_codes


def is_statement_timeout(exc: BaseException | None) -> bool:
    """Whether the database cancelled a statement for running past statement_timeout."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__name__ == "QueryCanceledError":
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return False


TIMEOUT_MESSAGE = "The request took longer than allowed and was stopped"


def mask_error(
    error: GraphQLError,
    *,
    production: bool,
    public_codes: Collection[str] = PUBLIC_ERROR_CODES,
) -> GraphQLError:
    """Log an internal error under a fresh id; in production replace it by a generic one."""
    if is_public_error(error, public_codes):
        return error
    if is_statement_timeout(error.original_error):
        # PostgreSQL's statement_timeout is the request limit's backstop: the client
        # hears about the time limit, not about a database failure.
        return GraphQLError(
            TIMEOUT_MESSAGE, error.nodes, path=error.path, extensions={"code": "TIMEOUT"}
        )
    error_id = str(uuid.uuid4())
    original = error.original_error or error
    logger.error(
        "Internal error %s at %s: %s",
        error_id,
        ".".join(map(str, error.path or ())) or "<operation>",
        error.message,
        exc_info=original,
    )
    if production:
        return GraphQLError(
            INTERNAL_ERROR_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": INTERNAL_ERROR_CODE, "errorId": error_id},
        )
    # A fresh dict: `error.extensions` may be the very dict of the original exception.
    extensions = {"code": INTERNAL_ERROR_CODE, **(error.extensions or {}), "errorId": error_id}
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


def mask_errors(
    errors: Sequence[GraphQLError],
    *,
    production: bool,
    public_codes: Collection[str] = PUBLIC_ERROR_CODES,
) -> list[GraphQLError]:
    """`mask_error` over a list."""
    return [mask_error(e, production=production, public_codes=public_codes) for e in errors]


class MaskInternalErrors(SchemaExtension):
    """Schema extension applying `mask_error` to every result, streamed ones included.

    Register a factory so each request gets its own instance:
    `extensions=[lambda: MaskInternalErrors(production=settings.is_production)]`.
    """

    def __init__(
        self, *, production: bool, public_codes: Collection[str] = PUBLIC_ERROR_CODES
    ) -> None:
        self.production = production
        self.public_codes = frozenset(public_codes)

    def _mask(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = mask_errors(  # type: ignore[attr-defined]
                errors, production=self.production, public_codes=self.public_codes
            )

    def on_operation(self) -> Iterator[None]:
        yield
        self._mask(self.execution_context.result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        # Subscriptions over WebSocket: mask each event before it is sent.
        self._mask(result)
        for part in [
            *(getattr(result, "incremental", None) or ()),
            *(getattr(result, "completed", None) or ()),
        ]:
            self._mask(part)
        yield
