"""Every whole program written inline in README.md and docs/ (the quickstarts: Python on the dynamic provider and
Pulumi YAML on the native plugin) is extracted, written into a fresh project and previewed against the emulator:
the plan must create exactly the resources the block declares, look the agent up and write nothing. Which blocks
these are, and that no other program block is left unrun, is tests/e2e/doc_blocks.py.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .doc_blocks import Block, runnable_blocks
from .helpers import venv
from .sdk_programs import Credentials
from .test_every_resource import assert_looked_up_and_wrote_nothing, type_name

pytestmark = [pytest.mark.e2e]

#: The Pulumi.yaml of a Python block's project: the dynamic provider from the repository's virtualenv.
PYTHON_PROJECT = "name: doc-snippet\nruntime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n"


def write_project(block: Block, directory: Path) -> Path:
    directory.mkdir()
    if block.runnable() == "python":
        (directory / "Pulumi.yaml").write_text(PYTHON_PROJECT)
        (directory / "__main__.py").write_text(block.text)
        (directory / "venv").symlink_to(venv(), target_is_directory=True)
    else:
        (directory / "Pulumi.yaml").write_text(block.text)
    return directory


@pytest.mark.parametrize("block", runnable_blocks(), ids=lambda block: block.id)
def test_doc_program_previews(
    block: Block, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    name = re.sub(r"[^A-Za-z0-9-]", "-", block.id)  # one backend for the module: each block its own stack
    project = CliProject(write_project(block, e2e_dir / name), e2e_dir, name)
    plain, secret = provider_settings(emulator)
    project.init(plain, {**secret, **Credentials("doc").config()})
    emulator.clear_requests()
    plan = project.preview_json()
    created = Counter(type_name(s["urn"]) for s in plan["steps"] if s["op"] == "create")
    created.pop("Stack", None)
    assert block.declared(), "the block declares no phonecfg resource"
    assert created == block.declared(), [(s["op"], s["urn"].split("::", 2)[-1]) for s in plan["steps"]]
    assert_looked_up_and_wrote_nothing(emulator)
