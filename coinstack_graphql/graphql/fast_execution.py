"""Breadth-first execution of read-only operations: the same resolvers, far less overhead.

graphql-core completes every field of every object one at a time (a ResolveInfo, a
path and a completion call per scalar), which costs more than the SQL behind a page of
coins. This executor walks the operation level by level instead: the scalars of a
hundred coins are read with `getattr` in one loop, and each relation's resolver is
called for all hundred parents at once, so its DataLoader batches them. Results are
what the standard executor would return for the same operation.

It takes only queries it fully understands and gives up (returns None) on anything
else — an error from a resolver, a null in a non-null position, a directive other than
@skip/@include — in which case the standard executor runs the operation from scratch.
Re-running is safe: only queries take this path.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.type.introspection import TypeNameMetaFieldDef
from graphql.utilities import type_from_ast
from strawberry.extensions import SchemaExtension
from strawberry.types import Info as StrawberryInfo
from strawberry.types.arguments import convert_arguments

from coinstack_graphql.graphql.core.loaders import Pending

_ABSENT = object()


class Unsupported(Exception):
    """The operation uses something this executor leaves to graphql-core."""


class FastQueryExecutor:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self._basic: dict[tuple[str, str], str | None] = {}
        self._direct: dict[tuple[str, str], tuple[Any, bool, bool, bool, Any] | None] = {}
        self._serializers: dict[Any, Any] = {}
        self._field_serializers: dict[Any, Any] = {}

    def basic_attribute(self, parent: GraphQLObjectType, name: str) -> str | None:
        """The Python attribute behind a field without a resolver, or None."""
        key = (parent.name, name)
        if key not in self._basic:
            field = parent.fields[name]
            definition = (field.extensions or {}).get("strawberry-definition")
            plain = getattr(field.resolve, "_is_default", False) and not field.args
            self._basic[key] = (
                definition.python_name if definition is not None and plain else None
            )
        return self._basic[key]

    def leaf_serializer(self, leaf: Any) -> Any:
        """The serialize function of a scalar or enum type (enums memoised)."""
        found = self._serializers.get(leaf)
        if found is None:
            found = _enum_serializer(leaf) if isinstance(leaf, GraphQLEnumType) else leaf.serialize
            self._serializers[leaf] = found
        return found

    def field_serializer(self, return_type: Any) -> Any:
        """Serializer of a leaf field's value, refusing null in a non-null position."""
        found = self._field_serializers.get(return_type)
        if found is None:
            leaf = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
            found = _serializer(return_type, self.leaf_serializer(leaf))
            self._field_serializers[return_type] = found
        return found

    def direct_call(
        self, parent: GraphQLObjectType, name: str
    ) -> tuple[Any, bool, bool, bool, Any] | None:
        """(function, is a method, takes root, takes info, definition) of a resolver called
        straight, skipping Strawberry's per-call wrapper: one without field extensions or
        permissions, whose arguments (if any) are converted once per field."""
        key = (parent.name, "direct:" + name)
        if key not in self._direct:
            field = parent.fields[name]
            definition = (field.extensions or {}).get("strawberry-definition")
            found = None
            resolver = getattr(definition, "base_resolver", None)
            if (
                definition is not None
                and resolver is not None
                and not definition.extensions
                and not getattr(definition, "permission_classes", None)
            ):
                func = resolver.wrapped_func
                params = list(inspect.signature(func).parameters)
                arguments = {a.python_name for a in definition.arguments}
                known = {"self", "root", "info"} | arguments
                if set(params) <= known and params[1:].count("self") == 0:
                    found = (func, params[:1] == ["self"], "root" in params, "info" in params,
                             definition)
            self._direct[key] = found
        return self._direct[key]

    def python_arguments(self, definition: Any, args: dict[str, Any]) -> dict[str, Any]:
        """GraphQL argument values as the resolver's keyword arguments (enums, inputs)."""
        strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
        return dict(convert_arguments(
            args, definition.arguments,
            scalar_registry=strawberry_schema.schema_converter.scalar_registry,
            config=strawberry_schema.config,
        ))

    async def execute(
        self,
        document: Any,
        operation_name: str | None,
        raw_variables: dict[str, Any] | None,
        context: Any,
    ) -> dict[str, Any] | None:
        """The `data` of the operation, or None when the standard executor must run it."""
        operation = _operation(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), raw_variables or {}
        )
        if isinstance(coerced, list):  # variable errors: let the standard path report them
            return None
        run = _Run(self, document, operation, coerced, context)
        query_type = self.schema.query_type
        assert query_type is not None
        loaders = getattr(context, "loaders", None)
        if loaders is not None:
            loaders.deferring = True  # relation resolvers return `Pending` loads
        try:
            (data,) = await run.complete_objects([None], query_type, [operation.selection_set])
        except Unsupported:
            return None
        except Exception:  # any failure is reported by the standard executor instead
            return None
        finally:
            if loaders is not None:
                loaders.deferring = False
        return data


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return ops[0] if len(ops) == 1 else None
    return next((o for o in ops if o.name and o.name.value == name), None)


class _Run:
    """One execution: the document, its variables and the request context."""

    def __init__(
        self, executor: FastQueryExecutor, document: Any, operation: OperationDefinitionNode,
        variables: Any, context: Any,
    ) -> None:
        self.executor = executor
        self.schema = executor.schema
        self.operation = operation
        self.variables = variables
        self.context = context
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    # -- field collection (@skip / @include honoured; other directives refused)
    def collect(
        self, runtime: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(runtime, selection_set, fields, set())
        return fields

    def _collect(
        self, runtime: GraphQLObjectType, selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]], visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, runtime):
                    self._collect(runtime, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition, runtime):
                    self._collect(runtime, fragment.selection_set, fields, visited)

    def _included(self, node: Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                raise Unsupported(f"@{name}")
            definition = self.schema.get_directive(name)
            assert definition is not None
            value = get_argument_values(definition, directive, self.variables)["if"]
            if (name == "skip") == bool(value):
                return False
        return True

    def _applies(self, condition: Any, runtime: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        target = type_from_ast(self.schema, condition)
        if target is runtime:
            return True
        if isinstance(target, GraphQLAbstractType):
            return self.schema.is_sub_type(target, runtime)
        return False

    # -- completion, many parents at a time
    async def complete_objects(
        self, objects: list[Any], runtime: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> list[dict[str, Any]]:
        fields = self.collect(runtime, selection_sets)
        # Keys in selection order, as graphql-core answers; values are filled below.
        results: list[dict[str, Any]] = [dict.fromkeys(fields) for _ in objects]
        later: list[tuple[str, Any, list[FieldNode], list[Any]]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                for row in results:
                    row[key] = runtime.name
                continue
            if name.startswith("__") or name not in runtime.fields:
                raise Unsupported(name)
            field = runtime.fields[name]
            attribute = self.executor.basic_attribute(runtime, name)
            if attribute is not None and _is_leaf(field.type):
                serialize = self.executor.field_serializer(field.type)
                for obj, row in zip(objects, results, strict=True):
                    row[key] = serialize(getattr(obj, attribute))
                continue
            if attribute is not None:
                values = [getattr(obj, attribute) for obj in objects]
            else:
                values = self._call(runtime, field, name, nodes, objects)
            later.append((key, field.type, nodes, values))
        # Every field's loads settle together: one batch per loader for the whole level
        # (gradingHistory and currentGrading share one), the loaders side by side.
        await _settle([values for _k, _t, _n, values in later])
        completed = await _all(
            *(self.complete_values(values, kind, nodes) for _, kind, nodes, values in later)
        )
        for (key, _t, _n, _v), column in zip(later, completed, strict=True):
            for row, value in zip(results, column, strict=True):
                row[key] = value
        return results

    def _call(
        self, parent: GraphQLObjectType, field: Any, name: str, nodes: list[FieldNode],
        objects: list[Any],
    ) -> list[Any]:
        """The resolver's result per parent: values, awaitables or `Pending` loads."""
        if field.resolve is None:
            raise Unsupported(f"{parent.name}.{name} has no resolver")
        args = get_argument_values(field, nodes[0], self.variables)
        # No path (one info stands for every parent) and no helpers: resolvers here read
        # only the context, the selection and the variables.
        info = GraphQLResolveInfo(
            name, nodes, field.type, parent, None,  # type: ignore[arg-type]
            self.schema, self.fragments, None, self.operation, self.variables, self.context,
            inspect.isawaitable, None, None,  # type: ignore[arg-type]
        )
        direct = self.executor.direct_call(parent, name)
        if direct is None:
            return [field.resolve(obj, info, **args) for obj in objects]
        func, has_self, wants_root, wants_info, definition = direct
        declared = getattr(func, "relation", None)
        if declared is not None:  # a declared relation: keys now, one load in `_settle`
            loader = self.context.loaders.get(declared.loader)
            return _Keyed(loader, declared.pick, [getattr(obj, declared.key) for obj in objects])
        kwargs: dict[str, Any] = (
            self.executor.python_arguments(definition, args) if args else {}
        )
        if wants_info:
            kwargs["info"] = StrawberryInfo(_raw_info=info, _field=definition)
        # As Strawberry does: the parent is `self` of a method and `root` if asked for.
        if has_self and wants_root:
            return [func(obj, root=obj, **kwargs) for obj in objects]
        if has_self:
            return [func(obj, **kwargs) for obj in objects]
        if wants_root:
            return [func(root=obj, **kwargs) for obj in objects]
        return [func(**kwargs) for _ in objects]

    async def complete_values(
        self, values: list[Any], return_type: Any, nodes: list[FieldNode]
    ) -> list[Any]:
        if isinstance(return_type, GraphQLNonNull):
            if any(v is None for v in values):
                raise Unsupported("null in a non-null position")
            return await self.complete_values(values, return_type.of_type, nodes)
        if isinstance(return_type, GraphQLList):
            flat: list[Any] = []
            sizes: list[int | None] = []
            for value in values:
                if value is None:
                    sizes.append(None)
                else:
                    items = list(value)
                    sizes.append(len(items))
                    flat.extend(items)
            done = await self.complete_values(flat, return_type.of_type, nodes)
            out: list[Any] = []
            position = 0
            for size in sizes:
                if size is None:
                    out.append(None)
                else:
                    out.append(done[position : position + size])
                    position += size
            return out
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            serialize = self.executor.leaf_serializer(return_type)
            return [None if v is None else serialize(v) for v in values]
        selection_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if isinstance(return_type, GraphQLObjectType):
            present = [v for v in values if v is not None]
            rows = iter(await self.complete_objects(present, return_type, selection_sets))
            return [None if v is None else next(rows) for v in values]
        if isinstance(return_type, GraphQLAbstractType):
            return await self._complete_abstract(values, return_type, selection_sets)
        raise Unsupported(str(return_type))

    async def _complete_abstract(
        self, values: list[Any], abstract: GraphQLAbstractType,
        selection_sets: list[SelectionSetNode],
    ) -> list[Any]:
        groups: dict[str, list[int]] = {}
        runtimes: dict[str, GraphQLObjectType] = {}
        for i, value in enumerate(values):
            if value is None:
                continue
            runtime = self._runtime_type(value, abstract)
            groups.setdefault(runtime.name, []).append(i)
            runtimes[runtime.name] = runtime
        out: list[Any] = [None] * len(values)
        for type_name, indexes in groups.items():
            done = await self.complete_objects(
                [values[i] for i in indexes], runtimes[type_name], selection_sets
            )
            for i, row in zip(indexes, done, strict=True):
                out[i] = row
        return out

    def _runtime_type(self, value: Any, abstract: GraphQLAbstractType) -> GraphQLObjectType:
        for candidate in self.schema.get_possible_types(abstract):
            check = candidate.is_type_of
            if check is not None and check(value, None):  # type: ignore[arg-type]
                return candidate
        raise Unsupported(f"cannot tell the type of {type(value).__name__}")


async def _all(*awaitables: Any) -> list[Any]:
    """`asyncio.gather`, but a failure is raised only once every sibling has finished.

    When one branch fails the executor gives the operation to graphql-core; a sibling
    still running would go on reading through the request's shared session after that,
    and possibly after the request has closed it.
    """
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


class _Keyed(list[Any]):
    """A declared relation's column before loading: the parents' keys, replaced in place
    by the loaded values (shaped by `pick`) when the level settles."""

    __slots__ = ("loader", "pick")

    def __init__(self, loader: Any, pick: Any, keys: list[Any]) -> None:
        super().__init__(keys)
        self.loader = loader
        self.pick = pick


async def _settle(columns: list[list[Any]]) -> None:
    """Replace, in place, every `_Keyed` column, `Pending` load and awaitable in
    `columns` by its value.

    Keys are grouped by loader across all columns, so each loader runs one batch for the
    level (gradingHistory and currentGrading share one); the batches and the awaitables
    run concurrently.
    """
    # loader id -> (loader, keys, spots); a spot is (column, index) or (_Keyed column, None)
    groups: dict[int, tuple[Any, list[Any], list[tuple[list[Any], int | None]]]] = {}
    waiting: list[tuple[list[Any], int]] = []
    for values in columns:
        if type(values) is _Keyed:
            group = groups.get(id(values.loader))
            if group is None:
                group = groups[id(values.loader)] = (values.loader, [], [])
            group[1].extend(k for k in values if k is not None)
            group[2].append((values, None))
            continue
        for i, value in enumerate(values):
            if type(value) is Pending:
                group = groups.get(id(value.loader))
                if group is None:
                    group = groups[id(value.loader)] = (value.loader, [], [])
                group[1].append(value.key)
                group[2].append((values, i))
            elif _is_awaitable(type(value), value):
                waiting.append((values, i))
    if not groups and not waiting:
        return

    async def batch(
        loader: Any, keys: list[Any], spots: list[tuple[list[Any], int | None]]
    ) -> None:
        found = await loader.load_values(keys) if keys else {}
        for values, i in spots:
            if i is None:
                pick = values.pick  # type: ignore[attr-defined]
                values[:] = [
                    None if k is None else found[k] if pick is None else pick(found[k])
                    for k in values
                ]
            else:
                pending = values[i]
                value = found[pending.key]
                values[i] = value if pending.pick is None else pending.pick(value)

    done = await _all(
        *(batch(loader, keys, spots) for loader, keys, spots in groups.values()),
        *(values[i] for values, i in waiting),
    )
    for (values, i), value in zip(waiting, done[len(groups):], strict=True):
        values[i] = value


def _is_leaf(return_type: Any) -> bool:
    while isinstance(return_type, GraphQLNonNull | GraphQLList):
        if isinstance(return_type, GraphQLList):
            return False
        return_type = return_type.of_type
    return isinstance(return_type, GraphQLScalarType | GraphQLEnumType)


_AWAITABLE_TYPES: dict[type, bool] = {}


def _is_awaitable(kind: type, value: Any) -> bool:
    """`inspect.isawaitable`, remembered per type: called for every resolved value."""
    found = _AWAITABLE_TYPES.get(kind)
    if found is None:
        found = _AWAITABLE_TYPES[kind] = inspect.isawaitable(value)
    return found


def _enum_serializer(enum_type: GraphQLEnumType) -> Any:
    """`enum_type.serialize` with a memo: Strawberry's scans every enum value per call."""
    memo: dict[Any, Any] = {}
    serialize = enum_type.serialize

    def run(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            out = memo[value] = serialize(value)
            return out
        except TypeError:  # unhashable: no memo
            return serialize(value)

    return run


# Python types a built-in scalar passes through unchanged (graphql-core's serialize would
# return the same object after its checks); Int keeps its 32-bit range check below.
_PASSTHROUGH = {"String": str, "Boolean": bool, "ID": str}
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def _serializer(return_type: Any, serialize: Any) -> Any:
    non_null = isinstance(return_type, GraphQLNonNull)
    leaf = return_type.of_type if non_null else return_type
    same = _PASSTHROUGH.get(leaf.name)
    is_int = leaf.name == "Int"

    def run(value: Any) -> Any:
        if value is None:
            if non_null:
                raise Unsupported("null in a non-null position")
            return None
        kind = type(value)
        if kind is same or (is_int and kind is int and _INT_MIN <= value <= _INT_MAX):
            return value
        return serialize(value)

    return run


class FastQueries(SchemaExtension):
    """Runs queries through `FastQueryExecutor`; graphql-core runs what it declines.

    List it last: the checks before it (access, cost, throttle) have run by then, and a
    result set here makes Strawberry skip its own execution.
    """

    _executors: dict[int, FastQueryExecutor] = {}

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        ctx = self.execution_context
        if ctx.result is None and ctx.graphql_document is not None and not ctx.pre_execution_errors:
            schema = ctx.schema._schema
            executor = self._executors.get(id(schema))
            if executor is None:
                executor = self._executors[id(schema)] = FastQueryExecutor(schema)
            data = await executor.execute(
                ctx.graphql_document, ctx.operation_name, ctx.variables, ctx.context
            )
            if data is not None:
                ctx.result = ExecutionResult(data=data, errors=None)
        yield


__all__ = ["FastQueryExecutor", "FastQueries", "TypeNameMetaFieldDef", "_ABSENT"]
