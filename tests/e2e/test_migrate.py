"""`phonecfg migrate`: a stack of dynamic PhoneConfigs (a SIP trunk with numbers routed to agents, a plain trunk, a
Genesys config, a trunk shared with other teams), a `PhoneNumber` on the shared trunk and the Genesys config's two
`AgentAttachment`s moves to the native provider and back, with the same ids and nothing sent to the API, and plans
cleanly after each move.

The dynamic stack is the one `phonecfg export --attachments-as-resources` writes in Python, deployed (adopting the
tenant's configs and pairs). The native program is the same tenant exported in YAML into a directory of the same
project name, so its resource names are the same; switching programs is what a user does: replace the program
files, keep the stack file.
Real parts only: the `phonecfg` console script, the `pulumi` command (Python and YAML language hosts, the native
plugin on PATH), an emulator process. Steps in order on one stack.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import (
    ATTACHMENT_DYNAMIC_TYPE,
    ATTACHMENT_NATIVE_TYPE,
    DYNAMIC_TYPE,
    NATIVE_TYPE,
    NUMBER_DYNAMIC_TYPE,
    NUMBER_NATIVE_TYPE,
)
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject
from .export_language_trip import TYPED, project_files
from .helpers import PHONE_PATH, read_tree, scan_for_secrets, summarize, venv
from .test_export_roundtrip import make_tenant

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

STACK = "moving"
PROJECT = "phones"
PYTHON_FILES = ("__main__.py", "requirements.txt")
DYNAMIC_TYPES = (DYNAMIC_TYPE, NUMBER_DYNAMIC_TYPE, ATTACHMENT_DYNAMIC_TYPE)
NATIVE_TYPES = (NATIVE_TYPE, NUMBER_NATIVE_TYPE, ATTACHMENT_NATIVE_TYPE)
MOVED_TYPES = (*DYNAMIC_TYPES, *NATIVE_TYPES)
# The Genesys config's attachments, which the export declares as AgentAttachments.
ATTACHMENTS = ("genesys-audio-connector-after-hours-draft", "genesys-audio-connector-customer-care-live")
# A trunk exported without numbers, and the one number the programs then declare on it as a PhoneNumber.
SHARED_TRUNK = "Shared trunk"
SHARED_LINE = "+14155550177"


def phonecfg(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "phonecfg"), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


class Move:
    def __init__(self, emulator: RunningEmulator, base: Path) -> None:
        self.emulator = emulator
        self.base = base
        self.project_dir = base / "python" / PROJECT  # the stack's project: the program files get switched here
        self.yaml_dir = base / "yaml" / PROJECT
        self.project = CliProject(self.project_dir, base, STACK)
        self.ids: dict[str, str] = {}  # resource name -> config id
        self.outputs: list[str] = []

    def export(self, language: str, out: Path) -> None:
        env = {**os.environ, "PHONECFG_URL": self.emulator.url, "PHONECFG_TOKEN": self.emulator.token}
        done = phonecfg("export", "--all", "--attachments-as-resources", "--language", language, "--out", str(out),
                        "--stack", STACK, cwd=self.base, env=env)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    def migrate(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = phonecfg("migrate", "--stack", STACK, *args, cwd=self.project_dir, env=self.project.env)
        self.outputs += [done.stdout, done.stderr]
        assert done.returncode == code, done.stdout + done.stderr
        return done

    def resources(self) -> dict[str, dict[str, Any]]:
        """PhoneConfigs, PhoneNumbers and AgentAttachments of either kind in the state, by resource name."""
        exported = self.project.export()["deployment"].get("resources", [])
        return {r["urn"].rsplit("::", 1)[-1]: r for r in exported if r["type"] in MOVED_TYPES}

    def use_program(self, language: str) -> None:
        """Replace the program files in the project directory; the stack file (config, secrets) stays."""
        for name in (*PYTHON_FILES, "venv"):
            (self.project_dir / name).unlink(missing_ok=True)
        if language == "python":
            for name in PYTHON_FILES:
                shutil.copy(self.base / "python-program" / name, self.project_dir / name)
            shutil.copy(self.base / "python-program" / "Pulumi.yaml", self.project_dir / "Pulumi.yaml")
            (self.project_dir / "venv").symlink_to(venv(), target_is_directory=True)
        else:
            shutil.copy(self.yaml_dir / "Pulumi.yaml", self.project_dir / "Pulumi.yaml")

    def preview_is_clean(self) -> None:
        self.emulator.clear_requests()
        self.project.run("preview", "--expect-no-changes")
        assert self.emulator.api_requests() == [], summarize(self.emulator.api_requests())


def add_shared_line_to_python(program: Path) -> None:
    """The exported Python program, with a PhoneNumber on the shared trunk (which declares no phone_numbers)."""
    declaration = f'PhoneNumber("shared-line", config_id=shared_trunk.id, phone_number="{SHARED_LINE}")'
    program.write_text(
        program.read_text() + f"\nfrom pulumi_phonecfg import PhoneNumber  # noqa: E402\n\n{declaration}\n"
    )


def add_shared_line_to_yaml(program: Path) -> None:
    """The exported YAML program with the same PhoneNumber as `phonecfg:index:PhoneNumber`, and the shared trunk
    without the number the export found on it (the PhoneNumber owns it). Edited as text: the export's quoting is
    what Pulumi YAML needs, which a YAML dump would not keep."""
    inline = f'      phoneNumbers:\n        - phoneNumber: "{SHARED_LINE}"\n'
    resource = (
        "  sharedLine:\n"
        f"    type: {NUMBER_NATIVE_TYPE}\n"
        '    name: "shared-line"\n'
        "    properties:\n"
        "      configId: ${sharedTrunk.id}\n"
        f'      phoneNumber: "{SHARED_LINE}"\n'
    )
    text = program.read_text()
    assert text.count(inline) == 1 and "\noutputs:\n" in text, text
    program.write_text(text.replace(inline, "").replace("\noutputs:\n", f"{resource}\noutputs:\n", 1))


@pytest.fixture(scope="module")
def move(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[Move]:
    yield Move(emulator, e2e_dir)


def test_an_unknown_stack_is_one_line_and_writes_nothing(move: Move) -> None:
    move.project_dir.mkdir(parents=True)
    (move.project_dir / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: yaml\n")
    done = phonecfg("migrate", "--stack", "nope", cwd=move.project_dir, env=move.project.env)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("phonecfg migrate: `pulumi stack export` failed: ") and done.stderr.count("\n") == 1
    assert sorted(p.name for p in move.project_dir.iterdir()) == ["Pulumi.yaml"]
    (move.project_dir / "Pulumi.yaml").unlink()


def test_a_dynamic_stack(move: Move) -> None:
    make_tenant(move.emulator)
    move.emulator.api().post(
        PHONE_PATH, json={"name": SHARED_TRUNK, "service_provider": "sip_trunk", "security": {}}
    ).raise_for_status()
    move.export("python", move.project_dir)
    add_shared_line_to_python(move.project_dir / "__main__.py")
    shutil.copytree(move.project_dir, move.base / "python-program")  # the program, to switch back to later
    move.use_program("python")
    move.project.run("stack", "init", "--secrets-provider", "passphrase", STACK)
    for key, value in {"phonecfg:token": move.emulator.token, **TYPED}.items():
        move.project.run("config", "set", "--secret", key, stdin=value)
    move.project.run("up", "--yes", "--skip-preview")
    resources = move.resources()
    assert sorted(resources) == [
        "genesys-audio-connector",
        *ATTACHMENTS,
        "plain-trunk",
        "shared-line",
        "shared-trunk",
        "support-sip-trunk",
    ]
    assert resources["shared-line"]["type"] == NUMBER_DYNAMIC_TYPE
    assert resources["shared-line"]["id"] == f"{resources['shared-trunk']['id']}/{SHARED_LINE}"
    assert {r["type"] for name, r in resources.items() if name != "shared-line" and name not in ATTACHMENTS} == {
        DYNAMIC_TYPE
    }
    assert {resources[name]["type"] for name in ATTACHMENTS} == {ATTACHMENT_DYNAMIC_TYPE}
    genesys_id = resources["genesys-audio-connector"]["id"]
    assert all(resources[name]["id"].startswith(f"{genesys_id}/") for name in ATTACHMENTS)
    move.ids = {name: r["id"] for name, r in resources.items()}
    move.preview_is_clean()


def test_migrating_without_switching_the_program_puts_the_state_back(move: Move) -> None:
    """The Python program still in place would re-adopt each config and delete it under the native provider."""
    move.emulator.clear_requests()
    done = move.migrate(code=1)
    assert "does not plan cleanly on the moved state (+ 7 to create, - 7 to delete)" in done.stderr, done.stderr
    assert "was put back" in done.stderr and done.stderr.count("\n") == 1
    resources = move.resources()
    assert {name: r["id"] for name, r in resources.items()} == move.ids
    assert {r["type"] for r in resources.values()} == set(DYNAMIC_TYPES)
    assert move.emulator.api_requests() == [], summarize(move.emulator.api_requests())
    for backup in move.project_dir.glob(f"{STACK}-state-before-migrate-*.json"):
        backup.unlink()  # the state it holds is the state now


def test_migrate_to_native_sends_nothing_and_keeps_the_ids(move: Move) -> None:
    move.export("yaml", move.yaml_dir)
    add_shared_line_to_yaml(move.yaml_dir / "Pulumi.yaml")
    move.use_program("yaml")
    move.emulator.clear_requests()

    done = move.migrate()

    # Nothing written, and only the agent lookups of the check's preview (the YAML program's getAgent) read.
    assert move.emulator.api_requests() == [], summarize(move.emulator.requests())
    assert "pulumi preview --expect-no-changes` passed" in done.stdout
    resources = move.resources()
    assert {name: r["id"] for name, r in resources.items()} == move.ids
    assert {r["type"] for r in resources.values()} == set(NATIVE_TYPES)
    assert resources["shared-line"]["type"] == NUMBER_NATIVE_TYPE
    assert {resources[name]["type"] for name in ATTACHMENTS} == {ATTACHMENT_NATIVE_TYPE}
    assert resources["shared-line"]["inputs"] == {"configId": move.ids["shared-trunk"], "phoneNumber": SHARED_LINE}
    assert "moving PhoneNumber shared-line" in done.stdout
    assert all(f"moving AgentAttachment {name}" in done.stdout for name in ATTACHMENTS), done.stdout
    providers = [r["type"] for r in move.project.export()["deployment"]["resources"] if "providers" in r["type"]]
    assert providers == ["pulumi:providers:phonecfg"], "the dynamic provider went with its last resource"
    backups = sorted(move.project_dir.glob(f"{STACK}-state-before-migrate-*.json"))
    assert len(backups) == 1 and backups[0].name in done.stdout
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600, "the backup holds the stack's state: owner only"
    before = json.loads(backups[0].read_text())["deployment"]["resources"]
    assert sorted(r["id"] for r in before if r["type"] in DYNAMIC_TYPES) == sorted(move.ids.values())


def test_native_program_plans_cleanly(move: Move) -> None:
    move.preview_is_clean()


def test_up_on_native_changes_nothing_and_refresh_agrees(move: Move) -> None:
    move.emulator.clear_requests()
    move.project.run("up", "--yes", "--skip-preview")
    writes = [r for r in move.emulator.api_requests() if r["method"] != "GET"]
    assert writes == [], summarize(writes)
    move.project.run("refresh", "--yes", "--skip-preview")
    move.preview_is_clean()


def test_migrate_back_to_dynamic(move: Move) -> None:
    move.use_program("python")
    move.emulator.clear_requests()
    move.migrate("--to", "dynamic")
    assert move.emulator.api_requests() == [], summarize(move.emulator.requests())
    resources = move.resources()
    assert {name: r["id"] for name, r in resources.items()} == move.ids
    assert {r["type"] for r in resources.values()} == set(DYNAMIC_TYPES)
    move.preview_is_clean()


def test_nothing_secret_in_state_backups_or_output(move: Move) -> None:
    found = scan_for_secrets(
        {**TYPED, "emulator token": move.emulator.token},
        {
            "backend": read_tree(move.base / "state"),
            "project files and backups": project_files(move.project_dir),
            "migrate output": "\n".join(move.outputs),
            "CLI output": move.project.text(),
        },
    )
    assert not found, f"plaintext credentials leaked: {found}"
