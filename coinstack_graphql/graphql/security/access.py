"""Scopes: read for queries and subscriptions, write for mutations, admin for some fields."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)
from strawberry.extensions import SchemaExtension

# Root fields that change how the server runs rather than the collection's data.
ADMIN_FIELDS = frozenset({"createPromptTemplate", "updatePromptTemplate"})


class AccessControl(SchemaExtension):
    """Refuses an operation the request's principal has no scope for, before it runs."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        principal = getattr(ctx.context, "principal", None)
        operation = _operation(ctx.graphql_document, ctx.operation_name)
        if principal is not None and operation is not None:
            needed = _needed_scope(operation, ctx.graphql_document)
            if not principal.can(needed):
                ctx.result = _refusal(needed)  # type: ignore[assignment]
        yield


def _operation(document: object, name: str | None) -> OperationDefinitionNode | None:
    definitions = getattr(document, "definitions", None) or []
    ops = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        return next((o for o in ops if o.name and o.name.value == name), None)
    return ops[0] if len(ops) == 1 else None


def _needed_scope(operation: OperationDefinitionNode, document: object) -> str:
    if operation.operation is not OperationType.MUTATION:
        return "read"
    fragments = {
        d.name.value: d
        for d in getattr(document, "definitions", [])
        if isinstance(d, FragmentDefinitionNode)
    }
    roots: set[str] = set()
    pending = list(operation.selection_set.selections)
    seen: set[str] = set()
    while pending:  # root fields, through fragments (iterative: cycles are harmless)
        sel = pending.pop()
        if isinstance(sel, FieldNode):
            roots.add(sel.name.value)
        elif isinstance(sel, InlineFragmentNode):
            pending.extend(sel.selection_set.selections)
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
            seen.add(sel.name.value)
            fragment = fragments.get(sel.name.value)
            if fragment is not None:
                pending.extend(fragment.selection_set.selections)
    return "admin" if roots & ADMIN_FIELDS else "write"


def _refusal(scope: str):  # type: ignore[no-untyped-def]
    from strawberry.types import ExecutionResult

    error = GraphQLError(
        f"This operation needs a token with the '{scope}' scope",
        extensions={"code": "FORBIDDEN", "requiredScope": scope},
    )
    return ExecutionResult(data=None, errors=[error])
