"""GraphiQL: an HTML page whose every asset is served by us, from inside the package."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from coinstack_graphql.http import graphiql_routes, make_graphql_app
from coinstack_graphql.http.graphiql import CONTENT_SECURITY_POLICY, DEFAULT_QUERY, STATIC_DIR

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name):
                self.urls.append(attributes[name] or "")
        if tag == "script" and not attributes.get("src"):
            self._in_script_type = attributes.get("type") or "text/javascript"

    def handle_data(self, data: str) -> None:
        if self._in_script_type is not None:
            self.inline_scripts.append(self._in_script_type)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_type = None


async def _page(client: httpx.AsyncClient) -> tuple[httpx.Response, _AssetCollector]:
    response = await client.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    collector = _AssetCollector()
    collector.feed(response.text)
    return response, collector


async def test_browser_get_renders_graphiql(client: httpx.AsyncClient) -> None:
    response, collector = await _page(client)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert '<div id="graphiql">' in response.text
    # The only inline script is JSON data, which the CSP lets through as inert.
    assert collector.inline_scripts == ["application/json"]
    config = re.search(
        r'<script id="graphiql-config" type="application/json">(.*?)</script>',
        response.text,
        re.DOTALL,
    )
    assert config is not None and json.loads(config.group(1))["defaultQuery"] == DEFAULT_QUERY


async def test_page_references_only_same_origin_assets(client: httpx.AsyncClient) -> None:
    response, collector = await _page(client)
    assert response.status_code == 200
    assert not re.search(r"https?://", response.text)
    assert not re.search(r"""(src|href)=["']//""", response.text)
    asset_urls = [u for u in collector.urls if not u.startswith("data:")]
    assert {urlsplit(u).path.rsplit("/", 1)[-1] for u in asset_urls} == {
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "graphiql-init.js",
    }
    for url in asset_urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc
        assert parts.path.startswith("/static/graphiql/")


@pytest.mark.parametrize(
    ("name", "content_type", "minimum_size"),
    [
        ("graphiql.min.js", "javascript", 1_000_000),
        ("graphiql.min.css", "text/css", 100_000),
        ("react.production.min.js", "javascript", 5_000),
        ("react-dom.production.min.js", "javascript", 100_000),
        ("graphiql-init.js", "javascript", 200),
    ],
)
async def test_assets_are_served_with_their_content_types(
    client: httpx.AsyncClient, name: str, content_type: str, minimum_size: int
) -> None:
    _, collector = await _page(client)
    [url] = [u for u in collector.urls if urlsplit(u).path.endswith("/" + name)]
    response = await client.get(url)
    assert response.status_code == 200
    assert content_type in response.headers["content-type"]
    assert len(response.content) >= minimum_size
    assert response.content == (STATIC_DIR / name).read_bytes()


async def test_assets_contain_no_off_site_loads(client: httpx.AsyncClient) -> None:
    css = (STATIC_DIR / "graphiql.min.css").read_text(encoding="utf-8")
    # Fonts are inlined as data: URLs and nothing is @import-ed.
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    init = (STATIC_DIR / "graphiql-init.js").read_text(encoding="utf-8")
    assert "http://" not in init and "https://" not in init


async def test_init_script_wires_subscriptions_to_the_same_path() -> None:
    init = (STATIC_DIR / "graphiql-init.js").read_text(encoding="utf-8")
    assert "subscriptionUrl" in init and "window.location.pathname" in init
    # graphiql's UMD build carries graphql-ws, which speaks graphql-transport-ws.
    bundle = (STATIC_DIR / "graphiql.min.js").read_text(encoding="utf-8")
    assert "graphql-transport-ws" in bundle


def test_vendored_files_match_licenses_md() -> None:
    table = (STATIC_DIR / "LICENSES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+) \| .* \| ([0-9a-f]{64}) \|$", table, re.MULTILINE)
    assert {name for name, _ in rows} == {
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    }
    for name, digest in rows:
        assert hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() == digest, name
    vendored = {p.name for p in STATIC_DIR.iterdir()} - {"LICENSES.md", "graphiql-init.js"}
    assert vendored == {name for name, _ in rows}


async def test_browser_get_with_a_query_runs_it(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ hello }"}, headers={"accept": BROWSER_ACCEPT}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_api_clients_without_text_html_do_not_get_the_page(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/graphql", headers={"accept": "*/*"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The request has no `query`."


async def test_graphiql_can_be_switched_off(make_client: ClientFactory) -> None:
    client = await make_client(graphiql=False)
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 406
    assert "text/html" not in response.headers["content-type"]
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


async def test_asset_urls_follow_the_root_path(schema_factory: Callable[..., Any]) -> None:
    async def context_getter(request: object, response: object) -> dict[str, object]:
        return {}

    graphql_app = make_graphql_app(
        schema_factory(production=False),
        context_getter=context_getter,
        max_body_bytes=1000,
        production=False,
    )
    # Both mounted under /api (or served behind a proxy's root path): URLs must follow.
    routes = [Route("/graphql", graphql_app), *graphiql_routes()]
    app = Starlette(routes=[Mount("/api", routes=routes)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        _, collector = await _page_at(client, "/api/graphql")
        assert collector.urls
        for url in collector.urls:
            if not url.startswith("data:"):
                assert url.startswith("/api/static/graphiql/")
                assert (await client.get(url)).status_code == 200


async def _page_at(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, _AssetCollector]:
    response = await client.get(path, headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    collector = _AssetCollector()
    collector.feed(response.text)
    return response, collector
