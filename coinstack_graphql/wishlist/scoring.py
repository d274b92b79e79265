"""Scoring one auction lot against one wishlist item: pure functions, no database.

Each criterion the item specifies comes out MET, UNKNOWN (the lot does not say, or says it
in a way we cannot read) or FAILED. A FAILED required criterion excludes the lot; otherwise
the score is the weighted share of the specified criteria, UNKNOWN counting half. The
weights, thresholds and reasons are documented in docs/wishlist-matching.md.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from coinstack_graphql.grading.ladder import Grade, grade_rank
from coinstack_graphql.market.currency import money, usd_rate
from coinstack_graphql.references.citations import RIC_MINTS, ParsedCitation


class Outcome(enum.Enum):
    MET = "met"
    UNKNOWN = "unknown"
    FAILED = "failed"


WEIGHTS: dict[str, float] = {
    "reference": 0.30,
    "issuer": 0.20,
    "denomination": 0.15,
    "years": 0.10,
    "mint": 0.10,
    "grade": 0.10,
    "price": 0.05,
}
REQUIRED = frozenset({"reference", "years", "grade", "denomination"})
IDENTITY = ("reference", "issuer", "denomination", "mint", "years")
MIN_SCORE = 0.5
_VALUE = {Outcome.MET: 1.0, Outcome.UNKNOWN: 0.5, Outcome.FAILED: 0.0}


# ---- text


def words(text: str | None) -> tuple[str, ...]:
    """Lowercase ASCII words: accents, case and punctuation do not matter."""
    if not text:
        return ()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return tuple(re.findall(r"[a-z0-9]+", ascii_text.lower()))


_ROMAN_ORDINALS = frozenset("ii iii iv v vi vii viii ix x xi xii".split())


def _find(needle: tuple[str, ...], hay: tuple[str, ...]) -> list[int]:
    n = len(needle)
    return [i for i in range(len(hay) - n + 1) if hay[i : i + n] == needle]


def names_match(wanted: str | None, given: str | None) -> bool:
    """One name contains the other word for word ("Caesar" ~ "Julius Caesar").

    A regnal numeral after the shorter name must be in it too: "Constantine" is not
    "Constantine II" (an unnumbered name means the first, so "Constantine I" is fine).
    """
    a, b = words(wanted), words(given)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    for start in _find(short, long):
        after = long[start + len(short)] if start + len(short) < len(long) else None
        if after not in _ROMAN_ORDINALS:
            return True
    return False


def mint_words(text: str | None) -> tuple[str, ...]:
    """Words with RIC's mint aliases folded (Lugdunum, Lyon -> lyons; Roma -> rome)."""
    return tuple(RIC_MINTS[w].lower() if w in RIC_MINTS else w for w in words(text))


def mints_match(wanted: str | None, given: str | None) -> bool:
    a, b = mint_words(wanted), mint_words(given)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return bool(_find(short, long))


# ---- years

# An era is a word of its own: "ad" in "lead" or "ce" in "Celtic" is not one.
_ERA = r"(?<![a-z])(?:b\.?\s?c\.?(?:e\.?)?|a\.?\s?d\.?|c\.?\s?e\.?)(?![a-z])"
_YEAR_RANGE = re.compile(
    rf"(?:(?P<e1>{_ERA})\s*)?(?P<y1>\d{{1,4}})\s*(?P<e2>{_ERA})?"
    rf"(?:\s*(?P<sep>-|to|/)\s*(?:(?P<e3>{_ERA})\s*)?(?P<y2>\d{{1,4}})\s*(?P<e4>{_ERA})?)?"
    r"(?![\d])",
    re.I,
)
_CENTURY = re.compile(
    rf"(?P<n>\d{{1,2}})(?:st|nd|rd|th)\s+cent(?:ury|\.)?\s*(?P<era>{_ERA})?", re.I
)
_LATEST_YEAR = 2100


def _is_bc(era: str | None) -> bool | None:
    if era is None:
        return None
    return era.lower().lstrip()[:1] == "b"


def parse_year_range(text: str | None) -> tuple[int, int] | None:
    """The first date in lot text as (start, end), BC negative; None when unreadable.

    Reads "c. 211-208 BC", "AD 117-138", "41-54" (AD), "27 BC - AD 14", "100-44 BC",
    "218/7 BC", "211-08 BC" and "AD 117-38" (short ends), "3rd century BC". A trailing era
    covers both years.
    """
    if not text:
        return None
    cleaned = text.replace("–", "-").replace("—", "-").replace("‒", "-").replace("−", "-")
    century = _CENTURY.search(cleaned)
    match = _YEAR_RANGE.search(cleaned)
    if century and (match is None or century.start() <= match.start()):
        n = int(century["n"])
        if n == 0:
            return None
        if _is_bc(century["era"]):
            return -100 * n, -100 * (n - 1) - 1
        return 100 * (n - 1) + 1, 100 * n
    if match is None:
        return None
    first_era = match["e1"] or match["e2"]
    second_era = match["e3"] or match["e4"]
    y1 = int(match["y1"])
    bc1 = _is_bc(first_era if first_era else second_era)
    if match["y2"] is None:
        years = [(y1, bc1)]
    else:
        raw2 = match["y2"]
        bc2 = _is_bc(second_era if second_era else first_era)
        # An end written short: "218/7" (a Greek year), "211-08", "AD 117-38". A plain
        # "100-44 BC" is not short: BC years count down.
        short = len(raw2) < len(match["y1"]) and (
            match["sep"] == "/" or raw2.startswith("0") or (not bc2 and int(raw2) < y1)
        )
        if short:
            raw2 = match["y1"][: len(match["y1"]) - len(raw2)] + raw2
        years = [(y1, bc1), (int(raw2), bc2)]
    signed = []
    for year, bc in years:
        if year == 0 or year > _LATEST_YEAR:
            return None
        signed.append(-year if bc else year)
    return min(signed), max(signed)


# ---- citations


@dataclass(frozen=True)
class CitationKey:
    """The parts of a citation compared between an item and a lot."""

    system: str
    number: str
    normalized: str
    series: str | None = None
    volume: str | None = None
    edition: str | None = None
    mint: str | None = None

    @classmethod
    def of(cls, parsed: ParsedCitation) -> CitationKey:
        return cls(
            system=parsed.system,
            number=parsed.number,
            normalized=parsed.normalized,
            series=parsed.series,
            volume=parsed.volume,
            edition=parsed.edition,
            mint=parsed.mint,
        )

    @property
    def per_ruler(self) -> bool:
        """Numbered per emperor (RIC I–V, RSC, BMCRE, Cohen): the number alone is not a type."""
        if self.system == "ric":
            return self.volume is None or int(self.volume.split(".")[0]) <= 5
        return self.system in ("rsc", "bmcre") or self.series == "cohen"

    def relation(self, other: CitationKey) -> Outcome | None:
        """MET if the same type, UNKNOWN if it may be (one side less precise), FAILED if
        another type of the same catalogue, None if the catalogues differ."""
        if self.system != other.system:
            return None
        if self.normalized == other.normalized:
            return Outcome.MET
        for mine, theirs in (
            (self.series, other.series),
            (self.volume, other.volume),
            (self.edition, other.edition),
            (self.mint, other.mint),
        ):
            if mine is not None and theirs is not None and mine != theirs:
                return Outcome.FAILED
        a, b = self.number.lower(), other.number.lower()
        if self.system == "crawford" and ("/" not in a or "/" not in b):
            # "Crawford 443" names the issue only; it covers 443/1.
            a, b = a.split("/")[0], b.split("/")[0]
        return Outcome.UNKNOWN if a == b else Outcome.FAILED


def compare_references(
    wanted: Iterable[CitationKey], cited: Iterable[CitationKey]
) -> tuple[Outcome, bool]:
    """The reference outcome, and whether a MET rests only on per-ruler numberings."""
    relations = [(w.relation(c), c) for c in cited for w in wanted]
    met = [c for r, c in relations if r is Outcome.MET]
    if met:
        return Outcome.MET, all(c.per_ruler for c in met)
    found = {r for r, _ in relations}
    if Outcome.UNKNOWN in found or Outcome.FAILED not in found:
        return Outcome.UNKNOWN, False
    return Outcome.FAILED, False


# ---- the two sides


@dataclass(frozen=True)
class ItemCriteria:
    """What a wishlist item asks for, read once per scan."""

    issuer: str | None = None
    mint: str | None = None
    denomination: str | None = None
    year_start: int | None = None
    year_end: int | None = None
    references: frozenset[CitationKey] = frozenset()
    min_grade: Grade | None = None
    max_price: Decimal | None = None

    def specified(self) -> list[str]:
        present = {
            "reference": bool(self.references),
            "issuer": bool(words(self.issuer)),
            "denomination": bool(words(self.denomination)),
            "years": self.year_start is not None or self.year_end is not None,
            "mint": bool(words(self.mint)),
            "grade": self.min_grade is not None,
            "price": self.max_price is not None,
        }
        return [name for name in WEIGHTS if present[name]]


@dataclass(frozen=True)
class LotFacts:
    """What a lot says about itself, read once per scan."""

    ruler: str | None = None
    title: str | None = None
    mint: str | None = None
    denomination: str | None = None
    years: tuple[int, int] | None = None
    citations: tuple[CitationKey, ...] = ()
    grade: Grade | None = None
    price: Decimal | None = None
    currency: str = "USD"


def to_usd(amount: Decimal | None, currency: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    """`amount` in USD when its currency is USD or has a rate; else None (unknown)."""
    if amount is None:
        return None
    try:
        rate = usd_rate(currency, rates)
    except ValueError:
        return None  # not a currency code at all: as unknown as one without a rate
    return None if rate is None else money(amount * rate)


# ---- scoring


@dataclass(frozen=True)
class LotScore:
    """A lot that matches: its score, confidence and each criterion's outcome."""

    score: float
    confidence: str
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    price_usd: Decimal | None = None

    @property
    def is_below_budget(self) -> bool | None:
        met = self.outcomes.get("price")
        return None if met in (None, Outcome.UNKNOWN) else met is Outcome.MET


def _text_outcome(
    wanted: str | None,
    given: str | None,
    fallback: str | None,
    match: Callable[[str | None, str | None], bool],
) -> Outcome:
    if words(given):
        return Outcome.MET if match(wanted, given) else Outcome.FAILED
    # No field of its own: the title often names it; silence there proves nothing.
    return Outcome.MET if match(wanted, fallback) else Outcome.UNKNOWN


def evaluate(
    item: ItemCriteria, lot: LotFacts, rates: Mapping[str, Decimal] | None = None
) -> tuple[dict[str, Outcome], Decimal | None]:
    """Each specified criterion's outcome, and the lot's price in USD when known."""
    outcomes: dict[str, Outcome] = {}
    specified = item.specified()
    if "issuer" in specified:
        outcomes["issuer"] = _text_outcome(item.issuer, lot.ruler, lot.title, names_match)
    if "reference" in specified:
        outcome, per_ruler_only = compare_references(item.references, lot.citations)
        if outcome is Outcome.MET and per_ruler_only and outcomes.get("issuer") is Outcome.FAILED:
            outcome = Outcome.UNKNOWN  # RIC I² 8 of Galba is not RIC I² 8 of Otho
        outcomes["reference"] = outcome
    if "denomination" in specified:
        outcomes["denomination"] = _text_outcome(
            item.denomination, lot.denomination, lot.title, names_match
        )
    if "mint" in specified:
        outcomes["mint"] = (
            Outcome.UNKNOWN
            if not words(lot.mint)
            else Outcome.MET
            if mints_match(item.mint, lot.mint)
            else Outcome.FAILED
        )
    if "years" in specified:
        if lot.years is None:
            outcomes["years"] = Outcome.UNKNOWN
        else:
            start = item.year_start if item.year_start is not None else lot.years[0]
            end = item.year_end if item.year_end is not None else lot.years[1]
            overlap = lot.years[0] <= end and start <= lot.years[1]
            outcomes["years"] = Outcome.MET if overlap else Outcome.FAILED
    if "grade" in specified and item.min_grade is not None:
        if lot.grade is None:
            outcomes["grade"] = Outcome.UNKNOWN
        else:
            ok = grade_rank(lot.grade) >= grade_rank(item.min_grade)
            outcomes["grade"] = Outcome.MET if ok else Outcome.FAILED
    price_usd = to_usd(lot.price, lot.currency, rates or {})
    if "price" in specified and item.max_price is not None:
        if price_usd is None:
            outcomes["price"] = Outcome.UNKNOWN
        else:
            outcomes["price"] = Outcome.MET if price_usd <= item.max_price else Outcome.FAILED
    return outcomes, price_usd


def score_lot(
    item: ItemCriteria, lot: LotFacts, rates: Mapping[str, Decimal] | None = None
) -> LotScore | None:
    """The lot's score against the item, or None when it is not a match."""
    outcomes, price_usd = evaluate(item, lot, rates)
    if not outcomes:
        return None
    if any(outcomes[name] is Outcome.FAILED for name in REQUIRED & outcomes.keys()):
        return None
    if not any(outcomes.get(name) is Outcome.MET for name in IDENTITY):
        return None  # grade and price alone say nothing about which coin it is
    total = sum(WEIGHTS[name] for name in outcomes)
    score = round(sum(WEIGHTS[n] * _VALUE[o] for n, o in outcomes.items()) / total, 4)
    if score < MIN_SCORE:
        return None
    return LotScore(score, _confidence(outcomes), outcomes, price_usd)


def _confidence(outcomes: Mapping[str, Outcome]) -> str:
    """high: the catalogue type is confirmed and nothing contradicts it; medium: the type
    is confirmed, or every identity criterion asked for is known and met; low: else."""
    failed = any(o is Outcome.FAILED for o in outcomes.values())
    if outcomes.get("reference") is Outcome.MET:
        return "medium" if failed else "high"
    identity = [outcomes[n] for n in IDENTITY if n in outcomes]
    if identity and all(o is Outcome.MET for o in identity):
        return "medium"
    return "low"
