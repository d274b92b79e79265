"""Citation parsing: real citations as collectors and auction houses write them."""

from __future__ import annotations

import pytest

from coinstack_graphql.references.citations import (
    CitationError,
    ParsedCitation,
    build_citation,
    clean_citation_text,
    parse_citation,
    parse_citations,
)

# text, system, volume, number, number_numeric, edition, local_ref, normalized
VALID = [
    # Augustus, Lugdunum denarius, Gaius and Lucius Caesares
    ("RIC I² 207", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    ("RIC I(2) 207", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    ("RIC 1(2) 207", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    ("RIC I2 207", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    ("ric i^2 no. 207", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    # Tiberius, the "tribute penny"
    ("RIC I (2nd ed.) 26", "ric", "1", "26", 26, "2", "RIC I² 26", "ric.1(2).26"),
    ("RIC I (second edition) 26", "ric", "1", "26", 26, "2", "RIC I² 26", "ric.1(2).26"),
    ("RIC I 207", "ric", "1", "207", 207, None, "RIC I 207", "ric.1.207"),
    ("RIC 207", "ric", None, "207", 207, None, "RIC 207", "ric.207"),
    ("RIC II 118", "ric", "2", "118", 118, None, "RIC II 118", "ric.2.118"),
    # Hadrian in the 1926 numbering, as OCRE's ric.2.hdn.39b
    ("RIC II 39b", "ric", "2", "39b", 39, None, "RIC II 39b", "ric.2.39b"),
    # Vespasian, Annona denarius
    ("RIC II.1² 772", "ric", "2.1", "772", 772, "2", "RIC II.1² 772", "ric.2_1(2).772"),
    ("RIC II-1 772", "ric", "2.1", "772", 772, "2", "RIC II.1² 772", "ric.2_1(2).772"),
    ("RIC 2.1(2) 772", "ric", "2.1", "772", 772, "2", "RIC II.1² 772", "ric.2_1(2).772"),
    # Hadrian in RIC II.3 (2019)
    ("RIC II.3 1648", "ric", "2.3", "1648", 1648, "2", "RIC II.3² 1648", "ric.2_3(2).1648"),
    # Marcus Aurelius
    ("RIC III 203", "ric", "3", "203", 203, None, "RIC III 203", "ric.3.203"),
    # Septimius Severus; Caracalla; Philip I
    ("RIC IV.1 119A", "ric", "4.1", "119A", 119, None, "RIC IV.1 119A", "ric.4_1.119A"),
    ("RIC IV-1 238A", "ric", "4.1", "238A", 238, None, "RIC IV.1 238A", "ric.4_1.238A"),
    ("RIC IV pt. 3 27A", "ric", "4.3", "27A", 27, None, "RIC IV.3 27A", "ric.4_3.27A"),
    # Valerian I, type 94A subtype 5 as OCRE numbers it
    ("RIC V 94A.5", "ric", "5", "94A.5", 94, None, "RIC V 94A.5", "ric.5.94A.5"),
    # Postumus
    ("RIC V part 2 75", "ric", "5.2", "75", 75, None, "RIC V.2 75", "ric.5_2.75"),
    ("RIC VI Rome 327b", "ric", "6", "327b", 327, None, "RIC VI Rome 327b", "ric.6.rome.327b"),
    # Constantine I
    ("RIC VII Siscia 213", "ric", "7", "213", 213, None, "RIC VII Siscia 213", "ric.7.siscia.213"),
    ("RIC VII Treveri 237", "ric", "7", "237", 237, None, "RIC VII Trier 237", "ric.7.trier.237"),
    ("RIC VII, Nicomedia 9", "ric", "7", "9", 9, None, "RIC VII Nicomedia 9", "ric.7.nicomedia.9"),
    ("RIC VIII Antioch 45", "ric", "8", "45", 45, None, "RIC VIII Antioch 45", "ric.8.antioch.45"),
    (
        "RIC IX Thessalonica 27B.III",
        "ric", "9", "27B.iii", 27, None,
        "RIC IX Thessalonica 27B.iii", "ric.9.thessalonica.27B.iii",
    ),
    # Honorius, solidus of Ravenna
    ("RIC X 1287", "ric", "10", "1287", 1287, None, "RIC X 1287", "ric.10.1287"),
    # Caesar's elephant denarius; Brutus EID MAR; the first denarius
    ("Crawford 443/1", "crawford", None, "443/1", 443, None, "Crawford 443/1", "crawford.443.1"),
    ("Cr. 494/23", "crawford", None, "494/23", 494, None, "Crawford 494/23", "crawford.494.23"),
    ("RRC 508/3", "crawford", None, "508/3", 508, None, "Crawford 508/3", "crawford.508.3"),
    ("Craw. 335/1C", "crawford", None, "335/1c", 335, None, "Crawford 335/1c", "crawford.335.1c"),
    ("RRC 44/5", "crawford", None, "44/5", 44, None, "Crawford 44/5", "crawford.44.5"),
    ("Crawford 443", "crawford", None, "443", 443, None, "Crawford 443", "crawford.443"),
    ("RPC I 4567", "rpc", "1", "4567", 4567, None, "RPC I 4567", "rpc.1.4567"),
    ("RPC 1, 522", "rpc", "1", "522", 522, None, "RPC I 522", "rpc.1.522"),
    ("RPC II 1234", "rpc", "2", "1234", 1234, None, "RPC II 1234", "rpc.2.1234"),
    ("RPC I 2317A", "rpc", "1", "2317A", 2317, None, "RPC I 2317A", "rpc.1.2317A"),
    ("RPC Online IV.3 12345", "rpc", "4.3", "12345", 12345, None, "RPC IV.3 12345",
     "rpc.4_3.12345"),
    # Mallos in Cilicia, a provisional RPC IV number
    ("RPC IV 6897 (temp.)", "rpc", "4", "6897", 6897, None, "RPC IV 6897", "rpc.4.6897"),
    ("RSC 43", "rsc", None, "43", 43, None, "RSC 43", "rsc.43"),
    ("RSC II 117", "rsc", "2", "117", 117, None, "RSC II 117", "rsc.2.117"),
    ("BMCRE 533", "bmcre", None, "533", 533, None, "BMCRE 533", "bmcre.533"),
    ("BMCRE I 533", "bmcre", "1", "533", 533, None, "BMCRE I 533", "bmcre.1.533"),
    ("BMC RE III 1021", "bmcre", "3", "1021", 1021, None, "BMCRE III 1021", "bmcre.3.1021"),
    ("Sear 1234", "sear", None, "1234", 1234, None, "Sear 1234", "sear.1234"),
    ("S. 1597", "sear", None, "1597", 1597, None, "Sear 1597", "sear.1597"),
    ("SRCV I 1597", "sear", "1", "1597", 1597, None, "SRCV I 1597", "sear.srcv.1.1597"),
    ("SRCV II 5678", "sear", "2", "5678", 5678, None, "SRCV II 5678", "sear.srcv.2.5678"),
    ("SG 6047", "sear", None, "6047", 6047, None, "SG 6047", "sear.sg.6047"),
    ("Sear Imperators 216", "sear", None, "216", 216, None, "CRI 216", "sear.cri.216"),
    ("Sydenham 1006", "sydenham", None, "1006", 1006, None, "Sydenham 1006", "sydenham.1006"),
    ("Syd. 1301", "sydenham", None, "1301", 1301, None, "Sydenham 1301", "sydenham.1301"),
    ("SNG Cop 123", "sng", None, "123", 123, None, "SNG Cop 123", "sng.cop.123"),
    ("SNG Copenhagen 123", "sng", None, "123", 123, None, "SNG Cop 123", "sng.cop.123"),
    ("SNG ANS 5, 1234", "sng", "5", "1234", 1234, None, "SNG ANS 5 1234", "sng.ans.5.1234"),
    ("SNG von Aulock 456", "sng", None, "456", 456, None, "SNG von Aulock 456",
     "sng.von_aulock.456"),
    ("SNGvA 456", "sng", None, "456", 456, None, "SNG von Aulock 456", "sng.von_aulock.456"),
    ("SNG Muenchen 123", "sng", None, "123", 123, None, "SNG München 123", "sng.munchen.123"),
    ("BMC Ionia 123", "bmc", "Ionia", "123", 123, None, "BMC Ionia 123", "bmc.ionia.123"),
    ("BMC 298", "bmc", None, "298", 298, None, "BMC 298", "bmc.298"),
    ("HN Italy 123", "hn", "Italy", "123", 123, None, "HN Italy 123", "hn.italy.123"),
    ("HN³ 1435", "hn", "Italy", "1435", 1435, None, "HN Italy 1435", "hn.italy.1435"),
    ("Cohen 43", "other", None, "43", 43, None, "Cohen 43", "other.cohen.43"),
    # Pasted text: full-width letters, a roman-numeral glyph, Cyrillic look-alikes, brackets
    ("ＲＩＣ Ⅱ 118", "ric", "2", "118", 118, None, "RIC II 118", "ric.2.118"),
    ("RІС ІІ 118", "ric", "2", "118", 118, None, "RIC II 118", "ric.2.118"),
    ("(RIC  I²\u00a0207.)", "ric", "1", "207", 207, "2", "RIC I² 207", "ric.1(2).207"),
    ("Crawford 494 / 23", "crawford", None, "494/23", 494, None, "Crawford 494/23",
     "crawford.494.23"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "system", "volume", "number", "numeric", "edition", "local_ref", "normalized"),
    VALID,
)
def test_parses_real_citations(
    text: str,
    system: str,
    volume: str | None,
    number: str,
    numeric: int,
    edition: str | None,
    local_ref: str,
    normalized: str,
) -> None:
    parsed = parse_citation(text)
    assert (parsed.system, parsed.volume, parsed.number) == (system, volume, number)
    assert (parsed.number_numeric, parsed.edition) == (numeric, edition)
    assert (parsed.local_ref, parsed.normalized) == (local_ref, normalized)


@pytest.mark.parametrize("text", [row[0] for row in VALID])
def test_local_ref_parses_back_to_the_same_citation(text: str) -> None:
    parsed = parse_citation(text)
    assert parse_citation(parsed.local_ref) == parsed


def test_keys_are_one_to_one_with_display_forms() -> None:
    pairs = {(parse_citation(row[0]).local_ref, parse_citation(row[0]).normalized) for row in VALID}
    assert len({local for local, _ in pairs}) == len({key for _, key in pairs}) == len(pairs)


def test_ric_letter_case_separates_types() -> None:
    # OCRE holds both ric.4.mcs.44a and ric.4.mcs.44A (Macrinus): different coins.
    lower, upper = parse_citation("RIC IV.2 44a"), parse_citation("RIC IV.2 44A")
    assert lower.normalized != upper.normalized


def test_late_roman_mints_are_canonical() -> None:
    assert parse_citation("RIC VII Lugdunum 12").mint == "Lyons"
    assert parse_citation("RIC IX Constantinopolis 86").mint == "Constantinople"
    assert parse_citation("RIC VIII Arelate 213").local_ref == "RIC VIII Arles 213"


def test_sng_and_sear_carry_collection_and_series() -> None:
    ans = parse_citation("SNG ANS 5, 1234")
    assert (ans.sng_volume, ans.volume, ans.series) == ("ANS 5", "5", None)
    assert parse_citation("SNG Cop. 123").sng_volume == "Cop"
    assert parse_citation("SNG Righetti 12").sng_volume == "Righetti"  # unknown: kept
    assert parse_citation("SRCV II 5678").series == "srcv"
    assert parse_citation("SG 6047").series == "sg"
    assert parse_citation("Sear 1234").series is None


def test_build_citation_matches_parse() -> None:
    built = build_citation("ric", "772", volume="2.1", edition="2")
    assert built == parse_citation("RIC II.1² 772")
    assert build_citation("sng", "123", sng_volume="Cop") == parse_citation("SNG Cop 123")


def test_clean_folds_lookalikes() -> None:
    assert clean_citation_text("  RIC\u00a0II\u2013I  ") == "RIC II-I"
    assert clean_citation_text("RIC I²") == "RIC I^2"


# text, a fragment the message must contain
MALFORMED = [
    ("", "empty citation"),
    ("   ", "empty citation"),
    ("RIC", "has no number"),
    ("RIC I² ", "has no number"),
    ("RIC XIV 12", "'XIV' is not a volume (RIC has I–X)"),
    ("RIC 14 12", "'14' is not a volume"),
    ("Crawford /23", "the number before '/' is missing"),
    ("Crawford 494/", "has no number"),
    ("XYZ 12", "unrecognised catalogue 'XYZ 12'"),
    ("Rice 12", "unrecognised catalogue"),
    ("RIC 207 var.", "qualified by 'var'"),
    ("cf. RIC 207", "qualified by 'cf'"),
    ("RIC I² 207abc", "cannot read"),
    ("RIC I² 2O7", "cannot read"),
    ("RIC VII Atlantis 12", "unknown mint 'Atlantis'"),
    ("RIC II Hadrian 39b", "RIC I–V number types per emperor"),
    ("RIC Rome 123", "a mint needs its volume"),
    ("RIC V.4 12", "RIC V has parts 1, 2"),
    ("RIC VI.1 12", "RIC VI has no parts"),
    ("RIC V2 94", "glued to the volume"),
    ("RIC II.1 (1st ed.) 772", "only in the second edition"),
    ("RIC 0", "numbers start at 1"),
    ("RPC XI 123", "'XI' is not a volume (RPC has I–X)"),
    ("BMCRE VII 12", "BMCRE has volumes I–VI"),
    ("SNG 123", "the collection is missing"),
    ("HN² 123", "only HN Italy"),
    ("12 RIC", "unrecognised catalogue"),
]


@pytest.mark.parametrize(("text", "fragment"), MALFORMED)
def test_malformed_citations_say_what_was_expected(text: str, fragment: str) -> None:
    with pytest.raises(CitationError) as raised:
        parse_citation(text)
    message = str(raised.value)
    assert fragment in message
    assert "expected" in message


def test_citation_error_is_a_value_error() -> None:
    assert issubclass(CitationError, ValueError)


def test_parses_an_auction_description() -> None:
    parsed = parse_citations("RIC I² 207; RSC 43; BMCRE 533")
    assert [p.normalized for p in parsed] == ["ric.1(2).207", "rsc.43", "bmcre.533"]


def test_commas_split_only_before_a_catalogue() -> None:
    # Caesar's elephant denarius as lots cite it
    parsed = parse_citations("Crawford 443/1, Sydenham 1006, RSC 49")
    assert [p.local_ref for p in parsed] == ["Crawford 443/1", "Sydenham 1006", "RSC 49"]
    refs = parse_citations("SNG ANS 5, 1234, RPC I, 4567 = S 1597;")
    assert [p.local_ref for p in refs] == ["SNG ANS 5 1234", "RPC I 4567", "Sear 1597"]


def test_a_bad_part_is_named() -> None:
    with pytest.raises(CitationError, match=r"citation 2 of 3, 'XYZ 12': unrecognised.*expected"):
        parse_citations("RIC I² 207; XYZ 12; RSC 43")


def test_no_citations_is_empty() -> None:
    assert parse_citations("") == []
    assert parse_citations(" ; ") == []


def test_parsed_citation_is_frozen() -> None:
    parsed: ParsedCitation = parse_citation("RIC I² 207")
    with pytest.raises(AttributeError):
        parsed.number = "208"  # type: ignore[misc]
