"""Integrity rules the migrated database enforces, through the server's async engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.children import CoinImage, CoinTag, Countermark, ProvenanceEvent
from coinstack_graphql.coins.enums import (
    Category,
    CountermarkPlacement,
    CountermarkType,
    GradeService,
    GradingState,
    ImageType,
    Metal,
    ProvenanceType,
)
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.collections.models import Collection, CollectionCoin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.enrichment.models import Capability, LLMEnrichment
from coinstack_graphql.grading.models import (
    CensusSnapshot,
    GradingEventType,
    GradingHistory,
    RarityAssessment,
    RarityCode,
    RaritySourceType,
    RaritySystem,
)
from coinstack_graphql.market.models import CoinValuation
from coinstack_graphql.references.models import CoinReference, ReferenceSystem, ReferenceType
from coinstack_graphql.settings import Settings


@pytest.fixture
async def engine(migrated_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(database_url=migrated_db))
    yield engine
    await engine.dispose()


@pytest.fixture
def session(engine: AsyncEngine) -> Callable[[], AsyncSession]:
    return session_factory(engine)


def tribute_penny(**values: Any) -> Coin:
    """Tiberius denarius, RIC I² 30, Lugdunum, 3.78 g, 19 mm."""
    base: dict[str, Any] = {
        "category": Category.IMPERIAL,
        "denomination": "denarius",
        "metal": Metal.SILVER,
        "issuer": "Tiberius",
        "mint": "Lugdunum",
        "weight_g": Decimal("3.780"),
        "diameter_mm": Decimal("19.00"),
    }
    return Coin(**{**base, **values})


async def _add(session: Callable[[], AsyncSession], *objs: Any) -> list[Any]:
    async with session() as s:
        s.add_all(objs)
        await s.commit()
    return list(objs)


async def _rejected(session: Callable[[], AsyncSession], *objs: Any) -> IntegrityError:
    async with session() as s:
        s.add_all(objs)
        with pytest.raises(IntegrityError) as caught:
            await s.commit()
        await s.rollback()
    return caught.value


async def _coin(session: Callable[[], AsyncSession], **values: Any) -> Coin:
    (coin,) = await _add(session, tribute_penny(**values))
    return coin


def _ric_30() -> ReferenceType:
    return ReferenceType(
        system=ReferenceSystem.RIC, local_ref="RIC I² 30", local_ref_normalized="ric.1(2).30"
    )


# ---- CHECK constraints


@pytest.mark.parametrize("die_axis", [13, -1, 24])
async def test_die_axis_outside_the_clock_is_rejected(
    session: Callable[[], AsyncSession], die_axis: int
) -> None:
    error = await _rejected(session, tribute_penny(die_axis=die_axis))
    assert "die_axis" in str(error.orig).lower() or "check" in str(error.orig).lower()


@pytest.mark.parametrize("die_axis", [0, 6, 12, None])
async def test_die_axis_on_the_clock_is_accepted(
    session: Callable[[], AsyncSession], die_axis: int | None
) -> None:
    coin = await _coin(session, die_axis=die_axis)
    async with session() as s:
        assert (await s.get(Coin, coin.id)) is not None


# ---- UNIQUE constraints


async def test_duplicate_reference_type_is_rejected(session: Callable[[], AsyncSession]) -> None:
    await _add(session, _ric_30())
    await _rejected(session, _ric_30())
    # The same number in another system is a different type.
    await _add(
        session,
        ReferenceType(
            system=ReferenceSystem.RSC, local_ref="RSC 30", local_ref_normalized="ric.1(2).30"
        ),
    )


async def test_duplicate_coin_tag_is_rejected(session: Callable[[], AsyncSession]) -> None:
    coin = await _coin(session)
    other = await _coin(session, issuer="Julius Caesar", mint=None)
    await _add(session, CoinTag(coin_id=coin.id, tag="tribute penny"))
    await _rejected(session, CoinTag(coin_id=coin.id, tag="tribute penny"))
    await _add(session, CoinTag(coin_id=other.id, tag="tribute penny"))


async def test_duplicate_auction_url_is_rejected(session: Callable[[], AsyncSession]) -> None:
    url = "https://www.cngcoins.com/Lot.aspx?LOT_ID=812"
    await _add(session, AuctionData(auction_house="Classical Numismatic Group", url=url))
    await _rejected(session, AuctionData(auction_house="CNG (relisted)", url=url))


async def test_second_current_grading_entry_is_rejected(
    session: Callable[[], AsyncSession],
) -> None:
    # The NGC-slabbed owl: raw when bought, then slabbed "Ch XF 5/5 - 4/5".
    owl = await _coin(
        session,
        category=Category.GREEK,
        denomination="tetradrachm",
        issuer="Athens",
        mint="Athens",
    )

    def entry(is_current: bool, **values: Any) -> GradingHistory:
        return GradingHistory(
            coin_id=owl.id, event_type=GradingEventType.INITIAL, is_current=is_current, **values
        )

    await _add(session, entry(False, grading_state=GradingState.RAW, grade="XF"))
    await _add(
        session,
        entry(
            True,
            grading_state=GradingState.SLABBED,
            grade="Ch XF",
            grade_service=GradeService.NGC,
            certification_number="4373951-011",
            strike_quality="5",
            surface_quality="4",
            sequence_order=1,
        ),
    )
    await _rejected(session, entry(True, grading_state=GradingState.RAW, sequence_order=2))
    # Any number of past (non-current) entries is fine: the index is partial.
    await _add(session, entry(False, grading_state=GradingState.RAW, sequence_order=3))


async def test_second_primary_rarity_is_rejected(session: Callable[[], AsyncSession]) -> None:
    coin = await _coin(session)

    def assessment(code: RarityCode, is_primary: bool) -> RarityAssessment:
        return RarityAssessment(
            coin_id=coin.id,
            rarity_code=code,
            rarity_system=RaritySystem.RIC,
            source_type=RaritySourceType.CATALOG,
            is_primary=is_primary,
        )

    await _add(session, assessment(RarityCode.C, True))
    await _rejected(session, assessment(RarityCode.S, True))
    await _add(session, assessment(RarityCode.S, False), assessment(RarityCode.R1, False))


# ---- FOREIGN KEY constraints


async def test_unknown_vocab_term_is_rejected(session: Callable[[], AsyncSession]) -> None:
    # A nullable FK added by phase 1 (batch rebuild on SQLite): still enforced.
    await _rejected(session, tribute_penny(co_ruler_term_id=424242))


async def test_reference_to_a_missing_coin_is_rejected(
    session: Callable[[], AsyncSession],
) -> None:
    # SQLite ignores foreign keys unless PRAGMA foreign_keys=ON on the connection.
    (ref,) = await _add(session, _ric_30())
    await _rejected(session, CoinReference(coin_id=424242, reference_type_id=ref.id))


# ---- enum-like columns


@pytest.mark.parametrize("bad", ["roman", "IMPERIAL", "Imperial", ""])
async def test_enum_columns_reject_unknown_values(
    session: Callable[[], AsyncSession], bad: str
) -> None:
    async with session() as s:
        s.add(tribute_penny(category=bad))
        with pytest.raises(StatementError) as caught:
            await s.commit()
        await s.rollback()
    assert isinstance(caught.value.orig, ValueError)
    assert repr(bad) in str(caught.value.orig)


async def test_enum_columns_store_lowercase_values(
    engine: AsyncEngine, session: Callable[[], AsyncSession]
) -> None:
    coin = await _coin(session, grading_state=GradingState.SLABBED, grade_service="ngc")
    async with engine.connect() as conn:
        raw = (
            await conn.execute(
                text(
                    "SELECT category, metal, grading_state, grade_service, issue_status"
                    " FROM coins_v2 WHERE id = :id"
                ),
                {"id": coin.id},
            )
        ).one()
        await conn.rollback()
    assert tuple(raw) == ("imperial", "silver", "slabbed", "ngc", "official")
    async with session() as s:
        loaded = await s.get(Coin, coin.id)
    assert loaded is not None
    assert loaded.category is Category.IMPERIAL
    assert loaded.grade_service is GradeService.NGC


# ---- deleting a coin


CHILD_TABLES = (
    "grading_history",
    "rarity_assessments",
    "census_snapshots",
    "llm_enrichments",
    "coin_valuations",
    "collection_coins",
    "coin_references",
    "coin_tags",
    "provenance_events",
    "countermarks",
    "coin_images",
)


async def _children(session: Callable[[], AsyncSession], coin_id: int) -> dict[str, int]:
    async with session() as s:
        return {
            table: (
                await s.execute(
                    select(func.count()).select_from(text(table)).where(text("coin_id = :id")),
                    {"id": coin_id},
                )
            ).scalar_one()
            for table in CHILD_TABLES
        }


async def _parents(session: Callable[[], AsyncSession]) -> dict[str, int]:
    async with session() as s:
        return {
            table: (await s.execute(select(func.count()).select_from(text(table)))).scalar_one()
            for table in ("reference_types", "mints", "collections")
        }


async def _hadrian_with_everything(session: Callable[[], AsyncSession]) -> tuple[Coin, Coin]:
    """A Hadrian sestertius with a row in every child table, and a coin that must stay."""
    (rome, ref, caesars) = await _add(
        session,
        Mint(name="Rome", province="Italia"),
        ReferenceType(
            system=ReferenceSystem.RIC, local_ref="RIC II 563", local_ref_normalized="ric.2.563"
        ),
        Collection(name="Adoptive emperors", slug="adoptive-emperors"),
    )
    hadrian, keeper = await _add(
        session,
        Coin(
            category=Category.IMPERIAL,
            denomination="sestertius",
            metal=Metal.ORICHALCUM,
            issuer="Hadrian",
            mint="Rome",
            mint_id=rome.id,
            weight_g=Decimal("25.610"),
            die_axis=6,
        ),
        tribute_penny(mint_id=None),
    )
    cid = hadrian.id
    await _add(
        session,
        GradingHistory(
            coin_id=cid,
            grading_state=GradingState.RAW,
            grade="F",
            event_type=GradingEventType.INITIAL,
            is_current=True,
        ),
        RarityAssessment(
            coin_id=cid,
            rarity_code=RarityCode.R1,
            rarity_system=RaritySystem.RIC,
            source_type=RaritySourceType.CATALOG,
            is_primary=True,
        ),
        CensusSnapshot(
            coin_id=cid, service=GradeService.NGC, snapshot_date=date(2025, 6, 1), total_graded=41
        ),
        LLMEnrichment(
            coin_id=cid,
            capability=Capability.CONTEXT_GENERATE,
            model_id="claude-sonnet-4-6",
            input_hash="a" * 64,
            output_content="{}",
            confidence=0.8,
        ),
        CoinValuation(
            coin_id=cid, valuation_date=date(2025, 6, 30), current_market_value=Decimal("850.00")
        ),
        CollectionCoin(collection_id=caesars.id, coin_id=cid, position=1),
        CoinReference(coin_id=cid, reference_type_id=ref.id, is_primary=True),
        CoinTag(coin_id=cid, tag="restitutor"),
        ProvenanceEvent(
            coin_id=cid,
            event_type=ProvenanceType.AUCTION,
            auction_house="Roma",
            lot_number="477",
            hammer_price=Decimal("800.00"),
        ),
        Countermark(
            coin_id=cid,
            countermark_type=CountermarkType.UNCERTAIN,
            description="illegible mark",
            placement=CountermarkPlacement.REVERSE,
        ),
        CoinImage(coin_id=cid, image_type=ImageType.OBVERSE, file_path="images/hadrian/obv.jpg"),
        CoinTag(coin_id=keeper.id, tag="tribute penny"),
    )
    return hadrian, keeper


async def test_cascade_fixture_fills_every_child_table(
    session: Callable[[], AsyncSession],
) -> None:
    hadrian, _ = await _hadrian_with_everything(session)
    assert await _children(session, hadrian.id) == dict.fromkeys(CHILD_TABLES, 1)


async def test_deleting_a_coin_cascades_to_its_rows_only(
    session: Callable[[], AsyncSession],
) -> None:
    hadrian, keeper = await _hadrian_with_everything(session)
    async with session() as s:
        # A plain DELETE: the database, not the ORM, must remove the children.
        await s.execute(delete(Coin).where(Coin.id == hadrian.id))
        await s.commit()
    assert await _children(session, hadrian.id) == dict.fromkeys(CHILD_TABLES, 0)
    assert (await _children(session, keeper.id))["coin_tags"] == 1
    assert await _parents(session) == {"reference_types": 1, "mints": 1, "collections": 1}
