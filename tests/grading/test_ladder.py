"""The grade ladder: parsing, validation, ranking and canonical names."""

from __future__ import annotations

import pytest

from coinstack_graphql.grading.ladder import (
    LADDER,
    SHELDON_GRADES,
    Grade,
    GradeError,
    Rung,
    canonical_adjectival,
    grade_rank,
    meets_minimum,
    parse_grade,
    rung_for_numeric,
    rungs_between,
    validate_designation,
    validate_numeric,
    validate_strike_surface,
)

R = Rung

# text, rung, numeric, strike, surface, star, fine_style, qualifier
PARSED: list[tuple[str, Rung, int | None, int | None, int | None, bool, bool, str | None]] = [
    ("NGC Ch VF 5/5 - 4/5", R.CH_VF, None, 5, 4, False, False, None),
    ("Ch XF Strike: 5/5 Surface: 4/5 Fine Style", R.CH_XF, None, 5, 4, False, True, None),
    ("MS★ 5/5-5/5", R.MS, None, 5, 5, True, False, None),
    ("VF", R.VF, None, None, None, False, False, None),
    ("EF", R.XF, None, None, None, False, False, None),
    ("XF40", R.XF, 40, None, None, False, False, None),
    ("AU 58", R.CH_AU, 58, None, None, False, False, None),
    ("gVF", R.VF, None, None, None, False, False, "g"),
    ("Good Very Fine", R.VF, None, None, None, False, False, "g"),
    ("Extremely Fine", R.XF, None, None, None, False, False, None),
    ("aEF", R.XF, None, None, None, False, False, "a"),
    ("VF/EF", R.VF, None, None, None, False, False, "/XF"),
    ("Fine+", R.F, None, None, None, False, False, "+"),
    ("MS 63", R.CH_MS, 63, None, None, False, False, None),
    ("Gem MS", R.GEM_MS, None, None, None, False, False, None),
    ("Choice AU", R.CH_AU, None, None, None, False, False, None),
    ("PCGS AU55", R.CH_AU, 55, None, None, False, False, None),
    ("nEF", R.XF, None, None, None, False, False, "n"),
    ("about EF", R.XF, None, None, None, False, False, "a"),
    ("Nearly Extremely Fine", R.XF, None, None, None, False, False, "n"),
    ("GVF", R.VF, None, None, None, False, False, "g"),
    ("VF+", R.VF, None, None, None, False, False, "+"),
    ("EF-", R.XF, None, None, None, False, False, "-"),
    ("EF/VF", R.VF, None, None, None, False, False, "/XF"),
    ("VF-EF", R.VF, None, None, None, False, False, "/XF"),
    ("Fine to Very Fine", R.F, None, None, None, False, False, "/VF"),
    ("Good Fine", R.F, None, None, None, False, False, "g"),
    ("About Good", R.AG, None, None, None, False, False, None),
    ("about Unc", R.AU, None, None, None, False, False, None),
    ("Poor", R.P, None, None, None, False, False, None),
    ("PO01", R.P, 1, None, None, False, False, None),
    ("FR02", R.FR, 2, None, None, False, False, None),
    ("Fair", R.FR, None, None, None, False, False, None),
    ("AG", R.AG, None, None, None, False, False, None),
    ("G 6", R.G, 6, None, None, False, False, None),
    ("Very Good", R.VG, None, None, None, False, False, None),
    ("VG08", R.VG, 8, None, None, False, False, None),
    ("F15", R.CH_F, 15, None, None, False, False, None),
    ("Ch F", R.CH_F, None, None, None, False, False, None),
    ("Ch. VF", R.CH_VF, None, None, None, False, False, None),
    ("VF 30", R.VF, 30, None, None, False, False, None),
    ("XF 45", R.CH_XF, 45, None, None, False, False, None),
    ("AU-50", R.AU, 50, None, None, False, False, None),
    ("Choice Extremely Fine", R.CH_XF, None, None, None, False, False, None),
    ("Gem MS★ 5/5 - 5/5 Fine Style", R.GEM_MS, None, 5, 5, True, True, None),
    ("NGC Ch AU 5/5 - 3/5, Fine Style", R.CH_AU, None, 5, 3, False, True, None),
    ("NGC XF Strike: 4/5 Surface: 3/5", R.XF, None, 4, 3, False, False, None),
    ("Ch AU* Strike: 5/5 Surface: 5/5 Fine Style", R.CH_AU, None, 5, 5, True, True, None),
    ("ch vf 4/5 - 4/5", R.CH_VF, None, 4, 4, False, False, None),
    ("MS64+", R.CH_MS, 64, None, None, False, False, "+"),
    ("MS 70", R.GEM_MS, 70, None, None, False, False, None),
    ("Gem Unc", R.GEM_MS, None, None, None, False, False, None),
    ("Mint State", R.MS, None, None, None, False, False, None),
    ("About Uncirculated", R.AU, None, None, None, False, False, None),
    ("Fine Fine Style", R.F, None, None, None, False, True, None),
    ("VF Strike: 3/5", R.VF, None, 3, None, False, False, None),
]


@pytest.mark.parametrize(
    ("text", "rung", "numeric", "strike", "surface", "star", "fine_style", "qualifier"), PARSED
)
def test_parse_grade(
    text: str,
    rung: Rung,
    numeric: int | None,
    strike: int | None,
    surface: int | None,
    star: bool,
    fine_style: bool,
    qualifier: str | None,
) -> None:
    grade = parse_grade(text)
    assert grade == Grade(
        rung=rung,
        numeric=numeric,
        strike=strike,
        surface=surface,
        star=star,
        fine_style=fine_style,
        qualifier=qualifier,
    )
    assert grade.adjectival == next(i.abbreviation for i in LADDER if i.rung is rung)


@pytest.mark.parametrize("text", [row[0] for row in PARSED])
def test_label_reads_back_to_the_same_grade(text: str) -> None:
    grade = parse_grade(text)
    assert parse_grade(grade.label) == grade


def test_labels() -> None:
    assert parse_grade("NGC Ch VF 5/5 - 4/5").label == "Ch VF 5/5 - 4/5"
    assert parse_grade("Good Very Fine").label == "gVF"
    assert parse_grade("EF/VF").label == "VF/XF"
    assert parse_grade("PCGS MS64+").label == "Ch MS 64+"
    assert parse_grade("MS* 5/5-5/5 fine style").label == "MS★ 5/5 - 5/5 Fine Style"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "NGC",
        "5/5 - 4/5",
        "63",
        "about",
        "Superb",
        "VF, toned",
        "G VF",
        "Gem XF",
        "Ch G",
        "Choice Fair",
        "VF 45",
        "Ch XF 40",
        "Gem MS 64",
        "Ch MS 62",
        "MS 72",
        "G 5",
        "XF 6/5 - 4/5",
        "XF 0/5 - 4/5",
        "VF Strike: 5/5 Strike: 4/5",
        "gVF 30",
        "XF 40-",
        "gVF+",
        "gVF/EF",
        "VF/EF 30",
        "VF/EF/AU",
    ],
)
def test_invalid_grades_raise(text: str) -> None:
    with pytest.raises(GradeError):
        parse_grade(text)


def test_grade_error_says_what_was_expected() -> None:
    with pytest.raises(GradeError, match="a grade such as 'VF'"):
        parse_grade("VF, toned")
    with pytest.raises(GradeError, match=r"XF needs a numeric grade of 40 or 45; got 35 \(Ch VF\)"):
        parse_grade("XF 35")
    with pytest.raises(GradeError, match="'Gem' applies to MS only"):
        parse_grade("Gem AU")


def test_grade_error_is_a_value_error() -> None:
    assert issubclass(GradeError, ValueError)


def test_ladder_order_and_sheldon_set() -> None:
    assert [info.rung for info in LADDER] == list(Rung)
    assert SHELDON_GRADES == {
        1, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 45,
        50, 53, 55, 58, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
    }  # fmt: skip
    numerics = [n for info in LADDER for n in info.numerics]
    assert numerics == sorted(SHELDON_GRADES)


@pytest.mark.parametrize("value", sorted(SHELDON_GRADES))
def test_valid_numerics(value: int) -> None:
    validate_numeric(value)


@pytest.mark.parametrize(
    "value", [0, -1, 5, 7, 9, 11, 13, 14, 16, 19, 21, 36, 46, 51, 54, 59, 71, 100]
)
def test_invalid_numerics(value: int) -> None:
    with pytest.raises(GradeError, match="Sheldon"):
        validate_numeric(value)


def test_numeric_must_be_an_int() -> None:
    with pytest.raises(GradeError):
        validate_numeric(True)
    with pytest.raises(GradeError):
        validate_numeric("63")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("numeric", "adjectival"),
    [
        (1, "P"), (2, "Fr"), (3, "AG"), (4, "G"), (6, "G"), (8, "VG"), (10, "VG"),
        (12, "F"), (15, "Ch F"), (20, "VF"), (30, "VF"), (35, "Ch VF"), (40, "XF"),
        (45, "Ch XF"), (50, "AU"), (53, "AU"), (55, "Ch AU"), (58, "Ch AU"), (60, "MS"),
        (62, "MS"), (63, "Ch MS"), (64, "Ch MS"), (65, "Gem MS"), (70, "Gem MS"),
    ],
)  # fmt: skip
def test_canonical_adjectival(numeric: int, adjectival: str) -> None:
    assert canonical_adjectival(numeric) == adjectival


def test_canonical_adjectival_rejects_off_scale_numbers() -> None:
    with pytest.raises(GradeError):
        canonical_adjectival(7)


@pytest.mark.parametrize(
    ("designation", "numeric"),
    [
        ("Gem", 65),
        ("Gem", 70),
        ("Choice", 63),
        ("Choice", 64),
        ("Ch", 35),
        ("Choice", 15),
        ("Choice", 45),
        ("Choice", 55),
        ("Choice", 58),
        ("Fine Style", 20),
        ("Fine Style", None),
        (None, 20),
        (None, None),
        ("Gem", None),
        ("XF", 45),
        ("XF", 40),
        ("Ch MS", 63),
        ("Gem MS", 67),
    ],
)
def test_designations_that_agree(designation: str | None, numeric: int | None) -> None:
    validate_designation(designation, numeric)


@pytest.mark.parametrize(
    ("designation", "numeric", "message"),
    [
        ("Gem", 64, "'Gem' needs a Mint State numeric grade of 65 to 70; got 64"),
        ("Gem", 45, "'Gem' needs"),
        ("Choice", 62, "'Choice' needs"),
        ("Choice", 65, r"got 65 \(Gem MS\)"),
        ("Choice", 50, "'Choice' needs"),
        ("Choice", 40, "'Choice' needs"),
        ("Ch MS", 62, "Ch MS needs a numeric grade of 63 or 64; got 62"),
        ("Ch MS", 65, "Ch MS needs"),
        ("Gem MS", 64, "Gem MS needs"),
        ("XF", 35, "XF needs"),
        ("Bogus", 20, "unknown designation"),
        (None, 7, "Sheldon"),
        ("Choice", 7, "Sheldon"),
    ],
)
def test_designations_that_disagree(designation: str | None, numeric: int, message: str) -> None:
    with pytest.raises(GradeError, match=message):
        validate_designation(designation, numeric)


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_valid_strike_surface(value: int) -> None:
    validate_strike_surface(value)


@pytest.mark.parametrize("value", [0, 6, -1, True])
def test_invalid_strike_surface(value: int) -> None:
    with pytest.raises(GradeError, match="1 to 5"):
        validate_strike_surface(value)


def test_grade_checks_itself() -> None:
    assert Grade(Rung.CH_VF).adjectival == "Ch VF"
    with pytest.raises(GradeError):
        Grade(Rung.VF, numeric=45)
    with pytest.raises(GradeError):
        Grade(Rung.XF, numeric=45)  # 45 is Ch XF
    with pytest.raises(GradeError):
        Grade(Rung.VF, adjectival="XF")
    with pytest.raises(GradeError):
        Grade(Rung.VF, strike=0)
    with pytest.raises(GradeError):
        Grade(Rung.VF, surface=6)
    with pytest.raises(GradeError):
        Grade(Rung.XF, qualifier="/VF")
    with pytest.raises(GradeError):
        Grade(Rung.VF, qualifier="?")
    with pytest.raises(GradeError):
        Grade(Rung.G, qualifier="a")


def ranks(*texts: str) -> list[float]:
    return [grade_rank(text) for text in texts]


def test_rungs_are_strictly_ordered() -> None:
    values = [grade_rank(info.abbreviation) for info in LADDER]
    assert values == sorted(values) and len(set(values)) == len(values)


def test_numerics_are_strictly_ordered() -> None:
    values = [grade_rank(Grade(rung_for_numeric(n), numeric=n)) for n in sorted(SHELDON_GRADES)]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))


def test_choice_rungs_sit_between_plain_rungs() -> None:
    f, ch_f, vf, ch_vf, xf = ranks("F", "Ch F", "VF", "Ch VF", "XF")
    assert f < ch_f < vf < ch_vf < xf


def test_qualifiers_and_splits_rank_between_rungs() -> None:
    vf, gvf, vf_plus, split, ch_vf, aef, nef, ef_minus, ef = ranks(
        "VF", "gVF", "VF+", "VF/EF", "Ch VF", "aEF", "nEF", "EF-", "EF"
    )
    assert vf < gvf == vf_plus == split < ch_vf < aef == nef == ef_minus < ef
    assert grade_rank("F") < grade_rank("F/VF") < grade_rank("Ch F")
    assert grade_rank("EF/VF") == grade_rank("VF/EF")


def test_numbers_climb_within_a_rung() -> None:
    assert grade_rank("VF") == grade_rank("VF 20") < grade_rank("VF 25") < grade_rank("VF 30")
    assert grade_rank("VF 30") < grade_rank("Ch VF")
    assert grade_rank("MS 64") < grade_rank("MS64+") < grade_rank("MS 65") < grade_rank("MS 70")


def test_rungs_between() -> None:
    assert rungs_between("VF", "XF") == 2
    assert rungs_between("XF", "VF") == -2
    assert rungs_between("F", "Ch F") == 1
    assert rungs_between(parse_grade("VF"), "VF") == 0
    assert rungs_between("VF", "gVF") == 0.5


def test_meets_minimum() -> None:
    assert meets_minimum("AU 58", "XF")
    assert meets_minimum("VF 30", "VF")
    assert meets_minimum("Ch VF", "VF/EF")
    assert meets_minimum(parse_grade("NGC XF 5/5 - 4/5"), "EF")
    assert not meets_minimum("VF", "Ch VF")
    assert not meets_minimum("VF", "VF 30")
    assert not meets_minimum("MS 65", "MS 67")
    assert not meets_minimum("aEF", "EF")


def test_rank_rejects_bad_text() -> None:
    with pytest.raises(GradeError):
        grade_rank("splendid")
