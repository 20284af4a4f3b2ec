"""Ownership of the shared lists (issue 15), through the real engine: a config that does not declare
`phone_numbers` / `attached_environments` never writes them, whatever another party put there.

Measured before the fix: a trunk declared without numbers, numbers then added by another party, `refresh` + `up`
sent one PATCH that removed all of them; the same for a Genesys config's attachments. Consecutive steps on one
stack and one emulator.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.emulator.testing import RunningEmulator

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

GENESYS_API_KEY = f"e2e-ownership-api-key-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET = base64.b64encode(f"e2e-ownership-client-secret-{secrets.token_hex(8)}".encode()).decode()
AGENT, ENV = str(uuid.uuid4()), str(uuid.uuid4())
THEIR_NUMBERS = ["+14155550180", "+14155550181"]
# What the program declares; a later step makes the trunk own its numbers.
DECLARED: dict[str, Any] = {"trunk_numbers": None}


def program() -> None:
    trunk = PhoneConfig(
        "trunk",
        name="Ownership trunk",
        description="numbers are someone else's",
        phone_numbers=DECLARED["trunk_numbers"],
    )
    genesys = PhoneConfig(
        "genesys",
        name="Ownership genesys",
        service_provider="genesys_audio_connector",
        security={"api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET},
    )
    pulumi.export("trunk_id", trunk.id)
    pulumi.export("genesys_id", genesys.id)


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return Transcript()


@pytest.fixture(scope="module")
def stack(e2e_dir: Path, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator) -> auto.Stack:
    created = inline_stack(e2e_dir, pulumi_command, "phonecfg-ownership", "ownership", program)
    created.set_all_config(provider_config(emulator))
    return created


def ids(stack: auto.Stack) -> tuple[str, str]:
    outputs = stack.outputs()
    return str(outputs["trunk_id"].value), str(outputs["genesys_id"].value)


def test_up_creates_both_without_writing_a_list(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {"create": 3}
    # One list for the duplicate-name check of the process, then one POST per config and no PATCH of a list.
    writes = [r for r in emulator.api_requests() if r["method"] != "GET"]
    assert [(r["method"], r["path"]) for r in writes] == [("POST", PHONE_PATH)] * 2, summarize(writes)


def test_lists_written_by_another_party_survive_refresh_and_up(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    trunk_id, genesys_id = ids(stack)
    api = emulator.api()
    for number in THEIR_NUMBERS:  # as `orchestrate phone add-number` or a second stack would
        api.post(f"{PHONE_PATH}/{trunk_id}/numbers", json={"phone_number": number}).raise_for_status()
    api.patch(  # as `orchestrate phone attach` would: the whole list
        f"{PHONE_PATH}/{genesys_id}",
        params={"append": "false"},
        json={"attached_environments": [{"agent_id": AGENT, "environment_id": ENV}]},
    ).raise_for_status()

    run_operation(stack, emulator, transcript, "refresh")
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {}
    writes = [r for r in emulator.api_requests() if r["method"] != "GET"]
    assert writes == [], summarize(writes)
    trunk, genesys = get_config(emulator, trunk_id), get_config(emulator, genesys_id)
    assert trunk is not None and genesys is not None
    assert sorted(n["phone_number"] for n in trunk["phone_numbers"]) == THEIR_NUMBERS
    assert [(a["agent_id"], a["environment_id"]) for a in genesys["attached_environments"]] == [(AGENT, ENV)]
    preview = stack.preview(**transcript.kwargs(), expect_no_changes=True)
    assert changes(preview.change_summary) == {}


def test_a_declared_list_owns_every_element(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    trunk_id, _ = ids(stack)
    DECLARED["trunk_numbers"] = [{"phone_number": THEIR_NUMBERS[0]}]
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {"update": 1}
    (patch,) = [r for r in emulator.api_requests() if r["method"] != "GET"]
    assert patch["method"] == "PATCH" and patch["path"] == f"{PHONE_PATH}/{trunk_id}"
    assert patch["body"] == {"phone_numbers": [{"phone_number": THEIR_NUMBERS[0]}]}
    trunk = get_config(emulator, trunk_id)
    assert trunk is not None and [n["phone_number"] for n in trunk["phone_numbers"]] == THEIR_NUMBERS[:1]


def test_destroy(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    trunk_id, genesys_id = ids(stack)
    run_operation(stack, emulator, transcript, "destroy")
    assert get_config(emulator, trunk_id) is None and get_config(emulator, genesys_id) is None
    stack.workspace.remove_stack(stack.name)
