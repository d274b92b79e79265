"""Generate a large, realistic collection into a fresh database (deterministic).

    python -m bench.generate --url sqlite+aiosqlite:///./bench.db --coins 10000

The database is migrated to head first. Rows are written with bulk Core inserts: this
measures reads, so the writes only need to be plausible and fast.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, insert

from coinstack_graphql.coins import children
from coinstack_graphql.coins import models as coins
from coinstack_graphql.collections import models as collections
from coinstack_graphql.db import migrations
from coinstack_graphql.db.urls import sync_url
from coinstack_graphql.grading import models as grading
from coinstack_graphql.market import models as market
from coinstack_graphql.references import models as refs

RULERS = [
    ("Augustus", -27, 14, "ric", "1", "2"), ("Tiberius", 14, 37, "ric", "1", "2"),
    ("Nero", 54, 68, "ric", "1", "2"), ("Vespasian", 69, 79, "ric", "2.1", "2"),
    ("Trajan", 98, 117, "ric", "2", None), ("Hadrian", 117, 138, "ric", "2.3", "2"),
    ("Antoninus Pius", 138, 161, "ric", "3", None), ("Marcus Aurelius", 161, 180, "ric", "3", None),
    ("Septimius Severus", 193, 211, "ric", "4.1", None), ("Gallienus", 253, 268, "ric", "5.1", None),
    ("Probus", 276, 282, "ric", "5.2", None), ("Constantine I", 306, 337, "ric", "7", None),
]
DENOMS = [("Denarius", "silver", "3.4"), ("Aureus", "gold", "7.3"), ("Sestertius", "orichalcum", "25.0"),
          ("As", "copper", "10.5"), ("Antoninianus", "billon", "3.9"), ("Follis", "bronze", "3.2")]
MINTS = [("Rome", "Italia", "41.893", "12.483"), ("Lugdunum", "Gallia Lugdunensis", "45.760", "4.840"),
         ("Antioch", "Syria", "36.202", "36.161"), ("Siscia", "Pannonia", "45.466", "16.375"),
         ("Treveri", "Gallia Belgica", "49.756", "6.641"), ("Alexandria", "Aegyptus", "31.200", "29.918")]
GRADES = [("F", 12), ("VF", 25), ("Ch VF", 35), ("XF", 40), ("Ch XF", 45), ("AU", 50)]
HOUSES = ["CNG", "Roma Numismatics", "Leu Numismatik", "Künker", "NAC", "Heritage"]


def _chunks(rows: list[dict[str, Any]], size: int = 2000):  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def generate(url: str, n_coins: int, seed: int = 7) -> dict[str, int]:
    migrations.upgrade(url, "head")
    rnd = random.Random(seed)
    engine = create_engine(sync_url(url))
    counts: dict[str, int] = {}

    def put(table: Any, rows: list[dict[str, Any]]) -> None:
        with engine.begin() as conn:
            for part in _chunks(rows):
                conn.execute(insert(table), part)
        counts[table.name] = counts.get(table.name, 0) + len(rows)

    put(coins.Mint.__table__, [
        {"id": i + 1, "name": n, "province": p, "latitude": Decimal(la), "longitude": Decimal(lo)}
        for i, (n, p, la, lo) in enumerate(MINTS)
    ])
    types: list[dict[str, Any]] = []
    for i in range(max(200, n_coins // 5)):
        ruler = RULERS[i % len(RULERS)]
        number = i + 1  # unique per volume, whatever the ruler
        vol = ruler[4]
        ed = ruler[5]
        local = f"RIC {vol}{'(' + ed + ')' if ed else ''} {number}"
        types.append({
            "id": i + 1, "system": "ric", "local_ref": local,
            "local_ref_normalized": f"ric.{vol}{'(' + ed + ')' if ed else ''}.{number}",
            "volume": vol, "number": str(number), "edition": ed, "number_numeric": number,
        })
    put(refs.ReferenceType.__table__, types)
    put(refs.ReferenceConcordance.__table__, [
        {"concordance_group_id": f"g{i // 2}", "reference_type_id": t["id"], "source": "bench"}
        for i, t in enumerate(types[:400])
    ])
    put(refs.ExternalCatalogLink.__table__, [
        {"reference_type_id": t["id"], "catalog_source": "ocre",
         "external_id": f"ric.{t['local_ref_normalized'][4:]}", "external_url": "http://numismatics.org/ocre/"}
        for t in types[: len(types) // 2]
    ])
    coin_rows, ref_rows, img_rows, prov_rows, grade_rows, rar_rows, tag_rows, val_rows = ([] for _ in range(8))
    base = date(2010, 1, 1)
    for cid in range(1, n_coins + 1):
        ruler = rnd.choice(RULERS)
        denom, metal, weight = rnd.choice(DENOMS)
        mint_id = rnd.randrange(len(MINTS)) + 1
        grade, numeric = rnd.choice(GRADES)
        price = Decimal(rnd.randrange(80, 8000))
        acquired = base + timedelta(days=rnd.randrange(5000))
        coin_rows.append({
            "id": cid, "category": "imperial", "denomination": denom, "metal": metal,
            "issuer": ruler[0], "mint": MINTS[mint_id - 1][0], "mint_id": mint_id,
            "year_start": ruler[1], "year_end": ruler[2], "is_circa": False,
            "weight_g": Decimal(weight) + Decimal(rnd.randrange(-300, 300)) / 1000,
            "diameter_mm": Decimal(rnd.randrange(170, 360)) / 10, "die_axis": rnd.randrange(13),
            "obverse_legend": f"{ruler[0].upper()} AVG", "reverse_legend": "PAX AVG",
            "grading_state": "raw", "grade": grade, "grade_numeric": numeric,
            "acquisition_date": acquired, "acquisition_price": price, "acquisition_currency": "USD",
            "acquisition_source": rnd.choice(HOUSES), "issue_status": "official", "for_sale": False,
            "created_at": datetime(2024, 1, 1), "updated_at": datetime(2024, 1, 1),
        })
        for k, t in enumerate(rnd.sample(types, 2)):
            ref_rows.append({"coin_id": cid, "reference_type_id": t["id"], "is_primary": k == 0})
        for side in ("obverse", "reverse"):
            img_rows.append({"coin_id": cid, "image_type": side, "file_path": f"images/{cid}-{side}.jpg",
                             "mime_type": "image/jpeg", "is_primary": side == "obverse"})
        for k in range(2):
            prov_rows.append({"coin_id": cid, "event_type": "auction", "auction_house": rnd.choice(HOUSES),
                              "event_date": acquired - timedelta(days=400 * (2 - k)), "sort_order": k,
                              "hammer_price": price * Decimal("0.8"), "currency": "USD"})
        grade_rows.append({"coin_id": cid, "grading_state": "raw", "grade": grade, "event_type": "initial",
                           "sequence_order": 0, "is_current": True, "grade_numeric": numeric})
        rar_rows.append({"coin_id": cid, "rarity_code": rnd.choice(["C", "S", "R1", "R2"]),
                         "rarity_system": "ric", "source_type": "catalog", "is_primary": True})
        tag_rows.append({"coin_id": cid, "tag": rnd.choice(["portrait", "toned", "pedigreed", "rare reverse"])})
        val_rows.append({"coin_id": cid, "valuation_date": date(2026, 6, 1), "purchase_price": price,
                         "current_market_value": price * Decimal("1.1"), "comparable_count": 5,
                         "market_confidence": "medium"})
    put(coins.Coin.__table__, coin_rows)
    put(refs.CoinReference.__table__, ref_rows)
    put(children.CoinImage.__table__, img_rows)
    put(children.ProvenanceEvent.__table__, prov_rows)
    put(grading.GradingHistory.__table__, grade_rows)
    put(grading.RarityAssessment.__table__, rar_rows)
    put(children.CoinTag.__table__, tag_rows)
    put(market.CoinValuation.__table__, val_rows)
    put(collections.Collection.__table__, [
        {"id": 1, "name": "Twelve Caesars", "slug": "twelve-caesars", "collection_type": "custom"},
        {"id": 2, "name": "Gold", "slug": "gold", "collection_type": "smart",
         "smart_filter": '{"metals": ["gold"]}'},
    ])
    put(collections.CollectionCoin.__table__, [
        {"collection_id": 1, "coin_id": cid, "position": cid} for cid in range(1, n_coins + 1, 10)
    ])
    # Planner statistics, as a live database has them; without, PostgreSQL guesses row
    # counts of 1 and picks different plans from the ones users get.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="sqlite+aiosqlite:///./bench.db")
    parser.add_argument("--coins", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = generate(args.url, args.coins, args.seed)
    for table, n in sorted(counts.items()):
        print(f"{table:28} {n:8}")


if __name__ == "__main__":
    main()
