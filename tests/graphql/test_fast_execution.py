"""The breadth-first executor answers exactly as graphql-core does, or steps aside."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.queries import COIN_DETAIL, COLLECTION_PAGE
from coinstack_graphql.graphql import fast_execution as fe
from tests.support.client import graphql_client

QUERIES: list[tuple[str, dict[str, Any] | None]] = [
    (COLLECTION_PAGE, {"first": 100}),
    (COIN_DETAIL, {"id": "Q29pbjox"}),
    ("""{ coins(first: 30, orderBy: [{field: YEAR_START, direction: DESC}]) { totalCount
        pageInfo { hasNextPage endCursor startCursor }
        edges { cursor node { __typename id issuer yearStart tags ... on Coin { mint { __typename name } } } } } }""", None),
    ("query($s: Boolean!) { coins(first: 5) { nodes { id issuer @skip(if: $s) denomination @include(if: $s) } } }",
     {"s": True}),
    ("""{ node(id: "Q29pbjox") { __typename id ... on Coin { issuer references { referenceType { localRef } } } }
        nodes(ids: ["TWludDox", "Q29pbjoy", "Q29pbjo5OTk5"]) { __typename id ... on Mint { name } } }""", None),
    ("""{ collections { nodes { name coinCount totalValue coins(first: 3) { totalCount nodes { issuer } }
        children { name } } } series { name slots { slotNumber name coin { issuer } } filledCount completionPct } }""", None),
    ("""{ mints { name latitude } vocabTerms(vocabulary: ISSUER, search: "aug") { canonicalName nomismaUri }
        referenceTypes(first: 5, system: RIC) { nodes { localRef concordance { localRef } externalLinks { externalUrl } } } }""", None),
    ("""{ wishlistItems { nodes { title minGrade maxPrice matches { title } } } priceAlerts { nodes { triggerType thresholdValue } }
        auctionLots(first: 5) { nodes { auctionHouse totalPrice coin { issuer } referenceType { localRef } } } }""", None),
    ('{ concordance(reference: "RIC I² 207") { localRef system } }', None),
    ("""query Named { coins(first: 3) { edges { node { enrichments(capability: CONTEXT_GENERATE) { id }
        fieldHistory(limit: 2) { id } valuations { currentMarketValue } ...F } } } }
        fragment F on Coin { gradingHistory { eventType grade } currentGrading { grade } primaryRarity { rarityCode } }""", None),
]
# Refused or failing operations: the standard executor must answer them, identically.
FALLBACKS: list[tuple[str, dict[str, Any] | None]] = [
    ("{ coins(first: 101) { totalCount } }", None),
    ('{ coin(id: "TWludDox") { id } }', None),
    ('{ coins(after: "garbage") { totalCount } }', None),
    ('{ concordance(reference: "XYZ 12") { localRef } }', None),
]


async def _answers(db: str, queries: list[tuple[str, Any]], *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], int]:
    original = fe.FastQueryExecutor.execute
    taken = 0

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal taken
        result = await original(self, *args, **kwargs)
        taken += result is not None
        return result

    async def declined(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    monkeypatch.setattr(fe.FastQueryExecutor, "execute", counted if fast else declined)
    answers = []
    async with graphql_client(db) as client:
        for query, variables in queries:
            response = await client.post(query, variables)
            body = response.json()
            body.pop("extensions", None)
            for error in body.get("errors", []):
                error.get("extensions", {}).pop("errorId", None)
            answers.append((response.status_code, json.dumps(body)))
    monkeypatch.setattr(fe.FastQueryExecutor, "execute", original)
    return answers, taken


async def test_fast_answers_equal_graphql_core_answers(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    standard, _ = await _answers(demo_db, QUERIES, fast=False, monkeypatch=monkeypatch)
    fast, taken = await _answers(demo_db, QUERIES, fast=True, monkeypatch=monkeypatch)
    assert taken == len(QUERIES)
    for (query, _vars), expected, got in zip(QUERIES, standard, fast, strict=True):
        assert got == expected, query


async def test_errors_fall_back_to_graphql_core(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    standard, _ = await _answers(demo_db, FALLBACKS, fast=False, monkeypatch=monkeypatch)
    fast, taken = await _answers(demo_db, FALLBACKS, fast=True, monkeypatch=monkeypatch)
    assert taken == 0
    assert fast == standard
    assert all('"errors"' in body for _status, body in fast)


async def test_mutations_never_take_the_fast_path(demo_db_copy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    mutation = 'mutation { addCoinTags(input: {coin: "Q29pbjox", tags: ["fast-path"]}) { tags } }'
    _, taken = await _answers(demo_db_copy, [(mutation, None)], fast=True, monkeypatch=monkeypatch)
    assert taken == 0
