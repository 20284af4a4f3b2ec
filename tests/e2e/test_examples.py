"""examples/sip-trunk and examples/genesys as a user runs them: copied, configured, `pulumi preview` and `up`.

Each example is copied to a temp dir (its `venv` linked to the test's virtualenv), given stack config for an
emulator tenant, and run through the Python language host: preview plans one config, `up` makes it with the
agent resolved by name, a second preview is clean, destroy removes it.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    REPO,
    Transcript,
    changes,
    exported_state,
    list_configs,
    provider_config,
    scan_for_secrets,
    venv,
    workspace_options,
)

pytestmark = [pytest.mark.e2e]

SIP_PASSWORD = f"fake-example-sip-password-{secrets.token_hex(6)}"
GENESYS_API_KEY = f"fake-example-api-key-{secrets.token_hex(6)}"
GENESYS_CLIENT_SECRET = base64.b64encode(f"fake-example-client-secret-{secrets.token_hex(6)}".encode()).decode()


@dataclass
class Example:
    directory: str
    config: dict[str, auto.ConfigValue]
    kind: str


EXAMPLES = {
    "sip-trunk": Example(
        "sip-trunk",
        {
            "agentName": auto.ConfigValue("customer-care"),
            "phoneNumber": auto.ConfigValue("+14155550100"),
            "sipPassword": auto.ConfigValue(SIP_PASSWORD, secret=True),
        },
        "sip_trunk",
    ),
    "genesys": Example(
        "genesys",
        {
            "agentName": auto.ConfigValue("after-hours"),
            "agentEnvironment": auto.ConfigValue("draft"),
            "genesysApiKey": auto.ConfigValue(GENESYS_API_KEY, secret=True),
            "genesysClientSecret": auto.ConfigValue(GENESYS_CLIENT_SECRET, secret=True),
        },
        "genesys_audio_connector",
    ),
}


@pytest.fixture
def project(
    request: pytest.FixtureRequest, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[tuple[auto.Stack, Example]]:
    example: Example = EXAMPLES[request.param]
    work = e2e_dir / example.directory
    shutil.copytree(REPO / "examples" / example.directory, work)
    (work / "venv").symlink_to(venv(), target_is_directory=True)
    stack = auto.create_stack("e2e", work_dir=str(work), opts=workspace_options(e2e_dir, pulumi_command))
    stack.set_all_config({**provider_config(emulator, emulator.instance_url), **example.config})
    emulator.clear_requests()
    yield stack, example
    with contextlib.suppress(auto.CommandError):
        stack.destroy()


def agent_ids(emulator: RunningEmulator, name: str, environment: str) -> tuple[str, str]:
    agent = next(a for a in emulator.api().get("/v1/orchestrate/agents").json() if a["name"] == name)
    return agent["id"], next(e["id"] for e in agent["environments"] if e["name"] == environment)


@pytest.mark.parametrize("project", ["sip-trunk", "genesys"], indirect=True)
def test_example_previews_deploys_and_stays_clean(
    project: tuple[auto.Stack, Example], emulator: RunningEmulator
) -> None:
    stack, example = project
    transcript = Transcript()

    preview = stack.preview(**transcript.kwargs())
    assert changes(preview.change_summary) == {"create": 2}  # the config + the stack
    assert not [r for r in emulator.requests() if r["method"] != "GET"], "a preview writes nothing"

    up = stack.up(**transcript.kwargs())
    assert changes(up.summary.resource_changes) == {"create": 2}
    outputs = {k: v.value for k, v in up.outputs.items()}
    (config,) = [c for c in list_configs(emulator) if c["id"] == outputs["id"]]
    assert config["service_provider"] == example.kind
    routed: dict[str, Any]
    if example.kind == "sip_trunk":
        routed = config["phone_numbers"][0]
        assert (routed["agent_id"], routed["environment_id"]) == agent_ids(emulator, "customer-care", "live")
        assert outputs["sip_uri"]
    else:
        routed = config["attached_environments"][0]
        assert (routed["agent_id"], routed["environment_id"]) == agent_ids(emulator, "after-hours", "draft")
        assert outputs["audio_connect_uri"]
        assert [c["agent_id"] for c in outputs["connectors"]] == [routed["agent_id"]]

    stack.preview(expect_no_changes=True, **transcript.kwargs())

    found = scan_for_secrets(
        {"SIP password": SIP_PASSWORD, "api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET,
         "token": emulator.token},
        {"engine output/events": transcript.text(), "exported state": exported_state(stack)},
    )  # fmt: skip
    assert not found, found

    stack.destroy()
    assert [c for c in list_configs(emulator) if c["id"] == outputs["id"]] == []
