"""An on-disk Pulumi project driven through the `pulumi` command itself, as a user types it (YAML programs).

The Automation API hides what these tests look at: `pulumi preview --json` (each step's `detailedDiff`),
`pulumi import` and the warnings the CLI prints about how it found a plugin. Every command's output is kept in
`lines` for the secret scans.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import PULUMI_ROOT, cli_env, venv

NATIVE_TYPE = "phonecfg:index:PhoneConfig"
PLUGIN = "pulumi-resource-phonecfg"


def plugin_dir() -> Path:
    """The directory holding the `pulumi-resource-phonecfg` console script (the test virtualenv's bin)."""
    return venv() / "bin"


def path_without_plugin() -> str:
    """This process's PATH minus every directory holding the plugin, the CLI's directory first."""
    kept = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / PLUGIN).exists()]
    return os.pathsep.join([str(PULUMI_ROOT / "bin"), *kept])


class CliProject:
    """`pulumi <args>` in `directory` with the Makefile's environment, its own PULUMI_HOME/backend under `base`."""

    def __init__(self, directory: Path, base: Path, stack: str, *, plugin_on_path: bool = True) -> None:
        self.directory = directory
        self.stack = stack
        path = path_without_plugin()
        if plugin_on_path:  # how a user with the package's virtualenv active runs it
            path = os.pathsep.join([str(PULUMI_ROOT / "bin"), str(plugin_dir()), path])
        self.env = {**cli_env(base), "PATH": path}
        self.lines: list[str] = []

    def run(self, *args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """`pulumi <args> --stack <stack>`; fails the test (with the output) on a non-zero exit when `check`."""
        command = ["pulumi", *args]
        if args[0] not in ("stack", "plugin"):
            at = command.index("--") if "--" in command else len(command)  # flags go before `--`
            command[at:at] = ["--stack", self.stack]
        done = subprocess.run(
            command, cwd=self.directory, env=self.env, input=stdin, capture_output=True, text=True, timeout=600
        )
        self.lines += [f"$ {' '.join(command)}", done.stdout, done.stderr]
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def init(self, config: dict[str, str], secrets: dict[str, str]) -> None:
        """`pulumi stack init` with passphrase secrets, then the config; secrets go in on stdin, never in argv."""
        self.run("stack", "init", "--secrets-provider", "passphrase", self.stack)
        for key, value in config.items():
            self.run("config", "set", key, "--", value)
        for key, value in secrets.items():
            self.run("config", "set", "--secret", key, stdin=value)

    def preview_json(self) -> dict[str, Any]:
        """`pulumi preview --json`: the plan, with each step's `detailedDiff`."""
        done = self.run("preview", "--json")
        plan: dict[str, Any] = json.loads(done.stdout)
        return plan

    def steps(
        self, plan: dict[str, Any], op: str | None = None, resource_type: str = NATIVE_TYPE
    ) -> dict[str, dict[str, Any]]:
        """The plan's steps of `resource_type` (PhoneConfig) by resource name (only those of kind `op` when given)."""
        return {
            step["urn"].rsplit("::", 1)[-1]: step
            for step in plan.get("steps", [])
            if step["urn"].split("::")[-2] == resource_type and (op is None or step["op"] == op)
        }

    def export(self) -> dict[str, Any]:
        """`pulumi stack export` (secrets stay encrypted, as the state file holds them)."""
        exported: dict[str, Any] = json.loads(self.run("stack", "export", "--stack", self.stack).stdout)
        return exported

    def phone_resources(self, resource_type: str = NATIVE_TYPE) -> dict[str, dict[str, Any]]:
        """Resources of `resource_type` (PhoneConfig) in the state, by resource name."""
        resources = self.export()["deployment"].get("resources", [])
        return {r["urn"].rsplit("::", 1)[-1]: r for r in resources if r.get("type") == resource_type}

    def program(self) -> dict[str, Any]:
        program: dict[str, Any] = yaml.safe_load((self.directory / "Pulumi.yaml").read_text())
        return program

    def write_program(self, program: dict[str, Any]) -> None:
        (self.directory / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))

    def text(self) -> str:
        return "\n".join(self.lines)


def provider_settings(emulator: RunningEmulator) -> tuple[dict[str, str], dict[str, str]]:
    """(plain, secret) stack config pointing the native provider at `emulator`'s instance URL."""
    return {"phonecfg:url": emulator.instance_url}, {"phonecfg:token": emulator.token}
