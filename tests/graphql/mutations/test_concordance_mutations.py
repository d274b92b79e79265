"""linkConcordance / unlinkConcordance: groups merge and split; reference filters follow.

In the demo, RIC I² 207 = RSC I 43 = BMCRE I 533 = SRCV I 1597 (Augustus, C L CAESARES) form
one group; the Claudius as RIC I² 100 (type 119) and BMCRE I 149 (type 120) form none.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.graphql.mutations import (
    MISSING,
    Case,
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


LINKED = "concordanceGroupId referenceTypes { id localRef concordanceGroupId }"
CONCORDANCE = """query C($ref: String!) { concordance(reference: $ref) {
  localRef concordanceGroupId concordance { localRef } } }"""
RIC_100, BMCRE_149 = gid("ReferenceType", 119), gid("ReferenceType", 120)
AUGUSTUS = ["BMCRE I 533", "RIC I² 207", "RSC I 43", "SRCV I 1597"]


async def equivalents(client: GraphQLClient, citation: str) -> list[str]:
    rows = (await query(client, CONCORDANCE, ref=citation))["concordance"]
    return sorted(r["localRef"] for r in rows)


async def group_of(client: GraphQLClient, citation: str) -> str | None:
    rows = (await query(client, CONCORDANCE, ref=citation))["concordance"]
    groups = {r["concordanceGroupId"] for r in rows}
    assert len(groups) == 1, rows
    return groups.pop()


async def types_matching(client: GraphQLClient, search: str) -> int:
    data = await query(client, "query($s: String) { referenceTypes(search: $s) { totalCount } }",
                       s=search)
    return int(data["referenceTypes"]["totalCount"])


async def test_link_by_ids_and_by_citations_then_merge_and_split(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        augustus_group = await group_of(client, "RIC I² 207")
        linked = await run(client, "linkConcordance", {
            "referenceTypes": [RIC_100, BMCRE_149], "source": "LITERATURE", "confidence": 0.9,
            "notes": "BMCRE I p. 185",
        }, LINKED)
        claudius_group = linked["concordanceGroupId"]
        assert sorted(t["localRef"] for t in linked["referenceTypes"]) == [
            "BMCRE I 149", "RIC I² 100"]
        assert {t["concordanceGroupId"] for t in linked["referenceTypes"]} == {claudius_group}
        assert await equivalents(client, "BMCRE I 149") == ["BMCRE I 149", "RIC I² 100"]
        rows = (await query(client, CONCORDANCE, ref="RIC I² 100"))["concordance"]
        ric = next(r for r in rows if r["localRef"] == "RIC I² 100")
        assert ric["concordance"] == [{"localRef": "BMCRE I 149"}]  # itself excluded

        # By citation: Cohen 84 is new to the catalogue and joins the Claudius group.
        assert await types_matching(client, "Cohen 84") == 0
        joined = await run(client, "linkConcordance", {"citations": ["Cohen 84", "RIC I² 100"]},
                           LINKED)
        assert joined["concordanceGroupId"] == claudius_group
        assert len(joined["referenceTypes"]) == 3
        assert await types_matching(client, "Cohen 84") == 1
        # Linking what is already together changes nothing.
        again = await run(client, "linkConcordance",
                          {"citations": ["cohen 84", "BMCRE 1 149"]}, LINKED)
        assert again["concordanceGroupId"] == claudius_group

        # Merge: one link across two groups makes one group (the older demo group's id).
        merged = await run(client, "linkConcordance",
                           {"citations": ["BMCRE I 149", "RSC I 43"]}, LINKED)
        assert merged["concordanceGroupId"] == augustus_group
        assert len(merged["referenceTypes"]) == 7
        everything = sorted([*AUGUSTUS, "BMCRE I 149", "Cohen 84", "RIC I² 100"])
        assert await equivalents(client, "Cohen 84") == everything
        assert await equivalents(client, "SRCV I 1597") == everything

        # Split: the types named leave; the rest stay equivalent.
        split = await run(client, "unlinkConcordance", {"referenceTypes": [RIC_100, BMCRE_149]},
                          "unlinkedReferenceTypes { localRef concordanceGroupId }")
        assert sorted(t["localRef"] for t in split["unlinkedReferenceTypes"]) == [
            "BMCRE I 149", "RIC I² 100"]
        assert all(t["concordanceGroupId"] is None for t in split["unlinkedReferenceTypes"])
        assert await equivalents(client, "RIC I² 100") == ["RIC I² 100"]
        assert await equivalents(client, "Cohen 84") == sorted([*AUGUSTUS, "Cohen 84"])


async def test_unlink_dissolves_a_group_of_one(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        await run(client, "linkConcordance", {"referenceTypes": [RIC_100, BMCRE_149]})
        left = await run(client, "unlinkConcordance", {"referenceTypes": [RIC_100]},
                         "unlinkedReferenceTypes { id }")
        # BMCRE I 149 was the last member: it leaves too.
        assert sorted(t["id"] for t in left["unlinkedReferenceTypes"]) == sorted(
            [RIC_100, BMCRE_149])
        assert await group_of(client, "BMCRE I 149") is None
        # Unlinking a type in no group is not an error; it names nothing that left.
        nothing = await run(client, "unlinkConcordance", {"referenceTypes": [RIC_100]},
                            "unlinkedReferenceTypes { id }")
        assert nothing["unlinkedReferenceTypes"] == []


async def test_link_refusals(shared_demo: GraphQLClient) -> None:
    augustus = gid("ReferenceType", 103)
    cases: list[Case] = [
        ({}, ["referenceTypes"], "REQUIRED"),
        ({"referenceTypes": [RIC_100, BMCRE_149], "citations": ["Cohen 84", "RIC I² 100"]},
         ["referenceTypes"], "INVALID"),
        ({"referenceTypes": [RIC_100, RIC_100]}, ["referenceTypes"], "INVALID"),
        ({"citations": ["RIC I² 100", "ric i(2) 100"]}, ["citations"], "INVALID"),
        ({"citations": ["RIC I² 100", "RIC I² 100 var."]}, ["citations", "1"], "INVALID"),
        ({"referenceTypes": [RIC_100, BMCRE_149], "confidence": 1.5}, ["confidence"],
         "OUT_OF_RANGE"),
        ({"referenceTypes": [RIC_100, BMCRE_149], "confidence": -0.1}, ["confidence"],
         "OUT_OF_RANGE"),
        ({"referenceTypes": [augustus, gid("ReferenceType", MISSING)]}, ["referenceTypes", "1"],
         "NOT_FOUND"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "linkConcordance", given, ["input", *field], code)
    await error_at(shared_demo, "unlinkConcordance", {"referenceTypes": []},
                   ["input", "referenceTypes"], "REQUIRED")
    await error_at(shared_demo, "unlinkConcordance",
                   {"referenceTypes": [RIC_100, gid("ReferenceType", MISSING)]},
                   ["input", "referenceTypes", "1"], "NOT_FOUND")
    message = await graphql_error(shared_demo, "linkConcordance",
                                  {"referenceTypes": [RIC_100, gid("Coin", 52)]})
    assert "must be the ID of a ReferenceType" in message
    assert "ReferenceType" in await graphql_error(
        shared_demo, "unlinkConcordance", {"referenceTypes": [gid("CoinReference", 105)]})
    assert await equivalents(shared_demo, "RIC I² 100") == ["RIC I² 100"]
    assert await equivalents(shared_demo, "RSC I 43") == AUGUSTUS


async def test_a_refused_link_creates_no_types(shared_demo: GraphQLClient) -> None:
    """One valid and one unreadable citation: the valid one must not be left in the catalogue."""
    assert await types_matching(shared_demo, "494/23") == 0
    errors = await refused(shared_demo, "linkConcordance",
                           {"citations": ["Crawford 494/23", "RSC I 43", "cf. RIC I² 207"]},
                           LINKED)
    assert errors[0]["field"] == ["input", "citations", "2"]
    assert await types_matching(shared_demo, "494/23") == 0
    # Refused for its confidence: nothing is created either.
    errors = await refused(shared_demo, "linkConcordance", {
        "citations": ["Crawford 494/23", "RSC I 43"], "confidence": 2.0})
    assert errors[0]["code"] == "OUT_OF_RANGE"
    assert await types_matching(shared_demo, "494/23") == 0
    assert await equivalents(shared_demo, "RSC I 43") == AUGUSTUS


async def test_smart_collection_on_a_citation_follows_the_concordance(demo_db_copy: str) -> None:
    """A `reference` filter matches concordant citations: linking moves coins into it."""
    filter_: dict[str, Any] = {"reference": "Cohen 84"}
    count = """query($f: CoinFilter) { coins(filter: $f) { totalCount } }"""
    async with graphql_client(demo_db_copy) as client:
        created = await run(client, "createCollection", {
            "name": "Claudius, Minerva asses", "collectionType": "SMART", "smartFilter": filter_,
        }, "collection { id coinCount }")
        collection = created["collection"]
        assert collection["coinCount"] == 0
        await run(client, "linkConcordance",
                  {"citations": ["RIC I² 100", "BMCRE I 149", "Cohen 84"]})
        total = (await query(client, count, f=filter_))["coins"]["totalCount"]
        assert total >= 1
        data = await query(client, "query($id: ID!) { collection(id: $id) { coinCount } }",
                           id=collection["id"])
        assert data["collection"]["coinCount"] == total
        await run(client, "unlinkConcordance", {"referenceTypes": [RIC_100, BMCRE_149]})
        data = await query(client, "query($id: ID!) { collection(id: $id) { coinCount } }",
                           id=collection["id"])
        assert data["collection"]["coinCount"] == 0


def test_the_source_enum_lists_what_the_service_accepts() -> None:
    from coinstack_graphql.graphql.references.inputs import ConcordanceSource
    from coinstack_graphql.references.concordance import CONCORDANCE_SOURCES

    assert [s.value for s in ConcordanceSource] == list(CONCORDANCE_SOURCES)
