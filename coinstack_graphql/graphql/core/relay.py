"""Relay identity: opaque global IDs (`base64("Coin:42")`) and the `Node` interface."""

from __future__ import annotations

import base64
import binascii
import re

import strawberry

from coinstack_graphql.graphql.core.errors import bad_request


def to_global_id(type_name: str, database_id: int | str) -> str:
    # binascii directly: base64.b64encode's wrapper costs more than the encoding, and a
    # page of coins encodes a couple of thousand IDs.
    return binascii.b2a_base64(f"{type_name}:{database_id}".encode(), newline=False).decode("ascii")


def from_global_id(global_id: str) -> tuple[str, str]:
    """(type name, database id) of a global ID; raises a client error if it is not one."""
    try:
        raw = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_request(f"{global_id!r} is not a valid ID") from None
    type_name, sep, database_id = raw.partition(":")
    if not sep or not type_name or not database_id:
        raise bad_request(f"{global_id!r} is not a valid ID")
    return type_name, database_id


# Canonical database ids only: one object must not answer to two IDs ("Coin:042",
# "Coin:٤٢"), or a normalising cache such as Apollo's would hold it twice.
CANONICAL_ID = re.compile(r"[1-9][0-9]{0,17}")


def is_canonical_id(database_id: str) -> bool:
    return CANONICAL_ID.fullmatch(database_id) is not None


def decode_id(global_id: str, *expected: str, argument: str = "id") -> int:
    """The integer database id behind `global_id`, which must be of one of `expected` types."""
    type_name, database_id = from_global_id(global_id)
    if expected and type_name not in expected:
        wanted = " or ".join(expected)
        raise bad_request(f"Argument '{argument}' must be the ID of a {wanted}, not of a {type_name}")
    if not is_canonical_id(database_id):
        raise bad_request(f"{global_id!r} is not a valid ID")
    return int(database_id)


@strawberry.interface(description="An object with a global ID (Relay).")
class Node:
    @strawberry.field(description="Opaque global ID; use it with node(id:) and in mutations.")
    def id(self) -> strawberry.ID:  # pragma: no cover - every type overrides it
        raise NotImplementedError
