"""Fixtures shared by the contract tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import DynamicProviderServer, dynamic_provider_server, emulator_config


@pytest.fixture
def provider(phone_api: RunningEmulator) -> Iterator[DynamicProviderServer]:
    """A pulumi.dynamic server configured for the session's (wiped) emulator with its static token."""
    with dynamic_provider_server() as server:
        server.configure(emulator_config(phone_api))
        yield server
