"""GraphiQL served entirely from our own origin: the page, and its vendored JS and CSS."""

from __future__ import annotations

import html
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from coinstack_graphql.http.request_parsing import accepts_html

STATIC_DIR = Path(__file__).parent / "static"
GRAPHIQL_STATIC_PATH = "/static/graphiql"
GRAPHIQL_VERSION = "3.8.3"
REACT_VERSION = "18.3.1"

# (file, version) in load order; the version busts caches when an asset is updated.
_SCRIPTS = (
    ("react.production.min.js", REACT_VERSION),
    ("react-dom.production.min.js", REACT_VERSION),
    ("graphiql.min.js", GRAPHIQL_VERSION),
    ("graphiql-init.js", GRAPHIQL_VERSION),
)
_STYLESHEET = ("graphiql.min.css", GRAPHIQL_VERSION)

# The browser itself refuses anything off-site; GraphiQL and its fonts need nothing else.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # GraphiQL's editors set inline styles
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",  # 'self' covers ws:/wss: to this host in CSP Level 3
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

DEFAULT_QUERY = """\
# CoinStack GraphQL. Ctrl-Enter runs the operation; Ctrl-Space completes.
# Put an Authorization header in the Headers tab below if you need one.
query NewestCoins {
  coins(first: 5, orderBy: [{field: ACQUISITION_DATE, direction: DESC}]) {
    totalCount
    nodes {
      id
      issuer
      denomination
      metal
      yearStart
      yearEnd
      grade
      mint { name }
      references { isPrimary referenceType { localRef } }
    }
  }
}
"""

_PAGE = """\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="{stylesheet}">
    <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script id="graphiql-config" type="application/json">{config}</script>
{scripts}
  </body>
</html>
"""


def graphiql_routes(path: str = GRAPHIQL_STATIC_PATH) -> list[BaseRoute]:
    """The static mount serving GraphiQL's assets; mount it beside the GraphQL route."""
    return [Mount(path, app=StaticFiles(directory=STATIC_DIR), name="graphiql-static")]


def wants_graphiql(request: Request) -> bool:
    """A browser opening the endpoint: GET, no `query`, and text/html accepted."""
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and accepts_html(request.headers.get("accept"))
    )


def _asset_url(base: str, name: str, version: str) -> str:
    return html.escape(f"{base}/{name}?v={version}", quote=True)


def render_graphiql_page(
    *, static_url: str, title: str = "CoinStack GraphiQL", default_query: str = DEFAULT_QUERY
) -> str:
    """The GraphiQL page; `static_url` is the path where `graphiql_routes()` is mounted."""
    base = static_url.rstrip("/")
    # `<` is escaped so no string in the config can close the script element.
    config = json.dumps({"defaultQuery": default_query}).replace("<", "\\u003c")
    scripts = "\n".join(
        f'    <script src="{_asset_url(base, name, version)}"></script>'
        for name, version in _SCRIPTS
    )
    return _PAGE.format(
        title=html.escape(title),
        stylesheet=_asset_url(base, *_STYLESHEET),
        config=config,
        scripts=scripts,
    )


def graphiql_response(request: Request, static_path: str = GRAPHIQL_STATIC_PATH) -> HTMLResponse:
    """Render the page with asset URLs under this app's root path (proxies, mounts)."""
    static_url = request.scope.get("root_path", "").rstrip("/") + static_path
    return HTMLResponse(
        render_graphiql_page(static_url=static_url),
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-cache",
            "Vary": "Accept",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
