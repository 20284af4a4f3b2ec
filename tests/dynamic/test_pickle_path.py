"""The permanent paths: providers pickled as `pulumi_phonecfg.provider.*`, errors named `pulumi_phonecfg.errors.*`.

Fast checks of what tests/e2e/test_pre_move_state.py proves through the engine with a state written before the
package had folders.
"""

from __future__ import annotations

import base64
import importlib

import pytest
from pulumi.dynamic.dynamic import serialize_provider

import pulumi_phonecfg
from pulumi_phonecfg.dynamic import providers
from pulumi_phonecfg.dynamic.pickler_guard import isolated_pickler


@pytest.mark.parametrize("name", ["PhoneConfigProvider", "PhoneNumberProvider", "AgentAttachmentProvider"])
def test_providers_are_pickled_under_the_permanent_path(name: str) -> None:
    cls = getattr(providers, name)
    with isolated_pickler():
        pickled = base64.b64decode(serialize_provider(cls()))
    assert b"pulumi_phonecfg.provider\x94" in pickled and name.encode() in pickled, pickled
    assert b"dynamic" not in pickled
    assert getattr(importlib.import_module("pulumi_phonecfg.provider"), name) is cls
    assert getattr(pulumi_phonecfg, name) is cls


@pytest.mark.parametrize(
    "name",
    [
        "PhoneConfigError",
        "AuthenticationError",
        "ConfigurationError",
        "PhoneApiError",
        "ConfigConflictError",
        "InvalidIdError",
        "PartialCreateError",
    ],
)
def test_errors_are_named_by_their_public_module(name: str) -> None:
    errors = importlib.import_module("pulumi_phonecfg.errors")
    cls = getattr(errors, name)
    assert f"{cls.__module__}.{cls.__qualname__}" == f"pulumi_phonecfg.errors.{name}"
