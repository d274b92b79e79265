"""Benchmark runner: throughput and latency of the reference queries over real HTTP.

    python -m bench.run --url sqlite+aiosqlite:///./bench.db [--coins 10000] [--requests 200]
                        [--rounds 3]

Generates the collection if the database is empty, starts the GraphQL server and the
hand-written floor (bench/floor.py) as separate uvicorn processes, and for concurrency 1
and 16 prints requests/s, p50/p95/p99 latency, SQL statements per request (counted
in-process through the same app), and our page throughput as a ratio of the floor's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event

from bench.queries import COIN_DETAIL, COLLECTION_PAGE
from coinstack_graphql.db import migrations


@dataclass
class Result:
    name: str
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(app: str, port: int, url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COINSTACK_DATABASE_URL": url,
        "COINSTACK_RATE_LIMIT_CAPACITY": "1000000000",
        "COINSTACK_RATE_LIMIT_RESTORE_PER_S": "1000000000",
        "PYTHONPATH": os.getcwd(),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", app, "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        env=env,
    )


async def _wait(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


async def _load(name: str, send: Any, total: int, concurrency: int) -> Result:
    latencies: list[float] = []
    remaining = total

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t0 = time.perf_counter()
            response = await send(client)
            if response.status_code >= 400:
                raise RuntimeError(f"{name}: HTTP {response.status_code}: {response.text[:500]}")
            latencies.append(time.perf_counter() - t0)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        warm = await send(client)  # warm-up
        if warm.status_code >= 400:
            raise RuntimeError(f"{name}: HTTP {warm.status_code}: {warm.text[:500]}")
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return Result(name, concurrency, len(latencies), elapsed, latencies)


async def _statements(url: str, query: str, variables: dict[str, Any]) -> int:
    """SQL statements one request issues (BEGIN/PRAGMA and the auth check excluded)."""
    from coinstack_graphql.app import create_app
    from coinstack_graphql.settings import Settings

    app = create_app(Settings(database_url=url))
    count = 0

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal count
        if statement.lstrip().upper().startswith("SELECT") and "api_tokens" not in statement:
            count += 1

    async with app.router.lifespan_context(app):
        background = list(app.state.coinstack.services.get("background_tasks", ()))
        if background:  # start-up work (resuming batches) is not part of a request
            await asyncio.wait(background, timeout=30)
        event.listen(app.state.coinstack.engine.sync_engine, "before_cursor_execute", on_execute)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            response.raise_for_status()
    return count


async def main_async(args: argparse.Namespace) -> None:
    url = args.url
    if migrations.current_revision(url) is None:
        from bench.generate import generate

        print(f"generating {args.coins} coins into {url} …", flush=True)
        generate(url, args.coins)
    migrations.upgrade(url, "head")
    gql_port, floor_port = _free_port(), _free_port()
    servers = [
        _start("coinstack_graphql.app:create_app", gql_port, url),
        _start("bench.floor:create_app", floor_port, url),
    ]
    try:
        await _wait(f"http://127.0.0.1:{gql_port}/healthz")
        await _wait(f"http://127.0.0.1:{floor_port}/floor?first=1")
        gql = f"http://127.0.0.1:{gql_port}/graphql"
        floor = f"http://127.0.0.1:{floor_port}/floor?first=100"
        coin_id = "Q29pbjox"  # Coin:1

        def page(client: httpx.AsyncClient) -> Any:
            return client.post(gql, json={"query": COLLECTION_PAGE, "variables": {"first": 100}})

        def detail(client: httpx.AsyncClient) -> Any:
            return client.post(gql, json={"query": COIN_DETAIL, "variables": {"id": coin_id}})

        def floor_page(client: httpx.AsyncClient) -> Any:
            return client.get(floor)

        page_sql = await _statements(url, COLLECTION_PAGE, {"first": 100})
        detail_sql = await _statements(url, COIN_DETAIL, {"id": coin_id})
        print(f"\ndatabase: {url.split('://')[0]}   machine: {os.cpu_count()} cores")
        print(f"SQL statements per request: collection page {page_sql}, coin detail {detail_sql}")
        print(f"{'query':<22}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for concurrency in (1, 16):
            ratios: list[float] = []
            for round_no in range(1, args.rounds + 1):
                # Page and floor alternate within each round, so a machine that speeds up
                # or slows down during the run weighs on both alike.
                results = [
                    await _load("collection page", page, args.requests, concurrency),
                    await _load("coin detail", detail, args.requests * 5, concurrency),
                    await _load("floor page", floor_page, args.requests, concurrency),
                ]
                if args.rounds > 1:
                    print(f"-- round {round_no}")
                for r in results:
                    print(f"{r.name:<22}{r.concurrency:>5}{r.rps:>9.1f}{r.pct(50):>9.1f}"
                          f"{r.pct(95):>9.1f}{r.pct(99):>9.1f}")
                ratios.append(results[0].rps / results[2].rps)
            shown = ", ".join(f"{r:.2f}" for r in ratios)
            suffix = f" (median of {shown})" if len(ratios) > 1 else ""
            print(f"ratio page/floor at concurrency {concurrency}: "
                  f"{statistics.median(ratios):.2f}{suffix}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="sqlite+aiosqlite:///./bench.db")
    parser.add_argument("--coins", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat each concurrency this many times; the ratio is the median")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
