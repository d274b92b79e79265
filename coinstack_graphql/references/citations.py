"""Read catalogue citations ("RIC I² 207", "Crawford 494/23") into one canonical form.

``ParsedCitation.local_ref`` is the display form, ``normalized`` the machine key stored as
``reference_types.local_ref_normalized``; parsing ``local_ref`` again gives the same value.

The key is ``<system>[.<series>][.<volume>][.<section>].<number>``, segments left out when
absent: lowercase, except letters in a number, whose case tells types apart (RIC IV Macrinus
44a and 44A are two coins; Crawford and Sydenham letters are always lowercase, so those are
lowered); volumes in arabic numerals with a part
joined by ``_`` and an edition in parentheses, as OCRE writes them (RIC II.1² -> ``2_1(2)``);
the section is the RIC VI–X mint, the SNG collection, the BMC region or the HN series; the
series picks one of a system's books (Sear: srcv, sg, sb, cri; other: cohen, calico, bmcrr,
price); ``/`` in a number becomes ``.``. Because a volume is all digits, a section all letters
and a RIC number carries a dotted subtype only after a letter, no two citations share a key::

    RIC I² 207            ric.1(2).207        RIC VII Rome 123      ric.7.rome.123
    RIC II.1² 772         ric.2_1(2).772      RIC V 94A.5           ric.5.94A.5
    Crawford 494/23       crawford.494.23     RPC IV.3 12345        rpc.4_3.12345
    SRCV II 5678          sear.srcv.2.5678    SNG ANS 5 1234        sng.ans.5.1234
    BMC Ionia 123         bmc.ionia.123       Cohen 43              other.cohen.43

Input is read case-insensitively, tolerating dots, commas and spacing, "no."/"#" before the
number, superscripts, full-width and Cyrillic/Greek look-alike letters and typographic dashes.
Decisions, each a reading of how collectors and auction houses write:
- A volume may be left out ("RIC 207", as lots often cite); the key then has no volume.
- RIC volumes are I–X; parts exist for II (II.1, II.3), IV (1–3) and V (1–2). RIC II parts
  were only published in the second edition, so "RIC II.1 772" is read as II.1².
- Editions: ``²``, ``^2``, ``(2)``, "2nd ed.", "(second edition)" are accepted on any volume;
  a digit glued to the numeral ("RIC I2 207") only on volume I, the one volume whose second
  edition is cited that way; elsewhere it is too likely a typing slip.
- "RIC V 94A.5" is type 94A, subtype 5, as OCRE numbers it (ric.5.val_i.94A.5).
- RIC VI–X number types per mint, so a mint may stand before the number; RIC I–V number them
  per emperor, and an emperor's name is not read from the citation (pass it to the OCRE
  builder instead). Mints take the English names RIC's own headings use (Trier, Lyons).
- Sear is one system for its books: "Sear"/"S" (which book unsaid), SRCV, SG (Greek), SB
  (Byzantine), CRI (Imperators). Cohen, Calicó, BMCRR and Price fall under ``other``.
- SNG: the collection (known abbreviations are canonicalised, others kept as written) and an
  optional fascicle number: ``sng_volume`` "ANS 5", ``volume`` "5". BMC's region and HN's
  series ("Italy"; "HN³" is HN Italy) are the ``volume``.
- Qualified citations ("RIC 207 var.", "cf. RIC 207") are refused: a variant is not the type;
  record it as the type plus a variant note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EXPECTED_CATALOGUES = (
    "expected one of RIC, Crawford (RRC), RPC, RSC, BMCRE, Sear (S/SRCV/SG), Sydenham, SNG, "
    "BMC, HN followed by a number, e.g. 'RIC I² 207', 'Crawford 494/23'"
)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_SUPERSCRIPT = {"1": "¹", "2": "²", "3": "³"}
_ORDINALS = {"first": "1", "second": "2", "third": "3"}
_RIC_PARTS = {2: (1, 2, 3), 4: (1, 2, 3), 5: (1, 2)}
_RPC_PARTS = {4: (1, 2, 3, 4), 5: (1, 2, 3), 7: (1, 2)}
_MAX_VOLUME = {"ric": 10, "rpc": 10, "rsc": 5, "bmcre": 6, "srcv": 5}


def _prefix(pattern: str) -> re.Pattern[str]:
    # A catalogue abbreviation ends where letters end: "RIC" must not match "Rice".
    return re.compile(rf"(?:{pattern})(?![a-z])\.?", re.I)


# Most specific first: "Sear Imperators" before "Sear", "BMC RE" before "BMC".
CATALOGUE_PREFIXES: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (_prefix(r"r\.?i\.?c"), "ric", None),
    (_prefix(r"crawford|craw|cr|rrc"), "crawford", None),
    (_prefix(r"r\.?p\.?c(?:\s*online)?"), "rpc", None),
    (_prefix(r"r\.?s\.?c"), "rsc", None),
    (_prefix(r"bmc\s*re"), "bmcre", None),
    (_prefix(r"bmc\s*rr"), "other", "bmcrr"),
    (_prefix(r"bmc"), "bmc", None),
    (_prefix(r"srcv"), "sear", "srcv"),
    (_prefix(r"sear\s+(?:imperators|imp|h?cri)|h?cri"), "sear", "cri"),
    (_prefix(r"sear\s+byz(?:antine)?|sbcv|sb"), "sear", "sb"),
    (_prefix(r"sear\s+greek|sgcv|sg"), "sear", "sg"),
    (_prefix(r"sear|s(?=\.?\s*\d)"), "sear", None),
    (_prefix(r"sydenham|syd"), "sydenham", None),
    (re.compile(r"sng\.?", re.I), "sng", None),  # glued collections: "SNGvA 456"
    (_prefix(r"historia\s+numorum|hn"), "hn", None),
    (_prefix(r"cohen|coh"), "other", "cohen"),
    (_prefix(r"calic[oó]|cal"), "other", "calico"),
    (_prefix(r"price"), "other", "price"),
)
SERIES_LABELS = {
    "ric": "RIC", "crawford": "Crawford", "rpc": "RPC", "rsc": "RSC", "bmcre": "BMCRE",
    "sear": "Sear", "sydenham": "Sydenham", "sng": "SNG", "bmc": "BMC", "hn": "HN",
    "srcv": "SRCV", "sg": "SG", "sb": "SB", "cri": "CRI",
    "cohen": "Cohen", "calico": "Calicó", "bmcrr": "BMCRR", "price": "Price",
}  # fmt: skip


def _aliases(table: dict[str, str]) -> dict[str, str]:
    return {alias: name for name, spellings in table.items() for alias in spellings.split()}


# RIC VI–X mints under the English names of RIC's headings; aliases are slugs of the
# Latin names, modern names and the abbreviations OCRE and dealers use.
RIC_MINTS = _aliases(
    {
        "London": "london londinium lond lon augusta",
        "Trier": "trier treveri treveris treves trev tri",
        "Lyons": "lyons lyon lugdunum lugd lug",
        "Arles": "arles arelate constantina arl ar",
        "Milan": "milan mediolanum milano med",
        "Ticinum": "ticinum pavia tic",
        "Aquileia": "aquileia aquil aq",
        "Rome": "rome roma rom",
        "Ostia": "ostia ost",
        "Carthage": "carthage carthago carth",
        "Siscia": "siscia sis",
        "Sirmium": "sirmium sirm sir",
        "Serdica": "serdica serd",
        "Thessalonica": "thessalonica thessalonika thessaloniki thess thes ts",
        "Heraclea": "heraclea heracleia herakleia heraclea_thracica her",
        "Constantinople": "constantinople constantinopolis const cons cnp",
        "Nicomedia": "nicomedia nikomedia nic",
        "Cyzicus": "cyzicus kyzikos cyz",
        "Antioch": "antioch antiochia antiocheia anch",
        "Alexandria": "alexandria alex alx",
        "Amiens": "amiens ambianum amb",
        "Ravenna": "ravenna rav",
    }
)
_SNG_COLLECTIONS = _aliases(
    {
        "Cop": "cop copenhagen kopenhagen kobenhavn dan danish",
        "ANS": "ans american_numismatic_society",
        "von Aulock": "von_aulock aulock va v_aulock vaulock",
        "München": "munchen muenchen munich",
        "Lockett": "lockett",
        "Fitzwilliam": "fitzwilliam fitz",
        "Ashmolean": "ashmolean oxford",
        "BM": "bm british_museum",
        "Tübingen": "tubingen tuebingen",
        "Delepierre": "delepierre",
        "France": "france paris",
        "Glasgow": "glasgow hunterian",
        "Levante": "levante",
        "Lewis": "lewis",
        "Lloyd": "lloyd",
        "Berry": "berry",
        "Evelpidis": "evelpidis",
        "Keckman": "keckman",
        "Righetti": "righetti",
        "Schweiz": "schweiz switzerland",
        "Milano": "milano milan",
        "Stockholm": "stockholm",
        "Turkey": "turkey",
        "Kayhan": "kayhan",
        "Israel": "israel",
        "Spaer": "spaer",
        "Berlin": "berlin",
        "Manchester": "manchester",
        "Pfälzer": "pfalzer pfaelzer",
    }
)


def canonical_sng_collection(name: str) -> str:
    """The canonical abbreviation of an SNG collection; unknown ones keep their spelling."""
    return _SNG_COLLECTIONS.get(_slug(name)) or _title(name) or name


class CitationError(ValueError):
    """A citation that cannot be read; the message says what was expected."""


@dataclass(frozen=True, kw_only=True)
class ParsedCitation:
    """One catalogue citation, split into the columns of ``reference_types``."""

    system: str
    volume: str | None = None
    number: str
    number_numeric: int | None
    edition: str | None = None
    mint: str | None = None
    sng_volume: str | None = None
    series: str | None = None
    local_ref: str
    normalized: str


def build_citation(
    system: str,
    number: str,
    *,
    volume: str | None = None,
    edition: str | None = None,
    mint: str | None = None,
    sng_volume: str | None = None,
    series: str | None = None,
) -> ParsedCitation:
    """Assemble a citation from canonical parts, deriving its display form and key."""
    lead = re.match(r"\d+", number)
    return ParsedCitation(
        system=system,
        volume=volume,
        number=number,
        number_numeric=int(lead.group()) if lead else None,
        edition=edition,
        mint=mint,
        sng_volume=sng_volume,
        series=series,
        local_ref=format_local_ref(system, number, volume, edition, mint, sng_volume, series),
        normalized=_key(system, number, volume, edition, mint, sng_volume, series),
    )


def format_local_ref(
    system: str,
    number: str,
    volume: str | None = None,
    edition: str | None = None,
    mint: str | None = None,
    sng_volume: str | None = None,
    series: str | None = None,
) -> str:
    """The display form: "RIC II.1² 772", "SNG ANS 5 1234", "Crawford 494/23"."""
    label = SERIES_LABELS[series] if series else SERIES_LABELS[system]
    words = [label]
    if system == "sng":
        words.append(sng_volume or "")
    elif system in ("bmc", "hn") and volume:
        words.append(volume)
    elif volume:
        words.append(_roman_volume(volume) + _SUPERSCRIPT.get(edition or "", ""))
    if mint:
        words.append(mint)
    words.append(number)
    return " ".join(words)


def _key(
    system: str,
    number: str,
    volume: str | None,
    edition: str | None,
    mint: str | None,
    sng_volume: str | None,
    series: str | None,
) -> str:
    segments = [system]
    if series:
        segments.append(series)
    if system == "sng":
        collection = sng_volume.rsplit(" ", 1)[0] if volume and sng_volume else sng_volume
        segments.append(_slug(collection or ""))
        if volume:
            segments.append(volume)
    elif system in ("bmc", "hn") and volume:
        segments.append(_slug(volume))
    elif volume:
        segments.append(volume.replace(".", "_") + (f"({edition})" if edition else ""))
    if mint:
        segments.append(_slug(mint))
    if system == "crawford":
        number = number.lower()
    segments.append(number.replace("/", "."))
    return ".".join(segments)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _roman_volume(volume: str) -> str:
    main, _, part = volume.partition(".")
    return _ROMAN[int(main) - 1] + (f".{part}" if part else "")


# Pasted citations arrive with superscripts, Cyrillic/Greek capitals that look Latin,
# typographic dashes and non-breaking spaces; these fold them onto plain ASCII.
_SUPERSCRIPTS_IN = str.maketrans({"¹": "^1", "²": "^2", "³": "^3", "ˆ": "^"})
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("АВСЕНІКМОРТХаеорсхі", "ABCEHIKMOPTXaeopcxi", strict=True)),
        **dict(zip("ΑΒΕΙΚΜΝΟΡΤΧ", "ABEIKMNOPTX", strict=True)),
        **dict.fromkeys("‐‑‒–—−", "-"),
        **dict.fromkeys("⁄∕", "/"),
        "·": ".",
        "’": "'",
    }
)


def clean_citation_text(text: str) -> str:
    """Fold unicode look-alikes, superscripts and spacing onto the ASCII forms parsed."""
    folded = unicodedata.normalize("NFKC", text.translate(_SUPERSCRIPTS_IN))
    folded = re.sub(r"\s+", " ", folded.translate(_LOOKALIKES)).strip()
    if len(folded) > 1 and folded[0] + folded[-1] in ("()", "[]"):
        folded = folded[1:-1].strip()
    return folded.rstrip(" .,")


_NO = r"(?:(?:no|nr|n)\.?\s*|\#\s*)?"
_ROMAN_RE = r"x|ix|viii|vii|vi|v|iv|iii|ii|i"
_VOLUME = rf"(?:(?P<rvol>{_ROMAN_RE})(?![a-z])|(?P<avol>10|[1-9])(?!\d))"
_PART = r"(?:\s*(?:[./-]|,?\s*(?:pt|part)\.?)\s*(?P<part>\d)(?!\d))?"
_EDITION = (
    r"(?:\s*\^\s*(?P<ed_sup>\d)|\s*\(\s*(?P<ed_par>\d)\s*\)|(?P<ed_glued>\d)(?=\s)"
    r"|\s*,?\s*\(?\s*(?:(?P<ed_ord>\d)(?:st|nd|rd|th)|(?P<ed_word>first|second|third))"
    r"\.?\s*ed(?:ition|n)?\.?\s*\)?)?"
)
_WORDS = r"[^\W\d_][\w'.]*(?:\s+[^\W\d_][\w'.]*){0,2}?"
_NOT_NO = r"(?!(?:no|nr|n)\.?\s*\d)"
_NUMBER = r"(?P<num>\d+[a-z]{0,2})"
_RIC_NUMBER = r"(?P<num>\d+(?:[a-z]{1,2}(?:\.(?:\d+|[ivx]+))?)?)"
_PATTERNS = {
    "ric": rf"(?:{_VOLUME}{_PART}{_EDITION}(?:\s*,?\s*{_NOT_NO}(?P<mint>{_WORDS}))?)?"
    rf"\s*,?\s*{_NO}{_RIC_NUMBER}",
    "crawford": rf"{_NO}(?P<num>(?P<issue>\d+)(?:\s*[/.]\s*(?P<den>\d+)(?P<var>[a-z]{{0,2}}))?)",
    "rpc": rf"(?:online\s*,?\s*)?(?:{_VOLUME}{_PART})?\s*,?\s*(?:online\s*,?\s*)?{_NO}{_NUMBER}"
    r"(?:\s*,?\s*\((?:temporary|temp\.?)\)|\s+temp\.?)?",
    "volume_number": rf"(?:{_VOLUME})?\s*,?\s*{_NO}{_NUMBER}",
    "number": rf"{_NO}{_NUMBER}",
    "sng": rf"(?P<coll>{_WORDS})(?:\s*,?\s*(?:(?:vol|heft|part|pt|fasc)\.?\s*)?"
    rf"(?:(?P<rvol>{_ROMAN_RE})(?![a-z])|(?P<avol>\d{{1,2}})(?!\d)))?\s*,?\s*{_NO}{_NUMBER}",
    "bmc": rf"(?:{_NOT_NO}(?P<region>{_WORDS}))?\s*,?\s*{_NO}{_NUMBER}",
    "hn": r"(?:\^\s*(?P<ed_sup>\d)|(?P<ed_glued>\d)(?=\s)|\(\s*(?P<ed_par>\d)\s*\))?"
    rf"\s*(?:(?P<region>italy)(?![a-z]))?\s*,?\s*{_NO}{_NUMBER}",
}
_COMPILED = {name: re.compile(rf"\s*{body}\s*", re.I) for name, body in _PATTERNS.items()}
_PATTERN_OF = {
    "rsc": "volume_number",
    "bmcre": "volume_number",
    "srcv": "volume_number",
    "sear": "number",
    "sydenham": "number",
    "other": "number",
}
_QUALIFIER = re.compile(r"(?:^|[\s(])(var|variant|cf|corr|sim|similar)\b\.?", re.I)
_EXAMPLES = {
    "ric": "a volume I–X (with part and edition where RIC has them, e.g. 'II.1²'), for "
    "VI–X optionally a mint, then the type number, e.g. 'RIC I² 207', 'RIC VII Rome 123'",
    "crawford": "issue/denomination, e.g. 'Crawford 494/23', 'Crawford 335/1c'",
    "rpc": "a volume I–X (parts for IV, V, VII) and the number, e.g. 'RPC I 4567'",
    "rsc": "an optional volume I–V and the number, e.g. 'RSC 43', 'RSC II 117'",
    "bmcre": "an optional volume I–VI and the number, e.g. 'BMCRE I 533'",
    "srcv": "an optional volume I–V and the number, e.g. 'SRCV II 5678'",
    "sear": "the number, e.g. 'Sear 1234', 'SG 6047'",
    "sydenham": "the number, e.g. 'Sydenham 1006'",
    "sng": "a collection, an optional fascicle and the number, e.g. 'SNG Cop 123', "
    "'SNG ANS 5 1234'",
    "bmc": "an optional region and the number, e.g. 'BMC Ionia 123'",
    "hn": "'Italy' and the number, e.g. 'HN Italy 123'",
    "other": "the number, e.g. 'Cohen 43'",
}


def parse_citation(text: str) -> ParsedCitation:
    """Parse one citation; raise CitationError naming what was expected."""
    cleaned = clean_citation_text(text)
    if not cleaned:
        raise CitationError(f"empty citation: {EXPECTED_CATALOGUES}")
    qualifier = _QUALIFIER.search(cleaned)
    if qualifier:
        raise CitationError(
            f"{text!r} is qualified by {qualifier.group(1)!r}: expected a plain citation of "
            "the type; record variants in the coin reference's variant notes"
        )
    for prefix, system, series in CATALOGUE_PREFIXES:
        head = prefix.match(cleaned)
        if head:
            return _parse_rest(text, cleaned[head.end() :], system, series)
    raise CitationError(f"unrecognised catalogue {text!r}: {EXPECTED_CATALOGUES}")


def parse_citations(text: str) -> list[ParsedCitation]:
    """Parse several citations separated by ';', '=' or ',' (as lot descriptions do).

    A comma splits only when a catalogue name follows it, so "SNG ANS 5, 1234" and
    "RPC I, 4567" stay whole. Text without any citation gives an empty list.
    """
    pieces = re.split(r"\s*[;=]\s*", clean_citation_text(text))
    parts = [p for piece in pieces for p in _COMMA_SPLIT.split(piece) if p.strip(" .,")]
    parsed = []
    for index, part in enumerate(parts, start=1):
        try:
            parsed.append(parse_citation(part))
        except CitationError as error:
            raise CitationError(f"citation {index} of {len(parts)}, {part!r}: {error}") from None
    return parsed


_COMMA_SPLIT = re.compile(
    r"\s*,\s*(?=" + "|".join(p.pattern for p, _, _ in CATALOGUE_PREFIXES) + ")", re.I
)


def _parse_rest(text: str, rest: str, system: str, series: str | None) -> ParsedCitation:
    kind = "srcv" if series == "srcv" else system
    pattern = _COMPILED[_PATTERN_OF.get(kind, kind)]
    match = pattern.fullmatch(rest)
    if match is None:
        if pattern.fullmatch(f"{rest} 1"):
            raise CitationError(f"{text!r} has no number: expected {_EXAMPLES[kind]}")
        raise CitationError(
            f"cannot read {text!r}: {_diagnose(rest, kind)}expected {_EXAMPLES[kind]}"
        )
    groups: dict[str, str] = {k: v for k, v in match.groupdict().items() if v is not None}
    number = groups["num"]
    if int(re.match(r"\d+", number).group()) == 0:  # type: ignore[union-attr]
        raise CitationError(
            f"cannot read {text!r}: catalogue numbers start at 1; expected {_EXAMPLES[kind]}"
        )
    volume = _volume(text, kind, groups)
    if system == "ric":
        return _ric(text, groups, volume)
    if system == "crawford":
        den = f"/{groups['den']}{groups.get('var', '').lower()}" if "den" in groups else ""
        return build_citation("crawford", groups["issue"] + den)
    if system == "sng":
        collection = canonical_sng_collection(groups["coll"])
        sng_volume = f"{collection} {volume}" if volume else collection
        return build_citation("sng", number, volume=volume, sng_volume=sng_volume)
    if system == "bmc":
        return build_citation("bmc", number, volume=_title(groups.get("region")))
    if system == "hn":
        edition = groups.get("ed_sup") or groups.get("ed_glued") or groups.get("ed_par")
        if edition not in (None, "3"):
            raise CitationError(
                f"cannot read {text!r}: only HN Italy (HN³) is cited by type number; "
                f"expected {_EXAMPLES['hn']}"
            )
        italy = edition or groups.get("region")
        return build_citation("hn", number, volume="Italy" if italy else None)
    if system == "sydenham":
        number = number.lower()
    return build_citation(system, number, volume=volume, series=series)


def _diagnose(rest: str, kind: str) -> str:
    """A hint naming what is wrong, for the error message; '' when nothing specific."""
    tokens = [t.rstrip(".") for t in rest.replace(",", " ").split()]
    first = tokens[0] if tokens else ""
    bound = _MAX_VOLUME.get(kind)
    if bound and re.fullmatch(r"[ivxlcdm]+", first, re.I) and first.upper() not in _ROMAN:
        return f"{first!r} is not a volume ({kind.upper()} has I–{_ROMAN[bound - 1]}); "
    if bound and first.isdigit() and int(first) > bound and len(tokens) > 1:
        return f"{first!r} is not a volume ({kind.upper()} has I–{_ROMAN[bound - 1]}); "
    if kind == "sng" and first[:1].isdigit():
        return "the collection is missing; "
    if kind == "ric" and first.isalpha() and not re.fullmatch(r"[ivxlcdm]+", first, re.I):
        return "a mint needs its volume (VI–X) before it; "
    if re.match(r"\s*/", rest):
        return "the number before '/' is missing; "
    return ""


def _volume(text: str, kind: str, groups: dict[str, str]) -> str | None:
    if "rvol" in groups:
        main = _ROMAN.index(groups["rvol"].upper()) + 1
    elif "avol" in groups:
        main = int(groups["avol"])
    else:
        return None
    bound = _MAX_VOLUME.get(kind)
    if bound and main > bound:
        raise CitationError(
            f"cannot read {text!r}: {kind.upper()} has volumes I–{_ROMAN[bound - 1]}; "
            f"expected {_EXAMPLES[kind]}"
        )
    if "part" not in groups:
        return str(main)
    allowed = (_RIC_PARTS if kind == "ric" else _RPC_PARTS).get(main, ())
    if int(groups["part"]) not in allowed:
        where = f"parts {', '.join(map(str, allowed))}" if allowed else "no parts"
        raise CitationError(
            f"cannot read {text!r}: {kind.upper()} {_ROMAN[main - 1]} has {where}; "
            f"expected {_EXAMPLES[kind]}"
        )
    return f"{main}.{groups['part']}"


def _ric(text: str, groups: dict[str, str], volume: str | None) -> ParsedCitation:
    edition = (
        groups.get("ed_sup")
        or groups.get("ed_par")
        or groups.get("ed_ord")
        or _ORDINALS.get(groups.get("ed_word", "").lower())
    )
    if "ed_glued" in groups:
        if volume != "1" or groups["ed_glued"] != "2":
            raise CitationError(
                f"cannot read {text!r}: a digit glued to the volume is read as an edition only "
                "in 'RIC I2'; expected a superscript or brackets, e.g. 'RIC I² 207', "
                "'RIC I(2) 207'"
            )
        edition = "2"
    if edition is not None and edition not in ("1", "2", "3"):
        raise CitationError(
            f"cannot read {text!r}: RIC editions run 1–3; expected e.g. 'RIC I² 207'"
        )
    if volume in ("2.1", "2.2", "2.3"):
        if edition == "1":
            raise CitationError(
                f"cannot read {text!r}: RIC II parts exist only in the second edition; "
                "expected e.g. 'RIC II.1² 772'"
            )
        edition = "2"
    mint = None
    if "mint" in groups:
        if volume is None or int(volume.split(".")[0]) < 6:
            raise CitationError(
                f"cannot read {text!r}: only RIC VI–X cite a mint before the number, and RIC "
                "I–V number types per emperor, whose name is not part of the citation; "
                "expected e.g. 'RIC I² 207' or 'RIC VII Rome 123'"
            )
        mint = RIC_MINTS.get(_slug(groups["mint"]))
        if mint is None:
            raise CitationError(
                f"cannot read {text!r}: unknown mint {groups['mint']!r}; expected a RIC VI–X "
                "mint such as London, Trier, Lyons, Arles, Rome, Ticinum, Aquileia, Siscia, "
                "Thessalonica, Heraclea, Constantinople, Nicomedia, Cyzicus, Antioch, Alexandria"
            )
    head, dot, subtype = groups["num"].partition(".")
    # RIC IX and OCRE write roman subtypes in lowercase ("27B.iii").
    number = f"{head}.{subtype.lower()}" if dot else head
    return build_citation("ric", number, volume=volume, edition=edition, mint=mint)


def _title(words: str | None) -> str | None:
    if not words:
        return None
    small = {"of", "and", "the"}
    return " ".join(
        w.lower() if w.lower() in small else w[:1].upper() + w[1:].lower()
        for w in words.replace(".", " ").split()
    )
