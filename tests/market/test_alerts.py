"""Price alerts: checks on create/update, each trigger type, expiry, no double firing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.errors import DomainError
from coinstack_graphql.market.alerts import (
    create_price_alert,
    delete_price_alert,
    evaluate_price_alerts,
    mark_alerts_notified,
    update_price_alert,
)
from coinstack_graphql.market.data_service import add_market_data_points
from coinstack_graphql.market.models import AlertStatus, AlertTrigger, PriceAlert
from coinstack_graphql.pubsub import MAX_PAYLOAD_BYTES
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch
from tests.market.fixtures import (
    AUGUSTUS_KEY,
    HADRIAN_SESTERTIUS_KEY,
    NOW,
    RATES,
    TODAY,
    Sessions,
    add_coin,
    cite,
    open_sessions,
    point,
    table_rows,
)

D = Decimal
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def _add(s: AsyncSession, *points: Any) -> None:
    await add_market_data_points(s, list(points), rates=RATES, today=TODAY)


async def _evaluate(sessions: Sessions, now: dt.datetime = NOW) -> list[Any]:
    async with sessions() as s, s.begin():
        return await evaluate_price_alerts(s, rates=RATES, now=now)


async def _alert(sessions: Sessions, alert_id: int) -> PriceAlert:
    async with sessions() as s:
        alert = await s.get(PriceAlert, alert_id)
    assert alert is not None
    return alert


async def test_price_below_fires_once_per_observation(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("1150.00", dt.date(2025, 4, 2)))
        alert = await create_price_alert(s, {
            "citation": "RIC I² 207", "trigger_type": "price_below", "threshold_value": D("900"),
        }, now=NOW)
    assert alert.attribution_key == AUGUSTUS_KEY and alert.status is AlertStatus.ACTIVE
    assert await _evaluate(sessions) == []  # newest is 1150.00: not below 900
    async with sessions() as s, s.begin():
        await _add(s, point("800.00", dt.date(2025, 6, 20), currency="EUR", house="Roma"))
    [fired] = await _evaluate(sessions)
    # EUR 800 × 1.08 = USD 864.00 < 900.00.
    assert (fired.alert_id, fired.trigger_type, fired.observed_value, fired.threshold) == (
        alert.id, "price_below", D("864.00"), D("900.00")
    )
    assert fired.attribution_key == AUGUSTUS_KEY and fired.triggered_at == NOW
    assert "USD 864.00 (EUR 800.00) at Roma on 2025-06-20" in fired.message
    stored = await _alert(sessions, alert.id)
    assert (stored.status, stored.triggered_at) == (AlertStatus.TRIGGERED, NOW)
    assert stored.last_observation_key == fired.observation_key
    assert stored.notification_sent is False
    # Triggered alerts are not evaluated; re-armed, the same observation does not fire again.
    assert await _evaluate(sessions, LATER) == []
    async with sessions() as s, s.begin():
        await update_price_alert(s, alert.id, {"status": "active"}, now=LATER)
    assert await _evaluate(sessions, LATER) == []
    assert (await _alert(sessions, alert.id)).status is AlertStatus.ACTIVE
    # A newer observation below the threshold fires it again.
    async with sessions() as s, s.begin():
        await _add(s, point("850.00", dt.date(2025, 6, 28), house="CNG"))
    [again] = await _evaluate(sessions, LATER)
    assert again.observed_value == D("850.00") and again.observation_key != fired.observation_key


async def test_price_above_uses_the_newest_observation(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("2000.00", dt.date(2025, 1, 5)), point("1100.00", dt.date(2025, 5, 1),
                   currency="CHF", house="Leu"))
        above = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                             "trigger_type": "price_above",
                                             "threshold_value": D("1200.00")}, now=NOW)
        lower = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                             "trigger_type": "price_above",
                                             "threshold_value": D("1300.00")}, now=NOW)
    # The newest is CHF 1100 = USD 1243.00 (the older 2000.00 does not count): above 1200 only.
    fired = await _evaluate(sessions)
    assert [(t.alert_id, t.observed_value) for t in fired] == [(above.id, D("1243.00"))]
    assert (await _alert(sessions, lower.id)).status is AlertStatus.ACTIVE


async def test_alert_on_a_coin_follows_its_key(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        coin_id = await add_coin(s, "hadrian_sestertius")
        await _add(s, point("350.00", dt.date(2025, 6, 1), key=HADRIAN_SESTERTIUS_KEY))
        alert = await create_price_alert(s, {"coin_id": coin_id, "trigger_type": "price_below",
                                             "threshold_value": "400.00"}, now=NOW)
    assert (alert.coin_id, alert.attribution_key) == (coin_id, HADRIAN_SESTERTIUS_KEY)
    [fired] = await _evaluate(sessions)
    assert fired.attribution_key == HADRIAN_SESTERTIUS_KEY
    # The coin is later attributed to a catalogue type: a re-armed alert follows it.
    async with sessions() as s, s.begin():
        await cite(s, coin_id, "RIC II 563")
        await _add(s, point("300.00", dt.date(2025, 6, 2), key="ric.2.563"))
        await update_price_alert(s, alert.id, {"status": "active"}, now=NOW)
    [moved] = await _evaluate(sessions)
    assert (moved.attribution_key, moved.observed_value) == ("ric.2.563", D("300.00"))


async def test_pct_change_compares_the_last_two_windows(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(
            s,
            # Previous 12 months (2023-06-30, 2024-06-30]: median (950 + 1050) / 2 = 1000.00.
            point("950.00", dt.date(2023, 10, 4)), point("1050.00", dt.date(2024, 3, 9)),
            # Latest 12 months: median of 1150, 1200, 1300 = 1200.00 -> +20.00 %.
            point("1150.00", dt.date(2024, 9, 1)), point("1200.00", dt.date(2025, 1, 20)),
            point("1300.00", dt.date(2025, 5, 15)),
            point("400.00", dt.date(2022, 1, 1)),  # before both windows
        )
        rise = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                            "trigger_type": "pct_change",
                                            "threshold_pct": 15}, now=NOW)
        too_far = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                               "trigger_type": "pct_change",
                                               "threshold_pct": 25.0}, now=NOW)
        fall = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                            "trigger_type": "pct_change",
                                            "threshold_pct": -10}, now=NOW)
    assert rise.window_months == 12
    [fired] = await _evaluate(sessions)
    assert (fired.alert_id, fired.observed_value, fired.threshold) == (
        rise.id, D("20.0"), D("15.0")
    )
    assert "USD 1,200.00 is +20.00% against USD 1,000.00" in fired.message
    assert {(await _alert(sessions, a.id)).status for a in (too_far, fall)} == {AlertStatus.ACTIVE}
    # Re-armed with no new data: the same windows do not fire twice.
    async with sessions() as s, s.begin():
        await update_price_alert(s, rise.id, {"status": "active"}, now=NOW)
    assert await _evaluate(sessions) == []


async def test_pct_change_needs_two_points_each_side(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("500.00", dt.date(2024, 1, 4)), point("1000.00", dt.date(2025, 1, 4)),
                   point("1100.00", dt.date(2025, 2, 4)))
        await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY, "trigger_type": "pct_change",
                                     "threshold_pct": 10}, now=NOW)
    assert await _evaluate(sessions) == []


async def _wishlist(s: AsyncSession) -> WishlistItem:
    item = WishlistItem(title="Augustus C L CAESARES denarius", issuer="Augustus",
                        denomination="Denarius", catalog_ref="RIC I² 207", max_price=D("1200"))
    s.add(item)
    await s.flush()
    return item


def _match(item: WishlistItem, n: int, **values: Any) -> WishlistMatch:
    return WishlistMatch(wishlist_item_id=item.id, match_type="auction_lot", match_id=str(n),
                         title=f"Augustus AR Denarius, Lugdunum (lot {n})", price=D("950.00"),
                         currency="EUR", **values)


async def test_new_match_fires_for_matches_after_it_was_set(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        item = await _wishlist(s)
        s.add(_match(item, 1))  # already there when the alert is set up
        await s.flush()
        alert = await create_price_alert(s, {"trigger_type": "new_match",
                                             "wishlist_id": item.id}, now=NOW)
    assert await _evaluate(sessions) == []
    async with sessions() as s, s.begin():
        s.add(_match(item, 2, dismissed=True))
        await s.flush()
    assert await _evaluate(sessions) == []  # dismissed matches do not count
    async with sessions() as s, s.begin():
        new = _match(item, 3)
        s.add(new)
        await s.flush()
    [fired] = await _evaluate(sessions)
    assert (fired.alert_id, fired.trigger_type, fired.observation_key) == (
        alert.id, "new_match", f"match:{new.id}"
    )
    assert fired.observed_value == D("1026.00")  # EUR 950 × 1.08
    assert "new match 'Augustus AR Denarius, Lugdunum (lot 3)'" in fired.message
    async with sessions() as s, s.begin():
        await update_price_alert(s, alert.id, {"status": "active"}, now=NOW)
    assert await _evaluate(sessions) == []


async def test_expired_alerts_do_not_fire(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("500.00", dt.date(2025, 6, 1)))
        alert = await create_price_alert(s, {
            "attribution_key": AUGUSTUS_KEY, "trigger_type": "price_below",
            "threshold_value": D("900"), "expires_at": NOW + dt.timedelta(hours=1),
        }, now=NOW)
    assert await _evaluate(sessions, NOW + dt.timedelta(hours=2)) == []
    assert (await _alert(sessions, alert.id)).status is AlertStatus.EXPIRED
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await update_price_alert(s, alert.id, {"status": "active"}, now=LATER)
    assert (caught.value.code, caught.value.field) == ("OUT_OF_RANGE", ["expiresAt"])
    async with sessions() as s, s.begin():
        await update_price_alert(s, alert.id, {"status": "active", "expires_at": None}, now=LATER)
    assert len(await _evaluate(sessions, LATER)) == 1


async def test_paused_alerts_wait(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("500.00", dt.date(2025, 6, 1)))
        alert = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY, "status": "paused",
                                             "trigger_type": "price_below",
                                             "threshold_value": D("900")}, now=NOW)
    assert await _evaluate(sessions) == []
    async with sessions() as s, s.begin():
        await update_price_alert(s, alert.id, {"status": "active"}, now=NOW)
        [fired] = await evaluate_price_alerts(s, rates=RATES, now=NOW)
        await mark_alerts_notified(s, [fired.alert_id])
    assert (await _alert(sessions, alert.id)).notification_sent is True


async def test_update_is_partial_and_switching_type_clears_settings(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        alert = await create_price_alert(s, {"attribution_key": AUGUSTUS_KEY,
                                             "trigger_type": "price_below",
                                             "threshold_value": D("900"), "notes": "RIC 207"},
                                         now=NOW)
        await update_price_alert(s, alert.id, {"threshold_value": D("850.00")}, now=NOW)
        assert (alert.threshold_value, alert.notes) == (D("850.00"), "RIC 207")
        await update_price_alert(s, alert.id, {"notes": None, "trigger_type": "pct_change",
                                               "threshold_pct": -20, "window_months": 6}, now=NOW)
    stored = await _alert(sessions, alert.id)
    assert (stored.trigger_type, stored.threshold_value, stored.threshold_pct) == (
        AlertTrigger.PCT_CHANGE, None, -20.0
    )
    assert (stored.window_months, stored.notes, stored.attribution_key) == (6, None, AUGUSTUS_KEY)
    async with sessions() as s, s.begin():
        await delete_price_alert(s, alert.id)
        assert await s.get(PriceAlert, alert.id) is None


BASE: dict[str, Any] = {"attribution_key": AUGUSTUS_KEY, "trigger_type": "price_below",
                        "threshold_value": D("900")}


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"trigger_type": None}, "REQUIRED", ["triggerType"]),
        ({"trigger_type": "price_crash"}, "INVALID", ["triggerType"]),
        ({"threshold_value": None}, "REQUIRED", ["thresholdValue"]),
        ({"threshold_value": D("0")}, "OUT_OF_RANGE", ["thresholdValue"]),
        ({"threshold_pct": 10}, "INVALID", ["thresholdPct"]),
        ({"trigger_type": "pct_change", "threshold_value": None}, "REQUIRED", ["thresholdPct"]),
        ({"trigger_type": "pct_change", "threshold_value": None, "threshold_pct": 0},
         "INVALID", ["thresholdPct"]),
        ({"trigger_type": "pct_change", "threshold_value": None, "threshold_pct": -100},
         "OUT_OF_RANGE", ["thresholdPct"]),
        ({"trigger_type": "pct_change", "threshold_value": None, "threshold_pct": 10,
          "window_months": 0}, "OUT_OF_RANGE", ["windowMonths"]),
        ({"attribution_key": None}, "REQUIRED", ["attributionKey"]),
        ({"citation": "RIC I² 207"}, "INVALID", ["citation"]),
        ({"attribution_key": None, "citation": "cf. RIC I² 207"}, "INVALID", ["citation"]),
        ({"attribution_key": "RIC one"}, "INVALID", ["attributionKey"]),
        ({"attribution_key": None, "coin_id": 424242}, "NOT_FOUND", ["coinId"]),
        ({"trigger_type": "new_match", "threshold_value": None}, "INVALID", ["attributionKey"]),
        ({"trigger_type": "new_match", "threshold_value": None, "attribution_key": None},
         "REQUIRED", ["wishlistId"]),
        ({"trigger_type": "new_match", "threshold_value": None, "attribution_key": None,
          "wishlist_id": 424242}, "NOT_FOUND", ["wishlistId"]),
        ({"wishlist_id": 1}, "INVALID", ["wishlistId"]),
        ({"expires_at": NOW - dt.timedelta(minutes=1)}, "OUT_OF_RANGE", ["expiresAt"]),
        ({"expires_at": "tomorrow"}, "INVALID", ["expiresAt"]),
        ({"status": "triggered"}, "INVALID", ["status"]),
        ({"notes": "x" * 2001}, "INVALID", ["notes"]),
        ({"colour": "red"}, "INVALID", ["colour"]),
    ],
)
async def test_bad_alerts_name_their_field(
    sessions: Sessions, values: dict[str, Any], code: str, field: list[str]
) -> None:
    async with sessions() as s:
        before = await table_rows(s)
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await create_price_alert(s, {**BASE, **values}, now=NOW)
    assert (caught.value.code, caught.value.field) == (code, field), caught.value.message
    async with sessions() as s:
        assert await table_rows(s) == before


async def test_failed_update_changes_nothing(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        alert = await create_price_alert(s, BASE, now=NOW)
    async with sessions() as s:
        before = await table_rows(s)
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await update_price_alert(s, alert.id, {"threshold_value": D("700"),
                                                   "status": "expired"}, now=NOW)
    assert caught.value.field == ["status"]
    with pytest.raises(DomainError) as missing:
        async with sessions() as s, s.begin():
            await update_price_alert(s, 424242, {"notes": "gone"}, now=NOW)
    assert (missing.value.code, missing.value.field) == ("NOT_FOUND", ["alertId"])
    async with sessions() as s:
        assert await table_rows(s) == before
        assert (await s.get(PriceAlert, alert.id)).threshold_value == D("900.00")  # type: ignore[union-attr]


async def test_rolled_back_evaluation_fires_again(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("500.00", dt.date(2025, 6, 1)))
        await create_price_alert(s, BASE, now=NOW)
    with pytest.raises(RuntimeError):
        async with sessions() as s, s.begin():
            assert len(await evaluate_price_alerts(s, rates=RATES, now=NOW)) == 1
            raise RuntimeError("publishing was never reached")
    assert len(await _evaluate(sessions)) == 1


async def test_trigger_payload_is_small_json(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await _add(s, point("500.00", dt.date(2025, 6, 1)))
        await create_price_alert(s, BASE, now=NOW)
    [fired] = await _evaluate(sessions)
    payload = fired.payload()
    assert json.loads(json.dumps(payload)) == payload
    assert len(json.dumps(payload).encode()) < MAX_PAYLOAD_BYTES
    assert payload["observedValue"] == "500.00" and payload["triggerType"] == "price_below"
