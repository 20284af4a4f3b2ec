"""Provider settings through the real `pulumi` command, the YAML language host and the native plugin, against two
real emulator processes (two instances).

Consecutive steps on one stack: an explicit `pulumi:providers:phonecfg` whose `url` is another resource's output
(unknown at the first preview) previews and deploys; then the stack's own `phonecfg:url` and token move to the
second instance: refresh still reads the first, the preview plans every resource of the provider as a
replacement, and up creates them in the second instance and deletes them from the first (with the first
instance's settings, which only the old provider has); `--replace` of a number, which the engine does
create-before-delete whatever the provider asks, keeps the number on its trunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .cli_project import CliProject, provider_settings
from .helpers import get_config, list_configs, summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

NUMBER_TYPE = "phonecfg:index:PhoneNumber"
MOVED_NUMBER = "+14155550177"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown value, as `preview --json` prints it

# Handed from step to step (the module's tests run in order on one stack).
SEEN: dict[str, Any] = {}


def program(first_url: str) -> dict[str, Any]:
    """`anchor` (default provider) in the first instance; `pinned`, through an explicit provider whose url waits
    for the anchor's id (so it is unknown until the anchor exists), also there; `moving` and its number through
    the default provider, which the later steps move."""
    return {
        "name": "phonecfg-provider-move",
        "runtime": "yaml",
        "resources": {
            "anchor": {"type": "phonecfg:index:PhoneConfig", "properties": {"name": "Anchor"}},
            "pinnedProvider": {
                "type": "pulumi:providers:phonecfg",
                "properties": {
                    "url": {"fn::select": [0, [first_url, "${anchor.id}"]]},
                    "token": "${firstToken}",
                },
            },
            "pinned": {
                "type": "phonecfg:index:PhoneConfig",
                "properties": {"name": "Pinned"},
                "options": {"provider": "${pinnedProvider}"},
            },
            "moving": {"type": "phonecfg:index:PhoneConfig", "properties": {"name": "Moving trunk"}},
            "movingLine": {
                "type": NUMBER_TYPE,
                "properties": {"configId": "${moving.id}", "phoneNumber": MOVED_NUMBER},
            },
        },
        "configuration": {"firstToken": {"type": "String", "secret": True}},
    }


@pytest.fixture(scope="module")
def second() -> Iterator[RunningEmulator]:
    with start_emulator(token="e2e-second-instance-token") as running:
        yield running


@pytest.fixture(scope="module")
def project(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    work = e2e_dir / "move"
    work.mkdir()
    (work / "Pulumi.yaml").write_text(yaml.safe_dump(program(emulator.instance_url), sort_keys=False))
    made = CliProject(work, e2e_dir, "e2e")
    plain, secret = provider_settings(emulator)
    made.init(plain, {**secret, "firstToken": emulator.token})
    yield made
    if made.phone_resources() or made.phone_resources(NUMBER_TYPE):
        made.run("destroy", "--yes", "--skip-preview", check=False)


def names(emulator: RunningEmulator) -> dict[str, dict[str, Any]]:
    return {config["name"]: config for config in list_configs(emulator)}


def test_a_provider_url_unknown_at_preview_previews_and_deploys(project: CliProject, emulator: RunningEmulator) -> None:
    plan = project.preview_json()
    created = {name for name, step in project.steps(plan).items() if step["op"] == "create"}
    assert created == {"anchor", "pinned", "moving"}, plan.get("steps")
    (provider,) = project.steps(plan, resource_type="pulumi:providers:phonecfg").values()
    assert provider["newState"]["inputs"]["url"] == UNKNOWN, provider  # the case under test: not known yet
    project.run("up", "--yes", "--skip-preview")
    assert set(names(emulator)) == {"Anchor", "Pinned", "Moving trunk"}
    SEEN["pinned_id"] = project.phone_resources()["pinned"]["id"]
    project.run("preview", "--expect-no-changes")


def test_a_url_change_is_planned_as_a_replacement_of_the_provider_s_resources(
    project: CliProject, emulator: RunningEmulator, second: RunningEmulator
) -> None:
    plain, secret = provider_settings(second)
    for key, value in plain.items():
        project.run("config", "set", key, "--", value)
    for key, value in secret.items():
        project.run("config", "set", "--secret", key, stdin=value)

    emulator.clear_requests()
    project.run("refresh", "--yes")  # reads with the settings the resources were made with: still there
    assert set(names(emulator)) == {"Anchor", "Pinned", "Moving trunk"}
    assert second.api_requests() == [], summarize(second.api_requests())

    plan = project.preview_json()
    ops = {name: step["op"] for name, step in project.steps(plan).items()}
    number_ops = {name: step["op"] for name, step in project.steps(plan, resource_type=NUMBER_TYPE).items()}
    # Everything of the default provider is replaced. The pinned provider's url waits for the anchor's new id:
    # unknown in the preview, so its resource may move too (the plan shows the worst case; up decides).
    assert ops == {"anchor": "replace", "moving": "replace", "pinned": "replace"}, ops
    assert number_ops == {"movingLine": "replace"}, number_ops


def test_up_moves_the_resources_and_deletes_them_with_the_old_settings(
    project: CliProject, emulator: RunningEmulator, second: RunningEmulator
) -> None:
    project.run("up", "--yes", "--skip-preview")

    assert set(names(emulator)) == {"Pinned"}, summarize(emulator.api_requests())  # deleted from the first
    moved = names(second)
    assert set(moved) == {"Anchor", "Moving trunk"}, summarize(second.api_requests())
    trunk = get_config(second, moved["Moving trunk"]["id"])
    assert trunk is not None and [n["phone_number"] for n in trunk["phone_numbers"]] == [MOVED_NUMBER]
    state = project.phone_resources()
    assert state["moving"]["id"] == moved["Moving trunk"]["id"]
    assert state["pinned"]["id"] == names(emulator)["Pinned"]["id"] == SEEN["pinned_id"]  # its url did not change
    project.run("preview", "--expect-no-changes")


def test_a_forced_replacement_of_a_number_keeps_it_on_the_trunk(project: CliProject, second: RunningEmulator) -> None:
    """`--replace` does not ask the provider: create (adopting the same number) before delete (of the same id)."""
    line = project.phone_resources(NUMBER_TYPE)["movingLine"]
    second.clear_requests()
    project.run("up", "--yes", "--skip-preview", "--replace", line["urn"])

    trunk_id = line["id"].split("/", 1)[0]
    assert [r["method"] for r in second.api_requests() if r["method"] == "DELETE"] == []
    trunk = get_config(second, trunk_id)
    assert trunk is not None and [n["phone_number"] for n in trunk["phone_numbers"]] == [MOVED_NUMBER]
    assert project.phone_resources(NUMBER_TYPE)["movingLine"]["id"] == line["id"]
    project.run("preview", "--expect-no-changes")


def test_destroy_removes_what_is_left_in_both_instances(
    project: CliProject, emulator: RunningEmulator, second: RunningEmulator
) -> None:
    project.run("destroy", "--yes", "--skip-preview")
    assert names(emulator) == {} and names(second) == {}
