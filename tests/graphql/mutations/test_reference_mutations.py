"""Coin references, reference types and external catalogue links through the API.

Demo coins used: 52, a Claudius as citing RIC I² 100 (primary, OCRE-linked) and
BMCRE I 149; 45, an Augustus denarius citing RIC I² 207 (primary), RSC I 43, BMCRE I 533
and SRCV I 1597.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
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


READ_REFS = """query Coin($id: ID!) { coin(id: $id) { references {
  id isPrimary page plate plateCoin position variantNotes notes
  referenceType { id localRef system externalLinks { catalogSource externalId externalUrl } }
} } }"""
READ_TYPE = """query Type($id: ID!) { referenceType(id: $id) {
  id localRef localRefNormalized system volume number edition externalId externalUrl
  publicationYear rarityCode citation payload
  externalLinks { id catalogSource externalId externalUrl externalData }
} }"""
COIN_REF = "coinReference { id isPrimary page referenceType { localRef } } coin { databaseId }"
NEXT_YEAR = datetime.now(UTC).year + 1


async def refs(client: GraphQLClient, coin_id: int) -> list[dict[str, Any]]:
    return (await query(client, READ_REFS, id=gid("Coin", coin_id)))["coin"]["references"]


async def ref_type(client: GraphQLClient, type_id: str) -> dict[str, Any]:
    return (await query(client, READ_TYPE, id=type_id))["referenceType"]


def cited(references: list[dict[str, Any]]) -> list[str]:
    return [r["referenceType"]["localRef"] for r in references]


async def test_add_coin_reference_parses_the_citation_and_links_ocre(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        payload = await run(client, "addCoinReference", {
            "coin": gid("Coin", 52), "citation": "ric i(2) 95", "page": "127",
            "plate": "XV, 3", "plateCoin": True, "position": "REVERSE",
            "variantNotes": "drapery on left shoulder",
        }, COIN_REF)
        reference = payload["coinReference"]
        assert reference["referenceType"] == {"localRef": "RIC I² 95"}
        assert reference["isPrimary"] is False  # the coin has a primary already
        assert payload["coin"] == {"databaseId": 52}
        listed = await refs(client, 52)
        assert cited(listed)[0] == "RIC I² 100"  # primary first
        new = next(r for r in listed if r["id"] == reference["id"])
        assert (new["page"], new["plate"], new["plateCoin"], new["position"]) == (
            "127", "XV, 3", True, "REVERSE")
        # OCRE numbers RIC I per emperor: the coin's issuer completes the id.
        assert new["referenceType"]["externalLinks"] == [{
            "catalogSource": "OCRE", "externalId": "ric.1(2).cl.95",
            "externalUrl": "http://numismatics.org/ocre/id/ric.1(2).cl.95",
        }]
        # Marking it primary demotes the old one.
        await run(client, "addCoinReference",
                  {"coin": gid("Coin", 52), "citation": "Cohen 84", "isPrimary": True})
        listed = await refs(client, 52)
        assert [r["isPrimary"] for r in listed].count(True) == 1
        assert cited(listed)[0] == "Cohen 84"


async def test_update_coin_reference_repoints_and_changes_details(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        listed = await refs(client, 52)
        bmcre = next(r for r in listed if not r["isPrimary"])
        payload = await run(client, "updateCoinReference", {
            "id": bmcre["id"], "citation": "BMCRE I 140", "notes": "die match to BM 1872,0709.441",
            "isPrimary": True,
        }, COIN_REF)
        assert payload["coinReference"]["referenceType"] == {"localRef": "BMCRE I 140"}
        assert payload["coinReference"]["isPrimary"] is True
        listed = await refs(client, 52)
        assert cited(listed) == ["BMCRE I 140", "RIC I² 100"]
        updated = listed[0]
        assert updated["notes"] == "die match to BM 1872,0709.441"
        # Partial: null clears, omitted stays.
        await run(client, "updateCoinReference", {"id": bmcre["id"], "notes": None})
        again = (await refs(client, 52))[0]
        assert again["notes"] is None and again["referenceType"]["localRef"] == "BMCRE I 140"
        # The old type stays in the catalogue.
        data = await query(client, "{ referenceTypes(search: \"BMCRE I 149\") { totalCount } }")
        assert data["referenceTypes"]["totalCount"] == 1


async def test_remove_coin_reference_promotes_the_earliest_left(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        listed = await refs(client, 45)
        primary = listed[0]
        assert primary["isPrimary"] and cited(listed)[0] == "RIC I² 207"
        payload = await run(client, "removeCoinReference", {"id": primary["id"]},
                            "removedCoinReferenceId coin { references { id } }")
        assert payload["removedCoinReferenceId"] == primary["id"]
        listed = await refs(client, 45)
        assert cited(listed) == ["RSC I 43", "BMCRE I 533", "SRCV I 1597"]
        assert [r["isPrimary"] for r in listed] == [True, False, False]
        await error_at(client, "removeCoinReference", {"id": primary["id"]}, ["input", "id"],
                       "NOT_FOUND")


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"citation": "cf. RIC I² 207"}, ["citation"], "INVALID"),  # a variant is not the type
        ({"citation": "RIC XI 12"}, ["citation"], "INVALID"),
        ({"citation": "   "}, ["citation"], "INVALID"),
        ({"citation": "RIC I (2nd ed.) 207"}, ["citation"], "CONFLICT"),  # cited already
        ({"citation": "RIC I² 208", "page": "p. 123456789012345678901"}, ["page"],
         "OUT_OF_RANGE"),
        ({"citation": "RIC I² 208", "isPrimary": None}, None, None),
    ],
)
async def test_add_coin_reference_refuses_bad_input(
    shared_demo: GraphQLClient, given: dict[str, Any], field: list[str] | None, code: str | None
) -> None:
    if field is None:  # null isPrimary on a new citation is the default, not an error
        payload = await run(shared_demo, "addCoinReference",
                            {"coin": gid("Coin", 45), **given}, COIN_REF)
        await run(shared_demo, "removeCoinReference", {"id": payload["coinReference"]["id"]})
        return
    await error_at(shared_demo, "addCoinReference", {"coin": gid("Coin", 45), **given},
                   ["input", *field], code)  # type: ignore[arg-type]


async def test_update_remove_reference_refusals_not_found_and_wrong_types(
    shared_demo: GraphQLClient,
) -> None:
    before = await refs(shared_demo, 45)
    primary, other = before[0]["id"], before[1]["id"]
    cases: list[Case] = [
        ({"id": other, "citation": "RIC I² 207"}, ["citation"], "CONFLICT"),
        ({"id": other, "citation": None}, ["citation"], "REQUIRED"),
        ({"id": other, "citation": "RSC I 43 var."}, ["citation"], "INVALID"),
        ({"id": primary, "isPrimary": False}, ["isPrimary"], "CONFLICT"),
        ({"id": other, "isPrimary": None}, ["isPrimary"], "REQUIRED"),
        ({"id": other, "plate": "x" * 31}, ["plate"], "OUT_OF_RANGE"),
        ({"id": gid("CoinReference", MISSING), "notes": "x"}, ["id"], "NOT_FOUND"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "updateCoinReference", given, ["input", *field], code)
    await error_at(shared_demo, "addCoinReference",
                   {"coin": gid("Coin", MISSING), "citation": "RIC I² 207"},
                   ["input", "coin"], "NOT_FOUND")
    await error_at(shared_demo, "removeCoinReference", {"id": gid("CoinReference", MISSING)},
                   ["input", "id"], "NOT_FOUND")
    assert "Coin" in await graphql_error(shared_demo, "addCoinReference",
                                         {"coin": primary, "citation": "RIC I² 207"})
    assert "CoinReference" in await graphql_error(shared_demo, "updateCoinReference",
                                                  {"id": gid("Coin", 45)})
    assert "CoinReference" in await graphql_error(shared_demo, "removeCoinReference",
                                                  {"id": gid("ReferenceType", 103)})
    assert await refs(shared_demo, 45) == before


TYPE = "referenceType { id localRef publicationYear rarityCode externalUrl citation }"


async def test_upsert_reference_type_by_citation_and_by_id(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        rsc = await run(client, "upsertReferenceType", {
            "reference": "RSC 1 43", "publicationYear": 1978, "rarityCode": "r2",
            "citation": "Cohen 43; RSC I 43", "externalUrl": "https://www.wildwinds.com/coins/ric/augustus/RSC_0043.jpg",
        }, TYPE)
        assert rsc["referenceType"]["localRef"] == "RSC I 43"  # the demo's existing type
        assert rsc["referenceType"]["id"] == gid("ReferenceType", 104)
        assert rsc["referenceType"]["rarityCode"] == "R2"
        stored = await ref_type(client, gid("ReferenceType", 104))
        assert (stored["publicationYear"], stored["citation"]) == (1978, "Cohen 43; RSC I 43")

        created = await run(client, "upsertReferenceType",
                            {"reference": "Crawford 494/23", "payload": {"weight": 3.9}}, TYPE)
        new = await ref_type(client, created["referenceType"]["id"])
        assert (new["system"], new["localRefNormalized"], new["payload"]) == (
            "CRAWFORD", "crawford.494.23", {"weight": 3.9})
        assert [(link["catalogSource"], link["externalId"]) for link in new["externalLinks"]] == [
            ("CRRO", "rrc-494.23")]

        by_id = await run(client, "upsertReferenceType", {
            "id": gid("ReferenceType", 104), "reference": "RSC I 43", "rarityCode": None,
            "publicationYear": None,
        }, TYPE)
        assert by_id["referenceType"]["rarityCode"] is None
        stored = await ref_type(client, gid("ReferenceType", 104))
        assert stored["publicationYear"] is None and stored["citation"] == "Cohen 43; RSC I 43"


async def test_upsert_reference_type_refusals(shared_demo: GraphQLClient) -> None:
    before = await ref_type(shared_demo, gid("ReferenceType", 104))
    rsc = gid("ReferenceType", 104)
    cases: list[Case] = [
        ({"publicationYear": 1984}, ["reference"], "REQUIRED"),
        ({"id": rsc, "reference": "RSC I 44"}, ["reference"], "CONFLICT"),
        ({"reference": "RSC I 43 var."}, ["reference"], "INVALID"),
        ({"id": rsc, "publicationYear": 1650}, ["publicationYear"], "OUT_OF_RANGE"),
        ({"id": rsc, "publicationYear": NEXT_YEAR}, ["publicationYear"], "OUT_OF_RANGE"),
        ({"id": rsc, "externalUrl": "ftp://coins.example/rsc43"}, ["externalUrl"], "INVALID"),
        ({"id": rsc, "rarityCode": "R9"}, ["rarityCode"], "INVALID"),
        ({"id": rsc, "externalId": "x" * 101}, ["externalId"], "OUT_OF_RANGE"),
        ({"id": gid("ReferenceType", MISSING), "rarityCode": "R1"}, ["id"], "NOT_FOUND"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "upsertReferenceType", given, ["input", *field], code)
    assert "ReferenceType" in await graphql_error(shared_demo, "upsertReferenceType",
                                                  {"id": gid("Coin", 45)})
    # A refused create by citation leaves no type behind.
    await error_at(shared_demo, "upsertReferenceType",
                   {"reference": "Crawford 494/24", "publicationYear": 1500},
                   ["input", "publicationYear"], "OUT_OF_RANGE")
    data = await query(shared_demo, '{ referenceTypes(search: "494/24") { totalCount } }')
    assert data["referenceTypes"]["totalCount"] == 0
    assert await ref_type(shared_demo, rsc) == before


LINK = """externalCatalogLink { id catalogSource externalId externalUrl externalData }
  referenceType { id externalLinks { catalogSource externalId } }"""


async def test_upsert_and_remove_external_catalog_link(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        ric100 = gid("ReferenceType", 119)
        replaced = await run(client, "upsertExternalCatalogLink", {
            "referenceType": ric100, "catalogSource": "OCRE", "externalId": "ric.1(2).cl.100A",
            "externalData": {"checked": "2024-11-02"},
        }, LINK)
        link = replaced["externalCatalogLink"]
        assert link["externalUrl"] == "http://numismatics.org/ocre/id/ric.1(2).cl.100A"
        assert link["externalData"] == {"checked": "2024-11-02"}
        nomisma = await run(client, "upsertExternalCatalogLink", {
            "referenceType": ric100, "catalogSource": "NOMISMA", "externalId": "claudius",
            "externalUrl": "https://nomisma.org/id/claudius",
        }, LINK)
        stored = await ref_type(client, ric100)
        assert [(x["catalogSource"], x["externalId"], x["externalUrl"])
                for x in stored["externalLinks"]] == [
            ("NOMISMA", "claudius", "https://nomisma.org/id/claudius"),
            ("OCRE", "ric.1(2).cl.100A", "http://numismatics.org/ocre/id/ric.1(2).cl.100A"),
        ]
        link_id = nomisma["externalCatalogLink"]["id"]
        removed = await run(client, "removeExternalCatalogLink", {"id": link_id},
                            "removedExternalCatalogLinkId referenceType { externalLinks { id } }")
        assert removed["removedExternalCatalogLinkId"] == link_id
        assert removed["referenceType"]["externalLinks"] == [{"id": link["id"]}]
        await error_at(client, "removeExternalCatalogLink", {"id": link_id}, ["input", "id"],
                       "NOT_FOUND")


async def test_external_catalog_link_refusals(shared_demo: GraphQLClient) -> None:
    ric100 = gid("ReferenceType", 119)
    before = await ref_type(shared_demo, ric100)
    cases: list[Case] = [
        ({"catalogSource": "OCRE", "externalId": "rrc-494.23"}, ["externalId"], "INVALID"),
        ({"catalogSource": "CRRO", "externalId": "ric.1(2).cl.100"}, ["externalId"], "INVALID"),
        ({"catalogSource": "RPC_ONLINE", "externalId": "RPC I 4567"}, ["externalId"], "INVALID"),
        ({"catalogSource": "OCRE", "externalId": "  "}, ["externalId"], "REQUIRED"),
        ({"catalogSource": "OCRE", "externalId": "ric.1(2).cl.100",
          "externalUrl": "javascript:alert(1)"}, ["externalUrl"], "INVALID"),
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "upsertExternalCatalogLink",
                       {"referenceType": ric100, **given}, ["input", *field], code)
    await error_at(shared_demo, "upsertExternalCatalogLink", {
        "referenceType": gid("ReferenceType", MISSING), "catalogSource": "OCRE",
        "externalId": "ric.1(2).cl.100"}, ["input", "referenceType"], "NOT_FOUND")
    await error_at(shared_demo, "removeExternalCatalogLink",
                   {"id": gid("ExternalCatalogLink", MISSING)}, ["input", "id"], "NOT_FOUND")
    assert "ReferenceType" in await graphql_error(shared_demo, "upsertExternalCatalogLink", {
        "referenceType": gid("Coin", 52), "catalogSource": "OCRE", "externalId": "ric.1.x"})
    assert "ExternalCatalogLink" in await graphql_error(
        shared_demo, "removeExternalCatalogLink", {"id": ric100})
    errors = await refused(shared_demo, "upsertExternalCatalogLink", {
        "referenceType": ric100, "catalogSource": "OCRE", "externalId": "nonsense"}, LINK)
    assert errors[0]["field"] == ["input", "externalId"]
    assert await ref_type(shared_demo, ric100) == before
