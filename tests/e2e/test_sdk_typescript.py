"""examples/typescript through the real CLI: the generated npm package `pulumi-phonecfg` (sdk/nodejs) installed
from this repository, compiled, then up, a clean preview, a one-number change, destroy (sdk_programs.py).

Dependencies: `scripts/typescript-deps.sh` runs `npm ci` of the example (the SDK installed from sdk/nodejs and
compiled by its postinstall) into the per-user cache once per content of package.json, package-lock.json and
sdk/nodejs, and the copy of the example links its node_modules there. `npm run build` (tsc) then type-checks the
program against the SDK's declarations; the Node.js language host (`make cli`) runs it with ts-node.
"""

from __future__ import annotations

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
