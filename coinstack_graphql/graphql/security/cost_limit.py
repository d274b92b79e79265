"""``QueryCostLimit``: refuse operations whose static cost or node count is over a limit.

Register it as a factory so each request gets its own instance::

    strawberry.Schema(Query, extensions=[lambda: QueryCostLimit(max_cost=5000, max_nodes=50_000)])

Every response carries ``extensions.cost`` (Shopify's shape)::

    {"requestedQueryCost": 2903, "maxQueryCost": 5000, "nodes": 11600, "maxNodes": 50000}

The figures of the current operation are published as a ``QueryCost`` in the
``current_query_cost`` context variable once validation has passed (from ``on_validate``
on). A later extension, such as a rate limiter listed after this one, reads it and may
add keys to ``QueryCost.payload`` (e.g. ``throttleStatus``): that dict is the one sent.
List this extension after ``ValidationCache``, which overwrites validation errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from coinstack_graphql.graphql.security.cost import (
    DEFAULT_LIST_SIZE_ESTIMATE,
    DEFAULT_PAGE_SIZE,
    CostReport,
    analyze_cost,
)

__all__ = [
    "DEFAULT_MAX_COST",
    "DEFAULT_MAX_NODES",
    "QUERY_TOO_COMPLEX",
    "QueryCost",
    "QueryCostLimit",
    "current_query_cost",
]

DEFAULT_MAX_COST = 5_000
DEFAULT_MAX_NODES = 50_000
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


@dataclass(slots=True)
class QueryCost:
    """The figures of one operation against the configured limits."""

    report: CostReport
    max_cost: int
    max_nodes: int
    payload: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.payload = {
            "requestedQueryCost": self.report.cost,
            "maxQueryCost": self.max_cost,
            "nodes": self.report.nodes,
            "maxNodes": self.max_nodes,
        }

    @property
    def exceeded(self) -> bool:
        """Whether either limit is passed; reaching a limit exactly is allowed."""
        return self.report.cost > self.max_cost or self.report.nodes > self.max_nodes

    def error(self) -> GraphQLError:
        """The single error that refuses the operation."""
        cost, nodes = self.report.cost, self.report.nodes
        over_nodes = f"up to {nodes:,} nodes; the limit is {self.max_nodes:,}"
        if cost <= self.max_cost:
            message = f"Query would return {over_nodes}."
        elif nodes <= self.max_nodes:
            message = f"Query cost {cost:,} exceeds the limit of {self.max_cost:,}."
        else:
            message = (
                f"Query cost {cost:,} exceeds the limit of {self.max_cost:,}, "
                f"and it would return {over_nodes}."
            )
        return GraphQLError(
            f"{message} Ask for smaller pages (first/last) or fewer nested lists.",
            extensions={
                "code": QUERY_TOO_COMPLEX,
                "cost": cost,
                "maxCost": self.max_cost,
                "nodes": nodes,
                "maxNodes": self.max_nodes,
            },
        )


current_query_cost: ContextVar[QueryCost | None] = ContextVar("current_query_cost", default=None)


class QueryCostLimit(SchemaExtension):
    """Price each operation before execution; refuse it over ``max_cost`` or ``max_nodes``."""

    def __init__(
        self,
        max_cost: int = DEFAULT_MAX_COST,
        max_nodes: int = DEFAULT_MAX_NODES,
        *,
        default_page_size: int = DEFAULT_PAGE_SIZE,
        list_size_estimate: int = DEFAULT_LIST_SIZE_ESTIMATE,
        list_sizes: Mapping[str, int] | None = None,
        connection_types: Collection[str] = (),
    ) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.max_nodes = max_nodes
        self.default_page_size = default_page_size
        self.list_size_estimate = list_size_estimate
        self.list_sizes = list_sizes
        self.connection_types = connection_types
        self.query_cost: QueryCost | None = None

    def on_operation(self) -> Iterator[None]:
        # The variable may still hold the previous operation run in this context.
        current_query_cost.set(None)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        # Strawberry skips its own validation when errors are already set, as it does
        # for ValidationCache; validating here lets a refusal travel as a pre-execution
        # error, the one path that stops queries, mutations and subscriptions alike.
        if context.pre_execution_errors is None and context.validation_rules:
            assert context.graphql_document is not None
            context.pre_execution_errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        if not context.pre_execution_errors:
            query_cost = self.measure()
            current_query_cost.set(query_cost)
            if query_cost.exceeded:
                context.pre_execution_errors = [query_cost.error()]
        yield

    def on_execute(self) -> Iterator[None]:
        # Safety net for a validating extension listed after this one, which would have
        # replaced the refusal: a result set here stops queries and mutations.
        query_cost = self.measure()
        if query_cost.exceeded and self.execution_context.result is None:
            self.execution_context.result = GraphQLExecutionResult(
                data=None, errors=[query_cost.error()]
            )
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.measure().payload}

    def measure(self) -> QueryCost:
        """Analyse the operation once; a document that failed to parse costs nothing."""
        if self.query_cost is None:
            context = self.execution_context
            report = CostReport(0, 0)
            if context.graphql_document is not None:
                report = analyze_cost(
                    context.schema._schema,
                    context.graphql_document,
                    context.variables,
                    context.operation_name,
                    default_page_size=self.default_page_size,
                    list_size_estimate=self.list_size_estimate,
                    list_sizes=self.list_sizes,
                    connection_types=self.connection_types,
                )
            self.query_cost = QueryCost(report, self.max_cost, self.max_nodes)
        return self.query_cost
