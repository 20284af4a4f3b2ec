"""Issue 24 through the real `pulumi` command, a YAML program on the native plugin, against a real emulator:
`ignoreChanges` after a console edit and a refresh (no PATCH), a preview that plans a config's outputs (a
resource reading `sipUri` plans nothing), and a create the emulator refuses to finish nor undo, kept by the engine
and finished by the next `up`. Consecutive steps on one stack.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .helpers import summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

TRUNK_NAME = "Protocol trunk"
TWO_HEADERS = [{"name": "X-One"}, {"name": "X-Two"}]


def program(**trunk: Any) -> dict[str, Any]:
    return {
        "name": "native-protocol",
        "runtime": "yaml",
        "resources": {
            "trunk": {
                "type": "phonecfg:index:PhoneConfig",
                "properties": {
                    "name": TRUNK_NAME,
                    "description": "as the program says",
                    "customInviteHeaders": [{"name": "X-One"}],
                    "phoneNumbers": [{"phoneNumber": "+14155550100"}],
                    **trunk,
                },
                "options": {"ignoreChanges": ["description"]},
            },
            # Reads the trunk's output: planned as an update whenever that output is unknown in a preview.
            "reader": {
                "type": "phonecfg:index:PhoneConfig",
                "properties": {"name": "Protocol reader", "description": "${trunk.sipUri}"},
            },
        },
    }


@pytest.fixture(scope="module")
def project(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    work = e2e_dir / "protocol"
    work.mkdir()
    made = CliProject(work, e2e_dir, "e2e")
    made.write_program(program())
    made.init(*provider_settings(emulator))
    yield made
    emulator.clear_faults()
    if made.phone_resources():
        made.run("destroy", "--yes", "--skip-preview", check=False)
    shutil.rmtree(work, ignore_errors=True)


def writes(emulator: RunningEmulator) -> Counter[str]:
    return Counter(r["method"] for r in emulator.api_requests() if r["method"] != "GET")


def test_up_creates_the_trunk_and_its_reader(project: CliProject, emulator: RunningEmulator) -> None:
    project.run("up", "--yes", "--skip-preview")
    assert set(project.phone_resources()) == {"trunk", "reader"}


def test_an_ignored_description_edited_in_the_console_survives_refresh_and_up(
    project: CliProject, emulator: RunningEmulator
) -> None:
    trunk_id = project.phone_resources()["trunk"]["id"]
    emulator.api().patch(f"/v1/channels/phone/{trunk_id}", json={"description": "edited in the console"})
    project.run("refresh", "--yes")
    emulator.clear_requests()
    project.run("up", "--yes")
    assert writes(emulator) == Counter(), summarize(emulator.api_requests())
    assert emulator.api().get(f"/v1/channels/phone/{trunk_id}").json()["description"] == "edited in the console"


def test_a_preview_of_a_trunk_change_plans_no_update_of_its_reader(
    project: CliProject, emulator: RunningEmulator
) -> None:
    project.write_program(program(customInviteHeaders=TWO_HEADERS))
    emulator.clear_requests()
    plan = project.preview_json()
    assert emulator.api_requests() == []
    ops = {name: step["op"] for name, step in project.steps(plan).items()}
    assert ops["trunk"] == "update" and ops.get("reader", "same") == "same", ops  # `--json` may leave out sames
    project.run("up", "--yes")
    assert writes(emulator) == Counter({"PATCH": 1}), summarize(emulator.api_requests())


def test_a_create_neither_finished_nor_undone_is_finished_by_the_next_up(
    project: CliProject, emulator: RunningEmulator
) -> None:
    changed = program(customInviteHeaders=TWO_HEADERS)  # the trunk as the last step left it: no PATCH of its own
    changed["resources"]["late"] = {
        "type": "phonecfg:index:PhoneConfig",
        "properties": {"name": "Protocol late", "phoneNumbers": [{"phoneNumber": "+14155550177"}]},
    }
    project.write_program(changed)
    emulator.set_faults(
        [
            {"method": "PATCH", "kind": "status", "status": 422, "times": 1},
            {"method": "DELETE", "kind": "status", "status": 403, "times": 1},
        ]
    )
    failed = project.run("up", "--yes", "--skip-preview", check=False)
    assert failed.returncode != 0
    late = project.phone_resources()["late"]
    assert late["outputs"]["phoneNumbers"] == [], late  # kept as created, with the reason
    assert "created but not completed" in " ".join(late.get("initErrors", [])), late

    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == Counter({"PATCH": 1}), summarize(emulator.api_requests())
    numbers = emulator.api().get(f"/v1/channels/phone/{late['id']}").json()["phone_numbers"]
    assert [n["phone_number"] for n in numbers] == ["+14155550177"]
    assert "initErrors" not in project.phone_resources()["late"]
    names = [c["name"] for c in emulator.api().get("/v1/channels/phone").json()["phones"]]
    assert names.count("Protocol late") == 1
    project.run("preview", "--expect-no-changes")
