"""IBM's ADK in its own cached virtualenv (scripts/adk-venv.sh), and a run of adk_driver.py (beside this) in it.

Without the venv (no network on the first run) the conformance tests skip locally and *fail* when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from support import in_ci

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("adk_driver.py")

# Obviously fake credentials; the tests scan everything the ADK printed and the emulator logged for them.
API_KEY = "fake-adk-conformance-api-key"
SIP_USERNAME = "fake-sip-user-1"
SIP_PASSWORD = "fake-sip-password-1"
GENESYS_API_KEY = "fake-genesys-api-key-1"
GENESYS_CLIENT_SECRET = "ZmFrZS1nZW5lc3lzLWNsaWVudC1zZWNyZXQtMQ=="  # base64("fake-genesys-client-secret-1")
SECRETS = (API_KEY, SIP_PASSWORD, GENESYS_API_KEY, GENESYS_CLIENT_SECRET)

LOCAL_INSTANCE = "adk-local-instance"
SUBSCRIPTION = "adk-sub"
SAAS_INSTANCE = "adk-saas-instance"
# The ADK treats every http://127.0.0.1 URL as the local Developer Edition; another loopback address lets the
# same, unchanged client take its SaaS path.
SAAS_HOST = "127.0.0.2"


def skip_or_fail(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def adk_python() -> Path:
    """The ADK venv's python, built on first use (a few minutes, needs PyPI), then cached per user."""
    try:
        proc = subprocess.run(
            ["bash", str(ROOT / "scripts" / "adk-venv.sh")], capture_output=True, text=True, timeout=1500
        )
    except subprocess.TimeoutExpired:
        skip_or_fail("scripts/adk-venv.sh timed out")
    if proc.returncode != 0:
        tail = " | ".join(line[:200] for line in proc.stderr.strip().splitlines()[-3:])
        skip_or_fail(f"scripts/adk-venv.sh failed (exit {proc.returncode}): {tail}")
    python = Path(proc.stdout.strip().splitlines()[-1])
    if not python.exists():
        skip_or_fail(f"scripts/adk-venv.sh printed no usable python: {proc.stdout!r}")
    return python


@dataclass
class AdkRun:
    """One run of the driver: its results and what both emulators saw."""

    steps: dict[str, dict[str, Any]]
    adk_version: str
    report: str  # the driver's JSON report, as written
    output: str  # everything the ADK printed (stdout and stderr)
    local: RunningEmulator
    saas: RunningEmulator
    local_log: list[dict[str, Any]]
    saas_log: list[dict[str, Any]]

    def value(self, step: str) -> Any:
        result = self.steps[step]
        assert result["ok"], f"{step} failed: {result['error']}"
        return result["value"]

    def error(self, step: str) -> dict[str, Any]:
        result = self.steps[step]
        assert not result["ok"], f"{step} succeeded: {result['value']}"
        error: dict[str, Any] = result["error"]
        return error


def issue_token(emulator: RunningEmulator) -> str:
    """A real IAM-style JWT from the emulator (the ADK reads ``subscriptionId`` out of it)."""
    r = httpx.post(
        f"{emulator.url}/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": API_KEY},
        timeout=30,
    )
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


@pytest.fixture(scope="module")
def adk_run(adk_python: Path) -> Iterator[AdkRun]:
    with (
        start_emulator(
            api_keys=[API_KEY], extra_args=["--instance-id", LOCAL_INSTANCE, "--subscription-id", SUBSCRIPTION]
        ) as local,
        start_emulator(
            api_keys=[API_KEY],
            extra_args=["--host", SAAS_HOST, "--instance-id", SAAS_INSTANCE, "--max-configs", "1"],
        ) as saas,
    ):
        scenario = {
            "local_url": local.url,
            "token": issue_token(local),
            "saas_url": saas.instance_url,
            "saas_token": issue_token(saas),
            "sip_username": SIP_USERNAME,
            "sip_password": SIP_PASSWORD,
            "genesys_api_key": GENESYS_API_KEY,
            "genesys_client_secret": GENESYS_CLIENT_SECRET,
        }
        with tempfile.TemporaryDirectory(prefix="phonecfg-adk-home-") as home:
            # A fresh HOME: the ADK reads and writes ~/.config/orchestrate and ~/.cache; keep it off the user's.
            env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "PYTHONNOUSERSITE": "1", "LANG": "C.UTF-8"}
            # The ADK's own switch for channel commands against a local (loopback) instance: export/import.
            env["WXO_DEV_ONLY_ENABLE_LOCAL"] = "1"
            report_path = Path(home) / "report.json"
            proc = subprocess.run(
                [str(adk_python), str(DRIVER), str(report_path)],
                input=json.dumps(scenario),
                capture_output=True,
                text=True,
                timeout=300,
                env=env,
                cwd=home,
            )
            assert proc.returncode == 0, f"ADK driver failed (exit {proc.returncode}):\n{proc.stderr}"
            report_text = report_path.read_text(encoding="utf-8")
            report = json.loads(report_text)
        yield AdkRun(
            steps=report["steps"],
            adk_version=report["adk_version"],
            report=report_text,
            output=proc.stdout + proc.stderr,
            local=local,
            saas=saas,
            local_log=local.requests(),
            saas_log=saas.requests(),
        )
