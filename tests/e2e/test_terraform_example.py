"""`examples/terraform` and `phonecfg export --language hcl`, through the real `tofu` CLI against the emulator.

The example as a user runs it (`tofu init`, plan, apply, a clean plan, destroy). Then the export round trip: a
tenant made out of band is exported to HCL (an `import {}` block per resource, credentials as ephemeral
variables), `tofu apply` imports every config with no POST and no DELETE (each config with a credential gets one
PATCH sending it, as the Pulumi faces' adoption does: the API never returns credentials), and the next plan is
clean. Once more with numbers and attachments as resources of their own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import REPO

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .helpers import get_config, list_configs, scan_for_secrets
from .test_export_roundtrip import GENESYS_API_KEY, GENESYS_CLIENT_SECRET, SERVER_WRITTEN, SIP_PASSWORD, make_tenant
from .tofu import TofuDir, require_tofu

pytestmark = [pytest.mark.e2e]

EXAMPLE = REPO / "examples" / "terraform"
EXAMPLE_SECRETS = {
    "TF_VAR_sip_password": "example-fake-sip-password",
    "TF_VAR_genesys_api_key": "example-fake-genesys-key",
    "TF_VAR_genesys_client_secret": "ZXhhbXBsZS1mYWtlLXNlY3JldA==",
}


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[RunningEmulator]:
    require_tofu()
    with start_emulator(token="tofu-example-emulator-token-not-secret") as running:
        yield running


def writes(emulator: RunningEmulator) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in emulator.api_requests() if e["method"] != "GET"]


def test_the_example_applies_plans_clean_and_destroys(phone: RunningEmulator, tmp_path: Path) -> None:
    work = TofuDir(tmp_path / "example", phone, env_extra=dict(EXAMPLE_SECRETS))
    for source in EXAMPLE.glob("*.tf"):
        shutil.copy(source, work.root / source.name)
    work.run("init")
    plan = work.plan_exit()
    assert plan.returncode == 2 and "Plan: 5 to add, 0 to change, 0 to destroy." in plan.output, plan.output
    assert phone.api_requests("POST") == []
    work.apply()
    assert sorted(c["name"] for c in list_configs(phone)) == [
        "Genesys Audio Connector",
        "Shared SIP trunk",
        "Support SIP trunk",
    ]
    outputs = work.run("output").output
    assert "sip_uri" in outputs and "billing_connector_id" in outputs
    phone.clear_requests()
    assert work.plan_exit().returncode == 0
    assert writes(phone) == []
    work.run("destroy", "-auto-approve")
    assert list_configs(phone) == []
    assert scan_for_secrets({k: v for k, v in EXAMPLE_SECRETS.items()}, work.everything_written()) == []


def export(phone: RunningEmulator, out: Path, *args: str) -> str:
    env = {**os.environ, "PHONECFG_URL": phone.url, "PHONECFG_TOKEN": phone.token}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "phonecfg"), "export", "--all", "--language", "hcl", *args, "--out", out],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def credential_variables(main_tf: str) -> dict[str, str]:
    """TF_VAR_<name> for each credential variable the export declared, by what it holds."""
    values = {"password": SIP_PASSWORD, "api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET}
    found = {}
    for name in re.findall(r'^variable "(\w+)"', main_tf, flags=re.MULTILINE):
        kind = next(kind for kind in values if name.endswith(kind))
        found[f"TF_VAR_{name}"] = values[kind]
    return found


@pytest.mark.parametrize(
    "flags",
    [(), ("--numbers-as-resources", "--attachments-as-resources")],
    ids=["inline-lists", "members-as-resources"],
)
def test_export_round_trip_imports_everything_then_plans_clean(
    phone: RunningEmulator, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    make_tenant(phone)
    before = {c["id"]: c for c in list_configs(phone)}
    out = tmp_path / "exported"
    said = export(phone, out, *flags)
    main_tf = (out / "main.tf").read_text()
    imports = main_tf.count("import {")
    assert imports == len(before) + (4 + 2 if flags else 0), main_tf  # 4 numbers and 2 attachments in the tenant
    variables = credential_variables(main_tf)
    assert len(variables) == 3, main_tf  # the SIP password, the Genesys API key and client secret
    work = TofuDir(out, phone, env_extra=variables)
    work.run("init")
    phone.clear_requests()
    plan = work.plan_exit()
    assert plan.returncode == 2, plan.output
    assert f"Plan: {imports} to import, 0 to add" in plan.output and "0 to destroy" in plan.output, plan.output
    work.apply()
    sent = writes(phone)
    assert [w for w in sent if w[0] in ("POST", "DELETE")] == [], sent
    # The credentials, sent once (the API never returns them): one PATCH of `security` per config holding one.
    patches = [e for e in phone.api_requests("PATCH")]
    assert all(set(e["body"]) == {"security"} for e in patches), [e["body"] for e in patches]
    assert len(patches) == 2
    assert sorted(c["id"] for c in list_configs(phone)) == sorted(before)
    for config_id, was in before.items():
        now = get_config(phone, config_id)
        assert now is not None
        assert {k: v for k, v in now.items() if k not in SERVER_WRITTEN} == {
            k: v for k, v in was.items() if k not in SERVER_WRITTEN
        }
    phone.clear_requests()
    assert work.plan_exit().returncode == 0
    assert writes(phone) == []
    secrets = {**{name: value for name, value in variables.items()}, "emulator token": phone.token}
    assert scan_for_secrets(secrets, {**work.everything_written(), "export output": said}) == []
