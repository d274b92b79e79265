"""createPriceAlert / updatePriceAlert / deletePriceAlert / evaluatePriceAlerts.

Demo alerts: 1 PRICE_BELOW 700 on RIC I² 30, 2 NEW_MATCH on wishlist item 1 (Otho),
4 PRICE_ABOVE 450,000 on coin 42 (Crawford 508/3, last sold at USD 546,000: it fires on the
first evaluation), 7 EXPIRED (expires 2025-12-31). Coin 34 is a Crawford 443/1.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from coinstack_graphql.market.alerts import ALERT_CHANNEL
from tests.graphql.market import (
    market_client,
    months_ago,
    shared_market_client,
)
from tests.graphql.mutations import MISSING, error_at, gid, graphql_error, query, run
from tests.support.client import GraphQLClient


@pytest.fixture(scope="module")
async def shared_market(
    demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """One demo copy for the module's refusals and reads."""
    async with shared_market_client(demo_template, tmp_path_factory) as client:
        yield client

FIELDS = """id databaseId triggerType attributionKey thresholdValue thresholdPct
  windowMonths status expiresAt notes lastObservationKey notificationSent coin { id }
  wishlistItem { id }"""
ALERT = f"priceAlert {{ {FIELDS} }}"
READ = f"query A($id: ID!) {{ node(id: $id) {{ ... on PriceAlert {{ {FIELDS} }} }} }}"
TRIGGERS = """triggers { alertId triggerType attributionKey observedValue threshold
  observationKey message triggeredAt alert { id status triggeredAt notificationSent } }
  clientMutationId"""
FUTURE = "2099-01-01T00:00:00Z"


async def read_alert(client: GraphQLClient, alert_id: str) -> Any:
    return (await query(client, READ, id=alert_id))["node"]


async def test_create_each_kind_and_read_back(shared_market: GraphQLClient) -> None:
    below = (await run(shared_market, "createPriceAlert", {
        "triggerType": "PRICE_BELOW", "citation": "RIC I² 207", "thresholdValue": "800",
        "expiresAt": FUTURE, "notes": "second Lugdunum denarius"}, ALERT))["priceAlert"]
    assert {k: below[k] for k in ("triggerType", "attributionKey", "thresholdValue", "status",
                                  "expiresAt", "coin")} == {
        "triggerType": "PRICE_BELOW", "attributionKey": "ric.1(2).207", "thresholdValue": "800.00",
        "status": "ACTIVE", "expiresAt": "2099-01-01T00:00:00Z", "coin": None}
    assert await read_alert(shared_market, below["id"]) == below

    pct = (await run(shared_market, "createPriceAlert", {
        "triggerType": "PCT_CHANGE", "coin": gid("Coin", 34), "thresholdPct": "-20",
        "status": "PAUSED"}, ALERT))["priceAlert"]
    assert (pct["attributionKey"], pct["coin"], pct["windowMonths"], pct["status"]) == (
        "crawford.443.1", {"id": gid("Coin", 34)}, 12, "PAUSED")
    assert float(pct["thresholdPct"]) == -20

    match = (await run(shared_market, "createPriceAlert", {
        "triggerType": "NEW_MATCH", "wishlistItem": gid("WishlistItem", 3)}, ALERT))["priceAlert"]
    assert match["wishlistItem"] == {"id": gid("WishlistItem", 3)}
    assert match["lastObservationKey"].startswith("match:")  # starts after the backlog

    listed = await query(shared_market, "query { priceAlerts(status: PAUSED, first: 50) "
                                        "{ nodes { id } } }")
    assert {"id": pct["id"]} in listed["priceAlerts"]["nodes"]


async def test_update_is_partial_and_null_clears(shared_market: GraphQLClient) -> None:
    alert = (await run(shared_market, "createPriceAlert", {
        "triggerType": "PRICE_ABOVE", "attributionKey": "crawford.443.1",
        "thresholdValue": "5000", "expiresAt": FUTURE, "notes": "keep"}, ALERT))["priceAlert"]
    changed = (await run(shared_market, "updatePriceAlert", {
        "id": alert["id"], "thresholdValue": "6000.50", "expiresAt": None}, ALERT))["priceAlert"]
    assert (changed["thresholdValue"], changed["expiresAt"], changed["notes"]) == (
        "6000.50", None, "keep")
    # Switching the type clears the settings of the old one.
    switched = (await run(shared_market, "updatePriceAlert", {
        "id": alert["id"], "triggerType": "PCT_CHANGE", "thresholdPct": "15",
        "windowMonths": 6}, ALERT))["priceAlert"]
    assert (switched["thresholdValue"], switched["windowMonths"], switched["attributionKey"]) == (
        None, 6, "crawford.443.1")
    assert await read_alert(shared_market, alert["id"]) == switched


async def test_delete_price_alert(shared_market: GraphQLClient) -> None:
    alert = (await run(shared_market, "createPriceAlert", {
        "triggerType": "PRICE_BELOW", "attributionKey": "crawford.443.1",
        "thresholdValue": "1"}, ALERT))["priceAlert"]
    payload = await run(shared_market, "deletePriceAlert", {"id": alert["id"]},
                        "deletedPriceAlertId")
    assert payload["deletedPriceAlertId"] == alert["id"]
    assert await read_alert(shared_market, alert["id"]) is None
    await error_at(shared_market, "deletePriceAlert", {"id": alert["id"]},
                   ["input", "id"], "NOT_FOUND")


BELOW = {"triggerType": "PRICE_BELOW", "attributionKey": "crawford.443.1", "thresholdValue": "10"}
PCT = {"triggerType": "PCT_CHANGE", "attributionKey": "crawford.443.1", "thresholdPct": "15"}


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({**BELOW, "thresholdValue": None}, "thresholdValue", "REQUIRED"),
        ({**BELOW, "thresholdValue": "0"}, "thresholdValue", "OUT_OF_RANGE"),
        ({**BELOW, "thresholdValue": "1.001"}, "thresholdValue", "INVALID"),
        ({**BELOW, "thresholdPct": "5"}, "thresholdPct", "INVALID"),  # not a price setting
        ({**BELOW, "wishlistItem": gid("WishlistItem", 1)}, "wishlistItem", "INVALID"),
        ({**PCT, "thresholdPct": None}, "thresholdPct", "REQUIRED"),
        ({**PCT, "thresholdPct": "0"}, "thresholdPct", "INVALID"),
        ({**PCT, "thresholdPct": "-100"}, "thresholdPct", "OUT_OF_RANGE"),
        ({**PCT, "windowMonths": 61}, "windowMonths", "OUT_OF_RANGE"),
        ({**BELOW, "citation": "RIC I² 207"}, "citation", "INVALID"),  # two targets
        ({**BELOW, "attributionKey": None}, "attributionKey", "REQUIRED"),
        ({**BELOW, "attributionKey": "crawford 443"}, "attributionKey", "INVALID"),
        ({**BELOW, "attributionKey": None, "citation": "Nope 1"}, "citation", "INVALID"),
        ({**BELOW, "attributionKey": None, "coin": gid("Coin", MISSING)}, "coin", "NOT_FOUND"),
        ({"triggerType": "NEW_MATCH"}, "wishlistItem", "REQUIRED"),
        ({"triggerType": "NEW_MATCH", "wishlistItem": gid("WishlistItem", MISSING)},
         "wishlistItem", "NOT_FOUND"),
        ({**BELOW, "expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt", "OUT_OF_RANGE"),
        ({**BELOW, "status": "TRIGGERED"}, "status", "INVALID"),
        ({**BELOW, "notes": "x" * 2001}, "notes", "INVALID"),
    ],
    ids=["no-threshold", "zero-threshold", "sub-cent", "foreign-setting", "foreign-wishlist",
         "no-pct", "zero-pct", "pct-floor", "window", "two-targets", "no-target", "bad-key",
         "bad-citation", "missing-coin", "match-without-item", "missing-item", "past-expiry",
         "status-by-hand", "long-notes"],
)
async def test_create_rules_name_the_field(
    shared_market: GraphQLClient, values: dict[str, Any], field: str, code: str
) -> None:
    await error_at(shared_market, "createPriceAlert", values, ["input", field], code)


async def test_update_refusals(shared_market: GraphQLClient) -> None:
    await error_at(shared_market, "updatePriceAlert",
                   {"id": gid("PriceAlert", MISSING), "notes": "x"}, ["input", "id"], "NOT_FOUND")
    # An expired alert re-activated without a new expiry in the future.
    await error_at(shared_market, "updatePriceAlert", {"id": gid("PriceAlert", 7),
                   "status": "ACTIVE"}, ["input", "expiresAt"], "OUT_OF_RANGE")
    await error_at(shared_market, "updatePriceAlert", {"id": gid("PriceAlert", 1),
                   "thresholdValue": None}, ["input", "thresholdValue"], "REQUIRED")
    message = await graphql_error(shared_market, "updatePriceAlert",
                                  {"id": gid("Coin", 1), "notes": "x"})
    assert "must be the ID of a PriceAlert" in message
    unchanged = await read_alert(shared_market, gid("PriceAlert", 1))
    assert unchanged["thresholdValue"] == "700.00"


async def test_evaluate_fires_once_marks_notified_and_publishes(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        broker = client.app.state.coinstack.services["broker"]
        async with broker.subscribe(ALERT_CHANNEL) as messages:
            payload = await run(client, "evaluatePriceAlerts", {"clientMutationId": "e1"},
                                TRIGGERS)
            published = await anext(messages)
        assert payload["clientMutationId"] == "e1"
        [trigger] = payload["triggers"]
        assert {k: trigger[k] for k in ("alertId", "triggerType", "attributionKey",
                                        "observedValue", "threshold")} == {
            "alertId": gid("PriceAlert", 4), "triggerType": "PRICE_ABOVE",
            "attributionKey": "crawford.508.3", "observedValue": "546000.00",
            "threshold": "450000.00"}
        assert trigger["observationKey"].startswith("point:")
        assert "above your USD 450,000.00" in trigger["message"]
        # Published after the commit, then marked notified.
        assert trigger["alert"] == {"id": gid("PriceAlert", 4), "status": "TRIGGERED",
                                    "triggeredAt": trigger["triggeredAt"],
                                    "notificationSent": True}
        assert published["alertId"] == 4 and published["observedValue"] == "546000.00"
        # Evaluated again: nothing new to fire.
        assert (await run(client, "evaluatePriceAlerts", {}, TRIGGERS))["triggers"] == []
        # Re-armed, it fires again only on a newer observation.
        await run(client, "updatePriceAlert", {"id": gid("PriceAlert", 4), "status": "ACTIVE"})
        assert (await run(client, "evaluatePriceAlerts", {}, TRIGGERS))["triggers"] == []
        await run(client, "addMarketDataPoints", {"points": [{
            "attributionKey": "crawford.508.3", "price": "500000", "source": "AUCTION_REALIZED",
            "date": months_ago(0, 1)}]})
        [again] = (await run(client, "evaluatePriceAlerts", {}, TRIGGERS))["triggers"]
        assert (again["alertId"], again["observedValue"]) == (gid("PriceAlert", 4), "500000.00")
        assert again["observationKey"] != trigger["observationKey"]


async def test_evaluate_expires_and_fires_price_and_pct_alerts(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        below = (await run(client, "createPriceAlert", {**BELOW, "expiresAt": FUTURE},
                           ALERT))["priceAlert"]
        expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
        lapsed = (await run(client, "createPriceAlert", {**BELOW, "expiresAt": expiry},
                            ALERT))["priceAlert"]
        pct = (await run(client, "createPriceAlert", {
            "triggerType": "PCT_CHANGE", "attributionKey": "type:testus|denarius|silver|rome",
            "thresholdPct": "25", "windowMonths": 3}, ALERT))["priceAlert"]
        await run(client, "addMarketDataPoints", {"points": [
            {"attributionKey": "type:testus|denarius|silver|rome", "price": price,
             "source": "DEALER_ASKING", "date": months_ago(m, 2)}
            for price, m in (("100", 5), ("110", 4), ("150", 1), ("160", 0))] + [
            {"attributionKey": "crawford.443.1", "price": "9.99", "source": "DEALER_ASKING",
             "date": months_ago(0, 1)}]})
        await asyncio.sleep(max(0.0, (dt.datetime.fromisoformat(expiry)
                                      - dt.datetime.now(dt.UTC)).total_seconds()) + 0.05)
        fired = (await run(client, "evaluatePriceAlerts", {}, TRIGGERS))["triggers"]
        by_id = {t["alertId"]: t for t in fired}
        assert by_id[below["id"]]["observedValue"] == "9.99"
        assert by_id[pct["id"]]["triggerType"] == "PCT_CHANGE"
        assert float(by_id[pct["id"]]["observedValue"]) == pytest.approx(47.62)
        assert by_id[pct["id"]]["observationKey"].startswith("window:3m:point:")
        assert lapsed["id"] not in by_id
        assert (await read_alert(client, lapsed["id"]))["status"] == "EXPIRED"
        status = await query(client, "query { priceAlerts(status: TRIGGERED, first: 50) "
                                     "{ nodes { id } } }")
        ids = {n["id"] for n in status["priceAlerts"]["nodes"]}
        assert {below["id"], pct["id"], gid("PriceAlert", 4)} <= ids


async def test_new_match_alert_fires_after_a_scan(demo_db_copy: str) -> None:
    async with market_client(demo_db_copy) as client:
        await run(client, "evaluatePriceAlerts", {})  # fire what the demo fires anyway
        scan = await run(client, "scanWishlist", {"wishlistItems": [gid("WishlistItem", 1)]},
                         "newMatchCount newMatches { id }")
        assert scan["newMatchCount"] > 0
        [trigger] = (await run(client, "evaluatePriceAlerts", {}, TRIGGERS))["triggers"]
        assert (trigger["alertId"], trigger["triggerType"]) == (gid("PriceAlert", 2), "NEW_MATCH")
        assert trigger["observationKey"] in {
            f"match:{int(_db_id(m['id']))}" for m in scan["newMatches"]}
        assert "Otho" in trigger["message"]


def _db_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":")[1]
