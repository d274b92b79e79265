"""The real app over HTTP: /healthz, both media types, GET for queries only, 4xx, GraphiQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from coinstack_graphql import __version__
from coinstack_graphql.db import migrations
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.http.request_parsing import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON
from tests.support.client import GraphQLClient, graphql_client

BASELINE = "892810d42bbe"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERY = """query Dearest($n: Int!) {
  coins(first: $n, orderBy: [{field: ACQUISITION_PRICE, direction: DESC}]) {
    nodes { issuer acquisitionPrice }
  }
}"""
DEAREST = {"coins": {"nodes": [
    {"issuer": c.issuer, "acquisitionPrice": f"{c.acquisition_price:.2f}"}
    for c in sorted(cat.COINS, key=lambda c: c.acquisition_price, reverse=True)[:2]
]}}
# Harmless even if it ran: the coin does not exist, so nothing would be written.
MUTATION = (
    'mutation { updateCoin(input: {id: "Q29pbjo5OTk5OTk=", grade: "VF"}) { userErrors { code } } }'
)


@pytest.fixture(scope="module")
async def client(demo_db: str) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(demo_db) as c:
        yield c


@pytest.fixture
def http(client: GraphQLClient) -> httpx.AsyncClient:
    return client.http


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


# --- /healthz ---------------------------------------------------------------------------


async def test_healthz_is_green_on_the_demo(http: httpx.AsyncClient, demo_db: str) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    head = migrations.head_revision(demo_db)
    assert response.json() == {
        "version": __version__,
        "status": "ok",
        "database": "reachable",
        "migration": head,
        "head": head,
        "migrationsAtHead": True,
    }


async def test_healthz_is_503_when_migrations_are_behind(empty_db: str) -> None:
    migrations.upgrade(empty_db, BASELINE)
    async with graphql_client(empty_db) as behind:
        response = await behind.http.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "reachable"
    assert body["migration"] == BASELINE
    assert body["head"] == migrations.head_revision(empty_db) != BASELINE
    assert body["migrationsAtHead"] is False


async def test_healthz_is_503_on_an_unmigrated_database(empty_db: str) -> None:
    async with graphql_client(empty_db) as bare:
        response = await bare.http.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body.get("migrationsAtHead") is not True


async def test_healthz_answers_get_only(http: httpx.AsyncClient) -> None:
    response = await http.post("/healthz")
    assert response.status_code == 405


# --- POST, both media types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (APPLICATION_JSON, APPLICATION_JSON),
        (None, GRAPHQL_RESPONSE_JSON),
        (f"{APPLICATION_JSON}, {GRAPHQL_RESPONSE_JSON};q=0.5", APPLICATION_JSON),
    ],
)
async def test_post_answers_in_the_accepted_media_type(
    http: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    else:
        headers["accept"] = ""
    response = await http.post(
        "/graphql",
        content=json.dumps({"query": QUERY, "variables": {"n": 2}, "operationName": "Dearest"}),
        headers=headers,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    body = response.json()
    assert body["data"] == DEAREST
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2


@pytest.mark.parametrize(
    ("accept", "status"), [(GRAPHQL_RESPONSE_JSON, 400), (APPLICATION_JSON, 200)]
)
async def test_validation_error_status_per_media_type(
    http: httpx.AsyncClient, accept: str, status: int
) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ coins { edges { nope } } }"}, headers={"accept": accept}
    )
    assert response.status_code == status
    assert media_type(response) == accept
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Cannot query field 'nope' on type 'CoinEdge'.")


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, APPLICATION_JSON])
async def test_field_error_is_200_with_partial_data(http: httpx.AsyncClient, accept: str) -> None:
    response = await http.post(
        "/graphql",
        json={"query": '{ series { name } coin(id: "nope") { id } }'},
        headers={"accept": accept},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {
        "series": [{"name": "Severan women"}, {"name": "Twelve Caesars"}], "coin": None
    }
    assert body["errors"][0]["path"] == ["coin"]


async def test_post_mutation_runs(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": MUTATION})
    assert response.status_code == 200
    assert response.json()["data"] == {"updateCoin": {"userErrors": [{"code": "NOT_FOUND"}]}}


# --- GET ------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, APPLICATION_JSON])
async def test_get_runs_a_query(http: httpx.AsyncClient, accept: str) -> None:
    response = await http.get(
        "/graphql",
        params={"query": QUERY, "variables": json.dumps({"n": 2}), "operationName": "Dearest"},
        headers={"accept": accept},
    )
    assert response.status_code == 200
    assert media_type(response) == accept
    assert response.json()["data"] == DEAREST


async def test_get_with_html_accept_and_a_query_runs_it(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql", params={"query": "{ series { slug } }"}, headers={"accept": BROWSER}
    )
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE_JSON  # */* covers both: the server's pick
    assert response.json()["data"] == {
        "series": [{"slug": "severan-women"}, {"slug": "twelve-caesars"}]
    }


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, APPLICATION_JSON])
async def test_get_mutation_is_405(http: httpx.AsyncClient, accept: str) -> None:
    response = await http.get("/graphql", params={"query": MUTATION}, headers={"accept": accept})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    body = response.json()
    assert "data" not in body
    assert body["errors"] == [{
        "message": "Mutations cannot be sent with GET; use POST.",
        "extensions": {"code": "METHOD_NOT_ALLOWED"},
    }]


async def test_get_mutation_chosen_by_operation_name_is_405(http: httpx.AsyncClient) -> None:
    document = "query Q { __typename } " + MUTATION.replace("mutation", "mutation M", 1)
    ok = await http.get("/graphql", params={"query": document, "operationName": "Q"})
    assert (ok.status_code, ok.json()["data"]) == (200, {"__typename": "Query"})
    refused = await http.get("/graphql", params={"query": document, "operationName": "M"})
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "The request has no `query`."),
        ({"query": "{ __typename }", "variables": "{oops"}, "`variables` is not valid JSON."),
        ({"query": "{ __typename }", "variables": "[1]"},
         "`variables` must be a JSON object or null."),
    ],
)
async def test_bad_get_requests_are_400(
    http: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await http.get("/graphql", params=params, headers={"accept": APPLICATION_JSON})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


# --- other methods, content types and bodies ------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_are_405(http: httpx.AsyncClient, method: str) -> None:
    response = await http.request(
        method, "/graphql", json={"query": "{ __typename }"}, headers={"accept": APPLICATION_JSON}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/graphql",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
    ],
)
async def test_post_needs_json_content_type(
    http: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"accept": GRAPHQL_RESPONSE_JSON}
    if content_type is not None:
        headers["content-type"] = content_type
    response = await http.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert response.status_code == 415
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "application/json" in error["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The request body is not valid JSON."),
        (b"", "The request body is not valid JSON."),
        (b"\xff\xfe{}", "The request body is not valid UTF-8."),
        (b"[]", "Batched requests (a JSON array) are not enabled."),
        (b'"query"', "The request body must be a JSON object."),
        (b"{}", "The request has no `query`."),
        (b'{"query": 42}', "`query` must be a string."),
        (b'{"query": "{ __typename }", "variables": [1]}',
         "`variables` must be a JSON object or null."),
        (b'{"query": "{ __typename }", "operationName": 7}',
         "`operationName` must be a string or null."),
    ],
)
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, APPLICATION_JSON])
async def test_malformed_bodies_are_400(
    http: httpx.AsyncClient, body: bytes, message: str, accept: str
) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )
    assert response.status_code == 400
    assert media_type(response) == accept
    payload = response.json()
    assert payload == {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


async def test_unacceptable_accept_is_406(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


async def test_internal_errors_are_not_500_for_client_mistakes(http: httpx.AsyncClient) -> None:
    """A run of mistakes a client makes: every answer is a 4xx or a 200 with errors."""
    attempts: list[dict[str, Any]] = [
        {"query": "{ coin(id: 42) { id } }"},
        {"query": '{ coins(filter: {yearFrom: "x"}) { totalCount } }'},
        {"query": "query($n: Int!) { coins(first: $n) { totalCount } }", "variables": {"n": "ten"}},
        {"query": "query($n: Int!) { coins(first: $n) { totalCount } }", "variables": {"n": 2**40}},
        {"query": '{ coins(after: "%%%") { totalCount } }'},
        {"query": '{ referenceTypes(system: NOPE) { totalCount } }'},
        {"query": "subscription { priceAlertTriggered { alertId } }"},
        {"query": "query A { __typename } query B { __typename }"},
        {"query": "query A { __typename }", "operationName": "Z"},
        {"query": "   "},
    ]
    for body in attempts:
        response = await http.post("/graphql", json=body)
        assert response.status_code in (200, 400), (body, response.text)
        assert response.json()["errors"], body


# --- GraphiQL --------------------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


async def test_graphiql_page_uses_only_same_origin_assets(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    parser = _Assets()
    parser.feed(response.text)
    fetched = [u for u in parser.urls if not u.startswith("data:")]
    assert len(fetched) >= 5  # a stylesheet and the scripts
    for url in fetched:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assert asset.content
        kind = asset.headers["content-type"]
        assert ("javascript" in kind) if ".js" in url else ("text/css" in kind), (url, kind)
    assert "https://" not in response.text and "http://" not in response.text


async def test_graphiql_is_not_served_to_api_clients(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": APPLICATION_JSON})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The request has no `query`."
