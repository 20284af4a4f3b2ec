"""examples/go through the real CLI: an Automation API program on the generated Go SDK (sdk/go), built with
`go build`, deploying through the native plugin: up, a clean preview, a one-number change, destroy
(sdk_programs.py). The program sets the stack config from its environment (credentials as secrets) and keeps
the stack settings in `-workdir`; the CLI and the plugin come from PATH.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import path_without_plugin, plugin_dir
from .helpers import REPO, cli_env
from .sdk_programs import Credentials, ProgramSteps, require_tools, timed_run

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


class GoDriver:
    """The built examples/go binary: `phonecfg-go -stack e2e -workdir <dir> [-config k=v]... up|preview|destroy`."""

    reads_plans = False  # the program prints progress, not the plan's JSON
    project = "phonecfg-go"
    stack = "e2e"

    def __init__(self, binary: Path, base: Path, emulator: RunningEmulator, credentials: Credentials) -> None:
        self.binary, self.base = binary, base
        self.directory = base / "go-workspace"
        self.config: dict[str, str] = {}
        self.lines: list[str] = []
        self.env = {
            **cli_env(base),
            "PATH": os.pathsep.join([str(plugin_dir()), path_without_plugin()]),
            "PHONECFG_URL": emulator.instance_url,
            "PHONECFG_TOKEN": emulator.token,
            "SIP_PASSWORD": credentials.sip_password,
            "GENESYS_API_KEY": credentials.api_key,
            "GENESYS_CLIENT_SECRET": credentials.client_secret,
        }

    def run(self, command: str, *, check: bool = True) -> str:
        args = [str(self.binary), "-stack", self.stack, "-workdir", str(self.directory)]
        for key, value in sorted(self.config.items()):
            args += ["-config", f"{key}={value}"]
        done = subprocess.run([*args, command], env=self.env, capture_output=True, text=True, timeout=600)
        self.lines += [f"$ phonecfg-go {command}", done.stdout, done.stderr]
        if check and done.returncode != 0:
            raise AssertionError(f"phonecfg-go {command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def up(self) -> dict[str, Any]:
        printed = self.run("up")
        return dict(line.split("=", 1) for line in printed.splitlines() if line.split("=", 1)[0] in OUTPUTS)

    def preview_clean(self) -> None:
        self.run("preview")  # the program previews with ExpectNoChanges: any change is an error

    def set_config(self, key: str, value: str) -> None:
        self.config[key] = value

    def changed_paths(self) -> dict[str, list[str]]:
        raise NotImplementedError("reads_plans is False")

    def destroy(self) -> None:
        self.run("destroy")

    def text(self) -> str:
        return "\n".join(self.lines)


OUTPUTS = ("supportTrunkId", "genesysId", "sipUri")


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    return Credentials("go")


@pytest.fixture(scope="module")
def program(
    pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path, credentials: Credentials
) -> Iterator[GoDriver]:
    require_tools("go")
    binary = e2e_dir / "phonecfg-go"
    env = {**os.environ, "CGO_ENABLED": "0"}
    # The CLI's build flags, so the Go build cache it left is reused for the packages both compile.
    build = ["go", "build", "-mod=readonly", "-trimpath", "-tags", "osusergo,grpcnotrace", "-o", str(binary), "."]
    built = timed_run(build, REPO / "examples" / "go", env)
    print(f"\ngo build of examples/go (the generated Go SDK and the Automation API): {built:.1f} s")
    driver = GoDriver(binary, e2e_dir, emulator, credentials)
    yield driver
    driver.run("destroy", check=False)  # a no-op unless a step failed


class TestGoProgram(ProgramSteps):
    """The scenario of sdk_programs.ProgramSteps on examples/go."""
