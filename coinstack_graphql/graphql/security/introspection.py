"""Introspection guards: bounded ``ofType`` chains and root counts, and a production lock.

graphql-core 3.3 already validates, by default, that ``fields``/``interfaces``/
``possibleTypes``/``inputFields`` nest at most two deep under ``__schema``/``__type``
(``MaxIntrospectionDepthRule``, part of ``specified_rules``). It does not bound
``ofType``, whose chains cost nothing to write and are legitimate only up to the deepest
type wrapping (``[[X!]!]!`` needs 5). graphql-core 3.3's ``get_introspection_query()``
asks for 9 (its ``type_depth`` default), so the default limit is 10. Aliasing
``__schema`` many times returns the whole schema once per alias; that count is bounded.

In production, ``introspection_extensions()`` replaces both with strawberry's
``DisableIntrospection`` and ``hide_suggestions()`` stops "Did you mean …?" hints from
spelling out field, argument, type and enum names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    MaxIntrospectionDepthRule,
    SelectionNode,
    SelectionSetNode,
    ValidationContext,
)
from strawberry.extensions import DisableIntrospection, SchemaExtension

__all__ = [
    "MAX_INTROSPECTION_ROOT_FIELDS",
    "MAX_OF_TYPE_DEPTH",
    "IntrospectionDepthLimit",
    "hide_suggestions",
    "introspection_depth_rule",
    "introspection_extensions",
]

MAX_OF_TYPE_DEPTH = 10
MAX_INTROSPECTION_ROOT_FIELDS = 5


# One class per limit pair: the validation cache keys on the rule classes, so a class
# made afresh per request would never hit it.
@cache
def introspection_depth_rule(
    max_of_type_depth: int = MAX_OF_TYPE_DEPTH,
    max_root_fields: int = MAX_INTROSPECTION_ROOT_FIELDS,
) -> type[ASTValidationRule]:
    """Build a validation rule bounding ``ofType`` chains and ``__schema``/``__type`` uses."""

    class IntrospectionDepthRule(ASTValidationRule):
        """Refuses ``ofType`` chains and ``__schema``/``__type`` counts over the limits."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.of_type_fields: list[FieldNode] = []
            self.root_fields: list[FieldNode] = []
            self.children: dict[int, list[FieldNode]] = {}

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            name = node.name.value
            if name == "ofType":
                self.of_type_fields.append(node)
            elif name in ("__schema", "__type"):
                self.root_fields.append(node)

        def leave_document(self, node: DocumentNode, *_args: Any) -> None:
            if len(self.root_fields) > max_root_fields:
                self.report_error(
                    GraphQLError(
                        f"The document asks for __schema/__type {len(self.root_fields)} "
                        f"times; the limit is {max_root_fields}.",
                        self.root_fields[max_root_fields:],
                    )
                )
            too_deep = self._first_too_deep()
            if too_deep is not None:
                self.report_error(
                    GraphQLError(
                        f"Introspection nests ofType more than {max_of_type_depth} levels deep.",
                        too_deep,
                    )
                )

        def _first_too_deep(self) -> FieldNode | None:
            # Level by level: every ofType field starts a chain of 1, and the ofType
            # fields directly under a level-k one (through fragments) are at k + 1.
            # At most max_of_type_depth + 1 rounds, so cycles and long chains are harmless.
            level = {id(f): f for f in self.of_type_fields}
            for _ in range(max_of_type_depth):
                below: dict[int, FieldNode] = {}
                for field in level.values():
                    if field.selection_set is not None:
                        for child in self._of_type_children(field.selection_set):
                            below.setdefault(id(child), child)
                if not below:
                    return None
                level = below
            return next(iter(level.values()))

        def _of_type_children(self, selection_set: SelectionSetNode) -> list[FieldNode]:
            key = id(selection_set)
            if key not in self.children:
                self.children[key] = list(self._walk_of_type_children(selection_set))
            return self.children[key]

        def _walk_of_type_children(self, selection_set: SelectionSetNode) -> Iterator[FieldNode]:
            visited: set[str] = set()
            stack: list[Iterator[SelectionNode]] = [iter(selection_set.selections)]
            while stack:
                node = next(stack[-1], None)
                if node is None:
                    stack.pop()
                elif isinstance(node, FieldNode):
                    if node.name.value == "ofType":
                        yield node
                elif isinstance(node, InlineFragmentNode):
                    stack.append(iter(node.selection_set.selections))
                elif isinstance(node, FragmentSpreadNode) and node.name.value not in visited:
                    visited.add(node.name.value)
                    fragment = self.context.get_fragment(node.name.value)
                    if fragment is not None:
                        stack.append(iter(fragment.selection_set.selections))

    return IntrospectionDepthRule


class IntrospectionDepthLimit(SchemaExtension):
    """Adds the ``ofType``/root-count rule, and graphql-core's depth rule if missing."""

    def __init__(
        self,
        max_of_type_depth: int = MAX_OF_TYPE_DEPTH,
        max_root_fields: int = MAX_INTROSPECTION_ROOT_FIELDS,
    ) -> None:
        super().__init__()
        self.rule = introspection_depth_rule(max_of_type_depth, max_root_fields)

    def on_operation(self) -> Iterator[None]:
        rules = self.execution_context.validation_rules
        added: tuple[type[ASTValidationRule], ...] = (self.rule,)
        if MaxIntrospectionDepthRule not in rules:
            # Only absent when someone replaced the default rules.
            added += (MaxIntrospectionDepthRule,)
        self.execution_context.validation_rules = rules + added
        yield


def introspection_extensions(*, production: bool) -> list[Callable[[], SchemaExtension]]:
    """Extensions for ``strawberry.Schema(extensions=…)``: no introspection in production."""
    if production:
        return [DisableIntrospection]
    return [IntrospectionDepthLimit]


def hide_suggestions() -> None:
    """Drop "Did you mean …?" from every GraphQL error message in this process.

    graphql-core's switch: ``did_you_mean`` returns nothing when its module's
    ``MAX_LENGTH`` is 0. It covers validation and execution-time input coercion alike,
    whereas ``StrawberryConfig(disable_field_suggestions=True)`` only trims
    "Cannot query field" messages. Process-wide, so call it once at start-up.
    """
    # ``graphql.pyutils.did_you_mean`` is the function, re-exported over the module name,
    # and the module's ``__all__`` leaves MAX_LENGTH out, hence import_module and setattr.
    module = importlib.import_module("graphql.pyutils.did_you_mean")
    setattr(module, "MAX_LENGTH", 0)  # noqa: B010
