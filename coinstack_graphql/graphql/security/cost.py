"""Static query cost and node count, computed from the document before execution.

Works on any ``graphql.GraphQLSchema``; docs/query-cost.md is the reference with worked
examples. The rules, per selected field (after fragments are expanded and fields sharing
a response key are merged, exactly as execution does):

- scalars, enums, ``__typename`` and introspection fields: cost 0, no nodes;
- an object field: cost 1 + the cost of its selections;
- a plain list of objects sized L: cost 1 + L x (cost of one item's selections),
  nodes L + L x (nodes of one item). L is ``list_sizes["Type.field"]``, else the
  number of ``ids`` passed to the field, else ``list_size_estimate``;
- a connection sized N (``first``/``last``, else ``default_page_size``): cost
  2 + N x (cost under ``edges``/``nodes`` per item) + the cost of the rest
  (``pageInfo``), nodes N + N x (nodes under one item). The item itself (an edge's
  ``node``, an entry of ``nodes``) costs nothing of its own: N already counts it;
- a mutation root field costs a flat 10 instead of its own base, plus its selection;
- on an interface or union, each possible object type is costed and the largest wins.

A type is a connection when its name ends with ``Connection`` and it has ``edges`` or
``nodes``, or when it is named in ``connection_types``. ``@skip``/``@include`` are
honoured; a page size or condition that cannot be read (missing variable, wrong type,
outside GraphQL's Int range) falls back to the default page size / to "included".
The walk is iterative and memoised, so fragment cycles, undefined fragments, unknown
fields and long fragment chains neither crash nor recurse. Figures saturate at
2**53 - 1 so that JavaScript clients read them exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_object_type,
    value_from_ast_untyped,
)

__all__ = [
    "CONNECTION_COST",
    "DEFAULT_LIST_SIZE_ESTIMATE",
    "DEFAULT_PAGE_SIZE",
    "LIST_COST",
    "MUTATION_COST",
    "OBJECT_COST",
    "CostReport",
    "analyze_cost",
]

OBJECT_COST = 1
LIST_COST = 1
CONNECTION_COST = 2
MUTATION_COST = 10
DEFAULT_PAGE_SIZE = 20
# Our plain lists are small bounded children (a coin's images, references, grading
# history); ten is a generous ceiling for them, and lists known to be shorter or longer
# get their own figure through ``list_sizes``.
DEFAULT_LIST_SIZE_ESTIMATE = 10

_MAX_INT = 2**31 - 1  # GraphQL Int; larger page sizes fail variable coercion anyway
_CEILING = 2**53 - 1  # Number.MAX_SAFE_INTEGER: what a JavaScript client reads exactly

# How a field folds its child's sums into its parent's.
_OBJECT, _ITEM, _LIST, _CONNECTION, _ITEMS, _FLAT = range(6)
# The role a selection set plays, part of the memo key.
_PLAIN, _EDGE, _MUTATION_ROOT = range(3)

_Key = tuple[tuple[int, ...], str, int]


@dataclass(frozen=True, slots=True)
class CostReport:
    """The static figures of one operation."""

    cost: int
    nodes: int


class _Sums(NamedTuple):
    cost: int = 0
    nodes: int = 0
    # Only a connection type's own selections fill these: per-item sums from
    # ``edges``/``nodes``, multiplied by the page size at the connection field.
    item_cost: int = 0
    item_nodes: int = 0


class _Part(NamedTuple):
    kind: int
    child: _Key | None
    base: int = 0
    size: int = 0


_ZERO = _Sums()


def analyze_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    *,
    default_page_size: int = DEFAULT_PAGE_SIZE,
    list_size_estimate: int = DEFAULT_LIST_SIZE_ESTIMATE,
    list_sizes: Mapping[str, int] | None = None,
    connection_types: Collection[str] = (),
) -> CostReport:
    """Return the cost and node count of the operation that would execute.

    An operation that cannot be chosen (unknown name, several without a name) or whose
    root type the schema lacks reports zero: execution refuses it anyway.
    """
    operation = _choose_operation(document, operation_name)
    if operation is None:
        return CostReport(0, 0)
    root = schema.get_root_type(operation.operation)
    if root is None:
        return CostReport(0, 0)
    analysis = _Analysis(
        schema,
        document,
        operation,
        variables or {},
        default_page_size=default_page_size,
        list_size_estimate=list_size_estimate,
        list_sizes=list_sizes or {},
        connection_types=frozenset(connection_types),
    )
    role = _MUTATION_ROOT if operation.operation is OperationType.MUTATION else _PLAIN
    sums = analysis.evaluate(analysis.key((operation.selection_set,), root, role))
    return CostReport(sums.cost, sums.nodes)


def _choose_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    return None


def _cap(value: int) -> int:
    return min(value, _CEILING)


class _Analysis:
    """One analysis run: the document's fragments, the variables and the memo."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        *,
        default_page_size: int,
        list_size_estimate: int,
        list_sizes: Mapping[str, int],
        connection_types: frozenset[str],
    ) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = self._with_defaults(operation, variables)
        self.default_page_size = default_page_size
        self.list_size_estimate = list_size_estimate
        self.list_sizes = list_sizes
        self.connection_types = connection_types
        self.selection_sets: dict[_Key, tuple[SelectionSetNode, ...]] = {}
        self.memo: dict[_Key, _Sums] = {}

    @staticmethod
    def _with_defaults(
        operation: OperationDefinitionNode, variables: Mapping[str, Any]
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for definition in operation.variable_definitions or ():
            if definition.default_value is not None:
                try:
                    values[definition.variable.name.value] = value_from_ast_untyped(
                        definition.default_value
                    )
                except (TypeError, ValueError):  # an unusable default is simply absent
                    pass
        values.update(variables)
        return values

    def key(
        self, sets: Sequence[SelectionSetNode], type_: GraphQLNamedType, role: int = _PLAIN
    ) -> _Key:
        # AST nodes live as long as the document, so their ids name them for this run;
        # keying on them is what keeps fragments reused at many places linear.
        key = (tuple(id(s) for s in sets), type_.name, role)
        self.selection_sets.setdefault(key, tuple(sets))
        return key

    def evaluate(self, root: _Key) -> _Sums:
        """Post-order walk with an explicit stack; a key met while open is a cycle: 0."""
        opened: dict[_Key, list[_Part]] = {}
        stack = [root]
        while stack:
            key = stack[-1]
            if key in self.memo:
                stack.pop()
                continue
            parts = opened.get(key)
            if parts is None:
                parts = opened[key] = self._plan(key)
                pending = [
                    p.child
                    for p in parts
                    if p.child is not None and p.child not in self.memo and p.child not in opened
                ]
                if pending:
                    stack.extend(pending)
                    continue
            self.memo[key] = self._fold(key, parts)
            stack.pop()
        return self.memo[root]

    def _plan(self, key: _Key) -> list[_Part]:
        sets = self.selection_sets[key]
        type_ = self.schema.get_type(key[1])
        if type_ is not None and is_abstract_type(type_):
            return [
                _Part(_OBJECT, self.key(sets, possible, key[2]))
                for possible in self.schema.get_possible_types(type_)
            ]
        if not isinstance(type_, GraphQLObjectType):
            return []
        return [
            part
            for nodes in self._collect(sets, type_).values()
            if (part := self._part(type_, nodes, key[2])) is not None
        ]

    def _part(self, parent: GraphQLObjectType, nodes: list[FieldNode], role: int) -> _Part | None:
        first = nodes[0]
        name = first.name.value
        field = parent.fields.get(name)
        if name.startswith("__") or field is None:
            return None
        mutation = role == _MUTATION_ROOT
        named = get_named_type(field.type)
        if is_leaf_type(named):
            return _Part(_FLAT, None, MUTATION_COST) if mutation else None
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if self._is_connection(named):
            base = MUTATION_COST if mutation else CONNECTION_COST
            return _Part(_CONNECTION, self.key(sets, named), base, self._page_size(first))
        if role == _EDGE and name == "node":
            return _Part(_ITEM, self.key(sets, named))
        if self._is_connection(parent) and name in ("edges", "nodes"):
            return _Part(_ITEMS, self.key(sets, named, _EDGE if name == "edges" else _PLAIN))
        if is_list_type(get_nullable_type(field.type)):
            base = MUTATION_COST if mutation else LIST_COST
            return _Part(_LIST, self.key(sets, named), base, self._list_size(parent, first))
        return _Part(_OBJECT, self.key(sets, named), MUTATION_COST if mutation else OBJECT_COST)

    def _fold(self, key: _Key, parts: list[_Part]) -> _Sums:
        type_ = self.schema.get_type(key[1])
        children = [_ZERO if p.child is None else self.memo.get(p.child, _ZERO) for p in parts]
        if type_ is not None and is_abstract_type(type_):
            # Only one possible type is returned per object: the dearest bounds them all.
            return _Sums(*(max(column, default=0) for column in zip(*children, strict=False)))
        cost = nodes = item_cost = item_nodes = 0
        for part, child in zip(parts, children, strict=True):
            size = part.size
            if part.kind == _FLAT:
                cost += part.base
            elif part.kind in (_OBJECT, _ITEM):
                cost += part.base + child.cost
                nodes += child.nodes
            elif part.kind == _LIST:
                cost += part.base + size * child.cost
                nodes += size + size * child.nodes
            elif part.kind == _CONNECTION:
                cost += part.base + child.cost + size * child.item_cost
                nodes += size + child.nodes + size * child.item_nodes
            else:  # _ITEMS: counted per item, multiplied at the connection field
                item_cost += child.cost
                item_nodes += child.nodes
        return _Sums(_cap(cost), _cap(nodes), _cap(item_cost), _cap(item_nodes))

    def _collect(
        self, sets: Sequence[SelectionSetNode], type_: GraphQLObjectType
    ) -> dict[str, list[FieldNode]]:
        """Group fields by response key as execution does, following fragments."""
        fields: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        stack: list[Iterator[SelectionNode]] = [iter([sel for s in sets for sel in s.selections])]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                stack.pop()
                continue
            if not self._included(node):
                continue
            if isinstance(node, FieldNode):
                response_key = node.alias.value if node.alias else node.name.value
                fields.setdefault(response_key, []).append(node)
            elif isinstance(node, InlineFragmentNode):
                if self._applies(node.type_condition, type_):
                    stack.append(iter(node.selection_set.selections))
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)  # a fragment spread twice at one level is collected once
                if self._applies(fragment.type_condition, type_):
                    stack.append(iter(fragment.selection_set.selections))
        return fields

    def _applies(self, condition: NamedTypeNode | None, type_: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        target = self.schema.get_type(condition.name.value)
        if target is type_:
            return True
        return (
            target is not None
            and is_abstract_type(target)
            and self.schema.is_sub_type(target, type_)
        )

    def _included(self, node: SelectionNode) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            condition = next(
                (a.value for a in directive.arguments or () if a.name.value == "if"), None
            )
            value: Any = None
            if isinstance(condition, BooleanValueNode):
                value = condition.value
            elif isinstance(condition, VariableNode):
                value = self.variables.get(condition.name.value)
            # An unreadable condition counts the selection in: better to over-estimate.
            if (name == "skip" and value is True) or (name == "include" and value is False):
                return False
        return True

    def _is_connection(self, type_: GraphQLNamedType) -> bool:
        if type_.name in self.connection_types:
            return True
        return (
            is_object_type(type_)
            and type_.name.endswith("Connection")
            and ("edges" in type_.fields or "nodes" in type_.fields)
        )

    def _page_size(self, node: FieldNode) -> int:
        sizes = [
            size
            for name in ("first", "last")
            if (size := self._int_argument(node, name)) is not None
        ]
        return max(sizes) if sizes else self.default_page_size

    def _list_size(self, parent: GraphQLObjectType, node: FieldNode) -> int:
        override = self.list_sizes.get(f"{parent.name}.{node.name.value}")
        if override is not None:
            return override
        ids = self._argument(node, "ids")
        if isinstance(ids, list):
            return len(ids)
        return self.list_size_estimate

    def _int_argument(self, node: FieldNode, name: str) -> int | None:
        value = self._argument(node, name)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_INT:
            return value
        return None

    def _argument(self, node: FieldNode, name: str) -> Any:
        argument = next((a for a in node.arguments or () if a.name.value == name), None)
        if argument is None:
            return None
        value = argument.value
        if isinstance(value, VariableNode):
            return self.variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            try:
                return int(value.value)
            except ValueError:  # beyond int()'s digit limit: not a usable page size
                return None
        if isinstance(value, ListValueNode):
            return list(value.values)
        return None
