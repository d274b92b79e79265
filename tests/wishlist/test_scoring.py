"""Scoring a lot against an item without a database: years, names, citations, grades."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coinstack_graphql.grading.ladder import parse_grade
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.wishlist.matching import read_citations, read_lot_grade
from coinstack_graphql.wishlist.scoring import (
    MIN_SCORE,
    WEIGHTS,
    CitationKey,
    ItemCriteria,
    LotFacts,
    Outcome,
    compare_references,
    evaluate,
    mints_match,
    names_match,
    parse_year_range,
    score_lot,
    to_usd,
)


def key(citation: str) -> CitationKey:
    return CitationKey.of(parse_citation(citation))


# ---- years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("c. 211-208 BC", (-211, -208)),
        ("49-48 BC", (-49, -48)),
        ("AD 117-138", (117, 138)),
        ("41-54", (41, 54)),
        ("AD 69", (69, 69)),
        ("44 BC", (-44, -44)),
        ("27 BC - AD 14", (-27, 14)),
        ("27 BC–AD 14", (-27, 14)),
        ("218/7 BC", (-218, -217)),
        ("211-08 BC", (-211, -208)),
        ("100-44 BC", (-100, -44)),
        ("AD 117-38", (117, 138)),
        ("AD 98-117", (98, 117)),
        ("ca. 225–212 BC", (-225, -212)),
        ("c. 90 B.C.", (-90, -90)),
        ("A.D. 41-54", (41, 54)),
        ("14-37 AD", (14, 37)),
        ("AD 253-268, struck 260", (253, 268)),
        ("3rd century BC", (-300, -201)),
        ("1st century AD", (1, 100)),
        ("Celtic, 120-100 BC", (-120, -100)),
    ],
)
def test_parse_year_range(text: str, years: tuple[int, int]) -> None:
    assert parse_year_range(text) == years


@pytest.mark.parametrize("text", [None, "", "uncertain date", "0-5", "Triton"])
def test_unreadable_years_are_none(text: str | None) -> None:
    assert parse_year_range(text) is None


# ---- names and mints


@pytest.mark.parametrize(
    ("wanted", "given", "same"),
    [
        ("Otho", "Otho", True),
        ("otho", "ÓTHO", True),
        ("Caesar", "Julius Caesar", True),
        ("Julius Caesar", "Caesar", True),
        ("Augustus", "Divus Augustus", True),
        ("Constantine I", "Constantine I the Great", True),
        ("Constantine", "Constantine I", True),
        ("Constantine", "Constantine II", False),
        ("Gordian", "Gordian III", False),
        ("Philip I", "Philip II", False),
        ("Otho", "Galba", False),
        ("Otho", None, False),
    ],
)
def test_names_match(wanted: str, given: str | None, same: bool) -> None:
    assert names_match(wanted, given) is same


@pytest.mark.parametrize(
    ("wanted", "given", "same"),
    [
        ("Lugdunum", "Lyon", True),
        ("Lyons", "Lugdunum (Lyon)", True),
        ("Rome", "Roma", True),
        ("Rome", "Rome mint", True),
        ("Rome", "Antioch", False),
        ("Antioch", "Antiochia ad Orontem", True),
    ],
)
def test_mints_match_through_ric_aliases(wanted: str, given: str, same: bool) -> None:
    assert mints_match(wanted, given) is same


# ---- citations


def test_read_citations_tolerates_bad_pieces_and_shapes() -> None:
    found = read_citations(
        [
            "RIC I² 207; RSC 43",
            ["Crawford 443/1", {"ref": "BMCRE I 533"}, 12],
            "RIC 207 var.; Cohen 43",  # a variant is not the type
            "nonsense",
            None,
        ]
    )
    assert [k.normalized for k in found] == [
        "ric.1(2).207", "rsc.43", "crawford.443.1", "bmcre.1.533", "other.cohen.43",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("wanted", "cited", "outcome"),
    [
        ("RIC I² 207", "RIC I2 207", Outcome.MET),
        ("RIC I² 207", "RIC 207", Outcome.UNKNOWN),  # lots often leave the volume out
        ("RIC I² 207", "RIC I 207", Outcome.UNKNOWN),  # which edition is unsaid
        ("RIC I² 207", "RIC I² 208", Outcome.FAILED),
        ("RIC I² 207", "RIC II 207", Outcome.FAILED),
        ("RIC I² 207", "RSC 43", Outcome.UNKNOWN),  # another catalogue proves nothing
        ("Crawford 443/1", "Crawford 443", Outcome.UNKNOWN),  # the issue, not the type
        ("Crawford 443/1", "RRC 443/1", Outcome.MET),
        ("Crawford 443/1", "Crawford 494/23", Outcome.FAILED),
    ],
)
def test_compare_references(wanted: str, cited: str, outcome: Outcome) -> None:
    assert compare_references([key(wanted)], [key(cited)])[0] is outcome


def test_any_concordant_citation_is_a_match() -> None:
    wanted = [key("RIC I² 207"), key("RSC 43"), key("BMCRE I 533")]
    assert compare_references(wanted, [key("RSC 43")]) == (Outcome.MET, True)
    assert compare_references(wanted, [key("RSC 44")])[0] is Outcome.FAILED
    assert compare_references(wanted, [])[0] is Outcome.UNKNOWN


def test_per_ruler_numberings() -> None:
    assert key("RIC I² 8").per_ruler and key("RSC 43").per_ruler and key("Cohen 43").per_ruler
    assert not key("RIC VII Rome 123").per_ruler and not key("Crawford 443/1").per_ruler


# ---- grades and prices


@pytest.mark.parametrize(
    ("text", "numeric", "label"),
    [
        ("Choice EF", None, "Ch XF"),
        ("Near EF, lightly toned", None, "nXF"),
        ("NGC Ch XF 5/5 - 4/5", None, "Ch XF 5/5 - 4/5"),
        ("attractively toned", 45, "Ch XF 45"),
        (None, 40, "XF 40"),
        ("irregular flan", None, None),
        (None, 99, None),
    ],
)
def test_read_lot_grade(text: str | None, numeric: int | None, label: str | None) -> None:
    grade = read_lot_grade(text, numeric)
    assert (grade.label if grade else None) == label


def test_to_usd_only_with_a_rate() -> None:
    rates = {"EUR": Decimal("1.08")}
    assert to_usd(Decimal("950"), "USD", {}) == Decimal("950")
    assert to_usd(Decimal("1000"), "EUR", rates) == Decimal("1080.00")
    assert to_usd(Decimal("1000"), "CHF", rates) is None
    assert to_usd(Decimal("1000"), "Swiss francs", rates) is None
    assert to_usd(None, "USD", rates) is None


# ---- the score


ELEPHANT = ItemCriteria(
    issuer="Julius Caesar",
    denomination="Denarius",
    year_start=-49,
    year_end=-48,
    references=frozenset({key("Crawford 443/1")}),
    min_grade=parse_grade("VF"),
    max_price=Decimal("2500.00"),
)


def elephant_lot(**changes: object) -> LotFacts:
    facts: dict[str, object] = dict(
        ruler="Julius Caesar",
        title="Julius Caesar. AR Denarius. Military mint traveling with Caesar, 49-48 BC.",
        denomination="Denarius",
        years=(-49, -48),
        citations=(key("Crawford 443/1"), key("Sydenham 1006")),
        grade=parse_grade("Ch VF"),
        price=Decimal("1900.00"),
    )
    facts.update(changes)
    return LotFacts(**facts)  # type: ignore[arg-type]


def test_a_lot_meeting_everything_scores_one_with_high_confidence() -> None:
    scored = score_lot(ELEPHANT, elephant_lot())
    assert scored is not None
    assert (scored.score, scored.confidence, scored.is_below_budget) == (1.0, "high", True)


def test_unknown_counts_half() -> None:
    scored = score_lot(ELEPHANT, elephant_lot(grade=None, years=None))
    assert scored is not None
    expected = 1 - (WEIGHTS["grade"] + WEIGHTS["years"]) / 2 / sum(
        WEIGHTS[n] for n in ("reference", "issuer", "denomination", "years", "grade", "price")
    )
    assert scored.score == round(expected, 4)
    assert scored.outcomes["grade"] is Outcome.UNKNOWN and scored.confidence == "high"


@pytest.mark.parametrize(
    "changes",
    [
        {"citations": (key("Crawford 480/6"),)},  # another type
        {"years": (-44, -44)},  # disjoint
        {"grade": parse_grade("gF")},  # below the minimum
        {"denomination": "Quinarius"},  # another denomination
    ],
)
def test_a_required_mismatch_excludes(changes: dict[str, object]) -> None:
    assert score_lot(ELEPHANT, elephant_lot(**changes)) is None


def test_over_budget_is_kept_but_flagged() -> None:
    scored = score_lot(ELEPHANT, elephant_lot(price=Decimal("3200.00")))
    assert scored is not None
    assert scored.is_below_budget is False and scored.confidence == "medium"
    asked = sum(
        WEIGHTS[n] for n in ("reference", "issuer", "denomination", "years", "grade", "price")
    )
    assert scored.score == round(1 - WEIGHTS["price"] / asked, 4) == 0.9444


def test_other_currency_without_rate_is_unknown_budget() -> None:
    lot = elephant_lot(price=Decimal("1800.00"), currency="CHF")
    assert score_lot(ELEPHANT, lot).is_below_budget is None  # type: ignore[union-attr]
    with_rate = score_lot(ELEPHANT, lot, {"CHF": Decimal("1.12")})
    assert with_rate is not None and with_rate.is_below_budget is True
    assert with_rate.price_usd == Decimal("2016.00")


def test_text_falls_back_to_the_title_but_silence_is_unknown() -> None:
    item = ItemCriteria(issuer="Otho", denomination="Denarius")
    titled = LotFacts(title="Otho, AD 69. AR Denarius (18mm, 3.41 g). Rome mint.")
    outcomes, _ = evaluate(item, titled)
    assert outcomes == {"issuer": Outcome.MET, "denomination": Outcome.MET}
    silent = LotFacts(title="Lot of Roman silver")
    assert evaluate(item, silent)[0] == {"issuer": Outcome.UNKNOWN, "denomination": Outcome.UNKNOWN}


def test_a_per_ruler_number_under_another_ruler_does_not_confirm_the_type() -> None:
    otho = ItemCriteria(issuer="Otho", references=frozenset({key("RIC I² 8")}))
    galba = LotFacts(ruler="Galba", citations=(key("RIC I² 8"),))
    assert evaluate(otho, galba)[0]["reference"] is Outcome.UNKNOWN
    assert score_lot(otho, galba) is None


def test_grade_and_price_alone_do_not_identify_a_coin() -> None:
    item = ItemCriteria(min_grade=parse_grade("XF"), max_price=Decimal("500"))
    assert score_lot(item, LotFacts(grade=parse_grade("AU"), price=Decimal("100"))) is None


def test_soft_failures_below_the_threshold_drop_the_lot() -> None:
    item = ItemCriteria(issuer="Otho", denomination="Denarius", mint="Rome")
    vitellius = LotFacts(ruler="Vitellius", denomination="Denarius", mint="Lugdunum")
    assert score_lot(item, vitellius) is None
    otho_lyon = LotFacts(ruler="Otho", denomination="Denarius", mint="Lugdunum")
    scored = score_lot(item, otho_lyon)
    assert scored is not None and scored.score >= MIN_SCORE and scored.confidence == "low"


def test_an_item_without_criteria_matches_nothing() -> None:
    assert score_lot(ItemCriteria(), elephant_lot()) is None
