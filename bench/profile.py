"""Profile the collection page in-process: where a request's time goes, without HTTP load.

    python -m bench.profile --url postgresql+asyncpg://postgres@127.0.0.1:5432/coinstack_bench
    python -m bench.profile --url … --profiler cprofile --requests 20

Sends the page through the ASGI app (httpx.ASGITransport) `--requests` times after one
warm-up and prints the mean wall time per request, then a profile of those requests
(pyinstrument if installed, else cProfile sorted by cumulative time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
from typing import Any

import httpx

from bench.queries import COIN_DETAIL, COLLECTION_PAGE
from coinstack_graphql.app import create_app
from coinstack_graphql.settings import Settings


async def _run(args: argparse.Namespace) -> None:
    app = create_app(Settings(
        database_url=args.url, rate_limit_capacity=10**12, rate_limit_restore_per_s=1e12,
        tune_gc=True,  # as a server started from the environment
    ))
    query, variables = (
        (COIN_DETAIL, {"id": "Q29pbjox"}) if args.query == "detail"
        else (COLLECTION_PAGE, {"first": args.first})
    )
    body = {"query": query, "variables": variables}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def once() -> Any:
                response = await client.post("/graphql", json=body)
                response.raise_for_status()
                return response

            first = await once()
            print(f"response: {len(first.content):,} bytes")
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                await once()
            per = (time.perf_counter() - started) / args.requests
            cpu_per = (time.process_time() - cpu) / args.requests
            # CPU time is what bounds throughput under load; wall time adds the waits
            # for the database.
            print(f"unprofiled: {per * 1000:.1f} ms wall, {cpu_per * 1000:.1f} ms CPU "
                  f"per request over {args.requests}")
            if args.profiler == "none":
                return
            if args.profiler == "pyinstrument":
                from pyinstrument import Profiler

                profiler = Profiler(async_mode="enabled")
                profiler.start()
                for _ in range(args.requests):
                    await once()
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False, show_all=False))
                return
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.requests):
                await once()
            prof.disable()
            stats = pstats.Stats(prof)
            stats.sort_stats(args.sort).print_stats(args.lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="sqlite+aiosqlite:///./bench.db")
    parser.add_argument("--query", choices=("page", "detail"), default="page")
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument(
        "--profiler", choices=("pyinstrument", "cprofile", "none"), default="cprofile"
    )
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=45)
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
