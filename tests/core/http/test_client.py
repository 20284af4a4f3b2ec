"""Client pieces that need no server: error lines, redaction (settings resolution: test_settings.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.error_text import collect_secrets, describe_error_body, redact, redact_body
from pulumi_phonecfg.core.http.settings import ProviderSettings


def settings(config: dict[str, str], env: dict[str, str] | None = None) -> ProviderSettings:
    return ProviderSettings.from_sources(config.get, env or {})


def response(
    status: int, body: Any = None, text: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def test_fastapi_422_becomes_field_messages_without_the_rejected_input() -> None:
    body = {
        "detail": [
            {"loc": ["body", "name"], "msg": "String should have at most 64 characters", "input": "n" * 70},
            {"loc": ["body", "security", "client_secret"], "msg": "must be base64", "input": "fake-secret"},
        ]
    }
    line = describe_error_body(response(422, body))
    assert line == "name: String should have at most 64 characters; security.client_secret: must be base64"


def test_quota_and_plain_details() -> None:
    quota = {"detail": {"code": "RESOURCE_QUOTA_EXCEEDED", "message": "too many", "limit": 10, "current": 10}}
    assert describe_error_body(response(429, quota)) == "RESOURCE_QUOTA_EXCEEDED: too many (limit 10, current 10)"
    assert describe_error_body(response(404, {"detail": "Phone config not found"})) == "Phone config not found"
    assert describe_error_body(response(502, text="<html>\nbad gateway</html>")) == "<html>"


def test_credentials_are_found_and_scrubbed() -> None:
    body = {"name": "n", "security": {"password": "fake-pw-1", "username": "u"}, "x": [{"api_key": "fake-key-2"}]}
    assert collect_secrets(body) == {"fake-pw-1", "fake-key-2"}
    assert redact("echo fake-pw-1 and fake-key-2", collect_secrets(body)) == "echo [redacted] and [redacted]"
    assert redact_body(body)["security"] == {"password": "[redacted]", "username": "u"}


@pytest.mark.parametrize(("threads", "keepalive"), [("4", 20), ("32", 32), ("64", 64)])
def test_the_connection_pool_keeps_a_connection_per_provider_thread(threads: str, keepalive: int) -> None:
    resolved = settings(
        {"phonecfg:url": "https://api.example.test", "phonecfg:token": "t", "phonecfg:providerThreads": threads}
    )
    client = PhoneApiClient(resolved)
    try:
        # httpx exposes the pool limits only on its default transport's pool (a private attribute).
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert pool._max_keepalive_connections == keepalive
        assert pool._max_connections >= max(100, keepalive)
    finally:
        client.close()
