"""`priceAlertTriggered`: triggers published on ALERT_CHANNEL, by any worker, as they fire.

The broker carries a small JSON payload (ids and figures); the alert itself is loaded when
the client selects it. On PostgreSQL the broker relays through LISTEN/NOTIFY, so a trigger
fired by `evaluatePriceAlerts` on another worker reaches subscribers here too.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.node_registry import by_id_loader
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.market.types import PriceAlertTrigger
from coinstack_graphql.market import models as mk
from coinstack_graphql.market.alerts import ALERT_CHANNEL


@strawberry.type
class MarketSubscription:
    @strawberry.subscription(description="Price alerts as they fire (at most once delivery: "
                                         "triggers fired while not subscribed are not "
                                         "replayed). `alert` narrows it to one alert.")
    async def price_alert_triggered(
        self, info: Info, alert: strawberry.ID | None = None
    ) -> AsyncGenerator[PriceAlertTrigger, None]:
        wanted = None
        if alert is not None:
            wanted = decode_id(alert, "PriceAlert", argument="alert")
            found = await info.context.loaders.get(by_id_loader(mk.PriceAlert)).load(wanted)
            if found is None:
                raise bad_request(f"no price alert with id {alert}", code="NOT_FOUND")
        broker = info.context.services["broker"]
        async with broker.subscribe(ALERT_CHANNEL) as messages:
            async for payload in messages:
                if wanted is not None and payload.get("alertId") != wanted:
                    continue
                # One context serves the whole connection: forget rows cached for an
                # earlier trigger so this one shows the alert as it is now.
                info.context.reset_loaders()
                yield PriceAlertTrigger.from_payload(payload)
