"""The every-resource examples, one per language, compiled where the language has it and previewed against the
emulator, so the examples the docs point at cannot rot.

Each program declares getAgent (twice), two PhoneConfigs, a PhoneNumber and an AgentAttachment:
examples/yaml/every-resource, examples/typescript/every-resource (type-checked by the `npm run build` of
examples/typescript, whose tsconfig lists it), examples/python-native/every-resource, examples/python-dynamic and
examples/go (`-program every-resource`, built with `go build`). One `pulumi preview` each (the Go program's
`plan`): it must plan the four resources, look the agents up, and write nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, path_without_plugin, plugin_dir, provider_settings
from .helpers import REPO, cli_env, summarize, venv
from .sdk_programs import Credentials, copy_example, require_tools, timed_run, typescript_node_modules

pytestmark = [pytest.mark.e2e]

#: What each program declares, by resource type name (the stack itself aside).
PLANNED = Counter({"PhoneConfig": 2, "PhoneNumber": 1, "AgentAttachment": 1})


def type_name(urn: str) -> str:
    """`PhoneConfig` of a URN's type, native (`phonecfg:index:PhoneConfig`) or dynamic (`...:dynamic/phonecfg:...`)."""
    return re.split(r"[:/]", urn.split("::")[-2])[-1]


def assert_looked_up_and_wrote_nothing(emulator: RunningEmulator) -> None:
    assert emulator.agent_requests(), "getAgent was not called"
    assert [r for r in emulator.requests() if r["method"] != "GET"] == [], summarize(emulator.requests())


def preview_project(directory: Path, e2e_dir: Path, emulator: RunningEmulator, language: str) -> None:
    """Stack config for `emulator`, then `pulumi preview --json`: the plan must create exactly PLANNED."""
    project = CliProject(directory, e2e_dir, f"e2e-{language}")
    plain, secret = provider_settings(emulator)
    project.init(plain, {**secret, **Credentials(language).config()})
    emulator.clear_requests()
    plan = project.preview_json()
    created = Counter(type_name(s["urn"]) for s in plan["steps"] if s["op"] == "create")
    created.pop("Stack", None)
    assert created == PLANNED, [(s["op"], s["urn"].split("::", 2)[-1]) for s in plan["steps"]]
    assert_looked_up_and_wrote_nothing(emulator)


def prepare_yaml(e2e_dir: Path) -> Path:
    return copy_example("yaml", e2e_dir) / "every-resource"


def prepare_typescript(e2e_dir: Path) -> Path:
    require_tools("node", "npm")
    directory = copy_example("typescript", e2e_dir)
    (directory / "node_modules").symlink_to(typescript_node_modules())
    compiled = timed_run(["npm", "run", "build"], directory)  # tsc: index.ts and every-resource/index.ts
    print(f"\ntsc of examples/typescript (both programs): {compiled:.1f} s")
    return directory / "every-resource"


def prepare_python(directory: Path) -> Path:
    compile((directory / "__main__.py").read_text(), str(directory / "__main__.py"), "exec")
    return directory


def prepare_python_native(e2e_dir: Path) -> Path:
    require_tools(python_module="pulumi_phonecfg_native")
    return prepare_python(copy_example("python-native", e2e_dir) / "every-resource")


def prepare_python_dynamic(e2e_dir: Path) -> Path:
    directory = prepare_python(copy_example("python-dynamic", e2e_dir))
    (directory / "venv").symlink_to(venv(), target_is_directory=True)
    return directory


PREPARE = {
    "yaml": prepare_yaml,
    "typescript": prepare_typescript,
    "python-native": prepare_python_native,
    "python-dynamic": prepare_python_dynamic,
}


@pytest.mark.parametrize("language", list(PREPARE))
def test_every_resource_program_previews(
    language: str, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    preview_project(PREPARE[language](e2e_dir), e2e_dir, emulator, language)


def test_every_resource_go_program_builds_and_previews(
    pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    require_tools("go")
    binary = e2e_dir / "phonecfg-go"
    # test_sdk_go.py's build flags: the same binary, from the Go build cache when that test ran first.
    build = ["go", "build", "-mod=readonly", "-trimpath", "-tags", "osusergo,grpcnotrace", "-o", str(binary), "."]
    built = timed_run(build, REPO / "examples" / "go", {**os.environ, "CGO_ENABLED": "0"})
    print(f"\ngo build of examples/go: {built:.1f} s")
    credentials = Credentials("go")
    env = {
        **cli_env(e2e_dir),
        "PATH": os.pathsep.join([str(plugin_dir()), path_without_plugin()]),
        "PHONECFG_URL": emulator.instance_url,
        "PHONECFG_TOKEN": emulator.token,
        "SIP_PASSWORD": credentials.sip_password,
        "GENESYS_API_KEY": credentials.api_key,
        "GENESYS_CLIENT_SECRET": credentials.client_secret,
    }
    emulator.clear_requests()
    command = [str(binary), "-program", "every-resource", "-stack", "e2e", "-workdir", str(e2e_dir / "go"), "plan"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    # The Automation API's summary counts operations, not types: the stack and the four resources.
    assert done.stdout.split() == [f"create={PLANNED.total() + 1}"], done.stdout
    assert_looked_up_and_wrote_nothing(emulator)
