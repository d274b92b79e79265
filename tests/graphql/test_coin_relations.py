"""Every Coin relation, and the relations of collections, series, wishlist, lots and alerts."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.db.engine import create_null_pool_engine, session_factory
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.demo.catalogue_types import DemoCoin
from coinstack_graphql.enrichment.models import (
    Capability,
    LLMEnrichment,
    LLMFeedback,
    ReviewStatus,
)
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch
from tests.support.client import GraphQLClient, graphql_client
from tests.support.databases import copy_of

BRUTUS = "rep-brutus-eid-mar-1"
TRIBUTE_PENNY = "imp-tiberius-tribute-penny-1"
CROSSOVER = "imp-vespasian-iudaea-1"
CRACK_OUT = "imp-trajan-danuvius-1"
SOLIDUS = "byz-justinian-ii-christ-solidus-1"
AUGUSTUS = "imp-augustus-caius-lucius-1"
HOWGEGO = "prov-domitian-antioch-sc-cm-1"
COLLECTIONS = {c.key: c for c in cat.COLLECTIONS}

RELATIONS = """
  databaseId
  images { id }
  references { isPrimary referenceType { localRef } }
  provenanceEvents {
    eventType eventDate auctionHouse saleSeries saleNumber lotNumber hammerPrice
    buyersPremiumPct totalPrice currency dealerName collectionName sortOrder
  }
  countermarks { countermarkType placement condition punchShape description authority reference }
  tags
  gradingHistory {
    eventType gradingState grade gradeService certificationNumber gradeNumeric
    gradedDate sequenceOrder isCurrent
  }
  currentGrading { sequenceOrder grade }
  rarityAssessments { rarityCode raritySystem sourceType sourceName isPrimary sourceDate }
  primaryRarity { rarityCode sourceName }
  censusSnapshots {
    service snapshotDate totalGraded gradeBreakdown coinsAtGrade coinsFiner percentile
    catalogReference
  }
  collections { slug }
  auctionData { auctionHouse saleName lotNumber auctionDate hammerPrice totalPrice currency url }
  fieldHistory { id }
  enrichments { id }
"""
ALL_RELATIONS = f"""query($after: String) {{
  coins(first: 20, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {RELATIONS} }}
  }}
}}"""


def gid(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


def grading_state(demo: DemoCoin) -> str:
    return demo.grading_history[-1].grading_state if demo.grading_history else demo.grading_state


def in_smart(demo: DemoCoin, spec: dict[str, str]) -> bool:
    actual = {"category": demo.category, "metal": demo.metal, "grading_state": grading_state(demo)}
    return all(actual[key] == value for key, value in spec.items())


def collections_of(demo: DemoCoin) -> list[str]:
    """Slugs of the collections holding `demo`, by display order."""
    held = [
        c for c in cat.COLLECTIONS
        if demo.key in c.coin_keys or (c.smart_filter and in_smart(demo, c.smart_filter))
    ]
    return [c.slug for c in sorted(held, key=lambda c: (c.display_order, c.name))]


def percentile(s: Any) -> float:
    """The share of graded coins below this one's grade, in percent."""
    return (s.total_graded - s.coins_at_grade - s.coins_finer) / s.total_graded * 100


def expected_relations(demo: DemoCoin) -> dict[str, Any]:
    history: list[dict[str, Any]]
    if demo.grading_history:
        history = [
            {
                "eventType": e.event_type.upper(),
                "gradingState": e.grading_state.upper(),
                "grade": e.grade,
                "gradeService": upper(e.grade_service),
                "certificationNumber": e.certification_number,
                "gradeNumeric": e.grade_numeric,
                "gradedDate": e.graded_date.isoformat(),
                "sequenceOrder": i,
                "isCurrent": i == len(demo.grading_history) - 1,
            }
            for i, e in enumerate(demo.grading_history)
        ]
    else:  # the loader starts every history with the coin's present state
        history = [{
            "eventType": "INITIAL",
            "gradingState": demo.grading_state.upper(),
            "grade": demo.grade,
            "gradeService": upper(demo.grade_service),
            "certificationNumber": None,
            "gradeNumeric": None,
            "gradedDate": None,
            "sequenceOrder": 0,
            "isCurrent": True,
        }]
    rarities = sorted(demo.rarity_assessments, key=lambda r: not r.is_primary)
    primary = next((r for r in rarities if r.is_primary), None)
    lots = sorted(
        (lot for lot in cat.AUCTION_LOTS if lot.coin_key == demo.key),
        key=lambda lot: lot.auction_date,
        reverse=True,
    )
    return {
        "images": [],
        "references": [
            {"isPrimary": i == 0, "referenceType": {"localRef": ref}}
            for i, ref in enumerate(demo.references)
        ],
        "provenanceEvents": [
            {
                "eventType": p.event_type.upper(),
                "eventDate": p.event_date.isoformat() if p.event_date else None,
                "auctionHouse": p.auction_house,
                "saleSeries": p.sale_series,
                "saleNumber": p.sale_number,
                "lotNumber": p.lot_number,
                "hammerPrice": money(p.hammer_price),
                "buyersPremiumPct": money(p.buyers_premium_pct),
                "totalPrice": money(
                    p.hammer_price * (1 + p.buyers_premium_pct / 100)
                    if p.hammer_price is not None and p.buyers_premium_pct is not None
                    else None
                ),
                "currency": p.currency,
                "dealerName": p.dealer_name,
                "collectionName": p.collection_name,
                "sortOrder": i,
            }
            for i, p in enumerate(demo.provenance)
        ],
        "countermarks": [
            {
                "countermarkType": m.countermark_type.upper(),
                "placement": m.position.upper(),
                "condition": m.condition.upper(),
                "punchShape": m.punch_shape.upper(),
                "description": m.description,
                "authority": m.authority,
                "reference": m.reference,
            }
            for m in demo.countermarks
        ],
        "gradingHistory": history,
        "currentGrading": {
            "sequenceOrder": history[-1]["sequenceOrder"], "grade": history[-1]["grade"]
        },
        "rarityAssessments": [
            {
                "rarityCode": r.rarity_code,
                "raritySystem": r.rarity_system.upper(),
                "sourceType": r.source_type.upper(),
                "sourceName": r.source_name,
                "isPrimary": r.is_primary,
                "sourceDate": r.source_date.isoformat() if r.source_date else None,
            }
            for r in rarities
        ],
        "primaryRarity": (
            None if primary is None
            else {"rarityCode": primary.rarity_code, "sourceName": primary.source_name}
        ),
        "censusSnapshots": [
            {
                "service": s.service.upper(),
                "snapshotDate": s.snapshot_date.isoformat(),
                "totalGraded": s.total_graded,
                "gradeBreakdown": s.grade_breakdown,
                "coinsAtGrade": s.coins_at_grade,
                "coinsFiner": s.coins_finer,
                "percentile": f"{percentile(s):.2f}",
                "catalogReference": s.catalog_reference,
            }
            for s in sorted(demo.census_snapshots, key=lambda s: s.snapshot_date, reverse=True)
        ],
        "collections": [{"slug": slug} for slug in collections_of(demo)],
        "auctionData": [
            {
                "auctionHouse": lot.auction_house,
                "saleName": lot.sale_name,
                "lotNumber": lot.lot_number,
                "auctionDate": lot.auction_date.isoformat(),
                "hammerPrice": money(lot.hammer_price),
                "totalPrice": money(lot.total_price),
                "currency": lot.currency,
                "url": lot.url,
            }
            for lot in lots
        ],
        "fieldHistory": [],
        "enrichments": [],
    }


async def demo_coin_ids(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(ImportRecord.source_id, ImportRecord.coin_id).where(
                ImportRecord.source_type == "demo"
            )
        )
        return {key: coin_id for key, coin_id in rows.all()}


# --- a written copy: what the demo lacks (images, enrichments, history, matches) ----------


@pytest.fixture(scope="module")
def written_db(demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private copy of the demo, made before any client of this module connects."""
    with copy_of(demo_template, Path(tmp_path_factory.mktemp("relations"))) as url:
        yield url


async def _seed(url: str, ids: dict[str, int]) -> dict[str, Any]:
    """Rows no mutation writes yet: an older valuation, enrichments, feedback, matches."""
    engine = create_null_pool_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            solidus = ids[SOLIDUS]
            session.add(CoinValuation(
                coin_id=solidus, valuation_date=date(2025, 5, 1),
                purchase_price=Decimal("8400.00"), current_market_value=Decimal("8100.00"),
                gain_loss_usd=Decimal("-300.00"), comparable_count=2, market_confidence="low",
            ))
            rows = [
                LLMEnrichment(
                    coin_id=solidus, capability=cap, model_id="claude-sonnet-4-6",
                    input_hash=f"h{i}", output_content=f'{{"text": "answer {i}"}}',
                    confidence=0.8, cost_usd=Decimal("0.010000"), review_status=status,
                    created_at=datetime(2026, 1, 1 + i, 12, 0),
                )
                for i, (cap, status) in enumerate([
                    (Capability.CONTEXT_GENERATE, ReviewStatus.APPROVED),
                    (Capability.CONTEXT_GENERATE, ReviewStatus.PENDING),
                    (Capability.LEGEND_EXPAND, ReviewStatus.PENDING),
                ])
            ]
            session.add_all(rows)
            await session.flush()
            session.add(LLMFeedback(
                enrichment_id=rows[0].id, feedback_type="correction",
                field_path="text", corrected_value="better answer",
            ))
            otho = (await session.execute(
                select(WishlistItem.id).where(WishlistItem.title.like("Otho%"))
            )).scalar_one()
            for i, (score, dismissed) in enumerate([(0.55, False), (0.91, False), (0.97, True)]):
                session.add(WishlistMatch(
                    wishlist_item_id=otho, match_type="auction", match_id=f"lot-{i}",
                    title=f"Otho denarius {i}", price=Decimal("3000.00"),
                    match_score=score, dismissed=dismissed,
                ))
            return {"enrichments": [r.id for r in rows], "otho": otho}
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def written(written_db: str) -> AsyncIterator[tuple[GraphQLClient, dict[str, Any]]]:
    async with graphql_client(written_db) as c:
        ids = await demo_coin_ids(c.app.state.coinstack.engine)
        extra = await _seed(written_db, ids)
        penny = gid("Coin", ids[TRIBUTE_PENNY])
        data = await c.execute(
            """mutation($id: ID!) { updateCoin(input: {
                id: $id, weightG: "3.790", grade: "Ch XF", personalNotes: "reweighed" }) {
                userErrors { message } } }""",
            {"id": penny},
        )
        assert data["updateCoin"]["userErrors"] == []
        for image_type, primary in (("OBVERSE", False), ("REVERSE", True), ("EDGE", False)):
            data = await c.execute(
                """mutation($coin: ID!, $type: ImageType!, $primary: Boolean) {
                    addCoinImage(input: {coin: $coin, imageType: $type, isPrimary: $primary,
                                         filePath: "solidus.jpg"}) { userErrors { message } } }""",
                {"coin": gid("Coin", ids[SOLIDUS]), "type": image_type, "primary": primary},
            )
            assert data["addCoinImage"]["userErrors"] == []
        yield c, {"ids": ids, **extra}


@pytest.fixture(scope="module")
async def client(written: Any, demo_db: str) -> AsyncIterator[GraphQLClient]:
    """The read-only demo (requested after `written`, whose copy needs the template idle)."""
    async with graphql_client(demo_db) as c:
        yield c


@pytest.fixture(scope="module")
async def coin_ids(client: GraphQLClient) -> dict[str, int]:
    return await demo_coin_ids(client.app.state.coinstack.engine)


async def coin(client: GraphQLClient, coin_id: int, selection: str) -> dict[str, Any]:
    data = await client.execute(f"query($id: ID!) {{ coin(id: $id) {{ {selection} }} }}",
                                {"id": gid("Coin", coin_id)})
    return data["coin"]


# --- every relation of every demo coin -------------------------------------------------


async def test_every_coin_relation_matches_the_catalogue(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    by_id = {coin_ids[c.key]: c for c in cat.COINS}
    checked = 0
    after = None
    while True:
        page = (await client.execute(ALL_RELATIONS, {"after": after}))["coins"]
        for node in page["nodes"]:
            demo = by_id[node.pop("databaseId")]
            tags = node.pop("tags")
            assert sorted(tags) == sorted(set(demo.tags)), demo.key
            assert node == expected_relations(demo), demo.key
            checked += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert checked == len(cat.COINS) == 162


async def test_mint_relation_is_the_record_named_by_mint_name(client: GraphQLClient) -> None:
    data = await client.execute(
        "{ coins(first: 100, filter: {category: [PROVINCIAL, BYZANTINE]}) "
        "{ nodes { mintName mint { name province } } } }"
    )
    nodes = data["coins"]["nodes"]
    assert len(nodes) == 42
    mints = {m.name: m for m in cat.MINTS}
    for node in nodes:
        if node["mintName"] is None:
            assert node["mint"] is None
        else:
            assert node["mint"] == {
                "name": node["mintName"], "province": mints[node["mintName"]].province
            }


async def test_references_primary_first_with_concordance_and_links(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[AUGUSTUS], """references {
        isPrimary referenceType { localRef system concordanceGroupId
            concordance { localRef }
            externalLinks { catalogSource externalId externalUrl referenceType { localRef } } }
        coin { databaseId } }""")
    refs = got["references"]
    assert [r["referenceType"]["localRef"] for r in refs] == [
        "RIC I² 207", "RSC I 43", "BMCRE I 533", "SRCV I 1597"
    ]
    assert [r["isPrimary"] for r in refs] == [True, False, False, False]
    assert all(r["coin"]["databaseId"] == coin_ids[AUGUSTUS] for r in refs)
    group = set(cat.CONCORDANCE_GROUPS[0])
    for ref in refs:
        own = ref["referenceType"]["localRef"]
        assert {c["localRef"] for c in ref["referenceType"]["concordance"]} == group - {own}
        assert ref["referenceType"]["concordanceGroupId"] == "demo-ric.1(2).207"
    ric = refs[0]["referenceType"]
    assert ric["system"] == "RIC"
    assert ric["externalLinks"] == [{
        "catalogSource": "OCRE",
        "externalId": "ric.1(2).aug.207",
        "externalUrl": "http://numismatics.org/ocre/id/ric.1(2).aug.207",
        "referenceType": {"localRef": "RIC I² 207"},
    }]
    assert refs[1]["referenceType"]["externalLinks"] == []  # RSC has no online catalogue


async def test_crawford_type_links_to_crro(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    got = await coin(client, coin_ids[BRUTUS], """references { referenceType {
        localRef system concordance { localRef }
        externalLinks { catalogSource externalId externalUrl } } }""")
    crawford = got["references"][0]["referenceType"]
    assert (crawford["localRef"], crawford["system"]) == ("Crawford 508/3", "CRAWFORD")
    assert crawford["externalLinks"] == [{
        "catalogSource": "CRRO",
        "externalId": "rrc-508.3",
        "externalUrl": "http://numismatics.org/crro/id/rrc-508.3",
    }]
    assert {c["localRef"] for c in crawford["concordance"]} == {
        "Sydenham 1301", "RSC I 15", "SRCV I 1439", "CRI 216"
    }


async def test_provincial_countermark_and_rpc_link(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[HOWGEGO], """countermarks { countermarkType description
        placement condition punchShape reference databaseId }
        references { referenceType { localRef
            externalLinks { catalogSource externalId externalUrl } } }""")
    [mark] = got["countermarks"]
    assert mark["reference"] == "Howgego 245"
    assert mark["description"] == "Helmeted bust of Athena right in circular punch"
    assert (mark["countermarkType"], mark["placement"], mark["condition"], mark["punchShape"]) == (
        "CIVIC_SYMBOL", "OBVERSE", "PARTIAL", "CIRCULAR"
    )
    [ref] = got["references"]
    assert ref["referenceType"]["localRef"] == "RPC II 2021"
    assert ref["referenceType"]["externalLinks"] == [{
        "catalogSource": "RPC_ONLINE",
        "externalId": "2/2021",
        "externalUrl": "https://rpc.ashmus.ox.ac.uk/coins/2/2021",
    }]


async def test_provenance_in_order_with_totals(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[BRUTUS], """provenanceEvents {
        eventType eventDate collectionName dealerName auctionHouse saleNumber lotNumber
        hammerPrice buyersPremiumPct totalPrice currency sortOrder }""")
    events = got["provenanceEvents"]
    assert [e["eventType"] for e in events] == ["COLLECTION", "PRIVATE_SALE", "AUCTION"]
    assert [e["sortOrder"] for e in events] == [0, 1, 2]
    assert events[0]["collectionName"] == "Old European collection, formed before 1970"
    assert events[1]["dealerName"] == "Private treaty via a London dealer"
    sale = events[2]
    assert (sale["auctionHouse"], sale["saleNumber"], sale["lotNumber"]) == (
        "Heritage Auctions", "3097", "33051"
    )
    assert (sale["hammerPrice"], sale["buyersPremiumPct"], sale["totalPrice"]) == (
        "330000.00", "20.00", "396000.00"
    )
    assert sale["eventDate"] == "2022-01-13"


async def test_grading_history_of_the_crossover_coin(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[CROSSOVER], """gradingHistory {
        eventType gradeService grade certificationNumber sequenceOrder isCurrent verificationUrl
        coin { databaseId } } currentGrading { eventType gradeService } gradeService""")
    history = got["gradingHistory"]
    assert [(e["eventType"], e["gradeService"]) for e in history] == [
        ("INITIAL", "PCGS"), ("CROSSOVER", "NGC")
    ]
    assert [e["sequenceOrder"] for e in history] == [0, 1]
    assert [e["isCurrent"] for e in history] == [False, True]
    assert history[0]["verificationUrl"] == "https://www.pcgs.com/cert/41882317"
    assert history[1]["certificationNumber"] == "5760114-021"
    assert got["currentGrading"] == {"eventType": "CROSSOVER", "gradeService": "NGC"}
    assert got["gradeService"] == "NGC"
    assert {e["coin"]["databaseId"] for e in history} == {coin_ids[CROSSOVER]}


async def test_crack_out_coin_ends_raw(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    got = await coin(client, coin_ids[CRACK_OUT], """gradingHistory { eventType gradingState
        gradeService grade isCurrent } currentGrading { eventType gradingState grade }
        gradingState holderType""")
    history = got["gradingHistory"]
    assert [(e["eventType"], e["gradingState"], e["gradeService"]) for e in history] == [
        ("INITIAL", "SLABBED", "NGC"), ("CRACK_OUT", "RAW", "SELF")
    ]
    assert got["currentGrading"] == {"eventType": "CRACK_OUT", "gradingState": "RAW", "grade": "AU"}
    assert (got["gradingState"], got["holderType"]) == ("RAW", "CAPSULE")


async def test_rarity_and_census(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    got = await coin(client, coin_ids[BRUTUS], """
        rarityAssessments { rarityCode raritySystem isPrimary coin { databaseId } }
        primaryRarity { rarityCode raritySystem sourceName notes }
        censusSnapshots { snapshotDate totalGraded gradeBreakdown coinsAtGrade coinsFiner
            percentile coin { databaseId } }""")
    assert [(r["rarityCode"], r["isPrimary"]) for r in got["rarityAssessments"]] == [
        ("R3", True), ("RRR", False)
    ]
    assert got["primaryRarity"] == {
        "rarityCode": "R3",
        "raritySystem": "CATALOG",
        "sourceName": "Crawford, Roman Republican Coinage (1974)",
        "notes": "About 100 silver specimens known",
    }
    snapshots = got["censusSnapshots"]
    assert [s["snapshotDate"] for s in snapshots] == ["2025-09-01", "2022-01-05"]  # newest first
    assert [s["totalGraded"] for s in snapshots] == [39, 34]
    for s in snapshots:
        assert sum(s["gradeBreakdown"].values()) == s["totalGraded"]
        assert s["coin"]["databaseId"] == coin_ids[BRUTUS]
    assert snapshots[0]["gradeBreakdown"]["Ch VF"] == snapshots[0]["coinsAtGrade"] == 7
    assert snapshots[0]["percentile"] == "51.28"  # (39 - 7 - 12) / 39


async def test_valuation_of_the_solidus(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    got = await coin(client, coin_ids[SOLIDUS], """acquisitionPrice acquisitionDate
        valuations { valuationDate purchasePrice purchaseDate currentMarketValue gainLossUsd
            gainLossPct comparableCount attributionKey coin { databaseId } }
        latestValuation { valuationDate currentMarketValue }""")
    [valuation] = got["valuations"]
    assert valuation["valuationDate"] == cat.DEMO_AS_OF.isoformat()
    assert valuation["purchasePrice"] == got["acquisitionPrice"] == "8400.00"
    assert valuation["purchaseDate"] == got["acquisitionDate"] == "2024-01-11"
    assert valuation["attributionKey"] == "sear.sb.1248"
    current = Decimal(valuation["currentMarketValue"])
    assert Decimal(valuation["gainLossUsd"]) == current - Decimal("8400.00")
    assert Decimal(valuation["gainLossPct"]) == round((current - 8400) / 8400 * 100, 2)
    assert valuation["coin"]["databaseId"] == coin_ids[SOLIDUS]
    assert got["latestValuation"] == {
        "valuationDate": valuation["valuationDate"],
        "currentMarketValue": valuation["currentMarketValue"],
    }


async def test_collections_custom_and_smart(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[SOLIDUS], "collections { name slug collectionType }")
    assert got["collections"] == [
        {"name": "Best of the collection", "slug": "best-of", "collectionType": "CUSTOM"},
        {"name": "Byzantine gold", "slug": "byzantine-gold", "collectionType": "SMART"},
        {"name": "Certified coins", "slug": "certified-coins", "collectionType": "SMART"},
    ]
    penny = await coin(client, coin_ids[TRIBUTE_PENNY], "collections { slug }")
    assert [c["slug"] for c in penny["collections"]] == [
        "twelve-caesars", "roman-imperial", "certified-coins", "coins-of-the-bible"
    ]


async def test_auction_data_is_the_purchase_lot(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(client, coin_ids[SOLIDUS], """auctionData {
        auctionHouse saleName lotNumber auctionDate hammerPrice totalPrice sold
        coin { databaseId } }""")
    assert got["auctionData"] == [{
        "auctionHouse": "Heritage Auctions",
        "saleName": "Auction 3111",
        "lotNumber": "34021",
        "auctionDate": "2024-01-11",
        "hammerPrice": "7000.00",
        "totalPrice": "8400.00",
        "sold": True,
        "coin": {"databaseId": coin_ids[SOLIDUS]},
    }]


async def test_demo_has_no_images_enrichments_or_field_history(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    got = await coin(
        client, coin_ids[SOLIDUS], "images { id } enrichments { id } fieldHistory { id }"
    )
    assert got == {"images": [], "enrichments": [], "fieldHistory": []}


# --- relations the demo leaves empty, on the written copy ------------------------------


async def test_images_primary_first(written: tuple[GraphQLClient, dict[str, Any]]) -> None:
    c, extra = written
    got = await coin(c, extra["ids"][SOLIDUS], "images { imageType isPrimary filePath databaseId }")
    assert [(i["imageType"], i["isPrimary"]) for i in got["images"]] == [
        ("REVERSE", True), ("OBVERSE", False), ("EDGE", False)
    ]
    assert {i["filePath"] for i in got["images"]} == {"solidus.jpg"}


async def test_field_history_after_update_coin(
    written: tuple[GraphQLClient, dict[str, Any]]
) -> None:
    c, extra = written
    got = await coin(c, extra["ids"][TRIBUTE_PENNY], """weightG grade
        fieldHistory { id fieldName oldValue newValue changeType changedBy batchId databaseId }""")
    assert (got["weightG"], got["grade"]) == ("3.790", "Ch XF")
    changes = {h["fieldName"]: h for h in got["fieldHistory"]}
    assert set(changes) == {"weight_g", "grade", "personal_notes"}
    assert (changes["weight_g"]["oldValue"], changes["weight_g"]["newValue"]) == ("3.780", "3.790")
    assert (changes["grade"]["oldValue"], changes["grade"]["newValue"]) == ("XF 5/5 - 4/5", "Ch XF")
    assert (changes["personal_notes"]["oldValue"], changes["personal_notes"]["newValue"]) == (
        None, "reweighed"
    )
    batches = {h["batchId"] for h in got["fieldHistory"]}
    assert len(batches) == 1 and None not in batches
    assert {h["changeType"] for h in got["fieldHistory"]} == {"manual"}
    # newest first: the ids of one batch come back in descending order
    ids = [h["databaseId"] for h in got["fieldHistory"]]
    assert ids == sorted(ids, reverse=True)
    limited = await coin(c, extra["ids"][TRIBUTE_PENNY], "fieldHistory(limit: 1) { databaseId }")
    assert limited["fieldHistory"] == [{"databaseId": ids[0]}]


async def test_valuations_newest_first(written: tuple[GraphQLClient, dict[str, Any]]) -> None:
    c, extra = written
    got = await coin(c, extra["ids"][SOLIDUS], """valuations { valuationDate currentMarketValue }
        latestValuation { valuationDate }""")
    dates = [v["valuationDate"] for v in got["valuations"]]
    assert dates == [cat.DEMO_AS_OF.isoformat(), "2025-05-01"]
    assert got["valuations"][1]["currentMarketValue"] == "8100.00"
    assert got["latestValuation"] == {"valuationDate": cat.DEMO_AS_OF.isoformat()}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("", [2, 1, 0]),  # newest first
        ("(capability: CONTEXT_GENERATE)", [1, 0]),
        ("(reviewStatus: PENDING)", [2, 1]),
        ("(capability: CONTEXT_GENERATE, reviewStatus: APPROVED)", [0]),
        ("(capability: CATALOG_SUGGEST)", []),
    ],
)
async def test_enrichments_filtered(
    written: tuple[GraphQLClient, dict[str, Any]], arguments: str, expected: list[int]
) -> None:
    c, extra = written
    got = await coin(c, extra["ids"][SOLIDUS], f"enrichments{arguments} {{ databaseId }}")
    wanted = [extra["enrichments"][i] for i in expected]
    assert [e["databaseId"] for e in got["enrichments"]] == wanted


async def test_enrichment_relations(written: tuple[GraphQLClient, dict[str, Any]]) -> None:
    c, extra = written
    got = await coin(c, extra["ids"][SOLIDUS], """enrichments(reviewStatus: APPROVED) {
        capability reviewStatus modelId output outputContent costUsd
        coin { databaseId } promptTemplate { id }
        feedback { feedbackType fieldPath correctedValue } }""")
    [enrichment] = got["enrichments"]
    assert enrichment["capability"] == "CONTEXT_GENERATE"
    assert enrichment["output"] == {"text": "answer 0"}
    assert enrichment["outputContent"] == '{"text": "answer 0"}'
    assert enrichment["costUsd"] == "0.010000"
    assert enrichment["coin"] == {"databaseId": extra["ids"][SOLIDUS]}
    assert enrichment["promptTemplate"] is None
    assert enrichment["feedback"] == [
        {"feedbackType": "correction", "fieldPath": "text", "correctedValue": "better answer"}
    ]


async def test_wishlist_item_matches(written: tuple[GraphQLClient, dict[str, Any]]) -> None:
    c, extra = written
    query = """query($id: ID!) { node(id: $id) { ... on WishlistItem {
        title matches { title matchScore dismissed wishlistItem { databaseId } }
        all: matches(includeDismissed: true) { title } } } }"""
    item = (await c.execute(query, {"id": gid("WishlistItem", extra["otho"])}))["node"]
    assert item["title"] == "Otho denarius, SECVRITAS P R"
    assert [m["title"] for m in item["matches"]] == ["Otho denarius 1", "Otho denarius 0"]
    assert [m["dismissed"] for m in item["matches"]] == [False, False]
    assert {m["wishlistItem"]["databaseId"] for m in item["matches"]} == {extra["otho"]}
    assert [m["title"] for m in item["all"]] == [
        "Otho denarius 2", "Otho denarius 1", "Otho denarius 0"
    ]


# --- collections, series, wishlist, lots, alerts ---------------------------------------


COLLECTION = """query($id: ID!) { collection(id: $id) {
    name collectionType coinCount totalValue
    parent { slug } children { slug }
    coins(first: 100) { totalCount nodes { databaseId latestValuation { currentMarketValue }
        estimatedValueUsd } }
} }"""


async def collection_ids(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute(
        """query($p: ID!) { a: collections(first: 50) { nodes { id slug } }
            b: collections(parent: $p) { nodes { id slug } } }""",
        {"p": gid("Collection", 3)},
    )
    return {n["slug"]: n["id"] for n in data["a"]["nodes"] + data["b"]["nodes"]}


async def test_custom_collection_coins_in_position_order(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    ids = await collection_ids(client)
    got = (await client.execute(COLLECTION, {"id": ids["best-of"]}))["collection"]
    expected = [coin_ids[k] for k in COLLECTIONS["best-of"].coin_keys]
    assert [n["databaseId"] for n in got["coins"]["nodes"]] == expected
    assert got["coins"]["totalCount"] == got["coinCount"] == 10
    # a coin's value: its latest valuation's market value, else the owner's estimate
    values = [
        Decimal((n["latestValuation"] or {}).get("currentMarketValue")
                or n["estimatedValueUsd"] or 0)
        for n in got["coins"]["nodes"]
    ]
    assert Decimal(got["totalValue"]) == sum(values)
    assert (got["parent"], got["children"]) == (None, [])
    # position order pages like any connection
    first = await client.execute(
        """query($id: ID!) { collection(id: $id) { coins(first: 4) {
            pageInfo { hasNextPage endCursor } nodes { databaseId } } } }""",
        {"id": ids["best-of"]},
    )
    page = first["collection"]["coins"]
    rest = await client.execute(
        """query($id: ID!, $after: String) { collection(id: $id) { coins(first: 10, after: $after) {
            pageInfo { hasNextPage hasPreviousPage } nodes { databaseId } } } }""",
        {"id": ids["best-of"], "after": page["pageInfo"]["endCursor"]})
    tail = rest["collection"]["coins"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [n["databaseId"] for n in page["nodes"] + tail["nodes"]] == expected
    assert (tail["pageInfo"]["hasNextPage"], tail["pageInfo"]["hasPreviousPage"]) == (False, True)


async def test_smart_collection_coins_and_hierarchy(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    ids = await collection_ids(client)
    imperial = (await client.execute(COLLECTION, {"id": ids["roman-imperial"]}))["collection"]
    expected = sorted(coin_ids[c.key] for c in cat.COINS if c.category == "imperial")
    assert imperial["collectionType"] == "SMART"
    assert [n["databaseId"] for n in imperial["coins"]["nodes"]] == expected
    assert imperial["coins"]["totalCount"] == imperial["coinCount"] == 51
    assert imperial["children"] == [{"slug": "severan-women"}]
    severan = (await client.execute(COLLECTION, {"id": ids["severan-women"]}))["collection"]
    assert severan["parent"] == {"slug": "roman-imperial"}
    assert [n["databaseId"] for n in severan["coins"]["nodes"]] == [
        coin_ids[k] for k in COLLECTIONS["severan-women"].coin_keys
    ]
    gold = (await client.execute(COLLECTION, {"id": ids["byzantine-gold"]}))["collection"]
    assert sorted(n["databaseId"] for n in gold["coins"]["nodes"]) == sorted(
        coin_ids[c.key] for c in cat.COINS if c.category == "byzantine" and c.metal == "gold"
    )


async def test_series_slots_and_completion(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    data = await client.execute("""{ series { name slug slotCount filledCount completionPct
        isComplete targetCount slots { slotNumber name priority coin { databaseId }
        series { slug } } } }""")
    by_slug = {s["slug"]: s for s in data["series"]}
    assert [s["name"] for s in data["series"]] == ["Severan women", "Twelve Caesars"]
    caesars = by_slug["twelve-caesars"]
    assert (caesars["slotCount"], caesars["filledCount"], caesars["targetCount"]) == (12, 9, 12)
    assert caesars["completionPct"] == 75.0
    assert caesars["isComplete"] is False
    demo = next(s for s in cat.SERIES if s.key == "twelve-caesars")
    assert [
        (s["slotNumber"], s["name"], s["priority"], s["coin"] and s["coin"]["databaseId"])
        for s in caesars["slots"]
    ] == [
        (d.slot_number, d.name, d.priority, coin_ids[d.coin_key] if d.coin_key else None)
        for d in demo.slots
    ]
    assert {s["series"]["slug"] for s in caesars["slots"]} == {"twelve-caesars"}
    severan = by_slug["severan-women"]
    assert (severan["slotCount"], severan["filledCount"], severan["completionPct"]) == (9, 4, 44.4)


async def test_wishlist_item_relations(client: GraphQLClient) -> None:
    data = await client.execute("""{ wishlistItems(first: 20) { nodes { title priority
        seriesSlot { slotNumber name series { slug } coin { id } } acquiredCoin { id }
        matches { id } } } }""")
    items = {i["title"]: i for i in data["wishlistItems"]["nodes"]}
    assert items["Otho denarius, SECVRITAS P R"]["seriesSlot"] == {
        "slotNumber": 8, "name": "Otho", "series": {"slug": "twelve-caesars"}, "coin": None
    }
    assert items["Plautilla denarius, PROPAGO IMPERI"]["seriesSlot"]["series"] == {
        "slug": "severan-women"
    }
    assert items["Julius Caesar lifetime portrait denarius"]["seriesSlot"] is None
    assert all(i["acquiredCoin"] is None and i["matches"] == [] for i in items.values())


async def test_auction_lot_coin_and_reference_type(
    client: GraphQLClient, coin_ids: dict[str, int]
) -> None:
    data = await client.execute("""{ auctionLots(first: 100, filter: {linkedToCollection: true}) {
        totalCount nodes { auctionHouse lotNumber auctionDate totalPrice primaryReference
            coin { databaseId } referenceType { localRef } } } }""")
    lots = data["auctionLots"]
    purchases = [lot for lot in cat.AUCTION_LOTS if lot.coin_key]
    assert lots["totalCount"] == len(purchases) == 32
    expected = {
        (lot.auction_house, lot.lot_number, lot.auction_date.isoformat()): coin_ids[lot.coin_key]
        for lot in purchases if lot.coin_key
    }
    got = {(n["auctionHouse"], n["lotNumber"], n["auctionDate"]): n["coin"]["databaseId"]
           for n in lots["nodes"]}
    assert got == expected
    solidus = next(n for n in lots["nodes"] if n["coin"]["databaseId"] == coin_ids[SOLIDUS])
    assert solidus["totalPrice"] == "8400.00"
    assert solidus["referenceType"] == {"localRef": "SB 1248"}


async def test_price_alert_relations(client: GraphQLClient, coin_ids: dict[str, int]) -> None:
    data = await client.execute("""{ priceAlerts(first: 20) { nodes { triggerType status
        attributionKey thresholdValue thresholdPct windowMonths notes
        coin { databaseId } wishlistItem { title } } } }""")
    alerts = data["priceAlerts"]["nodes"]
    assert len(alerts) == len(cat.PRICE_ALERTS)
    wishes = {w.key: w.title for w in cat.WISHLIST}
    for node, demo in zip(alerts, cat.PRICE_ALERTS, strict=True):
        assert node["triggerType"] == demo.trigger_type.upper()
        assert node["status"] == demo.status.upper()
        assert node["coin"] == (
            {"databaseId": coin_ids[demo.coin_key]} if demo.coin_key else None
        )
        assert node["wishlistItem"] == (
            {"title": wishes[demo.wishlist_key]} if demo.wishlist_key else None
        )
        assert node["notes"] == demo.notes
        assert node["windowMonths"] == demo.window_months
        if demo.threshold_value is not None:
            assert Decimal(node["thresholdValue"]) == demo.threshold_value
        if demo.threshold_pct is not None:
            assert Decimal(node["thresholdPct"]) == Decimal(str(demo.threshold_pct))
    eid_mar = next(a for a in alerts if a["attributionKey"] == "crawford.508.3")
    assert eid_mar["thresholdValue"] == "450000.00"
    assert eid_mar["coin"] == {"databaseId": coin_ids[BRUTUS]}

