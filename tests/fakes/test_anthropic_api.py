"""The fake Anthropic API, exercised through the real SDK so its shapes stay honest."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest
from anthropic.types import TextBlock, ToolUseBlock

from .anthropic_api import IMAGE_TOKENS, Error, FakeAnthropic, Malformed, Reply, Slow

MODEL = "claude-haiku-4-5"  # not in the SDK's DEPRECATED_MODELS, which warns (= error here)
USER = [{"role": "user", "content": "Identify this denarius."}]
COIN_TOOL = {
    "name": "record_coin",
    "description": "Record the identified coin.",
    "input_schema": {"type": "object", "properties": {"ruler": {"type": "string"}}},
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


def _params(**overrides: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 256, "messages": USER, **overrides}


async def test_nothing_is_recorded_until_a_call_is_made(fake: FakeAnthropic) -> None:
    assert fake.requests == []
    assert fake.message_requests == []


async def test_text_reply_is_a_real_message(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        message = await client.messages.create(**_params(system="You are a numismatist."))

    assert message.id.startswith("msg_")
    assert message.model == MODEL
    assert message.role == "assistant"
    assert message.stop_reason == "end_turn"
    assert message.content == [TextBlock(type="text", text='{"ok": true}')]
    assert message.usage.input_tokens > 0
    assert message.usage.output_tokens > 0
    assert message.usage.cache_read_input_tokens == 0
    (recorded,) = fake.message_requests
    assert recorded.body["system"] == "You are a numismatist."
    assert recorded.api_key == "test"
    assert recorded.headers["anthropic-version"]


async def test_usage_estimate_is_deterministic(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        first = await client.messages.create(**_params())
        second = await client.messages.create(**_params())
    assert first.usage.input_tokens == second.usage.input_tokens


async def test_handler_answers_from_the_request(fake: FakeAnthropic) -> None:
    fake.respond_with(lambda body: f"you said {body['messages'][0]['content']!r}")
    async with fake.async_client() as client:
        message = await client.messages.create(**_params())
    assert isinstance(message.content[0], TextBlock)
    assert message.content[0].text == "you said 'Identify this denarius.'"


async def test_queue_is_consumed_before_the_handler(fake: FakeAnthropic) -> None:
    fake.respond_with(lambda body: "from handler")
    fake.enqueue(Reply(text="queued"))
    async with fake.async_client() as client:
        texts = [(await client.messages.create(**_params())).content[0] for _ in range(2)]
    assert [block.text for block in texts if isinstance(block, TextBlock)] == [
        "queued",
        "from handler",
    ]


async def test_forced_tool_gets_a_tool_use_block(fake: FakeAnthropic) -> None:
    fake.enqueue(Reply(tool_input={"ruler": "Hadrian"}))
    async with fake.async_client() as client:
        message = await client.messages.create(
            **_params(tools=[COIN_TOOL], tool_choice={"type": "tool", "name": "record_coin"})
        )
    assert message.stop_reason == "tool_use"
    (block,) = message.content
    assert isinstance(block, ToolUseBlock)
    assert block.id.startswith("toolu_")
    assert (block.name, block.input) == ("record_coin", {"ruler": "Hadrian"})


async def test_forced_tool_turns_json_text_into_tool_input(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        message = await client.messages.create(
            **_params(tools=[COIN_TOOL], tool_choice={"type": "any"})
        )
    (block,) = message.content
    assert isinstance(block, ToolUseBlock)
    assert block.input == {"ok": True}


async def test_tool_input_without_tools_comes_back_as_json_text(fake: FakeAnthropic) -> None:
    fake.enqueue(Reply(tool_input={"ruler": "Trajan"}))
    async with fake.async_client() as client:
        message = await client.messages.create(**_params())
    assert isinstance(message.content[0], TextBlock)
    assert json.loads(message.content[0].text) == {"ruler": "Trajan"}


async def test_long_text_is_cut_at_max_tokens(fake: FakeAnthropic) -> None:
    fake.enqueue(Reply(text="x" * 100))
    async with fake.async_client() as client:
        message = await client.messages.create(**_params(max_tokens=5))
    assert message.stop_reason == "max_tokens"
    assert isinstance(message.content[0], TextBlock)
    assert message.content[0].text == "x" * 20


async def test_rate_limit_honours_retry_after(fake: FakeAnthropic) -> None:
    fake.enqueue(Error(429, retry_after=1))
    started = time.monotonic()
    async with fake.async_client(max_retries=2) as client:
        message = await client.messages.create(**_params())
    assert time.monotonic() - started >= 1.0
    assert message.content
    retry_counts = [r.headers["x-stainless-retry-count"] for r in fake.message_requests]
    assert retry_counts == ["0", "1"]


async def test_overloaded_is_retried(fake: FakeAnthropic) -> None:
    fake.enqueue(Error(529, retry_after_ms=20))
    async with fake.async_client(max_retries=1) as client:
        await client.messages.create(**_params())
    assert len(fake.message_requests) == 2


async def test_server_error_after_retries_raises(fake: FakeAnthropic) -> None:
    fake.enqueue(*[Error(500, retry_after_ms=10)] * 3)
    async with fake.async_client(max_retries=2) as client:
        with pytest.raises(anthropic.InternalServerError) as caught:
            await client.messages.create(**_params())
    assert len(fake.message_requests) == 3
    assert caught.value.status_code == 500
    assert caught.value.type == "api_error"
    assert caught.value.request_id is not None
    assert caught.value.request_id.startswith("req_")


async def test_should_retry_false_stops_the_sdk_retrying(fake: FakeAnthropic) -> None:
    fake.enqueue(Error(529, should_retry=False))
    async with fake.async_client(max_retries=2) as client:
        with pytest.raises(anthropic.OverloadedError):
            await client.messages.create(**_params())
    assert len(fake.message_requests) == 1


async def test_malformed_json_raises_json_decode_error_without_retry(
    fake: FakeAnthropic,
) -> None:
    # Not an anthropic.APIError: callers must catch ValueError themselves.
    fake.enqueue(Malformed())
    async with fake.async_client(max_retries=2) as client:
        with pytest.raises(json.JSONDecodeError):
            await client.messages.create(**_params())
    assert len(fake.message_requests) == 1


async def test_non_json_body_comes_back_as_a_str(fake: FakeAnthropic) -> None:
    # The SDK returns the raw text instead of a Message when the content type is not JSON.
    fake.enqueue(Malformed(body="upstream hiccup", content_type="text/plain"))
    async with fake.async_client() as client:
        result: object = await client.messages.create(**_params())
    assert result == "upstream hiccup"


async def test_wrong_shape_is_a_message_full_of_none(fake: FakeAnthropic) -> None:
    # Without strict validation the SDK builds a Message anyway; content is None.
    fake.enqueue(Malformed(body='{"unexpected": 1}'))
    async with fake.async_client() as client:
        message = await client.messages.create(**_params())
    assert message.content is None


async def test_slow_answer_beyond_timeout_raises_timeout(fake: FakeAnthropic) -> None:
    fake.enqueue(Slow(5))
    async with fake.async_client(timeout=0.2) as client:
        with pytest.raises(anthropic.APITimeoutError):
            await client.messages.create(**_params())


async def test_slow_answer_within_timeout_arrives(fake: FakeAnthropic) -> None:
    fake.enqueue(Slow(0.05, then=Reply(text="late")))
    async with fake.async_client(timeout=5) as client:
        message = await client.messages.create(**_params())
    assert message.content == [TextBlock(type="text", text="late")]


async def test_request_without_credentials_is_401(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        with pytest.raises(anthropic.AuthenticationError) as caught:
            await client.messages.create(
                **_params(), extra_headers={"Authorization": anthropic.Omit()}
            )
    assert caught.value.type == "authentication_error"
    assert len(fake.message_requests) == 1


async def test_wrong_key_is_401() -> None:
    async with FakeAnthropic(api_key="sk-right") as server:
        async with server.async_client(api_key="sk-wrong") as client:
            with pytest.raises(anthropic.AuthenticationError):
                await client.messages.create(**_params())


async def test_x_api_key_header_is_accepted(fake: FakeAnthropic) -> None:
    headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
    async with httpx.AsyncClient(base_url=fake.url) as http:
        response = await http.post("/v1/messages", json=_params(), headers=headers)
    assert response.status_code == 200
    assert response.headers["request-id"].startswith("req_")
    assert response.json()["type"] == "message"


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (_params(), {"anthropic-version": ""}, "anthropic-version: header is required"),
        ({"max_tokens": 1, "messages": USER}, {}, "model: Field required"),
        ({"model": MODEL, "messages": USER}, {}, "max_tokens: Field required"),
        (_params(messages=[]), {}, "messages: at least one message is required"),
        (_params(tool_choice={"type": "tool", "name": "x"}), {}, "tool_choice"),
    ],
)
async def test_invalid_requests_are_400(
    fake: FakeAnthropic, body: dict[str, Any], headers: dict[str, str], message: str
) -> None:
    sent = {"x-api-key": "k", "anthropic-version": "2023-06-01", **headers}
    async with httpx.AsyncClient(base_url=fake.url) as http:
        response = await http.post("/v1/messages", json=body, headers=sent)
    assert response.status_code == 400
    payload = response.json()
    assert payload["type"] == "error"
    assert payload["error"]["type"] == "invalid_request_error"
    assert message in payload["error"]["message"]
    assert payload["request_id"] == response.headers["request-id"]


async def test_unknown_model_is_not_found() -> None:
    async with FakeAnthropic(models={MODEL}) as server:
        async with server.async_client() as client:
            with pytest.raises(anthropic.NotFoundError):
                await client.messages.create(**_params(model="claude-unknown"))


def _image_block(data: bytes, media_type: str = "image/png") -> dict[str, Any]:
    source = {"type": "base64", "media_type": media_type, "data": base64.b64encode(data).decode()}
    return {"type": "image", "source": source}


async def test_images_are_accepted_and_recorded(fake: FakeAnthropic) -> None:
    content = [_image_block(PNG), {"type": "text", "text": "Obverse."}]
    async with fake.async_client() as client:
        message = await client.messages.create(
            **_params(messages=[{"role": "user", "content": content}])
        )
    assert message.usage.input_tokens >= IMAGE_TOKENS
    (recorded,) = fake.message_requests
    (image,) = recorded.images
    assert base64.b64decode(image["source"]["data"]) == PNG


async def test_image_not_matching_its_media_type_is_rejected(fake: FakeAnthropic) -> None:
    content = [_image_block(PNG, media_type="image/jpeg")]
    async with fake.async_client() as client:
        with pytest.raises(anthropic.BadRequestError, match="does not match"):
            await client.messages.create(**_params(messages=[{"role": "user", "content": content}]))


async def test_handler_exception_is_a_500_and_is_kept(fake: FakeAnthropic) -> None:
    def broken(body: dict[str, Any]) -> str:
        raise LookupError("no capability hint")

    fake.respond_with(broken)
    async with fake.async_client() as client:
        with pytest.raises(anthropic.InternalServerError, match="LookupError"):
            await client.messages.create(**_params())
    assert isinstance(fake.handler_errors[0], LookupError)


def _batch_requests(*custom_ids: str) -> list[Any]:
    return [{"custom_id": custom_id, "params": _params()} for custom_id in custom_ids]


async def test_batch_create_poll_results() -> None:
    async with FakeAnthropic(batch_polls_to_end=2) as server:
        server.enqueue(Reply(text="first"), Error(429))
        async with server.async_client() as client:
            created = await client.messages.batches.create(requests=_batch_requests("a", "b"))
            assert created.id.startswith("msgbatch_")
            assert created.processing_status == "in_progress"
            assert created.request_counts.processing == 2
            assert created.results_url is None
            polled = await client.messages.batches.retrieve(created.id)
            assert polled.processing_status == "in_progress"
            ended = await client.messages.batches.retrieve(created.id)
            assert ended.processing_status == "ended"
            assert ended.ended_at is not None
            assert (ended.request_counts.succeeded, ended.request_counts.errored) == (1, 1)
            assert ended.results_url is not None
            results = {
                line.custom_id: line.result
                async for line in await client.messages.batches.results(created.id)
            }

    first, second = results["a"], results["b"]
    assert first.type == "succeeded"
    assert first.message.content == [TextBlock(type="text", text="first")]
    assert first.message.usage.service_tier == "batch"
    assert second.type == "errored"
    assert second.error.error.type == "rate_limit_error"


async def test_batch_results_are_not_in_request_order(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        batch = await client.messages.batches.create(requests=_batch_requests("a", "b", "c"))
        fake.finish_batches()
        order = [line.custom_id async for line in await client.messages.batches.results(batch.id)]
    assert sorted(order) == ["a", "b", "c"]
    assert order != ["a", "b", "c"]


async def test_batch_results_before_end_fail_in_the_sdk() -> None:
    async with FakeAnthropic(batch_polls_to_end=10) as server:
        async with server.async_client() as client:
            batch = await client.messages.batches.create(requests=_batch_requests("a"))
            with pytest.raises(anthropic.AnthropicError, match="results_url"):
                await client.messages.batches.results(batch.id)


async def test_canceled_batch_ends_with_canceled_results() -> None:
    async with FakeAnthropic(batch_polls_to_end=10) as server:
        async with server.async_client() as client:
            batch = await client.messages.batches.create(requests=_batch_requests("a", "b"))
            canceling = await client.messages.batches.cancel(batch.id)
            assert canceling.processing_status == "canceling"
            assert canceling.cancel_initiated_at is not None
            ended = await client.messages.batches.retrieve(batch.id)
            assert ended.request_counts.canceled == 2
            kinds = {
                line.result.type async for line in await client.messages.batches.results(batch.id)
            }
    assert kinds == {"canceled"}


async def test_invalid_batch_params_are_400(fake: FakeAnthropic) -> None:
    requests: Any = [{"custom_id": "a", "params": {"model": MODEL, "messages": USER}}]
    async with fake.async_client() as client:
        with pytest.raises(anthropic.BadRequestError, match=r"requests\.0\.params\.max_tokens"):
            await client.messages.batches.create(requests=requests)


async def test_unknown_batch_is_not_found(fake: FakeAnthropic) -> None:
    async with fake.async_client() as client:
        with pytest.raises(anthropic.NotFoundError):
            await client.messages.batches.retrieve("msgbatch_missing")


def test_sync_client_works(fake: FakeAnthropic) -> None:
    fake.enqueue(Reply(text="sync"))
    with fake.client() as client:
        message = client.messages.create(**_params())
    assert message.content == [TextBlock(type="text", text="sync")]
