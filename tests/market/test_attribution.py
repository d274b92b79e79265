"""Attribution keys: from citations, from a coin's primary reference or its type, from lots."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.enums import Metal
from coinstack_graphql.coins.models import Mint
from coinstack_graphql.market.attribution import (
    AttributionKeyError,
    attribution_key_for_citation,
    attribution_keys,
    auction_lot_attribution_key,
    auction_lot_attributions,
    check_attribution_key,
    metal_slug,
    reference_key,
    resolve_attribution_key,
    type_key,
)
from coinstack_graphql.references.citations import CitationError
from tests.market.fixtures import (
    AUGUSTUS_KEY,
    HADRIAN_SESTERTIUS_KEY,
    Sessions,
    add_coin,
    add_reference_type,
    cite,
    open_sessions,
)


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


@pytest.mark.parametrize(
    ("citation", "key"),
    [
        ("RIC I² 207", "ric.1(2).207"),
        ("RIC I (2) 207", "ric.1(2).207"),
        ("Crawford 443/1", "crawford.443.1"),
        ("RRC 494/23", "crawford.494.23"),
        ("RIC II.1² 772", "ric.2_1(2).772"),
        ("RIC VII Rome 123", "ric.7.rome.123"),
        ("RPC I 4567", "rpc.1.4567"),
        ("SNG Cop 31", "sng.cop.31"),
    ],
)
def test_key_of_a_citation(citation: str, key: str) -> None:
    assert attribution_key_for_citation(citation) == key


def test_unreadable_citation_is_refused() -> None:
    with pytest.raises(CitationError, match="qualified"):
        attribution_key_for_citation("cf. RIC I² 207")


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("Hadrian", "Sestertius", Metal.ORICHALCUM, "Rome"), HADRIAN_SESTERTIUS_KEY),
        (("Hadrian", "Sestertius", Metal.ORICHALCUM, "Roma"), HADRIAN_SESTERTIUS_KEY),
        (("Augustus", "Denarius", Metal.SILVER, "Lugdunum"), "type:augustus|denarius|silver|lyons"),
        (("Julius Caesar", "Denarius", Metal.SILVER, None),
         "type:julius_caesar|denarius|silver|unknown"),
        (("Constantine I", "Follis", "AE", "Treveri"), "type:constantine_i|follis|ae|trier"),
        (("Athens", "Tetradrachm", "AR", "Athens"), "type:athens|tetradrachm|silver|athens"),
        (("Ptolemy II", "Oktadrachm", "AV", "Alexandria"),
         "type:ptolemy_ii|oktadrachm|gold|alexandria"),
    ],
)
def test_type_key(parts: tuple[str, str, Metal | str, str | None], key: str) -> None:
    assert type_key(*parts) == key


def test_metal_abbreviations() -> None:
    assert [metal_slug(m) for m in ("AR", "AV", "Æ", "EL", "BI", "Bronze")] == [
        "silver", "gold", "ae", "electrum", "billon", "bronze",
    ]


def test_reference_key_adds_the_system_to_a_bare_reference() -> None:
    assert reference_key("ric", "ric.1(2).207") == "ric.1(2).207"
    assert reference_key("crawford", "443.1") == "crawford.443.1"


@pytest.mark.parametrize(
    "key", [AUGUSTUS_KEY, "crawford.443.1", HADRIAN_SESTERTIUS_KEY, "sng.cop.31"]
)
def test_well_formed_keys_pass(key: str) -> None:
    assert check_attribution_key(key) == key


@pytest.mark.parametrize(
    "key", ["type:hadrian|sestertius", "type:Hadrian|sestertius|orichalcum|rome", "foo.12",
            "RIC I² 207", ""],
)
def test_malformed_keys_are_refused(key: str) -> None:
    with pytest.raises(AttributionKeyError):
        check_attribution_key(key)


def test_resolve_takes_a_key_or_a_citation() -> None:
    assert resolve_attribution_key(" ric.1(2).207 ") == AUGUSTUS_KEY
    assert resolve_attribution_key("RIC I² 207") == AUGUSTUS_KEY
    with pytest.raises(AttributionKeyError, match="nor a citation"):
        resolve_attribution_key("Augustus denarius")


async def test_coin_keys_in_one_batch(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        augustus = await add_coin(s, "augustus_207")
        await cite(s, augustus, "RIC I² 207")
        await cite(s, augustus, "RSC 43", primary=False)
        hadrian = await add_coin(s, "hadrian_sestertius")
        await cite(s, hadrian, "RIC II 563", primary=False)  # cited, but not as primary
        lyons = Mint(name="Lugdunum", province="Gallia Lugdunensis")
        s.add(lyons)
        await s.flush()
        no_text_mint = await add_coin(s, "augustus_207", mint=None, mint_id=lyons.id)
        caesar = await add_coin(s, "caesar_elephant")
        keys = await attribution_keys(s, [augustus, hadrian, no_text_mint, caesar, 99999])
    assert keys == {
        augustus: AUGUSTUS_KEY,
        hadrian: HADRIAN_SESTERTIUS_KEY,
        no_text_mint: "type:augustus|denarius|silver|lyons",
        caesar: "type:julius_caesar|denarius|silver|unknown",
    }


async def test_auction_lot_keys(sessions: Sessions) -> None:
    async with sessions() as s, s.begin():
        crawford = await add_reference_type(s, "Crawford 443/1")
        common = dict(auction_house="CNG", auction_date=dt.date(2024, 5, 8), sold=True,
                      total_price=Decimal("2100.00"), currency="USD")
        linked = AuctionData(url="https://www.cngcoins.com/Coin.aspx?CoinID=1", ruler="Julius "
                             "Caesar", denomination="Denarius", metal="AR",
                             reference_type_id=crawford.id, primary_reference="RIC 1", **common)
        cited = AuctionData(url="https://www.cngcoins.com/Coin.aspx?CoinID=2",
                            primary_reference="RIC I² 207", ruler="Augustus", **common)
        typed = AuctionData(url="https://www.cngcoins.com/Coin.aspx?CoinID=3", ruler="Hadrian",
                            denomination="Sestertius", metal="Orichalcum", mint="Rome",
                            primary_reference="cf. RIC II 563", **common)
        bare = AuctionData(url="https://www.cngcoins.com/Coin.aspx?CoinID=4", **common)
        s.add_all([linked, cited, typed, bare])
        await s.flush()
        found = await auction_lot_attributions(s, [linked, cited, typed, bare])
        single = await auction_lot_attribution_key(s, cited)
        by_reference_only = await auction_lot_attributions(s, [typed], by_type=False)
    assert {lot_id: a.key for lot_id, a in found.items()} == {
        linked.id: "crawford.443.1", cited.id: AUGUSTUS_KEY, typed.id: HADRIAN_SESTERTIUS_KEY,
    }
    assert found[linked.id].catalog_ref == "Crawford 443/1"
    assert found[cited.id].catalog_ref == "RIC I² 207"
    assert (found[typed.id].denomination, found[typed.id].metal) == ("Sestertius", "orichalcum")
    assert single == AUGUSTUS_KEY
    assert by_reference_only == {}
