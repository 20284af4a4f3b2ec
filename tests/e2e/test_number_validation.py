"""Numbers the carrier owns, valid or not (issue 15), through the real engine.

`+447700900123` is in a reserved UK range: E.164, a possible length, but invalid in the `phonenumbers` metadata.
The API takes it, so by default it deploys; `phonecfg:strictPhoneNumbers=true` refuses it in `check`, with one
line naming the field and the setting, before any request.
"""

from __future__ import annotations

from pathlib import Path

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
    list_configs,
    provider_config,
    run_operation,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

RESERVED_UK = "+447700900123"


def program() -> None:
    trunk = PhoneConfig(
        "trunk",
        name="Carrier numbers",
        phone_numbers=[{"phone_number": "+44 7700 900123", "description": "reserved range, real on this trunk"}],
    )
    pulumi.export("trunk_id", trunk.id)


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return Transcript()


@pytest.fixture(scope="module")
def stack(e2e_dir: Path, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator) -> auto.Stack:
    created = inline_stack(e2e_dir, pulumi_command, "phonecfg-numbers", "numbers", program)
    created.set_all_config(provider_config(emulator))
    return created


def test_a_number_the_metadata_calls_invalid_deploys_by_default(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {"create": 2}
    config = get_config(emulator, str(stack.outputs()["trunk_id"].value))
    assert config is not None and [n["phone_number"] for n in config["phone_numbers"]] == [RESERVED_UK]


def test_strict_numbers_refuse_it_naming_the_field_and_the_setting(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    stack.set_config("phonecfg:strictPhoneNumbers", auto.ConfigValue("true"))
    with pytest.raises(auto.errors.CommandError) as raised:
        run_operation(stack, emulator, transcript, "preview")
    message = str(raised.value)
    assert "phone_numbers[0].phone_number" in message
    assert "phonecfg:strictPhoneNumbers is true" in message
    assert emulator.api_requests() == [], summarize(emulator.api_requests())
    stack.remove_config("phonecfg:strictPhoneNumbers")
    preview = stack.preview(**transcript.kwargs(), expect_no_changes=True)
    assert changes(preview.change_summary) == {}


def test_destroy(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    trunk_id = str(stack.outputs()["trunk_id"].value)
    destroy = run_operation(stack, emulator, transcript, "destroy")
    assert changes(destroy.summary.resource_changes) == {"delete": 2}  # the trunk + the stack
    sent = emulator.api_requests()
    assert [(r["method"], r["path"]) for r in sent] == [("DELETE", f"{PHONE_PATH}/{trunk_id}")], summarize(sent)
    assert list_configs(emulator) == []
    stack.workspace.remove_stack(stack.name)
