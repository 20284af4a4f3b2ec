"""A `PhoneNumber` whose description and routing are removed, against an emulator that ignores `null` (issue 24).

The provider clears a number's description or routing by sending JSON `null` in E8 (`PATCH .../numbers/{n}`); the
only evidence on the real API (IBM's ADK) clears a description with `""` and never un-routes. With the emulator's
strict reading (`--null-clears false`: `null` ignored), the clearing `up` leaves both set on the server, and the
engine must see it: `pulumi refresh` reports the drift instead of the provider believing its own write.

Steps on one stack and one emulator (module scope); a failed step fails the later ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig, PhoneNumber, get_agent
from pulumi_phonecfg.dynamic.resources import NUMBER_TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .helpers import (
    PHONE_PATH,
    Transcript,
    changes,
    get_config,
    inline_stack,
    provider_config,
    run_operation,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

NUMBER = "+14155550170"
# What the program declares; steps change it between operations.
ROUTED: dict[str, bool] = {"routed": True}


def program() -> None:
    trunk = PhoneConfig("trunk", name="Strict clear trunk")
    described: dict[str, Any] = {}
    if ROUTED["routed"]:
        care = get_agent("customer-care")
        described = {"description": "hotline", "agent_id": care.agent_id, "environment_id": care.environment_id}
    PhoneNumber("hotline", config_id=trunk.id, phone_number=NUMBER, **described)
    pulumi.export("trunk_id", trunk.id)


@pytest.fixture(scope="module")
def emulator(pulumi_command: auto.PulumiCommand) -> Iterator[RunningEmulator]:
    """This module's emulator takes the strict reading: `null` in a number PATCH changes nothing."""
    token = f"e2e-emulator-token-{secrets.token_hex(12)}"
    with start_emulator(token=token, extra_args=["--null-clears", "false"]) as running:
        yield running


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return Transcript()


@pytest.fixture(scope="module")
def stack(e2e_dir: Path, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator) -> auto.Stack:
    created = inline_stack(e2e_dir, pulumi_command, "phonecfg-strict-clear", "strict", program)
    created.set_all_config(provider_config(emulator))
    return created


def number_outputs(stack: auto.Stack) -> dict[str, Any]:
    """The number's outputs in the engine's state: what the provider reported, not what the program declared."""
    resources = stack.export_stack().deployment["resources"]
    found = [r for r in resources if r["type"] == NUMBER_TYPE_TOKEN]
    assert len(found) == 1, found
    outputs: dict[str, Any] = found[0]["outputs"]
    return outputs


def stored_number(emulator: RunningEmulator, stack: auto.Stack) -> dict[str, Any]:
    trunk = get_config(emulator, str(stack.outputs()["trunk_id"].value))
    assert trunk is not None
    found = [n for n in trunk["phone_numbers"] if n["phone_number"] == NUMBER]
    assert len(found) == 1, trunk["phone_numbers"]
    return found[0]


def test_up_routes_the_number(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    up = run_operation(stack, emulator, transcript, "up")
    assert changes(up.summary.resource_changes) == {"create": 3}  # trunk, number, stack
    stored = stored_number(emulator, stack)
    assert stored["description"] == "hotline" and stored["agent_id"] is not None


def test_clearing_up_sends_nulls_the_strict_server_ignores(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    routed = stored_number(emulator, stack)
    ROUTED["routed"] = False
    up = run_operation(stack, emulator, transcript, "up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    patches = emulator.api_requests("PATCH")
    assert [(r["path"], r["body"]) for r in patches] == [
        (
            f"{PHONE_PATH}/{stack.outputs()['trunk_id'].value}/numbers/{NUMBER.replace('+', '%2B')}",
            {"phone_number": NUMBER, "description": None, "agent_id": None, "environment_id": None},
        )
    ], summarize(patches)
    assert stored_number(emulator, stack) == routed  # the strict reading: nothing cleared
    # The state holds the server's answer, not the write the provider hoped for.
    outputs = number_outputs(stack)
    assert (outputs.get("description"), outputs.get("agent_id")) == ("hotline", routed["agent_id"])


def test_refresh_reports_the_drift(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    refresh = run_operation(stack, emulator, transcript, "refresh")
    assert changes(refresh.summary.resource_changes) == {"update": 1}
    assert "PhoneNumber hotline updated" in refresh.stdout, refresh.stdout
    assert number_outputs(stack)["description"] == "hotline"
    # What the engine now holds is what the server has: the next `up` sends the clearing PATCH again.
    preview = run_operation(stack, emulator, transcript, "preview")
    assert changes(preview.change_summary) == {"update": 1}


def test_destroy(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    destroy = run_operation(stack, emulator, transcript, "destroy")
    assert changes(destroy.summary.resource_changes) == {"delete": 3}
    assert emulator.api().get(PHONE_PATH).json() == {"phones": []}
    stack.workspace.remove_stack(stack.name)
