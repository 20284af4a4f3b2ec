"""`make demo`'s emulator, the way it once stranded a new user: scripts/demo.sh against real emulator processes.

The failure (issue 16): on a busy machine the script took its starting emulator for dead, dropped its pid file and
left it serving on the port, where every later `make demo` failed to bind and `make demo-stop` could not find it.
These tests run the script itself (`scripts/demo.sh emulator|stop|up`) with every CPU kept busy, each with its
own state directory and a free port (never 8787), and check the cases that stranded the user:

* an emulator of this state directory already serving, with or without its state file, is reused;
* `demo.sh stop` (`make demo-stop`) finds and stops it either way;
* a port held by some other process gets one line naming the port and PHONECFG_DEMO_PORT, and is left alone;
* ours on another port, or refusing the current token, is restarted.

The second `make demo` that changes nothing is tests/e2e/test_demo.py (it needs the Pulumi CLI).
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import REPO, free_port

from pulumi_phonecfg.emulator.testing import start_emulator

DEMO_SH = REPO / "scripts" / "demo.sh"
# Spins until killed; says "ready" first, so the fixture knows it runs without waiting for a while.
BUSY_LOOP = "import sys; sys.stdout.write('ready\\n'); sys.stdout.flush()\nwhile True: pass"


@pytest.fixture(autouse=True)
def busy_cpus() -> Iterator[None]:
    """Every CPU busy with a spinning process for the whole test: start-up races lose on a busy machine."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdout=subprocess.PIPE, text=True)
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        for spinner in spinners:
            assert spinner.stdout is not None
            assert spinner.stdout.readline() == "ready\n"
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
            if spinner.stdout is not None:
                spinner.stdout.close()


@dataclass
class Demo:
    """`scripts/demo.sh` with its own state directory, port and file backend."""

    dir: Path
    port: int
    env: dict[str, str]

    def run(self, command: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEMO_SH), command], env={**self.env, **env}, capture_output=True, text=True, timeout=300, check=False
        )

    def emulator(self) -> str:
        """`demo.sh emulator`: the URL of the (started or reused) emulator."""
        done = self.run("emulator")
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip()

    @property
    def state_file(self) -> Path:
        return self.dir / "emulator.json"

    def token(self) -> str:
        return (self.dir / "token").read_text().strip()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port = free_port()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_HOME": str(tmp_path / "home"),
        "PHONECFG_DEMO_DIR": str(tmp_path / "demo"),
        "PHONECFG_DEMO_PORT": str(port),
        "PHONECFG_DEMO_STACK": "demo-test",
    }
    demo = Demo(dir=tmp_path / "demo", port=port, env=env)
    try:
        yield demo
    finally:
        stopped = demo.run("stop")  # whatever a test left serving
        assert stopped.returncode == 0, stopped.stderr


def identity(url: str) -> dict[str, Any]:
    response = httpx.get(f"{url}/_emulator/identity", timeout=30)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def serves(url: str) -> bool:
    try:
        httpx.get(f"{url}/_emulator/health", timeout=30)
    except httpx.ConnectError:
        return False
    return True


def has_exited(pid: int) -> bool:
    """The process is gone (a pidfd of an exited process is readable at once; no pidfd: it had already gone)."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], 0)[0])
    finally:
        os.close(pidfd)


def test_a_serving_emulator_is_reused_with_or_without_its_state_file(demo: Demo) -> None:
    url = demo.emulator()
    assert url == f"http://127.0.0.1:{demo.port}"
    first = identity(url)
    assert first["db"] == str((demo.dir / "emulator.db").resolve())
    assert json.loads(demo.state_file.read_text()) == {"pid": first["pid"], "url": url}

    again = demo.run("emulator")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == url
    assert f"emulator already running (pid {first['pid']})" in again.stderr

    demo.state_file.unlink()  # what the old script did to a starting emulator it took for dead
    again = demo.run("emulator")
    assert again.returncode == 0, again.stderr
    assert f"emulator already running (pid {first['pid']})" in again.stderr
    assert identity(url)["pid"] == first["pid"]
    assert json.loads(demo.state_file.read_text()) == {"pid": first["pid"], "url": url}, "state file restored"
    response = httpx.get(f"{url}/v1/channels/phone", headers={"Authorization": f"Bearer {demo.token()}"})
    assert response.status_code == 200


@pytest.mark.parametrize("state_file", ["kept", "lost"])
def test_stop_finds_and_stops_the_emulator(demo: Demo, state_file: str) -> None:
    url = demo.emulator()
    pid = identity(url)["pid"]
    if state_file == "lost":
        demo.state_file.unlink()

    stopped = demo.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert f"emulator (pid {pid}) stopped" in stopped.stderr
    assert has_exited(pid)
    assert not serves(url)
    assert not demo.state_file.exists()
    again = demo.run("stop")
    assert (again.returncode, again.stderr.strip()) == (0, "[demo] emulator not running")


def test_an_emulator_on_another_port_moves_to_the_chosen_port(demo: Demo) -> None:
    other_port = free_port()
    old_url = demo.run("emulator", PHONECFG_DEMO_PORT=str(other_port)).stdout.strip()
    old_pid = identity(old_url)["pid"]

    url = demo.emulator()
    assert url == f"http://127.0.0.1:{demo.port}"
    assert has_exited(old_pid)
    assert not serves(old_url)
    assert identity(url)["pid"] != old_pid


def test_an_emulator_refusing_the_current_token_is_restarted(demo: Demo) -> None:
    url = demo.emulator()
    old_pid = identity(url)["pid"]
    (demo.dir / "token").unlink()  # a new token is generated: the serving emulator does not know it

    again = demo.run("emulator")
    assert again.returncode == 0, again.stderr
    assert "restarting the emulator" in again.stderr and "refuses the token" in again.stderr
    assert has_exited(old_pid)
    response = httpx.get(f"{url}/v1/channels/phone", headers={"Authorization": f"Bearer {demo.token()}"})
    assert response.status_code == 200


def test_two_starts_at_once_share_one_emulator(demo: Demo) -> None:
    starts = [
        subprocess.Popen([str(DEMO_SH), "emulator"], env=demo.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [start.communicate(timeout=300) for start in starts]
    assert [start.returncode for start in starts] == [0, 0], outputs
    urls = {stdout.decode().strip() for stdout, _ in outputs}
    assert urls == {f"http://127.0.0.1:{demo.port}"}
    pid = identity(urls.pop())["pid"]
    assert json.loads(demo.state_file.read_text())["pid"] == pid
    response = httpx.get(f"{demo.url()}/v1/channels/phone", headers={"Authorization": f"Bearer {demo.token()}"})
    assert response.status_code == 200


def assert_port_refused(done: subprocess.CompletedProcess[str], port: int, holder: str) -> None:
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"port {port} on 127.0.0.1 is held by {holder}" in lines[0], lines[0]
    assert "left alone" in lines[0] and "PHONECFG_DEMO_PORT=" in lines[0], lines[0]


def test_a_port_held_by_another_emulator_is_named_and_left_alone(demo: Demo, tmp_path: Path) -> None:
    # Another checkout's demo emulator, say: its own database.
    with start_emulator(db_path=tmp_path / "other.db", port=demo.port) as other:
        other_pid = identity(other.url)["pid"]
        for command in ("up", "emulator"):
            holder = f"another phonecfg emulator (serving {other.db_path.resolve()})"
            assert_port_refused(demo.run(command), demo.port, holder)
        stopped = demo.run("stop")
        assert (stopped.returncode, stopped.stderr.strip()) == (0, "[demo] emulator not running")

        assert other.returncode is None
        assert identity(other.url)["pid"] == other_pid
        assert other.requests() == [], "nothing was sent to the other emulator's API"
        assert other.api().get("/v1/channels/phone").json() == {"phones": []}
    assert not (demo.dir / "emulator.db").exists()


def test_a_port_held_by_a_plain_listener_is_named_and_left_alone(demo: Demo) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", demo.port))
        listener.listen()
        assert_port_refused(demo.run("up"), demo.port, "another process")
        stopped = demo.run("stop")
        assert (stopped.returncode, stopped.stderr.strip()) == (0, "[demo] emulator not running")
        # Still listening: a client still gets through.
        with socket.create_connection(("127.0.0.1", demo.port), timeout=30):
            pass
