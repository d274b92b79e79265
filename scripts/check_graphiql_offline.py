"""Manual check: GraphiQL renders and works in headless Chromium with off-site hosts blocked.

Not part of the test suite (it needs Debian's `chromium`). It serves a toy schema on
127.0.0.1, opens /graphql in Chromium whose resolver fails every host but 127.0.0.1, types
a query and an Authorization header into GraphiQL's editors, runs it, runs a subscription
through GraphiQL's own fetcher over graphql-transport-ws, and saves a screenshot.

    .venv/bin/python scripts/check_graphiql_offline.py [/tmp/graphiql-offline.png]
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from typing import Any

import httpx
import strawberry
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from strawberry.types import Info

from coinstack_graphql.http import MaskInternalErrors, graphiql_routes, make_graphql_app


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "Hello from CoinStack"

    @strawberry.field
    def authorization(self, info: Info) -> str | None:
        return info.context["request"].headers.get("authorization")


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int = 3) -> AsyncGenerator[int, None]:
        for i in range(1, to + 1):
            yield i
            await asyncio.sleep(0.01)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serve(port: int) -> Iterator[None]:
    async def context_getter(request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response}

    schema = strawberry.Schema(
        query=Query,
        subscription=Subscription,
        extensions=[lambda: MaskInternalErrors(production=False)],
    )
    graphql_app = make_graphql_app(
        schema, context_getter=context_getter, max_body_bytes=100_000, production=False
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql_app),
            WebSocketRoute("/graphql", graphql_app),
            *graphiql_routes(),
        ]
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _Cdp:
    """The few Chrome DevTools Protocol calls this check needs."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        await self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=30))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    async def evaluate(self, expression: str) -> Any:
        result = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    async def wait_for(self, expression: str, attempts: int = 100) -> None:
        for _ in range(attempts):
            if await self.evaluate(expression):
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(expression)


_FILL_AND_RUN = """
(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const editor = (selector) => document.querySelector(selector + " .CodeMirror").CodeMirror;
  editor(".graphiql-query-editor").setValue("{ hello authorization }");
  const tab = [...document.querySelectorAll(".graphiql-editor-tools button")]
    .find((b) => b.textContent.trim() === "Headers");
  tab.click();
  await sleep(300);
  // Variables and headers editors share the panel; the shown one is not `.hidden`.
  editor(".graphiql-editor-tool .graphiql-editor:not(.hidden)")
    .setValue('{"Authorization": "Bearer from-the-editor"}');
  await sleep(300);
  document.querySelector(".graphiql-execute-button").click();
  for (let i = 0; i < 50; i++) {
    await sleep(200);
    const text = editor(".result-window").getValue();
    if (text.includes("data")) return text;
  }
  return editor(".result-window").getValue();
})()
"""

_SUBSCRIBE = """
(async () => {
  const fetcher = GraphiQL.createFetcher({
    url: location.origin + location.pathname,
    subscriptionUrl: "ws://" + location.host + location.pathname,
  });
  const query = "subscription { count(to: 3) }";
  const documentAST = GraphiQL.GraphQL.parse(query);
  const results = [];
  for await (const value of await fetcher({ query }, { documentAST })) results.push(value);
  return results;
})()
"""


async def _drive(cdp_port: int, url: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            with contextlib.suppress(httpx.TransportError):
                targets = (await client.get(f"http://127.0.0.1:{cdp_port}/json/list")).json()
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("Chromium's DevTools endpoint did not come up")
    async with websockets.connect(pages[0]["webSocketDebuggerUrl"], max_size=50_000_000) as ws:
        cdp = _Cdp(ws)
        for domain in ("Network", "Runtime", "Log", "Page"):
            await cdp.call(f"{domain}.enable")
        await cdp.call("Page.navigate", url=url)
        await cdp.wait_for("!!document.querySelector('.graphiql-query-editor .CodeMirror')")
        # Introspection has loaded once the docs button can open the schema.
        await asyncio.sleep(2)
        response_text = await cdp.evaluate(_FILL_AND_RUN)
        subscription = await cdp.evaluate(_SUBSCRIBE)
        await asyncio.sleep(0.5)
        shot = await cdp.call("Page.captureScreenshot", format="png")
        await cdp.call("Runtime.evaluate", expression="1")  # flush pending events
        requested = [
            e["params"]["request"]["url"]
            for e in cdp.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        problems = [
            e["params"]
            for e in cdp.events
            if e.get("method") in ("Runtime.exceptionThrown", "Network.loadingFailed")
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        ]
        return {
            "response": response_text,
            "subscription": subscription,
            "requested": requested,
            "problems": problems,
            "png": base64.b64decode(shot["data"]),
        }


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    screenshot = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/graphiql-offline.png")
    port, cdp_port = _free_port(), _free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    with _serve(port), tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=1400,900",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={cdp_port}",
                # Every host name fails to resolve except our own server's address.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            report = asyncio.run(asyncio.wait_for(_drive(cdp_port, url), 90))
        finally:
            browser.terminate()
            browser.wait(timeout=10)
    screenshot.write_bytes(report["png"])
    off_site = [
        u for u in report["requested"] if not u.startswith(("http://127.0.0.1", "data:", "ws://"))
    ]
    print("requests:", *(u[:100] for u in report["requested"]), sep="\n  ")
    print("query result:", report["response"])
    print("subscription results:", json.dumps(report["subscription"]))
    print("problems:", json.dumps(report["problems"], indent=1)[:3000])
    print("screenshot:", screenshot)
    ok = (
        not off_site
        and not report["problems"]
        and "Bearer from-the-editor" in (report["response"] or "")
        and [r.get("data", {}).get("count") for r in report["subscription"]] == [1, 2, 3]
    )
    print("OK" if ok else f"FAILED (off-site requests: {off_site})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
