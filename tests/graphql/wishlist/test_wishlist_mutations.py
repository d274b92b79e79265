"""Wishlist mutations through the API: items, scans, dismissals, acquisitions.

Demo items: 1 Otho denarius RIC I² 8 (VF or better, up to USD 3,500; series slot 8 of the
Twelve Caesars; watched by NEW_MATCH alert 2), 2 Vitellius RIC I² 109. Upcoming demo lots
of the Otho type: USD 2,500, CHF 3,000 and USD 5,000. No market data exists for RIC I² 8,
so the tests add some to value the type.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.graphql.market import market_client, months_ago, shared_market_client
from tests.graphql.mutations import MISSING, error_at, gid, graphql_error, query, refused, run
from tests.support.client import GraphQLClient


@pytest.fixture(scope="module")
async def shared_market(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One demo copy for the module's refusals and reads."""
    async with shared_market_client(demo_template, tmp_path_factory) as client:
        yield client

ITEM = """wishlistItem { id title description issuer mint yearStart yearEnd denomination
  catalogRef minGrade maxPrice priority status notes acquiredAt acquiredCoin { id }
  seriesSlot { id slotNumber coin { id } } }"""
ITEM_FIELDS = ITEM[len("wishlistItem "):]
READ = f"query W($id: ID!) {{ node(id: $id) {{ ... on WishlistItem {ITEM_FIELDS} }} }}"
MATCH = """id title price currency matchScore confidence isBelowBudget isBelowMarket valueScore
  dismissed wishlistItem { id }"""
SCAN = f"""itemsScanned newMatchCount updatedMatchCount removedMatchIds
  newMatches {{ {MATCH} }} updatedMatches {{ {MATCH} }}"""


def db_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def read_item(client: GraphQLClient, item_id: str) -> Any:
    return (await query(client, READ, id=item_id))["node"]


async def slot_of_item_one(client: GraphQLClient) -> str:
    return str((await read_item(client, gid("WishlistItem", 1)))["seriesSlot"]["id"])


# ---- items


async def test_create_normalises_and_reads_back(shared_market: GraphQLClient) -> None:
    slot = await slot_of_item_one(shared_market)
    item = (await run(shared_market, "createWishlistItem", {
        "title": "  Galba denarius  ", "issuer": "Galba", "denomination": "denarius",
        "catalogRef": "RIC I2 167", "minGrade": "EF", "maxPrice": "2500.00", "yearStart": 68,
        "yearEnd": 69, "seriesSlot": slot, "notes": "SPQR in wreath"}, ITEM))["wishlistItem"]
    assert {k: item[k] for k in ("title", "catalogRef", "minGrade", "maxPrice", "priority",
                                 "status", "yearStart", "yearEnd")} == {
        "title": "Galba denarius", "catalogRef": "RIC I² 167", "minGrade": "XF",
        "maxPrice": "2500.00", "priority": 2, "status": "WANTED", "yearStart": 68,
        "yearEnd": 69}
    assert item["seriesSlot"]["id"] == slot
    assert await read_item(shared_market, item["id"]) == item
    listed = await query(shared_market, "query { wishlistItems(status: WANTED, first: 50) "
                                        "{ nodes { id } } }")
    assert {"id": item["id"]} in listed["wishlistItems"]["nodes"]


async def test_update_is_partial_and_null_clears(shared_market: GraphQLClient) -> None:
    item = (await run(shared_market, "createWishlistItem", {
        "title": "Nero sestertius", "priority": 4, "notes": "port of Ostia", "mint": "Rome"},
        ITEM))["wishlistItem"]
    changed = (await run(shared_market, "updateWishlistItem", {
        "id": item["id"], "notes": None, "priority": None, "status": "WATCHING",
        "yearStart": -1}, ITEM))["wishlistItem"]
    assert (changed["title"], changed["mint"], changed["notes"], changed["priority"],
            changed["status"], changed["yearStart"]) == (
        "Nero sestertius", "Rome", None, 2, "WATCHING", -1)
    assert await read_item(shared_market, item["id"]) == changed


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"title": "   "}, "title", "REQUIRED"),
        ({"title": "t", "catalogRef": "Not A Catalogue 1"}, "catalogRef", "INVALID"),
        ({"title": "t", "minGrade": "Splendid"}, "minGrade", "INVALID"),
        ({"title": "t", "yearStart": 0}, "yearStart", "OUT_OF_RANGE"),
        ({"title": "t", "yearEnd": 2500}, "yearEnd", "OUT_OF_RANGE"),
        ({"title": "t", "yearStart": 10, "yearEnd": -10}, "yearEnd", "OUT_OF_RANGE"),
        ({"title": "t", "maxPrice": "-1"}, "maxPrice", "OUT_OF_RANGE"),
        ({"title": "t", "maxPrice": "1.234"}, "maxPrice", "INVALID"),
        ({"title": "t", "priority": 6}, "priority", "OUT_OF_RANGE"),
        ({"title": "t", "status": "ACQUIRED"}, "status", "INVALID"),
        ({"title": "t", "seriesSlot": gid("SeriesSlot", MISSING)}, "seriesSlot", "NOT_FOUND"),
    ],
    ids=["blank-title", "bad-reference", "bad-grade", "year-zero", "year-range", "years-reversed",
         "negative-budget", "sub-cent-budget", "priority", "acquired-by-hand", "missing-slot"],
)
async def test_create_rules_name_the_field(
    shared_market: GraphQLClient, values: dict[str, Any], field: str, code: str
) -> None:
    await error_at(shared_market, "createWishlistItem", values, ["input", field], code)


async def test_update_refusals_leave_the_item_as_it_was(shared_market: GraphQLClient) -> None:
    before = await read_item(shared_market, gid("WishlistItem", 2))
    await error_at(shared_market, "updateWishlistItem", {
        "id": gid("WishlistItem", 2), "title": "renamed", "yearStart": 70},
        ["input", "yearStart"], "OUT_OF_RANGE")  # after its yearEnd (69)
    assert await read_item(shared_market, gid("WishlistItem", 2)) == before
    for title in (None, "   "):
        await error_at(shared_market, "updateWishlistItem",
                       {"id": gid("WishlistItem", 2), "title": title}, ["input", "title"],
                       "REQUIRED")
    await error_at(shared_market, "updateWishlistItem",
                   {"id": gid("WishlistItem", MISSING), "notes": "x"}, ["input", "id"], "NOT_FOUND")
    message = await graphql_error(shared_market, "updateWishlistItem", {"id": gid("Coin", 2)})
    assert "must be the ID of a WishlistItem" in message


async def test_delete_takes_matches_and_alerts_with_it(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]})
        payload = await run(client, "deleteWishlistItem", {"id": gid("WishlistItem", 1)},
                            "deletedWishlistItemId")
        assert payload["deletedWishlistItemId"] == gid("WishlistItem", 1)
        assert await read_item(client, gid("WishlistItem", 1)) is None
        matches = await query(client, "query { wishlistMatches(includeDismissed: true, "
                                      "first: 100) { nodes { wishlistItem { id } } } }")
        assert all(m["wishlistItem"]["id"] != gid("WishlistItem", 1)
                   for m in matches["wishlistMatches"]["nodes"])
        alert = await query(client, "query N($id: ID!) { node(id: $id) { id } }",
                            id=gid("PriceAlert", 2))
        assert alert["node"] is None
        await error_at(client, "deleteWishlistItem", {"id": gid("WishlistItem", 1)},
                       ["input", "id"], "NOT_FOUND")


# ---- scans


async def _value_otho(client: GraphQLClient, *prices: str) -> None:
    await run(client, "addMarketDataPoints", {"points": [
        {"citation": "RIC I² 8", "price": p, "source": "AUCTION_REALIZED",
         "date": months_ago(3 + i)} for i, p in enumerate(prices)]})


async def test_scan_stores_matches_valued_against_the_market(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        await _value_otho(client, "2800.00", "3000.00", "3200.00")  # median USD 3,000
        scan = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]}, SCAN)
        assert scan["itemsScanned"] == 1
        assert scan["newMatchCount"] == len(scan["newMatches"]) >= 3
        assert scan["updatedMatchCount"] == 0 and scan["removedMatchIds"] == []
        otho = {(m["price"], m["currency"]): m for m in scan["newMatches"]
                if m["title"].startswith("Otho")}
        assert set(otho) == {("2500.00", "USD"), ("3000.00", "CHF"), ("5000.00", "USD")}
        cheap = otho[("2500.00", "USD")]
        assert (cheap["isBelowBudget"], cheap["isBelowMarket"], cheap["confidence"]) == (
            True, True, "high")
        assert float(cheap["valueScore"]) == pytest.approx(0.1667)
        dear = otho[("5000.00", "USD")]
        assert (dear["isBelowBudget"], dear["isBelowMarket"]) == (False, False)
        swiss = otho[("3000.00", "CHF")]  # USD 3,390 against USD 3,000
        assert swiss["isBelowMarket"] is False
        assert float(swiss["valueScore"]) == pytest.approx(-0.13)
        # Read back, best first.
        stored = await query(client, "query W($id: ID!) { wishlistMatches(wishlistItem: $id, "
                                     f"first: 50) {{ totalCount nodes {{ {MATCH} }} }} }}",
                             id=gid("WishlistItem", 1))
        nodes = stored["wishlistMatches"]["nodes"]
        assert {n["id"] for n in nodes} == {m["id"] for m in scan["newMatches"]}
        scores = [float(n["matchScore"]) for n in nodes]
        assert scores == sorted(scores, reverse=True)
        # A second scan changes nothing; a new market value updates the matches in place.
        again = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]},
                          SCAN)
        assert (again["newMatchCount"], again["updatedMatchCount"]) == (0, 0)
        await _value_otho(client, "6000.00", "6000.00")  # median of five now USD 3,200
        moved = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]},
                          SCAN)
        assert moved["newMatchCount"] == 0
        updated = {m["id"]: m for m in moved["updatedMatches"]}
        assert cheap["id"] in updated
        assert float(updated[cheap["id"]]["valueScore"]) == pytest.approx(0.2188, abs=1e-4)


async def test_scan_all_and_removal_of_matches_no_longer_earned(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        everything = await run(client, "scanWishlist", {}, SCAN)
        assert everything["itemsScanned"] == 8  # wanted and watching items
        otho = [m for m in everything["newMatches"]
                if m["wishlistItem"]["id"] == gid("WishlistItem", 1)
                and m["title"].startswith("Otho")]
        assert otho
        # Asking for a finer grade than the lots have removes their matches.
        await run(client, "updateWishlistItem", {"id": gid("WishlistItem", 1), "minGrade": "MS"})
        rescan = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]},
                           SCAN)
        assert set(rescan["removedMatchIds"]) >= {m["id"] for m in otho}


async def test_scan_refusals(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "scanWishlist",
                   {"wishlistItems": [gid("WishlistItem", 2), gid("WishlistItem", MISSING)]},
                   ["input", "wishlistItems", "1"], "NOT_FOUND")
    cancelled = (await run(shared_market, "createWishlistItem",
                           {"title": "given up", "status": "CANCELLED"}, "wishlistItem { id }"))
    await error_at(shared_market, "scanWishlist",
                   {"wishlistItems": [cancelled["wishlistItem"]["id"]]},
                   ["input", "wishlistItems", "0"], "CONFLICT")
    message = await graphql_error(shared_market, "scanWishlist",
                                  {"wishlistItems": [gid("Coin", 1)]})
    assert "must be the ID of a WishlistItem" in message


# ---- dismissals


async def test_dismissed_matches_stay_dismissed(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        scan = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 2)]}, SCAN)
        target = scan["newMatches"][0]
        payload = await run(client, "dismissWishlistMatch", {"wishlistMatch": target["id"]},
                            f"wishlistMatch {{ {MATCH} }}")
        assert payload["wishlistMatch"]["dismissed"] is True
        again = await run(client, "dismissWishlistMatch", {"wishlistMatch": target["id"]},
                          "wishlistMatch { dismissed }")
        assert again["wishlistMatch"] == {"dismissed": True}
        doc = ("query W($id: ID!, $all: Boolean!) { wishlistMatches(wishlistItem: $id, "
               "includeDismissed: $all, first: 50) { nodes { id dismissed } } }")
        shown = await query(client, doc, id=gid("WishlistItem", 2), all=False)
        assert target["id"] not in {n["id"] for n in shown["wishlistMatches"]["nodes"]}
        hidden = await query(client, doc, id=gid("WishlistItem", 2), all=True)
        assert {"id": target["id"], "dismissed": True} in hidden["wishlistMatches"]["nodes"]
        rescan = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 2)]},
                           SCAN)
        touched = rescan["newMatches"] + rescan["updatedMatches"]
        assert target["id"] not in {m["id"] for m in touched}
        await error_at(client, "dismissWishlistMatch",
                       {"wishlistMatch": gid("WishlistMatch", MISSING)},
                       ["input", "wishlistMatch"], "NOT_FOUND")


# ---- acquisitions


async def test_acquire_fills_the_series_slot_then_reopening_unlinks(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        coin = gid("Coin", 1)
        payload = await run(client, "markWishlistItemAcquired", {
            "wishlistItem": gid("WishlistItem", 1), "coin": coin,
            "acquiredAt": "2026-10-01T12:30:00Z"}, f"{ITEM} coin {{ id }}")
        item = payload["wishlistItem"]
        assert (item["status"], item["acquiredAt"], item["acquiredCoin"]) == (
            "ACQUIRED", "2026-10-01T12:30:00Z", {"id": coin})
        assert item["seriesSlot"]["coin"] == {"id": coin}
        assert payload["coin"] == {"id": coin}
        assert await read_item(client, gid("WishlistItem", 1)) == item
        await error_at(client, "markWishlistItemAcquired",
                       {"wishlistItem": gid("WishlistItem", 1), "coin": gid("Coin", 2)},
                       ["input", "wishlistItem"], "CONFLICT")
        reopened = (await run(client, "updateWishlistItem", {
            "id": gid("WishlistItem", 1), "status": "WANTED"}, ITEM))["wishlistItem"]
        assert (reopened["status"], reopened["acquiredCoin"], reopened["acquiredAt"]) == (
            "WANTED", None, None)
        assert reopened["seriesSlot"]["coin"] == {"id": coin}  # the coin stays in the series


async def test_acquire_refusals(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "markWishlistItemAcquired",
                   {"wishlistItem": gid("WishlistItem", MISSING), "coin": gid("Coin", 1)},
                   ["input", "wishlistItem"], "NOT_FOUND")
    errors = await refused(shared_market, "markWishlistItemAcquired",
                           {"wishlistItem": gid("WishlistItem", 2), "coin": gid("Coin", MISSING)})
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "coin"], "NOT_FOUND")]
    item = await read_item(shared_market, gid("WishlistItem", 2))
    assert (item["status"], item["acquiredCoin"]) == ("WANTED", None)
    assert db_id(gid("WishlistItem", 2)) == 2
