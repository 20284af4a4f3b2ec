"""The native `phonecfg:index:PhoneNumber` in a Pulumi YAML program, through the real `pulumi` command and the
plugin on PATH, against a real emulator process.

Consecutive steps on one stack: a trunk declared without numbers and one `PhoneNumber` on it (routed to an agent
by name), a first preview (the trunk's id unknown) and up; a clean preview; a rename (one `detailedDiff` entry,
`phoneNumber`, and one PATCH, never a DELETE and a POST); `pulumi import` of a number added to the trunk out of
band, the generated declaration pasted into the program and a clean preview, then the number removed again (one
DELETE, the other number untouched); destroy; a scan of everything written and printed for the API token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .helpers import PHONE_PATH, get_config, read_tree, scan_for_secrets, summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

NUMBER_TYPE = "phonecfg:index:PhoneNumber"
SALES, RENAMED, CONSOLE = "+14155550190", "+14155550191", "+14155550192"
PROGRAM = f"""\
name: phonecfg-yaml-number
runtime: yaml
variables:
  customerCare:
    fn::invoke:
      function: phonecfg:index:getAgent
      arguments: {{name: customer-care}}
resources:
  sharedTrunk:
    type: phonecfg:index:PhoneConfig
    properties:
      name: Shared trunk (YAML)
  salesLine:
    type: phonecfg:index:PhoneNumber
    properties:
      configId: ${{sharedTrunk.id}}
      phoneNumber: "{SALES}"
      description: Sales
      agentId: ${{customerCare.agentId}}
      environmentId: ${{customerCare.environmentId}}
outputs:
  salesNumber: ${{salesLine.phoneNumber}}
"""

# Handed from step to step (the module's tests run in order on one stack).
SEEN: dict[str, Any] = {}


@pytest.fixture(scope="module")
def project(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    work = e2e_dir / "number"
    work.mkdir()
    (work / "Pulumi.yaml").write_text(PROGRAM)
    made = CliProject(work, e2e_dir, "e2e")
    made.init(*provider_settings(emulator))
    yield made
    if made.phone_resources() or made.phone_resources(NUMBER_TYPE):  # a failed step left resources behind
        made.run("state", "unprotect", "--all", "--yes", check=False)
        made.run("destroy", "--yes", "--skip-preview", check=False)


def writes(emulator: RunningEmulator) -> Counter[str]:
    """Phone-config requests other than reads, by method."""
    return Counter(r["method"] for r in emulator.api_requests() if r["method"] != "GET")


def numbers_on(emulator: RunningEmulator, config_id: str) -> dict[str, dict[str, Any]]:
    config = get_config(emulator, config_id)
    assert config is not None
    return {n["phone_number"]: n for n in config.get("phone_numbers") or []}


def customer_care(emulator: RunningEmulator) -> tuple[str, str]:
    agent = next(a for a in emulator.api().get("/v1/orchestrate/agents").json() if a["name"] == "customer-care")
    return agent["id"], next(e["id"] for e in agent["environments"] if e["name"] == "live")


def test_up_adds_the_number_to_the_trunk(project: CliProject, emulator: RunningEmulator) -> None:
    # The first preview: the trunk's id is unknown until it exists, the number's check lets it through.
    emulator.clear_requests()
    plan = project.preview_json()
    assert {name: step["op"] for name, step in project.steps(plan, resource_type=NUMBER_TYPE).items()} == {
        "salesLine": "create"
    }
    assert emulator.api_requests() == [], "a preview sends nothing"

    project.run("up", "--yes", "--skip-preview")
    # The trunk: its POST (no lists declared, so no PATCH); the number: its one POST to the numbers endpoint.
    assert writes(emulator) == {"POST": 2}, summarize(emulator.api_requests())
    trunk_id = project.phone_resources()["sharedTrunk"]["id"]
    (number_post,) = [r for r in emulator.api_requests("POST") if r["path"].endswith("/numbers")]
    assert number_post["path"] == f"{PHONE_PATH}/{trunk_id}/numbers"

    line = project.phone_resources(NUMBER_TYPE)["salesLine"]
    assert line["id"] == f"{trunk_id}/{SALES}"
    agent, environment = customer_care(emulator)
    assert line["outputs"] == {
        "configId": trunk_id,
        "phoneNumber": SALES,
        "description": "Sales",
        "agentId": agent,
        "environmentId": environment,
    }
    stored = numbers_on(emulator, trunk_id)[SALES]
    assert (stored["agent_id"], stored["environment_id"], stored["description"]) == (agent, environment, "Sales")
    SEEN["trunk_id"], SEEN["line_id"] = trunk_id, line["id"]


def test_preview_after_up_is_clean(project: CliProject, emulator: RunningEmulator) -> None:
    emulator.clear_requests()
    project.run("preview", "--expect-no-changes")
    assert emulator.api_requests() == [], summarize(emulator.api_requests())


def test_a_rename_is_one_detailed_entry_and_one_patch(project: CliProject, emulator: RunningEmulator) -> None:
    program = project.program()
    program["resources"]["salesLine"]["properties"]["phoneNumber"] = "+1 415 555 0191"  # normalised by check
    project.write_program(program)

    emulator.clear_requests()
    plan = project.preview_json()
    changed = {
        name: step["op"]
        for kind in ("phonecfg:index:PhoneConfig", NUMBER_TYPE)
        for name, step in project.steps(plan, resource_type=kind).items()
        if step["op"] != "same"
    }
    assert changed == {"salesLine": "update"}, changed  # an update in place, not a replacement
    step = project.steps(plan, resource_type=NUMBER_TYPE)["salesLine"]
    assert list(step.get("detailedDiff") or {}) == ["phoneNumber"], step
    assert emulator.api_requests() == [], "a preview writes nothing"

    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    (patch,) = emulator.api_requests("PATCH")
    assert patch["path"] == f"{PHONE_PATH}/{SEEN['trunk_id']}/numbers/{SALES.replace('+', '%2B')}"
    assert patch["body"] == {"phone_number": RENAMED}
    on_trunk = numbers_on(emulator, SEEN["trunk_id"])
    assert set(on_trunk) == {RENAMED} and on_trunk[RENAMED]["description"] == "Sales"
    line = project.phone_resources(NUMBER_TYPE)["salesLine"]
    assert line["id"] == SEEN["line_id"] and line["outputs"]["phoneNumber"] == RENAMED  # the id names it as created
    project.run("preview", "--expect-no-changes")


def test_import_of_a_number_added_out_of_band_then_a_clean_preview(
    project: CliProject, emulator: RunningEmulator
) -> None:
    trunk_id = SEEN["trunk_id"]
    emulator.api().post(
        f"{PHONE_PATH}/{trunk_id}/numbers", json={"phone_number": CONSOLE, "description": "added in the console"}
    ).raise_for_status()

    emulator.clear_requests()
    generated = project.directory / "imported.yaml"
    import_id = f"{trunk_id}/{CONSOLE}"
    project.run("import", NUMBER_TYPE, "consoleLine", import_id, "--yes", "--out", str(generated))
    # Only reads of that trunk: one for the preview `pulumi import` runs first, one for the import itself.
    read = [(r["method"], r["path"]) for r in emulator.api_requests()]
    assert read == [("GET", f"{PHONE_PATH}/{trunk_id}")] * 2, summarize(emulator.api_requests())
    imported = project.phone_resources(NUMBER_TYPE)["consoleLine"]
    assert imported["id"] == import_id
    expected = {"configId": trunk_id, "phoneNumber": CONSOLE, "description": "added in the console"}
    assert imported["inputs"] == expected and imported["outputs"] == expected

    resource = yaml.safe_load(generated.read_text())["resources"]["consoleLine"]
    assert resource["type"] in ("phonecfg:PhoneNumber", NUMBER_TYPE)  # YAML may drop `index`
    assert resource["properties"] == expected
    assert resource.get("options", {}).get("protect") is True
    program = project.program()
    program["resources"]["consoleLine"] = resource
    project.write_program(program)
    emulator.clear_requests()
    project.run("preview", "--expect-no-changes")
    assert emulator.api_requests() == [], summarize(emulator.api_requests())

    # Cleaned up again: unprotected, dropped from the program; the up deletes exactly that number.
    project.run("state", "unprotect", imported["urn"], "--yes")
    del program["resources"]["consoleLine"]
    project.write_program(program)
    (project.directory / "imported.yaml").unlink()
    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == {"DELETE": 1}, summarize(emulator.api_requests())
    (delete,) = emulator.api_requests("DELETE")
    assert delete["path"] == f"{PHONE_PATH}/{trunk_id}/numbers/{CONSOLE.replace('+', '%2B')}"
    assert set(numbers_on(emulator, trunk_id)) == {RENAMED}
    project.run("preview", "--expect-no-changes")


def test_destroy_deletes_the_number_then_the_trunk(project: CliProject, emulator: RunningEmulator) -> None:
    emulator.clear_requests()
    project.run("destroy", "--yes", "--skip-preview")
    deletes = [r["path"] for r in emulator.api_requests("DELETE")]
    trunk_id = SEEN["trunk_id"]
    assert deletes == [f"{PHONE_PATH}/{trunk_id}/numbers/{RENAMED.replace('+', '%2B')}", f"{PHONE_PATH}/{trunk_id}"], (
        deletes
    )
    assert writes(emulator) == {"DELETE": 2}, summarize(emulator.api_requests())
    assert get_config(emulator, trunk_id) is None
    assert project.phone_resources() == {} and project.phone_resources(NUMBER_TYPE) == {}


def test_the_token_is_in_no_state_file_or_output(project: CliProject, emulator: RunningEmulator, e2e_dir: Path) -> None:
    found = scan_for_secrets(
        {"token": emulator.token},
        {
            "CLI output": project.text(),
            "backend (checkpoints, backups, history)": read_tree(e2e_dir / "state"),
            "project (program, stack config)": read_tree(project.directory),
        },
    )
    assert not found, found
