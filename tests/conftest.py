"""Shared fixtures: one real emulator process per test session, wiped before each test that uses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

FAKE_API_KEY = "fake-wxo-api-key-for-tests"


@pytest.fixture(scope="session")
def phone_api_server() -> Iterator[RunningEmulator]:
    with start_emulator(api_keys=[FAKE_API_KEY]) as running:
        yield running


@pytest.fixture
def api_key() -> str:
    """The (fake) API key the session's emulator accepts at its token endpoints."""
    return FAKE_API_KEY


@pytest.fixture
def phone_api(phone_api_server: RunningEmulator) -> RunningEmulator:
    """The session's emulator with no configs, no faults and an empty request log."""
    phone_api_server.clear_faults()
    phone_api_server.reset()
    phone_api_server.clear_requests()
    return phone_api_server


@pytest.fixture(scope="session")
def form_decoding_api_server() -> Iterator[RunningEmulator]:
    """An emulator that reads a raw `+` in a number path as a space, as a form-decoding server would."""
    with start_emulator(extra_args=["--form-decoded-numbers", "true"]) as running:
        yield running


@pytest.fixture
def form_decoding_api(form_decoding_api_server: RunningEmulator) -> RunningEmulator:
    """The form-decoding emulator with no configs and an empty request log."""
    form_decoding_api_server.reset()
    form_decoding_api_server.clear_requests()
    return form_decoding_api_server
