"""The Anthropic client: built from settings, called with the configured limits, and
its replies read into checked answers.

The SDK retries 408/409/429/5xx/529 and timeouts itself (`max_retries`, honouring
`retry-after(-ms)`); what still fails is raised here as LLMCallFailed, a DomainError with
code LLM_UNAVAILABLE, after which nothing about the call exists but the usage error count.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import anthropic
from anthropic import AsyncAnthropic
from anthropic.types import Message

from coinstack_graphql.enrichment.capabilities import (
    LOW_CONFIDENCE,
    CapabilitySpec,
    Flag,
    check_output,
    confidence_of,
    flag,
    validate_json,
)
from coinstack_graphql.enrichment.models import PromptTemplate
from coinstack_graphql.enrichment.usage import UsageDelta, cost_usd
from coinstack_graphql.errors import DomainError
from coinstack_graphql.settings import Settings

DEFAULT_BASE_URL = "https://api.anthropic.com"


class LLMUnavailable(DomainError):
    """The model cannot be asked: no API key, or the API failed after retries."""

    code = "LLM_UNAVAILABLE"


class LLMCallFailed(LLMUnavailable):
    """A request was sent and failed for good (counted as a usage error)."""


def build_client(settings: Settings) -> AsyncAnthropic:
    """An AsyncAnthropic for the settings; LLMUnavailable when no API key is configured."""
    if not settings.anthropic_api_key:
        raise LLMUnavailable(
            "LLM enrichment is not configured: set ANTHROPIC_API_KEY for the server"
        )
    # base_url is always passed so the SDK never reads its own environment variables:
    # settings.py is the one place configuration comes from.
    return AsyncAnthropic(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or DEFAULT_BASE_URL,
        max_retries=settings.llm_max_retries,
        timeout=settings.llm_timeout_s,
    )


@dataclass(frozen=True)
class ModelReply:
    """A successful Messages API answer and how long it took, retries included."""

    message: Message
    latency_ms: float

    @property
    def request_id(self) -> str | None:
        return getattr(self.message, "_request_id", None)


async def create_message(
    client: AsyncAnthropic, params: dict[str, Any], *, settings: Settings
) -> ModelReply:
    """`messages.create(**params)` with the configured timeout and retries.

    An injected client (tests, a batch runner sharing one) still gets the server's limits.
    """
    started = time.perf_counter()
    try:
        message: Any = await client.with_options(
            max_retries=settings.llm_max_retries, timeout=settings.llm_timeout_s
        ).messages.create(**params)
    except anthropic.APITimeoutError:
        raise LLMCallFailed(
            f"the Anthropic API did not answer within {settings.llm_timeout_s:g} s "
            f"({settings.llm_max_retries} retries)",
        ) from None
    except anthropic.APIConnectionError as exc:
        raise LLMCallFailed(f"cannot reach the Anthropic API: {exc.message}") from None
    except anthropic.APIStatusError as exc:
        retried = settings.llm_max_retries and (
            exc.status_code in (408, 409, 429) or exc.status_code >= 500
        )
        raise LLMCallFailed(
            f"the Anthropic API refused the request ({exc.status_code}"
            f"{', request ' + exc.request_id if exc.request_id else ''}"
            f"{f', after {settings.llm_max_retries} retries' if retried else ''}): "
            f"{_error_text(exc)}",
        ) from None
    except ValueError:
        # A 200 whose body is not JSON: the SDK raises json.JSONDecodeError, not APIError.
        raise LLMCallFailed("the Anthropic API answered with a malformed body") from None
    if not isinstance(message, Message) or not isinstance(message.content, list):
        raise LLMCallFailed("the Anthropic API answered with something that is not a message")
    return ModelReply(message=message, latency_ms=(time.perf_counter() - started) * 1000)


def _error_text(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return exc.message


# ---- reading a reply (shared with a Message Batches runner)


@dataclass(frozen=True)
class Reading:
    """What a model reply says, checked, before anything is stored."""

    output_content: str
    confidence: float
    flags: list[Flag]
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    model_version: str | None
    request_id: str | None
    raw_response: str
    prompt_cached: bool = False

    def usage(self, latency_ms: float | None = None) -> UsageDelta:
        return UsageDelta(
            requests=1,
            cost_usd=self.cost_usd,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            confidence=self.confidence,
            latency_ms=latency_ms,
        )


def read_reply(
    spec: CapabilitySpec, template: PromptTemplate, message: Message, *, settings: Settings
) -> Reading:
    """Parse the forced tool call, validate it, flag what a reviewer should look at."""
    flags: list[Flag] = []
    if message.stop_reason == "max_tokens":
        flags.append(flag("truncated", "the answer was cut off at max_tokens"))
    calls = [b for b in message.content if b.type == "tool_use" and b.name == spec.tool_name]
    output: Any = calls[0].input if calls else None
    text = "".join(b.text for b in message.content if b.type == "text")
    if not calls:
        flags.append(flag("no_tool_output", f"the model did not call {spec.tool_name}"))
        try:
            output = json.loads(text)
        except ValueError:
            flags.append(flag("malformed_output", "the answer is not JSON"))
    if output is not None:
        issues = validate_json(spec.output_schema, output)
        if template.output_schema not in (None, spec.output_schema):
            own = validate_json(template.output_schema, output)
            issues += [issue for issue in own if issue not in issues]
        flags.extend(flag("schema", str(issue), path=list(issue.path)) for issue in issues)
        if not issues:
            flags.extend(check_output(spec.capability, output))
    confidence = confidence_of(output)
    if confidence < LOW_CONFIDENCE:
        flags.append(
            flag("low_confidence", f"confidence {confidence:g} is below {LOW_CONFIDENCE:g}")
        )
    usage = message.usage
    price = cost_usd(settings, message.model, usage.input_tokens, usage.output_tokens)
    if price is None:
        price = cost_usd(settings, settings.llm_model, usage.input_tokens, usage.output_tokens)
    return Reading(
        output_content=(
            json.dumps(output, sort_keys=True, ensure_ascii=False) if output is not None else text
        ),
        confidence=confidence,
        flags=flags,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cost_usd=price if price is not None else Decimal(0),  # unpriced model: not billed here
        model_version=message.model,
        request_id=getattr(message, "_request_id", None),
        raw_response=message.model_dump_json(),
        prompt_cached=bool(usage.cache_read_input_tokens),
    )
