"""Mutations through the real app: payloads, userErrors, rollback, read back through queries.

Helpers shared by the modules: `run` posts one mutation and returns its payload, `refused`
returns the userErrors of a refused one (and checks the payload carries no object),
`graphql_error` the message of a request the schema layer turned down (a wrong ID type).
`shared_demo_client` gives a module one writable demo copy for tests that only read or get
refused (each module wraps it in a module-scoped `shared_demo` fixture).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from coinstack_graphql.graphql.core.relay import to_global_id
from tests.support.client import GraphQLClient, graphql_client
from tests.support.databases import copy_of

# (input fields, error path below "input", code) and the same with the mutation's name first.
Case = tuple[dict[str, Any], list[str], str]
NamedCase = tuple[str, dict[str, Any], list[str], str]
ERRORS = "userErrors { field message code }"
MISSING = 987_654  # a well-formed id no row has


def gid(type_name: str, database_id: int) -> str:
    return to_global_id(type_name, database_id)


# The coin mutations written before the contract's naming rule was applied share inputs.
SHARED_INPUTS: dict[str, str] = {}  # every mutation has its own <Name>Input


def _document(name: str, selection: str) -> str:
    input_type = SHARED_INPUTS.get(name, name[0].upper() + name[1:] + "Input")
    return (
        f"mutation Run($input: {input_type}!) {{ {name}(input: $input) "
        f"{{ {selection} {ERRORS} }} }}"
    )


async def run(client: GraphQLClient, name: str, input: Any, selection: str = "") -> Any:
    """The payload of a mutation that must succeed (no userErrors)."""
    data = await client.execute(_document(name, selection), {"input": input})
    payload = data[name]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


async def refused(
    client: GraphQLClient, name: str, input: Any, selection: str = ""
) -> list[dict[str, Any]]:
    """The userErrors of a mutation that must be refused; its other fields must be empty."""
    data = await client.execute(_document(name, selection), {"input": input})
    payload = data[name]
    assert payload["userErrors"], f"{name} was not refused: {payload}"
    for key, value in payload.items():
        if key != "userErrors":
            assert value in (None, []), f"a refused {name} returned {key}={value!r}"
    return payload["userErrors"]


async def error_at(
    client: GraphQLClient, name: str, input: Any, field: list[str], code: str
) -> dict[str, Any]:
    """Assert the first userError's path and code; returns it."""
    errors = await refused(client, name, input)
    first = errors[0]
    assert (first["field"], first["code"]) == (field, code), errors
    return first


async def graphql_error(client: GraphQLClient, name: str, input: Any) -> str:
    """The GraphQL error (not a userError) a mutation gets, e.g. for an ID of the wrong type."""
    response = await client.post(_document(name, ""), {"input": input})
    body = response.json()
    assert body.get("errors"), body
    assert body.get("data") is None or body["data"].get(name) is None, body
    return str(body["errors"][0]["message"])


async def query(client: GraphQLClient, document: str, **variables: Any) -> Any:
    return await client.execute(document, variables or None)


@asynccontextmanager
async def shared_demo_client(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One client on one demo copy, for a module's refusal and read-only tests."""
    with copy_of(demo_template, Path(tmp_path_factory.mktemp("shared"))) as url:
        async with graphql_client(url) as client:
            yield client
