"""Query depth limit as a validation rule that survives any document.

Strawberry's QueryDepthLimiter raises KeyError on a spread of an undefined fragment (a
500 with the key in the message). This rule walks iteratively, skips what it cannot
resolve (the standard rules report unknown fragments and cycles), and counts the depth
of fields only, fragments being transparent.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationContext,
)


def depth_limit_rule(max_depth: int) -> type[ASTValidationRule]:
    """A validation rule class refusing operations deeper than `max_depth` fields."""

    class DepthLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = self._depth(node)
            if depth > max_depth:
                name = f"'{node.name.value}' " if node.name else ""
                self.report_error(
                    GraphQLError(
                        f"Operation {name}is {depth} levels deep; the limit is {max_depth}",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "depth": depth, "maxDepth": max_depth},
                    )
                )

        def _depth(self, operation: OperationDefinitionNode) -> int:
            deepest = 0
            # (selection set, depth of its fields, fragments already entered on this path)
            stack: list[tuple[Any, int, frozenset[str]]] = [(operation.selection_set, 1, frozenset())]
            while stack:
                selection_set, depth, seen = stack.pop()
                for sel in selection_set.selections:
                    if isinstance(sel, FieldNode):
                        if sel.name.value.startswith("__"):
                            continue  # introspection has its own limits
                        deepest = max(deepest, depth)
                        if sel.selection_set is not None and depth <= max_depth:
                            stack.append((sel.selection_set, depth + 1, seen))
                    elif isinstance(sel, InlineFragmentNode):
                        stack.append((sel.selection_set, depth, seen))
                    elif isinstance(sel, FragmentSpreadNode):
                        name = sel.name.value
                        fragment = self.fragments.get(name)
                        if fragment is not None and name not in seen:
                            stack.append((fragment.selection_set, depth, seen | {name}))
            return deepest

    return DepthLimit
