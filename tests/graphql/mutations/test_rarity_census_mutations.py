"""Rarity assessments (one primary per coin, the coin's rarity follows it) and census snapshots.

Demo coins used: 52, a Claudius as with no assessment; 56, a Vespasian denarius rated S
(market frequency, primary) and C (RIC II.1²); 34, a Julius Caesar denarius (Crawford 443/1)
in an NGC Ch XF 5/5 - 4/5 holder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.graphql.mutations import (
    MISSING,
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


READ_COIN = """query Coin($id: ID!) { coin(id: $id) {
  rarity
  rarityAssessments { id rarityCode isPrimary sourceName confidence }
  primaryRarity { id rarityCode }
  censusSnapshots { id service snapshotDate totalGraded gradeBreakdown coinsAtGrade coinsFiner
                    percentile catalogReference }
} }"""
ASSESSMENT = "rarityAssessment { id rarityCode isPrimary confidence } coin { rarity }"
FUTURE = (date.today() + timedelta(days=3)).isoformat()
RIC = {"rarityCode": "R2", "raritySystem": "RIC", "sourceType": "CATALOG",
       "sourceName": "RIC I² (1984), p. 127"}


async def coin(client: GraphQLClient, database_id: int) -> dict[str, Any]:
    return (await query(client, READ_COIN, id=gid("Coin", database_id)))["coin"]


def one_primary(state: dict[str, Any]) -> str | None:
    """At most one primary (exactly one when there are assessments); its code."""
    rows = state["rarityAssessments"]
    primary = [r for r in rows if r["isPrimary"]]
    assert len(primary) == (1 if rows else 0), rows
    if not rows:
        assert state["primaryRarity"] is None and state["rarity"] is None
        return None
    assert state["primaryRarity"]["id"] == primary[0]["id"]
    return str(primary[0]["rarityCode"])


async def test_rarity_assessments_keep_one_primary_and_the_coin_follows(
    demo_db_copy: str,
) -> None:
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 52)
        first = await run(client, "addRarityAssessment", {"coin": c, **RIC}, ASSESSMENT)
        # A coin's first assessment is primary whatever the input says; medium by default.
        assert first["rarityAssessment"]["isPrimary"] is True
        assert first["rarityAssessment"]["confidence"] == "MEDIUM"
        assert first["coin"] == {"rarity": "RARE"}
        second = await run(client, "addRarityAssessment", {
            "coin": c, "rarityCode": "RRR", "raritySystem": "MARKET_FREQUENCY",
            "sourceType": "AUCTION_ANALYSIS", "sourceName": "acsearch 2010-2024",
            "sourceDate": "2024-03-01", "isPrimary": True, "confidence": "HIGH",
            "censusTotal": 12, "censusThisGrade": 3, "censusFiner": 2,
            "gradeRangeLow": "F", "gradeRangeHigh": "XF",
        }, ASSESSMENT)
        assert second["coin"] == {"rarity": "EXTREMELY_RARE"}
        state = await coin(client, 52)
        assert one_primary(state) == "RRR"
        first_id, second_id = (first["rarityAssessment"]["id"], second["rarityAssessment"]["id"])

        taken = await run(client, "updateRarityAssessment",
                          {"id": first_id, "isPrimary": True, "sourceName": None}, ASSESSMENT)
        assert taken["rarityAssessment"]["isPrimary"] is True
        assert taken["coin"] == {"rarity": "RARE"}
        state = await coin(client, 52)
        assert one_primary(state) == "R2"
        assert next(r for r in state["rarityAssessments"] if r["id"] == first_id)[
            "sourceName"] is None

        await run(client, "updateRarityAssessment", {"id": first_id, "rarityCode": "R4"})
        assert (await coin(client, 52))["rarity"] == "EXTREMELY_RARE"

        removed = await run(client, "removeRarityAssessment", {"id": first_id},
                            "removedRarityAssessmentId coin { rarity }")
        assert removed["removedRarityAssessmentId"] == first_id
        state = await coin(client, 52)
        assert one_primary(state) == "RRR"  # the one left takes over
        assert state["rarity"] == "EXTREMELY_RARE"
        await run(client, "removeRarityAssessment", {"id": second_id})
        assert one_primary(await coin(client, 52)) is None


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"gradeRangeLow": "AU", "gradeRangeHigh": "VF"}, ["gradeRangeHigh"], "INVALID"),
        ({"gradeRangeLow": "nicely toned"}, ["gradeRangeLow"], "INVALID"),
        ({"censusTotal": 10, "censusThisGrade": 8, "censusFiner": 5}, ["censusThisGrade"],
         "INVALID"),
        ({"censusTotal": -1}, ["censusTotal"], "OUT_OF_RANGE"),
        ({"sourceUrl": "www.acsearch.info/search.html"}, ["sourceUrl"], "INVALID"),
        ({"sourceDate": FUTURE}, ["sourceDate"], "OUT_OF_RANGE"),
        ({"censusDate": FUTURE}, ["censusDate"], "OUT_OF_RANGE"),
        ({"isPrimary": None, "notes": "x" * 10, "sourceUrl": "mailto:x@y.z"}, ["sourceUrl"],
         "INVALID"),
    ],
)
async def test_add_rarity_assessment_refuses_bad_input(
    shared_demo: GraphQLClient, given: dict[str, Any], field: list[str], code: str
) -> None:
    await error_at(shared_demo, "addRarityAssessment", {"coin": gid("Coin", 56), **RIC, **given},
                   ["input", *field], code)


async def test_update_and_remove_rarity_refusals(shared_demo: GraphQLClient) -> None:
    before = await coin(shared_demo, 56)
    primary = before["primaryRarity"]["id"]
    other = next(r["id"] for r in before["rarityAssessments"] if not r["isPrimary"])
    await error_at(shared_demo, "updateRarityAssessment", {"id": primary, "isPrimary": False},
                   ["input", "isPrimary"], "CONFLICT")
    await error_at(shared_demo, "updateRarityAssessment", {"id": other, "isPrimary": None},
                   ["input", "isPrimary"], "REQUIRED")
    await error_at(shared_demo, "updateRarityAssessment", {"id": other, "rarityCode": None},
                   ["input", "rarityCode"], "REQUIRED")
    await error_at(shared_demo, "updateRarityAssessment",
                   {"id": other, "censusTotal": 4, "censusFiner": 5},
                   ["input", "censusFiner"], "INVALID")
    missing = gid("RarityAssessment", MISSING)
    await error_at(shared_demo, "updateRarityAssessment", {"id": missing, "notes": "x"},
                   ["input", "id"], "NOT_FOUND")
    await error_at(shared_demo, "removeRarityAssessment", {"id": missing}, ["input", "id"],
                   "NOT_FOUND")
    await error_at(shared_demo, "addRarityAssessment", {"coin": gid("Coin", MISSING), **RIC},
                   ["input", "coin"], "NOT_FOUND")
    assert "RarityAssessment" in await graphql_error(
        shared_demo, "removeRarityAssessment", {"id": gid("CensusSnapshot", 1)})
    assert "Coin" in await graphql_error(
        shared_demo, "addRarityAssessment", {"coin": gid("RarityAssessment", 9), **RIC})
    # Nothing of the refused writes is left: the coin reads exactly as before.
    assert await coin(shared_demo, 56) == before


CENSUS = {
    "service": "NGC", "snapshotDate": "2025-06-01", "totalGraded": 100,
    "gradeBreakdown": {"VF": 10, "Ch VF": 20, "XF": 30, "Ch XF": 25, "AU": 10, "Ch AU": 5},
    "catalogReference": "Crawford 443/1",
}
SNAPSHOT = """censusSnapshot { id service totalGraded coinsAtGrade coinsFiner percentile
  gradeBreakdown catalogReference } coin { databaseId }"""


async def test_add_and_remove_census_snapshot(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        payload = await run(client, "addCensusSnapshot", {"coin": gid("Coin", 34), **CENSUS},
                            SNAPSHOT)
        snap = payload["censusSnapshot"]
        # The coin is Ch XF: 25 at its grade, AU 10 + Ch AU 5 finer, 60 % strictly below.
        assert (snap["coinsAtGrade"], snap["coinsFiner"], snap["percentile"]) == (
            25, 15, "60.00")
        assert snap["gradeBreakdown"] == CENSUS["gradeBreakdown"]
        assert payload["coin"] == {"databaseId": 34}
        state = await coin(client, 34)
        assert snap["id"] in [s["id"] for s in state["censusSnapshots"]]
        # Given figures win over the computed ones.
        given = await run(client, "addCensusSnapshot", {
            "coin": gid("Coin", 34), "service": "PCGS", "snapshotDate": "2024-01-15",
            "totalGraded": 40, "coinsAtGrade": 4, "coinsFiner": 6,
        }, SNAPSHOT)
        assert given["censusSnapshot"]["percentile"] == "75.00"

        removed = await run(client, "removeCensusSnapshot", {"id": snap["id"]},
                            "removedCensusSnapshotId coin { databaseId }")
        assert removed["removedCensusSnapshotId"] == snap["id"]
        state = await coin(client, 34)
        assert snap["id"] not in [s["id"] for s in state["censusSnapshots"]]
        await error_at(client, "removeCensusSnapshot", {"id": snap["id"]}, ["input", "id"],
                       "NOT_FOUND")


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"service": "DEALER"}, ["service"], "INVALID"),
        ({"totalGraded": -3, "gradeBreakdown": None}, ["totalGraded"], "OUT_OF_RANGE"),
        ({"totalGraded": 99}, ["gradeBreakdown"], "INVALID"),  # counts add up to 100
        ({"gradeBreakdown": {"VF": 50, "Very nice": 50}}, ["gradeBreakdown"], "INVALID"),
        ({"gradeBreakdown": {"Ch VF": 50, "Choice VF": 50}}, ["gradeBreakdown"], "INVALID"),
        ({"gradeBreakdown": {"VF": 101, "XF": -1}}, ["gradeBreakdown"], "INVALID"),
        ({"gradeBreakdown": [1, 2]}, ["gradeBreakdown"], "INVALID"),
        ({"gradeBreakdown": None, "coinsAtGrade": 60, "coinsFiner": 50}, ["coinsFiner"],
         "INVALID"),
        ({"coinsAtGrade": -1}, ["coinsAtGrade"], "OUT_OF_RANGE"),
        ({"snapshotDate": FUTURE}, ["snapshotDate"], "OUT_OF_RANGE"),
    ],
)
async def test_add_census_snapshot_refuses_bad_input(
    shared_demo: GraphQLClient, given: dict[str, Any], field: list[str], code: str
) -> None:
    await error_at(shared_demo, "addCensusSnapshot",
                   {"coin": gid("Coin", 34), **CENSUS, **given}, ["input", *field], code)


async def test_census_not_found_wrong_type_and_nothing_written(
    shared_demo: GraphQLClient,
) -> None:
    before = await coin(shared_demo, 34)
    await error_at(shared_demo, "addCensusSnapshot", {"coin": gid("Coin", MISSING), **CENSUS},
                   ["input", "coin"], "NOT_FOUND")
    await error_at(shared_demo, "removeCensusSnapshot", {"id": gid("CensusSnapshot", MISSING)},
                   ["input", "id"], "NOT_FOUND")
    assert "CensusSnapshot" in await graphql_error(
        shared_demo, "removeCensusSnapshot", {"id": gid("Coin", 34)})
    errors = await refused(shared_demo, "addCensusSnapshot",
                           {"coin": gid("Coin", 34), **CENSUS, "snapshotDate": FUTURE}, SNAPSHOT)
    assert errors[0]["code"] == "OUT_OF_RANGE"
    assert await coin(shared_demo, 34) == before
