"""The `coinstack` command: serve, db …, demo load, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coinstack_graphql.db import migrations
from coinstack_graphql.db.backup import BackupNotSupported, backup_sqlite, has_data
from coinstack_graphql.db.urls import is_sqlite, sqlite_path
from coinstack_graphql.settings import DEFAULT_DATABASE_URL, get_settings


def _print(message: str) -> None:
    print(message, flush=True)


def _backup_before_change(url: str) -> None:
    """The plan's pre-migration checklist: a SQLite file holding data is copied first."""
    if is_sqlite(url) and has_data(url):
        path = backup_sqlite(url)
        _print(f"Backed up {sqlite_path(url)} to {path} before migrating.")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = get_settings().database_url
    _backup_before_change(url)
    migrations.upgrade(url, args.revision)
    _print(f"Database at {migrations.current_revision(url)} (head {migrations.head_revision(url)}).")
    return 0


def cmd_db_downgrade(args: argparse.Namespace) -> int:
    url = get_settings().database_url
    _backup_before_change(url)
    migrations.downgrade(url, args.revision)
    _print(f"Database at {migrations.current_revision(url) or 'base'}.")
    return 0


def cmd_db_current(_args: argparse.Namespace) -> int:
    url = get_settings().database_url
    current = migrations.current_revision(url)
    head = migrations.head_revision(url)
    state = "at head" if current == head else f"head is {head}"
    _print(f"{current or 'base (empty database)'} ({state})")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    url = get_settings().database_url
    try:
        path = backup_sqlite(url, Path(args.path) if args.path else None)
    except BackupNotSupported as exc:
        _print(f"coinstack: {exc}")
        return 2
    except FileNotFoundError as exc:
        _print(f"coinstack: {exc}")
        return 2
    _print(f"Backup written to {path}")
    return 0


def cmd_demo_load(_args: argparse.Namespace) -> int:
    from coinstack_graphql.demo.loader import load_demo

    url = get_settings().database_url
    if migrations.current_revision(url) != migrations.head_revision(url):
        _backup_before_change(url)
        migrations.upgrade(url, "head")
    summary = asyncio.run(load_demo(url))
    _print(summary.describe())
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from coinstack_graphql.graphql.export import export_sdl

    sdl = export_sdl()
    if args.path == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.path).write_text(sdl, encoding="utf-8")
        _print(f"Schema written to {args.path}")
    return 0


async def _token_op(op: str, args: argparse.Namespace) -> int:
    from coinstack_graphql.auth import tokens
    from coinstack_graphql.db.engine import create_null_pool_engine, session_factory
    from coinstack_graphql.errors import DomainError

    engine = create_null_pool_engine(get_settings().database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            if op == "create":
                token, plaintext = await tokens.create_token(session, args.name, args.scope)
                _print(f"Created token {token.name!r} with scope {token.scope.value}.")
                _print("Send it as 'Authorization: Bearer <token>'. It is shown only now:")
                _print(plaintext)
            elif op == "list":
                rows = await tokens.list_tokens(session)
                if not rows:
                    _print("No tokens: anonymous access is allowed on loopback addresses.")
                for t in rows:
                    state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                    used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                    _print(f"{t.name}\t{t.scope.value}\t{t.prefix}…\t{state}\tlast used {used}")
            else:
                token = await tokens.revoke_token(session, args.name)
                _print(f"Revoked token {token.name!r}.")
    except DomainError as exc:
        _print(f"coinstack: {exc.message}")
        return 2
    finally:
        await engine.dispose()
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    return asyncio.run(_token_op("create", args))


def cmd_token_list(args: argparse.Namespace) -> int:
    return asyncio.run(_token_op("list", args))


def cmd_token_revoke(args: argparse.Namespace) -> int:
    return asyncio.run(_token_op("revoke", args))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare_default_database() -> None:
    """On a brand-new default SQLite database: migrate to head and load the demo data."""
    settings = get_settings()
    url = settings.database_url
    if not is_sqlite(url):
        return
    fresh = not has_data(url)
    if fresh and url == DEFAULT_DATABASE_URL:
        _print("New database: creating the schema and loading the demo collection…")
        migrations.upgrade(url, "head")
        from coinstack_graphql.demo.loader import load_demo

        _print(asyncio.run(load_demo(url)).describe())
    elif migrations.current_revision(url) != migrations.head_revision(url):
        _print("The database is not at the latest schema; run `coinstack db upgrade` first.")
        raise SystemExit(2)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    prepare_default_database()
    from coinstack_graphql.auth.startup import check_serve_access

    problem = asyncio.run(check_serve_access(get_settings().database_url, args.host, insecure=args.insecure))
    if problem:
        _print(f"coinstack: {problem}")
        return 2
    # Workers are separate processes that read settings from the environment.
    os.environ["COINSTACK_BIND_HOST"] = args.host
    if args.insecure:
        os.environ["COINSTACK_INSECURE"] = "1"
    _print(f"GraphQL playground: http://{args.host}:{args.port}/graphql")
    uvicorn.run(
        "coinstack_graphql.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_graceful_shutdown=10,
        log_level="info",
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coinstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the GraphQL server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--insecure",
        action="store_true",
        help="allow anonymous access on a non-loopback address (no API tokens)",
    )
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database schema and backups").add_subparsers(
        dest="db_command", required=True
    )
    up = db.add_parser("upgrade", help="migrate to REV (default head); backs up SQLite first")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db_upgrade)
    down = db.add_parser("downgrade", help="migrate down to REV; backs up SQLite first")
    down.add_argument("revision")
    down.set_defaults(func=cmd_db_downgrade)
    db.add_parser("current", help="the database's revision").set_defaults(func=cmd_db_current)
    backup = db.add_parser("backup", help="copy a SQLite database (online backup API)")
    backup.add_argument("path", nargs="?")
    backup.set_defaults(func=cmd_db_backup)

    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo_command", required=True)
    demo.add_parser("load", help="load the demo collection (idempotent)").set_defaults(
        func=cmd_demo_load
    )

    token = sub.add_parser("token", help="API tokens").add_subparsers(
        dest="token_command", required=True
    )
    create = token.add_parser("create", help="create a token and print it once")
    create.add_argument("--name", required=True)
    create.add_argument("--scope", choices=["read", "write", "admin"], default="read")
    create.set_defaults(func=cmd_token_create)
    token.add_parser("list", help="list tokens (never their secrets)").set_defaults(
        func=cmd_token_list
    )
    revoke = token.add_parser("revoke", help="revoke a token by name")
    revoke.add_argument("name")
    revoke.set_defaults(func=cmd_token_revoke)

    export = sub.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("path", nargs="?", default="schema.graphql")
    export.set_defaults(func=cmd_export_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
