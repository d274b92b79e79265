"""The coin mutations and those of its child rows (images, provenance, countermarks, tags).

Demo data used: coin 56, a Vespasian denarius (Rome, 69-70, ex auction: hammer 3500 + 20 %
= 4200), coin 59 (Nerva denarius), coin 45 (Augustus, filling the Twelve Caesars' slot 2),
mint 1 (Rome), vocabulary term 159 (the mint Rome).
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


COIN = """id databaseId category denomination metal issuer mintName mint { name } yearStart
  yearEnd weightG diameterMm dieAxis obverseLegend reverseLegend acquisitionPrice
  acquisitionCurrency personalNotes estimateLow estimateHigh
  strikeQualityDetail { isOffCenter offCenterPct } physical { weightStandard }
  tags fieldHistory(limit: 100) { fieldName oldValue newValue batchId }"""
READ = f"query($id: ID!) {{ coin(id: $id) {{ {COIN} }} }}"
CHILDREN = """query($id: ID!) { coin(id: $id) {
  images { id imageType filePath isPrimary mimeType width }
  provenanceEvents { id eventType auctionHouse hammerPrice buyersPremiumPct totalPrice
                     currency sortOrder }
  countermarks { id countermarkType description placement condition }
  tags
} }"""
HADRIAN = {
    "category": "IMPERIAL", "denomination": "denarius", "metal": "SILVER", "issuer": "Hadrian",
    "mint": gid("Mint", 1), "yearStart": 134, "yearEnd": 138, "weightG": "3.32",
    "diameterMm": "18.5", "dieAxis": 6, "obverseLegend": "HADRIANVS AVG COS III P P",
    "reverseLegend": "AEGYPTOS", "acquisitionPrice": "425.00", "acquisitionCurrency": "usd",
    "physical": {"weightStandard": "Neronian reform"}, "personalNotes": "ex Leu 2019",
}


async def coin(client: GraphQLClient, coin_id: str) -> Any:
    return (await query(client, READ, id=coin_id))["coin"]


async def children(client: GraphQLClient, coin_id: int) -> dict[str, Any]:
    return (await query(client, CHILDREN, id=gid("Coin", coin_id)))["coin"]


async def test_create_update_delete_coin(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        created = (await run(client, "createCoin", HADRIAN, f"coin {{ {COIN} }}"))["coin"]
        assert created["mintName"] == "Rome" and created["mint"] == {"name": "Rome"}
        assert created["acquisitionCurrency"] == "USD"
        assert (created["weightG"], created["diameterMm"]) == ("3.320", "18.50")
        assert created["fieldHistory"] == []  # a create writes no history
        cid = created["id"]
        assert await coin(client, cid) == created

        updated = (await run(client, "updateCoin", {
            "id": cid, "weightG": "3.29", "personalNotes": None,
            "strikeQualityDetail": {"isOffCenter": True, "offCenterPct": 10},
        }, f"coin {{ {COIN} }}"))["coin"]
        assert updated["weightG"] == "3.290" and updated["personalNotes"] is None
        assert updated["reverseLegend"] == "AEGYPTOS"  # omitted: kept
        assert updated["strikeQualityDetail"] == {"isOffCenter": True, "offCenterPct": 10}
        changed = {h["fieldName"] for h in updated["fieldHistory"]}
        assert changed == {"weight_g", "personal_notes", "is_off_center", "off_center_pct"}
        assert len({h["batchId"] for h in updated["fieldHistory"]}) == 1
        # A null value object clears all its columns.
        cleared = (await run(client, "updateCoin", {"id": cid, "physical": None},
                             "coin { physical { weightStandard } }"))["coin"]
        assert cleared["physical"] == {"weightStandard": None}

        deleted = await run(client, "deleteCoin", {"id": cid}, "deletedCoinId")
        assert deleted["deletedCoinId"] == cid
        assert await coin(client, cid) is None
        await error_at(client, "deleteCoin", {"id": cid}, ["input", "id"], "NOT_FOUND")
        await error_at(client, "updateCoin", {"id": cid, "weightG": "3.3"}, ["input", "id"],
                       "NOT_FOUND")


async def test_deleting_a_coin_updates_collections_and_series(demo_db_copy: str) -> None:
    counts = """{ collection(id: "%s") { coinCount } series { slots { coin { databaseId } } } }"""
    async with graphql_client(demo_db_copy) as client:
        before = await query(client, counts % gid("Collection", 1))
        await run(client, "deleteCoin", {"id": gid("Coin", 45)})
        after = await query(client, counts % gid("Collection", 1))
        assert after["collection"]["coinCount"] == before["collection"]["coinCount"] - 1
        augustus_slot = after["series"][0]["slots"][1]
        assert augustus_slot["coin"] is None


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"weightG": "0"}, ["weightG"], "OUT_OF_RANGE"),
        ({"weightG": "3320"}, ["weightG"], "OUT_OF_RANGE"),  # grams, not milligrams
        ({"weightG": "3.3215"}, ["weightG"], "INVALID"),
        ({"yearStart": 0}, ["yearStart"], "INVALID"),  # there is no year 0
        ({"yearStart": 138, "yearEnd": 134}, ["yearEnd"], "INVALID"),
        ({"dieAxis": 13}, ["dieAxis"], "OUT_OF_RANGE"),
        ({"acquisitionCurrency": "US$"}, ["acquisitionCurrency"], "INVALID"),
        ({"estimateLow": "500", "estimateHigh": "400"}, ["estimateHigh"], "INVALID"),
        ({"gradeService": "NGC", "certificationNumber": "12345"}, ["certificationNumber"],
         "INVALID"),
        ({"strikeQualityDetail": {"offCenterPct": 20}}, ["strikeQualityDetail", "offCenterPct"],
         "INVALID"),
        ({"issuer": "  "}, ["issuer"], "REQUIRED"),
        ({"mint": gid("Mint", MISSING)}, ["mint"], "NOT_FOUND"),
        ({"issuerTerm": gid("VocabTerm", 159)}, ["issuerTerm"], "INVALID"),  # a mint term
        ({"obverseDieMatch": gid("Coin", MISSING)}, ["obverseDieMatch"], "NOT_FOUND"),
    ],
)
async def test_create_coin_refuses_bad_input(
    shared_demo: GraphQLClient, given: dict[str, Any], field: list[str], code: str
) -> None:
    await error_at(shared_demo, "createCoin", {**HADRIAN, **given}, ["input", *field], code)


async def test_update_delete_coin_refusals_and_rollback(shared_demo: GraphQLClient) -> None:
    vespasian = gid("Coin", 56)
    before = await coin(shared_demo, vespasian)
    cases: list[Case] = [
        ({"yearEnd": 60}, ["yearEnd"], "INVALID"),  # before the stored yearStart 69
        ({"obverseDieMatch": vespasian}, ["obverseDieMatch"], "INVALID"),
        ({"issuer": None}, ["issuer"], "REQUIRED"),
        ({"weightG": "3.41", "dieAxis": 14}, ["dieAxis"], "OUT_OF_RANGE"),  # weight not kept
    ]
    for given, field, code in cases:
        await error_at(shared_demo, "updateCoin", {"id": vespasian, **given}, ["input", *field],
                       code)
    assert await coin(shared_demo, vespasian) == before  # nothing written, no history
    assert "Coin" in await graphql_error(shared_demo, "updateCoin", {"id": gid("Mint", 1)})
    assert "Coin" in await graphql_error(shared_demo, "deleteCoin", {"id": gid("Series", 1)})
    assert "Mint" in await graphql_error(shared_demo, "createCoin",
                                         {**HADRIAN, "mint": gid("Coin", 1)})


async def test_images(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 56)
        obverse = await run(client, "addCoinImage", {
            "coin": c, "imageType": "OBVERSE", "filePath": "coins/56/obv.jpg",
            "mimeType": "IMAGE/JPEG", "width": 1200, "height": 1200, "isPrimary": True,
        }, "image { id mimeType isPrimary } coin { images { id } }")
        assert obverse["image"]["mimeType"] == "image/jpeg"
        reverse = await run(client, "addCoinImage", {
            "coin": c, "imageType": "REVERSE", "filePath": "coins/56/rev.jpg", "isPrimary": True,
        }, "image { id }")
        images = (await children(client, 56))["images"]
        # One primary image: choosing the reverse demoted the obverse.
        assert [(i["id"], i["isPrimary"]) for i in images] == [
            (reverse["image"]["id"], True), (obverse["image"]["id"], False)]
        await run(client, "updateCoinImage",
                  {"id": obverse["image"]["id"], "isPrimary": True, "width": None})
        images = (await children(client, 56))["images"]
        assert images[0]["id"] == obverse["image"]["id"] and images[0]["width"] is None
        removed = await run(client, "removeCoinImage", {"id": reverse["image"]["id"]},
                            "removedId coin { images { id } }")
        assert removed["removedId"] == reverse["image"]["id"]
        assert removed["coin"]["images"] == [{"id": obverse["image"]["id"]}]
        await error_at(client, "removeCoinImage", {"id": reverse["image"]["id"]},
                       ["input", "id"], "NOT_FOUND")


async def test_provenance_events(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 56)
        first = await run(client, "addProvenanceEvent", {
            "coin": c, "eventType": "FIND", "notes": "Judaean hoard, before 1960",
            "position": 0,
        }, "provenanceEvent { id sortOrder }")
        events = (await children(client, 56))["provenanceEvents"]
        assert [e["eventType"] for e in events] == ["FIND", "COLLECTION", "AUCTION"]
        assert [e["sortOrder"] for e in events] == [0, 1, 2]
        sale = await run(client, "addProvenanceEvent", {
            "coin": c, "eventType": "AUCTION", "auctionHouse": "Nomos", "saleNumber": "28",
            "lotNumber": "312", "hammerPrice": "5200", "buyersPremiumPct": "20",
            "currency": "chf",
        }, "provenanceEvent { id totalPrice currency }")
        # The total follows hammer and premium when not typed.
        assert sale["provenanceEvent"]["totalPrice"] == "6240.00"
        assert sale["provenanceEvent"]["currency"] == "CHF"
        updated = await run(client, "updateProvenanceEvent",
                            {"id": sale["provenanceEvent"]["id"], "hammerPrice": "5000"},
                            "provenanceEvent { totalPrice lotNumber }")
        assert updated["provenanceEvent"] == {"totalPrice": "6000.00", "lotNumber": "312"}
        removed = await run(client, "removeProvenanceEvent", {"id": first["provenanceEvent"]["id"]},
                            "removedId coin { provenanceEvents { sortOrder } }")
        assert [e["sortOrder"] for e in removed["coin"]["provenanceEvents"]] == [0, 1, 2]
        await error_at(client, "updateProvenanceEvent",
                       {"id": first["provenanceEvent"]["id"], "notes": "x"}, ["input", "id"],
                       "NOT_FOUND")


async def test_countermarks_and_tags(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        c = gid("Coin", 56)
        mark = await run(client, "addCountermark", {
            "coin": c, "countermarkType": "LEGIONARY", "description": "LXF in rectangle",
            "placement": "OBVERSE", "condition": "CLEAR", "reference": "Howgego 746",
        }, "countermark { id description } coin { countermarks { id } }")
        mark_id = mark["countermark"]["id"]
        assert mark["coin"]["countermarks"] == [{"id": mark_id}]
        await run(client, "updateCountermark", {"id": mark_id, "condition": None,
                                                "description": "LXF in tabula ansata"})
        stored = (await children(client, 56))["countermarks"]
        assert stored == [{"id": mark_id, "countermarkType": "LEGIONARY",
                           "description": "LXF in tabula ansata", "placement": "OBVERSE",
                           "condition": None}]
        removed = await run(client, "removeCountermark", {"id": mark_id}, "removedId")
        assert removed["removedId"] == mark_id
        assert (await children(client, 56))["countermarks"] == []

        had = (await children(client, 56))["tags"]
        tags = await run(client, "addCoinTags",
                         {"coin": c, "tags": ["Judaea Capta", " judaea   capta ", "Flavian"]},
                         "tags coin { tags }")
        assert tags["tags"] == tags["coin"]["tags"]
        assert set(tags["tags"]) == {*had, "Flavian"} and "Judaea Capta" in had
        # A smart collection on a tag follows the tags.
        smart = await run(client, "createCollection", {
            "name": "Judaea Capta", "collectionType": "SMART",
            "smartFilter": {"tag": ["Judaea Capta"]}}, "collection { id coinCount }")
        assert smart["collection"]["coinCount"] >= 1
        left = await run(client, "removeCoinTags", {"coin": c, "tags": ["JUDAEA CAPTA", "none"]},
                         "tags")
        assert "Judaea Capta" not in left["tags"] and "Flavian" in left["tags"]
        count = await query(client, "query($id: ID!) { collection(id: $id) { coinCount } }",
                            id=smart["collection"]["id"])
        total = await query(client, "{ coins(filter: {tag: [\"Judaea Capta\"]}) { totalCount } }")
        assert count["collection"]["coinCount"] == total["coins"]["totalCount"]


async def test_child_row_refusals_not_found_wrong_types_and_rollback(
    shared_demo: GraphQLClient,
) -> None:
    c = gid("Coin", 56)
    before = await children(shared_demo, 56)
    sale = before["provenanceEvents"][1]["id"]
    named_cases: list[NamedCase] = [
        ("addCoinImage", {"coin": c, "imageType": "OBVERSE", "filePath": "a.gif",
                          "mimeType": "image/gif"}, ["mimeType"], "INVALID"),
        ("addCoinImage", {"coin": c, "imageType": "OBVERSE", "filePath": "a.jpg", "width": 0},
         ["width"], "OUT_OF_RANGE"),
        ("addCoinImage", {"coin": c, "imageType": "OBVERSE", "filePath": " "}, ["filePath"],
         "REQUIRED"),
        ("addCoinImage", {"coin": gid("Coin", MISSING), "imageType": "OBVERSE",
                          "filePath": "a.jpg"}, ["coin"], "NOT_FOUND"),
        ("updateCoinImage", {"id": gid("CoinImage", MISSING)}, ["id"], "NOT_FOUND"),
        ("removeCoinImage", {"id": gid("CoinImage", MISSING)}, ["id"], "NOT_FOUND"),
        ("addProvenanceEvent", {"coin": c, "eventType": "DEALER", "currency": "eu1"},
         ["currency"], "INVALID"),
        ("addProvenanceEvent", {"coin": c, "eventType": "DEALER", "currency": "euro"},
         ["currency"], "OUT_OF_RANGE"),
        ("addProvenanceEvent", {"coin": c, "eventType": "AUCTION", "hammerPrice": "100",
                                "buyersPremiumPct": "60"}, ["buyersPremiumPct"], "OUT_OF_RANGE"),
        ("addProvenanceEvent", {"coin": c, "eventType": "AUCTION", "hammerPrice": "-1"},
         ["hammerPrice"], "OUT_OF_RANGE"),
        ("addProvenanceEvent", {"coin": c, "eventType": "GIFT", "position": 5}, ["position"],
         "OUT_OF_RANGE"),
        ("addProvenanceEvent", {"coin": gid("Coin", MISSING), "eventType": "GIFT"}, ["coin"],
         "NOT_FOUND"),
        ("updateProvenanceEvent", {"id": sale, "eventType": None}, ["eventType"], "REQUIRED"),
        ("updateProvenanceEvent", {"id": sale, "lotNumber": "x" * 21}, ["lotNumber"],
         "OUT_OF_RANGE"),
        ("removeProvenanceEvent", {"id": gid("ProvenanceEvent", MISSING)}, ["id"], "NOT_FOUND"),
        ("addCountermark", {"coin": c, "countermarkType": "LEGIONARY", "description": " ",
                            "placement": "OBVERSE"}, ["description"], "REQUIRED"),
        ("addCountermark", {"coin": c, "countermarkType": "LEGIONARY", "description": "x" * 101,
                            "placement": "OBVERSE"}, ["description"], "OUT_OF_RANGE"),
        ("updateCountermark", {"id": gid("Countermark", MISSING), "notes": "x"}, ["id"],
         "NOT_FOUND"),
        ("removeCountermark", {"id": gid("Countermark", MISSING)}, ["id"], "NOT_FOUND"),
        ("addCoinTags", {"coin": c, "tags": ["Flavian", "  "]}, ["tags", "1"], "REQUIRED"),
        ("addCoinTags", {"coin": c, "tags": ["x" * 51]}, ["tags", "0"], "OUT_OF_RANGE"),
        ("removeCoinTags", {"coin": gid("Coin", MISSING), "tags": ["x"]}, ["coin"], "NOT_FOUND"),
    ]
    for name, given, field, code in named_cases:
        await error_at(shared_demo, name, given, ["input", *field], code)
    # The valid parts of refused writes (the Flavian tag, a 100 hammer) are not kept.
    assert await children(shared_demo, 56) == before
    for name, given in [
        ("addCoinImage", {"coin": sale, "imageType": "OBVERSE", "filePath": "a.jpg"}),
        ("updateCoinImage", {"id": c}),
        ("removeCoinImage", {"id": sale}),
        ("addProvenanceEvent", {"coin": gid("Mint", 1), "eventType": "GIFT"}),
        ("updateProvenanceEvent", {"id": c}),
        ("removeProvenanceEvent", {"id": c}),
        ("addCountermark", {"coin": sale, "countermarkType": "LEGIONARY", "description": "x",
                            "placement": "OBVERSE"}),
        ("updateCountermark", {"id": sale}),
        ("removeCountermark", {"id": c}),
        ("addCoinTags", {"coin": sale, "tags": ["x"]}),
        ("removeCoinTags", {"coin": sale, "tags": ["x"]}),
    ]:
        await graphql_error(shared_demo, name, given)
    errors = await refused(shared_demo, "addCoinTags", {"coin": c, "tags": ["Flavian", ""]},
                           "tags coin { id }")
    assert errors[0]["field"] == ["input", "tags", "1"]


# ---- the contract's shape: input: <Name>Input!, <Name>Payload with userErrors -------------

OWN = [
    "addGradingEvent", "updateGradingEvent", "removeGradingEvent", "addRarityAssessment",
    "updateRarityAssessment", "removeRarityAssessment", "addCensusSnapshot",
    "removeCensusSnapshot", "addCoinReference", "updateCoinReference", "removeCoinReference",
    "upsertReferenceType", "linkConcordance", "unlinkConcordance", "upsertExternalCatalogLink",
    "removeExternalCatalogLink", "createCollection", "updateCollection", "deleteCollection",
    "addCoinsToCollection", "removeCoinsFromCollection", "reorderCollection", "createVocabTerm",
    "updateVocabTerm", "assignVocabTerm", "createSeries", "updateSeries", "deleteSeries",
    "addSeriesSlot", "removeSeriesSlot", "fillSeriesSlot", "clearSeriesSlot", "undoFieldChanges",
]
COIN_MUTATIONS = [
    "createCoin", "updateCoin", "deleteCoin", "addCoinImage", "updateCoinImage",
    "removeCoinImage", "addProvenanceEvent", "updateProvenanceEvent", "removeProvenanceEvent",
    "addCountermark", "updateCountermark", "removeCountermark", "addCoinTags", "removeCoinTags",
]


def _contract_breaches(names: list[str]) -> list[str]:
    from coinstack_graphql.graphql.schema import build_schema

    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    breaches = []
    for name in names:
        field = mutation.fields[name]
        upper = name[0].upper() + name[1:]
        args = {arg: str(value.type) for arg, value in field.args.items()}
        if args != {"input": f"{upper}Input!"} or str(field.type) != f"{upper}Payload!":
            breaches.append(f"{name}({args}) -> {field.type}")
        payload = getattr(field.type, "of_type", field.type)
        if str(payload.fields["userErrors"].type) != "[UserError!]!":
            breaches.append(f"{name}: userErrors")
    return breaches


def test_the_new_mutations_follow_the_contract_shape() -> None:
    assert _contract_breaches(OWN) == []


def test_the_coin_mutations_follow_the_contract_shape() -> None:
    assert _contract_breaches(COIN_MUTATIONS) == []
