"""`coin(id:)` and the Coin's own fields: columns, scalars, V3 value objects, against the demo."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.demo.catalogue_types import DemoCoin
from tests.support.client import GraphQLClient, graphql_client

BRUTUS = "rep-brutus-eid-mar-1"
TRIBUTE_PENNY = "imp-tiberius-tribute-penny-1"
SOLIDUS = "byz-justinian-ii-christ-solidus-1"
TEST_CUT = "rep-caesar-elephant-2"
OFF_CENTRE = "jud-pilate-prutah-1"
MINTS = {m.name: m for m in cat.MINTS}

COIN_FIELDS = """
  id databaseId __typename
  category subCategory denomination metal issuer portraitSubject mintName officina script
  yearStart yearEnd isCirca datingCertainty weightG diameterMm dieAxis
  obverseLegend obverseDescription reverseLegend reverseDescription exergue
  gradingState grade gradeService certificationNumber strikeQuality surfaceQuality holderType
  acquisitionDate acquisitionPrice acquisitionCurrency acquisitionSource
  rarity historicalSignificance personalNotes findSpot forSale issueStatus
  secondaryAuthority { secondaryAuthority authorityType }
  coRuler { coRuler portraitRelationship }
  physical { flanShape weightStandard expectedWeightG flanType flanNotes }
  tpgGrading {
    gradeNumeric hasStarDesignation photoCertificate verificationUrl
    ngcStrikeGrade ngcSurfaceGrade isFineStyle
  }
  chronology { datePeriodNotation emissionPhase }
  dieStudy { obverseDieId reverseDieId obverseDieMatch { id } reverseDieMatch { id } }
  strikeQualityDetail { strikeQualityDetail isDoubleStruck isBrockage isOffCenter offCenterPct }
  mint { name province modernLocation latitude longitude }
"""

COIN = f"query($id: ID!) {{ coin(id: $id) {{ {COIN_FIELDS} }} }}"
PAGE = f"""query($after: String) {{
  coins(first: 100, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {COIN_FIELDS} }}
  }}
}}"""


def gid(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


def expected_coin(demo: DemoCoin) -> dict[str, Any]:
    """The GraphQL values of a demo coin (grading columns follow its last grading event)."""
    last = demo.grading_history[-1] if demo.grading_history else None
    service = last.grade_service if last else demo.grade_service
    cert = last.certification_number if last else demo.certification_number
    numeric = last.grade_numeric if last else demo.grade_numeric
    strike = last.strike_quality if last else None
    surface = last.surface_quality if last else None
    url = None
    if cert and service == "ngc":
        url = f"https://www.ngccoin.com/certlookup/{cert}/{numeric}/"
    elif cert and service == "pcgs":
        url = f"https://www.pcgs.com/cert/{cert}"
    mint = MINTS.get(demo.mint) if demo.mint else None
    return {
        "category": demo.category.upper(),
        "subCategory": demo.sub_category,
        "denomination": demo.denomination,
        "metal": demo.metal.upper(),
        "issuer": demo.issuer,
        "portraitSubject": demo.portrait_subject,
        "mintName": demo.mint,
        "officina": demo.officina,
        "script": demo.script,
        "yearStart": demo.year_start,
        "yearEnd": demo.year_end,
        "isCirca": demo.is_circa,
        "datingCertainty": demo.dating_certainty.upper(),
        "weightG": f"{demo.weight_g:.3f}",
        "diameterMm": f"{demo.diameter_mm:.2f}",
        "dieAxis": demo.die_axis,
        "obverseLegend": demo.obverse_legend,
        "obverseDescription": demo.obverse_description,
        "reverseLegend": demo.reverse_legend,
        "reverseDescription": demo.reverse_description,
        "exergue": demo.exergue,
        "gradingState": (last.grading_state if last else demo.grading_state).upper(),
        "grade": last.grade if last else demo.grade,
        "gradeService": upper(service),
        "certificationNumber": cert,
        "strikeQuality": strike,
        "surfaceQuality": surface,
        "holderType": demo.holder_type.upper(),
        "acquisitionDate": demo.acquisition_date.isoformat(),
        "acquisitionPrice": f"{demo.acquisition_price:.2f}",
        "acquisitionCurrency": demo.acquisition_currency,
        "acquisitionSource": demo.acquisition_source,
        "rarity": upper(demo.rarity),
        "historicalSignificance": demo.historical_significance,
        "personalNotes": demo.personal_notes,
        "findSpot": demo.find_spot,
        "forSale": False,
        "issueStatus": "OFFICIAL",
        "secondaryAuthority": {
            "secondaryAuthority": demo.secondary_authority,
            "authorityType": upper(demo.authority_type),
        },
        "coRuler": {
            "coRuler": demo.co_ruler,
            "portraitRelationship": upper(demo.portrait_relationship),
        },
        "physical": {
            "flanShape": demo.flan_shape.upper(),
            "weightStandard": None,
            "expectedWeightG": None,
            "flanType": None,
            "flanNotes": None,
        },
        "tpgGrading": {
            "gradeNumeric": numeric,
            "hasStarDesignation": last.has_star if last else demo.has_star_designation,
            "photoCertificate": False,
            "verificationUrl": url,
            "ngcStrikeGrade": strike if service == "ngc" else None,
            "ngcSurfaceGrade": surface if service == "ngc" else None,
            "isFineStyle": demo.is_fine_style,
        },
        "chronology": {"datePeriodNotation": demo.date_period_notation, "emissionPhase": None},
        "dieStudy": {
            "obverseDieId": demo.obverse_die_id,
            "reverseDieId": demo.reverse_die_id,
            "obverseDieMatch": None,
            "reverseDieMatch": None,
        },
        "strikeQualityDetail": {
            "strikeQualityDetail": demo.strike_quality_detail,
            "isDoubleStruck": demo.is_double_struck,
            "isBrockage": False,
            "isOffCenter": demo.is_off_center,
            "offCenterPct": demo.off_center_pct,
        },
        "mint": None if mint is None else {
            "name": mint.name,
            "province": mint.province,
            "modernLocation": mint.modern_location,
            "latitude": f"{Decimal(str(mint.latitude)):.6f}",
            "longitude": f"{Decimal(str(mint.longitude)):.6f}",
        },
    }


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


@pytest.fixture(scope="module")
async def coin_ids(client: GraphQLClient) -> dict[str, int]:
    """Demo key -> database id, from the import records the loader writes."""
    async with client.app.state.coinstack.engine.connect() as conn:
        rows = await conn.execute(
            select(ImportRecord.source_id, ImportRecord.coin_id).where(
                ImportRecord.source_type == "demo"
            )
        )
        return {key: coin_id for key, coin_id in rows.all()}


async def fetch(client: GraphQLClient, coin_ids: dict[str, int], key: str) -> dict[str, Any]:
    data = await client.execute(COIN, {"id": gid("Coin", coin_ids[key])})
    assert data["coin"] is not None, key
    return data["coin"]


async def test_every_demo_coin_has_its_catalogue_values(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    by_id = {coin_ids[c.key]: c for c in cat.COINS}
    seen: dict[int, dict[str, Any]] = {}
    after = None
    while True:
        page = (await client.execute(PAGE, {"after": after}))["coins"]
        seen.update({node["databaseId"]: node for node in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert set(seen) == set(by_id)
    for database_id, node in seen.items():
        demo = by_id[database_id]
        assert node["id"] == gid("Coin", database_id)
        assert node["__typename"] == "Coin"
        got = {k: v for k, v in node.items() if k not in ("id", "databaseId", "__typename")}
        assert got == expected_coin(demo), demo.key


async def test_brutus_eid_mar_denarius(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    coin = await fetch(client, coin_ids, BRUTUS)
    assert coin["databaseId"] == coin_ids[BRUTUS]
    assert coin["issuer"] == "M. Junius Brutus"
    assert (coin["category"], coin["metal"], coin["denomination"]) == (
        "REPUBLIC", "SILVER", "denarius"
    )
    assert (coin["yearStart"], coin["yearEnd"]) == (-42, -42)  # BC years are negative
    assert coin["weightG"] == "3.780"  # a Decimal: a string with the column's scale
    assert coin["diameterMm"] == "19.00"
    assert coin["acquisitionPrice"] == "396000.00"
    assert coin["acquisitionDate"] == "2022-01-13"
    assert coin["reverseLegend"] == "EID MAR"
    assert (coin["gradingState"], coin["gradeService"], coin["holderType"]) == (
        "SLABBED", "NGC", "NGC_SLAB"
    )
    assert coin["datingCertainty"] == "EXACT"
    assert coin["rarity"] == "EXTREMELY_RARE"
    assert coin["tpgGrading"] == {
        "gradeNumeric": 35,
        "hasStarDesignation": False,
        "photoCertificate": False,
        "verificationUrl": "https://www.ngccoin.com/certlookup/6155743-003/35/",
        "ngcStrikeGrade": 4,
        "ngcSurfaceGrade": 3,
        "isFineStyle": False,
    }
    assert coin["chronology"] == {"datePeriodNotation": "42 BC", "emissionPhase": None}
    assert coin["dieStudy"]["obverseDieId"] == "O3"
    assert coin["dieStudy"]["reverseDieId"] == "R4"
    assert coin["secondaryAuthority"]["secondaryAuthority"] == "L. Plaetorius Cestianus"
    # a travelling military mint: no mint record, no mint text
    assert coin["mintName"] is None
    assert coin["mint"] is None


async def test_tiberius_tribute_penny(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    coin = await fetch(client, coin_ids, TRIBUTE_PENNY)
    assert coin["issuer"] == "Tiberius"
    assert coin["reverseLegend"] == "PONTIF MAXIM"
    assert coin["weightG"] == "3.780"
    assert (coin["yearStart"], coin["yearEnd"]) == (18, 35)
    assert coin["chronology"]["datePeriodNotation"] == "AD 18-35"
    # the coin shows its current grade: the 2021 regrade, not the 2015 one
    assert coin["grade"] == "XF 5/5 - 4/5"
    assert coin["certificationNumber"] == "4718230-012"
    assert coin["tpgGrading"]["gradeNumeric"] == 40
    assert coin["tpgGrading"]["verificationUrl"] == (
        "https://www.ngccoin.com/certlookup/4718230-012/40/"
    )
    assert (coin["tpgGrading"]["ngcStrikeGrade"], coin["tpgGrading"]["ngcSurfaceGrade"]) == (5, 4)
    assert coin["coRuler"]["portraitRelationship"] == "SELF"


async def test_mint_name_is_the_text_and_mint_the_record(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    coin = await fetch(client, coin_ids, TRIBUTE_PENNY)
    assert coin["mintName"] == "Lugdunum"
    lugdunum = MINTS["Lugdunum"]
    assert coin["mint"]["name"] == "Lugdunum"
    assert Decimal(coin["mint"]["latitude"]) == Decimal(str(lugdunum.latitude))
    assert Decimal(coin["mint"]["longitude"]) == Decimal(str(lugdunum.longitude))
    assert coin["mint"]["province"] == lugdunum.province


async def test_byzantine_gold_solidus(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    coin = await fetch(client, coin_ids, SOLIDUS)
    assert (coin["category"], coin["metal"], coin["denomination"]) == (
        "BYZANTINE", "GOLD", "solidus"
    )
    assert coin["issuer"] == "Justinian II"
    assert coin["portraitSubject"] == "Christ"
    assert coin["coRuler"]["portraitRelationship"] == "OTHER"
    assert coin["exergue"] == "CONOP"
    assert coin["weightG"] == "4.470"
    assert (coin["yearStart"], coin["yearEnd"]) == (692, 695)
    assert coin["grade"] == "MS 5/5 - 4/5"
    assert coin["tpgGrading"]["gradeNumeric"] == 62
    assert coin["tpgGrading"]["verificationUrl"] == (
        "https://www.ngccoin.com/certlookup/4283610-021/62/"
    )
    assert coin["mintName"] == "Constantinople"
    assert coin["mint"]["name"] == "Constantinople"
    assert coin["mint"]["modernLocation"] == MINTS["Constantinople"].modern_location


async def test_strike_quality_of_an_off_centre_prutah(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    coin = await fetch(client, coin_ids, OFF_CENTRE)
    assert coin["strikeQualityDetail"] == {
        "strikeQualityDetail": "Struck about 20% off centre to 2 o'clock; date fully on flan",
        "isDoubleStruck": False,
        "isBrockage": False,
        "isOffCenter": True,
        "offCenterPct": 20,
    }
    assert coin["category"] == "JUDAEAN"
    assert coin["secondaryAuthority"] == {
        "secondaryAuthority": "Tiberius", "authorityType": "GOVERNOR"
    }


async def test_secondary_treatments_json_is_the_stored_blob(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    data = await client.execute(
        "query($id: ID!) { coin(id: $id) { secondaryTreatmentsJson } }",
        {"id": gid("Coin", coin_ids[TEST_CUT])},
    )
    assert data["coin"]["secondaryTreatmentsJson"] == {
        "test_cut": {"count": 1, "positions": ["obverse edge"]}
    }


TREATMENTS = """query($id: ID!) { coin(id: $id) { secondaryTreatments {
    isOverstrike undertypeVisible undertypeAttribution hasTestCut testCutCount testCutPositions
    hasBankersMarks hasGraffiti graffitiDescription wasMounted mountEvidence } } }"""
NO_TREATMENT = {
    "isOverstrike": False, "undertypeVisible": None, "undertypeAttribution": None,
    "hasTestCut": False, "testCutCount": None, "testCutPositions": None,
    "hasBankersMarks": False, "hasGraffiti": False, "graffitiDescription": None,
    "wasMounted": False, "mountEvidence": None,
}


@pytest.mark.parametrize(
    ("key", "flags"),
    [
        (TEST_CUT, {"hasTestCut": True, "testCutCount": 1, "testCutPositions": "obverse edge"}),
        ("grk-philip-ii-horseman-1",
         {"hasTestCut": True, "testCutCount": 2, "testCutPositions": "reverse, edge"}),
        ("grk-alexander-amphipolis-111-1", {"hasTestCut": True, "testCutCount": 1}),
        (BRUTUS, {"hasBankersMarks": True}),
        ("byz-phocas-solidus-mounted-1", {
            "wasMounted": True,
            "mountEvidence": "Smoothed edge with traces of solder at 12 o'clock",
        }),
        ("imp-carausius-pax-overstrike-1", {
            "isOverstrike": True,
            "undertypeVisible": "Antoninianus of Victorinus",
            "undertypeAttribution": "Traces of Victorinus' obverse legend behind the bust",
        }),
        ("grk-ptolemy-i-satrap-1",
         {"hasGraffiti": True, "graffitiDescription": "Incised letter M in reverse field"}),
        (SOLIDUS, {}),
    ],
)
async def test_secondary_treatments_value_object(
    client: GraphQLClient, coin_ids: dict[str, int], key: str, flags: dict[str, Any]
) -> None:
    data = await client.execute(TREATMENTS, {"id": gid("Coin", coin_ids[key])})
    assert data["coin"]["secondaryTreatments"] == {**NO_TREATMENT, **flags}


async def test_unknown_coin_is_null(client: GraphQLClient) -> None:
    data = await client.execute(
        "query($id: ID!) { coin(id: $id) { id } }", {"id": gid("Coin", 999_999)}
    )
    assert data == {"coin": None}


async def test_coin_of_another_type_is_an_error(client: GraphQLClient) -> None:
    response = await client.post(
        "query($id: ID!) { coin(id: $id) { id } }", {"id": gid("Mint", 1)}
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"coin": None}
    [error] = payload["errors"]
    assert error["message"] == "Argument 'id' must be the ID of a Coin, not of a Mint"
    assert error["path"] == ["coin"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
