"""Fixtures for the emulator's own tests.

Most tests drive the ASGI app in-process through FastAPI's ``TestClient``; a few need the real
subprocess (``live``, the session emulator of tests/conftest.py) for sockets, restarts and the CLI.
"""

from __future__ import annotations

import base64
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette 1.x deprecates httpx for its TestClient in favour of httpx2 (not installed here)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from pulumi_phonecfg.emulator import EmulatorSettings, RunningEmulator, create_app

TOKEN = "test-token"
API_KEY = "test-api-key"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PHONE = "/v1/channels/phone"
GENESYS_SECRET = base64.b64encode(b"sixteen byte key").decode()


class FakeClock:
    """Injectable epoch clock: tests move time instead of sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def sip_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "sip one", "service_provider": "sip_trunk", "security": {}}
    body.update(overrides)
    return body


def genesys_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "genesys one",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "g-api-key", "client_secret": GENESYS_SECRET},
    }
    body.update(overrides)
    return body


MakeClient = Callable[..., TestClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(tmp_path: Path, clock: FakeClock) -> Iterator[MakeClient]:
    """Build an authenticated in-process client; keyword arguments override ``EmulatorSettings``."""
    clients: list[TestClient] = []

    def factory(**overrides: Any) -> TestClient:
        base = EmulatorSettings(
            db_path=tmp_path / f"emu{len(clients)}.db", tokens=(TOKEN,), api_keys=(API_KEY,), clock=clock
        )
        c = TestClient(create_app(replace(base, **overrides)), headers=AUTH)
        c.__enter__()  # one event-loop portal for the whole test instead of one per request
        clients.append(c)
        return c

    yield factory
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(PHONE, json=body)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


def log(client: TestClient) -> list[dict[str, Any]]:
    """The emulator's request log (``GET /_emulator/requests``)."""
    entries: list[dict[str, Any]] = client.get("/_emulator/requests").json()
    return entries


@pytest.fixture
def live(phone_api: RunningEmulator) -> RunningEmulator:
    """The session's real emulator subprocess (tests/conftest.py), wiped: for sockets, restarts and the CLI."""
    return phone_api
