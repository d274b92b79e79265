"""A CoinStack V2.1 collection written straight into a database at the baseline revision.

The rows go in through Core inserts against the *reflected* V2.1 tables, never the ORM: the
models describe the head schema, and a V2.1 database was written by V2.1 code. The data are
real coins (a Tiberius tribute penny, a Caesar elephant denarius, an NGC-slabbed Athenian
owl, a Hadrian sestertius, countermarked asses and an overstruck Hellenistic bronze) and
every V2.1 table holds at least one row, so a migration that loses anything shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import Connection

from coinstack_graphql.db.urls import sync_url

BASELINE = "892810d42bbe"

# Coin ids, named so the tests read as numismatics rather than numbers.
TIBERIUS = 1  # denarius, "tribute penny", RIC I² 30, Lugdunum
CAESAR = 2  # elephant denarius, Crawford 443/1
ATHENS_OWL = 3  # tetradrachm, NGC Ch XF 5/5 - 4/5, cert 4373951-011
HADRIAN = 4  # sestertius, Rome
AUGUSTUS_AS = 5  # Lugdunum altar as, countermarked VAR and TIB
SELEUCID_AE = 6  # bronze overstruck on a Ptolemaic bronze
CLAUDIUS_AS = 7  # as countermarked NCAPR

ENRICHED_AT = {
    TIBERIUS: datetime(2025, 11, 3, 14, 22, 5),
    CAESAR: datetime(2025, 10, 20, 9, 0, 0),
}

TIBERIUS_SECTIONS = {
    "historical_context": (
        "Struck at Lugdunum throughout Tiberius' reign; the reverse figure is usually "
        "read as Livia in the guise of Pax."
    ),
    "numismatic_notes": "RIC I² 30: the commonest of the PONTIF MAXIM variants.",
}
TIBERIUS_SIGNIFICANCE = (
    "Identified since the nineteenth century with the 'tribute penny' of Mark 12:17."
)
TIBERIUS_SUGGESTED = ["RIC I² 30", "RSC 16a", "BMCRE 48"]
CAESAR_SECTIONS = {
    "historical_context": (
        "Struck 49-48 BC by a mint moving with Caesar; the elephant trampling a serpent "
        "(or carnyx) proclaims victory over Gaul."
    ),
}
CAESAR_SIGNIFICANCE = "Bought at my first Triton; the coin that started the Republican tray."
OWL_SUGGESTED = ["SNG Cop 31", "Kroll 8", "Dewing 1591"]
HADRIAN_SIGNIFICANCE = "Written by me: a restitutor issue from Hadrian's travels."
SELEUCID_SIGNIFICANCE = (
    "Overstrikes on Ptolemaic bronzes date the Seleucid takeover of Koile Syria after 200 BC."
)

TREATMENTS: dict[int, Any] = {
    TIBERIUS: {"test_cut": {"count": 2, "positions": "obverse at 3h"}},
    CAESAR: {"bankers_marks": True, "graffiti": "Greek letter Δ"},
    HADRIAN: ["test cut", "mounted"],
    AUGUSTUS_AS: {"has_test_cut": True},
    SELEUCID_AE: {"overstrike": {"undertype": "traces of ΠΡΟ", "attribution": "Ptolemaic bronze"}},
}
# V2.1 also holds hand-typed prose in the column; it must survive as-is.
CLAUDIUS_TREATMENTS_PROSE = "graffito; banker's mark"

RARITY: dict[int, str | None] = {
    TIBERIUS: "common",
    CAESAR: "scarce",
    ATHENS_OWL: None,
    HADRIAN: "rare",
    AUGUSTUS_AS: "very_rare",
    SELEUCID_AE: "extremely_rare",
    CLAUDIUS_AS: "unique",
}
HADRIAN_RARITY_NOTE = "RIC rates it R; three in CoinArchives."

# countermark id -> (coin, V2.1 type)
COUNTERMARKS: dict[int, tuple[int, str]] = {
    1: (AUGUSTUS_AS, "military"),
    2: (AUGUSTUS_AS, "imperial"),
    3: (CLAUDIUS_AS, "host_validation"),
    4: (CLAUDIUS_AS, "value_reduction"),
    5: (CLAUDIUS_AS, "other"),
    6: (SELEUCID_AE, "civic"),
}


def _json(value: Any) -> str:
    """V2.1 wrote its TEXT-held JSON with json.dumps and kept non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False)


def _coin(coin_id: int, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": coin_id,
        "created_at": datetime(2024, 1, coin_id, 10, 0, 0),
        "updated_at": datetime(2024, 6, coin_id, 10, 0, 0),
        "is_circa": False,
        "for_sale": False,
        "issue_status": "official",
        "grading_state": "raw",
        "rarity": RARITY[coin_id],
    }
    if coin_id in TREATMENTS:
        base["secondary_treatments"] = _json(TREATMENTS[coin_id])
    return {**base, **values}


COINS: list[dict[str, Any]] = [
    _coin(
        TIBERIUS,
        category="imperial",
        sub_category="Julio-Claudian",
        denomination="denarius",
        metal="silver",
        issuer="Tiberius",
        portrait_subject="Tiberius",
        mint="Lugdunum",
        mint_id=1,
        issuer_term_id=1,
        mint_term_id=2,
        year_start=14,
        year_end=37,
        reign_start=14,
        reign_end=37,
        is_circa=True,
        dating_certainty="broad",
        weight_g=Decimal("3.780"),
        diameter_mm=Decimal("19.00"),
        die_axis=6,
        orientation="obverse_up",
        obverse_legend="TI CAESAR DIVI AVG F AVGVSTVS",
        obverse_description="Laureate head of Tiberius right",
        reverse_legend="PONTIF MAXIM",
        reverse_description="Livia as Pax seated right, holding sceptre and olive branch",
        grade="VF",
        grade_service="self",
        surface_issues=["light porosity", "test cuts"],
        acquisition_date=date(2024, 3, 15),
        acquisition_price=Decimal("1234.56"),
        acquisition_currency="USD",
        acquisition_source="Classical Numismatic Group",
        acquisition_url="https://www.cngcoins.com/Coin.aspx?CoinID=512345",
        estimated_value_usd=Decimal("1500.00"),
        holder_type="flip",
        storage_location="T1-R3",
        obverse_die_id="TIB-O-17",
        historical_significance=TIBERIUS_SIGNIFICANCE,
        llm_enriched_at=ENRICHED_AT[TIBERIUS],
        llm_analysis_sections=_json(TIBERIUS_SECTIONS),
        llm_suggested_references=_json(TIBERIUS_SUGGESTED),
        field_sources={"historical_significance": "llm", "weight_g": "manual"},
    ),
    _coin(
        CAESAR,
        category="republic",
        denomination="denarius",
        metal="silver",
        issuer="Julius Caesar",
        mint="military mint with Caesar",
        year_start=-49,
        year_end=-48,
        weight_g=Decimal("3.920"),
        diameter_mm=Decimal("18.50"),
        die_axis=3,
        obverse_description="Elephant right trampling serpent; CAESAR in exergue",
        reverse_description="Culullus, aspergillum, axe and apex",
        exergue="CAESAR",
        grade="gVF",
        grade_service="dealer",
        acquisition_price=Decimal("2650.00"),
        acquisition_currency="EUR",
        rarity_notes="Crawford 443/1",
        historical_significance=CAESAR_SIGNIFICANCE,
        llm_enriched_at=ENRICHED_AT[CAESAR],
        llm_analysis_sections=_json(CAESAR_SECTIONS),
        field_sources={"historical_significance": "manual"},
    ),
    _coin(
        ATHENS_OWL,
        category="greek",
        denomination="tetradrachm",
        metal="silver",
        issuer="Athens",
        mint="Athens",
        mint_id=3,
        year_start=-454,
        year_end=-404,
        is_circa=True,
        weight_g=Decimal("17.205"),
        diameter_mm=Decimal("24.00"),
        die_axis=9,
        obverse_description="Helmeted head of Athena right",
        reverse_description="Owl standing right, head facing; olive sprig and crescent",
        reverse_legend="ΑΘΕ",
        grading_state="slabbed",
        grade="Ch XF",
        grade_service="ngc",
        certification_number="4373951-011",
        strike_quality=5,
        surface_quality=4,
        holder_type="ngc_slab",
        acquisition_price=Decimal("3100.00"),
        llm_suggested_references=_json(OWL_SUGGESTED),
    ),
    _coin(
        HADRIAN,
        category="imperial",
        sub_category="Adoptive",
        denomination="sestertius",
        metal="orichalcum",
        issuer="Hadrian",
        mint="Rome",
        mint_id=2,
        year_start=134,
        year_end=138,
        weight_g=Decimal("25.610"),
        diameter_mm=Decimal("33.00"),
        die_axis=6,
        obverse_legend="HADRIANVS AVG COS III P P",
        grade="F",
        rarity_notes=HADRIAN_RARITY_NOTE,
        historical_significance=HADRIAN_SIGNIFICANCE,
    ),
    _coin(
        AUGUSTUS_AS,
        category="imperial",
        denomination="as",
        metal="copper",
        issuer="Augustus",
        mint="Lugdunum",
        mint_id=1,
        year_start=-7,
        year_end=-3,
        weight_g=Decimal("10.480"),
        diameter_mm=Decimal("26.00"),
        die_axis=12,
        reverse_description="Altar of the Three Gauls; ROM ET AVG below",
        grade="aVF",
    ),
    _coin(
        SELEUCID_AE,
        category="greek",
        denomination="AE 20",
        metal="bronze",
        issuer="Antiochos III",
        mint="Antioch",
        year_start=-200,
        year_end=-187,
        weight_g=Decimal("8.155"),
        die_axis=0,
        grade="Fine",
        historical_significance=SELEUCID_SIGNIFICANCE,
        field_sources={"historical_significance": {"source": "claude", "at": "2025-09-01"}},
    ),
    _coin(
        CLAUDIUS_AS,
        category="imperial",
        denomination="as",
        metal="copper",
        issuer="Claudius",
        mint="Rome",
        mint_id=2,
        year_start=41,
        year_end=50,
        weight_g=Decimal("10.960"),
        grade="VF",
        grade_service="pcgs",
        secondary_treatments=CLAUDIUS_TREATMENTS_PROSE,
    ),
]


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every V2.1 table, parents first."""
    when = datetime(2025, 2, 1, 12, 0, 0)
    return {
        "mints": [
            {
                "id": 1,
                "name": "Lugdunum",
                "province": "Gallia Lugdunensis",
                "modern_location": "Lyon, France",
                "latitude": Decimal("45.764043"),
                "longitude": Decimal("4.835659"),
            },
            {
                "id": 2,
                "name": "Rome",
                "province": "Italia",
                "modern_location": "Rome, Italy",
                "latitude": Decimal("41.902782"),
                "longitude": Decimal("12.496366"),
            },
            {"id": 3, "name": "Athens", "province": "Attica", "modern_location": "Athens, Greece"},
        ],
        "vocab_terms": [
            {
                "id": 1,
                "vocabulary": "issuer",
                "canonical_name": "Tiberius",
                "nomisma_id": "tiberius",
                "metadata": {"reign": [14, 37]},
                "created_at": when,
            },
            {
                "id": 2,
                "vocabulary": "mint",
                "canonical_name": "Lugdunum",
                "nomisma_id": "lugdunum",
                "created_at": when,
            },
        ],
        "reference_types": [
            {
                "id": 1,
                "system": "ric",
                "local_ref": "RIC I² 30",
                "local_ref_normalized": "ric.1(2).30",
                "volume": "I",
                "number": "30",
                "edition": "2",
                "external_id": "ric.1(2).tib.30",
                "external_url": "http://numismatics.org/ocre/id/ric.1(2).tib.30",
                "lookup_status": "success",
                "lookup_confidence": Decimal("0.95"),
                "payload": {"denomination": "denarius", "mint": "Lugdunum"},
                "bibliography_refs": ["Mattingly 1923"],
                "created_at": when,
            },
            {
                "id": 2,
                "system": "crawford",
                "local_ref": "Crawford 443/1",
                "local_ref_normalized": "crawford.443.1",
                "number": "443/1",
                "external_url": "http://numismatics.org/crro/id/rrc-443.1",
            },
            {
                "id": 3,
                "system": "ric",
                "local_ref": "RIC II 563",
                "local_ref_normalized": "ric.2.563",
                "volume": "II",
                "number": "563",
            },
            {
                "id": 4,
                "system": "sng",
                "local_ref": "SNG Cop 31",
                "local_ref_normalized": "sng.cop.31",
                "number": "31",
            },
        ],
        "monograms": [{"id": 1, "label": "ΑΡ ligature", "reference": "SC 1020"}],
        "series": [
            {
                "id": 1,
                "name": "Twelve Caesars",
                "slug": "twelve-caesars",
                "series_type": "ruler",
                "target_count": 12,
                "is_complete": False,
                "canonical_vocab_id": 1,
            },
        ],
        "series_slots": [
            {"id": 1, "series_id": 1, "slot_number": 3, "name": "Tiberius", "priority": 1},
        ],
        "audit_runs": [
            {
                "id": 1,
                "started_at": when,
                "scope": "all",
                "coin_ids": [1, 2, 3],
                "total_coins": 7,
                "coins_audited": 7,
                "status": "completed",
                "config_snapshot": {"trust": {"cng": 0.9}},
            },
        ],
        "enrichment_jobs": [
            {
                "id": "5f0c6f7e-9d3b-4e0a-8a67-3c2b1d4e5f60",
                "status": "completed",
                "total": 7,
                "progress": 7,
                "result_summary": _json({"updated": 2}),
                "updated": 2,
                "conflicts": 1,
                "not_found": 0,
                "errors": 0,
            },
        ],
        "coins_v2": COINS,
        "auction_data_v2": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "auction_house": "Classical Numismatic Group",
                "sale_name": "Triton XXV",
                "lot_number": "812",
                "auction_date": date(2022, 1, 11),
                "url": "https://www.cngcoins.com/Lot.aspx?LOT_ID=812",
                "hammer_price": Decimal("1100.00"),
                "total_price": Decimal("1353.00"),
                "buyers_premium_pct": Decimal("23.00"),
                "currency": "USD",
                "sold": True,
                "ruler": "Tiberius",
                "denomination": "Denarius",
                "weight_g": Decimal("3.780"),
                "diameter_mm": Decimal("19.00"),
                "die_axis": 6,
                "categories": ["Roman Imperial"],
                "catalog_references": ["RIC I² 30"],
                "reference_type_id": 1,
                "photos": ["https://images.cngcoins.com/812.jpg"],
                "raw_data": {"lot": 812},
            },
            {
                "id": 2,
                "auction_house": "Numismatica Ars Classica",
                "url": "https://www.arscoins.com/auction/138/lot/55",
                "hammer_price": Decimal("4200.00"),
                "currency": "CHF",
                "grade": "Ch XF",
                "grade_service": "NGC",
                "strike_score": "5/5",
                "surface_score": "4/5",
            },
        ],
        "price_history": [
            {
                "id": 1,
                "reference_type_id": 1,
                "period_date": date(2025, 1, 1),
                "period_type": "monthly",
                "min_price": Decimal("650.00"),
                "max_price": Decimal("2400.00"),
                "median_price": Decimal("1150.00"),
                "comp_count": 14,
                "sold_count": 12,
                "passed_count": 2,
                "created_at": when,
            },
        ],
        "reference_match_attempts": [
            {
                "id": 1,
                "reference_type_id": 1,
                "timestamp": when,
                "query_sent": "RIC I 30",
                "context_used": {"ruler": "Tiberius"},
                "result_status": "success",
                "confidence": Decimal("0.95"),
                "candidates_returned": 3,
            },
        ],
        "coin_monograms": [{"coin_id": SELEUCID_AE, "monogram_id": 1}],
        "coin_references": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "reference_type_id": 1,
                "is_primary": True,
                "plate_coin": False,
                "position": "both",
                "page": "95",
            },
            {"id": 2, "coin_id": CAESAR, "reference_type_id": 2, "is_primary": True},
            {
                "id": 3,
                "coin_id": HADRIAN,
                "reference_type_id": 3,
                "is_primary": True,
                "variant_notes": "bust draped",
            },
            {"id": 4, "coin_id": ATHENS_OWL, "reference_type_id": 4, "is_primary": False},
        ],
        "coin_tags": [
            {"id": 1, "coin_id": TIBERIUS, "tag": "tribute penny"},
            {"id": 2, "coin_id": TIBERIUS, "tag": "India hoard"},
            {"id": 3, "coin_id": CAESAR, "tag": "Caesar"},
        ],
        "coin_vocab_assignments": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "term_id": 1,
                "field_name": "issuer",
                "raw_value": "Tiberius",
                "confidence": Decimal("1.00"),
                "method": "exact",
                "assigned_at": when,
            },
        ],
        "countermarks": [
            {
                "id": 1,
                "coin_id": AUGUSTUS_AS,
                "countermark_type": "military",
                "description": "VAR",
                "expanded": "P. Quinctilius Varus",
                "placement": "obverse",
                "position": "before face",
                "condition": "clear",
            },
            {
                "id": 2,
                "coin_id": AUGUSTUS_AS,
                "countermark_type": "imperial",
                "description": "TIB",
                "placement": "reverse",
                "condition": "partial",
            },
            {
                "id": 3,
                "coin_id": CLAUDIUS_AS,
                "countermark_type": "host_validation",
                "description": "NCAPR",
                "placement": "obverse",
                "condition": "clear",
                "authority": "Nero",
            },
            {
                "id": 4,
                "coin_id": CLAUDIUS_AS,
                "countermark_type": "value_reduction",
                "description": "Β in circular punch",
                "placement": "reverse",
            },
            {
                "id": 5,
                "coin_id": CLAUDIUS_AS,
                "countermark_type": "other",
                "description": "obliterated mark",
                "placement": "reverse",
                "condition": "uncertain",
            },
            {
                "id": 6,
                "coin_id": SELEUCID_AE,
                "countermark_type": "civic",
                "description": "head of Tyche in oval punch",
                "placement": "obverse",
                "image_side": "obverse",
                "notes": "Antioch civic countermark",
            },
        ],
        "field_history": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "field_name": "weight_g",
                "old_value": "3.75",
                "new_value": "3.78",
                "old_source": "cng",
                "new_source": "manual",
                "change_type": "manual",
                "changed_at": when,
                "batch_id": "0b8e6a44-6c1d-4f5e-9b7a-2d3c4e5f6a7b",
            },
        ],
        "import_records": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "source_type": "cng",
                "source_id": "512345",
                "source_url": "https://www.cngcoins.com/Coin.aspx?CoinID=512345",
                "imported_at": when,
                "raw_data": {"title": "Tiberius AR Denarius"},
                "import_method": "url",
            },
        ],
        "series_memberships": [
            {"id": 1, "series_id": 1, "slot_id": 1, "coin_id": TIBERIUS, "added_at": when},
        ],
        "coin_images": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "image_type": "obverse",
                "file_path": "images/1/obv.jpg",
                "is_primary": True,
                "perceptual_hash": "f0e1d2c3b4a59687",
                "source_auction_id": 1,
            },
            {
                "id": 2,
                "coin_id": TIBERIUS,
                "image_type": "reverse",
                "file_path": "images/1/rev.jpg",
                "perceptual_hash": "0f1e2d3c4b5a6978",
            },
            {
                "id": 3,
                "coin_id": ATHENS_OWL,
                "image_type": "slab",
                "file_path": "images/3/slab.jpg",
                "width": 1600,
                "height": 2400,
            },
        ],
        "discrepancy_records": [
            {
                "id": 1,
                "created_at": when,
                "coin_id": TIBERIUS,
                "auction_data_id": 1,
                "audit_run_id": 1,
                "field_name": "weight_g",
                "current_value": "3.78",
                "auction_value": "3.75",
                "similarity": 0.99,
                "source_house": "cng",
                "trust_level": "high",
                "status": "pending",
            },
        ],
        "enrichment_records": [
            {
                "id": 1,
                "created_at": when,
                "coin_id": TIBERIUS,
                "auction_data_id": 1,
                "audit_run_id": 1,
                "field_name": "thickness_mm",
                "suggested_value": "2.1",
                "source_house": "cng",
                "trust_level": "high",
                "confidence": 0.8,
                "status": "pending",
            },
        ],
        "provenance_events": [
            {
                "id": 1,
                "coin_id": TIBERIUS,
                "event_type": "auction",
                "event_date": date(2022, 1, 11),
                "auction_house": "CNG",
                "sale_series": "Triton",
                "sale_number": "XXV",
                "lot_number": "812",
                "hammer_price": Decimal("1100.00"),
                "buyers_premium_pct": Decimal("23.00"),
                "total_price": Decimal("1353.00"),
                "currency": "USD",
                "auction_data_id": 1,
                "sort_order": 1,
            },
            {
                "id": 2,
                "coin_id": CAESAR,
                "event_type": "collection",
                "collection_name": "Hunt collection",
                "notes": "ex Sotheby's 1991",
            },
            {
                "id": 3,
                "coin_id": ATHENS_OWL,
                "event_type": "dealer",
                "dealer_name": "Harlan J. Berk",
                "receipt_available": True,
            },
        ],
        "image_auction_sources": [
            {
                "id": 1,
                "created_at": when,
                "image_id": 1,
                "auction_data_id": 1,
                "source_url": "https://images.cngcoins.com/812.jpg",
                "source_house": "cng",
            },
        ],
    }


def fill_v21(database_url: str) -> None:
    """Write the V2.1 collection into a database at the baseline revision."""
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as conn:
            meta = MetaData()
            meta.reflect(conn)
            rows = _rows()
            missing = set(meta.tables) - set(rows) - {"alembic_version"}
            assert not missing, f"V2.1 tables left empty by the fixture: {sorted(missing)}"
            for table_name, table_rows in rows.items():
                for row in table_rows:  # one by one: the rows name different columns
                    conn.execute(meta.tables[table_name].insert(), row)
    finally:
        engine.dispose()


def _order_by(conn: Connection, table: str) -> str:
    pk = inspect(conn).get_pk_constraint(table)["constrained_columns"]
    return ", ".join(f'"{c}"' for c in pk)


def dump_tables(
    database_url: str,
    columns: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as the driver returns it (no ORM type processing).

    With `columns`, only those tables and columns are read: the V2.1 part of a newer schema.
    """
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            if columns is None:
                names = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
                wanted = {t: [c["name"] for c in inspect(conn).get_columns(t)] for t in names}
            else:
                wanted = {t: list(cols) for t, cols in columns.items()}
            dump: dict[str, list[dict[str, Any]]] = {}
            for table, cols in sorted(wanted.items()):
                select_list = ", ".join(f'"{c}"' for c in cols)
                result = conn.execute(
                    text(f'SELECT {select_list} FROM "{table}" ORDER BY {_order_by(conn, table)}')
                )
                dump[table] = [dict(row) for row in result.mappings()]
            return dump
    finally:
        engine.dispose()


def row_counts(database_url: str, tables: Iterable[str]) -> dict[str, int]:
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables
            }
    finally:
        engine.dispose()
