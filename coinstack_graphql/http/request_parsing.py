"""Turn an HTTP request into GraphQL parameters, or a 4xx, per the GraphQL-over-HTTP draft."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect, Request

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
# Server preference when the client rates both equally (and the post-2025 default).
SUPPORTED_RESPONSE_TYPES = (GRAPHQL_RESPONSE_JSON, APPLICATION_JSON)

MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 40

_PARAM_NAMES = ("query", "variables", "operationName", "extensions")
# Unrolled-loop string pattern: linear time, no catastrophic backtracking.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}
_DIGITS = re.compile(r"[0-9]+")


class RequestError(Exception):
    """The request is not a well-formed GraphQL-over-HTTP request; answer with `status`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "BAD_REQUEST",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    """The four parameters of a GraphQL-over-HTTP request, shape-checked."""

    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None


class _MediaRange(NamedTuple):
    position: int
    type: str
    subtype: str
    params: dict[str, str]
    q: float


def _split_media_type(value: str) -> tuple[str, dict[str, str]]:
    """`Type/Sub; A=b` -> (`type/sub`, {`a`: `b`}), lower-cased, quotes stripped."""
    head, *rest = value.split(";")
    params: dict[str, str] = {}
    for part in rest:
        name, sep, raw = part.partition("=")
        if sep:
            params[name.strip().lower()] = raw.strip().strip('"')
    return head.strip().lower(), params


def _parse_accept(accept: str) -> Iterator[_MediaRange]:
    for position, item in enumerate(accept.split(",")):
        media_type, params = _split_media_type(item)
        kind, slash, subtype = media_type.partition("/")
        if not slash or not kind or not subtype:
            continue
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            continue
        if not math.isfinite(q):
            continue
        yield _MediaRange(position, kind, subtype, params, min(max(q, 0.0), 1.0))


def _match(media_type: str, ranges: list[_MediaRange]) -> _MediaRange | None:
    """The most specific range covering `media_type` (RFC 9110 §12.5.1), if any."""
    kind, _, subtype = media_type.partition("/")
    best: tuple[int, _MediaRange] | None = None
    for candidate in ranges:
        charset = candidate.params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            continue  # we only ever answer in UTF-8
        if (candidate.type, candidate.subtype) == (kind, subtype):
            specificity = 2
        elif candidate.type == kind and candidate.subtype == "*":
            specificity = 1
        elif (candidate.type, candidate.subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, candidate)
    return best[1] if best else None


def negotiate_response_type(accept: str | None) -> str | None:
    """Pick the response media type for `Accept`, or None when neither is acceptable."""
    if accept is None or not accept.strip():
        # Past the spec's 2025-01-01 watershed a missing Accept means the new type.
        return GRAPHQL_RESPONSE_JSON
    ranges = list(_parse_accept(accept))
    chosen: tuple[tuple[float, int, int], str] | None = None
    for preference, media_type in enumerate(SUPPORTED_RESPONSE_TYPES):
        found = _match(media_type, ranges)
        if found is None or found.q <= 0:
            continue
        # Highest q wins, then whichever the client listed first, then our preference.
        key = (-found.q, found.position, preference)
        if chosen is None or key < chosen[0]:
            chosen = (key, media_type)
    return chosen[1] if chosen else None


def accepts_html(accept: str | None) -> bool:
    """Whether `Accept` names text/html explicitly (browsers do; API clients don't)."""
    return any(
        (r.type, r.subtype) == ("text", "html") and r.q > 0 for r in _parse_accept(accept or "")
    )


def check_json_content_type(content_type: str | None) -> None:
    """Require `application/json` in UTF-8 on POST; anything else is a 415."""
    if content_type is None or not content_type.strip():
        raise RequestError(
            415,
            "POST requests need `Content-Type: application/json`.",
            code="UNSUPPORTED_MEDIA_TYPE",
        )
    media_type, params = _split_media_type(content_type)
    charset = params.get("charset", "utf-8").lower()
    if media_type != APPLICATION_JSON or charset not in ("utf-8", "utf8"):
        raise RequestError(
            415,
            f"Unsupported Content-Type {media_type!r}; send `application/json` in UTF-8.",
            code="UNSUPPORTED_MEDIA_TYPE",
        )


def _too_large(max_bytes: int) -> RequestError:
    return RequestError(
        413, f"The request body is larger than {max_bytes} bytes.", code="PAYLOAD_TOO_LARGE"
    )


async def read_body(request: Request, max_bytes: int) -> bytes:
    """Read the body, refusing more than `max_bytes` whatever Content-Length claims."""
    declared = request.headers.get("content-length")
    if declared is not None:
        declared = declared.strip()
        if not _DIGITS.fullmatch(declared):
            raise RequestError(400, "Invalid Content-Length header.")
        # Compare lengths first: int() of a 5000-digit header would raise.
        if len(declared.lstrip("0")) > len(str(max_bytes)) or int(declared) > max_bytes:
            raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        # Chunked bodies carry no Content-Length, so count as they stream in.
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise RequestError(400, "The client disconnected before sending the body.") from exc
    return b"".join(chunks)


def json_nesting_depth(text: str) -> int:
    """Deepest bracket nesting of `text`, ignoring brackets inside strings, without recursion."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_BRACKET_DELTA.__getitem__, brackets))))


class _NumberError(ValueError):
    pass


def _make_int_parser(max_digits: int) -> Any:
    def parse_int(literal: str) -> int:
        if len(literal.lstrip("-")) > max_digits:
            raise _NumberError(f"JSON integers may have at most {max_digits} digits.")
        return int(literal)

    return parse_int


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NumberError(f"JSON number {literal[:40]!r} is out of range.")
    return value


def _reject_constant(name: str) -> Any:
    raise _NumberError(f"{name} is not valid JSON.")


def loads_json(
    raw: bytes | str,
    *,
    what: str = "The request body",
    max_depth: int = MAX_JSON_DEPTH,
    max_int_digits: int = MAX_INT_DIGITS,
) -> Any:
    """Decode untrusted JSON; every way it can be malformed or hostile is a 400."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestError(400, f"{what} is not valid UTF-8.") from exc
    else:
        text = raw
    text = text.removeprefix("\ufeff")  # RFC 8259 lets parsers ignore a byte order mark
    # Python's json recurses per level: bound the depth before it can blow the stack.
    if json_nesting_depth(text) > max_depth:
        raise RequestError(400, f"{what} is JSON nested more than {max_depth} levels deep.")
    try:
        return json.loads(
            text,
            parse_int=_make_int_parser(max_int_digits),
            parse_float=_parse_float,
            parse_constant=_reject_constant,
        )
    except _NumberError as exc:
        raise RequestError(400, f"{what} is not acceptable JSON: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise RequestError(400, f"{what} is not valid JSON.") from exc


def _object_or_none(value: object, name: str) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    raise RequestError(400, f"`{name}` must be a JSON object or null.")


def _refuse_nul(value: object, name: str) -> None:
    """No string may carry U+0000: PostgreSQL cannot store it and no coin needs it."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise RequestError(400, f"`{name}` contains a NUL character (U+0000), which is not allowed.")
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _checked(params: GraphQLParams) -> GraphQLParams:
    _refuse_nul(params.query, "query")
    if "\\u0000" in params.query:  # the escape GraphQL string literals would decode to NUL
        raise RequestError(400, "`query` contains a NUL character (\\u0000), which is not allowed.")
    _refuse_nul(params.variables, "variables")
    return params


def params_from_mapping(data: object) -> GraphQLParams:
    """Shape-check one decoded JSON request object."""
    if not isinstance(data, dict):
        raise RequestError(400, "The request body must be a JSON object.")
    query = data.get("query")
    if query is None:
        raise RequestError(400, "The request has no `query`.")
    if not isinstance(query, str):
        raise RequestError(400, "`query` must be a string.")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "`operationName` must be a string or null.")
    return _checked(GraphQLParams(
        query=query,
        variables=_object_or_none(data.get("variables"), "variables"),
        # The spec makes an empty operationName the same as none.
        operation_name=operation_name or None,
        extensions=_object_or_none(data.get("extensions"), "extensions"),
    ))


def params_from_body(
    raw: bytes, *, allow_batching: bool, max_batch_size: int
) -> GraphQLParams | list[GraphQLParams]:
    """Decode a POST body into one request, or a batch when batching is on."""
    data = loads_json(raw)
    if isinstance(data, list):
        if not allow_batching:
            raise RequestError(400, "Batched requests (a JSON array) are not enabled.")
        if not data:
            raise RequestError(400, "A batch must contain at least one request.")
        if len(data) > max_batch_size:
            raise RequestError(400, f"A batch may contain at most {max_batch_size} requests.")
        return [params_from_mapping(item) for item in data]
    return params_from_mapping(data)


def params_from_query_string(query_params: QueryParams) -> GraphQLParams:
    """Read GET parameters; `variables` and `extensions` are JSON-encoded strings."""
    for name in _PARAM_NAMES:
        if len(query_params.getlist(name)) > 1:
            raise RequestError(400, f"The `{name}` parameter is given more than once.")
    query = query_params.get("query")
    if query is None:
        raise RequestError(400, "The request has no `query`.")
    decoded: dict[str, dict[str, Any] | None] = {}
    for name in ("variables", "extensions"):
        raw = query_params.get(name)
        value = loads_json(raw, what=f"`{name}`") if raw else None
        decoded[name] = _object_or_none(value, name)
    return _checked(GraphQLParams(
        query=query,
        variables=decoded["variables"],
        operation_name=query_params.get("operationName") or None,
        extensions=decoded["extensions"],
    ))
