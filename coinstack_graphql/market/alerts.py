"""PriceAlertService: price alerts on a coin type, and their evaluation.

Lifecycle: an alert is created `active` (or `paused`). `evaluate_price_alerts` looks at
every active alert: one past `expires_at` becomes `expired`; one whose condition holds on
an observation it has not fired on becomes `triggered`, remembering that observation in
`last_observation_key`. A triggered alert stays quiet until the collector sets it `active`
again; then only a NEWER qualifying observation fires it. See docs/market.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.errors import DomainError, NotFound, OutOfRange, Required
from coinstack_graphql.market.attribution import (
    AttributionKeyError,
    attribution_key_for_citation,
    attribution_keys,
    check_attribution_key,
)
from coinstack_graphql.market.data_service import check_price
from coinstack_graphql.market.models import AlertStatus, PriceAlert
from coinstack_graphql.market.models import AlertTrigger as TriggerType
from coinstack_graphql.market.trends import (
    Observation,
    load_observations,
    months_before,
    newest_observations,
    observation_usd,
    window_change,
)
from coinstack_graphql.references.citations import CitationError
from coinstack_graphql.wishlist.models import WishlistItem, WishlistMatch

ALERT_CHANNEL = "price_alert_triggered"
DEFAULT_WINDOW_MONTHS = 12
MAX_WINDOW_MONTHS = 60
PCT_MIN_POINTS = 2
TARGETS = ("attribution_key", "citation", "coin_id")
PRICE_TRIGGERS = (TriggerType.PRICE_BELOW, TriggerType.PRICE_ABOVE)
# Writable names (columns, plus `citation` as a way to give the key) → GraphQL input names.
FIELDS = {
    name: name.split("_")[0] + "".join(w.title() for w in name.split("_")[1:])
    for name in (*TARGETS, "wishlist_id", "trigger_type", "threshold_value", "threshold_pct",
                 "window_months", "expires_at", "notes", "status")
}
# Which optional settings each trigger type takes; the others stay NULL.
_OWN = {
    TriggerType.PRICE_BELOW: {"threshold_value"},
    TriggerType.PRICE_ABOVE: {"threshold_value"},
    TriggerType.PCT_CHANGE: {"threshold_pct", "window_months"},
    TriggerType.NEW_MATCH: {"wishlist_id"},
}
_SETTABLE_STATUS = (AlertStatus.ACTIVE, AlertStatus.PAUSED)


@dataclass(frozen=True)
class AlertTrigger:
    """One alert that fired, for the caller to publish after commit."""

    alert_id: int
    trigger_type: str
    attribution_key: str | None
    observed_value: Decimal | None  # USD price, or % change for pct_change
    threshold: Decimal | None  # USD, or % for pct_change
    observation_key: str
    triggered_at: dt.datetime
    message: str

    def payload(self) -> dict[str, Any]:
        """Small JSON-safe fields (well under PostgreSQL's 8000-byte NOTIFY limit)."""
        return {
            "alertId": self.alert_id,
            "triggerType": self.trigger_type,
            "attributionKey": self.attribution_key,
            "observedValue": None if self.observed_value is None else str(self.observed_value),
            "threshold": None if self.threshold is None else str(self.threshold),
            "observationKey": self.observation_key,
            "triggeredAt": self.triggered_at.isoformat(),
            "message": self.message[:500],
        }


async def create_price_alert(
    session: AsyncSession, values: Mapping[str, Any], *, now: dt.datetime | None = None
) -> PriceAlert:
    """A new alert from column-name → value (plus `citation` as a target)."""
    _check_names(values)
    if values.get("trigger_type") is None:
        raise Required("triggerType is required", field=["triggerType"])
    alert = PriceAlert(status=AlertStatus.ACTIVE)
    await _apply(session, alert, dict(values), _now(now), creating=True)
    session.add(alert)
    await session.flush()
    return alert


async def update_price_alert(
    session: AsyncSession,
    alert_id: int,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> PriceAlert:
    """Change the given fields; an explicit None clears one. Setting status `active`
    re-arms a triggered or expired alert."""
    _check_names(values)
    alert = await _get(session, alert_id)
    await _apply(session, alert, dict(values), _now(now), creating=False)
    await session.flush()
    return alert


async def delete_price_alert(session: AsyncSession, alert_id: int) -> None:
    await session.delete(await _get(session, alert_id))
    await session.flush()


async def mark_alerts_notified(session: AsyncSession, alert_ids: list[int]) -> None:
    """Record that the triggers of `alert_ids` were published."""
    for alert in await session.scalars(select(PriceAlert).where(PriceAlert.id.in_(alert_ids))):
        alert.notification_sent = True
    await session.flush()


async def _get(session: AsyncSession, alert_id: int) -> PriceAlert:
    alert = await session.get(PriceAlert, alert_id)
    if alert is None:
        raise NotFound(f"no price alert with id {alert_id}", field=["alertId"])
    return alert


def _now(now: dt.datetime | None) -> dt.datetime:
    return _naive_utc(now) if now is not None else utcnow()


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _check_names(values: Mapping[str, Any]) -> None:
    for name in values:
        if name not in FIELDS:
            raise DomainError(f"unknown price alert field {name!r}", field=[name])


async def _apply(
    session: AsyncSession,
    alert: PriceAlert,
    values: dict[str, Any],
    now: dt.datetime,
    *,
    creating: bool,
) -> None:
    """Check the merged state of `alert` and `values`, then write it; nothing is written
    when a check fails."""
    trigger = _trigger(values["trigger_type"]) if "trigger_type" in values else alert.trigger_type
    if trigger is None:
        raise Required("triggerType is required", field=["triggerType"])
    settable = _OWN[trigger] | {"trigger_type", "expires_at", "notes", "status"}
    if trigger is not TriggerType.NEW_MATCH:
        settable |= set(TARGETS)
    for name, value in values.items():
        if value is not None and name not in settable:
            raise DomainError(
                f"{FIELDS[name]} does not apply to {trigger.value} alerts", field=[FIELDS[name]]
            )
    state: dict[str, Any] = {
        name: (values[name] if name in values else getattr(alert, name))
        if name in _OWN[trigger] else None
        for name in ("threshold_value", "threshold_pct", "window_months", "wishlist_id")
    }
    if trigger is TriggerType.PCT_CHANGE and state["window_months"] is None:
        state["window_months"] = DEFAULT_WINDOW_MONTHS
    _check_settings(trigger, state)
    if trigger is TriggerType.NEW_MATCH:
        key, coin_id = None, None
        if state["wishlist_id"] is None:
            raise Required("new_match alerts need wishlistId", field=["wishlistId"])
        if await session.get(WishlistItem, state["wishlist_id"]) is None:
            raise NotFound(f"no wishlist item with id {state['wishlist_id']}", field=["wishlistId"])
    else:
        key, coin_id = await _target(session, alert, values)
    if "status" in values:
        status = _status(values["status"])
    else:
        status = AlertStatus.ACTIVE if creating else alert.status
    expires_at = alert.expires_at
    if "expires_at" in values:
        expires_at = _expiry(values["expires_at"], now)
    reactivating = "status" in values and status is AlertStatus.ACTIVE
    if reactivating and expires_at is not None and expires_at <= now:
        raise OutOfRange(
            "the alert has expired: give a new expiresAt in the future (or null) to re-activate",
            field=["expiresAt"],
        )
    notes = values.get("notes", alert.notes)
    if notes is not None and len(notes) > 2000:
        raise DomainError("notes take at most 2000 characters", field=["notes"])
    # Checks done: write.
    rebase = trigger is TriggerType.NEW_MATCH and (
        creating or alert.trigger_type is not trigger or alert.wishlist_id != state["wishlist_id"]
    )
    alert.trigger_type = trigger
    alert.attribution_key, alert.coin_id = key, coin_id
    for name, value in state.items():
        setattr(alert, name, value)
    alert.status, alert.expires_at, alert.notes = status, expires_at, notes
    if rebase:
        # A new_match alert reports matches found after it was set up, not the backlog.
        newest = await session.scalar(
            select(func.max(WishlistMatch.id)).where(
                WishlistMatch.wishlist_item_id == state["wishlist_id"]
            )
        )
        alert.last_observation_key = f"match:{newest or 0}"


def _trigger(value: Any) -> TriggerType:
    try:
        return TriggerType(value)
    except ValueError:
        allowed = ", ".join(t.value for t in TriggerType)
        raise DomainError(
            f"triggerType must be one of {allowed}; got {value!r}", field=["triggerType"]
        ) from None


def _check_settings(trigger: TriggerType, state: dict[str, Any]) -> None:
    if trigger in PRICE_TRIGGERS:
        if state["threshold_value"] is None:
            raise Required(f"{trigger.value} alerts need thresholdValue (USD)",
                           field=["thresholdValue"])
        state["threshold_value"] = check_price(state["threshold_value"], ["thresholdValue"])
    if trigger is TriggerType.PCT_CHANGE:
        pct = state["threshold_pct"]
        if pct is None:
            raise Required("pct_change alerts need thresholdPct (e.g. 15 or -20)",
                           field=["thresholdPct"])
        try:
            pct = float(pct)
        except (TypeError, ValueError):
            pct = math.nan
        if not math.isfinite(pct) or pct == 0:
            raise DomainError("thresholdPct must be a non-zero percentage: positive for a "
                              "rise, negative for a fall", field=["thresholdPct"])
        if not -100 < pct <= 10_000:
            raise OutOfRange("thresholdPct must be above -100 and at most 10000",
                             field=["thresholdPct"])
        state["threshold_pct"] = pct
        months = state["window_months"]
        if isinstance(months, bool) or not isinstance(months, int) or not (
            1 <= months <= MAX_WINDOW_MONTHS
        ):
            raise OutOfRange(f"windowMonths must be 1 to {MAX_WINDOW_MONTHS}; got {months!r}",
                             field=["windowMonths"])


async def _target(
    session: AsyncSession, alert: PriceAlert, values: dict[str, Any]
) -> tuple[str, int | None]:
    """(attribution key, coin id) from the target given, else the alert's current one."""
    given = {name: values[name] for name in TARGETS if values.get(name) is not None}
    if len(given) > 1:
        second = [name for name in TARGETS if name in given][1]
        raise DomainError("give one of attributionKey, citation or coinId",
                          field=[FIELDS[second]])
    cleared = any(name in values and values[name] is None for name in TARGETS)
    if not given and (cleared or alert.attribution_key is None):
        raise Required("give attributionKey, citation or coinId", field=["attributionKey"])
    if not given:
        return alert.attribution_key or "", alert.coin_id
    name, value = next(iter(given.items()))
    if name == "coin_id":
        if await session.get(Coin, value) is None:
            raise NotFound(f"no coin with id {value}", field=["coinId"])
        return (await attribution_keys(session, [value]))[value], value
    try:
        if name == "citation":
            return attribution_key_for_citation(value), None
        return check_attribution_key(str(value).strip()), None
    except (CitationError, AttributionKeyError) as exc:
        raise DomainError(str(exc), field=[FIELDS[name]]) from None


def _status(value: Any) -> AlertStatus:
    try:
        status = AlertStatus(value)
    except ValueError:
        status = None
    if status not in _SETTABLE_STATUS:
        raise DomainError(
            f"status can be set to active or paused; got {value!r} (triggered and expired "
            "are set by evaluation)",
            field=["status"],
        )
    return status  # type: ignore[return-value]


def _expiry(value: Any, now: dt.datetime) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = _naive_utc(value)
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        raise DomainError(f"expiresAt must be a date-time; got {value!r}", field=["expiresAt"])
    if moment <= now:
        raise OutOfRange(f"expiresAt must be in the future; got {moment.isoformat()}",
                         field=["expiresAt"])
    return moment


async def evaluate_price_alerts(
    session: AsyncSession, *, rates: Mapping[str, Decimal], now: dt.datetime | None = None
) -> list[AlertTrigger]:
    """Expire, check and fire every active alert; the triggers are returned for the caller
    to publish once the transaction has committed."""
    moment = _now(now)
    # FOR UPDATE: two workers evaluating at once must not both fire one alert (PostgreSQL;
    # SQLite's BEGIN IMMEDIATE already serialises writers).
    active = await session.scalars(
        select(PriceAlert)
        .where(PriceAlert.status == AlertStatus.ACTIVE)
        .order_by(PriceAlert.id)
        .with_for_update()
    )
    live: list[PriceAlert] = []
    for alert in active:
        if alert.expires_at is not None and alert.expires_at <= moment:
            alert.status = AlertStatus.EXPIRED
        else:
            live.append(alert)
    coin_keys = await attribution_keys(session, {a.coin_id for a in live if a.coin_id})
    for alert in live:
        if alert.coin_id is not None and alert.coin_id in coin_keys:
            alert.attribution_key = coin_keys[alert.coin_id]  # references may have changed
    by_type: dict[TriggerType, list[PriceAlert]] = {t: [] for t in TriggerType}
    for alert in live:
        by_type[TriggerType(alert.trigger_type)].append(alert)
    prices = [*by_type[TriggerType.PRICE_BELOW], *by_type[TriggerType.PRICE_ABOVE]]
    newest = await newest_observations(session, {a.attribution_key for a in prices}, rates)
    fired = [_price_trigger(a, newest.get(a.attribution_key or ""), moment) for a in prices]
    fired += await _pct_triggers(session, by_type[TriggerType.PCT_CHANGE], rates, moment)
    fired += await _match_triggers(session, by_type[TriggerType.NEW_MATCH], rates, moment)
    triggers = sorted((t for t in fired if t is not None), key=lambda t: t.alert_id)
    alerts = {a.id: a for a in live}
    for trigger in triggers:
        alert = alerts[trigger.alert_id]
        alert.status = AlertStatus.TRIGGERED
        alert.triggered_at = moment
        alert.last_observation_key = trigger.observation_key
        alert.notification_sent = False
    await session.flush()
    return triggers


def _fire(
    alert: PriceAlert, observation_key: str, observed: Decimal | None,
    threshold: Decimal | None, moment: dt.datetime, message: str,
) -> AlertTrigger | None:
    if observation_key == alert.last_observation_key:
        return None  # this observation already fired this alert once
    return AlertTrigger(alert.id, TriggerType(alert.trigger_type).value, alert.attribution_key,
                        observed, threshold, observation_key, moment, message)


def _price_trigger(
    alert: PriceAlert, newest: tuple[Observation, Decimal] | None, moment: dt.datetime
) -> AlertTrigger | None:
    if newest is None or alert.threshold_value is None:
        return None
    observation, usd = newest
    below = alert.trigger_type == TriggerType.PRICE_BELOW
    if not (usd < alert.threshold_value if below else usd > alert.threshold_value):
        return None
    where = f" at {observation.auction_house}" if observation.auction_house else ""
    original = "" if observation.currency == "USD" else (
        f" ({observation.currency} {observation.price:,.2f})")
    message = (
        f"{alert.attribution_key}: USD {usd:,.2f}{original}{where} on "
        f"{observation.date.isoformat()}, {'below' if below else 'above'} your "
        f"USD {alert.threshold_value:,.2f}."
    )
    return _fire(alert, f"point:{observation.id}", usd, alert.threshold_value, moment, message)


async def _pct_triggers(
    session: AsyncSession,
    alerts: list[PriceAlert],
    rates: Mapping[str, Decimal],
    moment: dt.datetime,
) -> list[AlertTrigger | None]:
    if not alerts:
        return []
    today = moment.date()
    longest = max(a.window_months or DEFAULT_WINDOW_MONTHS for a in alerts)
    history = await load_observations(
        session, {a.attribution_key for a in alerts if a.attribution_key},
        since=months_before(today, 2 * longest), until=today,
    )
    return [_pct_trigger(a, history.get(a.attribution_key or "", []), rates, today, moment)
            for a in alerts]


def _pct_trigger(
    alert: PriceAlert,
    observations: list[Observation],
    rates: Mapping[str, Decimal],
    today: dt.date,
    moment: dt.datetime,
) -> AlertTrigger | None:
    """Median of the latest window (…, today] against the one before it."""
    months = alert.window_months or DEFAULT_WINDOW_MONTHS
    dated = [(o, usd) for o in observations if (usd := observation_usd(o, rates)) is not None]
    change = window_change(dated, today, months, PCT_MIN_POINTS)
    wanted = alert.threshold_pct
    if change is None or wanted is None:
        return None
    if not (change.pct >= wanted if wanted > 0 else change.pct <= wanted):
        return None
    message = (
        f"{alert.attribution_key}: median of the last {months} months "
        f"USD {change.recent_median:,.2f} is {change.pct:+.2f}% against "
        f"USD {change.prior_median:,.2f} the {months} months before (alert at {wanted:+g}%)."
    )
    # The observation is the latest window through its newest data point: the same data
    # never fires twice, a newer point may.
    key = f"window:{months}m:point:{change.newest.id}"
    return _fire(alert, key, Decimal(str(change.pct)), Decimal(str(wanted)), moment, message)


async def _match_triggers(
    session: AsyncSession,
    alerts: list[PriceAlert],
    rates: Mapping[str, Decimal],
    moment: dt.datetime,
) -> list[AlertTrigger | None]:
    wishlist_ids = {a.wishlist_id for a in alerts if a.wishlist_id is not None}
    if not wishlist_ids:
        return []
    newest_ids = (
        select(func.max(WishlistMatch.id))
        .where(WishlistMatch.wishlist_item_id.in_(wishlist_ids), WishlistMatch.dismissed.is_(False))
        .group_by(WishlistMatch.wishlist_item_id)
    )
    rows = await session.execute(
        select(WishlistMatch, WishlistItem.title)
        .join(WishlistItem, WishlistItem.id == WishlistMatch.wishlist_item_id)
        .where(WishlistMatch.id.in_(newest_ids))
    )
    newest = {match.wishlist_item_id: (match, title) for match, title in rows.all()}
    triggers: list[AlertTrigger | None] = []
    for alert in alerts:
        found = newest.get(alert.wishlist_id)
        seen = _seen_match(alert.last_observation_key)
        if found is None or found[0].id <= seen:
            continue
        match, title = found
        usd = None
        if match.price is not None:
            usd = observation_usd(
                Observation(match.id, "", moment.date(), match.price,
                            (match.currency or "USD").upper(), "", None, None, None), rates)
        price = f" for USD {usd:,.2f}" if usd is not None else ""
        message = f"Wishlist '{title}': new match '{match.title}'{price}."
        triggers.append(_fire(alert, f"match:{match.id}", usd, None, moment, message))
    return triggers


def _seen_match(observation_key: str | None) -> int:
    if observation_key and observation_key.startswith("match:"):
        tail = observation_key.removeprefix("match:")
        return int(tail) if tail.isdigit() else 0
    return 0
