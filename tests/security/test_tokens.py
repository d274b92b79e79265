"""API tokens: who may read, write and administer, and how refusals look."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from sqlalchemy import select, text

from coinstack_graphql.auth import tokens
from coinstack_graphql.auth.models import ApiToken
from coinstack_graphql.db.engine import create_null_pool_engine, session_factory
from tests.support.client import graphql_client

READ = "{ coins(first: 1) { totalCount } }"
WRITE = 'mutation { addCoinTags(input: {coin: "Q29pbjox", tags: ["token-test"]}) { tags userErrors { message } } }'
ADMIN = """mutation { createPromptTemplate(input: {capability: CONTEXT_GENERATE, version: 99,
  systemPrompt: "s", userTemplate: "u"}) { userErrors { message } } }"""


async def _create(url: str, name: str, scope: str) -> str:
    engine = create_null_pool_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            _token, plaintext = await tokens.create_token(session, name, scope)
            return plaintext
    finally:
        await engine.dispose()


async def _revoke(url: str, name: str) -> None:
    engine = create_null_pool_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            await tokens.revoke_token(session, name)
    finally:
        await engine.dispose()


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_anonymous_on_loopback_without_tokens_may_do_everything(demo_db_copy: str) -> None:
    async with graphql_client(demo_db_copy) as client:
        assert (await client.post(READ)).status_code == 200
        body = (await client.post(WRITE)).json()
        assert body["data"]["addCoinTags"]["userErrors"] == []


async def test_once_a_token_exists_requests_need_one(demo_db_copy: str) -> None:
    plaintext = await _create(demo_db_copy, "frontend", "read")
    async with graphql_client(demo_db_copy) as client:
        missing = await client.post(READ)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        assert "API token" in missing.json()["errors"][0]["message"]
        wrong = await client.post(READ, headers=_bearer("cst_not-a-real-token"))
        assert wrong.status_code == 401
        assert "invalid or revoked" in wrong.json()["errors"][0]["message"]
        malformed = await client.post(READ, headers={"authorization": "Basic abc"})
        assert malformed.status_code == 401
        ok = await client.post(READ, headers=_bearer(plaintext))
        assert ok.status_code == 200 and "errors" not in ok.json()


async def test_scopes(demo_db_copy: str) -> None:
    reader = await _create(demo_db_copy, "reader", "read")
    writer = await _create(demo_db_copy, "writer", "write")
    admin = await _create(demo_db_copy, "admin", "admin")
    async with graphql_client(demo_db_copy) as client:
        refused = (await client.post(WRITE, headers=_bearer(reader))).json()
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "'write' scope" in refused["errors"][0]["message"]
        assert refused.get("data") is None
        written = (await client.post(WRITE, headers=_bearer(writer))).json()
        assert written["data"]["addCoinTags"]["userErrors"] == []
        not_admin = (await client.post(ADMIN, headers=_bearer(writer))).json()
        assert not_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "'admin' scope" in not_admin["errors"][0]["message"]
        as_admin = (await client.post(ADMIN, headers=_bearer(admin))).json()
        assert "errors" not in as_admin or as_admin["errors"][0]["extensions"]["code"] != "FORBIDDEN"
        # a fragment cannot hide an admin field from the scope check
        hidden = "mutation { ...F } fragment F on Mutation { createPromptTemplate(input: {capability: CONTEXT_GENERATE, version: 98, systemPrompt: \"s\", userTemplate: \"u\"}) { userErrors { message } } }"
        sneaky = (await client.post(hidden, headers=_bearer(writer))).json()
        assert sneaky["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_revoked_tokens_are_refused(demo_db_copy: str) -> None:
    plaintext = await _create(demo_db_copy, "old", "write")
    await _create(demo_db_copy, "current", "read")
    await _revoke(demo_db_copy, "old")
    async with graphql_client(demo_db_copy) as client:
        response = await client.post(READ, headers=_bearer(plaintext))
        assert response.status_code == 401


async def test_tokens_are_stored_only_as_hashes_and_last_use_is_kept(demo_db_copy: str) -> None:
    plaintext = await _create(demo_db_copy, "hashed", "read")
    async with graphql_client(demo_db_copy) as client:
        await client.post(READ, headers=_bearer(plaintext))
    engine = create_null_pool_engine(demo_db_copy)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT * FROM api_tokens"))).mappings().all()
        dump = repr(rows)
        assert plaintext not in dump
        assert plaintext[10:] not in dump  # not even the secret part
        async with session_factory(engine)() as session:
            token = (await session.execute(select(ApiToken))).scalar_one()
        assert token.token_hash == tokens.hash_token(plaintext)
        assert token.last_used_at is not None
    finally:
        await engine.dispose()


def test_serve_refuses_a_public_address_without_tokens(migrated_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"COINSTACK_DATABASE_URL": migrated_db, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "coinstack_graphql.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "refusing to serve on 0.0.0.0 without API tokens" in result.stdout
    asyncio.run(_create(migrated_db, "ops", "admin"))
    from coinstack_graphql.auth.startup import check_serve_access

    assert asyncio.run(check_serve_access(migrated_db, "0.0.0.0", insecure=False)) is None
    assert asyncio.run(check_serve_access(migrated_db, "10.1.2.3", insecure=True)) is None
