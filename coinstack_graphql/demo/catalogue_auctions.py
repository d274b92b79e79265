"""Helpers building the demo auction records (the auction_data_v2 table).

Realised lots have `sold` True/False; upcoming lots (dated after DEMO_AS_OF) have `sold`
None and no hammer price. Lot URLs follow each house's pattern and are unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .catalogue_types import AuctionLot, DemoCoin

DEMO_AS_OF = date(2026, 11, 15)
PURCHASE_LOTS_FROM = date(2019, 1, 1)


@dataclass(frozen=True)
class AuctionType:
    """The type-level fields shared by every lot of one comparable series."""

    ruler: str
    denomination: str
    metal: str
    mint: str | None
    title: str
    reference: str


HOUSE_CODES: dict[str, str] = {
    "CNG": "CNG",
    "GM": "Gorny & Mosch",
    "HA": "Heritage Auctions",
    "KUN": "Künker",
    "LEU": "Leu Numismatik",
    "NAC": "Numismatica Ars Classica",
    "NAV": "Naville Numismatics",
    "NGSA": "Numismatica Genevensis",
    "NOMOS": "Nomos AG",
    "ROMA": "Roma Numismatics",
    "SAV": "Savoca Numismatik",
    "SBG": "Stack's Bowers",
}

# One lot per string: "house code|sale name|lot|date|estimate low|estimate high|hammer|premium %|
# currency|grade|weight g|diameter mm", with "-" for a missing value (unsold or upcoming).
# numisbids.com sale ids for houses that publish there.
_NUMISBIDS_SID: dict[tuple[str, str], int] = {}


def _sid(house: str, sale: str) -> int:
    key = (house, sale)
    if key not in _NUMISBIDS_SID:
        _NUMISBIDS_SID[key] = 4100 + 37 * len(_NUMISBIDS_SID)
    return _NUMISBIDS_SID[key]


_ROMAN = {
    "XVIII": 18,
    "XXIV": 24,
    "XXV": 25,
    "XXVI": 26,
    "XXVII": 27,
    "XXVIII": 28,
    "XXIX": 29,
    "XXX": 30,
}


def _sale_digits(sale: str) -> int:
    """A numeric id for a sale: its number, Triton sales offset by 900."""
    last = sale.split()[-1]
    if last in _ROMAN:
        return 900 + _ROMAN[last]
    digits = "".join(filter(str.isdigit, last)) or "".join(filter(str.isdigit, sale))
    return int(digits or 0)


def lot_url(house: str, sale: str, lot: str) -> str:
    """The house's lot URL (own site where it has a stable pattern, else NumisBids)."""
    lot_no = int("".join(filter(str.isdigit, lot)))
    if house == "CNG":
        return f"https://cngcoins.com/Coin.aspx?CoinID={_sale_digits(sale) * 10000 + lot_no}"
    if house == "Leu Numismatik":
        return f"https://leunumismatik.com/en/lot/{_sale_digits(sale)}/{lot_no}"
    if house == "Heritage Auctions":
        return f"https://coins.ha.com/itm/ancients/a/{_sale_digits(sale)}-{lot_no}.s"
    if house == "Stack's Bowers":
        return f"https://auctions.stacksbowers.com/lots/view/{_sale_digits(sale)}-{lot_no}"
    return f"https://www.numisbids.com/n.php?p=lot&sid={_sid(house, sale)}&lot={lot_no}"


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _total(hammer: Decimal | None, premium: Decimal) -> Decimal | None:
    if hammer is None:
        return None
    return (hammer + hammer * premium / 100).quantize(Decimal("0.01"))


def _opt(value: str) -> str | None:
    return None if value == "-" else value


def build_lots(t: AuctionType, rows: Iterable[str]) -> tuple[AuctionLot, ...]:
    out = []
    for row in rows:
        code, sale, lot, when_s, low, high, hammer, bp, cur, grade, wt, dia = row.split("|")
        house = HOUSE_CODES[code]
        when = date.fromisoformat(when_s)
        h = _money(_opt(hammer))
        premium = Decimal(bp)
        upcoming = when > DEMO_AS_OF
        out.append(
            AuctionLot(
                auction_house=house,
                sale_name=sale,
                lot_number=lot,
                auction_date=when,
                url=lot_url(house, sale, lot),
                estimate_low=_money(_opt(low)),
                estimate_high=_money(_opt(high)),
                hammer_price=h,
                total_price=_total(h, premium),
                buyers_premium_pct=premium,
                currency=cur,
                sold=None if upcoming else h is not None,
                ruler=t.ruler,
                denomination=t.denomination,
                metal=t.metal,
                mint=t.mint,
                title=t.title,
                grade=_opt(grade),
                primary_reference=t.reference,
                weight_g=Decimal(wt),
                diameter_mm=Decimal(dia),
            )
        )
    return tuple(out)


# Coins whose purchase lot is recorded beside the comparables, besides every coin of a
# comparable type bought at auction.
_LINKED_EXTRA = frozenset(
    {
        "rep-sulla-imper-iterum-1",
        "rep-aquillius-1",
        "rep-caesar-aeneas-1",
        "rep-saserna-gallic-1",
        "rep-sextus-pompey-neptune-1",
        "rep-faustus-bocchus-1",
        "rep-titurius-1",
        "imp-nero-iuppiter-custos-1",
        "imp-galba-spqr-1",
        "imp-trajan-danuvius-1",
        "imp-hadrian-restitutori-africae-1",
        "imp-domitian-wolf-twins-1",
        "prov-hadrian-ephesus-cistophorus-1",
        "prov-hadrian-aelia-capitolina-1",
        "grk-agathokles-kore-nike-1",
        "grk-mithradates-vi-pegasos-1",
        "grk-lysimachos-lampsakos-1",
        "grk-ptolemy-i-satrap-1",
        "byz-heraclius-three-emperors-solidus-1",
        "byz-alexius-i-hyperpyron-1",
    }
)


def sale_name_for(series: str | None, number: str) -> str:
    """Sale name as the lot tables spell it ("Electronic Auction 435", "Triton XXV")."""
    if series:
        return f"{series} {number}"
    if number.isdigit() or number.isupper():
        return f"Auction {number}"
    return number


def _round_estimate(value: Decimal) -> Decimal:
    """Round an estimate to two significant figures, as catalogues do."""
    digits = len(str(int(value)))
    step = Decimal(10) ** max(digits - 2, 0)
    return (value / step).quantize(Decimal(1)) * step


def _purchase_lot(coin: DemoCoin) -> AuctionLot | None:
    """The auction lot at which the coin was bought, if it was bought at auction."""
    if not coin.provenance:
        return None
    event = coin.provenance[-1]
    if event.event_type != "auction" or event.event_date != coin.acquisition_date:
        return None
    assert event.hammer_price is not None and event.buyers_premium_pct is not None
    assert event.auction_house and event.sale_number and event.lot_number and event.currency
    sale = sale_name_for(event.sale_series, event.sale_number)
    title = (
        f"{coin.issuer}. {coin.denomination.capitalize()}, "
        + (f"{coin.mint}, " if coin.mint else "")
        + f"{coin.date_period_notation}. {coin.reverse_legend or coin.reverse_description}"
    )
    return AuctionLot(
        auction_house=event.auction_house,
        sale_name=sale,
        lot_number=event.lot_number,
        auction_date=event.event_date,
        url=lot_url(event.auction_house, sale, event.lot_number),
        estimate_low=_round_estimate(event.hammer_price * Decimal("0.6")),
        estimate_high=_round_estimate(event.hammer_price * Decimal("0.8")),
        hammer_price=event.hammer_price,
        total_price=_total(event.hammer_price, event.buyers_premium_pct),
        buyers_premium_pct=event.buyers_premium_pct,
        currency=event.currency,
        sold=True,
        ruler=coin.issuer,
        denomination=coin.denomination,
        metal=coin.metal,
        mint=coin.mint,
        title=title,
        grade=coin.grade,
        primary_reference=coin.references[0],
        weight_g=coin.weight_g,
        diameter_mm=coin.diameter_mm,
        coin_key=coin.key,
    )


def purchase_lots(
    coins: Iterable[DemoCoin], comparable_refs: frozenset[str]
) -> tuple[AuctionLot, ...]:
    """Purchase lots (2019 on) for coins of the comparable types and selected highlights."""
    out = []
    for coin in coins:
        if coin.acquisition_date < PURCHASE_LOTS_FROM:
            continue
        if coin.references[0] in comparable_refs or coin.key in _LINKED_EXTRA:
            lot = _purchase_lot(coin)
            if lot is not None:
                out.append(lot)
    return tuple(out)
