"""The generated SDKs (sdk/nodejs, sdk/python, sdk/go) through the real CLI: one scenario, one driver per language.

examples/typescript, examples/python-native and examples/go declare the same two configs as examples/yaml (a SIP
trunk with two numbers routed to agents by name, a Genesys config with both agents attached), each through its
language's generated SDK and the one native plugin `pulumi-resource-phonecfg` (found on PATH, the package's
virtualenv). `ProgramSteps` is the scenario, run in order on one stack per language: up, a clean preview, a
one-number change (one PATCH), destroy, and a scan of the state, the project and everything printed for every
secret. A test module subclasses it and provides the `program` fixture (a `Driver`).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pytest
from support import in_ci

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, plugin_dir, provider_settings
from .helpers import PULUMI_ROOT, REPO, get_config, read_tree, scan_for_secrets, summarize

NATIVE_TYPE = "phonecfg:index:PhoneConfig"
SUPPORT, BILLING = "+14155550100", "+14155550101"
CHANGED_DESCRIPTION = "Billing questions, weekdays"


class Credentials:
    """Obviously fake credentials, fresh per test module, as the stack's secret config."""

    def __init__(self, language: str) -> None:
        self.sip_password = f"fake-{language}-sip-password-{secrets.token_hex(6)}"
        self.api_key = f"fake-{language}-api-key-{secrets.token_hex(6)}"
        self.client_secret_raw = f"fake-{language}-client-secret-{secrets.token_hex(6)}"
        self.client_secret = base64.b64encode(self.client_secret_raw.encode()).decode()

    def config(self) -> dict[str, str]:
        return {"sipPassword": self.sip_password, "genesysApiKey": self.api_key,
                "genesysClientSecret": self.client_secret}  # fmt: skip

    def labelled(self, emulator: RunningEmulator) -> dict[str, str]:
        return {"SIP password": self.sip_password, "api_key": self.api_key, "client_secret": self.client_secret,
                "client_secret (decoded)": self.client_secret_raw, "token": emulator.token}  # fmt: skip


class Driver(Protocol):
    """One language's program on one stack, driven as its users drive it."""

    project: str
    stack: str
    directory: Path
    base: Path
    #: Whether `changed_paths` can read the plan's detailed diff (`pulumi preview --json`).
    reads_plans: bool

    def up(self) -> dict[str, Any]:
        """`up`; returns the stack outputs."""
        ...

    def preview_clean(self) -> None:
        """A preview that fails when anything would change."""
        ...

    def set_config(self, key: str, value: str) -> None: ...

    def changed_paths(self) -> dict[str, list[str]]:
        """The planned updates: resource name -> the detailed diff's paths."""
        ...

    def destroy(self) -> None: ...

    def text(self) -> str:
        """Everything printed so far."""
        ...


def require_tools(*names: str, python_module: str | None = None) -> None:
    """Skips without the tools (fails under CI, where nothing may skip)."""
    missing = [name for name in names if shutil.which(name) is None]
    if python_module is not None and importlib.util.find_spec(python_module) is None:
        missing.append(f"Python module {python_module} (run `make venv`)")
    for host in ("pulumi-language-nodejs",) if "node" in names else ():
        if not os.access(PULUMI_ROOT / "bin" / host, os.X_OK):
            missing.append(f"{host} (run `make cli`)")
    if not os.access(plugin_dir() / "pulumi-resource-phonecfg", os.X_OK):
        missing.append("pulumi-resource-phonecfg (run `make venv`)")
    if missing:
        message = f"missing for this language's e2e: {', '.join(missing)}"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)


def timed_run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Runs `command` (failing the test with its output on a non-zero exit); returns the seconds it took."""
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started


class CliDriver:
    """An on-disk project (TypeScript, Python) run with the `pulumi` command, stack config set with it."""

    reads_plans = True

    def __init__(self, directory: Path, base: Path, emulator: RunningEmulator, credentials: Credentials) -> None:
        self.cli = CliProject(directory, base, "e2e")
        self.directory, self.base, self.stack = directory, base, "e2e"
        self.project = str(self.cli.program()["name"])
        plain, secret = provider_settings(emulator)
        self.cli.init(plain, {**secret, **credentials.config()})

    def up(self) -> dict[str, Any]:
        self.cli.run("up", "--yes", "--skip-preview")
        outputs: dict[str, Any] = json.loads(self.cli.run("stack", "output", "--json", "--stack", self.stack).stdout)
        return outputs

    def preview_clean(self) -> None:
        self.cli.run("preview", "--expect-no-changes")

    def set_config(self, key: str, value: str) -> None:
        self.cli.run("config", "set", key, "--", value)

    def changed_paths(self) -> dict[str, list[str]]:
        steps = self.cli.steps(self.cli.preview_json())
        return {name: sorted(step.get("detailedDiff") or {}) for name, step in steps.items() if step["op"] != "same"}

    def destroy(self) -> None:
        self.cli.run("destroy", "--yes", "--skip-preview")

    def text(self) -> str:
        return self.cli.text()


def phone_resources(driver: Driver) -> dict[str, dict[str, Any]]:
    """PhoneConfig resources in the stack's checkpoint (the file backend under `base`), by resource name."""
    checkpoint = driver.base / "state" / ".pulumi" / "stacks" / driver.project / f"{driver.stack}.json"
    if not checkpoint.exists():
        return {}
    resources = (json.loads(checkpoint.read_text()).get("checkpoint", {}).get("latest") or {}).get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1]: r for r in resources if r.get("type") == NATIVE_TYPE}


def agent_ids(emulator: RunningEmulator, name: str, environment: str = "live") -> tuple[str, str]:
    agent = next(a for a in emulator.api().get("/v1/orchestrate/agents").json() if a["name"] == name)
    return agent["id"], next(e["id"] for e in agent["environments"] if e["name"] == environment)


def writes(emulator: RunningEmulator) -> Counter[str]:
    """Phone-config requests other than reads, by method."""
    return Counter(r["method"] for r in emulator.api_requests() if r["method"] != "GET")


class ProgramSteps:
    """The scenario; a subclass named `Test...` with a module-scoped `program` fixture runs it for one language."""

    seen: ClassVar[dict[str, Any]]

    def test_up_deploys_both_configs(self, program: Driver, emulator: RunningEmulator) -> None:
        type(self).seen = {}
        emulator.clear_requests()
        outputs = program.up()
        assert writes(emulator) == {"POST": 2, "PATCH": 2}, summarize(emulator.api_requests())

        resources = phone_resources(program)
        assert set(resources) == {"supportTrunk", "genesysAudioConnector"}, list(resources)
        trunk_id, genesys_id = resources["supportTrunk"]["id"], resources["genesysAudioConnector"]["id"]
        self.seen.update(trunk_id=trunk_id, genesys_id=genesys_id)
        trunk = get_config(emulator, trunk_id)
        assert trunk is not None and trunk["name"] == "Support SIP trunk"
        routed = {n["phone_number"]: (n["agent_id"], n["environment_id"]) for n in trunk["phone_numbers"]}
        assert routed == {SUPPORT: agent_ids(emulator, "customer-care"), BILLING: agent_ids(emulator, "billing")}
        assert trunk["security"]["username"] == "support-trunk"
        assert trunk["error_handling"]["transfer_failure"]["reply_message"].startswith("Sorry, nobody")
        genesys = get_config(emulator, genesys_id)
        assert genesys is not None and genesys["service_provider"] == "genesys_audio_connector"
        attached = {(a["agent_id"], a["environment_id"]) for a in genesys["attached_environments"]}
        assert attached == {agent_ids(emulator, "customer-care"), agent_ids(emulator, "billing")}

        assert outputs["supportTrunkId"] == trunk_id and outputs["genesysId"] == genesys_id, outputs
        assert outputs["sipUri"].startswith("sips:") and trunk["tenant_id"] in outputs["sipUri"], outputs

    def test_preview_after_up_is_clean(self, program: Driver, emulator: RunningEmulator) -> None:
        emulator.clear_requests()
        program.preview_clean()
        assert emulator.api_requests() == [], summarize(emulator.api_requests())  # only agents are read

    def test_one_changed_number_is_one_patch(self, program: Driver, emulator: RunningEmulator) -> None:
        program.set_config("billingDescription", CHANGED_DESCRIPTION)
        if program.reads_plans:
            emulator.clear_requests()
            changed = program.changed_paths()
            assert list(changed) == ["supportTrunk"] and len(changed["supportTrunk"]) == 1, changed
            assert changed["supportTrunk"][0].startswith("phoneNumbers"), changed
            assert emulator.api_requests() == [], "a preview writes nothing"

        emulator.clear_requests()
        program.up()
        patches = emulator.api_requests("PATCH")
        assert writes(emulator) == {"PATCH": 1}, summarize(emulator.api_requests())
        assert self.seen["trunk_id"] in patches[0]["path"]
        trunk = get_config(emulator, self.seen["trunk_id"])
        assert trunk is not None
        descriptions = {n["phone_number"]: n.get("description") for n in trunk["phone_numbers"]}
        assert descriptions == {SUPPORT: "Support hotline", BILLING: CHANGED_DESCRIPTION}
        program.preview_clean()

    def test_destroy_removes_both_configs(self, program: Driver, emulator: RunningEmulator) -> None:
        emulator.clear_requests()
        program.destroy()
        assert writes(emulator) == {"DELETE": 2}, summarize(emulator.api_requests())
        assert get_config(emulator, self.seen["trunk_id"]) is None
        assert get_config(emulator, self.seen["genesys_id"]) is None
        assert phone_resources(program) == {}

    def test_no_secret_in_any_state_file_or_output(
        self, program: Driver, emulator: RunningEmulator, credentials: Credentials
    ) -> None:
        found = scan_for_secrets(
            credentials.labelled(emulator),
            {"printed output": program.text(),
             "backend (checkpoints, backups, history)": read_tree(program.base / "state"),
             "project (program, stack config)": read_tree_skipping(program.directory, "node_modules")},
        )  # fmt: skip
        assert not found, found


def read_tree_skipping(root: Path, skipped: str) -> str:
    """`read_tree` of `root` without the directory (or link) `skipped` at its top."""
    return "\n".join(read_tree(child) if child.is_dir() else read_tree_file(child)
                     for child in sorted(root.iterdir()) if child.name != skipped)  # fmt: skip


def read_tree_file(path: Path) -> str:
    return f"== {path}\n{path.read_text(errors='replace')}"


def typescript_node_modules() -> Path:
    """examples/typescript's node_modules, installed into the per-user cache once (scripts/typescript-deps.sh)."""
    started = time.monotonic()
    done = subprocess.run(
        [str(REPO / "scripts" / "typescript-deps.sh")], cwd=REPO, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"scripts/typescript-deps.sh exited {done.returncode}:\n{done.stderr}"
    print(f"\nexamples/typescript dependencies ready in {time.monotonic() - started:.1f} s {done.stderr.strip()}")
    return Path(done.stdout.strip())


def copy_example(example: str, base: Path) -> Path:
    """examples/<example> copied to `base/repo/examples/<example>`, keeping its place relative to sdk/."""
    target = base / "repo" / "examples" / example
    shutil.copytree(REPO / "examples" / example, target, ignore=shutil.ignore_patterns("node_modules", ".workspace"))
    return target
