"""The repository's own Pulumi project (`Pulumi.yaml` + `__main__.py`) through the CLI and the language host.

The project files are copied into a temp dir (with `.venv` linked to the running interpreter's virtualenv) and run
against a temp file backend, so the real `.pulumi/state` and the `demo` stack are never touched. Unlike the
inline-program tests this goes through `pulumi-language-python` and the `virtualenv` runtime option, like
`make demo` does.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    REPO,
    Transcript,
    changes,
    list_configs,
    provider_config,
    run_operation,
    scan_for_secrets,
    summarize,
    venv,
    workspace_options,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

STACK = "e2e-root"
SIP_PASSWORD = f"e2e-root-sip-password-{secrets.token_hex(8)}"
GENESYS_API_KEY = f"e2e-root-api-key-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET = base64.b64encode(f"e2e-root-client-secret-{secrets.token_hex(8)}".encode()).decode()
EXPECTED = ["genesys-audio-connector", "support-sip-trunk"]


class Project:
    def __init__(self, stack: auto.Stack, emulator: RunningEmulator) -> None:
        self.stack = stack
        self.emulator = emulator
        self.transcript = Transcript()

    def run(self, operation: str, **kwargs: Any) -> Any:
        return run_operation(self.stack, self.emulator, self.transcript, operation, **kwargs)


@pytest.fixture(scope="module")
def project(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[Project]:
    work = e2e_dir / "project"
    work.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy2(REPO / name, work / name)
    (work / ".venv").symlink_to(venv(), target_is_directory=True)

    stack = auto.create_or_select_stack(STACK, work_dir=str(work), opts=workspace_options(e2e_dir, pulumi_command))
    stack.set_all_config(
        {
            **provider_config(emulator),
            "sipUsername": auto.ConfigValue("e2e-root-user"),
            "sipPassword": auto.ConfigValue(SIP_PASSWORD, secret=True),
            "genesysApiKey": auto.ConfigValue(GENESYS_API_KEY, secret=True),
            "genesysClientSecret": auto.ConfigValue(GENESYS_CLIENT_SECRET, secret=True),
        }
    )
    yield Project(stack, emulator)
    with contextlib.suppress(auto.CommandError):  # normally a no-op: the last step destroyed it already
        stack.destroy()


def test_runtime_is_the_python_language_host(project: Project) -> None:
    settings = project.stack.workspace.project_settings()
    assert settings.name == "phonecfg-demo"
    runtime = settings.runtime
    assert isinstance(runtime, auto.ProjectRuntimeInfo) and runtime.name == "python"
    assert runtime.options == {"toolchain": "pip", "virtualenv": ".venv"}


def test_preview_plans_the_demo_configs(project: Project) -> None:
    preview = project.run("preview")
    assert changes(preview.change_summary) == {"create": 3}  # two configs + the stack
    assert project.transcript.steps("create") == EXPECTED
    assert project.emulator.api_requests() == [], summarize(project.emulator.api_requests())
    # The program names its agents: one lookup per agent name, already during the preview.
    names = sorted(r["query"].get("names") for r in project.emulator.agent_requests())
    assert names == ["after-hours", "billing", "customer-care"], project.emulator.agent_requests()


def test_up_then_preview_shows_no_changes(project: Project) -> None:
    up = project.run("up")
    assert changes(up.summary.resource_changes) == {"create": 3}
    outputs = {k: v.value for k, v in up.outputs.items()}
    stored = {c["id"]: c for c in list_configs(project.emulator)}
    assert sorted(stored) == sorted([outputs["sip_trunk_id"], outputs["genesys_id"]])
    assert outputs["tenant_id"]
    # Agents by name: the ids are the emulator's own (derived from its instance id), never in the program.
    # What the emulator stores is checked, not what the provider says it wrote.
    agents = {a["name"]: a for a in project.emulator.api().get("/v1/orchestrate/agents").json()}
    env = {(a["name"], e["name"]): e["id"] for a in agents.values() for e in a["environments"]}
    numbers = {n["phone_number"]: n for n in stored[outputs["sip_trunk_id"]]["phone_numbers"]}
    assert sorted(numbers) == ["+12025550103", "+14155550101", "+14155550102"]
    routes = {number: (n["agent_id"], n["environment_id"]) for number, n in numbers.items()}
    assert routes == {
        "+14155550101": (agents["customer-care"]["id"], env["customer-care", "live"]),
        "+14155550102": (agents["after-hours"]["id"], env["after-hours", "draft"]),
        "+12025550103": (None, None),
    }
    assert numbers["+12025550103"]["description"] == "East-coast support"
    assert sorted(outputs["sip_trunk_numbers"]) == sorted(numbers)
    stored_attachments = stored[outputs["genesys_id"]]["attached_environments"]
    attached = {(a["agent_id"], a["environment_id"]) for a in stored_attachments}
    assert attached == {
        (agents["customer-care"]["id"], env["customer-care", "live"]),
        (agents["billing"]["id"], env["billing", "draft"]),
    }
    assert {(a["agent_id"], a["environment_id"]) for a in outputs["genesys_attached_environments"]} == attached
    assert outputs["sip_uri"] == f"sips:127.0.0.1?x-tenant-id={outputs['tenant_id']}"
    assert [c["agent_id"] for c in outputs["genesys_connectors"]] == sorted(a for a, _ in attached)
    assert outputs["genesys_audio_connect_uri"].endswith(f"/tenants/{outputs['tenant_id']}/")

    project.run("preview", expect_no_changes=True)
    assert project.emulator.api_requests() == [], summarize(project.emulator.api_requests())

    found = scan_for_secrets(
        {
            "SIP password": SIP_PASSWORD,
            "Genesys api_key": GENESYS_API_KEY,
            "Genesys client_secret": GENESYS_CLIENT_SECRET,
            "emulator token": project.emulator.token,
        },
        {"engine output/events": project.transcript.text()},
    )
    assert not found, f"plaintext credentials leaked: {found}"


def test_destroy_removes_the_demo_configs(project: Project) -> None:
    destroy = project.run("destroy")
    assert changes(destroy.summary.resource_changes) == {"delete": 3}
    assert list_configs(project.emulator) == []
