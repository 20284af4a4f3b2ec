"""examples/python-native through the real CLI: the generated Python SDK `pulumi_phonecfg_native` (sdk/python,
installed into the venv by `make venv`) on the native plugin, up, a clean preview, a one-number change, destroy
(sdk_programs.py). The Python language host runs the program with the venv's interpreter (PULUMI_PYTHON_CMD).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .sdk_programs import CliDriver, Credentials, ProgramSteps, copy_example, require_tools

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    return Credentials("python")


@pytest.fixture(scope="module")
def program(
    pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path, credentials: Credentials
) -> Iterator[CliDriver]:
    require_tools(python_module="pulumi_phonecfg_native")
    driver = CliDriver(copy_example("python-native", e2e_dir), e2e_dir, emulator, credentials)
    yield driver
    driver.cli.run("destroy", "--yes", "--skip-preview", check=False)  # a no-op unless a step failed


class TestPythonNativeProgram(ProgramSteps):
    """The scenario of sdk_programs.ProgramSteps on examples/python-native."""
