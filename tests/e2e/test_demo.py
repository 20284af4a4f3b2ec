"""`make demo` twice, as a new user runs it: the second run succeeds and changes nothing (issue 16).

Runs `scripts/demo.sh up` (what `make demo` runs) with the Makefile's Pulumi environment, but its own file backend,
PULUMI_HOME, state directory (PHONECFG_DEMO_DIR), a free port (PHONECFG_DEMO_PORT, never 8787) and a stack name
of its own (its `Pulumi.<stack>.yaml` in the repository root is removed by `demo.sh clean` at the end). The other
start/stop cases are tests/demo/test_demo_emulator.py.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto
from support import free_port

from .helpers import REPO, cli_env

pytestmark = [pytest.mark.e2e]

DEMO_SH = REPO / "scripts" / "demo.sh"


@dataclass
class Demo:
    env: dict[str, str]
    dir: Path
    stack: str

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEMO_SH), command], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=900, check=False
        )

    @property
    def url(self) -> str:
        url: str = json.loads((self.dir / "emulator.json").read_text())["url"]
        return url

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {(self.dir / 'token').read_text().strip()}"}

    def api(self, method: str, path: str) -> Any:
        response = httpx.request(method, f"{self.url}{path}", headers=self.bearer, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def admin(self, method: str, path: str) -> Any:
        # The emulator's controls take its token too (the request log holds credentials).
        response = httpx.request(method, f"{self.url}/_emulator/{path}", headers=self.bearer, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def stack_outputs(self) -> dict[str, Any]:
        shown = subprocess.run(
            ["pulumi", "stack", "output", "--json", "--stack", self.stack],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs: dict[str, Any] = json.loads(shown.stdout)
        return outputs


@pytest.fixture
def demo(pulumi_command: auto.PulumiCommand, tmp_path: Path) -> Iterator[Demo]:
    stack = f"e2e-demo-{secrets.token_hex(4)}"
    env = {
        **cli_env(tmp_path / "pulumi"),
        "PHONECFG_DEMO_DIR": str(tmp_path / "demo"),
        "PHONECFG_DEMO_PORT": str(free_port()),
        "PHONECFG_DEMO_STACK": stack,
    }
    demo = Demo(env=env, dir=tmp_path / "demo", stack=stack)
    try:
        yield demo
    finally:
        cleaned = demo.run("clean")
        (REPO / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
        assert cleaned.returncode == 0, cleaned.stdout[-3000:] + cleaned.stderr[-3000:]


def test_a_second_make_demo_succeeds_and_changes_nothing(demo: Demo) -> None:
    first = demo.run("up")
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    pid = demo.admin("GET", "identity")["pid"]
    stack_file = REPO / f"Pulumi.{demo.stack}.yaml"
    configs = demo.api("GET", "/v1/channels/phone")
    stack_config, outputs = stack_file.read_bytes(), demo.stack_outputs()
    assert len(configs["phones"]) == 2
    demo.admin("DELETE", "requests")

    second = demo.run("up")
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    assert f"emulator already running (pid {pid})" in second.stdout + second.stderr
    assert demo.admin("GET", "identity")["pid"] == pid
    writes = [e for e in demo.admin("GET", "requests") if e["method"] in ("POST", "PATCH", "PUT", "DELETE")]
    assert writes == [], writes
    assert demo.api("GET", "/v1/channels/phone") == configs  # updated_at included
    assert stack_file.read_bytes() == stack_config
    assert demo.stack_outputs() == outputs
    assert re.search(r"\b3 unchanged\b", second.stdout), second.stdout[-3000:]  # the stack and its two configs
