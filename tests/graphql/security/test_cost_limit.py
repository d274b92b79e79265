"""QueryCostLimit through a toy strawberry schema: refusals, limits and extensions.cost."""

from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension, ValidationCache

from coinstack_graphql.graphql.security.cost_limit import (
    QueryCost,
    QueryCostLimit,
    current_query_cost,
)

calls: list[str] = []


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool = False
    end_cursor: str | None = None


@strawberry.type
class Mint(Node):
    name: str = "Rome"


@strawberry.type
class CoinReference:
    citation: str = "RIC II 118"


@strawberry.type
class Collection(Node):
    name: str = "Flavians"


@strawberry.type
class CollectionEdge:
    cursor: str
    node: Collection


@strawberry.type
class CollectionConnection:
    edges: list[CollectionEdge]
    nodes: list[Collection]
    page_info: PageInfo
    total_count: int


def _page(size: int, make: Callable[[int], Any]) -> list[Any]:
    return [make(i) for i in range(min(size, 3))]


@strawberry.type
class Coin(Node):
    name: str = "Denarius"

    @strawberry.field
    def mint(self) -> Mint | None:
        calls.append("mint")
        return Mint(id=strawberry.ID("m1"))

    @strawberry.field
    def references(self) -> list[CoinReference]:
        calls.append("references")
        return [CoinReference()]

    @strawberry.field
    def collections(self, first: int | None = None) -> CollectionConnection:
        calls.append("collections")
        items = _page(first or 20, lambda i: Collection(id=strawberry.ID(f"k{i}")))
        return CollectionConnection(
            edges=[CollectionEdge(cursor=c.id, node=c) for c in items],
            nodes=items,
            page_info=PageInfo(),
            total_count=len(items),
        )


@strawberry.type
class CoinEdge:
    cursor: str
    node: Coin


@strawberry.type
class CoinConnection:
    edges: list[CoinEdge]
    nodes: list[Coin]
    page_info: PageInfo
    total_count: int


def _coin_page(size: int) -> CoinConnection:
    items = _page(size, lambda i: Coin(id=strawberry.ID(f"c{i}")))
    return CoinConnection(
        edges=[CoinEdge(cursor=c.id, node=c) for c in items],
        nodes=items,
        page_info=PageInfo(),
        total_count=len(items),
    )


@strawberry.type
class Query:
    @strawberry.field
    def coins(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CoinConnection:
        calls.append("coins")
        return _coin_page(first or last or 20)

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        calls.append("node")
        return Coin(id=id)


@strawberry.input
class RenameCoinInput:
    id: strawberry.ID
    name: str


@strawberry.type
class RenameCoinPayload:
    coin: Coin | None


@strawberry.type
class Mutation:
    @strawberry.mutation
    def rename_coin(self, input: RenameCoinInput) -> RenameCoinPayload:
        calls.append("renameCoin")
        return RenameCoinPayload(coin=Coin(id=input.id, name=input.name))


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def coin_added(self) -> AsyncGenerator[CoinConnection, None]:
        calls.append("coinAdded")
        yield _coin_page(1)


def make_schema(*extensions: Callable[[], SchemaExtension]) -> strawberry.Schema:
    return strawberry.Schema(
        Query, Mutation, Subscription, types=[Coin, Mint, Collection], extensions=extensions
    )


def limited(max_cost: int = 5_000, max_nodes: int = 50_000, **options: Any) -> strawberry.Schema:
    return make_schema(lambda: QueryCostLimit(max_cost=max_cost, max_nodes=max_nodes, **options))


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    calls.clear()


NESTED = """{ coins(first: 100) { edges { node { collections(first: 100) {
    nodes { id } } } } } }"""  # nodes 100 + 100 x 100 = 10,100; cost 2 + 100 x 2 = 202


async def test_cost_is_reported_on_every_successful_response() -> None:
    result = await limited().execute("{ coins(first: 2) { nodes { name mint { name } } } }")
    assert result.errors is None
    assert result.extensions == {
        "cost": {"requestedQueryCost": 4, "maxQueryCost": 5_000, "nodes": 2, "maxNodes": 50_000}
    }
    assert calls.count("mint") == 2


def test_sync_execution_reports_cost_too() -> None:
    result = limited().execute_sync("{ coins(first: 1) { totalCount } }")
    assert result.errors is None
    assert result.extensions == {
        "cost": {"requestedQueryCost": 2, "maxQueryCost": 5_000, "nodes": 1, "maxNodes": 50_000}
    }


async def test_validation_errors_still_report_cost() -> None:
    result = await limited().execute("{ coins(first: 5) { nodes { nope } } }")
    assert result.errors is not None
    assert "nope" in result.errors[0].message
    assert result.extensions is not None
    assert result.extensions["cost"]["requestedQueryCost"] == 2
    assert calls == []


async def test_parse_errors_report_zero() -> None:
    result = await limited().execute("{ coins(")
    assert result.errors is not None
    assert result.extensions is not None
    assert result.extensions["cost"]["requestedQueryCost"] == 0


async def test_over_node_limit_is_refused_with_one_error_and_no_resolver_runs() -> None:
    result = await limited(max_nodes=10_099).execute(NESTED)
    assert result.data is None
    assert result.errors is not None and len(result.errors) == 1
    error = result.errors[0]
    assert error.message.startswith("Query would return up to 10,100 nodes; the limit is 10,099.")
    assert error.extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "cost": 202,
        "maxCost": 5_000,
        "nodes": 10_100,
        "maxNodes": 10_099,
    }
    assert result.extensions is not None
    assert result.extensions["cost"]["nodes"] == 10_100
    assert calls == []


async def test_exactly_at_the_limits_runs() -> None:
    result = await limited(max_cost=202, max_nodes=10_100).execute(NESTED)
    assert result.errors is None
    assert calls[0] == "coins"


async def test_over_cost_limit_is_refused() -> None:
    result = await limited(max_cost=201).execute(NESTED)
    assert result.errors is not None and len(result.errors) == 1
    assert result.errors[0].message.startswith("Query cost 202 exceeds the limit of 201.")
    assert calls == []


async def test_both_limits_passed_still_make_one_error() -> None:
    result = await limited(max_cost=1, max_nodes=1).execute(NESTED)
    assert result.errors is not None and len(result.errors) == 1
    assert result.errors[0].message == (
        "Query cost 202 exceeds the limit of 1, and it would return up to 10,100 nodes; "
        "the limit is 1. Ask for smaller pages (first/last) or fewer nested lists."
    )


async def test_default_limits_refuse_one_node_over() -> None:
    schema = limited()
    at_limit = await schema.execute("{ coins(first: 50000) { totalCount } }")
    assert at_limit.errors is None
    over = await schema.execute("{ coins(first: 50001) { totalCount } }")
    assert over.errors is not None
    assert over.errors[0].extensions is not None
    assert over.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
    assert calls == ["coins"]


async def test_page_size_from_variables() -> None:
    query = "query($n: Int = 30) { coins(first: $n) { nodes { id } } }"
    schema = limited(max_nodes=40)
    assert (await schema.execute(query)).errors is None
    refused = await schema.execute(query, variable_values={"n": 41})
    assert refused.errors is not None
    assert refused.extensions is not None
    assert refused.extensions["cost"]["nodes"] == 41


async def test_mutations_are_priced_and_refused_before_running() -> None:
    mutation = 'mutation { renameCoin(input: {id: "1", name: "As"}) { coin { mint { name } } } }'
    ok = await limited().execute(mutation)
    assert ok.extensions is not None
    assert ok.extensions["cost"]["requestedQueryCost"] == 10 + 1 + 1
    refused = await limited(max_cost=11).execute(mutation)
    assert refused.errors is not None
    assert calls == ["renameCoin", "mint"]


async def test_subscriptions_are_refused_before_subscribing() -> None:
    schema = limited(max_nodes=0)
    outcome = await schema.subscribe("subscription { coinAdded { nodes { id } } }")
    if isinstance(outcome, AsyncGenerator):
        results = [result async for result in outcome]
    else:
        results = [outcome]
    assert len(results) == 1
    assert results[0].errors is not None
    assert results[0].errors[0].extensions is not None
    assert results[0].errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
    assert calls == []


async def test_refusal_survives_a_validation_cache_listed_after() -> None:
    schema = make_schema(lambda: QueryCostLimit(max_nodes=10), ValidationCache)
    result = await schema.execute("{ coins(first: 11) { nodes { id } } }")
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
    assert calls == []


async def test_report_is_published_for_later_extensions() -> None:
    seen: list[QueryCost | None] = []

    class Throttle(SchemaExtension):
        def on_execute(self):  # type: ignore[no-untyped-def]
            query_cost = current_query_cost.get()
            seen.append(query_cost)
            if query_cost is not None:
                query_cost.payload["throttleStatus"] = {"currentlyAvailable": 42}
            yield

    schema = make_schema(QueryCostLimit, Throttle)
    result = await schema.execute("{ coins(first: 3) { nodes { id } } }")
    assert seen[0] is not None and seen[0].report.nodes == 3
    assert result.extensions is not None
    assert result.extensions["cost"]["throttleStatus"] == {"currentlyAvailable": 42}
    assert result.extensions["cost"]["nodes"] == 3


async def test_previous_operation_report_does_not_leak() -> None:
    schema = limited()
    await schema.execute("{ coins(first: 3) { nodes { id } } }")
    assert current_query_cost.get() is not None
    await schema.execute("{ coins(")
    assert current_query_cost.get() is None


async def test_options_reach_the_analysis() -> None:
    schema = limited(default_page_size=5, list_size_estimate=2)
    result = await schema.execute("{ coins { nodes { references { citation } } } }")
    assert result.extensions is not None
    assert result.extensions["cost"]["nodes"] == 5 + 5 * 2
