"""Writes `pre_move_state.json` and `pre_move_emulator.sql`: a stack deployed by the package as it was before it
had folders (commit 342fa25, whose providers lived in `pulumi_phonecfg/provider.py`), and the emulator's database
that matches it. `tests/e2e/test_pre_move_state.py` loads both and runs today's code on them.

Run once, by hand, against a checkout of that commit (not by the tests; the files are checked in):

    git worktree add --detach <elsewhere> 342fa25
    PYTHONPATH=<elsewhere> .venv/bin/python tests/e2e/data/make_pre_move_state.py tests/e2e/data

The secrets in it are fake, written in plaintext (`pulumi stack export --show-secrets`) so the test can import it
into a stack of any passphrase.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pulumi
from pulumi import automation as auto

import pulumi_phonecfg
from pulumi_phonecfg import PhoneConfig, PhoneNumber
from pulumi_phonecfg.emulator.testing import start_emulator

REPO = Path(__file__).resolve().parents[3]
SIP_PASSWORD = "fake-pre-move-sip-password"
GENESYS_API_KEY = "fake-pre-move-genesys-api-key"
GENESYS_CLIENT_SECRET = base64.b64encode(b"fake-pre-move-client-secret").decode()


def program() -> None:
    trunk = PhoneConfig(
        "trunk",
        name="Pre-move trunk",
        description="written before the package had folders",
        security={
            "secure_trunking": True,
            "authentication": True,
            "username": "pre-move-user",
            "password": pulumi.Output.secret(SIP_PASSWORD),
        },
        custom_invite_headers=[{"name": "X-Team"}],
    )
    PhoneNumber("front-desk", config_id=trunk.id, phone_number="+14155550123", description="front desk")
    PhoneConfig(
        "genesys",
        name="Pre-move Genesys",
        service_provider="genesys_audio_connector",
        security={
            "api_key": pulumi.Output.secret(GENESYS_API_KEY),
            "client_secret": pulumi.Output.secret(GENESYS_CLIENT_SECRET),
        },
    )


def main(out: Path) -> None:
    assert "/pulumi_phonecfg/provider.py" in pulumi_phonecfg.provider.__file__  # type: ignore[attr-defined]
    assert not (Path(pulumi_phonecfg.__file__).parent / "core").exists(), "run it on the pre-move package"
    work = Path(tempfile.mkdtemp(prefix="pre-move-"))
    env = {
        "PULUMI_HOME": str(work / "home"),
        "PULUMI_BACKEND_URL": f"file://{work / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "fake-pre-move-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
        "PYTHONPATH": os.environ["PYTHONPATH"],
    }
    (work / "state").mkdir()
    (work / "home").mkdir()
    command = auto.PulumiCommand(root=str(REPO / ".pulumi"))
    with start_emulator(db_path=work / "emulator.db") as emulator:
        stack = auto.create_stack(
            "pre-move",
            project_name="pre-move",
            program=program,
            opts=auto.LocalWorkspaceOptions(
                work_dir=str(work),
                env_vars=env,
                pulumi_command=command,
                secrets_provider="passphrase",
                project_settings=auto.ProjectSettings(name="pre-move", runtime="python"),
            ),
        )
        stack.set_config("phonecfg:url", auto.ConfigValue(emulator.url))
        stack.set_config("phonecfg:token", auto.ConfigValue(emulator.token, secret=True))
        result = stack.up(on_output=print)
        assert result.summary.result == "succeeded"
        exported = subprocess.run(
            [str(REPO / ".pulumi" / "bin" / "pulumi"), "stack", "export", "--show-secrets", "--stack", "pre-move"],
            cwd=work,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        url = emulator.url
    deployment = json.loads(exported)
    deployment["deployment"].pop("secrets_providers", None)  # the importing stack's own passphrase applies
    fixture = {"emulator_url": url, "commit": "342fa25", "deployment": deployment}
    (out / "pre_move_state.json").write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n")
    with sqlite3.connect(work / "emulator.db") as db:
        (out / "pre_move_emulator.sql").write_text("\n".join(db.iterdump()) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
