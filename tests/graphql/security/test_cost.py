"""Static cost and node count of documents against a toy schema shaped like ours."""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from graphql import build_schema, parse, print_schema

from coinstack_graphql.graphql.security.cost import CostReport, analyze_cost

DOC = Path(__file__).parents[3] / "docs" / "query-cost.md"

SDL = """
interface Node { id: ID! }
type PageInfo {
  hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String
}
enum Category { GREEK ROMAN_IMPERIAL }
type Mint implements Node { id: ID! name: String! }
type Physical { weightG: String diameterMm: String }
type CoinImage implements Node { id: ID! url: String! }
type ExternalCatalogLink implements Node { id: ID! url: String! }
type ReferenceType implements Node {
  id: ID! system: String! number: String!
  concordance: [ReferenceType!]! externalLinks: [ExternalCatalogLink!]!
}
type CoinReference implements Node { id: ID! citation: String! referenceType: ReferenceType }
type ProvenanceEvent implements Node { id: ID! date: String }
type Countermark implements Node { id: ID! }
type Tag implements Node { id: ID! name: String! }
type GradingEvent implements Node { id: ID! grade: String }
type RarityAssessment implements Node { id: ID! code: String }
type CensusSnapshot implements Node { id: ID! }
type Enrichment implements Node { id: ID! }
type Valuation implements Node { id: ID! value: String }
type AuctionData implements Node { id: ID! }
type FieldChange implements Node { id: ID! }
type Coin implements Node {
  id: ID! name: String! category: Category! yearStart: Int
  mint: Mint physical: Physical images: [CoinImage!]! references: [CoinReference!]!
  provenanceEvents: [ProvenanceEvent!]! countermarks: [Countermark!]! tags: [Tag!]!
  gradingHistory: [GradingEvent!]! currentGrading: GradingEvent
  rarityAssessments: [RarityAssessment!]! primaryRarity: RarityAssessment
  censusSnapshots: [CensusSnapshot!]! enrichments: [Enrichment!]! valuations: [Valuation!]!
  latestValuation: Valuation auctionData: AuctionData fieldHistory: [FieldChange!]!
  collections(first: Int, after: String, last: Int, before: String): CollectionConnection!
}
type CoinEdge { cursor: String! node: Coin! }
type CoinConnection { edges: [CoinEdge!]! nodes: [Coin!]! pageInfo: PageInfo! totalCount: Int! }
type Collection implements Node {
  id: ID! name: String!
  coins(first: Int, after: String, last: Int, before: String): CoinConnection!
}
type CollectionEdge { cursor: String! node: Collection! }
type CollectionConnection {
  edges: [CollectionEdge!]! nodes: [Collection!]! pageInfo: PageInfo! totalCount: Int!
}
type Query {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  coin(id: ID!): Coin
  coins(first: Int, after: String, last: Int, before: String): CoinConnection!
}
input UpdateCoinInput { id: ID! name: String }
type UserError { field: [String!] message: String! }
type UpdateCoinPayload { coin: Coin userErrors: [UserError!]! }
type Mutation {
  updateCoin(input: UpdateCoinInput!): UpdateCoinPayload!
  deleteCoin(id: ID!): Boolean!
}
"""

SCHEMA = build_schema(SDL)

COLLECTION_PAGE = """
query CollectionPage($after: String) {
  coins(first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name category yearStart
        mint { id name }
        physical { weightG diameterMm }
        images { id url }
        references { id citation referenceType { id system number } }
        provenanceEvents { id date }
        countermarks { id }
        tags { id name }
        gradingHistory { id grade }
        currentGrading { id grade }
        rarityAssessments { id code }
        primaryRarity { id code }
        censusSnapshots { id }
        enrichments { id }
        valuations { id value }
        latestValuation { id value }
        auctionData { id }
        fieldHistory { id }
        collections(first: 5) { nodes { id name } }
      }
    }
  }
}
"""


def cost(query: str, variables: dict[str, Any] | None = None, **options: Any) -> CostReport:
    return analyze_cost(SCHEMA, parse(query), variables, None, **options)


# Hand computations: object 1 + children; plain list 1 + 10 x item; connection
# 2 + N x item + rest; nodes: list L + L x item, connection N + N x item.
DOCUMENTED = [
    # coin 1 + mint 1
    ('{ coin(id: "1") { id name mint { name } } }', 2, 0),
    # default page of 20 items of scalars: 2; 20 nodes
    ("{ coins { totalCount nodes { id name } } }", 2, 20),
    # item = mint 1 + references (1 + 10 x referenceType 1) = 12;
    # 2 + 10 x 12 + pageInfo 1 = 123; nodes 10 + 10 x 10 = 110
    (
        """{ coins(first: 10) {
            pageInfo { hasNextPage }
            edges { cursor node { id mint { name }
                references { citation referenceType { system number } } } } } }""",
        123,
        110,
    ),
    # 2 + 100 x (2 + 100 x 2) = 20,202; nodes 100 + 100 x (100 + 100 x 100) = 1,010,100
    (
        """{ coins(first: 100) { edges { node { collections(first: 100) {
            nodes { coins(first: 100) { nodes { id } } } } } } } }""",
        20_202,
        1_010_100,
    ),
    # per coin: 16 relations at 1 + references 11 + collections 2 = 29;
    # 2 + 100 x 29 + pageInfo 1 = 2,903; nodes 100 + 100 x (10 lists x 10 + 10 + 5) = 11,600
    (COLLECTION_PAGE, 2_903, 11_600),
    # 10 + coin (1 + mint 1) + userErrors 1 = 13; userErrors 10 nodes
    (
        """mutation { updateCoin(input: {id: "1"}) {
            coin { id mint { name } } userErrors { message } } }""",
        13,
        10,
    ),
    # node 1 + max(Coin: mint 1 + images 1, Collection: 2 + 5 x mint 1) = 8;
    # nodes max(images 10, coins 5) = 10
    (
        """{ node(id: "x") { id
            ... on Coin { mint { name } images { url } }
            ... on Collection { coins(first: 5) { nodes { mint { name } } } } } }""",
        8,
        10,
    ),
    # three ids: 1 + 3 x (mint 1) = 4; 3 nodes
    ('{ nodes(ids: ["a", "b", "c"]) { ... on Coin { mint { name } } } }', 4, 3),
    ("{ __typename __schema { types { name fields { name } } } }", 0, 0),
]


@pytest.mark.parametrize(("query", "expected_cost", "expected_nodes"), DOCUMENTED)
def test_documented_queries(query: str, expected_cost: int, expected_nodes: int) -> None:
    assert cost(query) == CostReport(expected_cost, expected_nodes)


def test_heaviest_realistic_page_stays_under_the_default_limits() -> None:
    deeper = COLLECTION_PAGE.replace(
        "referenceType { id system number }",
        "referenceType { id system number concordance { id } externalLinks { url } }",
    )
    # references 1 + 10 x 3 = 31, per coin 49: 2 + 4,900 + 1; nodes 100 + 100 x 315
    assert cost(deeper) == CostReport(4_903, 31_600)


def _doc_blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_doc_figures_are_what_the_code_computes() -> None:
    checked = 0
    for block in _doc_blocks():
        figures = re.match(r"# cost: ([\d,]+), nodes: ([\d,]+)\n", block)
        if figures is None:
            continue
        expected = CostReport(*(int(f.replace(",", "")) for f in figures.groups()))
        assert cost(block) == expected, block
        checked += 1
    assert checked >= 6


def test_doc_schema_is_the_test_schema() -> None:
    blocks = [b for b in _doc_blocks() if b.startswith("# The toy schema")]
    assert len(blocks) == 1
    assert print_schema(build_schema(blocks[0])) == print_schema(SCHEMA)


@pytest.mark.parametrize(
    ("variables", "page"),
    [
        ({"n": 7}, 7),
        ({}, 3),  # the variable's default
        ({"n": None}, 20),
        ({"n": "7"}, 20),
        ({"n": True}, 20),
        ({"n": -1}, 20),
        ({"n": 2**31}, 20),  # outside Int: execution rejects it, we do not trust it
        ({"n": 100_000}, 100_000),  # over the cap is still priced as asked
    ],
)
def test_page_size_from_variables(variables: dict[str, Any], page: int) -> None:
    query = "query($n: Int = 3) { coins(first: $n) { nodes { mint { name } } } }"
    assert cost(query, variables) == CostReport(2 + page, page)


def test_page_size_without_default_falls_back() -> None:
    query = "query($n: Int) { coins(last: $n) { nodes { id } } }"
    assert cost(query, {}).nodes == 20
    assert cost(query, {"n": 4}).nodes == 4


def test_first_and_last_take_the_larger() -> None:
    assert cost("{ coins(first: 3, last: 9) { nodes { id } } }").nodes == 9


def test_out_of_range_literal_falls_back() -> None:
    assert cost("{ coins(first: 99999999999) { nodes { id } } }").nodes == 20


def test_default_page_size_and_list_estimate_are_options() -> None:
    query = "{ coins { nodes { images { url } } } }"
    assert cost(query) == CostReport(2 + 20, 20 + 20 * 10)
    assert cost(query, default_page_size=5, list_size_estimate=2) == CostReport(7, 15)


def test_list_size_override() -> None:
    query = '{ coin(id: "1") { gradingHistory { grade } images { url } } }'
    report = cost(query, list_sizes={"Coin.gradingHistory": 5})
    assert report == CostReport(3, 5 + 10)


def test_explicit_connection_types() -> None:
    schema = build_schema(
        """
        type Item { id: ID! owner: Item }
        type ItemPage { edges: [ItemEdge!]! }
        type ItemEdge { node: Item! }
        type Query { items(first: Int): ItemPage! }
        """
    )
    document = parse("{ items(first: 4) { edges { node { owner { id } } } } }")
    # Not recognised by name: an object with a plain list of 10 edges, each 2 objects deep.
    assert analyze_cost(schema, document, None, None) == CostReport(1 + 1 + 10 * 2, 10)
    explicit = analyze_cost(schema, document, None, None, connection_types={"ItemPage"})
    assert explicit == CostReport(2 + 4 * 1, 4)


def test_named_and_inline_fragments_cost_the_same_as_fields() -> None:
    plain = cost('{ coin(id: "1") { mint { name } tags { name } } }')
    named = cost(
        """{ coin(id: "1") { ...A } }
        fragment A on Coin { mint { name } ...B }
        fragment B on Coin { ... on Coin { tags { name } } }"""
    )
    assert named == plain == CostReport(3, 10)


def test_fields_sharing_a_response_key_merge() -> None:
    merged = cost(
        """{ coins(first: 10) { nodes { ...A ...B ...A } } }
        fragment A on Coin { mint { id } }
        fragment B on Coin { mint { name } }"""
    )
    assert merged == CostReport(2 + 10 * 1, 10)


def test_aliases_count_separately() -> None:
    report = cost(
        """{ a: coins(first: 10) { nodes { mint { name } } }
             b: coins(first: 10) { nodes { mint { name } } } }"""
    )
    assert report == CostReport(2 * 12, 2 * 10)


@pytest.mark.parametrize(
    ("directives", "variables", "counted"),
    [
        ("@skip(if: true)", {}, False),
        ("@skip(if: false)", {}, True),
        ("@include(if: false)", {}, False),
        ("@skip(if: $flag)", {"flag": True}, False),
        ("@include(if: $flag)", {"flag": False}, False),
        ("@include(if: $flag)", {"flag": True}, True),
        ("@include(if: $flag)", {}, True),  # unreadable: counted
        ("@include(if: $flag)", {"flag": "no"}, True),
    ],
)
def test_skip_and_include(directives: str, variables: dict[str, Any], counted: bool) -> None:
    field = f"query($flag: Boolean) {{ coins(first: 10) {directives} {{ nodes {{ id }} }} }}"
    spread = (
        "query($flag: Boolean) { ...F @DIR } fragment F on Query { coins(first: 10) "
        "{ nodes { id } } }"
    ).replace("@DIR", directives)
    inline = (
        f"query($flag: Boolean) {{ ... {directives} {{ coins(first: 10) {{ nodes {{ id }} }} }} }}"
    )
    expected = CostReport(2, 10) if counted else CostReport(0, 0)
    for query in (field, spread, inline):
        assert cost(query, variables) == expected, query


def test_fragment_cycles_and_undefined_fragments_do_not_crash() -> None:
    report = cost(
        """{ coin(id: "1") { ...A ...Missing } }
        fragment A on Coin { mint { name } collections { nodes { coins { nodes { ...A } } } } }"""
    )
    # Validation refuses the cycle; here it is only cut where it closes.
    assert report.cost > 0 and report.nodes > 0
    assert cost("{ ...Q } fragment Q on Query { ...Q coin(id: 1) { id } }") == CostReport(1, 0)


def test_long_fragment_chains_do_not_recurse() -> None:
    depth = 5_000
    fragments = "\n".join(
        f"fragment F{i} on Coin {{ collections(first: 1) {{ nodes {{ coins(first: 1) "
        f"{{ nodes {{ ...F{i + 1} }} }} }} }} }}"
        for i in range(depth)
    )
    query = f'{{ coin(id: "1") {{ ...F0 }} }}\n{fragments}\nfragment F{depth} on Coin {{ id }}'
    report = cost(query)
    assert report == CostReport(1 + 4 * depth, 2 * depth)


def test_fragment_fan_out_stays_linear() -> None:
    levels = 40
    fragments = "\n".join(
        f"fragment F{i} on Coin {{ mint {{ id }} collections(first: 2) {{ "
        f"a: nodes {{ coins(first: 1) {{ nodes {{ ...F{i + 1} }} }} }} "
        f"b: nodes {{ coins(first: 1) {{ nodes {{ ...F{i + 1} }} }} }} }} }}"
        for i in range(levels)
    )
    query = f'{{ coin(id: "1") {{ ...F0 }} }}\n{fragments}\nfragment F{levels} on Coin {{ id }}'
    started = time.perf_counter()
    report = cost(query)
    assert time.perf_counter() - started < 1
    assert report.cost > 2**levels  # the fan-out is priced, not walked


def test_figures_saturate_at_the_largest_exact_javascript_integer() -> None:
    nested = "id"
    for _ in range(4):
        inner = f"coins(first: $n) {{ nodes {{ {nested} }} }}"
        nested = f"collections(first: $n) {{ nodes {{ {inner} }} }}"
    query = f"query($n: Int) {{ coin(id: 1) {{ {nested} }} }}"
    assert cost(query, {"n": 2**31 - 1}) == CostReport(2**53 - 1, 2**53 - 1)


def test_unknown_fields_and_type_conditions_are_ignored() -> None:
    report = cost(
        """{ coin(id: "1") { nope { deeper } mint { name }
            ... on Ghost { mint { name } } } ghost { id } }"""
    )
    assert report == CostReport(2, 0)


def test_leaf_mutation_is_flat() -> None:
    assert cost('mutation { deleteCoin(id: "1") __typename }') == CostReport(10, 0)


def test_operation_selection() -> None:
    document = parse(
        """query Cheap { coin(id: "1") { mint { name } } }
        query Dear { coins(first: 50) { nodes { mint { name } } } }"""
    )
    assert analyze_cost(SCHEMA, document, None, "Cheap") == CostReport(2, 0)
    assert analyze_cost(SCHEMA, document, None, "Dear") == CostReport(52, 50)
    assert analyze_cost(SCHEMA, document, None, "Other") == CostReport(0, 0)
    assert analyze_cost(SCHEMA, document, None, None) == CostReport(0, 0)


def test_missing_root_type_reports_zero() -> None:
    schema = build_schema("type Query { a: Int }")
    document = parse("mutation { a }")
    assert analyze_cost(schema, document, None, None) == CostReport(0, 0)
