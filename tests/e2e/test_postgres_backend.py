"""Team state in a real PostgreSQL server (`pulumi login postgres://...`), through the real CLI.

The server is the session's throwaway one (scripts/postgres.sh, the `postgres` fixture). Two parts:

* the promotion walkthrough (scripts/promotion-demo.sh, Python program) with dev, staging, prod and the consumer's
  stack all in that one backend; then a scan of the database for the credentials the walkthrough used;
* the stack lock: a second `pulumi up` while one runs is refused with the CLI's lock message and sends nothing to
  the API; a killed `up` leaves its lock, and the guides' recovery (`pulumi cancel --yes`, then the recovery of
  an interrupted `up`) clears it.

Waiting is on observable conditions only (the emulator's request log, the database's lock rows), with deadlines.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from support import REPO

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PULUMI_ROOT,
    cli_env,
    list_configs,
    provider_config,
    scan_for_secrets,
    venv,
    workspace_options,
)
from .postgres import RunningPostgres
from .processes import kill_everything_started_by, wait_for

pytestmark = [pytest.mark.e2e]

LOCKED = "error: the stack is currently locked by 1 lock(s)."
DEADLINE = 180.0


def test_promotion_walkthrough_in_one_postgres_backend(
    postgres: RunningPostgres, pulumi_command: auto.PulumiCommand, tmp_path: Path
) -> None:
    work = tmp_path / "promotion"
    env = {
        **cli_env(tmp_path / "pulumi", postgres.url),
        "PHONECFG_PROMOTION_DIR": str(work),
        "PHONECFG_PROMOTION_BACKEND_URL": postgres.url,
    }
    started = time.monotonic()
    script = subprocess.Popen(
        [str(REPO / "scripts" / "promotion-demo.sh"), "python"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a timeout stops the script and its emulators, all of them
    )
    try:
        log, _ = script.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(script.pid, signal.SIGTERM)
        log, _ = script.communicate()
        pytest.fail(f"the walkthrough took more than 600 s:\n{log[-6000:]}")
    print(f"\npostgres: the promotion walkthrough took {time.monotonic() - started:.1f} s", file=sys.stderr)
    assert script.returncode == 0, log[-6000:]
    assert "done: dev, staging and prod each passed pulumi preview --expect-no-changes" in log
    assert not any((work / "state").iterdir()), "the walkthrough wrote to a file backend beside the PostgreSQL one"

    stored = postgres.stored_blobs()
    dump = postgres.dump()
    for stack in ("dev", "staging", "prod"):  # the three stacks, and the consumer's, in the one database
        assert f"/.pulumi/stacks/phonecfg-promotion/{stack}.json\t" in dump, dump[:3000]
        assert f'"stack":"organization/phonecfg-promotion/{stack}"' in stored
    assert "/.pulumi/stacks/phonecfg-promotion-consumer/prod.json\t" in dump
    # The scan reads what the CLI wrote: a value stored in plaintext (the hand-made trunk's name) is found.
    assert "Support SIP trunk" in stored and "Support SIP trunk" not in dump

    credentials: dict[str, str] = {}
    for stack in ("dev", "staging", "prod"):
        client_secret = f"fake-promotion-client-secret-{stack}"
        credentials |= {
            f"{stack} SIP password": f"fake-promotion-sip-password-{stack}",
            f"{stack} Genesys API key": f"fake-promotion-genesys-api-key-{stack}",
            f"{stack} Genesys client secret": client_secret,
            f"{stack} Genesys client secret (base64)": base64.b64encode(client_secret.encode()).decode(),
            f"{stack} provider token": (work / "emulators" / stack / "token").read_text().strip(),
        }
    found = scan_for_secrets(credentials, {"pg_dump": dump, "stored blobs": stored, "walkthrough output": log})
    assert not found, f"plaintext credentials: {found}"


# ------------------------------------------------------------------------------------------------ the lock

STACK = "locked"
POST_DELAY = 20.0  # seconds the emulator holds the create: the first `up` is mid-update while the second runs
PASSWORD = f"fake-lock-sip-password-{secrets.token_hex(6)}"
PROGRAM = '''"""One SIP trunk (written by tests/e2e/test_postgres_backend.py)."""
import pulumi

from pulumi_phonecfg import PhoneConfig

password = pulumi.Config().require_secret("sipPassword")
PhoneConfig(
    "trunk",
    name="Locked trunk",
    security={"authentication": True, "username": "locked", "password": password},
    phone_numbers=[{"phone_number": "+14155552999"}],
)
'''
PROJECT_YAML = """name: phonecfg-locked
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""


@dataclass
class LockProject:
    work: Path
    env: dict[str, str]
    emulator: RunningEmulator
    postgres: RunningPostgres
    transcripts: list[str] = field(default_factory=list)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pulumi <args>` in the project directory, as a user types it (plus --non-interactive)."""
        command = [str(PULUMI_ROOT / "bin" / "pulumi"), *args, "--non-interactive", "--color", "never"]
        done = subprocess.run(
            command, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=DEADLINE, check=False
        )
        self.transcripts.append(f"$ pulumi {' '.join(args)}\n{done.stdout}{done.stderr}")
        return done

    def start_up(self) -> subprocess.Popen[str]:
        """`pulumi up --yes` in its own session, so it and all it starts can be found and killed."""
        log = (self.work / "first-up.log").open("w")
        return subprocess.Popen(
            [str(PULUMI_ROOT / "bin" / "pulumi"), "up", "--yes", "--skip-preview", "--non-interactive"],
            cwd=self.work,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )


@pytest.fixture(scope="module")
def lock_project(
    postgres: RunningPostgres, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[LockProject]:
    work = e2e_dir / "project"
    work.mkdir()
    (work / "Pulumi.yaml").write_text(PROJECT_YAML)
    (work / "__main__.py").write_text(PROGRAM)
    (work / ".venv").symlink_to(venv(), target_is_directory=True)
    options = workspace_options(e2e_dir, pulumi_command, postgres.url)
    stack = auto.create_or_select_stack(STACK, work_dir=str(work), opts=options)
    stack.set_all_config({**provider_config(emulator), "sipPassword": auto.ConfigValue(PASSWORD, secret=True)})
    yield LockProject(work, cli_env(e2e_dir, postgres.url), emulator, postgres)


def creates_in_flight(emulator: RunningEmulator) -> list[dict[str, Any]]:
    """Create POSTs the server has received and not answered yet (held by the delay fault)."""
    posts = emulator.api_requests("POST")
    return [r for r in posts if r["path"].rstrip("/").endswith("/phone") and r["status"] is None]


def test_second_up_is_refused_by_the_lock_and_a_killed_up_is_recovered(lock_project: LockProject) -> None:
    project, emulator, postgres = lock_project, lock_project.emulator, lock_project.postgres
    emulator.set_faults([{"method": "POST", "path": r"/channels/+phone$", "kind": "delay", "delay": POST_DELAY}])
    emulator.clear_requests()

    # 1. A first `up`, held mid-update: its create is at the server, it holds the stack's lock.
    first = project.start_up()
    wait_for(lambda: bool(creates_in_flight(emulator)) or first.poll() is not None, "the first up's create")
    held_since = time.monotonic()
    assert first.poll() is None, (project.work / "first-up.log").read_text()
    assert len(postgres.lock_keys()) == 1, postgres.lock_keys()

    # 2. A second `up` of the same stack is refused by the lock, and sends nothing to the API.
    before = len(emulator.requests())
    second = project.cli("up", "--yes", "--skip-preview")
    held_for = time.monotonic() - held_since
    assert second.returncode != 0 and LOCKED in second.stderr, f"{held_for:.1f} s: {second.stdout}{second.stderr}"
    assert "pulumi cancel" in second.stderr
    # The first `up` was still held all along (it sent nothing either), so any new request came from the second.
    assert creates_in_flight(emulator), f"the first up's create finished in the {held_for:.1f} s: nothing was proved"
    assert len(emulator.requests()) == before, emulator.requests()[before:]

    # 3. The first `up` dies with everything it started, like a lost CI runner: its lock stays.
    killed = kill_everything_started_by(first)
    assert any("pulumi.dynamic" in line for line in killed), f"the provider process was not among {killed}"
    # The held create still completes on the server (the client is gone, the handler is not).
    wait_for(lambda: all(r["status"] is not None for r in emulator.requests()), "the held create to finish")
    emulator.clear_faults()
    assert len(postgres.lock_keys()) == 1, "the killed up left no lock"
    refused = project.cli("up", "--yes", "--skip-preview")
    assert refused.returncode != 0 and LOCKED in refused.stderr, refused.stdout + refused.stderr

    # 4. The guides' recovery: `pulumi cancel --yes` clears the lock, then that of an interrupted `up`.
    cancel = project.cli("cancel", "--yes")
    assert cancel.returncode == 0, cancel.stdout + cancel.stderr
    assert postgres.lock_keys() == []
    for args in (
        ("refresh", "--clear-pending-creates", "--yes", "--skip-preview"),
        ("up", "-c", "phonecfg:adoptExisting=true", "--yes", "--skip-preview"),
        ("config", "rm", "phonecfg:adoptExisting"),
        ("preview", "--expect-no-changes"),
    ):
        done = project.cli(*args)
        assert done.returncode == 0, "\n".join(project.transcripts[-2:])
    configs = list_configs(emulator)
    assert [c["name"] for c in configs] == ["Locked trunk"], configs  # adopted, never created twice
    assert postgres.lock_keys() == []

    found = scan_for_secrets(
        {"SIP password": PASSWORD, "provider token": emulator.token},
        {
            "CLI output": "\n".join(project.transcripts) + (project.work / "first-up.log").read_text(),
            "stored blobs": postgres.stored_blobs(),
            "pg_dump": postgres.dump(),
        },
    )
    assert not found, f"plaintext credentials: {found}"
