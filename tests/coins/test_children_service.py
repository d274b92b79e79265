"""Images, provenance events, countermarks and tags of a coin (coins/children_service.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins import children_service as cs
from coinstack_graphql.coins.children import CoinImage, CoinTag, Countermark, ProvenanceEvent
from coinstack_graphql.coins.enums import (
    CountermarkCondition,
    CountermarkPlacement,
    CountermarkType,
    ImageType,
    ProvenanceType,
    PunchShape,
)
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.service import create_coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def run(sessions: Sessions, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with sessions() as s, s.begin():
        return await work(s)


async def refused(
    sessions: Sessions, work: Callable[[AsyncSession], Awaitable[Any]]
) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await run(sessions, work)
    return caught.value


@pytest.fixture
async def coin(sessions: Sessions) -> Coin:
    """Nero as, Lugdunum c. AD 65, the kind of host that carries NCAPR countermarks."""
    values = {
        "category": "imperial",
        "metal": "copper",
        "denomination": "As",
        "issuer": "Nero",
        "year_start": 65,
        "year_end": 65,
        "weight_g": Decimal("10.62"),
    }
    return await run(sessions, lambda s: create_coin(s, values))


async def all_of(sessions: Sessions, model: type[T], coin_id: int) -> list[T]:
    async with sessions() as s:
        rows = await s.scalars(select(model).where(model.coin_id == coin_id))  # type: ignore[attr-defined]
        return sorted(rows.all(), key=lambda r: r.id)  # type: ignore[attr-defined]


# ---- images

OBVERSE = {
    "image_type": "obverse",
    "file_path": "coins/nero-as/obverse.jpg",
    "mime_type": "image/JPEG",
    "size_bytes": 482_113,
    "width": 2400,
    "height": 2400,
}


async def test_images_keep_one_primary(sessions: Sessions, coin: Coin) -> None:
    first = await run(
        sessions, lambda s: cs.add_coin_image(s, coin.id, {**OBVERSE, "is_primary": True})
    )
    second = await run(
        sessions,
        lambda s: cs.add_coin_image(
            s,
            coin.id,
            {"image_type": ImageType.REVERSE, "file_path": "coins/nero-as/reverse.png",
             "mime_type": "image/png", "is_primary": True},
        ),
    )  # fmt: skip
    images = await all_of(sessions, CoinImage, coin.id)
    assert [(i.id, i.is_primary) for i in images] == [(first.id, False), (second.id, True)]
    assert images[0].mime_type == "image/jpeg" and images[0].image_type is ImageType.OBVERSE

    await run(sessions, lambda s: cs.update_coin_image(s, first.id, {"is_primary": True}))
    images = await all_of(sessions, CoinImage, coin.id)
    assert [i.is_primary for i in images] == [True, False]

    assert await run(sessions, lambda s: cs.remove_coin_image(s, second.id)) == coin.id
    assert [i.id for i in await all_of(sessions, CoinImage, coin.id)] == [first.id]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"mime_type": "image/gif"}, ["mimeType"], "INVALID"),
        ({"size_bytes": 0}, ["sizeBytes"], "OUT_OF_RANGE"),
        ({"width": -2400}, ["width"], "OUT_OF_RANGE"),
        ({"height": 0}, ["height"], "OUT_OF_RANGE"),
        ({"image_type": "photo"}, ["imageType"], "INVALID"),
        ({"file_path": "  "}, ["filePath"], "REQUIRED"),
        ({"source_auction_id": 77}, ["sourceAuctionId"], "NOT_FOUND"),
        ({"coin_id": 2}, ["coinId"], "INVALID"),
    ],
)
async def test_image_validation(
    sessions: Sessions, coin: Coin, values: dict[str, Any], field: list[str], code: str
) -> None:
    error = await refused(sessions, lambda s: cs.add_coin_image(s, coin.id, {**OBVERSE, **values}))
    assert (error.field, error.code) == (field, code), error.message
    assert await all_of(sessions, CoinImage, coin.id) == []


async def test_image_requires_a_path_and_ids_must_exist(sessions: Sessions, coin: Coin) -> None:
    error = await refused(sessions, lambda s: cs.add_coin_image(s, coin.id, {"image_type": "edge"}))
    assert (error.field, error.code) == (["filePath"], "REQUIRED")
    error = await refused(sessions, lambda s: cs.add_coin_image(s, 999, OBVERSE))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: cs.update_coin_image(s, 999, {"width": 10}))
    assert (error.field, error.code) == (["imageId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: cs.remove_coin_image(s, 999))
    assert (error.field, error.code) == (["imageId"], "NOT_FOUND")


# ---- provenance

TRITON = {
    "event_type": "auction",
    "event_date": date(2021, 1, 19),
    "auction_house": "CNG",
    "sale_series": "Triton",
    "sale_number": "XXIV",
    "lot_number": "812",
    "hammer_price": Decimal("1200"),
    "buyers_premium_pct": Decimal("20"),
    "currency": "usd",
}


async def add_event(
    sessions: Sessions, coin_id: int, position: int | None = None, **values: Any
) -> ProvenanceEvent:
    return await run(
        sessions,
        lambda s: cs.add_provenance_event(s, coin_id, {**TRITON, **values}, position=position),
    )


async def order(sessions: Sessions, coin_id: int) -> list[int]:
    events = await all_of(sessions, ProvenanceEvent, coin_id)
    return [e.id for e in sorted(events, key=lambda e: e.sort_order or 0)]


async def test_provenance_total_is_hammer_plus_premium(sessions: Sessions, coin: Coin) -> None:
    event = await add_event(sessions, coin.id)
    assert (event.total_price, event.currency, event.event_type) == (
        Decimal("1440.00"), "USD", ProvenanceType.AUCTION,
    )  # fmt: skip
    # 101.10 × 1.15 = 116.265: half-up to the cent
    rounded = await add_event(
        sessions, coin.id, hammer_price=Decimal("101.10"), buyers_premium_pct=Decimal("15")
    )
    assert rounded.total_price == Decimal("116.27")
    invoiced = await add_event(sessions, coin.id, total_price=Decimal("1500.00"))
    assert invoiced.total_price == Decimal("1500.00"), "a given total is kept"
    bare = await add_event(sessions, coin.id, buyers_premium_pct=None)
    assert bare.total_price is None


async def test_provenance_update_recomputes_only_a_derived_total(
    sessions: Sessions, coin: Coin
) -> None:
    derived = await add_event(sessions, coin.id)
    invoiced = await add_event(sessions, coin.id, total_price=Decimal("1500.00"))
    await run(
        sessions,
        lambda s: cs.update_provenance_event(
            s, derived.id, {"buyers_premium_pct": Decimal("22.5")}
        ),
    )
    await run(
        sessions,
        lambda s: cs.update_provenance_event(s, invoiced.id, {"hammer_price": Decimal("1100")}),
    )
    events = {e.id: e for e in await all_of(sessions, ProvenanceEvent, coin.id)}
    assert events[derived.id].total_price == Decimal("1470.00")
    assert events[invoiced.id].total_price == Decimal("1500.00")


async def test_provenance_order_is_kept_by_the_server(sessions: Sessions, coin: Coin) -> None:
    triton = await add_event(sessions, coin.id)
    leu = await add_event(
        sessions,
        coin.id,
        auction_house="Leu Numismatik",
        sale_series="Web Auction",
        sale_number="20",
    )
    garrett = await add_event(
        sessions, coin.id, position=0, event_type="collection",
        collection_name="Garrett Collection", auction_house=None, sale_series=None,
        sale_number=None, lot_number=None, hammer_price=None, buyers_premium_pct=None,
        currency=None,
    )  # fmt: skip
    assert await order(sessions, coin.id) == [garrett.id, triton.id, leu.id]
    events = await all_of(sessions, ProvenanceEvent, coin.id)
    assert sorted(e.sort_order or 0 for e in events) == [0, 1, 2]
    assert all(e.sort_order is not None for e in events)

    await run(
        sessions, lambda s: cs.reorder_provenance(s, coin.id, [leu.id, garrett.id, triton.id])
    )
    assert await order(sessions, coin.id) == [leu.id, garrett.id, triton.id]
    await run(sessions, lambda s: cs.update_provenance_event(s, leu.id, {}, position=2))
    assert await order(sessions, coin.id) == [garrett.id, triton.id, leu.id]
    assert await run(sessions, lambda s: cs.remove_provenance_event(s, garrett.id)) == coin.id
    events = await all_of(sessions, ProvenanceEvent, coin.id)
    assert {e.id: e.sort_order for e in events} == {triton.id: 0, leu.id: 1}


async def test_reorder_must_list_each_event_once(sessions: Sessions, coin: Coin) -> None:
    a = await add_event(sessions, coin.id)
    b = await add_event(sessions, coin.id)
    error = await refused(sessions, lambda s: cs.reorder_provenance(s, coin.id, [b.id, b.id]))
    assert (error.field, error.code) == (["eventIds", "1"], "INVALID")
    error = await refused(sessions, lambda s: cs.reorder_provenance(s, coin.id, [b.id, 999]))
    assert (error.field, error.code) == (["eventIds", "1"], "NOT_FOUND")
    error = await refused(sessions, lambda s: cs.reorder_provenance(s, coin.id, [b.id]))
    assert (error.field, error.code) == (["eventIds"], "REQUIRED")
    assert await order(sessions, coin.id) == [a.id, b.id]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"event_type": "theft"}, ["eventType"], "INVALID"),
        ({"event_type": None}, ["eventType"], "REQUIRED"),
        ({"currency": "EURO"}, ["currency"], "OUT_OF_RANGE"),
        ({"currency": "E$"}, ["currency"], "INVALID"),
        ({"buyers_premium_pct": Decimal("55")}, ["buyersPremiumPct"], "OUT_OF_RANGE"),
        ({"buyers_premium_pct": Decimal("-1")}, ["buyersPremiumPct"], "OUT_OF_RANGE"),
        ({"hammer_price": Decimal("-100")}, ["hammerPrice"], "OUT_OF_RANGE"),
        ({"total_price": Decimal("-1")}, ["totalPrice"], "OUT_OF_RANGE"),
        ({"hammer_price": Decimal("99999999.99")}, ["hammerPrice"], "OUT_OF_RANGE"),
        ({"auction_data_id": 31}, ["auctionDataId"], "NOT_FOUND"),
        ({"sort_order": 3}, ["sortOrder"], "INVALID"),
    ],
)
async def test_provenance_validation(
    sessions: Sessions, coin: Coin, values: dict[str, Any], field: list[str], code: str
) -> None:
    error = await refused(
        sessions, lambda s: cs.add_provenance_event(s, coin.id, {**TRITON, **values})
    )
    assert (error.field, error.code) == (field, code), error.message
    assert await all_of(sessions, ProvenanceEvent, coin.id) == []


async def test_provenance_position_and_ids(sessions: Sessions, coin: Coin) -> None:
    error = await refused(
        sessions, lambda s: cs.add_provenance_event(s, coin.id, TRITON, position=1)
    )
    assert (error.field, error.code) == (["position"], "OUT_OF_RANGE")
    error = await refused(
        sessions, lambda s: cs.update_provenance_event(s, 999, {"lot_number": "1"})
    )
    assert (error.field, error.code) == (["eventId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: cs.reorder_provenance(s, 999, []))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")


# ---- countermarks

LEGIONARY = {
    "countermark_type": "imperial_monogram",
    "description": "NCAPR in rectangle",
    "placement": "obverse",
    "position": "before the neck",
    "condition": "clear",
    "punch_shape": "rectangular",
    "reference": "Howgego 746",
}


async def test_countermark_round_trip(sessions: Sessions, coin: Coin) -> None:
    mark = await run(sessions, lambda s: cs.add_countermark(s, coin.id, LEGIONARY))
    await run(
        sessions,
        lambda s: cs.update_countermark(
            s, mark.id, {"condition": CountermarkCondition.WORN, "notes": None}
        ),
    )
    [stored] = await all_of(sessions, Countermark, coin.id)
    assert stored.countermark_type is CountermarkType.IMPERIAL_MONOGRAM
    assert stored.placement is CountermarkPlacement.OBVERSE
    assert stored.punch_shape is PunchShape.RECTANGULAR
    assert (stored.condition, stored.reference) == (CountermarkCondition.WORN, "Howgego 746")
    assert await run(sessions, lambda s: cs.remove_countermark(s, mark.id)) == coin.id
    assert await all_of(sessions, Countermark, coin.id) == []


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"description": None}, ["description"], "REQUIRED"),
        ({"description": "X" * 101}, ["description"], "OUT_OF_RANGE"),
        ({"placement": "rim"}, ["placement"], "INVALID"),
        ({"countermark_type": "military"}, ["countermarkType"], "INVALID"),
        ({"punch_shape": "hexagonal"}, ["punchShape"], "INVALID"),
        ({"condition": "legible"}, ["condition"], "INVALID"),
    ],
)
async def test_countermark_validation(
    sessions: Sessions, coin: Coin, values: dict[str, Any], field: list[str], code: str
) -> None:
    error = await refused(
        sessions, lambda s: cs.add_countermark(s, coin.id, {**LEGIONARY, **values})
    )
    assert (error.field, error.code) == (field, code)
    error = await refused(sessions, lambda s: cs.update_countermark(s, 404, {"notes": "x"}))
    assert (error.field, error.code) == (["countermarkId"], "NOT_FOUND")


# ---- tags


async def test_tags_are_trimmed_and_deduplicated_case_insensitively(
    sessions: Sessions, coin: Coin
) -> None:
    tags = await run(
        sessions,
        lambda s: cs.add_coin_tags(s, coin.id, ["  Lugdunum ", "Julio-Claudian", "lugdunum"]),
    )
    assert tags == ["Julio-Claudian", "Lugdunum"]
    tags = await run(
        sessions, lambda s: cs.add_coin_tags(s, coin.id, ["JULIO-CLAUDIAN", "countermarked  as"])
    )
    assert tags == ["countermarked as", "Julio-Claudian", "Lugdunum"]
    assert len(await all_of(sessions, CoinTag, coin.id)) == 3
    tags = await run(sessions, lambda s: cs.remove_coin_tags(s, coin.id, ["lugdunum", "not there"]))
    assert tags == ["countermarked as", "Julio-Claudian"]


@pytest.mark.parametrize(
    ("tags", "field", "code"),
    [
        (["Nero", "  "], ["tags", "1"], "REQUIRED"),
        (["Nero", "x" * 51], ["tags", "1"], "OUT_OF_RANGE"),
        (["Nero", 7], ["tags", "1"], "INVALID"),
        ("Nero", ["tags"], "INVALID"),
    ],
)
async def test_bad_tags_add_nothing(
    sessions: Sessions, coin: Coin, tags: Any, field: list[str], code: str
) -> None:
    error = await refused(sessions, lambda s: cs.add_coin_tags(s, coin.id, tags))
    assert (error.field, error.code) == (field, code)
    assert await all_of(sessions, CoinTag, coin.id) == []
    error = await refused(sessions, lambda s: cs.add_coin_tags(s, 999, ["Nero"]))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")
