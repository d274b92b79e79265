"""`create_app(settings)`: the Starlette application serving /graphql and /healthz."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError

from coinstack_graphql import __version__
from coinstack_graphql.auth.principal import AuthenticationError, resolve_principal
from coinstack_graphql.db import migrations
from coinstack_graphql.db.engine import create_engine, read_session_factory, session_factory
from coinstack_graphql.graphql.context import NOBODY, Context
from coinstack_graphql.graphql.schema import build_schema
from coinstack_graphql.http import graphiql_routes, make_graphql_app
from coinstack_graphql.http.request_parsing import RequestError
from coinstack_graphql.pubsub import broker_for
from coinstack_graphql.settings import Settings, get_settings

logger = logging.getLogger(__name__)


@dataclass
class AppState:
    """What lives as long as the process: the engine, sessions and long-lived services."""

    settings: Settings
    engine: AsyncEngine | None = None
    sessions: async_sessionmaker[AsyncSession] | None = None
    read_sessions: async_sessionmaker[AsyncSession] | None = None
    services: dict[str, Any] = field(default_factory=dict)


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI app; the database engine opens on startup and is disposed on shutdown."""
    settings = settings or get_settings()
    state = AppState(settings=settings)
    schema = build_schema(settings)

    async def context_getter(request: Any, response: Any) -> Context:
        assert state.sessions is not None, "the app's lifespan has not started"
        assert state.read_sessions is not None
        context = Context(
            settings=settings,
            sessions=state.read_sessions,
            write_sessions=state.sessions,
            services=state.services,
            request=request,
            response=response,
            principal=NOBODY,
            # An HTTP request reads through one session, closed by the GraphQL app once
            # it has answered; a WebSocket connection opens one per batch.
            share_reads=not isinstance(request, WebSocket),
        )
        if isinstance(request, WebSocket):
            return context  # authenticated in connection_init (on_ws_connect)
        try:
            context.principal = await resolve_principal(
                state.read_sessions,
                settings,
                request.headers.get("authorization"),
                write_sessions=state.sessions,
            )
        except AuthenticationError as exc:
            raise RequestError(
                401, str(exc), code="UNAUTHENTICATED", headers={"WWW-Authenticate": "Bearer"}
            ) from None
        except SQLAlchemyError:
            logger.exception("could not check the request's credentials")
            raise RequestError(
                503, "The database is not available; try again shortly", code="UNAVAILABLE",
                headers={"Retry-After": "5"},
            ) from None
        return context

    async def on_ws_connect(context: Context) -> dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        try:
            context.principal = await resolve_principal(
                context.sessions,
                settings,
                header if isinstance(header, str) else None,
                write_sessions=context.write_sessions,
            )
        except AuthenticationError as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from None
        return None

    graphql_app = make_graphql_app(
        schema,
        context_getter=context_getter,
        max_body_bytes=settings.max_body_bytes,
        production=settings.is_production,
        on_ws_connect=on_ws_connect,
        execution_timeout_s=settings.request_timeout_s,
    )

    async def healthz(_request: Request) -> JSONResponse:
        assert state.engine is not None
        body: dict[str, Any] = {"version": __version__}
        try:
            async with state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar_one_or_none()
        except Exception:  # the point of a health check is to report, not to raise
            logger.exception("health check: database unreachable")
            return JSONResponse({**body, "status": "error", "database": "unreachable"}, 503)
        head = migrations.head_revision(settings.database_url)
        ok = current == head
        body.update(
            status="ok" if ok else "error",
            database="reachable",
            migration=current,
            head=head,
            migrationsAtHead=ok,
        )
        return JSONResponse(body, 200 if ok else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        state.engine = create_engine(settings)
        state.sessions = session_factory(state.engine)
        state.read_sessions = read_session_factory(state.engine)
        broker = broker_for(settings.database_url)
        await broker.start()
        state.services["broker"] = broker
        # Resume the enrichment batches a previous run left queued or running, as a
        # background task (finished coins are not redone; see enrichment/batches.py).
        from coinstack_graphql.enrichment.batches import spawn_resume

        spawn_resume(state.services, state.sessions, settings)
        if settings.tune_gc:
            from coinstack_graphql.gc_tuning import tune_for_server

            tune_for_server()
        try:
            yield
        finally:
            # Background work first (it may still write), then the broker, then the pool.
            for task in list(state.services.get("background_tasks", ())):
                task.cancel()
            await broker.close()
            await state.engine.dispose()

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "Accept"],
            )
        )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/graphql", graphql_app, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        WebSocketRoute("/graphql", graphql_app),
        *graphiql_routes(),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.coinstack = state
    return app


__all__ = ["create_app", "Mount"]
