"""Prompt templates: deterministic A/B choice, rendering, and create/update rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from coinstack_graphql.enrichment.capabilities import SPECS
from coinstack_graphql.enrichment.default_templates import DEFAULT_TEMPLATES
from coinstack_graphql.enrichment.models import Capability, LLMEnrichment, PromptTemplate
from coinstack_graphql.enrichment.prompts import (
    ImagePart,
    PromptTemplateInput,
    build_message_params,
    choose_template,
    create_prompt_template,
    placeholders,
    render_user_prompt,
    traffic_point,
    update_prompt_template,
)
from coinstack_graphql.enrichment.service import enrich_coin
from coinstack_graphql.errors import DomainError
from tests.enrichment import (
    AUGUSTUS_CAESARES,
    NOW,
    PNG,
    Sessions,
    add_coin,
    answer_by_tool,
    open_sessions,
    settings_for,
)
from tests.fakes.anthropic_api import FakeAnthropic

CONTEXT = Capability.CONTEXT_GENERATE


def _template(
    id: int, variant: str = "default", weight: float = 1.0, *, version: int = 1, active: bool = True
) -> PromptTemplate:
    return PromptTemplate(
        id=id,
        capability=CONTEXT,
        version=version,
        variant_name=variant,
        traffic_weight=weight,
        is_active=active,
        system_prompt="You are a numismatist.",
        user_template="{coin_facts}",
    )


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[Sessions]:
    async with open_sessions(migrated_db) as factory:
        yield factory


# ---- choosing


def test_variant_choice_follows_the_weights_over_many_coins() -> None:
    templates = [_template(1, "control", 0.7), _template(2, "concise", 0.3)]
    picks = Counter(choose_template(templates, coin_id).variant_name for coin_id in range(1, 1001))
    assert abs(picks["control"] - 700) <= 50 and abs(picks["concise"] - 300) <= 50


def test_variant_choice_is_stable_per_coin_and_ignores_list_order() -> None:
    templates = [_template(1, "control", 0.7), _template(2, "concise", 0.3)]
    first = [choose_template(templates, coin_id).id for coin_id in range(1, 200)]
    again = [choose_template(list(reversed(templates)), coin_id).id for coin_id in range(1, 200)]
    assert first == again
    assert traffic_point("context_generate", 7) == traffic_point("context_generate", 7)
    assert traffic_point("context_generate", 7) != traffic_point("legend_expand", 7)


def test_the_highest_active_version_wins_and_zero_weight_gets_no_traffic() -> None:
    templates = [
        _template(1, version=1),
        _template(2, version=3, active=False),
        _template(3, "control", 1.0, version=2),
        _template(4, "holdout", 0.0, version=2),
    ]
    assert {choose_template(templates, coin_id).id for coin_id in range(1, 300)} == {3}


def test_no_active_template_or_no_traffic_is_refused() -> None:
    with pytest.raises(DomainError, match="no active prompt template"):
        choose_template([_template(1, active=False)], 1)
    with pytest.raises(DomainError, match="traffic weight 0"):
        choose_template([_template(1, weight=0.0)], 1)


# ---- rendering


def test_placeholders_are_plain_names() -> None:
    assert placeholders("{issuer} struck {{this}} at {mint}") == ["issuer", "mint"]
    for bad in ("{0}", "{coin.issuer}", "{issuer!r}", "{issuer:>10}", "{}"):
        with pytest.raises(ValueError):
            placeholders(bad)


def test_rendering_fills_the_snapshot_and_the_facts_block() -> None:
    spec = SPECS[Capability.LEGEND_EXPAND]
    template = PromptTemplate(
        id=9,
        capability=spec.capability,
        version=1,
        system_prompt="s",
        user_template=DEFAULT_TEMPLATES[spec.capability].user_template,
    )
    snapshot = {
        "category": "imperial",
        "issuer": "Augustus",
        "year_start": -2,
        "year_end": 4,
        "obverse_legend": "CAESAR AVGVSTVS DIVI F PATER PATRIAE",
        "reverse_legend": None,
        "exergue": "C L CAESARES",
    }
    text = render_user_prompt(spec, template, snapshot)
    assert text.startswith(
        "Expand the legends of this imperial coin of Augustus, dated 2 BC to AD 4."
    )
    assert "Reverse legend: (not recorded)" in text
    assert "Exergue: C L CAESARES" in text


def test_message_params_force_the_tool_and_carry_images() -> None:
    spec = SPECS[Capability.CONDITION_DESCRIBE]
    template = PromptTemplate(
        id=5,
        capability=spec.capability,
        version=1,
        system_prompt="Grade it.",
        user_template="Describe {issuer}'s coin.\n{coin_facts}",
        parameters={"max_tokens": 600, "temperature": 0.2},
    )
    image = ImagePart(image_type="obverse", media_type="image/png", data=PNG)
    params = build_message_params(
        spec,
        template,
        {"issuer": "Hadrian", "metal": "gold", "images": [{"image_type": "obverse"}]},
        [image],
        model="claude-sonnet-4-6",
    )
    # a stored temperature is never sent: the current Messages API refuses it
    assert (params["max_tokens"], params["system"]) == (600, "Grade it.")
    assert "temperature" not in params
    assert params["tool_choice"] == {"type": "tool", "name": "record_condition"}
    assert params["tools"][0]["input_schema"] == spec.output_schema
    content = params["messages"][0]["content"]
    assert [block["type"] for block in content] == ["text", "image", "text"]
    assert content[1]["source"]["media_type"] == "image/png"
    assert (
        content[2]["text"]
        == "Describe Hadrian's coin.\nMetal: gold\nIssuer: Hadrian\nImages: obverse"
    )


# ---- create and update


async def test_create_and_deactivate_a_variant(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        made = await create_prompt_template(
            session,
            PromptTemplateInput(
                capability="context_generate",
                version=2,
                variant_name="concise",
                traffic_weight=0.3,
                system_prompt="  You are a terse numismatist.  ",
                user_template="In three sentences: {issuer}, {denomination}.\n{coin_facts}",
                parameters={"max_tokens": 400},
                notes="A/B: shorter texts",
            ),
        )
    assert (made.capability, made.version, made.requires_vision, made.is_active) == (
        CONTEXT,
        2,
        False,
        True,
    )
    assert made.system_prompt == "You are a terse numismatist." and made.deprecated_at is None

    when = datetime(2026, 3, 1, 9, 0)
    async with sessions() as session, session.begin():
        await update_prompt_template(
            session, made.id, {"is_active": False, "traffic_weight": 0.5}, now=when
        )
    async with sessions() as session:
        row = await session.get(PromptTemplate, made.id)
    assert row is not None and (row.is_active, row.traffic_weight, row.deprecated_at) == (
        False,
        0.5,
        when,
    )

    async with sessions() as session, session.begin():
        await update_prompt_template(session, made.id, {"is_active": True})
    async with sessions() as session:
        row = await session.get(PromptTemplate, made.id)
    assert row is not None and row.deprecated_at is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"user_template": "{issuer} {provenance_notes}"}, ["userTemplate"], "INVALID"),
        ({"user_template": "{coin.issuer}"}, ["userTemplate"], "INVALID"),
        ({"traffic_weight": -0.1}, ["trafficWeight"], "INVALID"),
        ({"traffic_weight": None}, ["trafficWeight"], "REQUIRED"),
        ({"system_prompt": "   "}, ["systemPrompt"], "REQUIRED"),
        ({"version": 0}, ["version"], "INVALID"),
        ({"requires_vision": True}, ["requiresVision"], "INVALID"),
        (
            {"output_schema": {"type": "object", "required": ["confidence"]}},
            ["outputSchema"],
            "INVALID",
        ),
        ({"output_schema": {"type": "object", "oneOf": []}}, ["outputSchema"], "INVALID"),
        ({"parameters": {"top_k": 5}}, ["parameters", "top_k"], "INVALID"),
        ({"parameters": {"max_tokens": 0}}, ["parameters", "max_tokens"], "INVALID"),
        ({"variant_name": "default", "version": 1}, ["variantName"], "CONFLICT"),
        ({"capability": "legend_expand"}, ["capability"], "INVALID"),
    ],
)
async def test_bad_template_changes_are_refused_before_any_write(
    sessions: Sessions, changes: dict[str, Any], field: list[str], code: str
) -> None:
    async with sessions() as session, session.begin():
        variant = await create_prompt_template(
            session,
            PromptTemplateInput(
                capability="context_generate",
                version=1,
                variant_name="narrative",
                system_prompt="You are a storyteller.",
                user_template="{coin_facts}",
            ),
        )
    async with sessions() as session:
        await session.begin()
        with pytest.raises(DomainError) as caught:
            await update_prompt_template(session, variant.id, changes)
        await session.rollback()
    assert (caught.value.field, caught.value.code) == (field, code)
    async with sessions() as session:
        row = await session.get(PromptTemplate, variant.id)
    assert row is not None and (row.variant_name, row.traffic_weight, row.version) == (
        "narrative",
        1.0,
        1,
    )


async def test_create_refuses_a_duplicate_and_an_unknown_template(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        with pytest.raises(DomainError) as duplicate:
            await create_prompt_template(
                session,
                PromptTemplateInput(
                    capability="legend_expand", version=1, system_prompt="s", user_template="t"
                ),
            )
        with pytest.raises(DomainError) as missing:
            await update_prompt_template(session, 4040, {"notes": "x"})
    assert (duplicate.value.code, missing.value.code, missing.value.field) == (
        "CONFLICT",
        "NOT_FOUND",
        ["templateId"],
    )


async def test_enrichment_records_the_variant_and_an_edited_template_misses_the_cache(
    sessions: Sessions, migrated_db: str
) -> None:
    async with FakeAnthropic() as fake:
        fake.respond_with(answer_by_tool)
        settings = settings_for(migrated_db, fake)
        coin_id = await add_coin(sessions, **AUGUSTUS_CAESARES)
        async with sessions() as session, session.begin():
            v2 = await create_prompt_template(
                session,
                PromptTemplateInput(
                    capability="context_generate",
                    version=2,
                    system_prompt="You are brief.",
                    user_template="{issuer}: why does this {denomination} matter?",
                ),
            )
        first = await enrich_coin(sessions, coin_id, "context_generate", settings=settings, now=NOW)
        assert (
            first.enrichment.prompt_template_id == v2.id
            and first.enrichment.capability_version == 2
        )
        assert fake.message_requests[0].body["system"] == "You are brief."
        assert (
            fake.message_requests[0].body["messages"][0]["content"]
            == "Augustus: why does this Denarius matter?"
        )

        async with sessions() as session, session.begin():
            await update_prompt_template(session, v2.id, {"system_prompt": "You are very brief."})
        second = await enrich_coin(
            sessions, coin_id, "context_generate", settings=settings, now=NOW
        )

    assert not second.cached and len(fake.message_requests) == 2
    async with sessions() as session:
        ids = (await session.scalars(select(LLMEnrichment.prompt_template_id))).all()
    assert ids == [v2.id, v2.id]
