"""A local fake of the Anthropic Messages and Message Batches APIs, served over real HTTP.

Point the real SDK at it: ``AsyncAnthropic(api_key="test", base_url=fake.url)`` (or use
``fake.async_client()``). Outcomes are scripted with ``enqueue`` (consumed first, in order)
and ``respond_with`` (a handler for everything else); the default reply is ``{"ok": true}``.
One module on purpose: it mirrors one external API, and splitting it would scatter the shapes.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

import anthropic
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

JSON = dict[str, Any]

DEFAULT_REPLY = '{"ok": true}'
IMAGE_TOKENS = 1_600  # roughly what the API bills for a ~1.15 megapixel image
MAX_IMAGE_BYTES = 5 * 1024 * 1024
_IMAGE_MAGIC: dict[str, Callable[[bytes], bool]] = {
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/gif": lambda b: b.startswith((b"GIF87a", b"GIF89a")),
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}
_DEFAULT_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Reply:
    """A successful answer: text, or a tool call when the request offers tools."""

    text: str | None = None
    tool_input: JSON | None = None
    tool_name: str | None = None
    stop_reason: str | None = None


@dataclass(frozen=True)
class Error:
    """An API error answered with the real error JSON shape and retry headers."""

    status: int
    error_type: str | None = None
    message: str | None = None
    retry_after: float | None = None
    retry_after_ms: int | None = None
    should_retry: bool | None = None


@dataclass(frozen=True)
class Malformed:
    """A response whose body is not the JSON the SDK expects."""

    body: str = '{"type": "message", "content": ['
    content_type: str = "application/json"
    status: int = 200


@dataclass(frozen=True)
class Slow:
    """Wait, then answer ``then`` (or whatever the handler answers when ``then`` is None)."""

    seconds: float
    then: Outcome | None = None


Outcome = Reply | Error | Malformed | Slow
Handler = Callable[[JSON], str | JSON | Outcome]


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the fake received, before any validation."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    raw: bytes
    body: Any

    @property
    def api_key(self) -> str | None:
        """The credential sent, whether as ``x-api-key`` or ``Authorization: Bearer``."""
        if key := self.headers.get("x-api-key"):
            return key
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return (token.strip() or None) if scheme.lower() == "bearer" else None

    @property
    def images(self) -> list[JSON]:
        """Every ``image`` content block in the request's messages."""
        if not isinstance(self.body, dict):
            return []
        return [block for block in _content_blocks(self.body) if block.get("type") == "image"]


@dataclass
class _Batch:
    id: str
    requests: list[tuple[str, JSON]]
    created_at: datetime
    polls: int = 0
    status: str = "in_progress"
    cancel_initiated_at: datetime | None = None
    ended_at: datetime | None = None
    results: list[JSON] = field(default_factory=list)


class FakeAnthropic:
    """The fake server: start it, script it, point an SDK client at ``url``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: Collection[str] | None = None,
        batch_polls_to_end: int = 1,
    ) -> None:
        self.api_key = api_key  # None accepts any non-empty key
        self.models = None if models is None else frozenset(models)
        self.batch_polls_to_end = batch_polls_to_end
        self.handler_errors: list[Exception] = []
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        # Messages requests being answered right now, and the most there ever were.
        self._in_flight = 0
        self.max_in_flight = 0
        self._queue: deque[Outcome] = deque()
        self._handler: Handler | None = None
        self._batches: dict[str, _Batch] = {}
        self._stopping = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/messages", self._create_message, methods=["POST"]),
                Route("/v1/messages/batches", self._create_batch, methods=["POST"]),
                Route("/v1/messages/batches", self._list_batches, methods=["GET"]),
                Route("/v1/messages/batches/{id}", self._retrieve_batch, methods=["GET"]),
                Route("/v1/messages/batches/{id}", self._delete_batch, methods=["DELETE"]),
                Route("/v1/messages/batches/{id}/cancel", self._cancel_batch, methods=["POST"]),
                Route("/v1/messages/batches/{id}/results", self._batch_results, methods=["GET"]),
            ],
            exception_handlers={HTTPException: self._http_exception},
        )

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL for the SDK's ``base_url``."""
        if self._port is None:
            raise RuntimeError("FakeAnthropic is not started")
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        """Serve on an ephemeral port in a background thread; return once listening."""
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        self._stopping.clear()
        self._server = server
        self._thread = threading.Thread(target=server.run, name="fake-anthropic", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("FakeAnthropic failed to start")
            time.sleep(0.005)
        self._port = server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        """Stop serving; pending ``Slow`` answers are cut short."""
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    def async_client(self, **kwargs: Any) -> anthropic.AsyncAnthropic:
        """An AsyncAnthropic aimed here; ``max_retries`` defaults to 0 so failures are fast."""
        options: dict[str, Any] = {"api_key": "test", "max_retries": 0, **kwargs}
        return anthropic.AsyncAnthropic(base_url=self.url, **options)

    def client(self, **kwargs: Any) -> anthropic.Anthropic:
        """A sync Anthropic aimed here; ``max_retries`` defaults to 0."""
        options: dict[str, Any] = {"api_key": "test", "max_retries": 0, **kwargs}
        return anthropic.Anthropic(base_url=self.url, **options)

    # -- scripting and inspection ------------------------------------------------------------

    def enqueue(self, *outcomes: Outcome) -> None:
        """Queue canned outcomes; each message (or batch request) consumes the next one."""
        with self._lock:
            self._queue.extend(outcomes)

    def respond_with(self, handler: Handler | None) -> None:
        """Answer with ``handler(request_json)`` once the queue is empty (None restores default).

        The handler returns reply text, a tool-input dict, or any Outcome.
        """
        with self._lock:
            self._handler = handler

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def message_requests(self) -> list[RecordedRequest]:
        """Only the ``POST /v1/messages`` requests."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/messages"]

    def finish_batches(self) -> None:
        """End every batch still processing, producing its results now."""
        with self._lock:
            for batch in self._batches.values():
                if batch.status != "ended":
                    self._end_batch(batch)

    def reset(self) -> None:
        """Forget requests, queue, handler, batches and handler errors."""
        with self._lock:
            self._requests.clear()
            self._queue.clear()
            self._handler = None
            self._batches.clear()
            self.handler_errors.clear()

    # -- shared plumbing ---------------------------------------------------------------------

    async def _record(self, request: Request) -> RecordedRequest:
        raw = await request.body()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            headers={k.lower(): v for k, v in request.headers.items()},
            raw=raw,
            body=body,
        )
        with self._lock:
            self._requests.append(recorded)
        return recorded

    def _refuse(self, recorded: RecordedRequest) -> Response | None:
        """Authentication and version checks, in the order the real API applies them."""
        key = recorded.api_key
        if key is None:
            return _error_response(Error(401, message="x-api-key header is required"))
        if self.api_key is not None and key != self.api_key:
            return _error_response(Error(401, message="invalid x-api-key"))
        if not recorded.headers.get("anthropic-version"):
            return _error_response(Error(400, message="anthropic-version: header is required"))
        return None

    def _next_outcome(self, body: JSON) -> Outcome:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self._handled(body)

    def _handled(self, body: JSON) -> Outcome:
        with self._lock:
            handler = self._handler
        if handler is None:
            return Reply(text=DEFAULT_REPLY)
        try:
            result = handler(body)
        except Exception as exc:  # surfaced to the test via handler_errors, not swallowed
            self.handler_errors.append(exc)
            return Error(500, message=f"fake handler raised {exc!r}")
        if isinstance(result, Reply | Error | Malformed | Slow):
            return result
        if isinstance(result, str):
            return Reply(text=result)
        return Reply(tool_input=result)

    async def _pause(self, seconds: float) -> None:
        # A thread wait, not asyncio.sleep, so stop() (called from another thread) cuts it short.
        await asyncio.to_thread(self._stopping.wait, seconds)

    async def _http_exception(self, request: Request, exc: Exception) -> Response:
        await self._record(request)
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = "Not found" if status == 404 else str(getattr(exc, "detail", exc))
        return _error_response(Error(status, _DEFAULT_ERROR_TYPES.get(status), message))

    # -- Messages API ------------------------------------------------------------------------

    async def _create_message(self, request: Request) -> Response:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return await self._answer_message(request)
        finally:
            with self._lock:
                self._in_flight -= 1

    async def _answer_message(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        body = recorded.body
        if not isinstance(body, dict):
            return _error_response(Error(400, message="Request body must be a JSON object"))
        if (problem := _validate_params(body)) is not None:
            return _error_response(Error(400, message=problem))
        if self.models is not None and body["model"] not in self.models:
            return _error_response(Error(404, message=f"model: {body['model']}"))
        outcome = self._next_outcome(body)
        while isinstance(outcome, Slow):
            await self._pause(outcome.seconds)
            outcome = outcome.then if outcome.then is not None else self._handled(body)
        if isinstance(outcome, Malformed):
            return Response(
                outcome.body,
                status_code=outcome.status,
                media_type=outcome.content_type,
                headers={"request-id": _new_id("req")},
            )
        if isinstance(outcome, Error):
            return _error_response(outcome)
        message = _build_message(body, outcome, service_tier="standard")
        if isinstance(message, Error):
            return _error_response(message)
        return JSONResponse(message, headers={"request-id": _new_id("req")})

    # -- Message Batches API -----------------------------------------------------------------

    async def _create_batch(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        body = recorded.body if isinstance(recorded.body, dict) else {}
        entries = body.get("requests")
        if not isinstance(entries, list) or not entries:
            return _error_response(Error(400, message="requests: at least one request is required"))
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            custom_id = entry.get("custom_id") if isinstance(entry, dict) else None
            if not isinstance(custom_id, str) or not _CUSTOM_ID.match(custom_id):
                message = f"requests.{index}.custom_id: must match ^[a-zA-Z0-9_-]{{1,64}}$"
                return _error_response(Error(400, message=message))
            if custom_id in seen:
                message = f"requests.{index}.custom_id: duplicate custom_id {custom_id!r}"
                return _error_response(Error(400, message=message))
            seen.add(custom_id)
            params = entry.get("params")
            problem = _validate_params(params, at=f"requests.{index}.params.")
            if problem is not None:
                return _error_response(Error(400, message=problem))
        batch = _Batch(
            id=_new_id("msgbatch"),
            requests=[(entry["custom_id"], entry["params"]) for entry in entries],
            created_at=datetime.now(UTC),
        )
        with self._lock:
            self._batches[batch.id] = batch
        return self._batch_response(batch)

    async def _list_batches(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        limit = int(request.query_params.get("limit", "20"))
        with self._lock:
            batches = sorted(self._batches.values(), key=lambda b: b.created_at, reverse=True)
            data = [self._batch_json(b) for b in batches[:limit]]
        page = {
            "data": data,
            "has_more": len(batches) > limit,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }
        return JSONResponse(page, headers={"request-id": _new_id("req")})

    async def _retrieve_batch(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        with self._lock:
            batch = self._batches.get(request.path_params["id"])
            if batch is None:
                return _batch_not_found(request.path_params["id"])
            batch.polls += 1
            if batch.status == "canceling" or (
                batch.status == "in_progress" and batch.polls >= self.batch_polls_to_end
            ):
                self._end_batch(batch)
            return self._batch_response(batch)

    async def _cancel_batch(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        with self._lock:
            batch = self._batches.get(request.path_params["id"])
            if batch is None:
                return _batch_not_found(request.path_params["id"])
            if batch.status == "in_progress":
                batch.status = "canceling"
                batch.cancel_initiated_at = datetime.now(UTC)
            return self._batch_response(batch)

    async def _delete_batch(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        with self._lock:
            batch = self._batches.get(request.path_params["id"])
            if batch is None:
                return _batch_not_found(request.path_params["id"])
            if batch.status != "ended":
                message = f"Message Batch {batch.id} cannot be deleted while it is processing"
                return _error_response(Error(400, message=message))
            del self._batches[batch.id]
        deleted = {"id": batch.id, "type": "message_batch_deleted"}
        return JSONResponse(deleted, headers={"request-id": _new_id("req")})

    async def _batch_results(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refusal := self._refuse(recorded)) is not None:
            return refusal
        with self._lock:
            batch = self._batches.get(request.path_params["id"])
            if batch is None:
                return _batch_not_found(request.path_params["id"])
            if batch.status != "ended":
                message = f"Message Batch {batch.id} has not finished processing"
                return _error_response(Error(400, message=message))
            # The API does not promise request order; reversing catches code that assumes it.
            lines = [json.dumps(line) for line in reversed(batch.results)]
        return Response(
            "".join(f"{line}\n" for line in lines),
            media_type="application/binary",
            headers={"request-id": _new_id("req")},
        )

    def _end_batch(self, batch: _Batch) -> None:
        canceled = batch.status == "canceling"
        results: list[JSON] = []
        for custom_id, params in batch.requests:
            if canceled:
                result: JSON = {"type": "canceled"}
            else:
                result = self._batch_result(params, self._next_outcome(params))
            results.append({"custom_id": custom_id, "result": result})
        batch.results = results
        batch.status = "ended"
        batch.ended_at = datetime.now(UTC)

    def _batch_result(self, params: JSON, outcome: Outcome) -> JSON:
        while isinstance(outcome, Slow):  # nobody waits on a batch line, so delays vanish
            outcome = outcome.then if outcome.then is not None else self._handled(params)
        if isinstance(outcome, Malformed):
            outcome = Error(500, message="fake: Malformed has no meaning inside a batch")
        if isinstance(outcome, Reply):
            message = _build_message(params, outcome, service_tier="batch")
            if not isinstance(message, Error):
                return {"type": "succeeded", "message": message}
            outcome = message
        return {"type": "errored", "error": _error_body(outcome, _new_id("req"))}

    def _batch_json(self, batch: _Batch) -> JSON:
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        if batch.status == "ended":
            for line in batch.results:
                counts[line["result"]["type"]] += 1
        else:
            counts["processing"] = len(batch.requests)
        ended = batch.status == "ended"
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": batch.status,
            "request_counts": counts,
            "created_at": _rfc3339(batch.created_at),
            "expires_at": _rfc3339(batch.created_at + timedelta(hours=24)),
            "ended_at": _rfc3339(batch.ended_at) if batch.ended_at else None,
            "cancel_initiated_at": (
                _rfc3339(batch.cancel_initiated_at) if batch.cancel_initiated_at else None
            ),
            "archived_at": None,
            "results_url": f"{self.url}/v1/messages/batches/{batch.id}/results" if ended else None,
        }

    def _batch_response(self, batch: _Batch) -> Response:
        return JSONResponse(self._batch_json(batch), headers={"request-id": _new_id("req")})


# -- pure helpers ------------------------------------------------------------------------------


def _new_id(prefix: str) -> str:
    return f"{prefix}_01{secrets.token_hex(11)}"


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _error_body(error: Error, request_id: str) -> JSON:
    fallback = "invalid_request_error" if error.status < 500 else "api_error"
    error_type = error.error_type or _DEFAULT_ERROR_TYPES.get(error.status, fallback)
    message = error.message or error_type.replace("_", " ").capitalize()
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }


def _error_response(error: Error) -> JSONResponse:
    request_id = _new_id("req")
    headers = {"request-id": request_id}
    if error.retry_after is not None:
        seconds = error.retry_after
        headers["retry-after"] = str(int(seconds)) if seconds == int(seconds) else str(seconds)
    if error.retry_after_ms is not None:
        headers["retry-after-ms"] = str(error.retry_after_ms)
    if error.should_retry is not None:
        headers["x-should-retry"] = "true" if error.should_retry else "false"
    return JSONResponse(_error_body(error, request_id), status_code=error.status, headers=headers)


def _batch_not_found(batch_id: str) -> JSONResponse:
    return _error_response(Error(404, message=f"Message Batch {batch_id} not found"))


def _content_blocks(body: JSON) -> Iterator[JSON]:
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            yield from (block for block in content if isinstance(block, dict))


def _validate_params(body: Any, at: str = "") -> str | None:
    """The first problem the real API would report with 400, or None."""
    if not isinstance(body, dict):
        return f"{at or 'body'}: Input should be a valid dictionary"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return f"{at}model: Field required"
    max_tokens = body.get("max_tokens")
    if max_tokens is None:
        return f"{at}max_tokens: Field required"
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        return f"{at}max_tokens: Input should be greater than or equal to 1"
    messages = body.get("messages")
    if messages is None:
        return f"{at}messages: Field required"
    if not isinstance(messages, list) or not messages:
        return f"{at}messages: at least one message is required"
    for index, message in enumerate(messages):
        where = f"{at}messages.{index}"
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            return f"{where}.role: Input should be 'user' or 'assistant'"
        content = message.get("content")
        if isinstance(content, str):
            if not content:
                return f"{where}.content: text content blocks must be non-empty"
            continue
        if not isinstance(content, list) or not content:
            return f"{where}.content: Input should be a valid list"
        for number, block in enumerate(content):
            if (problem := _validate_block(block, f"{where}.content.{number}")) is not None:
                return problem
    system = body.get("system")
    if system is not None and not isinstance(system, str | list):
        return f"{at}system: Input should be a valid string or list of text blocks"
    return _validate_tools(body, at)


def _validate_block(block: Any, where: str) -> str | None:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return f"{where}.type: Field required"
    if block["type"] == "text" and not block.get("text"):
        return f"{where}.text: text content blocks must be non-empty"
    if block["type"] != "image":
        return None
    source = block.get("source")
    if not isinstance(source, dict):
        return f"{where}.source: Field required"
    if source.get("type") == "url":
        return None if isinstance(source.get("url"), str) else f"{where}.source.url: Field required"
    if source.get("type") != "base64":
        return f"{where}.source.type: Input should be 'base64' or 'url'"
    media_type = source.get("media_type")
    if media_type not in _IMAGE_MAGIC:
        allowed = ", ".join(f"'{m}'" for m in _IMAGE_MAGIC)
        return f"{where}.source.media_type: Input should be {allowed}"
    try:
        data = base64.b64decode(source.get("data") or "", validate=True)
    except (binascii.Error, TypeError):
        return f"{where}.source.data: The image data is not valid base64"
    if len(data) > MAX_IMAGE_BYTES:
        return f"{where}.source.data: image exceeds 5 MB maximum: {len(data)} bytes"
    if not _IMAGE_MAGIC[media_type](data):
        return f"{where}.source: Image does not match the provided media type {media_type}"
    return None


def _validate_tools(body: JSON, at: str) -> str | None:
    tools = body.get("tools")
    if tools is not None and not isinstance(tools, list):
        return f"{at}tools: Input should be a valid list"
    names = set()
    for index, tool in enumerate(tools or []):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            return f"{at}tools.{index}.name: Field required"
        if tool.get("type") in (None, "custom") and not isinstance(tool.get("input_schema"), dict):
            return f"{at}tools.{index}.input_schema: Field required"
        names.add(tool["name"])
    choice = body.get("tool_choice")
    if choice is None:
        return None
    if not isinstance(choice, dict) or choice.get("type") not in ("auto", "any", "tool", "none"):
        return f"{at}tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'"
    if choice["type"] in ("any", "tool") and not names:
        return f"{at}tool_choice: tool_choice.type {choice['type']!r} requires tools"
    if choice["type"] == "tool" and choice.get("name") not in names:
        return f"{at}tool_choice.name: Tool {choice.get('name')!r} not found in tools"
    return None


def _required_tool(body: JSON) -> str | None:
    """The tool the request forces the model to call, if any."""
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool":
        return str(choice["name"])
    if choice.get("type") == "any":
        return str(body["tools"][0]["name"])
    return None


def _estimate_tokens(value: Any) -> int:
    """Deterministic character count / 4, with a flat price per image."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        if value.get("type") == "image":
            return IMAGE_TOKENS * 4
        return sum(_estimate_tokens(v) for v in value.values())
    if isinstance(value, list):
        return sum(_estimate_tokens(v) for v in value)
    return 0


def _build_message(body: JSON, reply: Reply, *, service_tier: str) -> JSON | Error:
    """A Message object answering ``body`` with ``reply``, or an Error if they cannot fit."""
    tools = body.get("tools") or []
    forced = _required_tool(body)
    tool_input = reply.tool_input
    if tool_input is None and forced is not None:
        # A forced tool call always answers with tool_use, so text must be a JSON object.
        try:
            tool_input = json.loads(reply.text or "")
        except ValueError:
            tool_input = None
        if not isinstance(tool_input, dict):
            return Error(500, message=f"fake: tool {forced!r} is forced but reply is not JSON")
    content: list[JSON]
    if tool_input is not None and tools:
        name = forced or reply.tool_name or str(tools[0]["name"])
        content = [{"type": "tool_use", "id": _new_id("toolu"), "name": name, "input": tool_input}]
        stop_reason = "tool_use"
        output_chars = len(json.dumps(tool_input))
    else:
        text = json.dumps(tool_input) if tool_input is not None else reply.text or ""
        stop_reason = "end_turn"
        if math.ceil(len(text) / 4) > body["max_tokens"]:
            text, stop_reason = text[: body["max_tokens"] * 4], "max_tokens"
        content = [{"type": "text", "text": text}]
        output_chars = len(text)
    prompt = [body.get("system"), body.get("messages"), body.get("tools")]
    return {
        "id": _new_id("msg"),
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": reply.stop_reason or stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": max(1, math.ceil(_estimate_tokens(prompt) / 4)),
            "output_tokens": max(1, math.ceil(output_chars / 4)),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "service_tier": service_tier,
        },
    }
