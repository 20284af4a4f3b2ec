"""Build every artifact (scripts/dist.py), install each into a fresh project of its language, deploy with it.

Run through make (`make wheel-check`), which provides the offline Pulumi environment. Catches what the editable
installs of the tests cannot: a module or package-data file missing from the wheel, a dependency the code needs
but the wheel does not declare, the emulator's web stack leaking back into the provider's dependencies, an npm
package that does not install as published (a compile-on-install script, a second TypeScript).

Steps: the artifacts of `make dist` into a temporary directory; every module of the source tree in the wheel;
`pip install` of the wheel and the Python SDK's wheel into a new venv (no editable install, no dev extras); in
that venv, fastapi and uvicorn absent and `phonecfg emulator` answering with its one-line hint; the native plugin
`pulumi-resource-phonecfg` serving (its port printed); `npm install` of the npm tarball (and @pulumi/pulumi from
the registry) into a fresh TypeScript project: no install script, one TypeScript, tsc clean. Then, against an
emulator process, three programs, each a PhoneConfig with a secret: Python on the dynamic provider, Python on
the native SDK, TypeScript on the npm package (both native ones through the plugin from the venv, on PATH as an
activated venv puts it): `pulumi preview`, `pulumi up`, `pulumi preview --expect-no-changes`, `pulumi destroy`,
and no secret in the state; and an OpenTofu configuration through the wheel's `terraform-provider-phonecfg`
(plan, apply, a clean plan, destroy). Prints each step and its duration; exits non-zero at the first failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dist import REPO, build_all

# The emulator runs from the development install (`make` runs this script with .venv's python), not the wheel.
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

FAKE_PASSWORD = "fake-sip-password-wheel-check"
NUMBER = "+14155550199"
# examples/typescript pins the versions a TypeScript user of the package runs with (@pulumi/pulumi, the compiler).
TYPESCRIPT_EXAMPLE = json.loads((REPO / "examples" / "typescript" / "package.json").read_text())

DYNAMIC_PROGRAM = f"""\
import pulumi
from pulumi_phonecfg import PhoneConfig, PhoneNumberArgs, SecurityArgs

trunk = PhoneConfig(
    "trunk",
    name="Wheel check dynamic",
    security=SecurityArgs(authentication=True, username="wheel", password=pulumi.Config().require_secret("pw")),
    phone_numbers=[PhoneNumberArgs(phone_number="{NUMBER}")],
)
pulumi.export("config_id", trunk.id)
"""
NATIVE_PYTHON_PROGRAM = f"""\
import pulumi
import pulumi_phonecfg_native as phonecfg

trunk = phonecfg.PhoneConfig(
    "trunk",
    name="Wheel check native Python",
    security=phonecfg.SecurityArgs(
        authentication=True, username="wheel", password=pulumi.Config().require_secret("pw")
    ),
    phone_numbers=[phonecfg.PhoneNumberArgs(phone_number="{NUMBER}")],
)
pulumi.export("config_id", trunk.id)
"""
TYPESCRIPT_PROGRAM = f"""\
import * as pulumi from "@pulumi/pulumi";
import * as phonecfg from "pulumi-phonecfg";

const trunk = new phonecfg.PhoneConfig("trunk", {{
    name: "Wheel check TypeScript",
    security: {{ authentication: true, username: "wheel", password: new pulumi.Config().requireSecret("pw") }},
    phoneNumbers: [{{ phoneNumber: "{NUMBER}" }}],
}});
export const configId = trunk.id;
"""
TYPESCRIPT_CONFIG = {
    "compilerOptions": {"strict": True, "target": "ES2022", "module": "commonjs", "moduleResolution": "node",
                        "esModuleInterop": True, "skipLibCheck": True, "noEmit": True},
    "files": ["index.ts"],
}  # fmt: skip


@dataclass(frozen=True)
class Program:
    """A fresh Pulumi project of one language, and the config name it deploys."""

    label: str
    directory: Path
    config_name: str


def say(message: str) -> None:
    print(f"[wheel-check] {message}", flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.monotonic()
    say(f"{name} ...")
    yield
    say(f"{name}: ok ({time.monotonic() - started:.1f} s)")


def run(command: Sequence[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command], env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"[wheel-check] failed: {' '.join(str(c) for c in command)} (exit {result.returncode})")
    return result.stdout


def check_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packaged = set(archive.namelist())
    sources = {p.relative_to(REPO).as_posix() for p in (REPO / "pulumi_phonecfg").rglob("*.py")}
    missing = sorted(sources - packaged) + [f for f in ("pulumi_phonecfg/py.typed",) if f not in packaged]
    if missing:
        raise SystemExit(f"[wheel-check] the wheel lacks {', '.join(missing)}")
    say(f"the wheel holds all {len(sources)} modules and py.typed")


def check_lean_venv(venv: Path, env: dict[str, str]) -> None:
    run(
        [
            venv / "bin" / "python",
            "-c",
            "import importlib.util as u, sys; "
            "leaked = [m for m in ('fastapi', 'uvicorn') if u.find_spec(m)]; "
            "sys.exit(f'the wheel pulled in {leaked}: they belong to the emulator extra' if leaked else 0)",
        ],
        env=env,
    )
    hint = subprocess.run([venv / "bin" / "phonecfg", "emulator"], capture_output=True, text=True, env=env)
    if hint.returncode != 2 or "pulumi_phonecfg[emulator]" not in hint.stderr or hint.stderr.count("\n") != 1:
        raise SystemExit(f"[wheel-check] `phonecfg emulator` without the extra said: {hint.stderr!r}")
    say("lean: no fastapi/uvicorn; `phonecfg emulator` says how to install them")
    with step("the native plugin starts from the wheel"):
        plugin = subprocess.Popen(
            [venv / "bin" / "pulumi-resource-phonecfg"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert plugin.stdout is not None
        port = plugin.stdout.readline().strip()
        plugin.terminate()
        _, stderr = plugin.communicate(timeout=10)
        if not port.isdigit():
            raise SystemExit(f"[wheel-check] pulumi-resource-phonecfg printed {port!r}, not its port: {stderr!r}")


def python_project(directory: Path, name: str, program: str, venv: Path) -> None:
    directory.mkdir()
    (directory / "__main__.py").write_text(program)
    (directory / "Pulumi.yaml").write_text(
        f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )


def typescript_project(directory: Path, npm_package: Path, env: dict[str, str]) -> None:
    """A TypeScript project as a user starts one: the example's pins, the tarball, `npm install`, tsc."""
    directory.mkdir()
    package = {
        "name": "wheel-check-typescript",
        "private": True,
        "main": "index.ts",
        "dependencies": {"@pulumi/pulumi": TYPESCRIPT_EXAMPLE["dependencies"]["@pulumi/pulumi"],
                         "pulumi-phonecfg": f"file:{npm_package}"},
        "devDependencies": TYPESCRIPT_EXAMPLE["devDependencies"],
    }  # fmt: skip
    (directory / "package.json").write_text(json.dumps(package, indent=4) + "\n")
    (directory / "tsconfig.json").write_text(json.dumps(TYPESCRIPT_CONFIG, indent=4) + "\n")
    (directory / "index.ts").write_text(TYPESCRIPT_PROGRAM)
    (directory / "Pulumi.yaml").write_text("name: wheel-check-typescript\nruntime: nodejs\n")
    with step("npm install of the npm package (and @pulumi/pulumi from the registry) into a TypeScript project"):
        run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
            env=env,
            cwd=directory,
        )
    modules = directory / "node_modules"
    installed = json.loads((modules / "pulumi-phonecfg" / "package.json").read_text())
    if "scripts" in installed or (modules / "pulumi-phonecfg" / "scripts").exists():
        raise SystemExit(f"[wheel-check] the npm package runs scripts on install: {installed.get('scripts')}")
    compilers = {
        str(json.loads(p.read_text())["version"]) for p in modules.glob("**/node_modules/typescript/package.json")
    } | {str(json.loads((modules / "typescript" / "package.json").read_text())["version"])}
    if len(compilers) != 1:
        raise SystemExit(
            f"[wheel-check] the TypeScript project holds {len(compilers)} TypeScripts: {sorted(compilers)}"
        )
    say(f"installed as published: no install script, one TypeScript ({compilers.pop()})")
    with step("tsc of the program against the package's declarations"):
        run([modules / ".bin" / "tsc", "-p", "tsconfig.json"], env=env, cwd=directory)


def deploy(program: Program, env: dict[str, str], emulator: RunningEmulator) -> None:
    """preview, up, a clean preview, destroy of `program` on a new stack; the emulator and the state checked."""
    stack = "wheel-check"

    def pulumi(*args: str) -> str:
        return run(["pulumi", *args, "--stack", stack, "--non-interactive"], env=env, cwd=program.directory)

    def names() -> list[str]:
        return [p["name"] for p in emulator.api().get("/v1/channels/phone").json()["phones"]]

    run(["pulumi", "stack", "init", stack, "--secrets-provider", "passphrase"], env=env, cwd=program.directory)
    pulumi("config", "set", "phonecfg:url", emulator.url)
    pulumi("config", "set", "--secret", "phonecfg:token", emulator.token)
    pulumi("config", "set", "--secret", "pw", FAKE_PASSWORD)
    with step(f"{program.label}: pulumi preview"):
        preview = pulumi("preview")
    if "+ 2 to create" not in preview:
        raise SystemExit(f"[wheel-check] {program.label}: unexpected preview:\n{preview}")
    with step(f"{program.label}: pulumi up"):
        pulumi("up", "--yes", "--skip-preview")
    if names() != [program.config_name]:
        raise SystemExit(f"[wheel-check] {program.label}: the emulator holds {names()}")
    with step(f"{program.label}: pulumi preview --expect-no-changes"):
        pulumi("preview", "--expect-no-changes")
    with step(f"{program.label}: pulumi destroy"):
        pulumi("destroy", "--yes", "--skip-preview")
    if names():
        raise SystemExit(f"[wheel-check] {program.label}: destroy left {names()} behind")
    state = run(["pulumi", "stack", "export", "--stack", stack], env=env, cwd=program.directory)
    if FAKE_PASSWORD in state or emulator.token in state:
        raise SystemExit(f"[wheel-check] {program.label}: a secret reached the exported state in plaintext")


TOFU_CONFIG = """terraform {
  required_providers {
    phonecfg = { source = "phonecfg/phonecfg" }
  }
}
variable "pw" {
  type      = string
  sensitive = true
  ephemeral = true
}
provider "phonecfg" {}
resource "phonecfg_phone_config" "trunk" {
  name     = "Wheel check OpenTofu"
  security = { authentication = true, username = "wheel", password = var.pw }
}
"""


def deploy_with_tofu(directory: Path, venv: Path, env: dict[str, str], emulator: RunningEmulator) -> None:
    """The wheel's `terraform-provider-phonecfg`, found by OpenTofu through dev_overrides: plan, apply, a clean
    plan, destroy; no credential in the state."""
    tofu = REPO / ".tofu" / "bin" / "tofu"
    directory.mkdir()
    (directory / "main.tf").write_text(TOFU_CONFIG)
    (directory / "tofurc").write_text(
        f'provider_installation {{\n  dev_overrides {{\n    "phonecfg/phonecfg" = "{venv / "bin"}"\n  }}\n'
        "  direct {}\n}\n"
    )
    tofu_env = env | {
        "TF_CLI_CONFIG_FILE": str(directory / "tofurc"),
        "TF_IN_AUTOMATION": "1",
        "PHONECFG_URL": emulator.url,
        "PHONECFG_TOKEN": emulator.token,
        "TF_VAR_pw": FAKE_PASSWORD,
    }

    def tofu_run(*args: str) -> str:
        return run([tofu, *args, "-no-color"], env=tofu_env, cwd=directory)

    with step("OpenTofu: plan, apply with the wheel's terraform-provider-phonecfg"):
        tofu_run("plan")
        tofu_run("apply", "-auto-approve")
    with step("OpenTofu: plan -detailed-exitcode (no changes)"):
        tofu_run("plan", "-detailed-exitcode")
    with step("OpenTofu: destroy"):
        tofu_run("destroy", "-auto-approve")
    if emulator.api().get("/v1/channels/phone").json()["phones"]:
        raise SystemExit("[wheel-check] OpenTofu: destroy left configs behind")
    if FAKE_PASSWORD in (directory / "terraform.tfstate").read_text():
        raise SystemExit("[wheel-check] OpenTofu: the password reached the state in plaintext")


def main() -> int:
    python = os.environ.get("PYTHON", "python3.11")
    # Nothing of the development setup may leak into the clean venv or the programs: no PYTHONPATH, no
    # interpreter override, no provider settings from the shell, no plugin from the development venv.
    dev_bin = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PULUMI_PYTHON_CMD", "PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("PHONECFG_")
    }
    with tempfile.TemporaryDirectory(prefix="phonecfg-wheel-check-") as temp:
        root = Path(temp)
        venv = root / "venv"
        env["PATH"] = os.pathsep.join(
            [str(venv / "bin"), *(d for d in env.get("PATH", "").split(os.pathsep) if d and d != dev_bin)]
        )

        with step("make dist: every artifact, into a temporary directory"):
            artifacts = build_all(root / "dist")
        check_wheel_contents(artifacts.wheel)

        with step("install the wheel and the Python SDK's wheel into a clean venv"):
            run([python, "-m", "venv", venv], env=env)
            pip: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
            run([*pip, artifacts.wheel, artifacts.python_sdk_wheel], env=env)
        check_lean_venv(venv, env)
        # The engine finds the plugin on PATH: it must be the clean venv's, never the development install's.
        found = shutil.which("pulumi-resource-phonecfg", path=env["PATH"])
        if found != str(venv / "bin" / "pulumi-resource-phonecfg"):
            raise SystemExit(f"[wheel-check] the programs would run the plugin at {found}, not the clean venv's")

        dynamic = Program("dynamic provider (Python)", root / "dynamic", "Wheel check dynamic")
        native_python = Program("native Python SDK", root / "native-python", "Wheel check native Python")
        typescript = Program("npm package (TypeScript)", root / "typescript", "Wheel check TypeScript")
        python_project(dynamic.directory, "wheel-check-dynamic", DYNAMIC_PROGRAM, venv)
        python_project(native_python.directory, "wheel-check-native-python", NATIVE_PYTHON_PROGRAM, venv)
        typescript_project(typescript.directory, artifacts.npm_package, env)

        (root / "state").mkdir()
        env |= {"PULUMI_HOME": str(root / "home"), "PULUMI_BACKEND_URL": f"file://{root / 'state'}"}
        with start_emulator(token=f"fake-wheel-check-token-{secrets.token_hex(8)}") as emulator:
            for program in (dynamic, native_python, typescript):
                deploy(program, env, emulator)
            deploy_with_tofu(root / "opentofu", venv, env, emulator)
    say("passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
