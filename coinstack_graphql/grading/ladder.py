"""The adjectival grade ladder: parsing, validation, ranking and canonical names.

The ladder is the one NGC Ancients and collectors use, Poor to Gem MS, with the Sheldon
numbers (1–70) that PCGS and NGC print on US-style slabs mapped onto its rungs.

Ranking (`grade_rank`) puts every grade on one monotone scale of rung positions:

- a rung sits at its index in `Rung` (P = 0 … Gem MS = 15);
- a grade without a number stands for the bottom of its rung, and a Sheldon number
  climbs within the rung by less than 0.4, so "VF 30" meets a "VF" minimum but "VF"
  does not meet "VF 30";
- "good"/"+" (gVF, VF+, MS64+) add half a rung, "about"/"near"/"-" (aEF, nEF, EF-)
  take half a rung off: VF < gVF = VF+ < Ch VF < aEF = nEF = EF- < XF;
- a split grade (VF/EF, obverse and reverse or "VF to EF") ranks as its lower side plus
  half a rung, never past the midpoint between its sides: VF < VF/EF < Ch VF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum


class GradeError(ValueError):
    """A grade string, numeric grade or designation that is not on the ladder."""


class Rung(IntEnum):
    """One step of the adjectival ladder; the value is its position."""

    P = 0
    FR = 1
    AG = 2
    G = 3
    VG = 4
    F = 5
    CH_F = 6
    VF = 7
    CH_VF = 8
    XF = 9
    CH_XF = 10
    AU = 11
    CH_AU = 12
    MS = 13
    CH_MS = 14
    GEM_MS = 15


@dataclass(frozen=True)
class RungInfo:
    """A rung's canonical abbreviation, full name, plain family and Sheldon numbers."""

    rung: Rung
    abbreviation: str
    name: str
    family: Rung
    numerics: tuple[int, ...]


# Where the Sheldon ranges overlap (F 12–15 vs Ch F 15, XF 40–45 vs Ch XF 45 …) the
# Choice rung owns the upper values, as PCGS names them (F15 "Choice Fine", XF45
# "Choice Extremely Fine", AU55/58 "Choice AU"), so every number lands on one rung.
LADDER: tuple[RungInfo, ...] = (
    RungInfo(Rung.P, "P", "Poor", Rung.P, (1,)),
    RungInfo(Rung.FR, "Fr", "Fair", Rung.FR, (2,)),
    RungInfo(Rung.AG, "AG", "About Good", Rung.AG, (3,)),
    RungInfo(Rung.G, "G", "Good", Rung.G, (4, 6)),
    RungInfo(Rung.VG, "VG", "Very Good", Rung.VG, (8, 10)),
    RungInfo(Rung.F, "F", "Fine", Rung.F, (12,)),
    RungInfo(Rung.CH_F, "Ch F", "Choice Fine", Rung.F, (15,)),
    RungInfo(Rung.VF, "VF", "Very Fine", Rung.VF, (20, 25, 30)),
    RungInfo(Rung.CH_VF, "Ch VF", "Choice Very Fine", Rung.VF, (35,)),
    RungInfo(Rung.XF, "XF", "Extremely Fine", Rung.XF, (40,)),
    RungInfo(Rung.CH_XF, "Ch XF", "Choice Extremely Fine", Rung.XF, (45,)),
    RungInfo(Rung.AU, "AU", "About Uncirculated", Rung.AU, (50, 53)),
    RungInfo(Rung.CH_AU, "Ch AU", "Choice About Uncirculated", Rung.AU, (55, 58)),
    RungInfo(Rung.MS, "MS", "Mint State", Rung.MS, (60, 61, 62)),
    RungInfo(Rung.CH_MS, "Ch MS", "Choice Mint State", Rung.MS, (63, 64)),
    RungInfo(Rung.GEM_MS, "Gem MS", "Gem Mint State", Rung.MS, (65, 66, 67, 68, 69, 70)),
)

RUNG_INFO: dict[Rung, RungInfo] = {info.rung: info for info in LADDER}
SHELDON_GRADES: frozenset[int] = frozenset(n for info in LADDER for n in info.numerics)

_RUNG_BY_NUMERIC: dict[int, Rung] = {n: info.rung for info in LADDER for n in info.numerics}
_RUNG_BY_ABBREVIATION: dict[str, Rung] = {info.abbreviation: info.rung for info in LADDER}
_CHOICE: dict[Rung, Rung] = {
    Rung.F: Rung.CH_F,
    Rung.VF: Rung.CH_VF,
    Rung.XF: Rung.CH_XF,
    Rung.AU: Rung.CH_AU,
    Rung.MS: Rung.CH_MS,
}
_GEM: dict[Rung, Rung] = {Rung.MS: Rung.GEM_MS}

_PREFIXES = ("g", "a", "n")  # good, about, near
_SUFFIXES = ("+", "-")
_STEP = 0.5  # what a qualifier or a split moves a grade, in rungs
_NUMERIC_SPAN = 0.4  # kept below _STEP so "MS64+" stays under "Gem MS"


def _fmt_numerics(numerics: tuple[int, ...]) -> str:
    if len(numerics) == 1:
        return str(numerics[0])
    return ", ".join(map(str, numerics[:-1])) + f" or {numerics[-1]}"


def _family_numerics(family: Rung) -> tuple[int, ...]:
    return tuple(n for info in LADDER if info.family == family for n in info.numerics)


def validate_numeric(value: int) -> None:
    """Raise GradeError unless `value` is a grade of the 70-point Sheldon scale."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in SHELDON_GRADES:
        raise GradeError(
            f"numeric grade must be one of the Sheldon grades "
            f"{', '.join(map(str, sorted(SHELDON_GRADES)))}; got {value!r}"
        )


def validate_strike_surface(value: int, *, what: str = "strike/surface grade") -> None:
    """Raise GradeError unless `value` is an NGC strike or surface grade, 1 to 5."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise GradeError(f"{what} must be a whole number from 1 to 5; got {value!r}")


def rung_for_numeric(numeric: int) -> Rung:
    """The rung a Sheldon number lands on (45 -> Ch XF)."""
    validate_numeric(numeric)
    return _RUNG_BY_NUMERIC[numeric]


def canonical_adjectival(numeric: int) -> str:
    """Canonical adjectival for a Sheldon number; Choice owns the upper values (45 -> "Ch XF")."""
    return RUNG_INFO[rung_for_numeric(numeric)].abbreviation


def _check_rung_numeric(rung: Rung, numeric: int, *, plain: bool) -> None:
    """Check a numeric against a rung; `plain` accepts any number of the rung's family."""
    validate_numeric(numeric)
    info = RUNG_INFO[rung]
    allowed = _family_numerics(info.family) if plain else info.numerics
    if numeric not in allowed:
        raise GradeError(
            f"{info.abbreviation} needs a numeric grade of {_fmt_numerics(allowed)}; "
            f"got {numeric} ({canonical_adjectival(numeric)})"
        )


def validate_designation(designation: str | None, numeric: int | None) -> None:
    """Raise GradeError when a designation contradicts the numeric grade.

    `designation` is "Choice"/"Ch", "Gem", "Fine Style"/"Star" (which say nothing about
    the number) or a whole adjectival grade such as "Ch MS" or "XF".
    """
    if designation is None:
        if numeric is not None:
            validate_numeric(numeric)
        return
    word = designation.strip().rstrip(".").lower()
    if word in ("choice", "ch"):
        if numeric is not None and rung_for_numeric(numeric) not in _CHOICE.values():
            choice = tuple(n for rung in _CHOICE.values() for n in RUNG_INFO[rung].numerics)
            raise GradeError(
                f"'Choice' needs a numeric grade of {_fmt_numerics(choice)}; "
                f"got {numeric} ({canonical_adjectival(numeric)})"
            )
        return
    if word == "gem":
        if numeric is not None and rung_for_numeric(numeric) is not Rung.GEM_MS:
            raise GradeError(
                f"'Gem' needs a Mint State numeric grade of 65 to 70; "
                f"got {numeric} ({canonical_adjectival(numeric)})"
            )
        return
    if word in ("fine style", "star", "★"):
        if numeric is not None:
            validate_numeric(numeric)
        return
    try:
        grade = parse_grade(designation)
    except GradeError as exc:
        raise GradeError(
            f"unknown designation {designation!r}; expected 'Choice', 'Gem', 'Fine Style' "
            f"or an adjectival grade such as 'Ch MS'"
        ) from exc
    if numeric is None:
        return
    if grade.numeric is not None and grade.numeric != numeric:
        raise GradeError(f"designation {designation!r} says {grade.numeric}, not {numeric}")
    # A plain rung ("XF") may carry its Choice number (45); a Choice rung must match exactly.
    is_plain = RUNG_INFO[grade.rung].family == grade.rung
    _check_rung_numeric(grade.rung, numeric, plain=is_plain)


@dataclass(frozen=True)
class Grade:
    """One parsed grade; `adjectival` is the rung's canonical name ("Ch VF").

    `qualifier` is "g" (good), "a" (about), "n" (near), "+", "-", or "/<rung>" for a
    split grade whose lower side is `rung` ("VF/EF" -> rung VF, qualifier "/XF").
    """

    rung: Rung
    numeric: int | None = None
    adjectival: str = ""
    strike: int | None = None
    surface: int | None = None
    star: bool = False
    fine_style: bool = False
    qualifier: str | None = None

    def __post_init__(self) -> None:
        canonical = RUNG_INFO[Rung(self.rung)].abbreviation
        if not self.adjectival:
            # Frozen, so the derived default goes in through object.__setattr__.
            object.__setattr__(self, "adjectival", canonical)
        elif self.adjectival != canonical:
            raise GradeError(f"adjectival {self.adjectival!r} is not {canonical!r}")
        if self.numeric is not None:
            _check_rung_numeric(self.rung, self.numeric, plain=False)
        if self.strike is not None:
            validate_strike_surface(self.strike, what="strike grade")
        if self.surface is not None:
            validate_strike_surface(self.surface, what="surface grade")
        self._check_qualifier()

    def _check_qualifier(self) -> None:
        q = self.qualifier
        if q is None:
            return
        if q in _PREFIXES or q == "-":
            if self.numeric is not None:
                raise GradeError(f"qualifier {q!r} does not go with a numeric grade")
            if q == "a" and self.rung in (Rung.G, Rung.MS):
                raise GradeError("'about Good' is AG and 'about Mint State' is AU")
            return
        if q == "+":
            return
        upper = _RUNG_BY_ABBREVIATION.get(q[1:]) if q.startswith("/") else None
        if upper is None:
            raise GradeError(f"qualifier must be 'g', 'a', 'n', '+', '-' or '/<rung>'; got {q!r}")
        if upper <= self.rung or self.numeric is not None:
            raise GradeError(f"split grade {self.adjectival}{q} needs a finer, plain upper side")

    @property
    def split_upper(self) -> Rung | None:
        """The finer side of a split grade, else None."""
        q = self.qualifier
        return _RUNG_BY_ABBREVIATION[q[1:]] if q and q.startswith("/") else None

    @property
    def label(self) -> str:
        """Display text that `parse_grade` reads back to an equal Grade."""
        q = self.qualifier or ""
        text = (q if q in _PREFIXES else "") + self.adjectival
        if self.numeric is not None:
            text += f" {self.numeric}"
        if q in _SUFFIXES or q.startswith("/"):
            text += q
        if self.star:
            text += "★"
        if self.strike is not None and self.surface is not None:
            text += f" {self.strike}/5 - {self.surface}/5"
        elif self.strike is not None:
            text += f" Strike: {self.strike}/5"
        elif self.surface is not None:
            text += f" Surface: {self.surface}/5"
        if self.fine_style:
            text += " Fine Style"
        return text


# Spelled-out names and abbreviations of the plain rungs; "unc"/"bu"/"fdc" are the
# European and dealer words for mint state.
_BASES: dict[str, Rung] = {
    "extremely fine": Rung.XF,
    "extra fine": Rung.XF,
    "very fine": Rung.VF,
    "very good": Rung.VG,
    "about good": Rung.AG,
    "about uncirculated": Rung.AU,
    "almost uncirculated": Rung.AU,
    "mint state": Rung.MS,
    "uncirculated": Rung.MS,
    "unc": Rung.MS,
    "bu": Rung.MS,
    "fdc": Rung.MS,
    "fine": Rung.F,
    "good": Rung.G,
    "fair": Rung.FR,
    "poor": Rung.P,
    "xf": Rung.XF,
    "ef": Rung.XF,
    "vf": Rung.VF,
    "vg": Rung.VG,
    "ag": Rung.AG,
    "au": Rung.AU,
    "ms": Rung.MS,
    "fr": Rung.FR,
    "po": Rung.P,
    "f": Rung.F,
    "g": Rung.G,
    "p": Rung.P,
}
_BASE_PATTERN = "|".join(
    word.replace(" ", r"\s+") for word in sorted(_BASES, key=len, reverse=True)
)
_SIDE = re.compile(
    rf"""
    (?:(?P<word>good|about|near|nearly)\s+|(?P<glued>[gan]))?   # gVF, GVF, Good VF
    (?:(?P<des>choice|ch\.?|gem)\s*)?
    (?P<base>{_BASE_PATTERN})(?![a-z])
    (?:\s*-?\s*(?P<num>\d{{1,2}})(?!\d))?                        # XF40, AU 58, AU-58
    (?:\s*(?P<pm>[+-]))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SERVICE = re.compile(r"^\s*(?:NGC(?:\s+Ancients?)?|PCGS)\b[\s:,]*", re.IGNORECASE)
_FINE_STYLE = re.compile(r"\bfine\s+style\b", re.IGNORECASE)
_STAR = re.compile(r"★|\*|\bstar\b", re.IGNORECASE)
_STRIKE = re.compile(r"\bstrike\s*:?\s*(\d+)(?:\s*/\s*5)?", re.IGNORECASE)
_SURFACE = re.compile(r"\bsurface\s*:?\s*(\d+)(?:\s*/\s*5)?", re.IGNORECASE)
_PAIR = re.compile(r"(?<![\d/])(\d+)\s*/\s*5\s*[-,]?\s*(\d+)\s*/\s*5(?![\d/])")
# A hyphen followed by a letter splits ("VF-EF"); before digits it is "AU-58", at the end "EF-".
_SPLIT = re.compile(r"\s*(?:/|-(?=\s*[a-z])|\s+to\s+)\s*", re.IGNORECASE)
_EXAMPLES = "a grade such as 'VF', 'Ch XF', 'AU 58', 'gVF', 'aEF', 'VF/EF', 'MS★ 5/5 - 5/5'"


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Find every match of `pattern` and return them with the text they are cut out of."""
    return list(pattern.finditer(text)), pattern.sub(" ", text)


def _read_side(text: str) -> tuple[Rung, int | None, str | None]:
    """Read "Ch XF 45", "gVF", "MS64+" into (rung, numeric, qualifier)."""
    match = _SIDE.fullmatch(text)
    if match is None:
        raise GradeError(f"cannot read {text!r} as a grade; expected {_EXAMPLES}")
    family = _BASES[re.sub(r"\s+", " ", match["base"].lower())]
    prefix = (match["word"] or match["glued"] or "")[:1].lower() or None
    des = (match["des"] or "").rstrip(".").lower()
    if prefix == "a" and not des and family in (Rung.G, Rung.MS):
        # "about Good" and "about Unc" are rungs of their own, not qualified G and MS.
        family, prefix = (Rung.AG if family is Rung.G else Rung.AU), None
    rung = family
    if des:
        table = _GEM if des == "gem" else _CHOICE
        if family not in table:
            allowed = ", ".join(RUNG_INFO[r].abbreviation for r in table)
            name = "Gem" if des == "gem" else "Choice"
            raise GradeError(f"{name!r} applies to {allowed} only, not {match['base']!r}")
        rung = table[family]
    numeric = int(match["num"]) if match["num"] else None
    if numeric is not None:
        _check_rung_numeric(rung, numeric, plain=not des)
        rung = _RUNG_BY_NUMERIC[numeric]
    pm = match["pm"]
    if prefix and pm:
        raise GradeError(f"{text!r} has two qualifiers; use one of g/a/n or +/-")
    if numeric is not None and (prefix or pm == "-"):
        raise GradeError(f"{text!r}: only '+' may follow a numeric grade")
    return rung, numeric, prefix or pm


def _read_strike_surface(text: str) -> tuple[int | None, int | None, str]:
    strikes, text = _take(_STRIKE, text)
    surfaces, text = _take(_SURFACE, text)
    pairs, text = _take(_PAIR, text)
    found_strikes = [int(m[1]) for m in strikes] + [int(m[1]) for m in pairs]
    found_surfaces = [int(m[1]) for m in surfaces] + [int(m[2]) for m in pairs]
    if len(found_strikes) > 1 or len(found_surfaces) > 1:
        raise GradeError("strike and surface may each be given once")
    strike = found_strikes[0] if found_strikes else None
    surface = found_surfaces[0] if found_surfaces else None
    if strike is not None:
        validate_strike_surface(strike, what="strike grade")
    if surface is not None:
        validate_strike_surface(surface, what="surface grade")
    return strike, surface, text


def parse_grade(text: str) -> Grade:
    """Parse a catalogue or slab grade such as "NGC Ch VF 5/5 - 4/5" or "PCGS AU55"."""
    if not isinstance(text, str) or not text.strip():
        raise GradeError(f"expected {_EXAMPLES}; got {text!r}")
    rest = text.replace("–", "-").replace("—", "-")
    rest = _SERVICE.sub("", rest, count=1)
    fine_style_hits, rest = _take(_FINE_STYLE, rest)
    star_hits, rest = _take(_STAR, rest)
    strike, surface, rest = _read_strike_surface(rest)
    core = " ".join(re.sub(r"[,;]", " ", rest).split())
    if not core:
        raise GradeError(f"no adjectival grade in {text!r}; expected {_EXAMPLES}")
    sides = _SPLIT.split(core)
    if len(sides) > 2:
        raise GradeError(f"{text!r}: a split grade has two sides, like 'VF/EF'")
    read = [_read_side(side) for side in sides]
    if len(read) == 1:
        rung, numeric, qualifier = read[0]
    else:
        if any(num is not None or qual for _, num, qual in read):
            raise GradeError(f"{text!r}: split grades take two plain grades, like 'VF/EF'")
        # Obverse/reverse order is not kept: the grade is its lower side, split upwards.
        rung, upper = sorted(side_rung for side_rung, _, _ in read)
        numeric = None
        qualifier = None if rung == upper else f"/{RUNG_INFO[upper].abbreviation}"
    return Grade(
        rung=rung,
        numeric=numeric,
        strike=strike,
        surface=surface,
        star=bool(star_hits),
        fine_style=bool(fine_style_hits),
        qualifier=qualifier,
    )


def grade_rank(grade: str | Grade) -> float:
    """A monotone position on the ladder (rung index plus offsets; see the module doc)."""
    g = parse_grade(grade) if isinstance(grade, str) else grade
    rank = float(g.rung)
    if g.numeric is not None:
        numerics = RUNG_INFO[g.rung].numerics
        rank += _NUMERIC_SPAN * numerics.index(g.numeric) / len(numerics)
    q = g.qualifier
    upper = g.split_upper
    if upper is not None:
        rank += min(_STEP, (upper - g.rung) / 2)
    elif q in ("g", "+"):
        rank += _STEP
    elif q in ("a", "n", "-"):
        rank -= _STEP
    return rank


def rungs_between(a: str | Grade, b: str | Grade) -> float:
    """Signed distance from `a` up to `b` in rungs (positive when `b` is finer)."""
    return grade_rank(b) - grade_rank(a)


def meets_minimum(grade: str | Grade, minimum: str | Grade) -> bool:
    """True when `grade` is at least `minimum` on the ladder."""
    return grade_rank(grade) >= grade_rank(minimum)
