"""Creating, updating and deleting coins through coins/service.py, against the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins import children_service as children
from coinstack_graphql.coins.children import CoinImage, CoinTag, Countermark, ProvenanceEvent
from coinstack_graphql.coins.enums import (
    Category,
    DieState,
    GradeService,
    GradingState,
    Metal,
    Rarity,
)
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.coins.service import create_coin, delete_coin, update_coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    engine = create_engine(Settings(database_url=migrated_db))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def run(sessions: Sessions, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One mutation: one transaction, rolled back when the work raises."""
    async with sessions() as s, s.begin():
        return await work(s)


async def refused(
    sessions: Sessions, work: Callable[[AsyncSession], Awaitable[Any]]
) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await run(sessions, work)
    return caught.value


def augustus_denarius(**values: Any) -> dict[str, Any]:
    """Augustus denarius, Lugdunum 2 BC–AD 4, RIC I² 207 (Gaius and Lucius Caesars)."""
    return {
        "category": "imperial",
        "metal": "silver",
        "denomination": "Denarius",
        "issuer": "Augustus",
        "year_start": -2,
        "year_end": 4,
        "weight_g": Decimal("3.85"),
        "diameter_mm": Decimal("19.5"),
        "die_axis": 6,
        "obverse_legend": "CAESAR AVGVSTVS DIVI F PATER PATRIAE",
        "reverse_legend": "C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT",
        "acquisition_date": date(2023, 5, 14),
        "acquisition_price": Decimal("450.00"),
        "acquisition_currency": "EUR",
        **values,
    }


async def add_coin(sessions: Sessions, **values: Any) -> Coin:
    return await run(sessions, lambda s: create_coin(s, augustus_denarius(**values)))


async def add_mint(sessions: Sessions, name: str, province: str) -> Mint:
    async def work(s: AsyncSession) -> Mint:
        mint = Mint(name=name, province=province)
        s.add(mint)
        await s.flush()
        return mint

    return await run(sessions, work)


async def read_coin(sessions: Sessions, coin_id: int) -> Coin | None:
    async with sessions() as s:
        return await s.get(Coin, coin_id)


async def history_count(sessions: Sessions) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count(FieldHistory.id))) or 0)


# ---- create


async def test_create_coin_reads_back_exact_values(sessions: Sessions) -> None:
    lugdunum = await add_mint(sessions, "Lugdunum", "Gallia Lugdunensis")
    created = await add_coin(sessions, mint_id=lugdunum.id, rarity=Rarity.COMMON)
    coin = await read_coin(sessions, created.id)
    assert coin is not None
    assert coin.category is Category.IMPERIAL and coin.metal is Metal.SILVER
    assert coin.issuer == "Augustus" and coin.denomination == "Denarius"
    assert (coin.year_start, coin.year_end) == (-2, 4)
    assert coin.weight_g == Decimal("3.850") and str(coin.weight_g) == "3.850"
    assert coin.diameter_mm == Decimal("19.50")
    assert coin.acquisition_date == date(2023, 5, 14)
    assert coin.acquisition_price == Decimal("450.00")
    assert coin.rarity is Rarity.COMMON
    assert coin.mint == "Lugdunum", "mint text follows the mint row"
    assert coin.grading_state is GradingState.RAW and coin.is_circa is False
    assert coin.created_at is not None
    assert await history_count(sessions) == 0, "a create writes no field history"


async def test_create_accepts_members_uppercase_names_and_lowercase_currency(
    sessions: Sessions,
) -> None:
    created = await add_coin(
        sessions,
        category=Category.REPUBLIC,
        metal="SILVER",
        issuer="Julius Caesar",
        year_start=-49,
        year_end=-48,
        acquisition_currency="chf",
        obverse_die_state=DieState.LATE,
        obverse_legend="  CAESAR  ",
    )
    coin = await read_coin(sessions, created.id)
    assert coin is not None
    assert coin.category is Category.REPUBLIC and coin.metal is Metal.SILVER
    assert coin.acquisition_currency == "CHF"
    assert coin.obverse_die_state is DieState.LATE
    assert coin.obverse_legend == "CAESAR"


async def test_explicit_mint_text_wins_over_the_mint_row(sessions: Sessions) -> None:
    lugdunum = await add_mint(sessions, "Lugdunum", "Gallia Lugdunensis")
    created = await add_coin(sessions, mint_id=lugdunum.id, mint="Lugdunum (Lyon)")
    coin = await read_coin(sessions, created.id)
    assert coin is not None and coin.mint == "Lugdunum (Lyon)"


async def test_ngc_certificate_is_normalised_and_gets_a_verification_url(
    sessions: Sessions,
) -> None:
    created = await add_coin(
        sessions,
        grading_state="slabbed",
        grade="Ch XF",
        grade_service="ngc",
        certification_number="4934571002",
        grade_numeric=45,
        ngc_strike_grade=5,
        ngc_surface_grade=4,
    )
    coin = await read_coin(sessions, created.id)
    assert coin is not None
    assert coin.grade_service is GradeService.NGC
    assert coin.certification_number == "4934571-002"
    assert coin.verification_url == "https://www.ngccoin.com/certlookup/4934571-002/45/"


async def test_verification_url_follows_the_cert_unless_typed_by_hand(sessions: Sessions) -> None:
    auto = await add_coin(sessions, grade_service="pcgs", certification_number="41234567")
    assert auto.verification_url == "https://www.pcgs.com/cert/41234567"
    await run(sessions, lambda s: update_coin(s, auto.id, {"certification_number": "41234568"}))
    coin = await read_coin(sessions, auto.id)
    assert coin is not None and coin.verification_url == "https://www.pcgs.com/cert/41234568"

    manual = await add_coin(
        sessions,
        grade_service="pcgs",
        certification_number="41234567",
        verification_url="https://example.org/my-photos/41234567",
    )
    await run(sessions, lambda s: update_coin(s, manual.id, {"certification_number": "41234569"}))
    coin = await read_coin(sessions, manual.id)
    assert coin is not None and coin.verification_url == "https://example.org/my-photos/41234567"

    await run(sessions, lambda s: update_coin(s, auto.id, {"certification_number": None}))
    coin = await read_coin(sessions, auto.id)
    assert coin is not None and coin.verification_url is None, "an automatic URL goes with its cert"


async def test_create_requires_the_not_null_attribution(sessions: Sessions) -> None:
    values = augustus_denarius()
    del values["issuer"]
    error = await refused(sessions, lambda s: create_coin(s, values))
    assert (error.field, error.code) == (["issuer"], "REQUIRED")
    async with sessions() as s:
        assert await s.scalar(select(func.count(Coin.id))) == 0


# ---- update


async def test_update_changes_only_the_keys_given_and_none_clears(sessions: Sessions) -> None:
    created = await add_coin(sessions, rarity="scarce", style_notes="fine portrait")
    before = await read_coin(sessions, created.id)
    assert before is not None

    async def work(s: AsyncSession) -> Coin:
        coin = await update_coin(
            s, created.id, {"weight_g": "3.79", "rarity": None, "die_axis": 7}, changed_by="anna"
        )
        assert coin.updated_at is not None  # readable without a lazy load
        return coin

    await run(sessions, work)
    coin = await read_coin(sessions, created.id)
    assert coin is not None
    assert coin.weight_g == Decimal("3.790") and coin.die_axis == 7 and coin.rarity is None
    assert coin.style_notes == "fine portrait" and coin.issuer == "Augustus"
    assert coin.acquisition_price == before.acquisition_price


@pytest.mark.parametrize("column", ["category", "metal", "denomination", "issuer"])
async def test_not_null_columns_cannot_be_cleared(sessions: Sessions, column: str) -> None:
    created = await add_coin(sessions)
    error = await refused(sessions, lambda s: update_coin(s, created.id, {column: None}))
    assert (error.field, error.code) == ([column], "REQUIRED")


async def test_blank_required_text_is_refused(sessions: Sessions) -> None:
    created = await add_coin(sessions)
    error = await refused(sessions, lambda s: update_coin(s, created.id, {"issuer": "   "}))
    assert (error.field, error.code) == (["issuer"], "REQUIRED")


ENUM_FIELDS = [
    "category", "metal", "grading_state", "grade_service", "holder_type", "rarity",
    "orientation", "dating_certainty", "issue_status", "authority_type",
    "portrait_relationship", "flan_shape", "flan_type", "tooling_extent", "centering",
    "obverse_die_state", "reverse_die_state",
]  # fmt: skip


@pytest.mark.parametrize("column", ENUM_FIELDS)
async def test_enums_refuse_unknown_values(sessions: Sessions, column: str) -> None:
    created = await add_coin(sessions)
    error = await refused(sessions, lambda s: update_coin(s, created.id, {column: "byzantium"}))
    assert error.code == "INVALID"
    assert error.field == ["".join(p.title() if i else p for i, p in enumerate(column.split("_")))]


INVALID_CHANGES: list[tuple[dict[str, Any], list[str], str]] = [
    ({"die_axis": 13}, ["dieAxis"], "OUT_OF_RANGE"),
    ({"die_axis": -1}, ["dieAxis"], "OUT_OF_RANGE"),
    ({"die_axis": "6"}, ["dieAxis"], "INVALID"),
    ({"weight_g": Decimal("0")}, ["weightG"], "OUT_OF_RANGE"),
    ({"weight_g": Decimal("1000")}, ["weightG"], "OUT_OF_RANGE"),
    ({"weight_g": 3.85}, ["weightG"], "INVALID"),
    ({"weight_g": "3.8512"}, ["weightG"], "INVALID"),
    ({"weight_g": "heavy"}, ["weightG"], "INVALID"),
    ({"weight_g": "NaN"}, ["weightG"], "INVALID"),
    ({"diameter_mm": Decimal("-19")}, ["diameterMm"], "OUT_OF_RANGE"),
    ({"thickness_mm": Decimal("0")}, ["thicknessMm"], "OUT_OF_RANGE"),
    ({"diameter_min_mm": Decimal("21")}, ["diameterMinMm"], "INVALID"),
    ({"year_start": 0}, ["yearStart"], "INVALID"),
    ({"year_end": 2999}, ["yearEnd"], "OUT_OF_RANGE"),
    ({"year_start": 14, "year_end": -27}, ["yearEnd"], "INVALID"),
    ({"year_start": 5}, ["yearStart"], "INVALID"),
    ({"reign_start": 14, "reign_end": -27}, ["reignEnd"], "INVALID"),
    ({"reign_start": 0}, ["reignStart"], "INVALID"),
    ({"strike_quality": 6}, ["strikeQuality"], "OUT_OF_RANGE"),
    ({"surface_quality": 0}, ["surfaceQuality"], "OUT_OF_RANGE"),
    ({"ngc_strike_grade": 6}, ["ngcStrikeGrade"], "OUT_OF_RANGE"),
    ({"ngc_surface_grade": 0}, ["ngcSurfaceGrade"], "OUT_OF_RANGE"),
    ({"grade_numeric": 44}, ["gradeNumeric"], "INVALID"),
    ({"grade_numeric": 71}, ["gradeNumeric"], "OUT_OF_RANGE"),
    ({"grade_numeric": 45, "grade_designation": "Gem"}, ["gradeDesignation"], "INVALID"),
    ({"grade_designation": "Superb"}, ["gradeDesignation"], "INVALID"),
    ({"off_center_pct": 101, "is_off_center": True}, ["offCenterPct"], "OUT_OF_RANGE"),
    ({"off_center_pct": 20}, ["offCenterPct"], "INVALID"),
    ({"test_cut_count": -1, "has_test_cut": True}, ["testCutCount"], "OUT_OF_RANGE"),
    ({"test_cut_count": 2}, ["testCutCount"], "INVALID"),
    ({"acquisition_currency": "EURO"}, ["acquisitionCurrency"], "OUT_OF_RANGE"),
    ({"acquisition_currency": "E1R"}, ["acquisitionCurrency"], "INVALID"),
    ({"acquisition_price": Decimal("-1.00")}, ["acquisitionPrice"], "OUT_OF_RANGE"),
    ({"asking_price": Decimal("-5")}, ["askingPrice"], "OUT_OF_RANGE"),
    ({"insured_value": Decimal("100000000")}, ["insuredValue"], "OUT_OF_RANGE"),
    ({"estimate_low": Decimal(600), "estimate_high": Decimal(500)}, ["estimateHigh"], "INVALID"),
    ({"grade_service": "ngc", "certification_number": "12345"}, ["certificationNumber"], "INVALID"),
    ({"grade_service": "pcgs", "certification_number": "4934571-002"},
     ["certificationNumber"], "INVALID"),
    ({"mint_id": 999}, ["mintId"], "NOT_FOUND"),
    ({"issuer_term_id": 999}, ["issuerTermId"], "NOT_FOUND"),
    ({"dynasty_term_id": 999}, ["dynastyTermId"], "NOT_FOUND"),
    ({"die_study_obverse_id": 999}, ["dieStudyObverseId"], "NOT_FOUND"),
    ({"colour": "silver"}, ["colour"], "INVALID"),
    ({"id": 5}, ["id"], "INVALID"),
    ({"created_at": "2024-01-01T00:00:00"}, ["createdAt"], "INVALID"),
    ({"obverse_legend": "IMP " * 70}, ["obverseLegend"], "OUT_OF_RANGE"),
    ({"is_circa": None}, ["isCirca"], "REQUIRED"),
    ({"for_sale": "yes"}, ["forSale"], "INVALID"),
    ({"acquisition_date": "2024-13-01"}, ["acquisitionDate"], "INVALID"),
    ({"surface_issues": {"scratch": float("nan")}}, ["surfaceIssues"], "INVALID"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "code"), INVALID_CHANGES)
async def test_update_refuses_bad_values(
    sessions: Sessions, changes: dict[str, Any], field: list[str], code: str
) -> None:
    created = await add_coin(sessions)
    error = await refused(sessions, lambda s: update_coin(s, created.id, changes))
    assert (error.field, error.code) == (field, code), error.message
    assert await history_count(sessions) == 0


async def test_a_coin_is_not_its_own_die_match(sessions: Sessions) -> None:
    created = await add_coin(sessions)
    error = await refused(
        sessions, lambda s: update_coin(s, created.id, {"die_study_reverse_id": created.id})
    )
    assert (error.field, error.code) == (["dieStudyReverseId"], "INVALID")


async def test_die_study_links_to_another_coin(sessions: Sessions) -> None:
    first = await add_coin(sessions)
    second = await add_coin(sessions, obverse_die_id="A12")
    await run(sessions, lambda s: update_coin(s, second.id, {"die_study_obverse_id": first.id}))
    coin = await read_coin(sessions, second.id)
    assert coin is not None and coin.die_study_obverse_id == first.id


async def test_consistency_rules_blame_the_field_this_write_touches(sessions: Sessions) -> None:
    created = await add_coin(sessions, is_off_center=True, off_center_pct=20)
    error = await refused(sessions, lambda s: update_coin(s, created.id, {"is_off_center": False}))
    assert (error.field, error.code) == (["isOffCenter"], "INVALID")
    error = await refused(sessions, lambda s: update_coin(s, created.id, {"year_start": 10}))
    assert error.field == ["yearStart"]


async def test_legacy_inconsistency_does_not_block_an_unrelated_edit(sessions: Sessions) -> None:
    created = await add_coin(sessions)
    async with sessions() as s, s.begin():
        # V2.1 imports wrote such rows; the service must still let a collector edit notes.
        await s.execute(
            text("UPDATE coins_v2 SET year_start = 50, year_end = 40 WHERE id = :id"),
            {"id": created.id},
        )
    await run(sessions, lambda s: update_coin(s, created.id, {"personal_notes": "from Rauch"}))
    coin = await read_coin(sessions, created.id)
    assert coin is not None and coin.personal_notes == "from Rauch"


async def test_changing_mint_id_refreshes_the_mint_text(sessions: Sessions) -> None:
    lugdunum = await add_mint(sessions, "Lugdunum", "Gallia Lugdunensis")
    rome = await add_mint(sessions, "Rome", "Italia")
    created = await add_coin(sessions, mint_id=lugdunum.id)
    await run(sessions, lambda s: update_coin(s, created.id, {"mint_id": rome.id}))
    coin = await read_coin(sessions, created.id)
    assert coin is not None and (coin.mint_id, coin.mint) == (rome.id, "Rome")


async def test_a_failed_update_changes_nothing_and_writes_no_history(sessions: Sessions) -> None:
    created = await add_coin(sessions)
    changes = {
        "weight_g": Decimal("3.70"),
        "rarity": "rare",
        "personal_notes": "ex Lanz 1998",
        "die_axis": 14,  # the last field is bad
    }
    error = await refused(sessions, lambda s: update_coin(s, created.id, changes))
    assert error.field == ["dieAxis"]
    coin = await read_coin(sessions, created.id)
    assert coin is not None
    assert coin.weight_g == Decimal("3.850") and coin.rarity is None and coin.personal_notes is None
    assert await history_count(sessions) == 0


async def test_a_refusal_rolls_back_earlier_writes_of_the_same_transaction(
    sessions: Sessions,
) -> None:
    created = await add_coin(sessions)

    async def two_steps(s: AsyncSession) -> None:
        await update_coin(s, created.id, {"weight_g": Decimal("3.70")})
        await children.add_coin_tags(s, created.id, ["Lugdunum"])
        await update_coin(s, created.id, {"year_end": -10})  # before year_start -2

    error = await refused(sessions, two_steps)
    assert error.field == ["yearEnd"]
    coin = await read_coin(sessions, created.id)
    assert coin is not None and coin.weight_g == Decimal("3.850")
    assert await history_count(sessions) == 0
    async with sessions() as s:
        assert await s.scalar(select(func.count(CoinTag.id))) == 0


async def test_unknown_coin_is_not_found(sessions: Sessions) -> None:
    error = await refused(sessions, lambda s: update_coin(s, 4242, {"die_axis": 6}))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")
    error = await refused(sessions, lambda s: delete_coin(s, 4242))
    assert (error.field, error.code) == (["coinId"], "NOT_FOUND")


# ---- delete


async def test_delete_coin_removes_its_children_and_unlinks_die_matches(sessions: Sessions) -> None:
    coin = await add_coin(sessions)
    match = await add_coin(sessions)

    async def furnish(s: AsyncSession) -> None:
        await children.add_coin_image(
            s, coin.id, {"image_type": "obverse", "file_path": "coins/1/obv.jpg"}
        )
        await children.add_provenance_event(
            s, coin.id, {"event_type": "auction", "auction_house": "CNG"}
        )
        await children.add_countermark(
            s,
            coin.id,
            {"countermark_type": "legionary", "description": "LXV", "placement": "obverse"},
        )
        await children.add_coin_tags(s, coin.id, ["Gaius and Lucius"])
        await update_coin(s, coin.id, {"die_axis": 7})
        await update_coin(s, match.id, {"die_study_obverse_id": coin.id})

    await run(sessions, furnish)
    await run(sessions, lambda s: delete_coin(s, coin.id))
    async with sessions() as s:
        assert await s.get(Coin, coin.id) is None
        for model in (CoinImage, ProvenanceEvent, Countermark, CoinTag):
            count = await s.scalar(select(func.count(model.id)).where(model.coin_id == coin.id))
            assert count == 0, model.__tablename__
        left = await s.scalars(select(FieldHistory.coin_id))
        assert set(left.all()) == {match.id}, "only the surviving coin keeps history"
        survivor = await s.get(Coin, match.id)
        assert survivor is not None and survivor.die_study_obverse_id is None
