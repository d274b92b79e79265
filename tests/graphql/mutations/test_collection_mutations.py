"""Collections through the API: custom ones by hand, smart ones by the `coins` CoinFilter.

Demo collections: 1 Twelve Caesars (custom, 9 coins), 3 Roman Imperial (smart, imperial),
5 Certified coins (smart, slabbed), 8 Severan women (custom, under 3). Demo coins used: the
Flavian denarii 56 (Vespasian), 57 (Titus), 58 (Domitian) and 59 (Nerva).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from tests.graphql.mutations import (
    MISSING,
    Case,
    NamedCase,
    error_at,
    gid,
    graphql_error,
    query,
    refused,
    run,
    shared_demo_client,
)
from tests.support.client import GraphQLClient, graphql_client


@pytest.fixture(scope="module")
async def shared_demo(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    async with shared_demo_client(demo_template, tmp_path_factory) as client:
        yield client


COLLECTION = """collection { id name slug description collectionType smartFilter coinCount
  totalValue isFavorite displayOrder coverImageUrl parent { id } }"""
READ = f"query($id: ID!) {{ {COLLECTION.replace('collection {', 'collection(id: $id) {')} }}"
MEMBERS = """query($id: ID!) { collection(id: $id) { coinCount totalValue
  coins(first: 100) { totalCount nodes { databaseId } } } }"""
COUNT = "query($f: CoinFilter) { coins(filter: $f) { totalCount } }"
VALUES = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Coin {
  estimatedValueUsd latestValuation { currentMarketValue } } } }"""
FLAVIAN = {"category": ["IMPERIAL"], "metal": ["SILVER"], "yearFrom": 69, "yearTo": 96,
           "denomination": ["denarius"]}


def coins(*ids: int) -> list[str]:
    return [gid("Coin", i) for i in ids]


async def read(client: GraphQLClient, collection_id: str) -> dict[str, Any]:
    return (await query(client, READ, id=collection_id))["collection"]


async def members(client: GraphQLClient, collection_id: str) -> dict[str, Any]:
    data = (await query(client, MEMBERS, id=collection_id))["collection"]
    data["ids"] = [n["databaseId"] for n in data["coins"]["nodes"]]
    return data


async def value_of(client: GraphQLClient, *ids: int) -> Decimal:
    """What the collection totals add up: latest valuation, else the collector's estimate."""
    total = Decimal("0.00")
    for node in (await query(client, VALUES, ids=coins(*ids)))["nodes"]:
        latest = node["latestValuation"]
        value = (latest or {}).get("currentMarketValue") or node["estimatedValueUsd"]
        total += Decimal(value or 0)
    return total


async def filtered_count(client: GraphQLClient, filter_: dict[str, Any]) -> int:
    return int((await query(client, COUNT, f=filter_))["coins"]["totalCount"])


async def test_custom_collection_lifecycle(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        created = await run(client, "createCollection", {
            "name": "Flavian denarii", "description": "The year of the four emperors and after",
            "parent": gid("Collection", 3), "isFavorite": True, "displayOrder": 2,
            "coverImageUrl": "https://images.example.org/vespasian-judaea.jpg",
        }, COLLECTION)
        collection = created["collection"]
        assert (collection["slug"], collection["collectionType"]) == ("flavian-denarii", "CUSTOM")
        assert (collection["coinCount"], collection["totalValue"]) == (0, "0.00")
        assert collection["parent"] == {"id": gid("Collection", 3)}
        cid = collection["id"]

        added = await run(client, "addCoinsToCollection",
                          {"collection": cid, "coins": coins(56, 57, 58, 56)},
                          "collection { coinCount totalValue }")
        expected = await value_of(client, 56, 57, 58)
        assert added["collection"] == {"coinCount": 3, "totalValue": f"{expected:.2f}"}
        assert (await members(client, cid))["ids"] == [56, 57, 58]
        # Coins already in it keep their place; new ones go last.
        await run(client, "addCoinsToCollection", {"collection": cid, "coins": coins(59, 57)})
        assert (await members(client, cid))["ids"] == [56, 57, 58, 59]

        reordered = await run(client, "reorderCollection",
                              {"collection": cid, "coins": coins(59, 58, 57, 56)},
                              "collection { coinCount }")
        assert reordered["collection"]["coinCount"] == 4
        assert (await members(client, cid))["ids"] == [59, 58, 57, 56]

        removed = await run(client, "removeCoinsFromCollection",
                            {"collection": cid, "coins": coins(59, 52)},
                            "collection { coinCount totalValue }")
        assert removed["collection"] == {
            "coinCount": 3, "totalValue": f"{await value_of(client, 56, 57, 58):.2f}"}
        state = await members(client, cid)
        assert state["ids"] == [58, 57, 56]
        assert state["coins"]["totalCount"] == state["coinCount"] == 3

        renamed = await run(client, "updateCollection", {
            "id": cid, "name": "Flavian silver", "description": None, "parent": None,
            "isFavorite": False,
        }, COLLECTION)
        after = renamed["collection"]
        # Renaming keeps the slug so links stay valid; null clears, omitted stays.
        assert (after["name"], after["slug"], after["description"]) == (
            "Flavian silver", "flavian-denarii", None)
        assert after["parent"] is None and after["displayOrder"] == 2
        await run(client, "updateCollection", {"id": cid, "slug": None})
        assert (await read(client, cid))["slug"] == "flavian-silver"

        deleted = await run(client, "deleteCollection", {"id": cid}, "deletedCollectionId")
        assert deleted["deletedCollectionId"] == cid
        assert await read(client, cid) is None
        # The coins are untouched.
        assert (await query(client, "query($id: ID!) { coin(id: $id) { id } }",
                            id=gid("Coin", 56)))["coin"] is not None
        await error_at(client, "deleteCollection", {"id": cid}, ["input", "id"], "NOT_FOUND")


async def test_smart_collection_counts_what_the_same_filter_finds(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        created = await run(client, "createCollection", {
            "name": "Flavian silver (smart)", "collectionType": "SMART", "smartFilter": FLAVIAN,
        }, COLLECTION)
        smart = created["collection"]
        # What is stored is the filter's canonical JSON, readable as JSON.
        assert smart["smartFilter"] == {
            "categories": ["imperial"], "metals": ["silver"], "denominations": ["denarius"],
            "yearFrom": 69, "yearTo": 96,
        }
        total = await filtered_count(client, FLAVIAN)
        assert total >= 4
        assert smart["coinCount"] == total == (await members(client, smart["id"]))["coins"][
            "totalCount"]

        # A coin write moves a coin in or out; the stored count follows.
        await run(client, "updateCoin", {"id": gid("Coin", 59), "yearStart": 97, "yearEnd": 98})
        assert (await read(client, smart["id"]))["coinCount"] == total - 1
        assert await filtered_count(client, FLAVIAN) == total - 1

        # Changing the filter recounts.
        narrower = {**FLAVIAN, "issuer": ["Titus"]}
        updated = await run(client, "updateCollection",
                            {"id": smart["id"], "smartFilter": narrower}, COLLECTION)
        assert updated["collection"]["coinCount"] == await filtered_count(client, narrower) == 1
        assert updated["collection"]["smartFilter"]["issuers"] == ["Titus"]

        # Certified coins: slabbing a coin through its grading history moves it in.
        certified = gid("Collection", 5)
        slabbed = {"gradingState": ["SLABBED"]}
        before = (await read(client, certified))["coinCount"]
        assert before == await filtered_count(client, slabbed)
        await run(client, "addGradingEvent", {
            "coin": gid("Coin", 59), "eventType": "INITIAL", "gradeService": "NGC",
            "grade": "Ch VF 5/5 - 4/5", "certificationNumber": "4373951-011"})
        assert (await read(client, certified))["coinCount"] == before + 1
        assert await filtered_count(client, slabbed) == before + 1

        # A smart collection may build on another one.
        nested = await run(client, "createCollection", {
            "name": "Certified Flavians", "collectionType": "SMART",
            "smartFilter": {"collection": [smart["id"], certified]},
        }, COLLECTION)
        nested_filter = {"collection": [smart["id"], certified]}
        assert nested["collection"]["coinCount"] == await filtered_count(client, nested_filter)
        # A collection another smart one filters on cannot be deleted.
        await error_at(client, "deleteCollection", {"id": smart["id"]}, ["input", "id"],
                       "CONFLICT")
        # Turning smart into custom drops the filter.
        turned = await run(client, "updateCollection",
                           {"id": nested["collection"]["id"], "collectionType": "CUSTOM"},
                           COLLECTION)
        assert turned["collection"]["smartFilter"] is None
        assert turned["collection"]["coinCount"] == 0


async def test_deleting_a_parent_moves_its_children_up(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        await run(client, "deleteCollection", {"id": gid("Collection", 3)})
        severan = await read(client, gid("Collection", 8))
        assert severan["parent"] is None
        data = await query(client, "{ collections(first: 50) { nodes { databaseId } } }")
        assert 8 in [n["databaseId"] for n in data["collections"]["nodes"]]


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"name": "   "}, ["name"], "REQUIRED"),
        ({"name": "x" * 201}, ["name"], "OUT_OF_RANGE"),
        ({"slug": "Twelve Caesars"}, ["slug"], "INVALID"),
        ({"slug": "twelve-caesars"}, ["slug"], "CONFLICT"),
        ({"collectionType": "SMART"}, ["smartFilter"], "REQUIRED"),
        ({"smartFilter": {"metal": ["GOLD"]}}, ["smartFilter"], "INVALID"),  # custom + filter
        ({"collectionType": "SERIES"}, ["collectionType"], "INVALID"),
        ({"collectionType": None}, ["collectionType"], "REQUIRED"),
        ({"coverImageUrl": "javascript:alert(1)"}, ["coverImageUrl"], "INVALID"),
        ({"displayOrder": -1}, ["displayOrder"], "OUT_OF_RANGE"),
        ({"parent": gid("Collection", MISSING)}, ["parent"], "NOT_FOUND"),
        ({"collectionType": "SMART", "smartFilter": {"yearFrom": 96, "yearTo": 69}},
         ["smartFilter", "yearTo"], "INVALID"),
        ({"collectionType": "SMART", "smartFilter": {"acquisitionPriceMin": "500",
                                                     "acquisitionPriceMax": "100"}},
         ["smartFilter", "acquisitionPriceMax"], "INVALID"),
        ({"collectionType": "SMART", "smartFilter": {"reference": "cf. RIC I² 207"}},
         ["smartFilter", "reference"], "INVALID"),
        ({"collectionType": "SMART",
          "smartFilter": {"collection": [gid("Collection", 1), gid("Collection", MISSING)]}},
         ["smartFilter", "collection", "1"], "NOT_FOUND"),
    ],
)
async def test_create_collection_refuses_bad_input(
    shared_demo: GraphQLClient, given: dict[str, Any], field: list[str], code: str
) -> None:
    await error_at(shared_demo, "createCollection", {"name": "Antonine denarii", **given},
                   ["input", *field], code)


async def test_update_and_delete_collection_refusals(shared_demo: GraphQLClient) -> None:
    imperial, severan = gid("Collection", 3), gid("Collection", 8)
    before = await read(shared_demo, imperial)
    cases: list[Case] = [
        ({"id": imperial, "parent": severan}, ["parent"], "INVALID"),  # inside its own child
        ({"id": imperial, "parent": imperial}, ["parent"], "INVALID"),
        ({"id": imperial, "name": None}, ["name"], "REQUIRED"),
        ({"id": imperial, "smartFilter": None}, ["smartFilter"], "REQUIRED"),
        ({"id": imperial, "smartFilter": {"collection": [imperial]}},
         ["smartFilter", "collection"], "INVALID"),
        ({"id": imperial, "smartFilter": {"yearFrom": 200, "yearTo": -44}},
         ["smartFilter", "yearTo"], "INVALID"),
        ({"id": gid("Collection", 1), "collectionType": "SMART",
          "smartFilter": {"category": ["IMPERIAL"]}}, ["collectionType"], "INVALID"),
        ({"id": gid("Collection", MISSING), "name": "x"}, ["id"], "NOT_FOUND"),
        ({"id": gid("Collection", 1), "slug": "roman-imperial"}, ["slug"], "CONFLICT"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "updateCollection", given, ["input", *field], code)
    assert await read(shared_demo, imperial) == before
    assert "Collection" in await graphql_error(shared_demo, "updateCollection",
                                               {"id": gid("Coin", 1), "name": "x"})
    assert "Collection" in await graphql_error(shared_demo, "deleteCollection",
                                               {"id": gid("Series", 1)})
    assert "Collection" in await graphql_error(shared_demo, "createCollection",
                                               {"name": "x", "parent": gid("Coin", 1)})


async def test_nesting_is_bounded(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        parent = gid("Collection", 8)  # already level 2 (under Roman Imperial)
        for level in (3, 4, 5):
            payload = await run(client, "createCollection",
                                {"name": f"Level {level}", "parent": parent}, "collection { id }")
            parent = payload["collection"]["id"]
        await error_at(client, "createCollection", {"name": "Level 6", "parent": parent},
                       ["input", "parent"], "OUT_OF_RANGE")


async def test_membership_refusals_and_nothing_written(shared_demo: GraphQLClient) -> None:
    caesars, smart = gid("Collection", 1), gid("Collection", 3)
    before = await members(shared_demo, caesars)
    named_cases: list[NamedCase] = [
        ("addCoinsToCollection", {"collection": smart, "coins": coins(56)}, ["collection"],
         "INVALID"),
        ("addCoinsToCollection", {"collection": caesars, "coins": coins(59, MISSING)},
         ["coins", "1"], "NOT_FOUND"),
        ("addCoinsToCollection", {"collection": gid("Collection", MISSING), "coins": coins(56)},
         ["collection"], "NOT_FOUND"),
        ("removeCoinsFromCollection", {"collection": smart, "coins": coins(56)}, ["collection"],
         "INVALID"),
        ("removeCoinsFromCollection",
         {"collection": gid("Collection", MISSING), "coins": coins(56)}, ["collection"],
         "NOT_FOUND"),
        ("reorderCollection", {"collection": caesars, "coins": coins(34, 45)}, ["coins"],
         "INVALID"),
        ("reorderCollection", {"collection": caesars,
                               "coins": coins(34, 34, 45, 48, 52, 54, 55, 56, 57, 58)},
         ["coins"], "INVALID"),
        ("reorderCollection", {"collection": smart, "coins": []}, ["collection"], "INVALID"),
    ]
    for name, given, field, code in named_cases:
        await error_at(shared_demo, name, given, ["input", *field], code)
    # A refused add of a valid and a missing coin adds neither.
    assert await members(shared_demo, caesars) == before
    for name in ("addCoinsToCollection", "removeCoinsFromCollection", "reorderCollection"):
        assert "Coin" in await graphql_error(
            shared_demo, name, {"collection": caesars, "coins": [caesars]})
        assert "Collection" in await graphql_error(
            shared_demo, name, {"collection": gid("Coin", 1), "coins": coins(56)})
    errors = await refused(shared_demo, "addCoinsToCollection",
                           {"collection": caesars, "coins": coins(59, MISSING)},
                           "collection { id }")
    assert errors[0]["code"] == "NOT_FOUND"
