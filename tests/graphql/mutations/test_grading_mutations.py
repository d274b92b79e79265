"""addGradingEvent / updateGradingEvent / removeGradingEvent through the API.

Demo coins used: 52, a Claudius as graded VF by the dealer (raw, one undated initial
entry); 48, a Tiberius denarius slabbed by NGC in 2015 (Ch VF 4/5 - 3/5, 3791206-007) and
regraded XF 5/5 - 4/5 in 2021 (4718230-012); 57, a Titus denarius in a PCGS AU53 holder.
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


EVENT = """gradingEvent { id eventType gradingState grade gradeService certificationNumber
  strikeQuality surfaceQuality gradeNumeric verificationUrl gradedDate sequenceOrder isCurrent }"""
COIN = """coin(id: $id) {
  grade gradeService gradingState certificationNumber strikeQuality surfaceQuality holderType
  tpgGrading { ngcStrikeGrade ngcSurfaceGrade isFineStyle gradeNumeric verificationUrl }
  gradingHistory { id eventType grade gradeService certificationNumber sequenceOrder isCurrent }
  currentGrading { id grade }
  fieldHistory(limit: 100) { id fieldName batchId }
}"""
READ_COIN = f"query Coin($id: ID!) {{ {COIN} }}"
FUTURE = (date.today() + timedelta(days=3)).isoformat()


async def coin(client: GraphQLClient, database_id: int) -> dict[str, Any]:
    data = await query(client, READ_COIN, id=gid("Coin", database_id))
    return data["coin"]


def one_current(state: dict[str, Any]) -> None:
    """Exactly one current entry, the last one, and the coin's columns follow it."""
    history = state["gradingHistory"]
    current = [e for e in history if e["isCurrent"]]
    assert len(current) == 1, history
    assert current[0] == history[-1]
    assert [e["sequenceOrder"] for e in history] == list(range(len(history)))
    assert state["currentGrading"]["id"] == current[0]["id"]
    assert (state["grade"], state["gradeService"]) == (
        current[0]["grade"], current[0]["gradeService"]
    )


async def test_add_grading_event_slabs_the_coin_and_the_coin_follows(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        payload = await run(client, "addGradingEvent", {
            "coin": gid("Coin", 52),
            "eventType": "INITIAL",
            "gradeService": "NGC",
            "grade": "Ch VF 4/5 - 3/5",
            "certificationNumber": "4373951011",  # typed without the dash
            "gradedDate": "2024-05-10",
            "gradingFee": "45.00",
            "turnaroundDays": 41,
        }, f"{EVENT} coin {{ grade gradeService gradingState holderType }}")
        event = payload["gradingEvent"]
        assert event["eventType"] == "INITIAL"
        assert event["gradingState"] == "SLABBED"
        assert event["certificationNumber"] == "4373951-011"
        assert (event["strikeQuality"], event["surfaceQuality"]) == ("4", "3")
        assert event["verificationUrl"] == "https://www.ngccoin.com/certlookup/4373951-011/"
        assert (event["sequenceOrder"], event["isCurrent"]) == (1, True)
        assert payload["coin"] == {"grade": "Ch VF 4/5 - 3/5", "gradeService": "NGC",
                                   "gradingState": "SLABBED", "holderType": "NGC_SLAB"}

        state = await coin(client, 52)
        one_current(state)
        assert [e["eventType"] for e in state["gradingHistory"]] == ["INITIAL", "INITIAL"]
        assert state["certificationNumber"] == "4373951-011"
        assert (state["strikeQuality"], state["surfaceQuality"]) == (4, 3)
        assert state["tpgGrading"]["ngcStrikeGrade"] == 4
        assert state["tpgGrading"]["verificationUrl"] == (
            "https://www.ngccoin.com/certlookup/4373951-011/"
        )
        synced = {f["fieldName"] for f in state["fieldHistory"]}
        assert {"grade", "grade_service", "grading_state", "certification_number"} <= synced


async def test_update_grading_event_changes_the_current_entry_and_the_coin(
    demo_db_copy: str,
) -> None:
    async with graphql_client(demo_db_copy) as client:
        before = await coin(client, 48)
        regrade = before["gradingHistory"][-1]
        payload = await run(client, "updateGradingEvent", {
            "id": regrade["id"], "grade": "Ch XF 5/5 - 5/5", "gradeNumeric": 45, "notes": None,
        }, EVENT)
        assert payload["gradingEvent"]["grade"] == "Ch XF 5/5 - 5/5"
        assert payload["gradingEvent"]["surfaceQuality"] == "5"
        # Omitted fields stay: the certificate is untouched.
        assert payload["gradingEvent"]["certificationNumber"] == "4718230-012"
        state = await coin(client, 48)
        one_current(state)
        assert state["grade"] == "Ch XF 5/5 - 5/5"
        assert state["tpgGrading"]["ngcSurfaceGrade"] == 5
        assert state["tpgGrading"]["gradeNumeric"] == 45


async def test_changing_the_grade_text_does_not_trip_over_the_stored_numeric(
    demo_db_copy: str,
) -> None:
    async with graphql_client(demo_db_copy) as client:
        regrade = (await coin(client, 48))["gradingHistory"][-1]["id"]
        await run(client, "updateGradingEvent", {"id": regrade, "grade": "Ch XF 5/5 - 5/5"})
        assert (await coin(client, 48))["grade"] == "Ch XF 5/5 - 5/5"


async def test_remove_grading_event_makes_the_previous_one_current(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        before = await coin(client, 48)
        regrade = before["gradingHistory"][-1]["id"]
        payload = await run(client, "removeGradingEvent", {"id": regrade},
                            "removedGradingEventId coin { grade certificationNumber }")
        assert payload["removedGradingEventId"] == regrade
        assert payload["coin"] == {"grade": "Ch VF 4/5 - 3/5",
                                   "certificationNumber": "3791206-007"}
        state = await coin(client, 48)
        one_current(state)
        assert len(state["gradingHistory"]) == 1
        data = await query(client, "query($id: ID!) { node(id: $id) { id } }", id=regrade)
        assert data["node"] is None
        # Removed again: the ID is well-formed but names nothing any more.
        await error_at(client, "removeGradingEvent", {"id": regrade}, ["input", "id"], "NOT_FOUND")


async def test_one_current_entry_through_a_grading_life(demo_db_copy: str) -> None:
    """Raw → NGC → crossover to PCGS → crack-out → regraded raw, edited and unwound."""
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 52)
        steps = [
            {"eventType": "INITIAL", "gradeService": "NGC", "grade": "Ch VF 4/5 - 3/5",
             "certificationNumber": "4373951-011", "gradedDate": "2019-03-01"},
            {"eventType": "CROSSOVER", "gradeService": "PCGS", "grade": "VF35",
             "certificationNumber": "45019277", "gradedDate": "2021-06-15"},
            {"eventType": "CRACK_OUT", "gradedDate": "2023-01-20"},
        ]
        ids = []
        for step in steps:
            payload = await run(client, "addGradingEvent", {"coin": c, **step},
                                "gradingEvent { id }")
            ids.append(payload["gradingEvent"]["id"])
            one_current(await coin(client, 52))
        state = await coin(client, 52)
        assert (state["gradingState"], state["gradeService"]) == ("RAW", None)
        assert state["holderType"] == "RAW"
        # An undated event slotted in by date: an earlier NGC regrade between initial and
        # crossover is a regrade of the NGC slab (service inherited).
        await run(client, "addGradingEvent", {
            "coin": c, "eventType": "REGRADE", "grade": "Ch VF 5/5 - 3/5",
            "certificationNumber": "4373951-012", "gradedDate": "2020-02-02",
        })
        one_current(await coin(client, 52))
        await run(client, "updateGradingEvent", {"id": ids[1], "grade": "VF30"})
        one_current(await coin(client, 52))
        await run(client, "removeGradingEvent", {"id": ids[2]})
        state = await coin(client, 52)
        one_current(state)
        assert (state["gradeService"], state["grade"]) == ("PCGS", "VF30")
        assert state["holderType"] == "PCGS_SLAB"


@pytest.mark.parametrize(
    ("coin_id", "given", "field", "code"),
    [
        # A slabbed coin's next event cannot be an initial grading.
        (48, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "AU",
              "certificationNumber": "4373951-011"}, ["eventType"], "INVALID"),
        # A crossover needs the new holder's certificate.
        (48, {"eventType": "CROSSOVER", "gradeService": "PCGS", "grade": "XF45"},
         ["certificationNumber"], "REQUIRED"),
        # A crossover changes the service.
        (48, {"eventType": "CROSSOVER", "gradeService": "NGC", "grade": "AU",
              "certificationNumber": "4373951-011"}, ["gradeService"], "INVALID"),
        # A regrade keeps the service.
        (57, {"eventType": "REGRADE", "gradeService": "NGC", "grade": "AU",
              "certificationNumber": "4373951-011"}, ["gradeService"], "INVALID"),
        # Only a slabbed coin can be cracked out.
        (52, {"eventType": "CRACK_OUT"}, ["eventType"], "INVALID"),
        # A crack-out has no service, no certificate.
        (48, {"eventType": "CRACK_OUT", "gradeService": "NGC"}, ["gradeService"], "INVALID"),
        (48, {"eventType": "CRACK_OUT", "certificationNumber": "4718230-012"},
         ["certificationNumber"], "INVALID"),
        # NGC grades come in the slab.
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "gradingState": "RAW",
              "grade": "VF"}, ["gradingState"], "INVALID"),
        # A slabbed coin has a grade.
        (52, {"eventType": "INITIAL", "gradeService": "NGC",
              "certificationNumber": "4373951-011"}, ["grade"], "REQUIRED"),
        # NGC certificates are 7 digits, a dash and 3 digits.
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "VF",
              "certificationNumber": "437395"}, ["certificationNumber"], "INVALID"),
        # A certificate needs the service that issued it.
        (52, {"eventType": "INITIAL", "grade": "VF", "certificationNumber": "4373951-011"},
         ["gradeService"], "REQUIRED"),
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "Choice Nice",
              "certificationNumber": "4373951-011"}, ["grade"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "Ch XF 5/5 - 4/5",
              "strikeQuality": 3, "certificationNumber": "4373951-011"},
         ["strikeQuality"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "XF",
              "strikeQuality": 6, "certificationNumber": "4373951-011"},
         ["strikeQuality"], "OUT_OF_RANGE"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "gradeNumeric": 75,
              "certificationNumber": "45019277"}, ["gradeNumeric"], "OUT_OF_RANGE"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "grade": "XF", "gradeNumeric": 62,
              "certificationNumber": "45019277"}, ["gradeNumeric"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "grade": "XF45",
              "photoCert": True, "certificationNumber": "45019277"}, ["photoCert"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "grade": "XF45 Fine Style",
              "certificationNumber": "45019277"}, ["grade"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "grade": "XF45",
              "hasStar": True, "certificationNumber": "45019277"}, ["hasStar"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "PCGS", "grade": "XF45",
              "designation": "Fine Style", "certificationNumber": "45019277"},
         ["designation"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "NGC", "grade": "XF",
              "certificationNumber": "4373951-011",
              "verificationUrl": "https://www.ngccoin.com/certlookup/9999999-999/"},
         ["verificationUrl"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "VF",
              "verificationUrl": "ftp://example.com/x"}, ["verificationUrl"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "VF",
              "gradedDate": FUTURE}, ["gradedDate"], "OUT_OF_RANGE"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "VF",
              "gradingFee": "-5.00"}, ["gradingFee"], "OUT_OF_RANGE"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "VF",
              "gradingFee": "5.005"}, ["gradingFee"], "INVALID"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "VF",
              "turnaroundDays": -1}, ["turnaroundDays"], "OUT_OF_RANGE"),
        (52, {"eventType": "INITIAL", "gradeService": "SELF", "grade": "x" * 51},
         ["grade"], "OUT_OF_RANGE"),
    ],
)
async def test_add_grading_event_refuses_bad_input(
    shared_demo: GraphQLClient, coin_id: int, given: dict[str, Any], field: list[str], code: str
) -> None:
    await error_at(shared_demo, "addGradingEvent", {"coin": gid("Coin", coin_id), **given},
                   ["input", *field], code)


async def test_update_and_remove_refuse_what_breaks_the_lifecycle(
    shared_demo: GraphQLClient,
) -> None:
    history = (await coin(shared_demo, 48))["gradingHistory"]
    initial, regrade = history[0]["id"], history[1]["id"]
    await error_at(shared_demo, "updateGradingEvent", {"id": regrade, "eventType": None},
                   ["input", "eventType"], "REQUIRED")
    # Moving the NGC initial after the regrade would make the regrade come first.
    await error_at(shared_demo, "updateGradingEvent", {"id": initial, "gradedDate": "2022-01-01"},
                   ["input", "gradedDate"], "CONFLICT")
    await error_at(shared_demo, "updateGradingEvent", {"id": regrade, "gradeNumeric": 0},
                   ["input", "gradeNumeric"], "OUT_OF_RANGE")
    # Without the initial, the regrade would be the coin's first event.
    await error_at(shared_demo, "removeGradingEvent", {"id": initial}, ["input", "id"],
                   "CONFLICT")
    assert (await coin(shared_demo, 48))["gradingHistory"] == history


async def test_not_found_and_wrong_id_types(shared_demo: GraphQLClient) -> None:
    missing_event = gid("GradingEvent", MISSING)
    await error_at(shared_demo, "addGradingEvent",
                   {"coin": gid("Coin", MISSING), "eventType": "INITIAL"},
                   ["input", "coin"], "NOT_FOUND")
    await error_at(shared_demo, "updateGradingEvent", {"id": missing_event, "grade": "VF"},
                   ["input", "id"], "NOT_FOUND")
    await error_at(shared_demo, "removeGradingEvent", {"id": missing_event},
                   ["input", "id"], "NOT_FOUND")
    message = await graphql_error(shared_demo, "addGradingEvent",
                                  {"coin": gid("GradingEvent", 48), "eventType": "INITIAL"})
    assert "must be the ID of a Coin" in message
    assert "GradingEvent" in await graphql_error(
        shared_demo, "updateGradingEvent", {"id": gid("Coin", 48), "grade": "VF"}
    )
    assert "GradingEvent" in await graphql_error(
        shared_demo, "removeGradingEvent", {"id": gid("CoinReference", 1)}
    )


async def test_refused_add_leaves_history_coin_and_field_history_unchanged(
    shared_demo: GraphQLClient,
) -> None:
    before = await coin(shared_demo, 52)
    errors = await refused(shared_demo, "addGradingEvent", {
        "coin": gid("Coin", 52), "eventType": "INITIAL", "gradeService": "NGC",
        "grade": "Ch XF 5/5 - 4/5", "certificationNumber": "4373951-011", "surfaceQuality": 2,
    }, EVENT)
    assert errors[0]["field"] == ["input", "surfaceQuality"]
    assert await coin(shared_demo, 52) == before
