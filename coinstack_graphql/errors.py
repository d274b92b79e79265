"""Errors the domain services raise for bad input; the API turns them into userErrors."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Input the rules refuse. `field` is the path inside the mutation input."""

    code = "INVALID"

    def __init__(
        self, message: str, *, field: Sequence[str] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = list(field) if field is not None else None
        if code is not None:
            self.code = code


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Required(DomainError):
    code = "REQUIRED"


class OutOfRange(DomainError):
    code = "OUT_OF_RANGE"
