"""Auction records: realised comparables for types the collection holds, and current or
upcoming lots matching wishlist items. ``AUCTION_LOTS`` in ``catalogue`` adds the
collection's own purchase lots (linked by coin key).
"""

from __future__ import annotations

from .catalogue_auctions import AuctionType, build_lots
from .catalogue_types import AuctionLot

AUGUSTUS_CL = AuctionType(
    "Augustus",
    "denarius",
    "silver",
    "Lugdunum",
    "Augustus. Denarius, Lugdunum, 2 BC-AD 4. Gaius and Lucius Caesars",
    "RIC I² 207",
)
TRIBUTE_PENNY = AuctionType(
    "Tiberius",
    "denarius",
    "silver",
    "Lugdunum",
    "Tiberius. Denarius, Lugdunum. PONTIF MAXIM, Livia seated ('tribute penny')",
    "RIC I² 30",
)
CAESAR_ELEPHANT = AuctionType(
    "Julius Caesar",
    "denarius",
    "silver",
    None,
    "Julius Caesar. Denarius, military mint, 49-48 BC. Elephant / pontifical emblems",
    "Crawford 443/1",
)
VESPASIAN_IVDAEA = AuctionType(
    "Vespasian",
    "denarius",
    "silver",
    "Rome",
    "Vespasian. Denarius, Rome, AD 69-70. IVDAEA, Judaea mourning",
    "RIC II.1² 2",
)
EID_MAR = AuctionType(
    "M. Junius Brutus",
    "denarius",
    "silver",
    None,
    "Brutus. Denarius, military mint, 42 BC. EID MAR, pileus between daggers",
    "Crawford 508/3",
)
ATHENS_OWL = AuctionType(
    "Athens",
    "tetradrachm",
    "silver",
    "Athens",
    "Attica, Athens. Tetradrachm, c. 454-404 BC. Athena / owl",
    "SNG Cop 31",
)
TITUS_ELEPHANT = AuctionType(
    "Titus",
    "denarius",
    "silver",
    "Rome",
    "Titus. Denarius, Rome, AD 80. Elephant walking left",
    "RIC II.1² 115",
)
JUSTINIAN_II_CHRIST = AuctionType(
    "Justinian II",
    "solidus",
    "gold",
    "Constantinople",
    "Justinian II, first reign. Solidus, 692-695. Bust of Christ / emperor standing",
    "SB 1248",
)
SEVERUS_CARTH = AuctionType(
    "Septimius Severus",
    "denarius",
    "silver",
    "Rome",
    "Septimius Severus. Denarius, Rome. INDVLGENTIA AVGG IN CARTH, Dea Caelestis on lion",
    "RIC IV.1 266",
)
BRUTUS_LIBERTAS = AuctionType(
    "M. Junius Brutus",
    "denarius",
    "silver",
    "Rome",
    "M. Junius Brutus. Denarius, Rome, 54 BC. LIBERTAS / consul between lictors",
    "Crawford 433/1",
)
ALEXANDER_AMPHIPOLIS = AuctionType(
    "Alexander III",
    "tetradrachm",
    "silver",
    "Amphipolis",
    "Kings of Macedon, Alexander III. Tetradrachm, Amphipolis, lifetime issue",
    "Price 113",
)
PILATE = AuctionType(
    "Pontius Pilate",
    "prutah",
    "bronze",
    "Jerusalem",
    "Judaea, Pontius Pilate. Prutah, year 17 of Tiberius (AD 30/31). Lituus / date in wreath",
    "RPC I 4968",
)
JUSTINIAN_FOLLIS = AuctionType(
    "Justinian I",
    "follis",
    "bronze",
    "Constantinople",
    "Justinian I. Follis, Constantinople, regnal year 12. Facing bust / large M",
    "SB 163",
)

COMPARABLE_LOTS: tuple[AuctionLot, ...] = (
    *build_lots(
        AUGUSTUS_CL,
        (
            "CNG|Electronic Auction 440|488|2019-03-27|500|500|650|20|USD|VF|3.82|19",
            "ROMA|E-Sale 63|731|2019-10-23|300|400|420|20|GBP|gVF|3.79|19",
            "KUN|Auction 327|3822|2019-11-20|750|750|1100|25|EUR|EF|3.86|19",
            "HA|Auction 3094|31220|2021-08-19|800|1200|1500|20|USD|Ch XF 5/5 - 4/5|3.84|19",
            "CNG|Electronic Auction 506|512|2022-01-05|400|400|-|20|USD|F|3.55|18",
            "LEU|Web Auction 20|1733|2022-06-18|400|400|700|20|CHF|VF|3.80|20",
            "NAV|Auction 78|544|2023-03-19|500|700|620|18|GBP|Good VF|3.77|19",
            "CNG|Electronic Auction 560|560|2024-04-03|750|750|1050|20|USD|EF|3.83|19",
            "GM|Auction 298|2415|2024-10-14|600|600|850|22|EUR|VF/EF|3.81|19",
            "HA|Auction 3117|30418|2025-01-09|1000|1500|1900|20|USD|AU 5/5 - 4/5|3.85|19",
            "CNG|Electronic Auction 606|571|2026-03-11|800|800|900|20|USD|gVF|3.78|19",
        ),
    ),
    *build_lots(
        TRIBUTE_PENNY,
        (
            "CNG|Electronic Auction 450|501|2019-07-31|500|500|600|20|USD|VF|3.76|19",
            "ROMA|E-Sale 70|845|2020-05-28|450|550|700|20|GBP|EF|3.78|19",
            "HA|Auction 3094|31241|2021-08-19|600|800|1200|20|USD|Ch XF 5/5 - 4/5|3.80|19",
            "CNG|Electronic Auction 511|533|2022-03-16|300|300|340|20|USD|F|3.61|18",
            "NGSA|Auction 18|1145|2023-05-18|600|800|900|20|CHF|VF|3.77|19",
            "LEU|Web Auction 24|1655|2023-02-25|500|500|820|20|CHF|gVF|3.74|19",
            "SBG|August 2023 ANA|41190|2023-08-17|800|1200|1400|20|USD|XF 5/5 - 4/5|3.79|19",
            "CNG|Electronic Auction 565|588|2024-06-12|750|750|950|20|USD|Good VF|3.73|19",
            "KUN|Auction 421|3611|2025-03-18|500|500|680|25|EUR|VF|3.75|19",
            "CNG|Electronic Auction 598|540|2025-10-29|1000|1000|1300|20|USD|EF|3.81|19",
            "HA|Auction 3125|30377|2026-01-08|800|1200|1000|20|USD|Ch VF 5/5 - 3/5|3.76|19",
        ),
    ),
    *build_lots(
        CAESAR_ELEPHANT,
        (
            "CNG|Electronic Auction 458|301|2019-11-20|1000|1000|1250|20|USD|VF|3.88|19",
            "ROMA|E-Sale 78|602|2020-12-17|900|1200|1500|20|GBP|EF|3.92|19",
            "KUN|Auction 376|4108|2022-10-18|1500|1500|2600|25|EUR|EF|3.90|19",
            "CNG|Triton XXVI|1002|2023-01-12|2000|2000|3000|20|USD|Ch XF 5/5 - 4/5|3.95|19",
            "NAV|Auction 78|520|2023-03-19|800|1000|900|18|GBP|Good Fine|3.71|18",
            "LEU|Web Auction 30|1402|2024-06-15|1000|1000|1900|20|CHF|Good VF|3.86|19",
            "HA|Auction 3117|30233|2025-01-09|2500|3500|4400|20|USD|AU 5/5 - 4/5|3.93|19",
            "CNG|Electronic Auction 590|322|2025-07-09|1250|1250|1400|20|USD|VF|3.84|19",
            "GM|Auction 305|2104|2026-03-09|1500|1500|-|22|EUR|VF|3.79|18",
            "CNG|Electronic Auction 614|318|2026-07-08|1500|1500|2100|20|USD|EF|3.90|19",
        ),
    ),
    *build_lots(
        VESPASIAN_IVDAEA,
        (
            "CNG|Electronic Auction 470|566|2020-06-10|1500|1500|2000|20|USD|VF|3.38|18",
            "ROMA|E-Sale 90|799|2021-11-25|1200|1500|2300|20|GBP|gVF|3.40|18",
            "CNG|Triton XXV|845|2022-01-11|3000|3000|4750|20|USD|EF|3.45|18",
            "HA|Auction 3104|31788|2023-01-12|3000|4000|5000|20|USD|Ch XF 5/5 - 3/5|3.41|18",
            "KUN|Auction 413|3702|2024-10-08|2500|2500|3400|25|EUR|VF/EF|3.36|18",
            "CNG|Triton XXVIII|777|2025-01-14|3500|3500|4250|20|USD|EF|3.43|18",
            "LEU|Web Auction 35|1840|2025-12-13|2000|2000|2900|20|CHF|VF|3.39|18",
            "CNG|Electronic Auction 618|590|2026-09-16|2000|2000|2400|20|USD|Good VF|3.37|18",
        ),
    ),
    *build_lots(
        EID_MAR,
        (
            "ROMA|Auction XXIII|688|2022-03-24|150000|200000|280000|20|GBP|VF|3.62|19",
            "NAC|Auction 138|124|2023-05-10|300000|350000|400000|22.5|CHF|EF|3.80|19",
            "HA|Auction 3111|34008|2024-01-11|250000|350000|360000|20|USD|Ch VF 4/5 - 3/5|3.74|19",
            "KUN|Auction 413|3650|2024-10-08|200000|200000|310000|25|EUR|VF|3.69|19",
            "CNG|Triton XXIX|1200|2026-01-13|300000|300000|455000|20|USD|Ch XF 5/5 - 3/5|3.83|19",
            "NAC|Auction 152|88|2026-05-19|400000|500000|-|22.5|CHF|VF|3.71|19",
        ),
    ),
    *build_lots(
        ATHENS_OWL,
        (
            "CNG|Electronic Auction 440|140|2019-03-27|1000|1000|1150|20|USD|VF|17.18|24",
            "NOMOS|Obolos 15|112|2020-03-01|1000|1000|1400|20|CHF|Good VF|17.20|24",
            "ROMA|E-Sale 84|201|2021-06-09|900|1200|1600|20|GBP|EF|17.15|23",
            "HA|Auction 3104|31020|2023-01-12|2000|3000|3800|20|USD|Ch AU 5/5 - 4/5|17.21|24",
            "LEU|Web Auction 24|1102|2023-02-25|1200|1200|2400|20|CHF|Ch AU Fine Style|17.19|25",
            "CNG|Electronic Auction 546|148|2023-07-26|750|750|900|20|USD|F|17.05|24",
            "NGSA|Auction 20|35|2024-10-22|2000|3000|3100|20|CHF|EF|17.22|25",
            "CNG|Electronic Auction 575|155|2024-11-20|1250|1250|1500|20|USD|Good VF|17.17|24",
            "KUN|Auction 421|1155|2025-03-18|1500|1500|2300|25|EUR|EF|17.20|24",
            "HA|Auction 3125|30044|2026-01-08|3000|4000|5200|20|USD|MS Fine Style|17.22|24",
            "CNG|Electronic Auction 610|139|2026-05-13|1500|1500|1800|20|USD|Ch XF|17.16|24",
        ),
    ),
    *build_lots(
        TITUS_ELEPHANT,
        (
            "CNG|Electronic Auction 476|610|2020-09-02|1000|1000|1300|20|USD|VF|3.31|18",
            "ROMA|E-Sale 104|855|2023-01-26|900|1200|1400|20|GBP|gVF|3.36|19",
            "GM|Auction 290|2330|2023-03-06|1200|1200|1800|22|EUR|EF|3.40|19",
            "HA|Auction 3117|30502|2025-01-09|2000|3000|3250|20|USD|AU 5/5 - 4/5|3.39|19",
            "CNG|Electronic Auction 585|602|2025-04-23|1500|1500|1700|20|USD|Good VF|3.35|19",
            "LEU|Web Auction 35|1888|2025-12-13|1500|1500|2600|20|CHF|EF|3.38|19",
        ),
    ),
    *build_lots(
        JUSTINIAN_II_CHRIST,
        (
            "CNG|Electronic Auction 450|846|2019-07-31|3000|3000|3600|20|USD|EF|4.42|20",
            "HA|Auction 3094|31902|2021-08-19|2000|3000|3400|20|USD|MS 4/5 - 4/5|4.48|20",
            "NAC|Auction 138|611|2023-05-10|5000|6000|9000|22.5|CHF|FDC|4.46|20",
            "CNG|Electronic Auction 550|823|2023-09-27|2500|2500|2900|20|USD|Good VF|4.39|20",
            "KUN|Auction 403|2044|2024-03-19|4000|4000|6000|25|EUR|EF|4.45|20",
            "LEU|Web Auction 30|2290|2024-06-15|4000|4000|6400|20|CHF|Ch AU 5/5 - 4/5|4.47|20",
            "CNG|Triton XXVIII|1488|2025-01-14|6000|6000|8500|20|USD|Ch MS 5/5 - 5/5|4.49|20",
            "HA|Auction 3125|30911|2026-01-08|5000|7000|7200|20|USD|MS 5/5 - 4/5|4.46|20",
        ),
    ),
    *build_lots(
        SEVERUS_CARTH,
        (
            "CNG|Electronic Auction 492|640|2021-06-09|300|300|400|20|USD|EF|3.38|19",
            "ROMA|E-Sale 110|1030|2023-07-13|150|200|340|20|GBP|EF|3.42|20",
            "SAV|Blue Auction 180|1412|2024-05-12|200|200|260|21|EUR|VF|3.21|19",
            "CNG|Electronic Auction 570|661|2024-08-28|400|400|475|20|USD|Good VF|3.35|19",
            "LEU|Web Auction 33|2155|2025-06-21|200|200|520|20|CHF|EF|3.44|20",
        ),
    ),
    *build_lots(
        BRUTUS_LIBERTAS,
        (
            "CNG|Electronic Auction 476|398|2020-09-02|750|750|1100|20|USD|VF|3.89|19",
            "NAV|Auction 70|402|2021-12-12|800|1000|1300|18|GBP|Good VF|3.95|19",
            "KUN|Auction 395|3488|2023-10-10|1500|1500|2200|25|EUR|EF|3.96|19",
            "CNG|Electronic Auction 560|355|2024-04-03|1000|1000|1250|20|USD|Good VF|3.90|19",
            "GM|Auction 298|2190|2024-10-14|1000|1000|-|22|EUR|F|3.70|18",
            "CNG|Electronic Auction 602|371|2026-01-14|1500|1500|1900|20|USD|EF|3.93|19",
        ),
    ),
    *build_lots(
        ALEXANDER_AMPHIPOLIS,
        (
            "CNG|Electronic Auction 487|95|2021-03-31|750|750|900|20|USD|VF|17.19|26",
            "NOMOS|Obolos 22|64|2022-06-12|1000|1000|1500|20|CHF|EF|17.21|26",
            "CNG|Electronic Auction 541|102|2023-05-17|1000|1000|1250|20|USD|Good VF|17.16|27",
            "KUN|Auction 431|1410|2025-10-07|1000|1000|1350|25|EUR|VF/EF|17.18|26",
            "LEU|Web Auction 36|1301|2026-06-20|1000|1000|1900|20|CHF|EF|17.22|26",
        ),
    ),
    *build_lots(
        PILATE,
        (
            "CNG|Electronic Auction 498|280|2021-09-08|150|150|180|20|USD|VF|1.95|16",
            "HA|Auction 3104|31601|2023-01-12|300|500|550|20|USD|Ch XF 5/5 - 3/5|2.01|16",
            "CNG|Electronic Auction 536|301|2023-03-08|100|100|130|20|USD|F|1.71|15",
            "SAV|Blue Auction 180|902|2024-05-12|100|100|150|21|EUR|VF|1.88|15",
            "CNG|Electronic Auction 598|288|2025-10-29|200|200|240|20|USD|Good VF|1.92|16",
        ),
    ),
    *build_lots(
        JUSTINIAN_FOLLIS,
        (
            "CNG|Electronic Auction 516|690|2022-06-01|400|400|650|20|USD|EF|22.40|41",
            "SAV|Blue Auction 180|1620|2024-05-12|200|200|300|21|EUR|VF|21.10|40",
            "LEU|Web Auction 33|2601|2025-06-21|500|500|880|20|CHF|EF|22.85|42",
            "CNG|Electronic Auction 610|702|2026-05-13|500|500|560|20|USD|Good VF|21.95|40",
        ),
    ),
)

OTHO = AuctionType(
    "Otho",
    "denarius",
    "silver",
    "Rome",
    "Otho. Denarius, Rome, AD 69. SECVRITAS P R",
    "RIC I² 8",
)
VITELLIUS = AuctionType(
    "Vitellius",
    "denarius",
    "silver",
    "Rome",
    "Vitellius. Denarius, Rome, AD 69. XV VIR SACR FAC, tripod",
    "RIC I² 109",
)
CALIGULA = AuctionType(
    "Caligula",
    "denarius",
    "silver",
    "Lugdunum",
    "Caligula. Denarius, Lugdunum, AD 37. Radiate head of Divus Augustus",
    "RIC I² 2",
)
CAESAR_PORTRAIT = AuctionType(
    "Julius Caesar",
    "denarius",
    "silver",
    "Rome",
    "Julius Caesar. Lifetime portrait denarius, Rome, 44 BC (moneyer P. Sepullius Macer)",
    "Crawford 480/13",
)
PLAUTILLA = AuctionType(
    "Plautilla",
    "denarius",
    "silver",
    "Rome",
    "Plautilla. Denarius, Rome. PROPAGO IMPERI, Caracalla and Plautilla clasping hands",
    "RIC IV.1 362",
)
JUSTINIAN_II_SECOND = AuctionType(
    "Justinian II",
    "solidus",
    "gold",
    "Constantinople",
    "Justinian II, second reign. Solidus, 705. Youthful Christ / emperor with cross",
    "SB 1413",
)
AKRAGAS = AuctionType(
    "Akragas",
    "tetradrachm",
    "silver",
    None,
    "Sicily, Akragas. Tetradrachm, c. 410s BC. Eagles / crab",
    "SNG ANS 979",
)
JUSTINIAN_I_SOLIDUS = AuctionType(
    "Justinian I",
    "solidus",
    "gold",
    "Constantinople",
    "Justinian I. Solidus, Constantinople, 545-565. Facing bust / angel with long cross",
    "SB 140",
)

UPCOMING_LOTS: tuple[AuctionLot, ...] = (
    *build_lots(
        OTHO,
        (
            "CNG|Electronic Auction 623|512|2026-11-25|2500|2500|-|20|USD|VF|3.27|18",
            "LEU|Web Auction 37|1710|2026-12-12|3000|3000|-|20|CHF|Good VF|3.31|18",
            "CNG|Triton XXX|844|2027-01-12|5000|5000|-|20|USD|EF|3.35|19",
        ),
    ),
    *build_lots(
        VITELLIUS,
        (
            "CNG|Electronic Auction 623|515|2026-11-25|1000|1000|-|20|USD|Good VF|3.22|18",
            "NGSA|Auction 23|402|2026-12-01|1500|2000|-|20|CHF|EF|3.30|19",
            "KUN|Auction 445|3390|2026-12-08|1000|1000|-|25|EUR|VF|3.19|18",
        ),
    ),
    *build_lots(
        CALIGULA,
        (
            "HA|Auction 3131|30260|2027-01-07|3000|5000|-|20|USD|Ch VF 4/5 - 3/5|3.71|19",
            "CNG|Electronic Auction 624|520|2026-12-09|3000|3000|-|20|USD|VF|3.66|19",
        ),
    ),
    *build_lots(
        CAESAR_PORTRAIT,
        (
            "NAC|Auction 158|301|2026-12-02|15000|20000|-|22.5|CHF|Good VF|3.88|19",
            "CNG|Triton XXX|1015|2027-01-12|15000|15000|-|20|USD|VF|3.79|19",
            "SAV|Blue Auction 240|1188|2026-11-29|6000|6000|-|21|EUR|F|3.52|18",
        ),
    ),
    *build_lots(
        PLAUTILLA,
        (
            "CNG|Electronic Auction 623|601|2026-11-25|300|300|-|20|USD|Good VF|3.42|19",
            "LEU|Web Auction 37|2044|2026-12-12|300|300|-|20|CHF|EF|3.51|20",
        ),
    ),
    *build_lots(
        JUSTINIAN_II_SECOND,
        (
            "NAC|Auction 158|740|2026-12-02|10000|12000|-|22.5|CHF|EF|4.38|20",
            "HA|Auction 3131|31033|2027-01-07|8000|12000|-|20|USD|Ch AU 5/5 - 4/5|4.41|20",
        ),
    ),
    *build_lots(
        AKRAGAS,
        (
            "KUN|Auction 445|1077|2026-12-08|15000|15000|-|25|EUR|VF|17.18|27",
            "CNG|Triton XXX|120|2027-01-12|20000|20000|-|20|USD|Good VF|17.25|27",
        ),
    ),
    *build_lots(
        JUSTINIAN_I_SOLIDUS,
        (
            "CNG|Electronic Auction 624|801|2026-12-09|750|750|-|20|USD|EF|4.46|21",
            "LEU|Web Auction 37|2201|2026-12-12|900|900|-|20|CHF|Ch AU 5/5 - 4/5|4.49|21",
        ),
    ),
    *build_lots(
        TRIBUTE_PENNY,
        ("CNG|Electronic Auction 623|540|2026-11-25|750|750|-|20|USD|VF|3.74|19",),
    ),
)


COMPARABLE_REFS: frozenset[str] = frozenset(lot.primary_reference for lot in COMPARABLE_LOTS)
