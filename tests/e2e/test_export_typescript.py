"""`phonecfg export --language typescript` round trip: the exported TypeScript project adopts the tenant, unchanged.

Real parts only: the `phonecfg` console script, npm installing the generated SDK `sdk/nodejs` of this repository
(packed, as a registry would serve it) and `@pulumi/pulumi` at the exported version, the `pulumi` command with the
Node.js language host (`make cli`), the native plugin `pulumi-resource-phonecfg` found on PATH, an emulator
process. Steps in order on one stack.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto
from support import in_ci

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip
from .helpers import PULUMI_ROOT, REPO

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

SDK = REPO / "sdk" / "nodejs"


@pytest.fixture(scope="module")
def native_nodejs(native_yaml: auto.PulumiCommand) -> auto.PulumiCommand:
    """The CLI and plugin (as for YAML) plus the Node.js host, npm and the generated SDK; missing: skip (CI: fail)."""
    missing = [what for what, ok in (
        ("pulumi-language-nodejs (make cli)", (PULUMI_ROOT / "bin" / "pulumi-language-nodejs").exists()),
        ("npm", shutil.which("npm") is not None),
        ("sdk/nodejs (make sdk)", (SDK / "package.json").exists()),
    ) if not ok]  # fmt: skip
    if missing:
        message = f"missing for the TypeScript export: {', '.join(missing)}"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return native_yaml


@pytest.fixture(scope="module")
def trip(native_nodejs: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[LanguageTrip]:
    yield LanguageTrip("typescript", emulator, e2e_dir)


def npm(*args: str, cwd: Path) -> str:
    done = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"npm {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_export_writes_a_typescript_project(trip: LanguageTrip) -> None:
    trip.export()
    assert sorted(p.name for p in trip.out.iterdir()) == [
        "Pulumi.roundtrip.yaml",
        "Pulumi.yaml",
        "index.ts",
        "package.json",
        "tsconfig.json",
    ]
    program = (trip.out / "index.ts").read_text()
    assert program.count("new phonecfg.PhoneConfig(") == 3 and program.count("    adoptExisting: true,\n") == 3
    assert program.count("phonecfg.getAgentOutput(") == 3


def test_npm_install_with_the_generated_sdk(trip: LanguageTrip) -> None:
    """The SDK as a registry would serve it (`npm pack`), then the project's own dependencies as exported."""
    packed = npm("pack", str(SDK), "--pack-destination", str(trip.base), "--json", cwd=trip.base)
    tarball = trip.base / json.loads(packed)[0]["filename"]
    exported = json.loads((trip.out / "package.json").read_text())
    npm("install", "--no-audit", "--no-fund", str(tarball), cwd=trip.out)
    npm("install", "--no-audit", "--no-fund", cwd=trip.out)
    installed = json.loads((trip.out / "node_modules" / "@pulumi" / "pulumi" / "package.json").read_text())
    assert installed["version"] == exported["dependencies"]["@pulumi/pulumi"]
    assert (trip.out / "node_modules" / "pulumi-phonecfg" / "bin" / "index.js").exists()


def test_the_program_type_checks_against_the_sdk(trip: LanguageTrip) -> None:
    npm("run", "build", cwd=trip.out)  # tsc with the exported tsconfig.json: strict
    assert (trip.out / "bin" / "index.js").exists()


def test_the_sdk_sends_no_sip_default_for_a_genesys_config(trip: LanguageTrip) -> None:
    """The generated SDK fills a schema `default` into every PhoneConfig it sends; a SIP-only field's default then
    reaches a Genesys config, which the provider refuses (`putCallerOnHoldOnTransfer ... applies only to
    sip_trunk configs`), so no Genesys config can be declared through the SDK at all."""
    compiled = "\n".join(
        (trip.out / "node_modules" / "pulumi-phonecfg" / "bin" / name).read_text()
        for name in ("phoneConfig.js", "types/input.js")
    )
    filled = sorted(set(re.findall(r"(\w+)\) \?\? (?:true|false)", compiled)))
    assert filled == [], (
        f"the generated SDK fills SIP-only defaults ({', '.join(filled)}) into every PhoneConfig, Genesys included: "
        "schema.json should not declare `default` on kind-specific fields (pulumi_phonecfg/native/schema.py, "
        "then `make schema sdk`)"
    )


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_unchanged(trip: LanguageTrip) -> None:
    trip.up_adopts()


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
