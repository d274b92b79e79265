"""Building the Anthropic client from settings."""

from __future__ import annotations

import pytest

from coinstack_graphql.enrichment.client import LLMUnavailable, build_client
from coinstack_graphql.settings import Settings


async def test_client_takes_key_url_retries_and_timeout_from_settings() -> None:
    settings = Settings(
        anthropic_api_key="sk-ant-test",
        anthropic_base_url="http://127.0.0.1:9/",
        llm_max_retries=5,
        llm_timeout_s=12.5,
    )
    client = build_client(settings)
    try:
        assert client.api_key == "sk-ant-test"
        assert str(client.base_url).startswith("http://127.0.0.1:9")
        assert (client.max_retries, client.timeout) == (5, 12.5)
    finally:
        await client.close()


async def test_default_base_url_is_the_public_api() -> None:
    client = build_client(Settings(anthropic_api_key="sk-ant-test"))
    try:
        assert str(client.base_url).startswith("https://api.anthropic.com")
    finally:
        await client.close()


@pytest.mark.parametrize("key", [None, ""])
def test_no_key_is_llm_unavailable(key: str | None) -> None:
    with pytest.raises(LLMUnavailable) as caught:
        build_client(Settings(anthropic_api_key=key))
    assert caught.value.code == "LLM_UNAVAILABLE"
    assert "ANTHROPIC_API_KEY" in caught.value.message
