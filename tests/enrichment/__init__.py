"""Helpers for the enrichment tests: sessions, real coins, canned model answers, settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.children import CoinImage
from coinstack_graphql.coins.enums import Category, ImageType, Metal
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.engine import create_engine, session_factory
from coinstack_graphql.enrichment.models import LLMEnrichment, LLMUsageDaily
from coinstack_graphql.settings import Settings
from tests.fakes.anthropic_api import FakeAnthropic

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 2, 7, 14, 30)
DAY = "2026-02-07"
MODEL = "claude-sonnet-4-6"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0" + bytes(64)


@asynccontextmanager
async def open_sessions(url: str) -> AsyncIterator[Sessions]:
    """A session factory on `url`; the engine is disposed on exit."""
    engine = create_engine(Settings(database_url=url))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


def settings_for(url: str, fake: FakeAnthropic | None, **overrides: Any) -> Settings:
    """Settings pointing the real SDK at the fake, retries fast, no budget unless told."""
    values: dict[str, Any] = {
        "database_url": url,
        "anthropic_api_key": "sk-ant-test",
        "anthropic_base_url": fake.url if fake is not None else None,
        "llm_max_retries": 0,
        "llm_timeout_s": 10.0,
        **overrides,
    }
    return Settings(**values)


# Real pieces, as a collector would record them.
AUGUSTUS_CAESARES = dict(
    category=Category.IMPERIAL,
    denomination="Denarius",
    metal=Metal.SILVER,
    issuer="Augustus",
    mint="Lugdunum",
    year_start=-2,
    year_end=4,
    obverse_legend="CAESAR AVGVSTVS DIVI F PATER PATRIAE",
    obverse_description="Laureate head right",
    reverse_legend="C L CAESARES AVGVSTI F COS DESIG PRINC IVVENT",
    reverse_description="Gaius and Lucius Caesar standing facing, shields and spears between",
    exergue="C L CAESARES",
    weight_g=Decimal("3.850"),
    diameter_mm=Decimal("19.50"),
    die_axis=6,
)
TIBERIUS_TRIBUTE_PENNY = dict(
    category=Category.IMPERIAL,
    denomination="Denarius",
    metal=Metal.SILVER,
    issuer="Tiberius",
    mint="Lugdunum",
    year_start=15,
    year_end=37,
    obverse_legend="TI CAESAR DIVI AVG F AVGVSTVS",
    obverse_description="Laureate head right",
    reverse_legend="PONTIF MAXIM",
    reverse_description="Livia (as Pax) seated right, holding sceptre and branch",
)
CAESAR_ELEPHANT = dict(
    category=Category.REPUBLIC,
    denomination="Denarius",
    metal=Metal.SILVER,
    issuer="Julius Caesar",
    year_start=-49,
    year_end=-48,
    exergue="CAESAR",
    obverse_description="Elephant right trampling a serpent",
    reverse_description="Culullus, aspergillum, axe and apex",
)
EMPERORS = (
    "Augustus",
    "Tiberius",
    "Caligula",
    "Claudius",
    "Nero",
    "Galba",
    "Otho",
    "Vitellius",
    "Vespasian",
    "Titus",
    "Domitian",
    "Nerva",
    "Trajan",
    "Hadrian",
    "Antoninus Pius",
    "Marcus Aurelius",
    "Commodus",
    "Septimius Severus",
    "Caracalla",
    "Elagabalus",
    "Severus Alexander",
    "Gordian III",
    "Philip I",
    "Trajan Decius",
    "Gallienus",
)


async def add_coin(sessions: Sessions, **values: Any) -> int:
    async with sessions() as session, session.begin():
        coin = Coin(**values)
        session.add(coin)
        await session.flush()
        return coin.id


async def add_image(
    sessions: Sessions, coin_id: int, path: Path, *, image_type: ImageType, mime: str
) -> None:
    async with sessions() as session, session.begin():
        session.add(
            CoinImage(coin_id=coin_id, image_type=image_type, file_path=str(path), mime_type=mime)
        )


# Answers a careful model would give for the Augustus denarius (RIC I² 207).
ANSWERS: dict[str, dict[str, Any]] = {
    "record_historical_context": {
        "historical_significance": (
            "Struck at Lugdunum between 2 BC and AD 4, this denarius presents Gaius and "
            "Lucius Caesar, Augustus' grandsons and adopted sons, as principes iuventutis "
            "and heirs designate; it was the most abundant silver issue of the reign."
        ),
        "key_points": [
            "Dynastic propaganda for the succession",
            "Minted at Lugdunum, the imperial mint in Gaul",
        ],
        "confidence": 0.86,
    },
    "record_attribution": {
        "issuer": "Augustus",
        "denomination": "Denarius",
        "mint": "Lugdunum",
        "year_start": -2,
        "year_end": 4,
        "reasoning": "PATER PATRIAE dates it after 2 BC; the Caesares type is of Lugdunum.",
        "confidence": 0.9,
    },
    "record_expanded_legends": {
        "obverse_legend_expanded": "Caesar Augustus Divi Filius Pater Patriae",
        "reverse_legend_expanded": (
            "Gaius Lucius Caesares Augusti Filii Consules Designati Principes Iuventutis"
        ),
        "confidence": 0.93,
    },
    "record_catalogue_references": {
        "references": [
            {"citation": "RIC I² 207", "confidence": 0.82},
            {"citation": "RSC 43", "confidence": 0.74},
            {"citation": "BMCRE I 533", "confidence": 0.7},
        ],
        "confidence": 0.8,
    },
    "record_condition": {
        "condition": "Well centred on a full flan; light wear on the laurel and the shields.",
        "grade_estimate": "Ch VF",
        "surface_notes": "Light cabinet toning, a few minor marks in the reverse field.",
        "confidence": 0.72,
    },
}


def answer_by_tool(body: dict[str, Any]) -> dict[str, Any]:
    """The fake's handler: the canned answer of whichever tool the request forces."""
    return ANSWERS[body["tool_choice"]["name"]]


def flags_of(enrichment: LLMEnrichment) -> list[dict[str, Any]]:
    return list(enrichment.quality_flags or [])


def snapshot_of(enrichment: LLMEnrichment) -> dict[str, Any]:
    return dict(enrichment.input_snapshot or {})


async def enrichments(sessions: Sessions) -> list[LLMEnrichment]:
    async with sessions() as session:
        result = await session.scalars(select(LLMEnrichment).order_by(LLMEnrichment.id))
        return list(result.all())


async def usage_rows(sessions: Sessions) -> list[LLMUsageDaily]:
    async with sessions() as session:
        result = await session.scalars(
            select(LLMUsageDaily).order_by(LLMUsageDaily.capability, LLMUsageDaily.model_id)
        )
        return list(result.all())


async def usage_row(sessions: Sessions, capability: str, model: str = MODEL) -> LLMUsageDaily:
    async with sessions() as session:
        row = await session.get(LLMUsageDaily, (DAY, capability, model))
    assert row is not None, f"no usage row for {capability} / {model}"
    return row


async def count(sessions: Sessions, model: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)
