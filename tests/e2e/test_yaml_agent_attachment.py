"""examples/yaml-attachment through the real `pulumi` command and the native plugin, against a real emulator process:
a second stack attaches its agent to a Genesys config that a first stack owns.

The contact centre's stack makes the Genesys config (no `attachedEnvironments`: it never writes the list); someone
else (the console) attaches customer-care; the billing team's stack finds `billing` by name, reads the config id
through a StackReference, attaches it (one PATCH between two GETs, the console's pair kept) and exports its connector
id; both previews are clean; destroying the billing stack detaches exactly its pair (one PATCH), and the contact
centre's stack then deletes the config. Last, a scan of everything written and printed for the credentials.
"""

from __future__ import annotations

import base64
import json
import secrets
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.core.schema.integration import connector_id
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .helpers import PHONE_PATH, REPO, get_config, read_tree, scan_for_secrets, summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

ATTACHMENT_TYPE = "phonecfg:index:AgentAttachment"
EXAMPLE = REPO / "examples" / "yaml-attachment"
GENESYS_API_KEY = f"fake-attach-example-api-key-{secrets.token_hex(6)}"
GENESYS_CLIENT_SECRET = base64.b64encode(f"fake-attach-example-secret-{secrets.token_hex(6)}".encode()).decode()
SEEN: dict[str, Any] = {}


def agent_ids(emulator: RunningEmulator, name: str, environment: str = "live") -> tuple[str, str]:
    agent = next(a for a in emulator.api().get("/v1/orchestrate/agents").json() if a["name"] == name)
    return agent["id"], next(e["id"] for e in agent["environments"] if e["name"] == environment)


def project_of(directory: str, e2e_dir: Path, emulator: RunningEmulator, **config: str) -> CliProject:
    work = e2e_dir / directory
    shutil.copytree(EXAMPLE / directory, work)
    made = CliProject(work, e2e_dir, "e2e")
    plain, secret = provider_settings(emulator)
    made.init({**plain, **config}, secret)
    return made


@pytest.fixture(scope="module")
def contact_centre(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    made = project_of("contact-centre", e2e_dir, emulator)
    made.run("config", "set", "--secret", "genesysApiKey", stdin=GENESYS_API_KEY)
    made.run("config", "set", "--secret", "genesysClientSecret", stdin=GENESYS_CLIENT_SECRET)
    yield made
    if made.phone_resources():
        made.run("destroy", "--yes", "--skip-preview", check=False)


@pytest.fixture(scope="module")
def billing_team(contact_centre: CliProject, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CliProject]:
    made = project_of("billing-team", e2e_dir, emulator, contactCentreStack="organization/phonecfg-contact-centre/e2e")
    yield made
    if made.phone_resources(ATTACHMENT_TYPE):
        made.run("destroy", "--yes", "--skip-preview", check=False)


def writes(emulator: RunningEmulator) -> Counter[str]:
    return Counter(r["method"] for r in emulator.api_requests() if r["method"] != "GET")


def attached(emulator: RunningEmulator, config_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    config = get_config(emulator, config_id)
    assert config is not None
    return {(a["agent_id"], a["environment_id"]): a for a in config["attached_environments"]}


def stack_outputs(project: CliProject) -> dict[str, Any]:
    outputs: dict[str, Any] = json.loads(project.run("stack", "output", "--json", "--stack", project.stack).stdout)
    return outputs


def test_the_contact_centre_makes_the_config_and_the_console_attaches_an_agent(
    contact_centre: CliProject, emulator: RunningEmulator
) -> None:
    contact_centre.run("up", "--yes", "--skip-preview")
    config_id = stack_outputs(contact_centre)["genesysId"]
    assert attached(emulator, config_id) == {}
    care = agent_ids(emulator, "customer-care")
    console_pair = {"agent_id": care[0], "environment_id": care[1], "agent_name": "customer-care"}
    emulator.api().patch(f"{PHONE_PATH}/{config_id}", json={"attached_environments": [console_pair]}).raise_for_status()
    SEEN["config_id"], SEEN["console_pair"] = config_id, console_pair


def test_the_billing_team_attaches_its_agent_and_exports_its_connector_id(
    billing_team: CliProject, emulator: RunningEmulator
) -> None:
    config_id, console_pair = SEEN["config_id"], SEEN["console_pair"]
    emulator.clear_requests()
    billing_team.run("up", "--yes", "--skip-preview")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    (patch,) = emulator.api_requests("PATCH")
    assert patch["path"] == f"{PHONE_PATH}/{config_id}" and patch["query"] == {"append": "false"}
    billing = agent_ids(emulator, "billing")
    pairs = attached(emulator, config_id)
    assert set(pairs) == {(console_pair["agent_id"], console_pair["environment_id"]), billing}
    assert pairs[billing]["agent_name"] == "billing" and pairs[billing]["environment_name"] == "live"

    outputs = stack_outputs(billing_team)
    assert outputs["connectorId"] == connector_id(*billing, config_id)
    assert outputs["audioConnectUri"].endswith(f"/tenants/{get_config(emulator, config_id)['tenant_id']}/")
    resource = billing_team.phone_resources(ATTACHMENT_TYPE)["billingAttachment"]
    assert resource["id"] == f"{config_id}/{billing[0]}/{billing[1]}"


def test_both_previews_are_clean_and_write_nothing(
    contact_centre: CliProject, billing_team: CliProject, emulator: RunningEmulator
) -> None:
    emulator.clear_requests()
    billing_team.run("preview", "--expect-no-changes")
    contact_centre.run("preview", "--expect-no-changes")  # the config's list is not its to write
    billing_team.run("preview", "--refresh", "--expect-no-changes")  # refresh: one GET of the config
    assert writes(emulator) == {}, summarize(emulator.api_requests())


def test_destroying_the_billing_stack_detaches_exactly_its_pair(
    contact_centre: CliProject, billing_team: CliProject, emulator: RunningEmulator
) -> None:
    config_id, console_pair = SEEN["config_id"], SEEN["console_pair"]
    emulator.clear_requests()
    billing_team.run("destroy", "--yes", "--skip-preview")
    assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
    assert attached(emulator, config_id) == {
        (console_pair["agent_id"], console_pair["environment_id"]): {**console_pair, "environment_name": None}
    }
    contact_centre.run("destroy", "--yes", "--skip-preview")
    assert get_config(emulator, config_id) is None


def test_no_credential_in_any_state_file_or_output(
    contact_centre: CliProject, billing_team: CliProject, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    found = scan_for_secrets(
        {"token": emulator.token, "api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET},
        {
            "CLI output": contact_centre.text() + billing_team.text(),
            "backend (checkpoints, backups, history)": read_tree(e2e_dir / "state"),
            "projects (programs, stack config)": read_tree(contact_centre.directory)
            + read_tree(billing_team.directory),
        },
    )
    assert not found, found
