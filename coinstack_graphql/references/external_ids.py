"""Deterministic external-catalogue targets (OCRE, CRRO, RPC Online) for a parsed citation.

Only ids that follow from the citation itself are built, never guessed; a builder returns
None when the citation does not pin one type. The ids are the catalogues' published schemes:

- CRRO: ``rrc-<issue>.<denomination>`` (Crawford 335/1c -> rrc-335.1c); an issue alone
  ("Crawford 443") names several types, so it gets no id.
- RPC Online: ``coins/<volume>/<number>``. RPC IV numbers its online types across the whole
  volume, so its part is dropped (RPC IV.3 12345 -> 4/12345); other parts (V.x, VII.x) are
  not mapped, as their numbering on RPC Online is not certain from the citation.
- OCRE: ``ric.<volume>.<section>.<number>``. RIC I–V number types per emperor, so the section
  comes from the coin's issuing authority (pass the reigning emperor: RIC files a Caesar's or
  an empress's coins under him); RIC VI–IX number them per mint, so the section comes from the
  citation's mint. None for RIC I without its edition (the 1923 and 1984 numberings differ),
  RIC II Vespasian–Domitian in the 1926 numbering (OCRE holds only II.1²), plain "Gallienus"
  in RIC V (OCRE splits joint and sole reign), emperors not in the table below, and RIC X
  (OCRE keys it by emperor and east/west, which a citation does not carry), and any RIC
  citation without a volume. OCRE splits a
  few numbers by denomination ("ric.4.ss.266_denarius"); for those the built id is the
  plain number and a lookup must confirm it.
- Nomisma names concepts (rulers, mints, denominations), not catalogue numbers: a type's
  Nomisma link is found by lookup, never built, so ``nomisma_target`` is always None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from coinstack_graphql.references.citations import ParsedCitation

OCRE_BASE_URL = "http://numismatics.org/ocre/id/"
CRRO_BASE_URL = "http://numismatics.org/crro/id/"
RPC_ONLINE_BASE_URL = "https://rpc.ashmus.ox.ac.uk/coins/"


@dataclass(frozen=True)
class ExternalLinkTarget:
    """One row of ``external_catalog_links`` that can be written without asking anyone."""

    catalog_source: str
    external_id: str
    external_url: str


# OCRE section slugs by RIC volume ("<volume>[.<part>][(<edition>)]"), from the ids OCRE
# publishes (ric.1(2).aug.207, ric.2_1(2).ves.772, ric.4.ss.119A, ric.5.val_i.94A.5).
_SECTIONS_BY_VOLUME: dict[str, dict[str, str]] = {
    "1(2)": {
        "Augustus": "aug", "Tiberius": "tib", "Gaius": "gai", "Claudius": "cl", "Nero": "ner",
        "Clodius Macer": "clm", "Galba": "gal", "Otho": "ot", "Vitellius": "vit",
    },
    "2.1(2)": {"Vespasian": "ves", "Titus": "tit", "Domitian": "dom"},
    "2": {"Nerva": "ner", "Trajan": "tr", "Hadrian": "hdn"},
    "2.3(2)": {"Hadrian": "hdn"},
    "3": {"Antoninus Pius": "ant", "Marcus Aurelius": "m_aur", "Commodus": "com"},
    "4.1": {
        "Pertinax": "pert", "Didius Julianus": "dj", "Pescennius Niger": "pn",
        "Clodius Albinus": "ca", "Septimius Severus": "ss", "Caracalla": "crl", "Geta": "ge",
    },
    "4.2": {
        "Macrinus": "mcs", "Elagabalus": "el", "Severus Alexander": "sa", "Maximinus I": "max_i",
        "Gordian I": "gor_i", "Gordian II": "gor_ii", "Balbinus": "balb", "Pupienus": "pup",
    },
    "4.3": {
        "Gordian III": "gor_iii", "Philip I": "ph_i", "Pacatian": "pac", "Jotapian": "jot",
        "Trajan Decius": "tr_d", "Trebonianus Gallus": "tr_g", "Volusian": "vo",
        "Aemilian": "aem",
    },
    "5.1": {
        "Valerian I": "val_i", "Gallienus (joint reign)": "gall(1)",
        "Gallienus (sole reign)": "gall(2)", "Claudius II": "cg", "Quintillus": "qu",
        "Aurelian": "aur", "Tacitus": "tac", "Florian": "fl",
    },
    "5.2": {
        "Probus": "pro", "Carus": "car", "Diocletian": "dio", "Postumus": "post",
        "Victorinus": "vict", "Tetricus I": "tet_i", "Carausius": "cara",
    },
}  # fmt: skip

# How collectors write the names, folded by _fold; the canonical name is always accepted.
_AUTHORITY_ALIASES: dict[str, str] = {
    "Augustus": "octavian augustus",
    "Gaius": "caligula|gaius caligula",
    "Claudius": "claudius i",
    "Clodius Macer": "macer",
    "Vespasian": "vespasianus",
    "Domitian": "domitianus",
    "Trajan": "traianus|trajanus",
    "Hadrian": "hadrianus",
    "Antoninus Pius": "pius",
    "Marcus Aurelius": "m aurelius",
    "Didius Julianus": "didius iulianus",
    "Septimius Severus": "septimius",
    "Elagabalus": "heliogabalus",
    "Severus Alexander": "alexander severus",
    "Maximinus I": "maximinus|maximinus thrax|maximinus i thrax",
    "Gordian I": "gordian i africanus",
    "Gordian II": "gordian ii africanus",
    "Philip I": "philip the arab|philip i the arab",
    "Pacatian": "pacatianus",
    "Jotapian": "jotapianus",
    "Trajan Decius": "decius",
    "Volusian": "volusianus",
    "Aemilian": "aemilianus",
    "Valerian I": "valerian",
    "Claudius II": "claudius gothicus|claudius ii gothicus",
    "Aurelian": "aurelianus",
    "Florian": "florianus",
    "Diocletian": "diocletianus",
    "Tetricus I": "tetricus",
}

# RIC VI–IX mint sections on OCRE, by the parser's canonical mint names.
_OCRE_MINTS = {
    "London": "lon", "Trier": "tri", "Lyons": "lug", "Arles": "ar", "Milan": "med",
    "Ticinum": "tic", "Aquileia": "aq", "Rome": "rom", "Ostia": "ost", "Carthage": "carth",
    "Siscia": "sis", "Sirmium": "sir", "Serdica": "serd", "Thessalonica": "thes",
    "Heraclea": "her", "Constantinople": "cnp", "Nicomedia": "nic", "Cyzicus": "cyz",
    "Antioch": "anch", "Alexandria": "alex", "Amiens": "amb",
}  # fmt: skip
_MINTS_BY_VOLUME = {
    "6": "London Trier Lyons Ticinum Aquileia Rome Ostia Carthage Siscia Serdica Thessalonica "
    "Heraclea Nicomedia Cyzicus Antioch Alexandria",
    "7": "London Lyons Trier Arles Rome Ticinum Aquileia Siscia Sirmium Serdica Thessalonica "
    "Heraclea Constantinople Nicomedia Cyzicus Antioch Alexandria",
    "8": "Amiens Trier Lyons Arles Milan Rome Aquileia Siscia Sirmium Thessalonica Heraclea "
    "Constantinople Nicomedia Cyzicus Antioch Alexandria",
    "9": "London Trier Lyons Arles Milan Aquileia Rome Siscia Sirmium Thessalonica Heraclea "
    "Constantinople Cyzicus Nicomedia Antioch Alexandria",
}


def _fold(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_name.lower()).split())


_AUTHORITIES: dict[str, str] = {
    **{_fold(name): name for sections in _SECTIONS_BY_VOLUME.values() for name in sections},
    **{alias: name for name, aliases in _AUTHORITY_ALIASES.items() for alias in aliases.split("|")},
}


def canonical_authority(name: str) -> str | None:
    """The emperor's name as the OCRE table spells it ("Caligula" -> "Gaius"), or None."""
    return _AUTHORITIES.get(_fold(name))


def crro_target(parsed: ParsedCitation) -> ExternalLinkTarget | None:
    """CRRO type for a Crawford issue/denomination citation."""
    if parsed.system != "crawford" or "/" not in parsed.number:
        return None
    external_id = "rrc-" + parsed.number.replace("/", ".")
    return ExternalLinkTarget("crro", external_id, CRRO_BASE_URL + external_id)


def rpc_online_target(parsed: ParsedCitation) -> ExternalLinkTarget | None:
    """RPC Online type page for an RPC citation with its volume."""
    if parsed.system != "rpc" or parsed.volume is None:
        return None
    volume, _, part = parsed.volume.partition(".")
    if part and volume != "4":
        return None
    external_id = f"{volume}/{parsed.number}"
    return ExternalLinkTarget("rpc_online", external_id, RPC_ONLINE_BASE_URL + external_id)


def ocre_target(parsed: ParsedCitation, authority: str | None = None) -> ExternalLinkTarget | None:
    """OCRE type for a RIC citation, given the coin's issuing authority for RIC I–V."""
    if parsed.system != "ric" or parsed.volume is None:
        return None
    volume = parsed.volume.split(".")[0]
    if volume in _MINTS_BY_VOLUME:
        mint = parsed.mint
        if mint is None or parsed.edition or mint not in _MINTS_BY_VOLUME[volume].split():
            return None
        section = f"{volume}.{_OCRE_MINTS[mint]}"
    else:
        name = canonical_authority(authority) if authority else None
        matches = [
            (ric_volume, sections[name])
            for ric_volume, sections in _SECTIONS_BY_VOLUME.items()
            if name in sections and _same_volume(parsed, ric_volume)
        ]
        if len(matches) != 1:
            return None
        ric_volume, slug = matches[0]
        # OCRE keeps RIC II's parts and editions in its ids but not IV's and V's parts.
        prefix = ric_volume.replace(".", "_") if "(" in ric_volume else ric_volume.split(".")[0]
        section = f"{prefix}.{slug}"
    external_id = f"ric.{section}.{parsed.number}"
    return ExternalLinkTarget("ocre", external_id, OCRE_BASE_URL + external_id)


def _same_volume(parsed: ParsedCitation, ric_volume: str) -> bool:
    """Whether the citation's volume, part and edition can mean this OCRE volume."""
    wanted, _, edition = ric_volume.rstrip(")").partition("(")
    volume, _, part = wanted.partition(".")
    cited, _, cited_part = (parsed.volume or "").partition(".")
    if cited != volume or (cited_part and cited_part != part):
        return False
    # Single-edition volumes may be cited as "1st ed."; re-edited ones only match their edition.
    return parsed.edition == edition if edition else parsed.edition in (None, "1")


def nomisma_target(parsed: ParsedCitation) -> ExternalLinkTarget | None:
    """Always None: Nomisma has no id derived from a catalogue number (see module doc)."""
    return None


def external_targets(
    parsed: ParsedCitation, authority: str | None = None
) -> list[ExternalLinkTarget]:
    """Every target that follows deterministically from the citation (and authority)."""
    candidates = (ocre_target(parsed, authority), crro_target(parsed), rpc_online_target(parsed))
    return [target for target in candidates if target is not None]
