"""examples/yaml through the real `pulumi` command and the native plugin, against a real emulator process.

The example is copied and run as a user runs it: `pulumi-resource-phonecfg` found on PATH (the package's
virtualenv), the YAML language host from `make cli`, provider settings and credentials as stack config. The
tests are consecutive steps on one stack: up, a clean preview, a one-number change (one `detailedDiff` entry,
one PATCH), drift made in the console and seen by refresh, `pulumi import` of a config made in the console
followed by a clean up, destroy, and finally a scan of every state file and everything printed for every secret.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .helpers import PHONE_PATH, REPO, get_config, read_tree, scan_for_secrets, summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

SIP_PASSWORD = f"fake-yaml-sip-password-{secrets.token_hex(6)}"
GENESYS_API_KEY = f"fake-yaml-api-key-{secrets.token_hex(6)}"
GENESYS_CLIENT_SECRET_RAW = f"fake-yaml-client-secret-{secrets.token_hex(6)}"
GENESYS_CLIENT_SECRET = base64.b64encode(GENESYS_CLIENT_SECRET_RAW.encode()).decode()
CONSOLE_PASSWORD = f"fake-yaml-console-password-{secrets.token_hex(6)}"
SUPPORT, BILLING, CONSOLE_NUMBER = "+14155550100", "+14155550101", "+14155550188"

# Handed from step to step (the module's tests run in order on one stack).
SEEN: dict[str, Any] = {}


@pytest.fixture(scope="module")
def project(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    work = e2e_dir / "yaml"
    shutil.copytree(REPO / "examples" / "yaml", work)
    made = CliProject(work, e2e_dir, "e2e")
    plain, secret = provider_settings(emulator)
    made.init(
        plain,
        {**secret, "sipPassword": SIP_PASSWORD, "genesysApiKey": GENESYS_API_KEY,
         "genesysClientSecret": GENESYS_CLIENT_SECRET},
    )  # fmt: skip
    yield made
    if made.phone_resources():  # a failed step left configs behind
        made.run("state", "unprotect", "--all", "--yes", check=False)
        made.run("destroy", "--yes", "--skip-preview", check=False)


def agent_ids(emulator: RunningEmulator, name: str, environment: str = "live") -> tuple[str, str]:
    agent = next(a for a in emulator.api().get("/v1/orchestrate/agents").json() if a["name"] == name)
    return agent["id"], next(e["id"] for e in agent["environments"] if e["name"] == environment)


def writes(emulator: RunningEmulator) -> Counter[str]:
    """Phone-config requests other than reads, by method."""
    return Counter(r["method"] for r in emulator.api_requests() if r["method"] != "GET")


def test_up_deploys_the_yaml_program(project: CliProject, emulator: RunningEmulator) -> None:
    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")

    resources = project.phone_resources()
    assert set(resources) == {"supportTrunk", "genesysAudioConnector"}, list(resources)
    SEEN["trunk_id"] = resources["supportTrunk"]["id"]
    SEEN["genesys_id"] = resources["genesysAudioConnector"]["id"]
    # Created, each list in one PATCH after its POST; nothing deleted.
    assert writes(emulator) == {"POST": 2, "PATCH": 2}, summarize(emulator.api_requests())

    trunk = get_config(emulator, SEEN["trunk_id"])
    assert trunk is not None and trunk["name"] == "Support SIP trunk"
    routed = {n["phone_number"]: (n["agent_id"], n["environment_id"]) for n in trunk["phone_numbers"]}
    assert routed == {SUPPORT: agent_ids(emulator, "customer-care"), BILLING: agent_ids(emulator, "billing")}
    assert trunk["error_handling"]["transfer_failure"]["reply_message"].startswith("Sorry, nobody")
    genesys = get_config(emulator, SEEN["genesys_id"])
    assert genesys is not None and genesys["service_provider"] == "genesys_audio_connector"
    attached = {(a["agent_id"], a["environment_id"]) for a in genesys["attached_environments"]}
    assert attached == {agent_ids(emulator, "customer-care"), agent_ids(emulator, "billing")}

    outputs = json.loads(project.run("stack", "output", "--json", "--stack", project.stack).stdout)
    assert outputs["supportTrunkId"] == SEEN["trunk_id"]
    assert outputs["sipUri"].startswith("sips:") and trunk["tenant_id"] in outputs["sipUri"]
    assert {c["agentId"] for c in outputs["connectors"]} == {agent for agent, _ in attached}


def test_preview_after_up_is_clean(project: CliProject, emulator: RunningEmulator) -> None:
    emulator.clear_requests()
    project.run("preview", "--expect-no-changes")
    assert emulator.api_requests() == [], summarize(emulator.api_requests())  # only agents are read


def test_one_number_change_is_one_detailed_diff_entry_and_one_patch(
    project: CliProject, emulator: RunningEmulator
) -> None:
    program = project.program()
    (billing,) = [n for n in program["resources"]["supportTrunk"]["properties"]["phoneNumbers"] if "billing" in str(n)]
    billing["description"] = "Billing questions, weekdays"
    project.write_program(program)

    emulator.clear_requests()
    plan = project.preview_json()
    changed = {name: step["op"] for name, step in project.steps(plan).items() if step["op"] != "same"}
    assert changed == {"supportTrunk": "update"}, changed
    detailed = project.steps(plan)["supportTrunk"].get("detailedDiff") or {}
    assert len(detailed) == 1, detailed
    (path,) = detailed
    assert path.startswith("phoneNumbers"), detailed
    assert emulator.api_requests() == [], "a preview writes nothing"

    # What a reviewer reads: the changed number only, not the whole resource.
    shown = project.run("preview", "--diff").stdout
    SEEN["diff_lines"] = len(shown.splitlines())
    assert "weekdays" in shown and SUPPORT not in shown, shown

    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    patches = emulator.api_requests("PATCH")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    assert SEEN["trunk_id"] in patches[0]["path"]
    trunk = get_config(emulator, SEEN["trunk_id"])
    assert trunk is not None
    descriptions = {n["phone_number"]: n.get("description") for n in trunk["phone_numbers"]}
    assert descriptions == {SUPPORT: "Support hotline", BILLING: "Billing questions, weekdays"}
    project.run("preview", "--expect-no-changes")


def test_refresh_sees_a_console_edit_and_up_reverts_it(project: CliProject, emulator: RunningEmulator) -> None:
    emulator.api().patch(
        f"{PHONE_PATH}/{SEEN['trunk_id']}", json={"description": "edited in the console"}
    ).raise_for_status()

    emulator.clear_requests()
    project.run("refresh", "--yes", "--skip-preview")
    assert writes(emulator) == {}, "refresh only reads"
    state = project.phone_resources()["supportTrunk"]
    assert state["outputs"]["description"] == "edited in the console", state["outputs"]

    plan = project.preview_json()
    step = project.steps(plan)["supportTrunk"]
    assert step["op"] == "update" and list(step.get("detailedDiff") or {}) == ["description"], step

    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    trunk = get_config(emulator, SEEN["trunk_id"])
    assert trunk is not None and trunk["description"] == "Inbound support line from the carrier"
    project.run("preview", "--expect-no-changes")


def test_import_of_a_console_config_then_a_clean_up(project: CliProject, emulator: RunningEmulator) -> None:
    made = emulator.api().post(
        PHONE_PATH,
        json={
            "name": "Console trunk",
            "description": "made in the console",
            "security": {"secure_trunking": True, "authentication": True, "username": "console",
                         "password": CONSOLE_PASSWORD},
        },
    )  # fmt: skip
    made.raise_for_status()
    console_id = str(made.json()["id"])
    emulator.api().patch(
        f"{PHONE_PATH}/{console_id}",
        json={"phone_numbers": [{"phone_number": CONSOLE_NUMBER, "description": "console line"}]},
    ).raise_for_status()

    emulator.clear_requests()
    generated = project.directory / "imported.yaml"
    project.run("import", "phonecfg:index:PhoneConfig", "consoleTrunk", console_id, "--yes", "--out", str(generated))
    # Only reads of that config: one for the preview `pulumi import` runs first, one for the import itself.
    reads = {(r["method"], r["path"].rsplit("/", 1)[-1]) for r in emulator.api_requests()}
    assert reads == {("GET", console_id)}, summarize(emulator.api_requests())
    assert project.phone_resources()["consoleTrunk"]["id"] == console_id

    # The generated YAML, pasted into the program; the password (never returned by the API) declared by hand.
    resource = yaml.safe_load(generated.read_text())["resources"]["consoleTrunk"]
    assert resource["type"] in ("phonecfg:PhoneConfig", "phonecfg:index:PhoneConfig")  # YAML may drop `index`
    properties = resource["properties"]
    assert properties["name"] == "Console trunk"
    assert [n["phoneNumber"] for n in properties["phoneNumbers"]] == [CONSOLE_NUMBER]
    assert "password" not in properties.get("security", {}), properties
    assert resource.get("options", {}).get("protect") is True  # pulumi import protects what it imports
    properties["security"]["password"] = "${consolePassword}"
    program = project.program()
    program["config"]["consolePassword"] = {"type": "string", "secret": True}
    program["resources"]["consoleTrunk"] = resource
    project.write_program(program)
    project.run("config", "set", "--secret", "consolePassword", stdin=CONSOLE_PASSWORD)

    # The first up sends the credential once; afterwards the program and the tenant agree.
    emulator.clear_requests()
    project.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    (patch,) = emulator.api_requests("PATCH")
    assert console_id in patch["path"]
    project.run("preview", "--expect-no-changes")
    config = get_config(emulator, console_id)
    assert config is not None and config["description"] == "made in the console"
    SEEN["console_id"] = console_id
    SEEN["export"] = project.run("stack", "export", "--stack", project.stack).stdout


def test_destroy_removes_every_config(project: CliProject, emulator: RunningEmulator) -> None:
    project.run("state", "unprotect", "--all", "--yes")
    emulator.clear_requests()
    project.run("destroy", "--yes", "--skip-preview")
    assert writes(emulator) == {"DELETE": 3}, summarize(emulator.api_requests())
    for key in ("trunk_id", "genesys_id", "console_id"):
        assert get_config(emulator, SEEN[key]) is None
    assert project.phone_resources() == {}


def test_no_secret_in_any_state_file_or_output(project: CliProject, emulator: RunningEmulator, e2e_dir: Path) -> None:
    found = scan_for_secrets(
        {"SIP password": SIP_PASSWORD, "api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET,
         "client_secret (decoded)": GENESYS_CLIENT_SECRET_RAW, "console password": CONSOLE_PASSWORD,
         "token": emulator.token},
        {"CLI output": project.text(), "stack export": SEEN["export"],
         "backend (checkpoints, backups, history)": read_tree(e2e_dir / "state"),
         "project (program, generated code, stack config)": read_tree(project.directory)},
    )  # fmt: skip
    assert not found, found
    with contextlib.suppress(KeyError):
        print(f"\n`pulumi preview --diff` of the one-number change: {SEEN['diff_lines']} lines")
