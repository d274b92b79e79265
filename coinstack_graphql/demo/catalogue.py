"""The demo collection as plain Python data.

Sections (all deterministic, keyed by stable strings):

* ``MINTS`` / ``VOCAB_TERMS`` - real mints and controlled vocabulary (issuer, mint,
  denomination, dynasty), Nomisma ids where well established.
* ``COINS`` - the specimens (`DemoCoin`), each with provenance, grading history, rarity
  assessments, census snapshots and countermarks as nested tuples. ``references[0]`` is
  the primary citation; every reference parses with ``references.citations``; citations in
  catalogues the parser does not know sit in ``supplementary_references``.
* ``CONCORDANCE_GROUPS`` - equivalent citations of one type in different catalogues.
* ``AUCTION_LOTS`` - comparables, the collection's own purchase lots (``coin_key``) and
  upcoming lots matching the wishlist.
* ``COLLECTIONS``, ``SERIES``, ``WISHLIST``, ``PRICE_ALERTS`` - user organisation data
  referring to coins by key.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .catalogue_auction_lots import COMPARABLE_LOTS, COMPARABLE_REFS, UPCOMING_LOTS
from .catalogue_auctions import DEMO_AS_OF, purchase_lots
from .catalogue_coins_byzantine_1 import BYZANTINE_COINS_1
from .catalogue_coins_byzantine_2 import BYZANTINE_COINS_2
from .catalogue_coins_greek_1 import GREEK_COINS_1
from .catalogue_coins_greek_2 import GREEK_COINS_2
from .catalogue_coins_imperial_1 import IMPERIAL_COINS_1
from .catalogue_coins_imperial_2 import IMPERIAL_COINS_2
from .catalogue_coins_imperial_3 import IMPERIAL_COINS_3
from .catalogue_coins_imperial_4 import IMPERIAL_COINS_4
from .catalogue_coins_provincial_1 import PROVINCIAL_COINS_1
from .catalogue_coins_provincial_2 import PROVINCIAL_COINS_2
from .catalogue_coins_republic_1 import REPUBLIC_COINS_1
from .catalogue_coins_republic_2 import REPUBLIC_COINS_2
from .catalogue_coins_republic_3 import REPUBLIC_COINS_3
from .catalogue_coins_republic_4 import REPUBLIC_COINS_4
from .catalogue_mints import MINT_NAMES, MINTS
from .catalogue_types import (
    AuctionLot,
    DemoCoin,
    DemoCollection,
    DemoPriceAlert,
    DemoSeries,
    DemoSeriesSlot,
    DemoWishlistItem,
)
from .catalogue_vocab import VOCAB_TERMS

__all__ = [
    "AUCTION_LOTS",
    "COINS",
    "COINS_BY_KEY",
    "COLLECTIONS",
    "CONCORDANCE_GROUPS",
    "DEMO_AS_OF",
    "MINTS",
    "MINT_NAMES",
    "PRICE_ALERTS",
    "SERIES",
    "VOCAB_TERMS",
    "WISHLIST",
]

COINS: tuple[DemoCoin, ...] = (
    REPUBLIC_COINS_1
    + REPUBLIC_COINS_2
    + REPUBLIC_COINS_3
    + REPUBLIC_COINS_4
    + IMPERIAL_COINS_1
    + IMPERIAL_COINS_2
    + IMPERIAL_COINS_3
    + IMPERIAL_COINS_4
    + PROVINCIAL_COINS_1
    + PROVINCIAL_COINS_2
    + GREEK_COINS_1
    + GREEK_COINS_2
    + BYZANTINE_COINS_1
    + BYZANTINE_COINS_2
)

COINS_BY_KEY: dict[str, DemoCoin] = {coin.key: coin for coin in COINS}

# Each group lists one type's numbers in different catalogues; the first is canonical.
CONCORDANCE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("RIC I² 207", "RSC I 43", "BMCRE I 533", "SRCV I 1597"),
    ("RIC I² 30", "RSC II 16a", "BMCRE I 48"),
    ("RIC I² 81", "BMCRE I 146", "Cohen 228", "SRCV I 1789"),
    ("RIC I² 53", "RSC II 119", "BMCRE I 74"),
    ("RIC I² 2", "RSC II 11", "BMCRE I 4"),
    ("RIC I² 8", "RSC II 17", "BMCRE I 17", "SRCV I 2162"),
    ("RIC II.1² 2", "RSC II 226", "BMCRE II 35"),
    ("RIC II.1² 115", "RSC II 303", "BMCRE II 43"),
    ("RIC II 100", "BMCRE III 395", "RSC II 136"),
    ("RIC II.3² 1569", "RIC II 322", "RSC II 1223a", "BMCRE III 871", "SRCV II 3533"),
    ("RIC III 351a", "RSC II 32", "BMCRE IV 373", "SRCV II 4578"),
    ("RIC IV.1 266", "RSC III 222"),
    ("RIC IV.1 362", "RSC III 21", "BMCRE V 406", "SRCV II 7073"),
    ("RIC IV.2 268", "RSC III 36", "BMCRE V 76", "SRCV II 7756"),
    ("RIC IV.3 86", "RSC IV 121", "SRCV III 8617"),
    ("Crawford 433/1", "Sydenham 906", "SRCV I 397", "BMCRR 3862"),
    ("Crawford 443/1", "Sydenham 1006", "RSC I 49", "SRCV I 1399"),
    ("Crawford 480/13", "Sydenham 1074", "RSC I 39", "SRCV I 1414", "CRI 107d"),
    ("Crawford 508/3", "Sydenham 1301", "RSC I 15", "SRCV I 1439", "CRI 216"),
    ("Crawford 544/15", "Sydenham 1217", "RSC I 28", "CRI 350"),
)

AUCTION_LOTS: tuple[AuctionLot, ...] = tuple(
    sorted(
        COMPARABLE_LOTS + purchase_lots(COINS, COMPARABLE_REFS) + UPCOMING_LOTS,
        key=lambda lot: (lot.auction_date, lot.auction_house, lot.sale_name, lot.lot_number),
    )
)

_MONEYER_KEYS = tuple(
    c.key for c in COINS if c.category == "republic" and c.authority_type == "moneyer"
)

COLLECTIONS: tuple[DemoCollection, ...] = (
    DemoCollection(
        key="twelve-caesars",
        name="Twelve Caesars",
        slug="twelve-caesars",
        description="Suetonius' twelve Caesars, Julius Caesar to Domitian, one coin each.",
        collection_type="series",
        coin_keys=(
            "rep-caesar-elephant-1",
            "imp-augustus-caius-lucius-1",
            "imp-tiberius-tribute-penny-1",
            "imp-claudius-minerva-as-1",
            "imp-nero-iuppiter-custos-1",
            "imp-galba-spqr-1",
            "imp-vespasian-iudaea-1",
            "imp-titus-elephant-1",
            "imp-domitian-wolf-twins-1",
        ),
        display_order=1,
    ),
    DemoCollection(
        key="republican-moneyers",
        name="Republican moneyers",
        slug="republican-moneyers",
        description="Denarii signed by the annual moneyers (tresviri monetales).",
        collection_type="custom",
        coin_keys=_MONEYER_KEYS,
        display_order=2,
    ),
    DemoCollection(
        key="roman-imperial",
        name="Roman Imperial",
        slug="roman-imperial",
        description="Every coin of the Roman Imperial series, Augustus to Constantine.",
        collection_type="smart",
        smart_filter={"category": "imperial"},
        display_order=3,
    ),
    DemoCollection(
        key="severan-women",
        name="Severan women",
        slug="severan-women",
        description="Julia Domna, her sister Julia Maesa and Maesa's daughters.",
        collection_type="custom",
        coin_keys=(
            "imp-domna-venus-genetrix-1",
            "imp-maesa-pudicitia-1",
            "imp-maesa-saeculi-felicitas-1",
            "imp-soaemias-venus-caelestis-1",
            "imp-mamaea-iuno-conservatrix-1",
        ),
        parent_key="roman-imperial",
        display_order=4,
    ),
    DemoCollection(
        key="byzantine-gold",
        name="Byzantine gold",
        slug="byzantine-gold",
        description="Solidi, histamena and hyperpyra.",
        collection_type="smart",
        smart_filter={"category": "byzantine", "metal": "gold"},
        display_order=5,
    ),
    DemoCollection(
        key="slabbed",
        name="Certified coins",
        slug="certified-coins",
        description="Coins encapsulated by NGC or PCGS.",
        collection_type="smart",
        smart_filter={"grading_state": "slabbed"},
        display_order=6,
    ),
    DemoCollection(
        key="biblical",
        name="Coins of the Bible",
        slug="coins-of-the-bible",
        description="Coins of the New Testament world and the Jewish revolts.",
        collection_type="custom",
        coin_keys=(
            "imp-tiberius-tribute-penny-1",
            "jud-pilate-prutah-1",
            "prov-augustus-antioch-tet-2",
            "imp-vespasian-iudaea-1",
            "prov-titus-judaea-capta-1",
            "prov-hadrian-aelia-capitolina-1",
        ),
        display_order=7,
    ),
    DemoCollection(
        key="best-of",
        name="Best of the collection",
        slug="best-of",
        description="Favourite coins: the ones shown to visitors first.",
        collection_type="custom",
        coin_keys=(
            "rep-brutus-eid-mar-1",
            "grk-athens-owl-1",
            "rep-caesar-elephant-1",
            "byz-justinian-ii-christ-solidus-1",
            "grk-agathokles-kore-nike-1",
            "imp-vespasian-iudaea-1",
            "grk-mithradates-vi-pegasos-1",
            "rep-sextus-pompey-neptune-1",
            "imp-hadrian-restitutori-africae-1",
            "rep-aquillius-1",
        ),
        is_favorite=True,
        display_order=0,
    ),
)

SERIES: tuple[DemoSeries, ...] = (
    DemoSeries(
        key="twelve-caesars",
        name="Twelve Caesars",
        slug="twelve-caesars",
        description="One coin of each ruler in Suetonius' Lives of the Caesars.",
        series_type="ruler",
        slots=(
            DemoSeriesSlot(slot_number=1, name="Julius Caesar", coin_key="rep-caesar-elephant-1"),
            DemoSeriesSlot(slot_number=2, name="Augustus", coin_key="imp-augustus-caius-lucius-1"),
            DemoSeriesSlot(slot_number=3, name="Tiberius", coin_key="imp-tiberius-tribute-penny-1"),
            DemoSeriesSlot(slot_number=4, name="Caligula", priority=1),
            DemoSeriesSlot(slot_number=5, name="Claudius", coin_key="imp-claudius-minerva-as-1"),
            DemoSeriesSlot(slot_number=6, name="Nero", coin_key="imp-nero-iuppiter-custos-1"),
            DemoSeriesSlot(slot_number=7, name="Galba", coin_key="imp-galba-spqr-1"),
            DemoSeriesSlot(slot_number=8, name="Otho", priority=1),
            DemoSeriesSlot(slot_number=9, name="Vitellius", priority=1),
            DemoSeriesSlot(slot_number=10, name="Vespasian", coin_key="imp-vespasian-iudaea-1"),
            DemoSeriesSlot(slot_number=11, name="Titus", coin_key="imp-titus-elephant-1"),
            DemoSeriesSlot(slot_number=12, name="Domitian", coin_key="imp-domitian-wolf-twins-1"),
        ),
    ),
    DemoSeries(
        key="severan-women",
        name="Severan women",
        slug="severan-women",
        description="The empresses and imperial women of the Severan dynasty.",
        series_type="dynasty",
        slots=(
            DemoSeriesSlot(
                slot_number=1, name="Julia Domna", coin_key="imp-domna-venus-genetrix-1"
            ),
            DemoSeriesSlot(slot_number=2, name="Plautilla", priority=2),
            DemoSeriesSlot(slot_number=3, name="Julia Paula", priority=3),
            DemoSeriesSlot(slot_number=4, name="Aquilia Severa", priority=3),
            DemoSeriesSlot(slot_number=5, name="Annia Faustina", priority=3),
            DemoSeriesSlot(
                slot_number=6, name="Julia Soaemias", coin_key="imp-soaemias-venus-caelestis-1"
            ),
            DemoSeriesSlot(slot_number=7, name="Julia Maesa", coin_key="imp-maesa-pudicitia-1"),
            DemoSeriesSlot(slot_number=8, name="Orbiana", priority=2),
            DemoSeriesSlot(
                slot_number=9, name="Julia Mamaea", coin_key="imp-mamaea-iuno-conservatrix-1"
            ),
        ),
    ),
)

WISHLIST: tuple[DemoWishlistItem, ...] = (
    DemoWishlistItem(
        key="wish-otho",
        title="Otho denarius, SECVRITAS P R",
        issuer="Otho",
        mint="Rome",
        year_start=69,
        year_end=69,
        denomination="denarius",
        catalog_ref="RIC I² 8",
        min_grade="VF",
        max_price=Decimal("3500.00"),
        priority=1,
        series_slot=("twelve-caesars", 8),
        notes="Good portrait more important than the reverse.",
    ),
    DemoWishlistItem(
        key="wish-vitellius",
        title="Vitellius denarius, XV VIR SACR FAC tripod",
        issuer="Vitellius",
        mint="Rome",
        year_start=69,
        year_end=69,
        denomination="denarius",
        catalog_ref="RIC I² 109",
        min_grade="VF",
        max_price=Decimal("1800.00"),
        priority=1,
        series_slot=("twelve-caesars", 9),
    ),
    DemoWishlistItem(
        key="wish-caligula",
        title="Caligula denarius with Divus Augustus",
        issuer="Caligula",
        mint="Lugdunum",
        year_start=37,
        year_end=37,
        denomination="denarius",
        catalog_ref="RIC I² 2",
        min_grade="F",
        max_price=Decimal("4000.00"),
        priority=1,
        series_slot=("twelve-caesars", 4),
    ),
    DemoWishlistItem(
        key="wish-caesar-portrait",
        title="Julius Caesar lifetime portrait denarius",
        issuer="Julius Caesar",
        mint="Rome",
        year_start=-44,
        year_end=-44,
        denomination="denarius",
        catalog_ref="Crawford 480/13",
        min_grade="F",
        max_price=Decimal("12000.00"),
        priority=2,
        description="Struck in the weeks before the Ides of March; portrait must be full.",
    ),
    DemoWishlistItem(
        key="wish-plautilla",
        title="Plautilla denarius, PROPAGO IMPERI",
        issuer="Plautilla",
        mint="Rome",
        year_start=202,
        year_end=205,
        denomination="denarius",
        catalog_ref="RIC IV.1 362",
        min_grade="VF",
        max_price=Decimal("400.00"),
        priority=2,
        series_slot=("severan-women", 2),
    ),
    DemoWishlistItem(
        key="wish-justinian-ii-second-reign",
        title="Justinian II second-reign solidus, youthful Christ",
        issuer="Justinian II",
        mint="Constantinople",
        year_start=705,
        year_end=711,
        denomination="solidus",
        catalog_ref="SB 1413",
        min_grade="VF",
        max_price=Decimal("9000.00"),
        priority=3,
    ),
    DemoWishlistItem(
        key="wish-akragas",
        title="Akragas tetradrachm, eagles and crab",
        issuer="Akragas",
        mint=None,
        year_start=-420,
        year_end=-406,
        denomination="tetradrachm",
        catalog_ref="SNG ANS 979",
        min_grade="VF",
        max_price=Decimal("20000.00"),
        priority=3,
        status="watching",
    ),
    DemoWishlistItem(
        key="wish-justinian-i-solidus",
        title="Justinian I solidus",
        issuer="Justinian I",
        mint="Constantinople",
        year_start=527,
        year_end=565,
        denomination="solidus",
        catalog_ref=None,
        min_grade="EF",
        max_price=Decimal("1000.00"),
        priority=2,
    ),
)

PRICE_ALERTS: tuple[DemoPriceAlert, ...] = (
    DemoPriceAlert(
        key="alert-tribute-penny-below",
        trigger_type="price_below",
        attribution="RIC I² 30",
        threshold_value=Decimal("700.00"),
        expires_at=date(2027, 6, 30),
        notes="Upgrade candidate for the second tribute penny.",
    ),
    DemoPriceAlert(
        key="alert-otho-new-match",
        trigger_type="new_match",
        attribution="RIC I² 8",
        wishlist_key="wish-otho",
    ),
    DemoPriceAlert(
        key="alert-vitellius-below",
        trigger_type="price_below",
        attribution="RIC I² 109",
        threshold_value=Decimal("1500.00"),
        expires_at=date(2027, 3, 31),
        notes="Watching the type the Vitellius wishlist item wants.",
    ),
    DemoPriceAlert(
        key="alert-eid-mar-above",
        trigger_type="price_above",
        attribution="Crawford 508/3",
        threshold_value=Decimal("450000.00"),
        coin_key="rep-brutus-eid-mar-1",
        notes="Revalue the insurance schedule if a Ch VF sells above this.",
    ),
    DemoPriceAlert(
        key="alert-caesar-elephant-change",
        trigger_type="pct_change",
        attribution="Crawford 443/1",
        threshold_pct=15.0,
        window_months=12,
        coin_key="rep-caesar-elephant-1",
    ),
    DemoPriceAlert(
        key="alert-owl-change",
        trigger_type="pct_change",
        attribution="SNG Cop 31",
        threshold_pct=10.0,
        window_months=24,
        coin_key="grk-athens-owl-1",
        status="paused",
    ),
    DemoPriceAlert(
        key="alert-galba-below",
        trigger_type="price_below",
        attribution="RIC I² 167",
        threshold_value=Decimal("900.00"),
        status="expired",
        expires_at=date(2025, 12, 31),
    ),
)
