"""`coins(filter:)`: each CoinFilter field, compared with what the demo catalogue says."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.demo.catalogue_types import DemoCoin
from tests.support.client import GraphQLClient, graphql_client
from tests.support.databases import copy_of

COINS = """query($filter: CoinFilter, $after: String) {
  coins(filter: $filter, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { databaseId }
  }
}"""
SEARCHED = (
    "issuer", "denomination", "mint", "obverse_legend", "reverse_legend", "obverse_description",
    "reverse_description", "personal_notes", "portrait_subject", "sub_category",
)
FOR_SALE = "grk-athens-owl-3"
PERCENT = "rep-aquillius-1"
UNDERSCORE = "imp-nerva-concordia-1"

Predicate = Callable[[DemoCoin], bool]


def gid(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def last_grading(demo: DemoCoin) -> Any:
    return demo.grading_history[-1] if demo.grading_history else demo


def searched(demo: DemoCoin, text: str) -> bool:
    """Every word in one of the searched fields, case-insensitively."""
    values = [(getattr(demo, f) or "").lower() for f in SEARCHED]
    return all(any(word.lower() in v for v in values) for word in text.split())


def treatments(demo: DemoCoin) -> dict[str, Any]:
    return dict(demo.secondary_treatments or {})


@pytest.fixture(scope="module")
def scratch_db(demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy for the filters the demo cannot show (made before any client connects)."""
    with copy_of(demo_template, Path(tmp_path_factory.mktemp("filters"))) as url:
        yield url


@pytest.fixture(scope="module")
async def scratch(scratch_db: str) -> AsyncIterator[tuple[GraphQLClient, dict[str, int]]]:
    async with graphql_client(scratch_db) as c:
        ids = await demo_coin_ids(c)
        for key, changes in (
            (FOR_SALE, 'forSale: true, askingPrice: "950.00"'),
            (PERCENT, 'personalNotes: "Bought at 100% of the low estimate"'),
            (UNDERSCORE, 'personalNotes: "photo concordiaXnerva.jpg, box id_7"'),
        ):
            data = await c.execute(
                "mutation($id: ID!) { updateCoin(input: {id: $id, " + changes + "}) "
                "{ userErrors { message } } }",
                {"id": gid("Coin", ids[key])},
            )
            assert data["updateCoin"]["userErrors"] == []
        yield c, ids


@pytest.fixture(scope="module")
async def client(scratch: Any, demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


async def demo_coin_ids(client: GraphQLClient) -> dict[str, int]:
    async with client.app.state.coinstack.engine.connect() as conn:
        rows = await conn.execute(
            select(ImportRecord.source_id, ImportRecord.coin_id).where(
                ImportRecord.source_type == "demo"
            )
        )
        return {key: coin_id for key, coin_id in rows.all()}


@pytest.fixture(scope="module")
async def coin_ids(client: GraphQLClient) -> dict[str, int]:
    return await demo_coin_ids(client)


async def matching(client: GraphQLClient, filter: dict[str, Any]) -> list[int]:
    """Database ids of every coin the filter matches, in order, checking totalCount."""
    found: list[int] = []
    after = None
    while True:
        page = (await client.execute(COINS, {"filter": filter, "after": after}))["coins"]
        found += [n["databaseId"] for n in page["nodes"]]
        total = page["totalCount"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert total == len(found)
    return found


def expected(coin_ids: dict[str, int], predicate: Predicate) -> list[int]:
    return sorted(coin_ids[c.key] for c in cat.COINS if predicate(c))


CASES: list[tuple[str, dict[str, Any], Predicate]] = [
    ("category", {"category": ["IMPERIAL"]}, lambda c: c.category == "imperial"),
    ("categories", {"category": ["GREEK", "JUDAEAN"]},
     lambda c: c.category in ("greek", "judaean")),
    ("metal", {"metal": ["GOLD"]}, lambda c: c.metal == "gold"),
    ("metals", {"metal": ["BILLON", "ORICHALCUM"]}, lambda c: c.metal in ("billon", "orichalcum")),
    ("denomination any case", {"denomination": ["Denarius"]},
     lambda c: c.denomination == "denarius"),
    ("denominations", {"denomination": ["AE", "prutah"]},
     lambda c: c.denomination in ("AE", "prutah")),
    ("issuer contains", {"issuer": ["caesar"]}, lambda c: "caesar" in c.issuer.lower()),
    ("issuers", {"issuer": ["Hadrian", "Justinian"]},
     lambda c: "hadrian" in c.issuer.lower() or "justinian" in c.issuer.lower()),
    ("mint name", {"mintName": "antioch"}, lambda c: c.mint == "Antioch"),
    ("struck by 44 BC", {"yearTo": -44}, lambda c: c.year_start <= -44),
    ("overlapping 50-40 BC", {"yearFrom": -50, "yearTo": -40},
     lambda c: c.year_end >= -50 and c.year_start <= -40),
    ("across the era", {"yearFrom": -5, "yearTo": 5},
     lambda c: c.year_end >= -5 and c.year_start <= 5),
    ("from 1100", {"yearFrom": 1100}, lambda c: c.year_end >= 1100),
    ("grade any case", {"grade": "gvf"}, lambda c: last_grading(c).grade == "gVF"),
    ("grade service", {"gradeService": ["NGC"]}, lambda c: last_grading(c).grade_service == "ngc"),
    ("grade services", {"gradeService": ["PCGS", "SELF"]},
     lambda c: last_grading(c).grade_service in ("pcgs", "self")),
    ("grading state", {"gradingState": ["SLABBED"]},
     lambda c: last_grading(c).grading_state == "slabbed"),
    ("rarity codes", {"rarityCode": ["R3", "RRR"]},
     lambda c: any(r.rarity_code in ("R3", "RRR") for r in c.rarity_assessments)),
    ("rarity common", {"rarityCode": ["C"]},
     lambda c: any(r.rarity_code == "C" for r in c.rarity_assessments)),
    ("reference", {"reference": "RIC I² 207"}, lambda c: "RIC I² 207" in c.references),
    ("concordant reference", {"reference": "RSC I 43"}, lambda c: "RIC I² 207" in c.references),
    ("reference no coin cites", {"reference": "BMCRE I 533"},
     lambda c: "RIC I² 207" in c.references),
    ("crawford reference", {"reference": "Crawford 443/1"},
     lambda c: "Crawford 443/1" in c.references),
    ("reference of a lone type", {"reference": "RPC II 2021"},
     lambda c: "RPC II 2021" in c.references),
    ("double struck", {"hasIssues": ["DOUBLE_STRUCK"]}, lambda c: c.is_double_struck),
    ("off center", {"hasIssues": ["OFF_CENTER"]}, lambda c: c.is_off_center),
    ("brockage", {"hasIssues": ["BROCKAGE"]}, lambda c: False),
    ("ancient repair", {"hasIssues": ["ANCIENT_REPAIR"]}, lambda c: False),
    ("price from", {"acquisitionPriceMin": "5000"}, lambda c: c.acquisition_price >= 5000),
    ("price up to", {"acquisitionPriceMax": "100.00"}, lambda c: c.acquisition_price <= 100),
    ("price between, inclusive", {"acquisitionPriceMin": "1140", "acquisitionPriceMax": "4080.00"},
     lambda c: Decimal("1140") <= c.acquisition_price <= Decimal("4080")),
    ("tag", {"tag": ["Twelve Caesars"]}, lambda c: "Twelve Caesars" in c.tags),
    ("tags", {"tag": ["gold", "tyrannicide"]},
     lambda c: "gold" in c.tags or "tyrannicide" in c.tags),
    ("not for sale", {"forSale": False}, lambda c: True),
    ("for sale", {"forSale": True}, lambda c: False),
    ("search", {"search": "elephant"}, lambda c: searched(c, "elephant")),
    ("search words AND", {"search": "eid mar"}, lambda c: searched(c, "eid mar")),
    ("search legend", {"search": "PONTIF MAXIM"}, lambda c: searched(c, "PONTIF MAXIM")),
    ("search percent is literal", {"search": "%"}, lambda c: False),
    ("search underscore is literal", {"search": "_"}, lambda c: False),
    ("search backslash is literal", {"search": "\\"}, lambda c: False),
    ("search nothing", {"search": "zzzz"}, lambda c: False),
    ("combined",
     {"category": ["REPUBLIC"], "yearFrom": -50, "metal": ["SILVER"], "tag": ["Caesar"]},
     lambda c: c.category == "republic" and c.year_end >= -50 and "Caesar" in c.tags),
    ("combined, nothing in common", {"category": ["BYZANTINE"], "yearTo": 0}, lambda c: False),
    ("combined grading", {"gradingState": ["SLABBED"], "category": ["IMPERIAL"],
                          "gradeService": ["NGC"]},
     lambda c: c.category == "imperial" and last_grading(c).grade_service == "ngc"
     and last_grading(c).grading_state == "slabbed"),
]


@pytest.mark.parametrize(("filter", "predicate"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_filter_matches_the_catalogue(
    client: GraphQLClient, coin_ids: dict[str, int], filter: dict[str, Any], predicate: Predicate
) -> None:
    want = expected(coin_ids, predicate)
    assert await matching(client, filter) == want


async def test_expectations_are_not_trivial(coin_ids: dict[str, int]) -> None:
    """Guard the table above: the interesting cases select some but not all coins."""
    sizes = {name: len(expected(coin_ids, p)) for name, _, p in CASES}
    assert sizes["struck by 44 BC"] == 65
    assert sizes["overlapping 50-40 BC"] == 12
    assert sizes["across the era"] == 4
    assert sizes["concordant reference"] == 2
    assert sizes["tag"] == 9
    assert sizes["grading state"] == 10


async def test_bc_year_range_values(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    """yearTo -44 keeps only coins whose dating starts by 44 BC; ranges overlap."""
    data = await client.execute("""{
        byIdes: coins(filter: {yearTo: -44}, first: 100) { totalCount nodes { yearStart } }
        civilWar: coins(filter: {yearFrom: -50, yearTo: -40}, first: 100)
            { nodes { databaseId yearStart yearEnd } }
    }""")
    assert all(n["yearStart"] <= -44 for n in data["byIdes"]["nodes"])
    civil = data["civilWar"]["nodes"]
    assert all(n["yearEnd"] >= -50 and n["yearStart"] <= -40 for n in civil)
    ids = {n["databaseId"] for n in civil}
    # struck 49-48 BC, inside; 42-40 BC, straddling the end; 54 BC, outside
    assert coin_ids["rep-caesar-elephant-1"] in ids
    assert coin_ids["rep-sextus-pompey-neptune-1"] in ids
    assert coin_ids["rep-brutus-libertas-1"] not in ids
    assert coin_ids["rep-antony-leg-iii-1"] not in ids  # 32-31 BC


async def test_mint_filter_takes_mint_ids(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    mints = {m["name"]: m["id"] for m in (await client.execute("{ mints { id name } }"))["mints"]}
    assert set(mints) == {m.name for m in cat.MINTS}
    got = await matching(client, {"mint": [mints["Antioch"], mints["Lugdunum"]]})
    assert got == expected(coin_ids, lambda c: c.mint in ("Antioch", "Lugdunum"))
    assert len(got) == 20


async def test_collection_filter_custom_and_smart(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    data = await client.execute("{ collections(first: 50) { nodes { id slug } } }")
    ids = {n["slug"]: n["id"] for n in data["collections"]["nodes"]}
    best = {coin_ids[k] for k in next(c for c in cat.COLLECTIONS if c.key == "best-of").coin_keys}
    gold = set(expected(coin_ids, lambda c: c.category == "byzantine" and c.metal == "gold"))
    assert set(await matching(client, {"collection": [ids["best-of"]]})) == best
    assert set(await matching(client, {"collection": [ids["byzantine-gold"]]})) == gold
    union = await matching(client, {"collection": [ids["best-of"], ids["byzantine-gold"]]})
    assert set(union) == best | gold
    assert len(union) == len(best | gold) == 19  # the Justinian II solidus is in both
    both = await matching(client, {"collection": [ids["byzantine-gold"]], "tag": ["highlight"]})
    assert both == [coin_ids["byz-justinian-ii-christ-solidus-1"]]


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"reference": "blah blah"}, "unrecognised catalogue 'blah blah'"),
        ({"mint": ["abc"]}, "'abc' is not a valid ID"),
        ({"mint": [gid("Coin", 1)]},
         "Argument 'filter.mint' must be the ID of a Mint, not of a Coin"),
        ({"collection": [gid("Mint", 1)]},
         "Argument 'filter.collection' must be the ID of a Collection, not of a Mint"),
    ],
)
async def test_bad_filter_values_are_client_errors(
    client: GraphQLClient, filter: dict[str, Any], message: str
) -> None:
    response = await client.post(COINS, {"filter": filter})
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] is None
    [error] = payload["errors"]
    assert error["message"].startswith(message)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_unknown_enum_value_is_a_validation_error(client: GraphQLClient) -> None:
    response = await client.post('{ coins(filter: {hasIssues: [SCRATCHED]}) { totalCount } }')
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "SCRATCHED" in error["message"]


@pytest.mark.parametrize(
    ("issue", "treatment"),
    [
        ("TEST_CUT", "test_cut"),
        ("BANKERS_MARKS", "bankers_marks"),
        ("MOUNTED", "mounted"),
        ("OVERSTRIKE", "overstrike"),
        ("GRAFFITI", "graffiti"),
    ],
)
async def test_has_issues_from_secondary_treatments(
    client: GraphQLClient, coin_ids: dict[str, int], issue: str, treatment: str
) -> None:
    want = expected(coin_ids, lambda c: treatment in treatments(c))
    assert want  # the demo has coins with each of these
    assert await matching(client, {"hasIssues": [issue]}) == want


@pytest.mark.parametrize("search", ["ΤΙΒΕΡΙΟΥ", "τιβεριου", "Τιβεριου"])
async def test_search_greek_legend(
    client: GraphQLClient, coin_ids: dict[str, int], search: str
) -> None:
    assert await matching(client, {"search": search}) == [coin_ids["jud-pilate-prutah-1"]]


async def test_search_greek_word_ending_in_sigma(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    assert await matching(client, {"search": "ΚΑΙΣΑΡΟΣ"}) == sorted(
        coin_ids[c.key] for c in cat.COINS if "ΚΑΙΣΑΡΟΣ" in (c.obverse_legend or "")
        + (c.reverse_legend or "")
    )


# --- on the scratch copy ---------------------------------------------------------------


async def test_for_sale(scratch: tuple[GraphQLClient, dict[str, int]]) -> None:
    c, ids = scratch
    assert await matching(c, {"forSale": True}) == [ids[FOR_SALE]]
    assert len(await matching(c, {"forSale": False})) == 161


@pytest.mark.parametrize(
    ("search", "keys"),
    [
        ("%", [PERCENT]),
        ("100%", [PERCENT]),
        ("0% of", [PERCENT]),
        ("100%estimate", []),  # `%` is no wildcard
        ("_", [UNDERSCORE]),
        ("id_7", [UNDERSCORE]),
        ("concordia_nerva", []),  # `_` is no wildcard
        ("\\", []),
    ],
)
async def test_like_wildcards_match_literally(
    scratch: tuple[GraphQLClient, dict[str, int]], search: str, keys: list[str]
) -> None:
    c, ids = scratch
    assert await matching(c, {"search": search}) == sorted(ids[k] for k in keys)
