"""examples/typescript through the real CLI: the generated npm package `pulumi-phonecfg` (sdk/nodejs) installed
from this repository, compiled, then up, a clean preview, a one-number change, destroy (sdk_programs.py).

Dependencies: `scripts/typescript-deps.sh` runs `npm ci` of the example (the SDK installed from sdk/nodejs and
compiled by its postinstall) into the per-user cache once per content of package.json, package-lock.json and
sdk/nodejs, and the copy of the example links its node_modules there. `npm run build` (tsc) then type-checks the
program against the SDK's declarations; the Node.js language host (`make cli`) runs it with ts-node. Last, tsc
refuses a program that misspells a field: the args are typed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .sdk_programs import (
    CliDriver,
    Credentials,
    ProgramSteps,
    copy_example,
    require_tools,
    timed_run,
    typescript_node_modules,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    return Credentials("typescript")


@pytest.fixture(scope="module")
def program(
    pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path, credentials: Credentials
) -> Iterator[CliDriver]:
    require_tools("node", "npm")
    directory = copy_example("typescript", e2e_dir)
    (directory / "node_modules").symlink_to(typescript_node_modules())
    compiled = timed_run(["npm", "run", "build"], directory)
    print(f"\ntsc of examples/typescript against the SDK: {compiled:.1f} s")
    driver = CliDriver(directory, e2e_dir, emulator, credentials)
    yield driver
    driver.cli.run("destroy", "--yes", "--skip-preview", check=False)  # a no-op unless a step failed


class TestTypeScriptProgram(ProgramSteps):
    """The scenario of sdk_programs.ProgramSteps on examples/typescript."""


def test_typed_args_refuse_a_misspelled_field(program: CliDriver) -> None:
    """The SDK's args are typed: tsc refuses `phoneNumber` where `PhoneConfigArgs` has `phoneNumbers`."""
    directory = program.directory
    (directory / "misspelled.ts").write_text(
        'import * as phonecfg from "pulumi-phonecfg";\n'
        'new phonecfg.PhoneConfig("t", { name: "t", phoneNumber: [{ phoneNumber: "+14155550100" }] });\n'
    )
    (directory / "tsconfig.misspelled.json").write_text('{"extends": "./tsconfig.json", "files": ["misspelled.ts"]}\n')
    done = subprocess.run(
        ["npx", "tsc", "-p", "tsconfig.misspelled.json"], cwd=directory, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0, done.stdout
    assert "'phoneNumber' does not exist in type 'PhoneConfigArgs'" in done.stdout, done.stdout
