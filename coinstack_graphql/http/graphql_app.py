"""The /graphql endpoint: GraphQL over HTTP (draft spec) plus graphql-transport-ws."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import timedelta
from typing import Any, cast

import orjson
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from coinstack_graphql.http.graphiql import GRAPHIQL_STATIC_PATH, graphiql_response, wants_graphiql
from coinstack_graphql.http.masking import (
    INTERNAL_ERROR_CODE,
    INTERNAL_ERROR_MESSAGE,
    mask_errors,
)
from coinstack_graphql.http.request_parsing import (
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
    GraphQLParams,
    RequestError,
    check_json_content_type,
    negotiate_response_type,
    params_from_body,
    params_from_query_string,
    read_body,
)

logger = logging.getLogger(__name__)

ContextGetter = Callable[[Request | WebSocket, Response | WebSocket], Awaitable[Any]]
"""Builds the per-request context from (request, sub-response) or (websocket, websocket)."""

WsConnectHook = Callable[[Any], Awaitable[Mapping[str, object] | None]]
"""Runs on connection_init with the context (its `connection_params` already set).

Return a payload for connection_ack (or None); raise
`strawberry.exceptions.ConnectionRejectionError` to close the socket with 4403.
"""

_HTTP_ALLOWED_OPERATIONS = {
    "GET": frozenset({OperationType.QUERY}),
    "POST": frozenset({OperationType.QUERY, OperationType.MUTATION}),
}


AMBIGUOUS_OPERATION_MESSAGE = (
    "The document contains {count} operations ({names}); set `operationName` to the one to execute."
)


class RequireOperationName(SchemaExtension):
    """Reject a document of several operations sent without `operationName`.

    Strawberry quietly runs the first operation in that case, where the GraphQL spec's
    GetOperation() demands a request error; this restores the spec on every transport.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        # The name the client sent; `context.operation_name` falls back to the first one.
        provided = getattr(context, "_provided_operation_name", None)
        document = context.graphql_document
        names = _operation_names(document) if provided is None and document else []
        if len(names) > 1:
            message = AMBIGUOUS_OPERATION_MESSAGE.format(count=len(names), names=", ".join(names))
            error = GraphQLError(message, extensions={"code": "BAD_REQUEST"})
            # Set before validation runs, strawberry then skips validating and answers with
            # these as request errors; appended, in case a validation cache left [] there.
            context.pre_execution_errors = [*(context.pre_execution_errors or []), error]
        yield


def install_operation_name_check(schema: BaseSchema) -> None:
    """Add `RequireOperationName` to the schema's extensions unless already there."""
    extensions = tuple(getattr(schema, "extensions", ()))
    if RequireOperationName not in extensions:
        schema.extensions = (*extensions, RequireOperationName)  # type: ignore[attr-defined]


class _PingingTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws with server pings, so idle subscriptions survive proxies."""

    _ping_task: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        interval = cast(GraphQLApp, self.view).keep_alive_interval
        if self.connection_acknowledged and interval and self._ping_task is None:
            self._ping_task = asyncio.create_task(self._ping_forever(interval))

    async def _ping_forever(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send_message({"type": "ping"})
            except Exception:
                return  # the socket is gone; the reader loop shuts the connection down

    async def shutdown(self) -> None:
        if self._ping_task is not None:
            self._ping_task.cancel()
            with suppress(asyncio.CancelledError):
                await self._ping_task
        await super().shutdown()


def _encode(payload: object) -> bytes:
    try:
        # orjson writes a page of a hundred coins several times faster than json.
        return orjson.dumps(payload)
    except (TypeError, orjson.JSONEncodeError):
        pass  # a lone surrogate or an unexpected type: the standard encoder decides
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (legal in JSON input) cannot be UTF-8; escape everything instead.
        return json.dumps(payload, separators=(",", ":")).encode("ascii")


def _request_error(message: str) -> ExecutionResult:
    """A GraphQL request error of our own making: no `data` entry, not executed."""
    return ExecutionResult(
        data=None, errors=[GraphQLError(message, extensions={"code": "BAD_REQUEST"})]
    )


def _operation_names(document: DocumentNode) -> list[str]:
    return [
        node.name.value if node.name else "<anonymous>"
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode)
    ]


def _operation_selection_message(params: GraphQLParams) -> str:
    """Explain why no operation could be chosen from the document."""
    try:
        # Only on this error path; the schema already parsed the same text successfully.
        names = _operation_names(parse(params.query, no_location=True))
    except GraphQLError:  # pragma: no cover
        return "No operation could be selected from the document."
    if params.operation_name is not None:
        listed = ", ".join(names) or "none"
        return f'Unknown operation named "{params.operation_name}"; the document defines: {listed}.'
    return "The document contains no operation to execute."


def _was_executed(result: ExecutionResult) -> bool:
    """False for request errors (parse, validation, coercion): then there is no `data` entry."""
    if result.data is not None or not result.errors:
        return True
    # Field errors always carry a path, even when they null the whole `data`; a timeout
    # stopped an execution that had started, so it answers like one (data: null).
    return any(
        error.path is not None or (error.extensions or {}).get("code") == "TIMEOUT"
        for error in result.errors
    )


class GraphQLApp(GraphQL[Any, Any]):
    """Strawberry's ASGI view with our own spec-complete HTTP handling; WebSockets as is."""

    graphql_transport_ws_handler_class = _PingingTransportWSHandler

    def __init__(
        self,
        schema: BaseSchema,
        *,
        context_getter: ContextGetter,
        max_body_bytes: int,
        production: bool,
        allow_batching: bool = False,
        max_batch_size: int = 10,
        graphiql: bool = True,
        graphiql_static_path: str = GRAPHIQL_STATIC_PATH,
        on_ws_connect: WsConnectHook | None = None,
        keep_alive_interval: float | None = 15.0,
        connection_init_wait_timeout: timedelta = timedelta(seconds=10),
        max_subscriptions_per_connection: int = 100,
        websocket_allowed_origins: Sequence[str] = (),
        execution_timeout_s: float | None = None,
    ) -> None:
        install_operation_name_check(schema)
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=connection_init_wait_timeout,
            max_subscriptions_per_connection=max_subscriptions_per_connection,
            allowed_origins=websocket_allowed_origins,
        )
        self.context_getter = context_getter
        self.max_body_bytes = max_body_bytes
        self.production = production
        self.allow_batching = allow_batching
        self.max_batch_size = max_batch_size
        self.graphiql = graphiql
        self.graphiql_static_path = graphiql_static_path
        self.ws_connect_hook = on_ws_connect
        self.keep_alive_interval = keep_alive_interval
        self.execution_timeout_s = execution_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            response = await self.handle_http(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Any:
        return await self.context_getter(request, response)

    async def on_ws_connect(self, context: Any) -> UnsetType | dict[str, object] | None:
        if self.ws_connect_hook is None:
            return UNSET
        payload = await self.ws_connect_hook(context)
        return UNSET if payload is None else dict(payload)

    async def handle_http(self, request: Request) -> Response:
        """Answer one HTTP request; malformed input is always a 4xx, never a 5xx."""
        media_type = APPLICATION_JSON  # until Accept has been negotiated
        try:
            if request.method not in _HTTP_ALLOWED_OPERATIONS:
                raise RequestError(
                    405,
                    "GraphQL is served over GET and POST only.",
                    code="METHOD_NOT_ALLOWED",
                    headers={"Allow": "GET, POST"},
                )
            if self.graphiql and wants_graphiql(request):
                return graphiql_response(request, self.graphiql_static_path)
            negotiated = negotiate_response_type(request.headers.get("accept"))
            if negotiated is None:
                raise RequestError(
                    406,
                    f"Accept must allow {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON}.",
                    code="NOT_ACCEPTABLE",
                )
            media_type = negotiated
            params: GraphQLParams | list[GraphQLParams]
            if request.method == "GET":
                params = params_from_query_string(request.query_params)
            else:
                check_json_content_type(request.headers.get("content-type"))
                raw = await read_body(request, self.max_body_bytes)
                params = params_from_body(
                    raw, allow_batching=self.allow_batching, max_batch_size=self.max_batch_size
                )
            return await self._execute_http(request, params, media_type)
        except RequestError as exc:
            error = {"message": exc.message, "extensions": {"code": exc.code}}
            return self._response({"errors": [error]}, exc.status, media_type, exc.headers)
        except Exception as exc:
            error_id = str(uuid.uuid4())
            logger.exception("Internal error %s while serving %s", error_id, request.url.path)
            message = INTERNAL_ERROR_MESSAGE if self.production else f"{type(exc).__name__}: {exc}"
            extensions = {"code": INTERNAL_ERROR_CODE, "errorId": error_id}
            return self._response(
                {"errors": [{"message": message, "extensions": extensions}]}, 500, media_type
            )

    async def _execute_http(
        self, request: Request, params: GraphQLParams | list[GraphQLParams], media_type: str
    ) -> Response:
        # One context per HTTP request, shared by a batch, so DataLoaders batch across it.
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, sub_response)
        root_value = await self.get_root_value(request)
        try:
            if isinstance(params, list):
                # In order, one at a time: a batch of mutations must not interleave.
                payloads = []
                for item in params:
                    result = await self._execute_one(item, request.method, context, root_value)
                    payloads.append(self._payload(result)[0])
                response = self._response(payloads, 200, media_type)
            else:
                result = await self._execute_one(params, request.method, context, root_value)
                payload, status = self._payload(result)
                # The legacy media type answers 200 to every well-formed request.
                response = self._response(
                    payload, status if media_type == GRAPHQL_RESPONSE_JSON else 200, media_type
                )
        finally:
            # The request's shared read session goes back to the pool before the
            # response is written.
            close = getattr(context, "close", None)
            if close is not None:
                await close()
        # Resolvers may set headers and cookies (never the status) on the sub-response.
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = sub_response.background
        return response

    async def _execute_one(
        self, params: GraphQLParams, method: str, context: Any, root_value: Any
    ) -> ExecutionResult:
        try:
            execution = self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                root_value=root_value,
                operation_name=params.operation_name,
                allowed_operation_types=_HTTP_ALLOWED_OPERATIONS[method],
                operation_extensions=params.extensions,
            )
            if self.execution_timeout_s is None:
                return await execution
            # One slow request must not hold a worker: past the limit it is cancelled
            # (a mutation's transaction rolls back with it).
            return await asyncio.wait_for(execution, self.execution_timeout_s)
        except TimeoutError:
            return ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"The request took longer than {self.execution_timeout_s:g} s and was stopped",
                        extensions={"code": "TIMEOUT"},
                    )
                ],
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.MUTATION:
                # The spec's one non-400 rejection: GET is safe, so 405 whatever the media type.
                raise RequestError(
                    405,
                    "Mutations cannot be sent with GET; use POST.",
                    code="METHOD_NOT_ALLOWED",
                    headers={"Allow": "POST"},
                ) from exc
            return _request_error(
                "Subscriptions are served over WebSocket (graphql-transport-ws) on this URL."
            )
        except CannotGetOperationTypeError:
            return _request_error(_operation_selection_message(params))
        except MissingQueryError:
            return _request_error("The GraphQL document is empty.")

    def _payload(self, result: ExecutionResult) -> tuple[dict[str, object], int]:
        """The response body for `result`, and its status under graphql-response+json."""
        # Second line of defence: errors raised outside the schema's own extension.
        errors = mask_errors(result.errors or [], production=self.production)
        payload: dict[str, object] = {}
        if errors:
            payload["errors"] = [error.formatted for error in errors]
        executed = _was_executed(result)
        if executed:
            payload["data"] = result.data
        if result.extensions:
            payload["extensions"] = result.extensions
        if executed:
            return payload, 200
        internal = any((e.extensions or {}).get("code") == INTERNAL_ERROR_CODE for e in errors)
        return payload, 500 if internal else 400

    @staticmethod
    def _response(
        payload: object,
        status: int,
        media_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return Response(
            _encode(payload),
            status_code=status,
            media_type=f"{media_type}; charset=utf-8",
            headers={"Vary": "Accept", **(headers or {})},
        )


def make_graphql_app(
    schema: BaseSchema,
    *,
    context_getter: ContextGetter,
    max_body_bytes: int,
    production: bool,
    allow_batching: bool = False,
    max_batch_size: int = 10,
    graphiql: bool = True,
    graphiql_static_path: str = GRAPHIQL_STATIC_PATH,
    on_ws_connect: WsConnectHook | None = None,
    keep_alive_interval: float | None = 15.0,
    connection_init_wait_timeout: timedelta = timedelta(seconds=10),
    max_subscriptions_per_connection: int = 100,
    websocket_allowed_origins: Sequence[str] = (),
    execution_timeout_s: float | None = None,
) -> GraphQLApp:
    """The ASGI app for one GraphQL URL: route it for both HTTP and WebSocket.

    Adds `RequireOperationName` to `schema.extensions` (see its docstring).

    `keep_alive_interval` is the seconds between server pings on a socket (None: off).
    Mount `graphiql_routes(graphiql_static_path)` beside it for GraphiQL's assets.
    """
    return GraphQLApp(
        schema,
        context_getter=context_getter,
        max_body_bytes=max_body_bytes,
        production=production,
        allow_batching=allow_batching,
        max_batch_size=max_batch_size,
        graphiql=graphiql,
        graphiql_static_path=graphiql_static_path,
        on_ws_connect=on_ws_connect,
        keep_alive_interval=keep_alive_interval,
        connection_init_wait_timeout=connection_init_wait_timeout,
        max_subscriptions_per_connection=max_subscriptions_per_connection,
        websocket_allowed_origins=websocket_allowed_origins,
        execution_timeout_s=execution_timeout_s,
    )
