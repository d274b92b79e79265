"""Integrity of the demo collection data (coinstack_graphql.demo.catalogue)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from coinstack_graphql.coins.enums import (
    AuthorityType,
    Category,
    CountermarkCondition,
    CountermarkPlacement,
    CountermarkType,
    DatingCertainty,
    FlanShape,
    GradeService,
    GradingState,
    HolderType,
    Metal,
    PortraitRelationship,
    ProvenanceType,
    PunchShape,
    Rarity,
)
from coinstack_graphql.coins.treatments import parse_secondary_treatments
from coinstack_graphql.collections.models import CollectionType
from coinstack_graphql.demo.catalogue import (
    AUCTION_LOTS,
    COINS,
    COINS_BY_KEY,
    COLLECTIONS,
    CONCORDANCE_GROUPS,
    DEMO_AS_OF,
    MINT_NAMES,
    MINTS,
    PRICE_ALERTS,
    SERIES,
    VOCAB_TERMS,
    WISHLIST,
)
from coinstack_graphql.demo.catalogue_auctions import sale_name_for
from coinstack_graphql.grading.certificates import validate_cert_number
from coinstack_graphql.grading.ladder import Rung, parse_grade, rung_for_numeric
from coinstack_graphql.grading.models import (
    GradingEventType,
    RarityCode,
    RaritySourceType,
    RaritySystem,
)
from coinstack_graphql.market.models import AlertStatus, AlertTrigger
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.vocab.models import Vocabulary
from coinstack_graphql.wishlist.models import WishlistStatus

CURRENCIES = {"USD", "EUR", "GBP", "CHF"}
FIRST_ACQUISITION = date(2008, 1, 1)


def _values(enum: type) -> set[str]:
    return {member.value for member in enum}  # type: ignore[attr-defined]


def _assert_canonical_citation(citation: str, where: str) -> None:
    parsed = parse_citation(citation)
    assert parsed.local_ref == citation, f"{where}: {citation!r} reads as {parsed.local_ref!r}"


def _by_key(items: object) -> dict[str, object]:
    return {item.key: item for item in items}  # type: ignore[attr-defined]


# --- coins: counts, keys, enums ------------------------------------------------------------


def test_collection_size_and_category_spread() -> None:
    assert len(COINS) >= 160
    spread = Counter(c.category for c in COINS)
    assert spread["republic"] >= 30
    assert spread["imperial"] >= 45
    assert spread["provincial"] + spread["judaean"] >= 20
    assert spread["greek"] >= 20
    assert spread["byzantine"] >= 20


def test_keys_are_unique() -> None:
    for name, keys in {
        "coins": [c.key for c in COINS],
        "collections": [c.key for c in COLLECTIONS],
        "collection slugs": [c.slug for c in COLLECTIONS],
        "series": [s.key for s in SERIES],
        "series slugs": [s.slug for s in SERIES],
        "wishlist": [w.key for w in WISHLIST],
        "alerts": [a.key for a in PRICE_ALERTS],
    }.items():
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, f"duplicate {name}: {dupes}"
    assert set(COINS_BY_KEY) == {c.key for c in COINS}
    assert all(re.fullmatch(r"[a-z]{3,4}-[a-z0-9-]+-\d+", c.key) for c in COINS)


def test_coin_fields_use_project_enum_values() -> None:
    checks = {
        "category": _values(Category),
        "metal": _values(Metal),
        "dating_certainty": _values(DatingCertainty),
        "grading_state": _values(GradingState),
        "holder_type": _values(HolderType),
        "flan_shape": _values(FlanShape),
    }
    optional = {
        "grade_service": _values(GradeService),
        "rarity": _values(Rarity),
        "authority_type": _values(AuthorityType),
        "portrait_relationship": _values(PortraitRelationship),
    }
    for coin in COINS:
        for field, allowed in checks.items():
            assert getattr(coin, field) in allowed, f"{coin.key}.{field}"
        for field, allowed in optional.items():
            value = getattr(coin, field)
            assert value is None or value in allowed, f"{coin.key}.{field}={value!r}"
        assert coin.script in {"latin", "greek"}, coin.key
        assert coin.acquisition_currency in CURRENCIES, coin.key


def test_every_mint_referenced_exists() -> None:
    for coin in COINS:
        assert coin.mint is None or coin.mint in MINT_NAMES, f"{coin.key}: {coin.mint}"
    for lot in AUCTION_LOTS:
        assert lot.mint is None or lot.mint in MINT_NAMES, f"{lot.url}: {lot.mint}"
    for wish in WISHLIST:
        assert wish.mint is None or wish.mint in MINT_NAMES, f"{wish.key}: {wish.mint}"


def test_mints_are_real_sites() -> None:
    assert len(MINTS) >= 30
    assert len({m.name for m in MINTS}) == len(MINTS)
    nomisma = [m.nomisma_id for m in MINTS if m.nomisma_id]
    assert len(nomisma) == len(set(nomisma))
    for mint in MINTS:
        assert -90 < mint.latitude < 90 and -180 < mint.longitude < 180, mint.name
        for value in (mint.latitude, mint.longitude):
            assert -Decimal(str(value)).as_tuple().exponent <= 6, mint.name  # type: ignore[operator]
        # The collection is Mediterranean and European: a sanity box catches swapped axes.
        assert 25 < mint.latitude < 55 and -10 < mint.longitude < 50, mint.name


def test_vocabulary_covers_the_coins() -> None:
    vocabularies = _values(Vocabulary)
    names: dict[str, set[str]] = defaultdict(set)
    for term in VOCAB_TERMS:
        assert term.vocabulary in vocabularies, term
        assert term.canonical_name not in names[term.vocabulary], term.canonical_name
        names[term.vocabulary].add(term.canonical_name)
        assert term.description
    for term in VOCAB_TERMS:
        if term.parent is not None:
            assert term.vocabulary == "issuer" and term.parent in names["dynasty"], term
    assert names["mint"] == set(MINT_NAMES)
    for coin in COINS:
        assert coin.issuer in names["issuer"], f"{coin.key}: issuer {coin.issuer!r}"
        assert coin.denomination in names["denomination"], f"{coin.key}: {coin.denomination!r}"
    for wish in WISHLIST:
        assert wish.issuer is None or wish.issuer in names["issuer"], wish.key
        assert wish.denomination is None or wish.denomination in names["denomination"]
    for vocabulary in ("issuer", "denomination", "dynasty"):
        nomisma = [t.nomisma_id for t in VOCAB_TERMS if t.vocabulary == vocabulary and t.nomisma_id]
        assert len(nomisma) == len(set(nomisma)), vocabulary


# --- coins: physical data and dating --------------------------------------------------------


def test_dates_are_ordered_and_real_years() -> None:
    for coin in COINS:
        assert coin.year_start <= coin.year_end, coin.key
        assert 0 not in (coin.year_start, coin.year_end), f"{coin.key}: there is no year 0"
        assert -700 < coin.year_start and coin.year_end < 1300, coin.key
        bc = coin.year_end < 0
        assert ("BC" in coin.date_period_notation) == bc or coin.year_start < 0, coin.key
        if coin.is_circa:
            assert coin.date_period_notation.startswith(("c. ", "after ")), coin.key


def test_die_axis_weight_and_diameter() -> None:
    for coin in COINS:
        assert coin.die_axis is None or 0 <= coin.die_axis <= 12, coin.key
        assert isinstance(coin.weight_g, Decimal) and isinstance(coin.diameter_mm, Decimal)
        assert Decimal("0.5") < coin.weight_g < Decimal("40"), coin.key
        assert coin.weight_g.as_tuple().exponent == -3, f"{coin.key}: weight to 3 decimals"
        assert Decimal("10") <= coin.diameter_mm <= Decimal("45"), coin.key
    gold = [c for c in COINS if c.metal == "gold"]
    assert gold and all(Decimal("3.5") < c.weight_g < Decimal("4.6") for c in gold)


def test_strike_and_die_study_flags() -> None:
    for coin in COINS:
        if coin.is_off_center:
            assert coin.off_center_pct is not None and 0 < coin.off_center_pct < 100
        else:
            assert coin.off_center_pct is None, coin.key
        for die in (coin.obverse_die_id, coin.reverse_die_id):
            assert die is None or re.fullmatch(r"[ODR]\d+", die), coin.key
        if coin.portrait_relationship is not None:
            assert coin.portrait_subject, coin.key
    assert sum(c.obverse_die_id is not None for c in COINS) >= 3
    assert any(c.is_double_struck for c in COINS)
    assert any(c.is_off_center for c in COINS)
    assert sum(c.find_spot is not None for c in COINS) >= 1
    assert sum(c.historical_significance is not None for c in COINS) >= 15


# --- references and concordance ---------------------------------------------------------------


def test_every_coin_has_canonical_references() -> None:
    for coin in COINS:
        assert coin.references, f"{coin.key} has no reference"
        assert len(set(coin.references)) == len(coin.references), coin.key
        for citation in coin.references:
            _assert_canonical_citation(citation, coin.key)
        for text in coin.supplementary_references:
            assert text.strip() == text and text, coin.key


def test_concordance_groups() -> None:
    assert len(CONCORDANCE_GROUPS) >= 12
    seen: set[str] = set()
    for group in CONCORDANCE_GROUPS:
        assert len(group) >= 2, group
        works = [citation.rsplit(" ", 1)[0] for citation in group]
        assert len(set(works)) == len(works), f"one catalogue twice in {group}"
        for citation in group:
            _assert_canonical_citation(citation, "concordance")
            assert citation not in seen, f"{citation} is in two groups"
            seen.add(citation)
    # A coin citing two numbers of one group must not cite a number of another.
    for coin in COINS:
        groups = {i for i, g in enumerate(CONCORDANCE_GROUPS) for r in coin.references if r in g}
        assert len(groups) <= 1, coin.key


# --- grading ------------------------------------------------------------------------------


def test_grades_parse_and_match_the_holder() -> None:
    for coin in COINS:
        grade = parse_grade(coin.grade)
        if coin.grading_state == "slabbed":
            assert coin.grade_service in {"ngc", "pcgs"}, coin.key
            assert coin.certification_number, coin.key
            assert (
                validate_cert_number(coin.grade_service, coin.certification_number)
                == coin.certification_number
            ), coin.key
            assert coin.grade_numeric is not None, coin.key
            assert rung_for_numeric(coin.grade_numeric) == grade.rung, coin.key
            assert coin.holder_type == f"{coin.grade_service}_slab", coin.key
        else:
            assert coin.certification_number is None, coin.key
            assert coin.grade_service in {"self", "dealer", None}, coin.key
            assert coin.holder_type not in {"ngc_slab", "pcgs_slab"}, coin.key
        if coin.grade_service == "ngc":
            assert (grade.strike, grade.surface) == (
                coin.ngc_strike_grade,
                coin.ngc_surface_grade,
            ), coin.key
            assert grade.star == coin.has_star_designation, coin.key
            assert grade.fine_style == coin.is_fine_style, coin.key
            assert grade.label == coin.grade, f"{coin.key}: canonical label {grade.label!r}"
        else:
            assert coin.ngc_strike_grade is None and coin.ngc_surface_grade is None, coin.key
            assert not coin.has_star_designation and not coin.is_fine_style, coin.key
        if coin.grade_service == "pcgs":
            assert grade.numeric == coin.grade_numeric, coin.key
    slabbed = Counter(c.grade_service for c in COINS if c.grading_state == "slabbed")
    assert slabbed["ngc"] >= 6 and slabbed["pcgs"] >= 1


def test_grading_history_is_ordered_and_ends_at_the_current_state() -> None:
    kinds: Counter[str] = Counter()
    event_types = _values(GradingEventType)
    for coin in COINS:
        history = coin.grading_history
        if coin.grading_state == "slabbed":
            assert history, f"{coin.key}: slabbed coin without grading history"
        if not history:
            continue
        assert history[0].event_type == "initial", coin.key
        dates = [e.graded_date for e in history]
        assert dates == sorted(dates) and dates[-1] <= DEMO_AS_OF, coin.key
        for before, event in zip(history, history[1:], strict=False):
            assert event.event_type in event_types, coin.key
            kinds[event.event_type] += 1
            if event.event_type == "crossover":
                assert event.grade_service != before.grade_service, coin.key
            if event.event_type == "regrade":
                assert event.grade_service == before.grade_service, coin.key
                assert event.certification_number != before.certification_number, coin.key
            if event.event_type == "crack_out":
                assert event.grading_state == "raw" and event.certification_number is None
                assert before.grading_state == "slabbed", coin.key
        for event in history:
            assert event.grading_state in _values(GradingState), coin.key
            assert event.grade_service is None or event.grade_service in _values(GradeService)
            parsed = parse_grade(event.grade)
            if event.grade_numeric is not None:
                assert rung_for_numeric(event.grade_numeric) == parsed.rung, coin.key
            if event.certification_number is not None:
                assert event.grade_service is not None
                validate_cert_number(event.grade_service, event.certification_number)
            if event.grade_service == "ngc":
                assert (parsed.strike, parsed.surface) == (
                    event.strike_quality,
                    event.surface_quality,
                ), coin.key
        last = history[-1]
        assert last.grading_state == coin.grading_state, coin.key
        assert last.grade == coin.grade, coin.key
        assert last.certification_number == coin.certification_number, coin.key
        assert last.grade_service == coin.grade_service, coin.key
    assert kinds["crossover"] >= 1 and kinds["crack_out"] >= 1 and kinds["regrade"] >= 1
    crossovers = [
        (c.grading_history[0].grade_service, c.grading_history[-1].grade_service)
        for c in COINS
        if any(e.event_type == "crossover" for e in c.grading_history)
    ]
    assert ("pcgs", "ngc") in crossovers


def test_census_snapshots_add_up() -> None:
    coins = [c for c in COINS if c.census_snapshots]
    assert len(coins) >= 4
    for coin in coins:
        assert coin.grade_service == "ngc", coin.key
        own = parse_grade(coin.grade).rung
        dates = [s.snapshot_date for s in coin.census_snapshots]
        assert dates == sorted(dates) and dates[-1] <= DEMO_AS_OF
        for snap in coin.census_snapshots:
            assert snap.service in _values(GradeService)
            assert sum(snap.grade_breakdown.values()) == snap.total_graded, coin.key
            rungs: dict[Rung, int] = {}
            for label, count in snap.grade_breakdown.items():
                rung = parse_grade(label).rung
                assert rung not in rungs and count >= 0, coin.key
                rungs[rung] = count
            assert snap.coins_at_grade == rungs.get(own, 0), coin.key
            assert snap.coins_finer == sum(n for r, n in rungs.items() if r > own), coin.key
            if snap.catalog_reference:
                assert snap.catalog_reference == coin.references[0]
        totals = [s.total_graded for s in coin.census_snapshots]
        assert totals == sorted(totals), f"{coin.key}: a census only grows"


def test_rarity_assessments() -> None:
    coins = [c for c in COINS if c.rarity_assessments]
    assert len(coins) >= 10
    for coin in coins:
        assert len(coin.rarity_assessments) >= 2, coin.key
        assert sum(a.is_primary for a in coin.rarity_assessments) == 1, coin.key
        for a in coin.rarity_assessments:
            assert a.rarity_code in _values(RarityCode), coin.key
            assert a.rarity_system in _values(RaritySystem), coin.key
            assert a.source_type in _values(RaritySourceType), coin.key
            assert a.source_name, coin.key
            assert a.source_date is None or a.source_date <= DEMO_AS_OF


# --- secondary treatments and countermarks ------------------------------------------------


def test_secondary_treatments_read_as_v3_flags() -> None:
    treated = [c for c in COINS if c.secondary_treatments]
    assert len(treated) >= 8
    seen: set[str] = set()
    for coin in treated:
        raw = coin.secondary_treatments
        assert raw is not None
        flags = parse_secondary_treatments(dict(raw))
        seen.update(raw)
        if "test_cut" in raw:
            assert flags["has_test_cut"] and flags["test_cut_count"] == raw["test_cut"]["count"]
        if "bankers_marks" in raw:
            assert flags["has_bankers_marks"], coin.key
        if "mounted" in raw:
            assert flags["was_mounted"] and flags["mount_evidence"], coin.key
        if "overstrike" in raw:
            assert flags["is_overstrike"] and flags["undertype_attribution"], coin.key
        if "graffiti" in raw:
            assert flags["has_graffiti"] and flags["graffiti_description"], coin.key
    assert seen == {"test_cut", "bankers_marks", "mounted", "overstrike", "graffiti"}


def test_countermarks() -> None:
    marked = [c for c in COINS if c.countermarks]
    assert len(marked) >= 3
    assert any(c.category == "provincial" for c in marked)
    kinds = set()
    for coin in marked:
        for cm in coin.countermarks:
            assert cm.countermark_type in _values(CountermarkType), coin.key
            assert cm.position in _values(CountermarkPlacement), coin.key
            assert cm.condition in _values(CountermarkCondition), coin.key
            assert cm.punch_shape in _values(PunchShape), coin.key
            assert cm.description, coin.key
            assert cm.reference is None or re.fullmatch(r"Howgego \d+", cm.reference)
            kinds.add(cm.countermark_type)
    assert "legionary" in kinds


# --- provenance and acquisition ---------------------------------------------------------


def test_provenance_chains() -> None:
    types = _values(ProvenanceType)
    chains = [c for c in COINS if len(c.provenance) >= 2]
    assert len(chains) >= 40
    assert max(len(c.provenance) for c in COINS) <= 4
    for coin in COINS:
        dated = [e.event_date for e in coin.provenance if e.event_date is not None]
        assert dated == sorted(dated), f"{coin.key}: provenance is oldest first"
        assert all(d <= coin.acquisition_date for d in dated), coin.key
        for event in coin.provenance:
            assert event.event_type in types, coin.key
            if event.event_type == "auction":
                assert event.auction_house and event.sale_number and event.lot_number
                assert event.hammer_price is not None and event.hammer_price > 0
                assert event.buyers_premium_pct is not None
                assert Decimal(0) <= event.buyers_premium_pct <= Decimal(30)
                assert event.currency in CURRENCIES, coin.key
            if event.event_type == "collection":
                assert event.collection_name, coin.key
            if event.event_type == "dealer":
                assert event.dealer_name, coin.key
    assert {e.event_type for c in COINS for e in c.provenance} >= {
        "auction",
        "dealer",
        "collection",
        "private_sale",
        "find",
    }


def test_acquisitions_are_realistic() -> None:
    years = set()
    for coin in COINS:
        assert FIRST_ACQUISITION <= coin.acquisition_date <= DEMO_AS_OF, coin.key
        assert coin.acquisition_price > 0 and coin.acquisition_price.as_tuple().exponent == -2
        assert coin.acquisition_source, coin.key
        years.add(coin.acquisition_date.year)
        if coin.provenance and coin.provenance[-1].event_type == "auction":
            last = coin.provenance[-1]
            if last.event_date == coin.acquisition_date:
                assert last.hammer_price is not None and last.buyers_premium_pct is not None
                paid = last.hammer_price * (1 + last.buyers_premium_pct / 100)
                assert paid.quantize(Decimal("0.01")) == coin.acquisition_price, coin.key
                assert last.currency == coin.acquisition_currency, coin.key
                assert last.auction_house == coin.acquisition_source, coin.key
    assert years >= set(range(2008, 2027)), sorted(set(range(2008, 2027)) - years)


# --- auction lots ------------------------------------------------------------------------


def test_auction_lots_are_consistent() -> None:
    assert 130 <= len(AUCTION_LOTS) <= 180
    urls = [lot.url for lot in AUCTION_LOTS]
    assert len(urls) == len(set(urls)), "auction URLs must be unique"
    for lot in AUCTION_LOTS:
        assert lot.url.startswith("https://"), lot.url
        assert lot.currency in CURRENCIES, lot.url
        assert lot.metal in _values(Metal), lot.url
        _assert_canonical_citation(lot.primary_reference, lot.url)
        if lot.grade is not None:
            parse_grade(lot.grade)
        if lot.estimate_low is not None and lot.estimate_high is not None:
            assert lot.estimate_low <= lot.estimate_high, lot.url
        if lot.sold is None:
            assert lot.auction_date > DEMO_AS_OF and lot.hammer_price is None, lot.url
        else:
            assert date(2019, 1, 1) <= lot.auction_date <= DEMO_AS_OF, lot.url
            assert (lot.hammer_price is not None) == lot.sold, lot.url
        if lot.hammer_price is None:
            assert lot.total_price is None, lot.url
        else:
            expected = lot.hammer_price * (1 + lot.buyers_premium_pct / 100)
            assert lot.total_price == expected.quantize(Decimal("0.01")), lot.url
    years = {lot.auction_date.year for lot in AUCTION_LOTS if lot.sold is not None}
    assert years >= set(range(2019, 2027))


def test_purchase_lots_match_their_coins() -> None:
    linked = [lot for lot in AUCTION_LOTS if lot.coin_key]
    assert len(linked) >= 20
    assert len({lot.coin_key for lot in linked}) == len(linked)
    for lot in linked:
        coin = COINS_BY_KEY[lot.coin_key]  # type: ignore[index]
        assert lot.auction_date == coin.acquisition_date, coin.key
        assert lot.total_price == coin.acquisition_price, coin.key
        assert lot.currency == coin.acquisition_currency, coin.key
        assert lot.auction_house == coin.acquisition_source, coin.key
        assert lot.primary_reference == coin.references[0], coin.key
        assert lot.sold is True


def test_comparables_cover_the_collection() -> None:
    realised: Counter[str] = Counter(
        lot.primary_reference for lot in AUCTION_LOTS if lot.sold is not None
    )
    held = {c.references[0] for c in COINS}
    well_covered = [ref for ref, n in realised.items() if n >= 6 and ref in held]
    assert len(well_covered) >= 8, realised.most_common(15)
    for ref in well_covered:
        grades = {lot.grade for lot in AUCTION_LOTS if lot.primary_reference == ref}
        years = {lot.auction_date.year for lot in AUCTION_LOTS if lot.primary_reference == ref}
        assert len(grades) >= 3 and len(years) >= 3, ref


def test_sales_have_one_date_and_numbers_follow_time() -> None:
    sales: dict[tuple[str, str], set[date]] = defaultdict(set)
    for lot in AUCTION_LOTS:
        sales[(lot.auction_house, lot.sale_name)].add(lot.auction_date)
    for coin in COINS:
        for event in coin.provenance:
            if event.event_type == "auction":
                assert event.auction_house and event.sale_number and event.event_date
                name = sale_name_for(event.sale_series, event.sale_number)
                sales[(event.auction_house, name)].add(event.event_date)
    series: dict[tuple[str, str], list[tuple[int, date]]] = defaultdict(list)
    for (house, name), dates in sales.items():
        assert max(dates) - min(dates) <= timedelta(days=3), (house, name, sorted(dates))
        match = re.fullmatch(r"(.*?)\s*(\d+)", name)
        if match and not name.startswith("August"):
            series[(house, match.group(1))].append((int(match.group(2)), min(dates)))
    for key, numbered in series.items():
        numbered.sort()
        in_number_order = [d for _, d in numbered]
        assert in_number_order == sorted(in_number_order), f"{key}: numbers out of date order"


def test_upcoming_lots_match_the_wishlist_or_alerts() -> None:
    upcoming = [lot for lot in AUCTION_LOTS if lot.sold is None]
    assert len(upcoming) >= 15
    refs = {w.catalog_ref for w in WISHLIST if w.catalog_ref} | {
        a.attribution for a in PRICE_ALERTS
    }
    by_issuer = {(w.issuer, w.denomination) for w in WISHLIST if w.catalog_ref is None}
    for lot in upcoming:
        assert lot.primary_reference in refs or (lot.ruler, lot.denomination) in by_issuer
    for wish in WISHLIST:
        matched = [
            lot
            for lot in upcoming
            if lot.primary_reference == wish.catalog_ref
            or (wish.catalog_ref is None and lot.ruler == wish.issuer)
        ]
        assert matched, f"{wish.key} has no current lot"


# --- collections, series, wishlist, alerts ------------------------------------------------


def _matches(filter_: dict[str, object], coin: object) -> bool:
    return all(getattr(coin, field) == value for field, value in filter_.items())


def test_collections() -> None:
    keys = {c.key for c in COLLECTIONS}
    types = _values(CollectionType)
    for coll in COLLECTIONS:
        assert coll.collection_type in types, coll.key
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", coll.slug), coll.key
        assert coll.parent_key is None or coll.parent_key in keys - {coll.key}
        assert len(set(coll.coin_keys)) == len(coll.coin_keys), coll.key
        for key in coll.coin_keys:
            assert key in COINS_BY_KEY, f"{coll.key}: unknown coin {key}"
        if coll.collection_type == "smart":
            assert coll.smart_filter and not coll.coin_keys, coll.key
            assert any(_matches(coll.smart_filter, c) for c in COINS), coll.key
        else:
            assert coll.smart_filter is None and coll.coin_keys, coll.key
    assert any(c.is_favorite for c in COLLECTIONS)
    assert any(c.parent_key for c in COLLECTIONS)
    assert {c.collection_type for c in COLLECTIONS} >= {"custom", "smart", "series"}
    gold = next(c for c in COLLECTIONS if c.key == "byzantine-gold")
    assert gold.smart_filter == {"category": "byzantine", "metal": "gold"}


def test_series_slots() -> None:
    for series in SERIES:
        numbers = [s.slot_number for s in series.slots]
        assert numbers == list(range(1, len(numbers) + 1)), series.key
        assert any(s.coin_key is None for s in series.slots), "a series with gaps to fill"
        for slot in series.slots:
            if slot.coin_key is not None:
                coin = COINS_BY_KEY[slot.coin_key]
                assert slot.name in (coin.issuer, coin.portrait_subject), slot.name
    caesars = next(s for s in SERIES if s.key == "twelve-caesars")
    assert len(caesars.slots) == 12
    assert [s.name for s in caesars.slots][:2] == ["Julius Caesar", "Augustus"]
    as_collection = next(c for c in COLLECTIONS if c.key == "twelve-caesars")
    assert set(as_collection.coin_keys) == {s.coin_key for s in caesars.slots if s.coin_key}


def test_wishlist() -> None:
    slots = {(s.key, slot.slot_number): slot for s in SERIES for slot in s.slots}
    for wish in WISHLIST:
        assert wish.status in _values(WishlistStatus), wish.key
        assert 1 <= wish.priority <= 3, wish.key
        assert wish.max_price is not None and wish.max_price > 0, wish.key
        if wish.year_start is not None and wish.year_end is not None:
            assert wish.year_start <= wish.year_end, wish.key
        if wish.catalog_ref is not None:
            _assert_canonical_citation(wish.catalog_ref, wish.key)
            assert wish.catalog_ref not in {c.references[0] for c in COINS}, wish.key
        if wish.min_grade is not None:
            parse_grade(wish.min_grade)
        if wish.series_slot is not None:
            slot = slots[wish.series_slot]
            assert slot.coin_key is None and slot.name == wish.issuer, wish.key
    assert len(WISHLIST) >= 8


def test_price_alerts() -> None:
    wishes = {w.key for w in WISHLIST}
    for alert in PRICE_ALERTS:
        assert alert.trigger_type in _values(AlertTrigger), alert.key
        assert alert.status in _values(AlertStatus), alert.key
        _assert_canonical_citation(alert.attribution, alert.key)
        if alert.trigger_type in {"price_below", "price_above"}:
            assert alert.threshold_value is not None and alert.threshold_value > 0
        if alert.trigger_type == "pct_change":
            assert alert.threshold_pct is not None and alert.window_months, alert.key
        if alert.coin_key is not None:
            coin = COINS_BY_KEY[alert.coin_key]
            assert alert.attribution in coin.references, alert.key
        if alert.wishlist_key is not None:
            assert alert.wishlist_key in wishes, alert.key
        if alert.status == "expired":
            assert alert.expires_at is not None and alert.expires_at < DEMO_AS_OF
        elif alert.expires_at is not None:
            assert alert.expires_at > DEMO_AS_OF, alert.key
    assert {a.trigger_type for a in PRICE_ALERTS} == _values(AlertTrigger)


@pytest.mark.parametrize("key", ["rep-brutus-eid-mar-1", "rep-caesar-elephant-1"])
def test_highlights_are_slabbed_ngc(key: str) -> None:
    coin = COINS_BY_KEY[key]
    assert coin.grading_state == "slabbed" and coin.grade_service == "ngc"
    assert coin.census_snapshots and coin.rarity_assessments
