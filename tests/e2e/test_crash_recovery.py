"""A `pulumi up` killed mid-create, then the documented recovery: never a duplicate config.

The CLI runs an on-disk project (`pulumi up` through the language host, as a user or a CI runner would) in its
own session against an emulator whose POSTs are slowed down. Once some configs exist, the CLI and every
process it started (language host, program, dynamic-provider server) are SIGKILLed, like a runner that
vanished. Then, with the exact commands of "Recovering from an interrupted `up`" (docs/guides/troubleshooting.md):

1. a plain `pulumi up` refuses: one line naming a config, its id and the way out; no duplicate is created;
2. `pulumi cancel --yes` (if the stack is still locked), `pulumi refresh --clear-pending-creates --yes`,
   `pulumi up -c phonecfg:adoptExisting=true` end with exactly the declared configs, none twice, each with its
   declared numbers; the next preview is clean.

Waiting is on observable conditions only (the emulator's request log, the process table), with deadlines.
"""

from __future__ import annotations

import collections
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PULUMI_ROOT,
    TYPE_TOKEN,
    cli_env,
    exported_state,
    list_configs,
    phone_resources,
    provider_config,
    scan_for_secrets,
    venv,
    workspace_options,
)
from .processes import kill_everything_started_by, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STACK = "crash"
CONFIGS = 10
KILL_WHEN_CREATED = 3  # kill once this many POSTs have succeeded (of CONFIGS)
POST_DELAY = 1.5  # seconds the emulator holds every create, so POSTs are in flight when the CLI dies
DEADLINE = 180.0
# Two creates at a time: when the CLI dies some configs are recorded, some are in flight (pending creates) and
# some were never sent, whatever the machine's speed.
PARALLEL = ("--parallel", "2")
PASSWORD = f"fake-crash-sip-password-{secrets.token_hex(6)}"


def declared_numbers(index: int) -> list[str]:
    return [f"+1415555{2000 + index:04d}", f"+1202555{2000 + index:04d}"]


DECLARED = {f"Crash trunk {i:02d}": declared_numbers(i) for i in range(CONFIGS)}

PROGRAM = f'''"""{CONFIGS} SIP trunks, two numbers each (written by tests/e2e/test_crash_recovery.py)."""
import pulumi

from pulumi_phonecfg import PhoneConfig

password = pulumi.Config().require_secret("sipPassword")
for index in range({CONFIGS}):
    PhoneConfig(
        f"trunk-{{index:02d}}",
        name=f"Crash trunk {{index:02d}}",
        security={{"authentication": True, "username": f"crash-{{index}}", "password": password}},
        phone_numbers=[
            {{"phone_number": f"+1415555{{2000 + index:04d}}"}},
            {{"phone_number": f"+1202555{{2000 + index:04d}}"}},
        ],
    )
'''

PROJECT_YAML = """name: phonecfg-crash
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""


def remove_empty_attrs(backend: Path) -> list[str]:
    """Delete empty `*.attrs` files of a `file://` backend; return their names.

    The file backend writes each state file atomically (temp file + rename) but its `.attrs` sidecar in place,
    so a kill can leave it empty, and every later command fails with `failed to load checkpoint: EOF`. The
    The recovery (docs/guides/troubleshooting.md) says to delete it; the state file beside it is intact.
    """
    empty = [path for path in backend.rglob("*.attrs") if path.stat().st_size == 0]
    for path in empty:
        path.unlink()
    return sorted(path.name for path in empty)


# ------------------------------------------------------------------------------------------------ the project


@dataclass
class CliResult:
    args: list[str]
    code: int
    output: str


@dataclass
class CrashProject:
    work: Path
    backend: Path
    env: dict[str, str]
    emulator: RunningEmulator
    stack: auto.Stack
    transcripts: list[str] = field(default_factory=list)

    def cli(self, *args: str) -> CliResult:
        """`pulumi <args>` in the project directory, as a user types it (plus --non-interactive)."""
        command = [str(PULUMI_ROOT / "bin" / "pulumi"), *args, "--non-interactive", "--color", "never"]
        done = subprocess.run(
            command, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=DEADLINE, check=False
        )
        output = done.stdout + done.stderr
        self.transcripts.append(f"$ pulumi {' '.join(args)}\n{output}")
        return CliResult(list(args), done.returncode, output)

    def start_up(self) -> subprocess.Popen[str]:
        """`pulumi up --yes` in its own session, so it and all it starts can be found and killed."""
        log = (self.work / "killed-up.log").open("w")
        return subprocess.Popen(
            [str(PULUMI_ROOT / "bin" / "pulumi"), "up", "--yes", "--skip-preview", "--non-interactive", *PARALLEL],
            cwd=self.work,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    def state(self) -> dict[str, Any]:
        deployment: dict[str, Any] = self.stack.export_stack().deployment
        return deployment

    def configs_by_name(self) -> dict[str, list[dict[str, Any]]]:
        by_name: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
        for config in list_configs(self.emulator):
            by_name[config["name"]].append(config)
        return dict(by_name)


@pytest.fixture(scope="module")
def project(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[CrashProject]:
    work = e2e_dir / "project"
    work.mkdir()
    (work / "Pulumi.yaml").write_text(PROJECT_YAML)
    (work / "__main__.py").write_text(PROGRAM)
    (work / ".venv").symlink_to(venv(), target_is_directory=True)
    env = cli_env(e2e_dir)
    env.pop("PHONECFG_ADOPT_EXISTING", None)
    stack = auto.create_or_select_stack(STACK, work_dir=str(work), opts=workspace_options(e2e_dir, pulumi_command))
    stack.set_all_config({**provider_config(emulator), "sipPassword": auto.ConfigValue(PASSWORD, secret=True)})
    yield CrashProject(work, e2e_dir / "state", env, emulator, stack)


def create_posts(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return [r for r in emulator.api_requests("POST") if r["path"].rstrip("/").endswith("/phone")]


def created_posts(emulator: RunningEmulator) -> int:
    return sum(1 for r in create_posts(emulator) if r["status"] == 201)


def create_in_flight(emulator: RunningEmulator) -> bool:
    """A create POST the server has received and not answered yet (held by the delay fault)."""
    return any(r["status"] is None for r in create_posts(emulator))


def test_killed_up_then_documented_recovery_leaves_exactly_the_declared_configs(project: CrashProject) -> None:
    emulator = project.emulator
    emulator.set_faults([{"method": "POST", "path": r"/channels/+phone$", "kind": "delay", "delay": POST_DELAY}])

    # 1. `pulumi up`, killed with everything it started once some configs exist.
    up = project.start_up()
    # Killed while a create is held at the server: that config then exists in the tenant but not in the state,
    # whatever the machine's speed (a create only recorded as pending, never sent, would prove nothing).
    wait_for(
        lambda: (created_posts(emulator) >= KILL_WHEN_CREATED and create_in_flight(emulator)) or up.poll() is not None,
        f"{KILL_WHEN_CREATED} configs to be created and another create in flight",
    )
    assert up.poll() is None, (project.work / "killed-up.log").read_text()
    killed = kill_everything_started_by(up)
    assert any("pulumi.dynamic" in line for line in killed), f"the provider process was not among {killed}"
    # Requests already received still complete on the server (the client is gone, the handler is not).
    wait_for(lambda: all(r["status"] is not None for r in emulator.requests()), "in-flight requests to finish")
    emulator.clear_faults()
    emptied = remove_empty_attrs(project.backend)

    before = project.configs_by_name()
    state = project.state()
    in_state = phone_resources(state)
    pending = [op for op in state.get("pending_operations", []) if op["resource"]["type"] == TYPE_TOKEN]
    print(
        f"\ncrash: killed {len(killed)} processes; {len(before)} configs in the tenant, "
        f"{len(in_state)} in state, {len(pending)} pending creates; empty .attrs removed: {emptied or 'none'}"
    )
    assert 0 < len(before) < CONFIGS, before
    assert all(len(found) == 1 for found in before.values())
    assert pending, "no create was in flight when the CLI died: the test did not exercise pending creates"
    unrecorded = {c["id"] for found in before.values() for c in found} - {r["id"] for r in in_state}
    assert unrecorded, "every config in the tenant is in the state: nothing for a re-run to duplicate"

    # 2. A plain re-run refuses to create a second config under a taken name.
    rerun = project.cli("up", "--yes", "--skip-preview")
    if rerun.code != 0 and "locked" in rerun.output:
        assert project.cli("cancel", "--yes").code == 0
        rerun = project.cli("up", "--yes", "--skip-preview")
    assert rerun.code != 0, rerun.output
    after_rerun = project.configs_by_name()
    assert all(len(found) == 1 for found in after_rerun.values()), "a plain re-run created a duplicate"
    print(f"crash: after a plain re-run {sum(len(v) for v in after_rerun.values())} configs, no name twice")
    refusals = [line.strip() for line in rerun.output.splitlines() if "adopt_existing=True" in line]
    assert refusals, rerun.output
    assert all(
        line.startswith("pulumi_phonecfg.errors.ConfigConflictError: create phone config '") for line in refusals
    )
    ids = {c["id"] for found in after_rerun.values() for c in found}
    assert any(any(config_id in line for config_id in ids) for line in refusals), refusals
    assert any(any(name in line for name in DECLARED) for line in refusals), refusals

    # 3. The documented recovery.
    refresh = project.cli("refresh", "--clear-pending-creates", "--yes", "--skip-preview")
    assert refresh.code == 0, refresh.output
    adopt = project.cli("up", "-c", "phonecfg:adoptExisting=true", "--yes", "--skip-preview")
    assert adopt.code == 0, adopt.output

    after = project.configs_by_name()
    print(f"crash: after recovery {sum(len(v) for v in after.values())} configs for {len(after)} names")
    assert sorted(after) == sorted(DECLARED)
    duplicates = {name: [c["id"] for c in found] for name, found in after.items() if len(found) > 1}
    assert not duplicates, duplicates
    for name, (config,) in after.items():
        assert sorted(n["phone_number"] for n in config["phone_numbers"]) == sorted(DECLARED[name]), name
    in_state_ids = sorted(r["id"] for r in phone_resources(project.state()))
    assert in_state_ids == sorted(found[0]["id"] for found in after.values())
    assert not project.state().get("pending_operations")

    preview = project.cli("preview", "--expect-no-changes")
    assert preview.code == 0, preview.output
    # Back to refusing duplicates: the provider-level default is not part of any resource, so still no change.
    assert project.cli("config", "rm", "phonecfg:adoptExisting").code == 0
    preview = project.cli("preview", "--expect-no-changes")
    assert preview.code == 0, preview.output

    found = scan_for_secrets(
        {"SIP password": PASSWORD, "emulator token": emulator.token},
        {
            "CLI output": "\n".join(project.transcripts) + (project.work / "killed-up.log").read_text(),
            "exported state": exported_state(project.stack),
        },
    )
    assert not found, f"plaintext credentials leaked: {found}"
