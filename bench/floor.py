"""The floor: the collection page served with the fewest SQL queries and orjson, no GraphQL.

It reads the same rows the GraphQL page needs — one query for the page and one per
relation, batched by coin id — and writes them as JSON. Our GraphQL throughput is
reported as a ratio of this.

    uvicorn --factory bench.floor:create_app
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coinstack_graphql.db.urls import async_url

COIN_COLUMNS = (
    "id, category, denomination, metal, issuer, year_start, year_end, weight_g, diameter_mm, "
    "die_axis, grade, grade_service, acquisition_price, acquisition_date, flan_shape, "
    "weight_standard, grade_numeric, ngc_strike_grade, ngc_surface_grade, mint_id"
)
CHILDREN = {
    "images": "SELECT coin_id, id, image_type, file_path, is_primary FROM coin_images",
    "provenance": "SELECT coin_id, id, event_type, event_date, auction_house, hammer_price, currency FROM provenance_events",
    "countermarks": "SELECT coin_id, id, countermark_type, description FROM countermarks",
    "tags": "SELECT coin_id, tag FROM coin_tags",
    "grading": "SELECT coin_id, id, event_type, grade, sequence_order, is_current FROM grading_history",
    "rarity": "SELECT coin_id, id, rarity_code, is_primary FROM rarity_assessments",
    "census": "SELECT coin_id, id, total_graded FROM census_snapshots",
    "enrichments": "SELECT coin_id, id, capability, review_status FROM llm_enrichments",
    "valuations": "SELECT coin_id, id, current_market_value, valuation_date FROM coin_valuations",
    "auction": "SELECT coin_id, id, auction_house, total_price FROM auction_data_v2",
    "history": "SELECT coin_id, id, field_name FROM field_history",
    "collections": "SELECT cc.coin_id, c.id, c.name FROM collection_coins cc JOIN collections c ON c.id = cc.collection_id",
    "references": "SELECT coin_id, id, is_primary, reference_type_id FROM coin_references",
}


def _in(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def _json_default(value: Any) -> Any:
    return str(value)


async def page(engine: AsyncEngine, first: int) -> bytes:
    async with engine.connect() as conn:
        coins = [dict(r._mapping) for r in await conn.execute(text(
            f"SELECT {COIN_COLUMNS}, (SELECT count(*) FROM coins_v2) AS total FROM coins_v2 "
            f"ORDER BY acquisition_date IS NULL, acquisition_date DESC, id DESC LIMIT {int(first) + 1}"
        ))]
        total = coins[0]["total"] if coins else 0
        coins = coins[:first]
        ids = [c["id"] for c in coins]
        by: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for name, sql in CHILDREN.items():
            col = "cc.coin_id" if name == "collections" else "coin_id"
            grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for r in await conn.execute(text(f"{sql} WHERE {col} IN ({_in(ids)})")):
                row = dict(r._mapping)
                grouped[row.pop("coin_id")].append(row)
            by[name] = grouped
        mint_ids = {c["mint_id"] for c in coins if c["mint_id"]}
        mints = {r.id: dict(r._mapping) for r in await conn.execute(text(
            f"SELECT id, name, latitude, longitude FROM mints WHERE id IN ({_in(list(mint_ids))})"))}
        type_ids = {r["reference_type_id"] for rows in by["references"].values() for r in rows}
        types = {r.id: dict(r._mapping) for r in await conn.execute(text(
            f"SELECT id, local_ref, system FROM reference_types WHERE id IN ({_in(list(type_ids))})"))}
        conc: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in await conn.execute(text(
            "SELECT a.reference_type_id AS k, t.id, t.local_ref, t.system FROM reference_concordance a "
            "JOIN reference_concordance b ON a.concordance_group_id = b.concordance_group_id "
            "JOIN reference_types t ON t.id = b.reference_type_id "
            f"WHERE a.reference_type_id IN ({_in(list(type_ids))}) AND b.reference_type_id != a.reference_type_id"
        )):
            row = dict(r._mapping)
            conc[row.pop("k")].append(row)
        links: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in await conn.execute(text(
            "SELECT reference_type_id AS k, id, catalog_source, external_id, external_url "
            f"FROM external_catalog_links WHERE reference_type_id IN ({_in(list(type_ids))})"
        )):
            row = dict(r._mapping)
            links[row.pop("k")].append(row)
    edges = []
    for c in coins:
        cid = c["id"]
        refs = []
        for ref in by["references"].get(cid, []):
            t = dict(types.get(ref["reference_type_id"], {}))
            t["concordance"] = conc.get(ref["reference_type_id"], [])
            t["externalLinks"] = links.get(ref["reference_type_id"], [])
            refs.append({"id": ref["id"], "isPrimary": ref["is_primary"], "referenceType": t})
        node = {**c, "mint": mints.get(c["mint_id"]), "references": refs,
                **{name: by[name].get(cid, []) for name in CHILDREN if name != "references"}}
        grading = node["grading"]
        node["currentGrading"] = next((g for g in grading if g["is_current"]), None)
        node["latestValuation"] = node["valuations"][0] if node["valuations"] else None
        edges.append({"cursor": str(cid), "node": node})
    body = {"data": {"coins": {"totalCount": total, "edges": edges}}}
    return orjson.dumps(body, default=_json_default)


def create_app() -> Starlette:
    engine = create_async_engine(async_url(os.environ["COINSTACK_DATABASE_URL"]), pool_size=10)

    async def endpoint(request: Request) -> Response:
        first = int(request.query_params.get("first", "100"))
        return Response(await page(engine, first), media_type="application/json")

    return Starlette(routes=[Route("/floor", endpoint)])
