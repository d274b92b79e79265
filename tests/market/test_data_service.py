"""Market data points: bulk adds, idempotency on lot URLs, checks, auction price sync."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.errors import DomainError
from coinstack_graphql.market.data_service import (
    MAX_POINTS,
    add_market_data_points,
    sync_auction_realized_prices,
)
from coinstack_graphql.market.models import MarketDataPoint, MarketPrice, MarketSource
from tests.market.fixtures import (
    AUGUSTUS_COMPS,
    AUGUSTUS_KEY,
    HADRIAN_SESTERTIUS_KEY,
    RATES,
    TODAY,
    Sessions,
    add_reference_type,
    open_sessions,
    point,
    table_rows,
)


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


async def test_points_create_their_series_and_keep_their_currency(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        result = await add_market_data_points(s, AUGUSTUS_COMPS, rates=RATES, today=TODAY)
    assert len(result.added) == 6 and result.skipped == []
    assert result.series_created == [AUGUSTUS_KEY]
    async with sessions() as s:
        series = (await s.scalars(select(MarketPrice))).one()
        rows = list(await s.scalars(select(MarketDataPoint).order_by(MarketDataPoint.id)))
    assert series.attribution_key == AUGUSTUS_KEY and series.last_updated is not None
    roma = rows[1]
    # Stored as paid (EUR 800), converted only when read.
    assert (roma.price, roma.currency, roma.grade, roma.auction_house) == (
        Decimal("800.00"), "EUR", "VF", "Roma"
    )
    assert (roma.source, roma.date, roma.confidence) == (
        MarketSource.AUCTION_REALIZED, dt.date(2023, 9, 28), "medium"
    )
    assert all(r.market_price_id == series.id for r in rows)


async def test_series_records_what_is_known_of_the_type(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        await add_reference_type(s, "Crawford 443/1")
        await add_market_data_points(
            s,
            [
                point("2300.00", dt.date(2024, 3, 6), citation="RIC I² 207"),
                point("2100.00", dt.date(2024, 5, 8), key="crawford.443.1", house="Leu"),
                point("480.00", dt.date(2024, 11, 14), key=HADRIAN_SESTERTIUS_KEY,
                      source="dealer_asking", house="Praefectus"),
            ],
            rates=RATES, today=TODAY,
        )
    async with sessions() as s:
        rows = await s.execute(
            select(MarketPrice.attribution_key, MarketPrice.catalog_ref, MarketPrice.denomination,
                   MarketPrice.metal).order_by(MarketPrice.attribution_key)
        )
    assert [tuple(r) for r in rows.all()] == [
        ("crawford.443.1", "Crawford 443/1", None, None),
        (AUGUSTUS_KEY, "RIC I² 207", None, None),
        (HADRIAN_SESTERTIUS_KEY, None, "sestertius", "orichalcum"),
    ]


async def test_second_add_of_a_lot_url_changes_nothing(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        first = await add_market_data_points(s, AUGUSTUS_COMPS[:2], rates=RATES, today=TODAY)
    again = [
        point("999.00", dt.date(2023, 1, 18), grade="EF", url=AUGUSTUS_COMPS[0].lot_url),
        point("875.00", dt.date(2024, 2, 1), house="Savoca"),  # no URL: always stored
    ]
    async with sessions() as s, s.begin():
        result = await add_market_data_points(s, again, rates=RATES, today=TODAY)
        repeat = await add_market_data_points(s, again, rates=RATES, today=TODAY)
    assert [(k.index, k.lot_url, k.existing_id) for k in result.skipped] == [
        (0, AUGUSTUS_COMPS[0].lot_url, first.added[0].id)
    ]
    assert [p.price for p in result.added] == [Decimal("875.00")]
    assert len(repeat.added) == 1 and len(repeat.skipped) == 1
    assert result.series_created == []
    async with sessions() as s:
        stored = (await s.scalars(
            select(MarketDataPoint).where(MarketDataPoint.lot_url == AUGUSTUS_COMPS[0].lot_url)
        )).one()
        count = len(list(await s.scalars(select(MarketDataPoint.id))))
    assert (stored.price, stored.grade) == (Decimal("950.00"), "Ch VF")  # untouched
    assert count == 4


async def test_repeated_url_within_one_call_is_stored_once(sessions: Sessions) -> None:
    url = "https://www.cngcoins.com/Coin.aspx?CoinID=498211"
    async with sessions() as s, s.begin():
        result = await add_market_data_points(
            s, [point("950.00", dt.date(2023, 1, 18), url=url)] * 2, rates=RATES, today=TODAY
        )
    assert len(result.added) == 1
    assert [(k.index, k.existing_id) for k in result.skipped] == [(1, result.added[0].id)]


@pytest.mark.parametrize(
    ("bad", "code", "field", "words"),
    [
        (dict(price=Decimal("0")), "OUT_OF_RANGE", "price", "greater than 0"),
        (dict(price=Decimal("-5")), "OUT_OF_RANGE", "price", "greater than 0"),
        (dict(price=Decimal("12.345")), "INVALID", "price", "two decimal places"),
        (dict(currency="SEK"), "INVALID", "currency", "SEK=<USD per SEK>"),
        (dict(currency="EURO"), "INVALID", "currency", "three letters"),
        (dict(source="private_treaty"), "INVALID", "source", "auction_realized"),
        (dict(date=dt.date(2025, 7, 1)), "OUT_OF_RANGE", "date", "future"),
        (dict(grade="superb"), "INVALID", "grade", "grade"),
        (dict(attribution_key=None), "REQUIRED", "attributionKey", "attributionKey or citation"),
        (dict(citation="RIC I² 207"), "INVALID", "citation", "not both"),
        (dict(attribution_key=None, citation="RIC 207 var."), "INVALID", "citation", "variant"),
        (dict(attribution_key="RIC I 207"), "INVALID", "attributionKey", "attribution key"),
        (dict(lot_url="cngcoins.com/lot/1"), "INVALID", "lotUrl", "http"),
        (dict(confidence="certain"), "INVALID", "confidence", "low, medium, high"),
    ],
)
async def test_bad_points_name_their_field(
    sessions: Sessions, bad: dict[str, object], code: str, field: str, words: str
) -> None:
    good = point("950.00", dt.date(2023, 1, 18), url="https://www.cngcoins.com/Coin.aspx?CoinID=1")
    bad_point = point("875.00", dt.date(2024, 2, 1))
    for name, value in bad.items():
        setattr(bad_point, name, value)
    async with sessions() as s:
        before = await table_rows(s)
    with pytest.raises(DomainError) as caught:
        async with sessions() as s, s.begin():
            await add_market_data_points(s, [good, bad_point], rates=RATES, today=TODAY)
    assert (caught.value.code, caught.value.field) == (code, ["points", "1", field])
    assert words in caught.value.message
    async with sessions() as s:
        assert await table_rows(s) == before  # the good point was not stored either


async def test_more_than_250_points_are_refused(sessions: Sessions) -> None:
    points = [point("950.00", dt.date(2023, 1, 18))] * (MAX_POINTS + 1)
    async with sessions() as s, s.begin():
        with pytest.raises(DomainError) as caught:
            await add_market_data_points(s, points, rates=RATES, today=TODAY)
        result = await add_market_data_points(s, points[:MAX_POINTS], rates=RATES, today=TODAY)
    assert (caught.value.code, caught.value.field) == ("OUT_OF_RANGE", ["points"])
    assert len(result.added) == MAX_POINTS


async def test_failure_after_the_write_rolls_back_everything(sessions: Sessions) -> None:
    async with sessions() as s:
        before = await table_rows(s)
    with pytest.raises(DomainError):
        async with sessions() as s, s.begin():
            await add_market_data_points(s, AUGUSTUS_COMPS, rates=RATES, today=TODAY)
            # The caller's next step fails: the whole mutation goes.
            await add_market_data_points(
                s, [point("1.00", dt.date(2024, 1, 1), currency="XYZ")], rates=RATES, today=TODAY
            )
    async with sessions() as s:
        assert await table_rows(s) == before


def _lot(n: int, **values: object) -> AuctionData:
    base: dict[str, object] = dict(
        auction_house="Roma Numismatics", sale_name="Auction XXVIII", lot_number=str(n),
        url=f"https://www.romanumismatics.com/auction/28/lot-{n}",
        auction_date=dt.date(2024, 9, 26),
        sold=True, currency="GBP", ruler="Augustus", denomination="Denarius", metal="AR",
        mint="Lugdunum",
    )
    return AuctionData(**{**base, **values})


async def test_sync_copies_realised_prices_once(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        ric = await add_reference_type(s, "RIC I² 207")
        s.add_all([
            _lot(1, reference_type_id=ric.id, hammer_price=Decimal("650.00"),
                 total_price=Decimal("812.50"), grade="Good VF"),
            _lot(2, primary_reference="RIC I² 207", hammer_price=Decimal("700.00"),
                 grade="a very pleasing example"),
            _lot(3, primary_reference="RIC I² 207", total_price=Decimal("900.00"), sold=False),
            _lot(4, primary_reference="RIC I² 207"),  # sold, but no price recorded
            _lot(5, primary_reference="cf. RIC I² 207", total_price=Decimal("500.00")),
            _lot(6, total_price=Decimal("610.00")),  # no reference: not a catalogue type
            _lot(7, primary_reference="RIC I² 207", total_price=Decimal("720.00"), currency=None),
        ])
        await s.flush()
        first = await sync_auction_realized_prices(s)
        again = await sync_auction_realized_prices(s)
    assert (first, again) == (2, 0)
    async with sessions() as s:
        rows = (await s.execute(
            select(MarketPrice.attribution_key, MarketPrice.catalog_ref, MarketPrice.metal,
                   MarketDataPoint.price, MarketDataPoint.currency, MarketDataPoint.grade,
                   MarketDataPoint.source, MarketDataPoint.lot_url, MarketDataPoint.auction_data_id)
            .join(MarketPrice, MarketPrice.id == MarketDataPoint.market_price_id)
            .order_by(MarketDataPoint.lot_url)
        )).all()
        lot_ids = {lot.url: lot.id for lot in await s.scalars(select(AuctionData))}
    url1, url2 = _lot(1).url, _lot(2).url
    assert [tuple(r) for r in rows] == [
        (AUGUSTUS_KEY, "RIC I² 207", "silver", Decimal("812.50"), "GBP", "Good VF",
         MarketSource.AUCTION_REALIZED, url1, lot_ids[url1]),
        (AUGUSTUS_KEY, "RIC I² 207", "silver", Decimal("700.00"), "GBP", None,
         MarketSource.AUCTION_REALIZED, url2, lot_ids[url2]),
    ]


async def test_sync_skips_lots_already_entered_by_url(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        s.add(_lot(1, primary_reference="RIC I² 207", total_price=Decimal("812.50")))
        await add_market_data_points(
            s, [point("812.50", dt.date(2024, 9, 26), currency="GBP", url=_lot(1).url)],
            rates=RATES, today=TODAY,
        )
        assert await sync_auction_realized_prices(s) == 0
