"""Mints of the demo catalogue: real sites, modern coordinates, Nomisma ids where known."""

from __future__ import annotations

from .catalogue_types import Mint


def _m(name: str, province: str, modern: str, lat: float, lon: float, nomisma: str | None) -> Mint:
    return Mint(
        name=name,
        province=province,
        modern_location=modern,
        latitude=lat,
        longitude=lon,
        nomisma_id=nomisma,
    )


MINTS: tuple[Mint, ...] = (
    _m("Rome", "Italia", "Rome, Italy", 41.8925, 12.4853, "rome"),
    _m("Lugdunum", "Gallia Lugdunensis", "Lyon, France", 45.7597, 4.8422, "lugdunum"),
    _m("Treveri", "Gallia Belgica", "Trier, Germany", 49.7499, 6.6371, "treveri"),
    _m("Londinium", "Britannia", "London, United Kingdom", 51.5128, -0.0918, "londinium"),
    _m("Arelate", "Gallia Narbonensis", "Arles, France", 43.6766, 4.6278, "arelate"),
    _m("Emerita", "Lusitania", "Mérida, Spain", 38.9161, -6.3437, "emerita"),
    _m("Ticinum", "Italia", "Pavia, Italy", 45.1847, 9.1582, "ticinum"),
    _m("Mediolanum", "Italia", "Milan, Italy", 45.4642, 9.19, "mediolanum"),
    _m("Aquileia", "Italia", "Aquileia, Italy", 45.7695, 13.3681, "aquileia"),
    _m("Siscia", "Pannonia Superior", "Sisak, Croatia", 45.4872, 16.3761, "siscia"),
    _m("Thessalonica", "Macedonia", "Thessaloniki, Greece", 40.6401, 22.9444, "thessalonica"),
    _m("Constantinople", "Thracia", "Istanbul, Türkiye", 41.0082, 28.9784, "constantinople"),
    _m("Nicomedia", "Bithynia", "İzmit, Türkiye", 40.7654, 29.9408, "nicomedia"),
    _m("Cyzicus", "Hellespontus", "Belkıs, near Erdek, Türkiye", 40.3833, 27.8833, "cyzicus"),
    _m("Lampsacus", "Hellespontus", "Lapseki, Türkiye", 40.3447, 26.6853, "lampsacus"),
    _m("Pergamum", "Asia", "Bergama, Türkiye", 39.1325, 27.1842, "pergamum"),
    _m("Ephesus", "Asia", "Selçuk, Türkiye", 37.9411, 27.3419, "ephesus"),
    _m("Tarsus", "Cilicia", "Tarsus, Türkiye", 36.9177, 34.8928, "tarsus"),
    _m(
        "Caesarea (Cappadocia)",
        "Cappadocia",
        "Kayseri, Türkiye",
        38.7205,
        35.4826,
        "caesarea_cappadocia",
    ),
    _m("Antioch", "Syria", "Antakya, Türkiye", 36.2021, 36.1606, "antioch"),
    _m("Tyre", "Phoenicia", "Sur, Lebanon", 33.2705, 35.1961, "tyre"),
    _m("Sidon", "Phoenicia", "Saida, Lebanon", 33.5631, 35.3689, "sidon"),
    _m("Caesarea Maritima", "Judaea", "Caesarea, Israel", 32.5, 34.8917, None),
    _m("Jerusalem", "Judaea", "Jerusalem", 31.7767, 35.2345, None),
    _m("Alexandria", "Aegyptus", "Alexandria, Egypt", 31.2001, 29.9187, "alexandria"),
    _m("Carthage", "Africa Proconsularis", "Carthage, Tunisia", 36.8528, 10.3233, "carthage"),
    _m("Athens", "Attica", "Athens, Greece", 37.9715, 23.7257, "athens"),
    _m("Corinth", "Corinthia", "Ancient Corinth, Greece", 37.9058, 22.8797, "corinth"),
    _m("Aegina", "Saronic Gulf", "Aegina, Greece", 37.7469, 23.4275, None),
    _m("Amphipolis", "Macedonia", "Amfipoli, Greece", 40.8206, 23.8467, "amphipolis"),
    _m("Pella", "Macedonia", "Pella, Greece", 40.7597, 22.5247, "pella"),
    _m("Larissa", "Thessaly", "Larissa, Greece", 39.6383, 22.4191, None),
    _m("Thasos", "Thrace (island)", "Limenas, Thasos, Greece", 40.7797, 24.7094, "thasos"),
    _m("Rhodes", "Caria (island)", "Rhodes, Greece", 36.4349, 28.2176, "rhodes"),
    _m("Syracuse", "Sicily", "Syracuse, Italy", 37.0755, 15.2866, "syracuse"),
    _m("Tarentum", "Calabria", "Taranto, Italy", 40.4644, 17.247, "taras"),
    _m("Metapontum", "Lucania", "Metaponto, Italy", 40.3833, 16.8167, None),
    _m("Velia", "Lucania", "Ascea, Italy", 40.16, 15.1536, None),
    _m(
        "Seleucia on the Tigris",
        "Babylonia",
        "Tell Umar, Iraq",
        33.0986,
        44.5214,
        None,
    ),
)

MINT_NAMES: frozenset[str] = frozenset(m.name for m in MINTS)
