"""Vocabulary terms, assigning them to coins, collecting series, and undoing field changes.

Demo data used: terms 86 Claudius and 89 Vespasian (issuer), 7 Julio-Claudian and 8 Flavian
(dynasty), 159 Rome (mint); coin 52 (Claudius as, Rome) and the Flavian denarii 56-58;
series 1 Twelve Caesars (12 slots, 9 filled).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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


TERM = "vocabTerm { id vocabulary canonicalName nomismaId nomismaUri description }"
TERMS = """query($v: Vocabulary, $s: String) { vocabTerms(vocabulary: $v, search: $s) {
  id canonicalName nomismaId description } }"""
COIN_TERMS = """query($id: ID!) { coin(id: $id) {
  issuer mintName issuerTerm { id } mintTerm { id } dynastyTerm { id canonicalName }
  secondaryAuthority { secondaryAuthority term { id } } coRuler { coRuler term { id } }
  weightG fieldHistory(limit: 200) { fieldName oldValue newValue batchId changeType changedBy }
} }"""
SERIES = """series { id name slug description seriesType targetCount isComplete slotCount
  filledCount completionPct slots { id slotNumber name coin { databaseId } } }"""
ALL_SERIES = f"{{ {SERIES} }}"
ISSUER_CLAUDIUS, ISSUER_VESPASIAN = gid("VocabTerm", 86), gid("VocabTerm", 89)
JULIO_CLAUDIAN, FLAVIAN, ROME = gid("VocabTerm", 7), gid("VocabTerm", 8), gid("VocabTerm", 159)


async def terms(client: GraphQLClient, search: str, vocabulary: str | None = None) -> list[Any]:
    return (await query(client, TERMS, v=vocabulary, s=search))["vocabTerms"]


async def coin_terms(client: GraphQLClient, coin_id: int) -> dict[str, Any]:
    return (await query(client, COIN_TERMS, id=gid("Coin", coin_id)))["coin"]


async def all_series(client: GraphQLClient) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in (await query(client, ALL_SERIES))["series"]}


async def test_create_and_update_vocab_terms(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        created = await run(client, "createVocabTerm", {
            "vocabulary": "ISSUER", "canonicalName": "Pescennius Niger",
            "nomismaId": "pescennius_niger", "description": "Usurper in the East, AD 193-194",
        }, TERM)
        term = created["vocabTerm"]
        assert term["nomismaUri"] == "http://nomisma.org/id/pescennius_niger"
        listed = await terms(client, "Pescennius", "ISSUER")
        assert [t["id"] for t in listed] == [term["id"]]

        updated = await run(client, "updateVocabTerm", {
            "id": term["id"], "description": None, "canonicalName": "Pescennius Niger Iustus",
        }, TERM)
        assert updated["vocabTerm"]["description"] is None
        assert updated["vocabTerm"]["nomismaId"] == "pescennius_niger"  # omitted: kept
        # An unused term may move to another vocabulary.
        moved = await run(client, "updateVocabTerm", {"id": term["id"], "vocabulary": "AUTHORITY"},
                          TERM)
        assert moved["vocabTerm"]["vocabulary"] == "AUTHORITY"
        # A term in use keeps its vocabulary but its other fields can change.
        await run(client, "updateVocabTerm",
                  {"id": ISSUER_CLAUDIUS, "description": "Tiberius Claudius Caesar Augustus"})
        assert (await terms(client, "Claudius", "ISSUER"))[0]["description"] == (
            "Tiberius Claudius Caesar Augustus")


async def test_vocab_term_refusals(shared_demo: GraphQLClient) -> None:
    cases: list[Case] = [
        ({"canonicalName": "claudius"}, ["canonicalName"], "CONFLICT"),  # case ignored
        ({"canonicalName": "  "}, ["canonicalName"], "REQUIRED"),
        ({"canonicalName": "x" * 201}, ["canonicalName"], "OUT_OF_RANGE"),
        ({"canonicalName": "Clodius Albinus", "nomismaId": "Clodius Albinus"}, ["nomismaId"],
         "INVALID"),
        ({"canonicalName": "Clodius Albinus", "nomismaId": "vespasian"}, ["nomismaId"],
         "CONFLICT"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "createVocabTerm", {"vocabulary": "ISSUER", **given},
                       ["input", *field], code)
    updates: list[Case] = [
        ({"id": ISSUER_CLAUDIUS, "vocabulary": "DYNASTY"}, ["vocabulary"], "CONFLICT"),
        ({"id": ISSUER_CLAUDIUS, "canonicalName": "Vespasian"}, ["canonicalName"], "CONFLICT"),
        ({"id": ISSUER_CLAUDIUS, "canonicalName": None}, ["canonicalName"], "REQUIRED"),
        ({"id": ISSUER_CLAUDIUS, "vocabulary": None}, ["vocabulary"], "REQUIRED"),
        ({"id": gid("VocabTerm", MISSING), "description": "x"}, ["id"], "NOT_FOUND"),
    ]
    for given, field, code in updates:
        await error_at(shared_demo, "updateVocabTerm", given, ["input", *field], code)
    assert await terms(shared_demo, "Clodius") == []
    assert (await terms(shared_demo, "Claudius", "ISSUER"))[0]["canonicalName"] == "Claudius"
    assert "VocabTerm" in await graphql_error(shared_demo, "updateVocabTerm",
                                              {"id": gid("Mint", 1), "description": "x"})


async def test_assign_vocab_term_and_undo_it(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 52)
        payload = await run(client, "assignVocabTerm",
                            {"coin": c, "field": "DYNASTY", "term": JULIO_CLAUDIAN},
                            "coin { dynastyTerm { canonicalName } } vocabTerm { id }")
        assert payload["coin"]["dynastyTerm"] == {"canonicalName": "Julio-Claudian"}
        assert payload["vocabTerm"] == {"id": JULIO_CLAUDIAN}
        # An empty text column takes the term's name.
        await run(client, "assignVocabTerm",
                  {"coin": c, "field": "SECONDARY_AUTHORITY", "term": ISSUER_VESPASIAN})
        state = await coin_terms(client, 52)
        assert state["secondaryAuthority"] == {"secondaryAuthority": "Vespasian",
                                               "term": {"id": ISSUER_VESPASIAN}}
        # Null clears the term; the collector's mint text stays.
        cleared = await run(client, "assignVocabTerm", {"coin": c, "field": "MINT", "term": None},
                            "coin { mintName mintTerm { id } } vocabTerm { id }")
        assert cleared == {"coin": {"mintName": "Rome", "mintTerm": None}, "vocabTerm": None,
                           "userErrors": []}
        history = (await coin_terms(client, 52))["fieldHistory"]
        change = next(h for h in history if h["fieldName"] == "mint_term_id")
        assert (change["oldValue"], change["newValue"]) == (159, None)
        assert change["changedBy"] == "anonymous"

        undone = await run(client, "undoFieldChanges", {"batchId": change["batchId"]},
                           "coin { mintTerm { id } }")
        assert undone["coin"] == {"mintTerm": {"id": ROME}}
        history = (await coin_terms(client, 52))["fieldHistory"]
        assert history[0]["changeType"] == "undo" and history[0]["newValue"] == 159
        # The batch's field has changed since (by the undo itself): undo the undo instead.
        await error_at(client, "undoFieldChanges", {"batchId": change["batchId"]},
                       ["input", "batchId"], "CONFLICT")
        await run(client, "undoFieldChanges", {"batchId": history[0]["batchId"]})
        assert (await coin_terms(client, 52))["mintTerm"] is None


async def test_undo_field_changes_of_a_coin_update(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        before = await coin_terms(client, 56)
        await run(client, "updateCoin", {"id": gid("Coin", 56), "weightG": "3.41"})
        batch = (await coin_terms(client, 56))["fieldHistory"][0]["batchId"]
        undone = await run(client, "undoFieldChanges",
                           {"batchId": batch, "coin": gid("Coin", 56)}, "coin { weightG }")
        assert undone["coin"] == {"weightG": before["weightG"]}
        await error_at(client, "undoFieldChanges", {"batchId": batch, "coin": gid("Coin", 57)},
                       ["input", "batchId"], "NOT_FOUND")


async def test_undo_refuses_a_batch_the_grading_history_wrote(demo_db_copy: str) -> None:
    read = """query($id: ID!) { coin(id: $id) { gradeService gradingState grade
      currentGrading { gradeService gradingState grade } fieldHistory { batchId changeType } } }"""
    async with graphql_client(demo_db_copy) as client:
        await run(client, "addGradingEvent", {
            "coin": gid("Coin", 52), "eventType": "INITIAL", "gradeService": "NGC",
            "grade": "Ch VF 4/5 - 3/5", "certificationNumber": "4373951-011"})
        state = (await query(client, read, id=gid("Coin", 52)))["coin"]
        synced = state["fieldHistory"][0]
        assert synced["changeType"] == "grading_sync"
        errors = await refused(client, "undoFieldChanges", {"batchId": synced["batchId"]})
        assert errors[0]["field"] == ["input", "batchId"]
        after = (await query(client, read, id=gid("Coin", 52)))["coin"]
        current = after["currentGrading"]
        assert (after["gradeService"], after["gradingState"], after["grade"]) == (
            current["gradeService"], current["gradingState"], current["grade"])


async def test_assign_and_undo_refusals(shared_demo: GraphQLClient) -> None:
    c = gid("Coin", 52)
    before = await coin_terms(shared_demo, 52)
    cases: list[Case] = [
        ({"coin": c, "field": "ISSUER", "term": ROME}, ["term"], "INVALID"),  # a mint term
        ({"coin": c, "field": "DYNASTY", "term": ISSUER_CLAUDIUS}, ["term"], "INVALID"),
        ({"coin": c, "field": "ISSUER"}, ["term"], "REQUIRED"),
        ({"coin": c, "field": "ISSUER", "term": gid("VocabTerm", MISSING)}, ["term"],
         "NOT_FOUND"),
        ({"coin": gid("Coin", MISSING), "field": "ISSUER", "term": ISSUER_CLAUDIUS}, ["coin"],
         "NOT_FOUND"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "assignVocabTerm", given, ["input", *field], code)
    assert "VocabTerm" in await graphql_error(shared_demo, "assignVocabTerm",
                                              {"coin": c, "field": "ISSUER", "term": c})
    assert "Coin" in await graphql_error(shared_demo, "assignVocabTerm",
                                         {"coin": ROME, "field": "MINT", "term": ROME})
    await error_at(shared_demo, "undoFieldChanges",
                   {"batchId": "00000000-0000-4000-8000-000000000000"}, ["input", "batchId"],
                   "NOT_FOUND")
    assert "Coin" in await graphql_error(shared_demo, "undoFieldChanges",
                                         {"batchId": "x", "coin": ROME})
    assert await coin_terms(shared_demo, 52) == before


async def test_series_slots_fill_and_complete(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        created = await run(client, "createSeries", {
            "name": "Flavian dynasty", "seriesType": "dynasty", "targetCount": 3,
            "canonicalVocab": FLAVIAN, "description": "Vespasian and his sons",
        }, SERIES)
        series = created["series"]
        assert (series["slug"], series["slotCount"], series["isComplete"]) == (
            "flavian-dynasty", 0, False)
        sid = series["id"]
        slots = []
        for emperor in ("Vespasian", "Titus", "Domitian"):
            payload = await run(client, "addSeriesSlot", {"series": sid, "name": emperor},
                                "slot { id slotNumber } series { slotCount }")
            slots.append(payload["slot"]["id"])
        assert payload["slot"]["slotNumber"] == 3 and payload["series"]["slotCount"] == 3

        for slot, coin_id in zip(slots, (56, 57, 58), strict=True):
            filled = await run(client, "fillSeriesSlot",
                               {"slot": slot, "coin": gid("Coin", coin_id), "notes": "ex CNG"},
                               "slot { coin { databaseId } } series { filledCount isComplete } "
                               "coin { databaseId }")
            assert filled["slot"]["coin"] == filled["coin"] == {"databaseId": coin_id}
        assert filled["series"] == {"filledCount": 3, "isComplete": True}
        state = (await all_series(client))[sid]
        assert (state["completionPct"], state["isComplete"]) == (100.0, True)

        # Taken slot and a coin in another slot are conflicts, unless replace.
        await error_at(client, "fillSeriesSlot", {"slot": slots[1], "coin": gid("Coin", 59)},
                       ["input", "slot"], "CONFLICT")
        cleared = await run(client, "clearSeriesSlot", {"slot": slots[2]},
                            "slot { coin { databaseId } } series { isComplete filledCount }")
        assert cleared["slot"]["coin"] is None
        assert cleared["series"] == {"isComplete": False, "filledCount": 2}
        await error_at(client, "fillSeriesSlot", {"slot": slots[2], "coin": gid("Coin", 56)},
                       ["input", "coin"], "CONFLICT")
        moved = await run(client, "fillSeriesSlot",
                          {"slot": slots[2], "coin": gid("Coin", 56), "replace": True},
                          "series { slots { coin { databaseId } } }")
        assert [s["coin"] for s in moved["series"]["slots"]] == [
            None, {"databaseId": 57}, {"databaseId": 56}]

        removed = await run(client, "removeSeriesSlot", {"id": slots[0]},
                            "removedSlotId series { slotCount isComplete }")
        assert removed == {"removedSlotId": slots[0], "userErrors": [],
                           "series": {"slotCount": 2, "isComplete": True}}

        updated = await run(client, "updateSeries", {
            "id": sid, "slug": "flavians", "description": None, "canonicalVocab": None,
        }, SERIES)
        assert (updated["series"]["slug"], updated["series"]["description"]) == (
            "flavians", None)
        assert updated["series"]["name"] == "Flavian dynasty"

        deleted = await run(client, "deleteSeries", {"id": sid}, "deletedSeriesId")
        assert deleted["deletedSeriesId"] == sid
        assert sid not in await all_series(client)
        await error_at(client, "deleteSeries", {"id": sid}, ["input", "id"], "NOT_FOUND")
        await error_at(client, "clearSeriesSlot", {"slot": slots[1]}, ["input", "slot"],
                       "NOT_FOUND")
        # The coins stay.
        assert (await coin_terms(client, 57))["issuer"] == "Titus"


async def test_series_refusals_not_found_and_wrong_types(shared_demo: GraphQLClient) -> None:
    before = await all_series(shared_demo)
    caesars = gid("Series", 1)
    augustus_slot = before[caesars]["slots"][1]["id"]  # slot 2, Augustus, holds coin 45
    named_cases: list[NamedCase] = [
        ("createSeries", {"name": "Antonines", "targetCount": 0}, ["targetCount"],
         "OUT_OF_RANGE"),
        ("createSeries", {"name": "Antonines", "slug": "The Antonines"}, ["slug"], "INVALID"),
        ("createSeries", {"name": "Antonines", "slug": "twelve-caesars"}, ["slug"], "CONFLICT"),
        ("createSeries", {"name": "  "}, ["name"], "REQUIRED"),
        ("createSeries", {"name": "Antonines", "canonicalVocab": gid("VocabTerm", MISSING)},
         ["canonicalVocab"], "NOT_FOUND"),
        ("updateSeries", {"id": caesars, "name": None}, ["name"], "REQUIRED"),
        ("updateSeries", {"id": caesars, "slug": "severan-women"}, ["slug"], "CONFLICT"),
        ("updateSeries", {"id": caesars, "seriesType": "x" * 31}, ["seriesType"],
         "OUT_OF_RANGE"),
        ("updateSeries", {"id": gid("Series", MISSING), "name": "x"}, ["id"], "NOT_FOUND"),
        ("deleteSeries", {"id": gid("Series", MISSING)}, ["id"], "NOT_FOUND"),
        ("addSeriesSlot", {"series": caesars, "name": "Otho", "slotNumber": 2}, ["slotNumber"],
         "CONFLICT"),
        ("addSeriesSlot", {"series": caesars, "name": "Otho", "slotNumber": 0}, ["slotNumber"],
         "OUT_OF_RANGE"),
        ("addSeriesSlot", {"series": caesars, "name": " "}, ["name"], "REQUIRED"),
        ("addSeriesSlot", {"series": gid("Series", MISSING), "name": "Otho"}, ["series"],
         "NOT_FOUND"),
        ("removeSeriesSlot", {"id": gid("SeriesSlot", MISSING)}, ["id"], "NOT_FOUND"),
        ("fillSeriesSlot", {"slot": gid("SeriesSlot", MISSING), "coin": gid("Coin", 45)},
         ["slot"], "NOT_FOUND"),
        ("fillSeriesSlot", {"slot": augustus_slot, "coin": gid("Coin", MISSING)}, ["coin"],
         "NOT_FOUND"),
        ("fillSeriesSlot", {"slot": augustus_slot, "coin": gid("Coin", 46)}, ["slot"],
         "CONFLICT"),
        ("clearSeriesSlot", {"slot": gid("SeriesSlot", MISSING)}, ["slot"], "NOT_FOUND"),
    ]
    for name, given, field, code in named_cases:
        await error_at(shared_demo, name, given, ["input", *field], code)
    for name, given in [
        ("updateSeries", {"id": augustus_slot}),
        ("deleteSeries", {"id": gid("Collection", 1)}),
        ("addSeriesSlot", {"series": gid("Collection", 1), "name": "Otho"}),
        ("removeSeriesSlot", {"id": caesars}),
        ("fillSeriesSlot", {"slot": caesars, "coin": gid("Coin", 45)}),
        ("fillSeriesSlot", {"slot": augustus_slot, "coin": augustus_slot}),
        ("clearSeriesSlot", {"slot": gid("Coin", 45)}),
        ("createSeries", {"name": "x", "canonicalVocab": gid("Coin", 45)}),
    ]:
        await graphql_error(shared_demo, name, given)
    errors = await refused(shared_demo, "addSeriesSlot",
                           {"series": caesars, "name": "Otho", "slotNumber": 2}, "slot { id }")
    assert errors[0]["code"] == "CONFLICT"
    assert await all_series(shared_demo) == before
