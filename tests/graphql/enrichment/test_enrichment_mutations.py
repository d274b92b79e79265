"""The enrichment mutations through the real app, its SDK client aimed at the fake API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update

from coinstack_graphql.enrichment.models import PromptTemplate
from tests.enrichment import ANSWERS, open_sessions
from tests.fakes.anthropic_api import Error
from tests.graphql.enrichment import (
    BATCH_FIELDS,
    CLAUDIUS,
    MODEL,
    TITUS,
    coin_id,
    llm_app,
    token,
    wait_for_batch,
)
from tests.graphql.mutations import MISSING, error_at, gid, query, refused, run
from tests.support.client import GraphQLClient, graphql_client

CONTEXT = ANSWERS["record_historical_context"]
ENRICHMENT = """enrichment { id databaseId capability reviewStatus modelId output costUsd
  needsReview qualityFlags batchJobId promptTemplate { version variantName } }"""
ENRICH = f"{ENRICHMENT} cached coin {{ id databaseId }}"
ENRICH_BY_VARIABLE = (
    "mutation E($coin: ID!) { enrichCoin(input: {coin: $coin, capability: CONTEXT_GENERATE}) "
    "{ cached userErrors { code } } }"
)
USAGE = "query { llmUsage { capability modelId requestCount cacheHits errorCount } }"
COIN = """query C($id: ID!) { coin(id: $id) {
  historicalSignificance
  enrichments { id reviewStatus }
  fieldHistory(limit: 20) { fieldName newValue changeType newSource newSourceId changedBy }
} }"""


async def enrich(client: GraphQLClient, coin: int, capability: str = "CONTEXT_GENERATE") -> Any:
    return await run(
        client, "enrichCoin", {"coin": coin_id(coin), "capability": capability}, ENRICH
    )


async def coin_state(client: GraphQLClient, coin: int) -> dict[str, Any]:
    return (await query(client, COIN, id=coin_id(coin)))["coin"]


# ---- enrichCoin


async def test_enrich_coin_stores_an_answer_for_review_and_serves_it_again_from_the_cache(
    demo_db_copy: str,
) -> None:
    async with llm_app(demo_db_copy) as (client, fake):
        first = await enrich(client, CLAUDIUS)
        second = await enrich(client, CLAUDIUS)
        usage = (await query(client, USAGE))["llmUsage"]
        state = await coin_state(client, CLAUDIUS)

    enrichment = first["enrichment"]
    assert first["cached"] is False
    assert first["coin"] == {"id": coin_id(CLAUDIUS), "databaseId": CLAUDIUS}
    assert enrichment["capability"] == "CONTEXT_GENERATE"
    assert enrichment["reviewStatus"] == "PENDING"
    assert enrichment["modelId"] == MODEL
    assert enrichment["output"] == CONTEXT
    assert Decimal(enrichment["costUsd"]) > 0
    assert enrichment["promptTemplate"] == {"version": 1, "variantName": "default"}
    assert len(fake.message_requests) == 1  # the second call asked nothing
    assert fake.message_requests[0].body["model"] == MODEL
    assert second["cached"] is True
    assert second["enrichment"]["id"] == enrichment["id"]
    assert usage == [{"capability": "context_generate", "modelId": MODEL, "requestCount": 1,
                      "cacheHits": 1, "errorCount": 0}]
    assert state["enrichments"] == [{"id": enrichment["id"], "reviewStatus": "PENDING"}]
    assert state["historicalSignificance"] is None  # nothing applied before review


async def test_without_an_api_key_enrichment_is_unavailable_and_the_rest_works(
    demo_db_copy: str,
) -> None:
    async with graphql_client(demo_db_copy) as client:
        errors = await refused(
            client, "enrichCoin", {"coin": coin_id(CLAUDIUS), "capability": "CONTEXT_GENERATE"},
            ENRICH,
        )
        batch_errors = await refused(
            client, "startEnrichmentBatch", {"capability": "CONTEXT_GENERATE"},
            f"batch {{ {BATCH_FIELDS} }}",
        )
        state = await coin_state(client, CLAUDIUS)
        coins = await query(client, "query { coins(first: 2) { totalCount nodes { id } } }")
        usage = (await query(client, USAGE))["llmUsage"]

    for problems in (errors, batch_errors):
        (error,) = problems
        assert error["code"] == "LLM_UNAVAILABLE" and error["field"] is None
        assert "set ANTHROPIC_API_KEY" in error["message"]
    assert state["enrichments"] == []
    assert coins["coins"]["totalCount"] == 162 and len(coins["coins"]["nodes"]) == 2
    assert usage == []


async def test_a_spent_budget_refuses_new_calls(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy, llm_daily_budget_usd=Decimal("0")) as (client, fake):
        error = await error_at(
            client, "enrichCoin", {"coin": coin_id(CLAUDIUS), "capability": "CONTEXT_GENERATE"},
            None, "BUDGET_EXCEEDED",  # type: ignore[arg-type]
        )
        batch = await error_at(
            client, "startEnrichmentBatch", {"capability": "CONTEXT_GENERATE"},
            None, "BUDGET_EXCEEDED",  # type: ignore[arg-type]
        )

    assert "daily LLM budget" in error["message"] and "daily LLM budget" in batch["message"]
    assert fake.requests == []


async def test_an_api_failing_after_the_configured_retries_is_unavailable_and_counted(
    demo_db_copy: str,
) -> None:
    async with llm_app(demo_db_copy, llm_max_retries=2) as (client, fake):
        fake.enqueue(*[Error(529, retry_after_ms=1)] * 3)
        (error,) = await refused(
            client, "enrichCoin", {"coin": coin_id(CLAUDIUS), "capability": "CONTEXT_GENERATE"},
            ENRICH,
        )
        usage = (await query(client, USAGE))["llmUsage"]
        state = await coin_state(client, CLAUDIUS)

    assert error["code"] == "LLM_UNAVAILABLE"
    assert "529" in error["message"] and "after 2 retries" in error["message"]
    assert len(fake.message_requests) == 3
    assert usage == [{"capability": "context_generate", "modelId": MODEL, "requestCount": 0,
                      "cacheHits": 0, "errorCount": 1}]
    assert state["enrichments"] == []  # nothing half-written


async def test_enrich_coin_refuses_an_unknown_coin(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, fake):
        await error_at(
            client, "enrichCoin", {"coin": coin_id(MISSING), "capability": "CONTEXT_GENERATE"},
            ["input", "coin"], "NOT_FOUND",
        )
    assert fake.requests == []


# ---- review and feedback


REVIEW = f"{ENRICHMENT} appliedChanges coin {{ historicalSignificance }}"


async def test_approving_applies_the_answer_with_field_history(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, _):
        enrichment = (await enrich(client, CLAUDIUS))["enrichment"]
        payload = await run(
            client, "reviewEnrichment",
            {"enrichment": enrichment["id"], "action": "APPROVE", "notes": "checked against RIC"},
            REVIEW,
        )
        state = await coin_state(client, CLAUDIUS)
        again = await error_at(
            client, "reviewEnrichment", {"enrichment": enrichment["id"], "action": "REJECT"},
            ["input", "enrichment"], "CONFLICT",
        )

    text = CONTEXT["historical_significance"]
    assert payload["enrichment"]["reviewStatus"] == "APPROVED"
    assert payload["appliedChanges"] == {"historical_significance": text}
    assert payload["coin"] == {"historicalSignificance": text}
    assert state["historicalSignificance"] == text
    (change,) = [c for c in state["fieldHistory"] if c["fieldName"] == "historical_significance"]
    assert change == {
        "fieldName": "historical_significance", "newValue": text, "changeType": "llm",
        "newSource": "llm:context_generate", "newSourceId": str(enrichment["databaseId"]),
        "changedBy": "anonymous",
    }
    assert "already reviewed" in again["message"]


async def test_rejecting_applies_nothing_and_revising_applies_the_correction(
    demo_db_copy: str,
) -> None:
    revised = {**CONTEXT, "historical_significance": "Struck for Claudius at Rome, AD 41-50."}
    async with llm_app(demo_db_copy) as (client, _):
        rejected = (await enrich(client, TITUS))["enrichment"]
        before = await coin_state(client, TITUS)
        rejection = await run(
            client, "reviewEnrichment", {"enrichment": rejected["id"], "action": "REJECT"}, REVIEW
        )
        after = await coin_state(client, TITUS)

        answer = (await enrich(client, CLAUDIUS))["enrichment"]
        bad = await error_at(
            client, "reviewEnrichment",
            {"enrichment": answer["id"], "action": "REVISE",
             "revisedOutput": {**revised, "confidence": 2}},
            ["input", "revisedOutput", "confidence"], "INVALID",
        )
        missing = await error_at(
            client, "reviewEnrichment", {"enrichment": answer["id"], "action": "REVISE"},
            ["input", "revisedOutput"], "REQUIRED",
        )
        revision = await run(
            client, "reviewEnrichment",
            {"enrichment": answer["id"], "action": "REVISE", "revisedOutput": revised},
            REVIEW,
        )

    assert rejection["enrichment"]["reviewStatus"] == "REJECTED"
    assert rejection["appliedChanges"] == {}
    assert after["historicalSignificance"] == before["historicalSignificance"]
    assert after["fieldHistory"] == before["fieldHistory"]
    assert bad["message"].startswith("revised output:")
    assert missing["message"] == "revise needs the corrected output"
    assert revision["enrichment"]["reviewStatus"] == "REVISED"
    assert revision["enrichment"]["output"] == revised
    assert [f["code"] for f in revision["enrichment"]["qualityFlags"]] == ["revised"]
    assert revision["coin"] == {"historicalSignificance": revised["historical_significance"]}


FEEDBACK = """feedback { id feedbackType fieldPath originalValue correctedValue userId
  feedbackNotes } enrichment { id feedback { id } }"""


async def test_feedback_on_a_field_of_an_answer(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, _):
        enrichment = (await enrich(client, CLAUDIUS))["enrichment"]
        payload = await run(
            client, "addEnrichmentFeedback",
            {"enrichment": enrichment["id"], "feedbackType": "CORRECTION",
             "fieldPath": "key_points.1", "correctedValue": "Struck at Rome",
             "notes": "the mint is wrong"},
            FEEDBACK,
        )
        helpful = await run(
            client, "addEnrichmentFeedback",
            {"enrichment": enrichment["id"], "feedbackType": "HELPFUL"}, FEEDBACK,
        )
        await error_at(
            client, "addEnrichmentFeedback",
            {"enrichment": enrichment["id"], "feedbackType": "HALLUCINATION", "fieldPath": "mint"},
            ["input", "fieldPath"], "INVALID",
        )
        await error_at(
            client, "addEnrichmentFeedback",
            {"enrichment": enrichment["id"], "feedbackType": "CORRECTION"},
            ["input", "correctedValue"], "REQUIRED",
        )
        await error_at(
            client, "addEnrichmentFeedback",
            {"enrichment": gid("LLMEnrichment", MISSING), "feedbackType": "HELPFUL"},
            ["input", "enrichment"], "NOT_FOUND",
        )

    feedback = payload["feedback"]
    assert feedback["feedbackType"] == "correction"
    assert feedback["originalValue"] == CONTEXT["key_points"][1]  # read from the answer
    assert (feedback["correctedValue"], feedback["userId"]) == ("Struck at Rome", "anonymous")
    assert feedback["feedbackNotes"] == "the mint is wrong"
    assert helpful["enrichment"]["feedback"] == [{"id": feedback["id"]},
                                                 {"id": helpful["feedback"]["id"]}]


# ---- prompt templates

TEMPLATE = """promptTemplate { id capability version variantName trafficWeight isActive
  deprecatedAt notes parameters }"""
NEW_TEMPLATE = {
    "capability": "CONTEXT_GENERATE",
    "version": 2,
    "systemPrompt": "You are a numismatist writing for collectors.",
    "userTemplate": "Why does this coin matter?\n\n{coin_facts}",
    "parameters": {"max_tokens": 900},
    "notes": "shorter answers",
}


async def test_prompt_templates_are_created_and_updated(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, fake):
        created = (await run(client, "createPromptTemplate", NEW_TEMPLATE, TEMPLATE))[
            "promptTemplate"
        ]
        enrichment = (await enrich(client, CLAUDIUS))["enrichment"]
        unknown = await error_at(
            client, "createPromptTemplate",
            {**NEW_TEMPLATE, "version": 3, "userTemplate": "About {emperor}"},
            ["input", "userTemplate"], "INVALID",
        )
        await error_at(
            client, "createPromptTemplate", NEW_TEMPLATE, ["input", "variantName"], "CONFLICT"
        )
        updated = (await run(
            client, "updatePromptTemplate", {"id": created["id"], "isActive": False}, TEMPLATE
        ))["promptTemplate"]
        await error_at(
            client, "updatePromptTemplate", {"id": created["id"], "trafficWeight": -1},
            ["input", "trafficWeight"], "INVALID",
        )
        listed = await query(
            client, "query { promptTemplates(capability: CONTEXT_GENERATE) { version isActive } }"
        )

    assert (created["version"], created["variantName"], created["isActive"]) == (2, "default", True)
    assert created["parameters"] == {"max_tokens": 900}
    assert enrichment["promptTemplate"] == {"version": 2, "variantName": "default"}
    body = fake.message_requests[0].body
    assert body["max_tokens"] == 900 and body["system"] == NEW_TEMPLATE["systemPrompt"]
    assert "{emperor}" in unknown["message"]
    assert updated["isActive"] is False and updated["deprecatedAt"] is not None
    assert updated["notes"] == "shorter answers"  # omitted: left as it was
    assert listed["promptTemplates"] == [
        {"version": 2, "isActive": False}, {"version": 1, "isActive": True}
    ]


async def test_a_template_with_a_temperature_is_refused(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, _):
        await error_at(
            client, "createPromptTemplate",
            {**NEW_TEMPLATE, "parameters": {"max_tokens": 900, "temperature": 0.2}},
            ["input", "parameters", "temperature"], "INVALID",
        )


async def test_a_stored_template_with_a_temperature_still_enriches(demo_db_copy: str) -> None:
    async with open_sessions(demo_db_copy) as sessions, sessions() as session, session.begin():
        await session.execute(
            update(PromptTemplate)
            .where(PromptTemplate.capability == "context_generate")
            .values(parameters={"max_tokens": 900, "temperature": 0.2})
        )
    async with llm_app(demo_db_copy) as (client, fake):
        response = await client.post(ENRICH_BY_VARIABLE, {"coin": coin_id(CLAUDIUS)})
    assert "errors" not in response.json(), response.json()
    assert "temperature" not in fake.message_requests[0].body


async def test_prompt_template_mutations_need_the_admin_scope(demo_db_copy: str) -> None:
    reader = await token(demo_db_copy, "reader", "read")
    writer = await token(demo_db_copy, "writer", "write")
    admin = await token(demo_db_copy, "admin", "admin")
    document = (
        "mutation Run($input: CreatePromptTemplateInput!) { createPromptTemplate(input: $input) "
        "{ promptTemplate { version } userErrors { code } } }"
    )
    async with llm_app(demo_db_copy) as (client, _):
        refusals = []
        for plaintext in (reader, writer):
            response = await client.post(
                document, {"input": NEW_TEMPLATE},
                headers={"Authorization": f"Bearer {plaintext}"},
            )
            refusals.append(response.json())
        allowed = await client.execute(
            document, {"input": NEW_TEMPLATE}, headers={"Authorization": f"Bearer {admin}"}
        )
        enrichment = await client.execute(
            ENRICH_BY_VARIABLE, {"coin": coin_id(CLAUDIUS)},
            headers={"Authorization": f"Bearer {writer}"},
        )

    for body in refusals:
        assert body.get("data") is None
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert error["extensions"]["requiredScope"] == "admin"
    assert allowed["createPromptTemplate"] == {"promptTemplate": {"version": 2}, "userErrors": []}
    assert enrichment["enrichCoin"] == {"cached": False, "userErrors": []}


# ---- batches


async def test_start_enrichment_batch_runs_in_the_background_to_completion(
    demo_db_copy: str,
) -> None:
    selection = f"batch {{ {BATCH_FIELDS} coinFilter }}"
    async with llm_app(demo_db_copy, llm_batch_concurrency=2) as (client, fake):
        matching = await query(
            client, 'query { coins(filter: {issuer: ["Hadrian"]}) { totalCount nodes { id } } }'
        )
        started = (await run(
            client, "startEnrichmentBatch",
            {"capability": "CONTEXT_GENERATE", "filter": {"issuer": ["Hadrian"]}}, selection,
        ))["batch"]
        finished = await wait_for_batch(client, started["id"])
        listed = await query(
            client, "query { enrichmentBatches(first: 5) { totalCount nodes { id status } } }"
        )
        by_node = await query(
            client, "query N($id: ID!) { node(id: $id) { ... on EnrichmentBatch { total } } }",
            id=started["id"],
        )
        coins = await query(
            client, 'query { coins(filter: {issuer: ["Hadrian"]}) { nodes { enrichments { '
            "batchJobId reviewStatus } } } }",
        )
        nothing = (await run(
            client, "startEnrichmentBatch",
            {"capability": "CONTEXT_GENERATE", "filter": {"issuer": ["Zenobia"]}}, selection,
        ))["batch"]

    total = matching["coins"]["totalCount"]
    assert total == 5
    assert started["status"] == "QUEUED" and started["total"] == total
    assert started["capability"] == "CONTEXT_GENERATE"
    assert started["coinFilter"] == {"issuers": ["Hadrian"]}
    assert finished["status"] == "COMPLETED"
    assert (finished["progress"], finished["updated"], finished["errors"]) == (total, total, 0)
    assert finished["message"] is None
    assert len(fake.message_requests) == total
    assert listed["enrichmentBatches"]["nodes"][0] == {"id": started["id"], "status": "COMPLETED"}
    assert by_node["node"] == {"total": total}
    for node in coins["coins"]["nodes"]:
        assert node["enrichments"] == [
            {"batchJobId": started["jobId"], "reviewStatus": "PENDING"}
        ]
    assert (nothing["status"], nothing["total"]) == ("COMPLETED", 0)


async def test_a_batch_stopped_by_the_budget_is_resumed_on_request(demo_db_copy: str) -> None:
    selection = f"batch {{ {BATCH_FIELDS} }}"
    async with llm_app(
        demo_db_copy, llm_batch_concurrency=1, llm_daily_budget_usd=Decimal("0.000001")
    ) as (client, _):
        started = (await run(
            client, "startEnrichmentBatch",
            {"capability": "CONTEXT_GENERATE", "filter": {"issuer": ["Hadrian"]}}, selection,
        ))["batch"]
        stopped = await wait_for_batch(client, started["id"])
        refused_resume = await error_at(
            client, "resumeEnrichmentBatch", {"batch": started["id"]}, None,  # type: ignore[arg-type]
            "BUDGET_EXCEEDED",
        )
    async with llm_app(demo_db_copy, llm_batch_concurrency=2) as (client, fake):
        still = await wait_for_batch(client, started["id"])  # not resumed at start: it failed
        resumed = (await run(client, "resumeEnrichmentBatch", {"batch": started["id"]}, selection))
        finished = await wait_for_batch(client, started["id"])
        done_twice = await error_at(
            client, "resumeEnrichmentBatch", {"batch": started["id"]}, ["input", "batch"],
            "CONFLICT",
        )

    assert (stopped["status"], stopped["progress"]) == ("FAILED", 1)
    assert "daily LLM budget" in stopped["message"]
    assert "daily LLM budget" in refused_resume["message"]
    assert still["status"] == "FAILED"
    assert resumed["batch"]["id"] == started["id"]
    assert (resumed["batch"]["status"], resumed["batch"]["message"]) == ("QUEUED", None)
    assert (finished["status"], finished["progress"], finished["updated"]) == ("COMPLETED", 5, 5)
    assert len(fake.message_requests) == 4  # the coin finished before the stop is not redone
    assert "already completed" in done_twice["message"]
