"""enrichmentBatchProgress over a real graphql-transport-ws socket on the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from httpx_ws import AsyncWebSocketSession, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from tests.enrichment import answer_by_tool
from tests.fakes.anthropic_api import Reply, Slow
from tests.graphql.enrichment import BATCH_FIELDS, llm_app, token
from tests.graphql.mutations import gid, run
from tests.support.client import GraphQLClient

UNKNOWN_BATCH = "0f8fad5b-d9cb-469f-a165-70867728950e"
PROGRESS = """subscription P($batch: ID!) { enrichmentBatchProgress(batch: $batch) {
  status total progress errors batch { id status progress } } }"""


@asynccontextmanager
async def socket(client: GraphQLClient, **init: Any) -> AsyncIterator[AsyncWebSocketSession]:
    """An acknowledged graphql-transport-ws connection to the running app."""
    transport = ASGIWebSocketTransport(app=client.app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http,
        aconnect_ws(
            "/graphql", http, subprotocols=["graphql-transport-ws"],
            session_class=AsyncWebSocketSession,
        ) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": init})
        assert (await ws.receive_json(timeout=10))["type"] == "connection_ack"
        yield ws


async def follow(ws: AsyncWebSocketSession, batch_id: str) -> list[dict[str, Any]]:
    """Every message of one subscription, up to and including its `complete`."""
    await ws.send_json(
        {"id": "1", "type": "subscribe",
         "payload": {"query": PROGRESS, "variables": {"batch": batch_id}}}
    )
    messages = []
    while not messages or messages[-1]["type"] not in ("complete", "error"):
        messages.append(await ws.receive_json(timeout=30))
    return messages


async def start(client: GraphQLClient, issuer: str) -> dict[str, Any]:
    payload = await run(
        client, "startEnrichmentBatch",
        {"capability": "CONTEXT_GENERATE", "filter": {"issuer": [issuer]}},
        f"batch {{ {BATCH_FIELDS} }}",
    )
    return payload["batch"]


async def test_progress_arrives_over_the_socket_up_to_completion(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy, llm_batch_concurrency=1) as (client, fake):
        fake.respond_with(lambda body: Slow(0.1, then=Reply(tool_input=answer_by_tool(body))))
        async with socket(client) as ws:
            batch = await start(client, "Hadrian")
            messages = await follow(ws, batch["id"])

    assert messages[-1] == {"id": "1", "type": "complete"}
    events = [m["payload"]["data"]["enrichmentBatchProgress"] for m in messages[:-1]]
    assert all(m["type"] == "next" for m in messages[:-1])
    assert len(events) >= 3  # the state when subscribing, changes, the end
    assert {e["total"] for e in events} == {5}
    counts = [e["progress"] for e in events]
    assert counts == sorted(counts)
    states = [(e["status"], e["progress"]) for e in events]
    assert len(set(states)) == len(states)  # each event is a change
    assert set(counts) >= {1, 2, 3, 4, 5}  # every coin finished was heard of
    assert events[-1] == {
        "status": "COMPLETED", "total": 5, "progress": 5, "errors": 0,
        "batch": {"id": batch["id"], "status": "COMPLETED", "progress": 5},
    }
    assert all(e["status"] in ("QUEUED", "RUNNING") for e in events[:-1])


async def test_a_finished_batch_gives_its_state_and_completes(demo_db_copy: str) -> None:
    reader = None
    async with llm_app(demo_db_copy) as (client, _):
        batch = await start(client, "Zenobia")  # nothing matches: completed at once
        reader = await token(demo_db_copy, "watcher", "read")
        async with socket(client, Authorization=f"Bearer {reader}") as ws:
            messages = await follow(ws, batch["id"])

    assert [m["type"] for m in messages] == ["next", "complete"]
    assert messages[0]["payload"]["data"]["enrichmentBatchProgress"]["status"] == "COMPLETED"


async def test_an_unknown_or_foreign_batch_id_is_an_error(demo_db_copy: str) -> None:
    async with llm_app(demo_db_copy) as (client, _):
        async with socket(client) as ws:
            unknown = await follow(ws, gid("EnrichmentBatch", UNKNOWN_BATCH))
        async with socket(client) as ws:
            foreign = await follow(ws, gid("Coin", 52))

    for messages, text in ((unknown, "no enrichment batch"), (foreign, "EnrichmentBatch")):
        errors = messages[0]["payload"]
        errors = errors["errors"] if isinstance(errors, dict) else errors
        assert text in errors[0]["message"], messages
