"""Introspection limits, the production lock and hidden suggestions."""

import enum
import importlib
from collections.abc import Iterator

import pytest
import strawberry
from graphql import (
    FieldsOnCorrectTypeRule,
    get_introspection_query,
    parse,
    validate,
)
from strawberry.extensions import SchemaExtension

from coinstack_graphql.graphql.security.introspection import (
    IntrospectionDepthLimit,
    hide_suggestions,
    introspection_depth_rule,
    introspection_extensions,
)


@strawberry.enum
class Category(enum.Enum):
    GREEK = "greek"
    ROMAN_IMPERIAL = "roman_imperial"


@strawberry.type
class Coin:
    name: str
    category: Category
    tags: list[list[str | None] | None] | None = None


@strawberry.type
class Query:
    @strawberry.field
    def coins(self, category: Category | None = None) -> list[Coin]:
        return [Coin(name="Denarius", category=category or Category.GREEK)]


def make_schema(*extensions: type[SchemaExtension]) -> strawberry.Schema:
    return strawberry.Schema(Query, extensions=extensions)


def of_type_chain(depth: int) -> str:
    chain = "name"
    for _ in range(depth):
        chain = f"name ofType {{ {chain} }}"
    return f'{{ __type(name: "Coin") {{ fields {{ type {{ {chain} }} }} }} }}'


@pytest.mark.parametrize("type_depth", [7, 9, 10])
async def test_client_introspection_queries_pass(type_depth: int) -> None:
    schema = make_schema(IntrospectionDepthLimit)
    result = await schema.execute(get_introspection_query(type_depth=type_depth))
    assert result.errors is None
    assert result.data is not None
    assert result.data["__schema"]["queryType"]["name"] == "Query"


def test_default_introspection_query_is_nine_deep() -> None:
    # Why the limit is 10: graphql-core's own query already nests 9.
    assert get_introspection_query().count("ofType") == 9


async def test_one_level_over_is_refused() -> None:
    result = await make_schema(IntrospectionDepthLimit).execute(
        get_introspection_query(type_depth=11)
    )
    assert result.errors is not None
    assert [e.message for e in result.errors] == [
        "Introspection nests ofType more than 10 levels deep."
    ]


async def test_hundred_deep_of_type_chain_is_refused() -> None:
    result = await make_schema(IntrospectionDepthLimit).execute(of_type_chain(100))
    assert result.data is None
    assert result.errors is not None
    assert result.errors[0].message == "Introspection nests ofType more than 10 levels deep."


def test_chains_are_followed_through_fragments() -> None:
    schema = make_schema()._schema
    rule = introspection_depth_rule(max_of_type_depth=3)
    chained = parse(
        """{ __type(name: "Coin") { ofType { ...A } } }
        fragment A on __Type { ... on __Type { ofType { ...B } } }
        fragment B on __Type { ofType { ofType { name } } }"""
    )
    assert [e.message for e in validate(schema, chained, [rule])] == [
        "Introspection nests ofType more than 3 levels deep."
    ]
    assert validate(schema, parse(of_type_chain(3)), [rule]) == []


def test_fragment_cycles_terminate() -> None:
    schema = make_schema()._schema
    document = parse(
        """{ __type(name: "Coin") { ...A } }
        fragment A on __Type { ofType { ...A } }"""
    )
    messages = [e.message for e in validate(schema, document, [introspection_depth_rule()])]
    assert messages == ["Introspection nests ofType more than 10 levels deep."]


async def test_schema_nesting_abuse_is_refused() -> None:
    abuse = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    result = await make_schema(IntrospectionDepthLimit).execute(abuse)
    assert result.errors is not None
    assert result.errors[0].message == "Maximum introspection depth exceeded"


async def test_graphql_core_depth_rule_is_restored_if_rules_were_replaced() -> None:
    class OnlyFieldRule(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            self.execution_context.validation_rules = (FieldsOnCorrectTypeRule,)
            yield

    abuse = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    unguarded = await make_schema(OnlyFieldRule).execute(abuse)
    assert unguarded.errors is None
    guarded = await make_schema(OnlyFieldRule, IntrospectionDepthLimit).execute(abuse)
    assert guarded.errors is not None
    assert guarded.errors[0].message == "Maximum introspection depth exceeded"


async def test_repeated_schema_roots_are_bounded() -> None:
    schema = make_schema(IntrospectionDepthLimit)
    five = "{ " + " ".join(f"s{i}: __schema {{ queryType {{ name }} }}" for i in range(5)) + " }"
    assert (await schema.execute(five)).errors is None
    six = five[:-1] + 't: __type(name: "Coin") { name } }'
    result = await schema.execute(six)
    assert result.errors is not None
    assert result.errors[0].message == (
        "The document asks for __schema/__type 6 times; the limit is 5."
    )


async def test_limits_are_configurable() -> None:
    schema = make_schema()._schema
    rule = introspection_depth_rule(max_of_type_depth=2, max_root_fields=1)
    document = parse('{ a: __type(name: "Coin") { name } b: __type(name: "Query") { name } }')
    assert len(validate(schema, document, [rule])) == 1
    assert len(validate(schema, parse(of_type_chain(3)), [rule])) == 1


async def test_production_disables_introspection_but_not_typename() -> None:
    schema = make_schema(*introspection_extensions(production=True))  # type: ignore[arg-type]
    refused = await schema.execute("{ __schema { queryType { name } } }")
    assert refused.errors is not None
    assert "introspection" in refused.errors[0].message.lower()
    allowed = await schema.execute("{ __typename coins { name } }")
    assert allowed.errors is None


async def test_development_keeps_introspection_with_limits() -> None:
    schema = make_schema(*introspection_extensions(production=False))  # type: ignore[arg-type]
    assert (await schema.execute(get_introspection_query())).errors is None
    assert (await schema.execute(of_type_chain(100))).errors is not None


@pytest.fixture
def suggestions_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("graphql.pyutils.did_you_mean")
    monkeypatch.setattr(module, "MAX_LENGTH", module.MAX_LENGTH)


@pytest.mark.usefixtures("suggestions_restored")
async def test_hide_suggestions() -> None:
    schema = make_schema()
    typo = "{ coinz { name } }"
    bad_enum = "query($c: Category) { coins(category: $c) { name } }"
    before = await schema.execute(typo)
    assert before.errors is not None and "Did you mean" in before.errors[0].message

    hide_suggestions()

    after = await schema.execute(typo)
    assert after.errors is not None
    assert after.errors[0].message == "Cannot query field 'coinz' on type 'Query'."
    coerced = await schema.execute(bad_enum, variable_values={"c": "GREK"})
    assert coerced.errors is not None
    assert "GREK" in coerced.errors[0].message
    assert "Did you mean" not in coerced.errors[0].message
