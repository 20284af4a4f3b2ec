"""How the CLI finds `pulumi-resource-phonecfg` for a YAML program, and a bad input refused before any request.

Each case is its own project, PULUMI_HOME and backend, previewing one SIP trunk (a preview of a create sends
nothing to the API). The three ways the guides give: the plugin on PATH (the package's virtualenv; the CLI warns),
`plugins: providers: path:` in Pulumi.yaml, and `pulumi plugin install resource phonecfg <version> --file`. With
none of them the CLI says the plugin is missing.
"""

from __future__ import annotations

import os
import shutil
import uuid
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import PLUGIN, CliProject, plugin_dir, provider_settings
from .helpers import summarize

pytestmark = [pytest.mark.e2e]

PATH_WARNING = f"using {PLUGIN} from $PATH"


def trunk_program(name: str, number: dict[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "runtime": "yaml",
        "resources": {
            "trunk": {
                "type": "phonecfg:index:PhoneConfig",
                "properties": {"name": "YAML plugin test trunk", "phoneNumbers": [number]},
            }
        },
    }


def new_project(base: Path, emulator: RunningEmulator, program: dict[str, Any], *, plugin_on_path: bool) -> CliProject:
    directory = base / "project"
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    project = CliProject(directory, base, "e2e", plugin_on_path=plugin_on_path)
    project.init(*provider_settings(emulator))
    return project


@pytest.mark.parametrize("way", ["path-env", "plugins-path", "plugin-install", "none"])
def test_how_the_cli_finds_the_plugin(
    way: str, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    base = e2e_dir / way
    program = trunk_program(f"phonecfg-yaml-{way}", {"phoneNumber": "+14155550170"})
    if way == "plugins-path":  # relative to the project directory, as a repository would commit it
        relative = os.path.relpath(plugin_dir(), base / "project")
        program["plugins"] = {"providers": [{"name": "phonecfg", "path": relative}]}
    project = new_project(base, emulator, program, plugin_on_path=way == "path-env")
    if way == "plugin-install":
        alone = base / "plugin"  # `--file DIR` copies the whole directory: only the executable goes in it
        alone.mkdir()
        shutil.copy2(plugin_dir() / PLUGIN, alone / PLUGIN)
        project.run("plugin", "install", "resource", "phonecfg", version("pulumi_phonecfg"), "--file", str(alone))
        listed = project.run("plugin", "ls").stdout
        assert "phonecfg" in listed and version("pulumi_phonecfg") in listed, listed

    emulator.clear_requests()
    preview = project.run("preview", check=way != "none")
    printed = preview.stdout + preview.stderr
    if way == "none":
        assert preview.returncode != 0
        assert f"no resource plugin '{PLUGIN}' found" in printed, printed
    else:
        assert "+ " in preview.stdout and "phonecfg:index:PhoneConfig" in preview.stdout, printed
        assert (PATH_WARNING in printed) == (way == "path-env"), printed
    assert emulator.requests() == [], summarize(emulator.requests())


def test_bad_input_names_the_camel_case_field_and_sends_nothing(
    native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    number = {"phoneNumber": "+14155550171", "agentId": "not-a-uuid", "environmentId": str(uuid.uuid4())}
    program = trunk_program("phonecfg-yaml-bad-input", number)
    project = new_project(e2e_dir / "bad-input", emulator, program, plugin_on_path=True)
    emulator.clear_requests()
    for command in (("preview",), ("up", "--yes", "--skip-preview")):
        done = project.run(*command, check=False)
        printed = done.stdout + done.stderr
        assert done.returncode != 0, printed
        assert "phoneNumbers[0].agentId" in printed, printed
        assert "phone_numbers" not in printed and "agent_id" not in printed, printed  # the program's spelling
    assert emulator.requests() == [], summarize(emulator.requests())
    assert project.phone_resources() == {}
