"""`make promotion-demo` end to end: scripts/promotion-demo.sh on three emulator tenants, dev -> staging -> prod.

Once for the Python program (examples/promotion, dynamic provider) and once for the YAML one
(examples/yaml-promotion, native plugin from the test virtualenv on PATH, as `make promotion-demo-yaml` runs it).
Runs the script as `make` would (the offline Pulumi environment, but a temp PULUMI_HOME and work dir) and
checks what it claims: every stack deployed and passed `pulumi preview --expect-no-changes`, prod adopted the
hand-made trunk (no POST for it), each tenant got its own agent ids, the consumer read prod's outputs through a
StackReference. The request counts per stage are printed (`pytest -s`) for docs/guides/promotion.md.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from .helpers import REPO, cli_env, venv

pytestmark = [pytest.mark.e2e]


def counts_by_stage(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, int]]:
    return {(row["stack"], row["operation"]): row["requests"] for row in rows}


def leftover_emulator(work: Path) -> int:
    """The dev emulator of an earlier run that was killed before its clean-up: still serving, its directory kept."""
    work.mkdir(parents=True)
    (work / ".phonecfg-promotion-demo").touch()  # the script's mark on a directory it made
    command = [sys.executable, str(REPO / "scripts" / "demo_emulator.py"), "start", "--port", "0", "--detach"]
    started = subprocess.run(
        [*command, "--dir", str(work / "emulators" / "dev"), "--label", "promotion"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    pid: int = httpx.get(f"{started.stdout.strip()}/_emulator/identity", timeout=30).json()["pid"]
    return pid


def has_exited(pid: int) -> bool:
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], 0)[0])
    finally:
        os.close(pidfd)


@dataclass(frozen=True)
class Names:
    """How each program spells its outputs (Python: snake_case; YAML and the native schema: camelCase)."""

    sip_uri: str
    audio_connect_uri: str
    connectors: str
    agent_id: str
    connector_id: str
    agent_environment: str
    consumer_sip: str
    consumer_uri: str


NAMES = {
    "python": Names("sip_uri", "audio_connect_uri", "connectors", "agent_id", "connector_id", "agent_environment",
                    "carrier_sip_target", "genesys_audio_connect_uri"),
    "yaml": Names("sipUri", "audioConnectUri", "connectors", "agentId", "connectorId", "agentEnvironment",
                  "carrierSipTarget", "genesysAudioConnectUri"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["python", "yaml"])
def test_promotion_walkthrough(
    language: str, pulumi_command: auto.PulumiCommand, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    names = NAMES[language]
    work = tmp_path / "promotion"
    env = {**cli_env(tmp_path / "pulumi"), "PHONECFG_PROMOTION_DIR": str(work)}
    if language == "yaml":
        request.getfixturevalue("native_yaml")  # the YAML host and the plugin, or skip (a failure under CI)
        env["PATH"] = os.pathsep.join([str(venv() / "bin"), env["PATH"]])  # the plugin, as `make` puts it there
    leftover = leftover_emulator(work)
    # Its own session, so a timeout can stop the script and the emulators it started, all of them.
    script = subprocess.Popen(
        [str(REPO / "scripts" / "promotion-demo.sh"), language],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = script.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(script.pid, signal.SIGTERM)
        stdout, stderr = script.communicate()
        pytest.fail(f"the walkthrough took more than 600 s:\n{(stdout + stderr)[-6000:]}")
    log = stdout + stderr
    assert script.returncode == 0, log[-6000:]
    assert "done: dev, staging and prod each passed pulumi preview --expect-no-changes" in stdout
    assert has_exited(leftover), "the earlier run's emulator was stopped before its directory was wiped"
    tenants = re.findall(r"tenant (\w+): (http://127\.0\.0\.1:\d+)/instances/", stdout)
    assert [stack for stack, _ in tenants] == ["dev", "staging", "prod"], stdout[-3000:]
    for _, url in tenants:  # the script's own emulators are gone with it
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/_emulator/health", timeout=30)

    counts = counts_by_stage(json.loads((work / "counts.json").read_text()))
    print("\nrequest counts per stage:", file=sys.stderr)
    for (stack, operation), requests in counts.items():
        print(f"  {stack:8} {operation:8} {requests}", file=sys.stderr)
    stacks = ("dev", "staging", "prod")
    assert list(counts) == [
        *[(s, op) for s in ("dev", "staging") for op in ("up", "preview")],
        *[("prod", op) for op in ("policy gate", "up", "preview")],
        *[(s, op) for s in stacks for op in ("change up", "change preview")],
    ]
    # The policy pack (mandatory on prod) stopped the insecure trunk's preview: no phone request at all.
    assert all(key.startswith("agents ") for key in counts[("prod", "policy gate")]), counts[("prod", "policy gate")]
    assert "[mandatory]  phonecfg-sip-secure-trunking" in stdout, stdout[-3000:]
    for stack in ("dev", "staging"):
        assert counts[(stack, "up")].get("phone POST") == 2, counts[(stack, "up")]  # trunk + Genesys, created
    # prod: the trunk made by hand is adopted, not created again; only the Genesys config is POSTed.
    assert counts[("prod", "up")].get("phone POST") == 1, counts[("prod", "up")]
    for stack in stacks:
        for preview in (counts[(stack, "preview")], counts[(stack, "change preview")]):
            assert all(key.startswith("agents ") for key in preview), preview  # the gate reads, never writes
        # The change: one PATCH of the one field, nothing else written.
        change = counts[(stack, "change up")]
        assert {k: n for k, n in change.items() if k.startswith("phone ")} == {"phone PATCH": 1}, change

    outputs = {}
    env["PULUMI_BACKEND_URL"] = f"file://{work / 'state'}"  # the script's own backend
    for stack in ("dev", "staging", "prod"):
        shown = subprocess.run(
            ["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack],
            cwd=work / "project",
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs[stack] = json.loads(shown.stdout)
    assert [outputs[s][names.agent_environment] for s in stacks] == ["draft", "live", "live"]
    agent_ids = [{c[names.agent_id] for c in outputs[s][names.connectors]} for s in stacks]
    assert agent_ids[0].isdisjoint(agent_ids[1]) and agent_ids[1].isdisjoint(agent_ids[2]), "one tenant, own ids"

    consumer = json.loads((work / "consumer-outputs.json").read_text())
    assert consumer[names.consumer_sip] == outputs["prod"][names.sip_uri]
    assert consumer[names.consumer_uri] == outputs["prod"][names.audio_connect_uri]
    prod_connectors = outputs["prod"][names.connectors]
    if language == "python":
        assert consumer["genesys_connector_ids"] == [c[names.connector_id] for c in prod_connectors]
    else:
        assert consumer["genesysConnectors"] == prod_connectors

    for stack in ("dev", "staging", "prod"):
        for secret in (f"fake-promotion-sip-password-{stack}", f"fake-promotion-genesys-api-key-{stack}"):
            assert secret not in log
