"""The native plugin through the real engine: a program declaring `phonecfg:index:PhoneConfig`, and `pulumi import`.

The program is a Python Automation API program registering the resource by its type token (no generated SDK is
needed for that, and the YAML language host is another suite's); the engine finds `pulumi-resource-phonecfg` on
PATH (the venv's console script). Steps run in order and share the stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PULUMI_ROOT,
    Transcript,
    changes,
    cli_env,
    exported_state,
    get_config,
    inline_stack,
    provider_config,
    run_operation,
    scan_for_secrets,
    summarize,
)

pytestmark = [pytest.mark.e2e]

TOKEN = "phonecfg:index:PhoneConfig"
FAKE_PASSWORD = "fake-sip-password-native-e2e"
FAKE_IMPORTED_PASSWORD = "fake-sip-password-imported-e2e"
SECRETS = {"trunk password": FAKE_PASSWORD, "imported password": FAKE_IMPORTED_PASSWORD}
DESIRED: dict[str, Any] = {"moved": "line 417", "bad_agent": False, "imported": None, "delete_before_replace": None}


def numbers() -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = [
        {"phoneNumber": f"+1415555{index:04d}", "description": f"line {index}"} for index in range(1000)
    ]
    listed[417]["description"] = DESIRED["moved"]
    if DESIRED["bad_agent"]:
        listed[1]["agentId"] = "not-a-uuid"
    return listed


def program() -> None:
    security = {"authentication": True, "username": "trunk", "password": FAKE_PASSWORD}
    trunk = pulumi.CustomResource(
        TOKEN,
        "trunk",
        {
            "name": "Native e2e trunk",
            "security": pulumi.Output.secret(security),
            "phoneNumbers": numbers(),
            "sipUri": None,
        },
        opts=pulumi.ResourceOptions(delete_before_replace=DESIRED["delete_before_replace"]),
    )
    pulumi.export("sip_uri", trunk.sipUri)  # type: ignore[attr-defined]  # declared above as an output
    imported = DESIRED["imported"]
    if imported is not None:
        pulumi.CustomResource(TOKEN, "imported", {**imported, "security": pulumi.Output.secret(imported["security"])})


@pytest.fixture(scope="module")
def stack(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[auto.Stack]:
    created = inline_stack(e2e_dir, pulumi_command, "phonecfg-native", "native", program)
    created.set_all_config(provider_config(emulator))
    yield created
    DESIRED.update(bad_agent=False)
    created.destroy()


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return Transcript()


def state_id(stack: auto.Stack, name: str) -> str:
    return str(next(r["id"] for r in stack.export_stack().deployment["resources"] if r["urn"].endswith(f"::{name}")))


def plugin_on_path(env: dict[str, str]) -> dict[str, str]:
    """The venv running these tests first on PATH: its `pulumi-resource-phonecfg` is the plugin under test."""
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}


def detailed_diffs(transcript: Transcript) -> dict[str, dict[str, Any]]:
    """Detailed diffs of the PhoneConfig steps of the last operation, by resource name."""
    found = {}
    for event in transcript.events[transcript._mark :]:
        pre = event.resource_pre_event
        if pre is not None and pre.metadata.type == TOKEN and pre.metadata.op != auto.OpType.SAME:
            name = pre.metadata.urn.rsplit("::", 1)[-1]
            found[name] = {path: diff.diff_kind.value for path, diff in (pre.metadata.detailed_diff or {}).items()}
    return found


def test_up_creates_with_the_dynamic_provider_s_requests(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {"create": 2}  # the stack and the trunk
    assert [r["method"] for r in emulator.api_requests()] == ["GET", "POST", "PATCH"], summarize(
        emulator.api_requests()
    )
    assert result.outputs["sip_uri"].value.startswith("sips:")


def test_an_unchanged_preview_is_clean_and_silent(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    result = run_operation(stack, emulator, transcript, "preview")
    assert changes(result.change_summary) == {}
    assert emulator.api_requests() == []


def test_one_number_changed_on_1000_is_one_detailed_diff_entry_and_one_patch(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    DESIRED.update(moved="line 417, moved")
    preview = run_operation(stack, emulator, transcript, "preview", diff=True)
    assert detailed_diffs(transcript) == {"trunk": {"phoneNumbers[417].description": "update"}}
    diff_lines = [line for line in preview.stdout.splitlines() if line.strip().startswith(("~", "+", "-"))]
    assert len(diff_lines) <= 6, preview.stdout  # the resource, the list, the element, the field
    up = run_operation(stack, emulator, transcript, "up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    (patch,) = emulator.api_requests()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {"phone_numbers"}


def test_refresh_reads_an_out_of_band_edit_and_the_next_preview_shows_it(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    trunk_id = state_id(stack, "trunk")
    emulator.api().patch(f"/v1/channels/phone/{trunk_id}", json={"description": "edited in the console"})
    refreshed = run_operation(stack, emulator, transcript, "refresh")
    assert changes(refreshed.summary.resource_changes) == {"update": 1}
    assert [r["method"] for r in emulator.api_requests()] == ["GET"]
    run_operation(stack, emulator, transcript, "preview")
    assert detailed_diffs(transcript) == {"trunk": {"description": "delete"}}  # the program declares none
    up = run_operation(stack, emulator, transcript, "up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    (patch,) = emulator.api_requests()
    assert patch["body"] == {"description": None}


def test_a_targeted_replacement_is_refused_safely_unless_delete_before_replace_is_set(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    """`pulumi up --replace` skips the provider's Diff, so its deleteBeforeReplace does not apply: the engine
    creates first, which the duplicate-name check refuses (nothing written). The resource option fixes it."""
    urn = next(r["urn"] for r in stack.export_stack().deployment["resources"] if r["urn"].endswith("::trunk"))
    old_id = state_id(stack, "trunk")
    with pytest.raises(auto.CommandError) as refused:
        run_operation(stack, emulator, transcript, "up", replace=[urn])
    assert "already exists" in str(refused.value)
    assert "set adoptExisting: true on the PhoneConfig" in str(refused.value)  # the program's spelling
    assert "POST" not in [r["method"] for r in emulator.api_requests()]
    DESIRED.update(delete_before_replace=True)
    replaced = run_operation(stack, emulator, transcript, "up", replace=[urn])
    assert changes(replaced.summary.resource_changes) == {"replace": 1}
    assert [r["method"] for r in emulator.api_requests()] == ["DELETE", "GET", "POST", "PATCH"], summarize(
        emulator.api_requests()
    )
    assert get_config(emulator, old_id) is None and state_id(stack, "trunk") != old_id


def test_bad_input_names_the_field_in_camel_case_before_any_request(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript
) -> None:
    DESIRED.update(bad_agent=True)
    with pytest.raises(auto.CommandError) as failed:
        run_operation(stack, emulator, transcript, "preview")
    DESIRED.update(bad_agent=False)
    assert "phoneNumbers[1].agentId" in str(failed.value)
    assert emulator.api_requests() == []


def test_import_then_declare_the_credential_then_clean(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript, e2e_dir: Path
) -> None:
    made = (
        emulator.api()
        .post(
            "/v1/channels/phone",
            json={
                "name": "Made by hand",
                "service_provider": "sip_trunk",
                "description": "out of band",
                "security": {"authentication": True, "username": "hand", "password": FAKE_IMPORTED_PASSWORD},
                "custom_invite_headers": [{"name": "X-Hand"}],
            },
        )
        .json()
    )
    emulator.clear_requests()
    imported = subprocess.run(
        [
            *(str(PULUMI_ROOT / "bin" / "pulumi"), "import", TOKEN, "imported", made["id"], "--stack", "native"),
            *("--yes", "--generate-code=false", "--protect=false", "--non-interactive"),
        ],
        cwd=e2e_dir / "work",
        env=plugin_on_path(cli_env(e2e_dir)),
        capture_output=True,
        text=True,
        check=False,
    )
    output = imported.stdout + imported.stderr
    transcript.lines.append(output)
    assert imported.returncode == 0, output
    # One GET for the import's preview, one for the import itself.
    assert [r["method"] for r in emulator.api_requests()] == ["GET", "GET"], summarize(emulator.api_requests())
    assert "security.password" in output  # the one input an import cannot read, named

    state = {r["urn"].rsplit("::", 1)[-1]: r for r in stack.export_stack().deployment["resources"]}
    inputs = state["imported"]["inputs"]
    assert inputs["name"] == "Made by hand" and inputs["customInviteHeaders"] == [{"name": "X-Hand"}]

    # The program declares it, with the credential from a secret: one PATCH of `security`, then clean.
    declared = {k: v for k, v in inputs.items() if k != "security"}
    declared["security"] = {
        "authentication": True,
        "username": "hand",
        "password": FAKE_IMPORTED_PASSWORD,
        "secureTrunking": False,
    }
    DESIRED.update(imported=declared)
    up = run_operation(stack, emulator, transcript, "up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    assert detailed_diffs(transcript) == {"imported": {"security.password": "add"}}
    (patch,) = emulator.api_requests()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {"security"}
    again = run_operation(stack, emulator, transcript, "preview")
    assert changes(again.change_summary) == {} and emulator.api_requests() == []
    assert (get_config(emulator, made["id"]) or {}).get("security", {}).get("password_is_set") is True


def test_no_secret_in_state_or_output(stack: auto.Stack, transcript: Transcript) -> None:
    state = exported_state(stack)
    assert json.loads(state)["resources"]
    assert scan_for_secrets(SECRETS, {"state": state, "output": transcript.text()}) == []


def test_destroy_deletes_both(stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript) -> None:
    result = run_operation(stack, emulator, transcript, "destroy")
    assert changes(result.summary.resource_changes) == {"delete": 3}
    assert sorted(r["method"] for r in emulator.api_requests()) == ["DELETE", "DELETE"]
