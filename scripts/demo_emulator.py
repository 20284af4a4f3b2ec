"""Start, find and stop the emulator of one state directory: the demos' emulators (scripts/demo.sh,
scripts/promotion-demo.sh).

    demo_emulator.py start --dir .demo --port 8787    prints the emulator's URL on stdout (messages on stderr)
    demo_emulator.py stop --dir .demo --port 8787

"Our" emulator is the one serving ``<dir>/emulator.db``, as the serving process itself reports on
``GET /_emulator/identity`` (its pid and its resolved database path). That holds with or without the state file
``<dir>/emulator.json`` (pid and URL of the last start, only a hint where to look), so an emulator whose file went
missing is still found, reused or stopped; and it never depends on when a starting process shows up in /proc.

* ``start``: ours already serving on the port with ``<dir>/token`` accepted is reused (nothing changes); ours
  elsewhere, or refusing the token, is restarted. A port that some other process holds gets one line naming the
  port and ``PHONECFG_DEMO_PORT``, and that process is left alone. Start-up waits for the emulator's
  ``PHONECFG_EMULATOR_URL=`` line on a pipe (or its exit): no polling, no fixed wait.
* ``stop``: stops ours wherever the state file or the port says it is; anything else is left alone. The signal
  goes through a pidfd (Linux), so it can only reach the process that reported itself as ours.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

URL_PREFIX = "PHONECFG_EMULATOR_URL="
HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 120.0  # generous: a first start on a busy machine imports FastAPI and opens the database
STOP_TIMEOUT_S = 15.0
PROBE_TIMEOUT_S = 5.0


class DemoEmulatorError(Exception):
    """A one-line reason the emulator could not be started or stopped."""


@dataclass(frozen=True)
class Running:
    """An emulator of this state directory, as it answered on ``url``."""

    url: str
    pid: int
    instance_id: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


class StateDir:
    """``<dir>``: ``emulator.db``, ``emulator.log``, ``emulator.json`` (pid and URL), ``token`` (a fake)."""

    def __init__(self, path: Path, label: str) -> None:
        self.path = path.resolve()
        self.label = label
        self.db = self.path / "emulator.db"
        self.log = self.path / "emulator.log"
        self.state_file = self.path / "emulator.json"
        self.token_file = self.path / "token"

    def say(self, message: str) -> None:
        print(f"\n[{self.label}] {message}", file=sys.stderr, flush=True)

    def token(self) -> str:
        """The directory's fake token, made once: of two starts at the same time, both use the first one written."""
        if not self.token_file.is_file() or not self.token_file.read_text().strip():
            self.path.mkdir(parents=True, exist_ok=True)
            staged = self.path / f"token.{os.getpid()}.tmp"
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(f"fake-{self.label}-token-{secrets.token_hex(16)}\n")
            try:
                if self.token_file.is_file():  # there, but empty: replaced
                    staged.replace(self.token_file)
                else:
                    os.link(staged, self.token_file)  # fails if another start got there first
            except FileExistsError:
                pass
            finally:
                staged.unlink(missing_ok=True)
        return self.token_file.read_text().strip()

    def recorded_url(self) -> str | None:
        try:
            url = json.loads(self.state_file.read_text())["url"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return url if isinstance(url, str) else None

    def record(self, running: Running) -> None:
        staged = self.path / f"emulator.json.{os.getpid()}.tmp"
        staged.write_text(json.dumps({"pid": running.pid, "url": running.url}) + "\n")
        staged.replace(self.state_file)

    def forget(self) -> None:
        self.state_file.unlink(missing_ok=True)

    def ours_at(self, url: str, timeout: float = PROBE_TIMEOUT_S) -> Running | None:
        """The emulator answering at ``url`` if it serves this directory's database, else None."""
        identity = _identity(url, timeout)
        if identity is None or identity.get("db") != str(self.db):
            return None
        pid, instance_id = identity.get("pid"), identity.get("instance_id")
        if not isinstance(pid, int) or not isinstance(instance_id, str):
            return None
        return Running(url=url, pid=pid, instance_id=instance_id)

    def find(self, port: int) -> Running | None:
        """Ours, looked for where the state file says and on ``port`` (0: nowhere but the state file)."""
        candidates = [self.recorded_url(), _url(port) if port else None]
        for url in dict.fromkeys(c for c in candidates if c):
            running = self.ours_at(url)
            if running is not None:
                return running
        return None


def _url(port: int) -> str:
    return f"http://{HOST}:{port}"


def _identity(url: str, timeout: float = PROBE_TIMEOUT_S) -> dict[str, object] | None:
    try:
        response = httpx.get(f"{url}/_emulator/identity", timeout=timeout)
        body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def _accepts(running: Running, token: str) -> bool:
    try:
        response = httpx.get(
            f"{running.url}/v1/channels/phone", headers={"Authorization": f"Bearer {token}"}, timeout=PROBE_TIMEOUT_S
        )
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def _port_taken(port: int) -> bool:
    """Something accepts connections on ``HOST:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(PROBE_TIMEOUT_S)
        return probe.connect_ex((HOST, port)) == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _port_held(port: int) -> DemoEmulatorError:
    """One line: the port, what holds it (as far as it says), and how to choose another port."""
    url = _url(port)
    identity = _identity(url)
    if identity is not None and isinstance(identity.get("db"), str):
        holder = f"another phonecfg emulator (serving {identity['db']})"
    elif _is_emulator(url):
        holder = "a phonecfg emulator too old to say which one it is (stop it by hand if it is yours)"
    else:
        holder = "another process"
    return DemoEmulatorError(
        f"port {port} on {HOST} is held by {holder}; left alone. "
        f"Choose another port: PHONECFG_DEMO_PORT={_free_port()} make demo"
    )


def _is_emulator(url: str) -> bool:
    try:
        response = httpx.get(f"{url}/_emulator/health", timeout=PROBE_TIMEOUT_S)
        return response.status_code == 200 and response.json() == {"ok": True}
    except (httpx.HTTPError, ValueError):
        return False


def stop(state: StateDir, running: Running) -> None:
    """SIGTERM to the serving process (SIGKILL if it outlives ``STOP_TIMEOUT_S``), then wait for it to go."""
    try:
        pidfd = os.pidfd_open(running.pid)
    except ProcessLookupError:
        state.forget()
        return
    try:
        # The pidfd pins the process: if the pid still serves our database now, the signal reaches that
        # process, never a later one that reused the pid.
        again = state.ours_at(running.url)
        if again is None or again.pid != running.pid:
            return
        signal.pidfd_send_signal(pidfd, signal.SIGTERM)
        if not select.select([pidfd], [], [], STOP_TIMEOUT_S)[0]:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            select.select([pidfd], [], [], STOP_TIMEOUT_S)
    except ProcessLookupError:
        pass
    finally:
        os.close(pidfd)
    state.forget()


def start(state: StateDir, port: int, instance_id: str | None, *, detach: bool) -> Running:
    token = state.token()
    running = state.find(port)
    if running is not None:
        wrong = (
            "is on another port"
            if port and running.port != port
            else "refuses the token in its state directory"
            if not _accepts(running, token)
            else "serves another instance id"
            if instance_id is not None and running.instance_id != instance_id
            else None
        )
        if wrong is None:
            state.record(running)
            state.say(f"emulator already running (pid {running.pid}) at {running.url}")
            return running
        state.say(f"restarting the emulator (pid {running.pid}): it {wrong}")
        stop(state, running)
    if port and _port_taken(port):
        # Taken since `find` looked: by a start of ours running at the same time (then reused), or not.
        return _reuse_or_refuse(state, port, token, timeout=PROBE_TIMEOUT_S)
    return _launch(state, port, token, instance_id, detach=detach)


def _reuse_or_refuse(state: StateDir, port: int, token: str, *, timeout: float) -> Running:
    """The port is held: reuse the holder if it is ours and takes our token, else one line naming the holder."""
    running = state.ours_at(_url(port), timeout=timeout)
    if running is not None and _accepts(running, token):
        state.record(running)
        state.say(f"emulator already running (pid {running.pid}) at {running.url}")
        return running
    raise _port_held(port)


def _launch(state: StateDir, port: int, token: str, instance_id: str | None, *, detach: bool) -> Running:
    state.say(f"starting the emulator on {HOST}:{port or '<a free port>'} (log: {state.log})")
    state.path.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "pulumi_phonecfg.emulator", "--host", HOST, "--port", str(port)]
    args += ["--db", str(state.db), *(["--instance-id", instance_id] if instance_id else [])]
    env = {**os.environ, "PHONECFG_EMULATOR_TOKEN": token, "PYTHONUNBUFFERED": "1"}
    # A log of this start's own until it serves (then it becomes emulator.log): a start that loses a race for the
    # port must read its own failure, not the winner's log.
    own_log = state.path / f"emulator.{os.getpid()}.log"
    with own_log.open("w") as log:
        # Detached: a session of its own, so the emulator outlives a Ctrl-C in the terminal that ran the demo.
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, env=env, start_new_session=detach
        )
    # Popen returns once the child has exec'd: proc.pid is the emulator from here on.
    assert proc.stdout is not None
    try:
        line = _first_line(proc.stdout.fileno(), STARTUP_TIMEOUT_S)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        proc.stdout.close()  # the emulator prints nothing else on stdout
    if not line.startswith(URL_PREFIX):
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        log_text = own_log.read_text()
        own_log.unlink()
        if port and "cannot bind" in log_text and "Address already in use" in log_text:
            # Taken since we looked: by a `make demo` started at the same time (ours, then reused), or not.
            # (Just bound, it may still be starting to serve on a busy machine: a longer wait for its answer.)
            return _reuse_or_refuse(state, port, token, timeout=STARTUP_TIMEOUT_S)
        what = "exited" if line == "" else f"printed {line!r} instead of its URL"
        raise DemoEmulatorError(f"the emulator {what}; its log:\n{log_text}")
    running = Running(url=line[len(URL_PREFIX) :].strip(), pid=proc.pid, instance_id=instance_id or "")
    with own_log.open("a") as log:
        log.write(line + "\n")
    own_log.replace(state.log)
    state.record(running)
    state.say(f"emulator listening at {running.url} (pid {running.pid})")
    return running


def _first_line(fd: int, timeout: float) -> str:
    """The first line written to pipe ``fd`` ("" if the writer closed it first, i.e. exited)."""
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise DemoEmulatorError(f"the emulator printed no URL within {timeout:.0f} s")
        chunk = os.read(fd, 4096)
        if not chunk:
            return ""
        data += chunk
    return data.split(b"\n", 1)[0].decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, required=True, help="state directory (database, log, token)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on / look at; 0: a free port")
    parser.add_argument("--instance-id", default=None, help="the emulator's --instance-id")
    parser.add_argument("--label", default="demo", help="prefix of the messages, and of the fake token")
    parser.add_argument("--detach", action="store_true", help="start the emulator in a session of its own")
    args = parser.parse_args(argv)
    state = StateDir(args.dir, args.label)
    try:
        if args.command == "start":
            print(start(state, args.port, args.instance_id, detach=args.detach).url)
        else:
            running = state.find(args.port)
            if running is None:
                state.forget()
                state.say("emulator not running")
            else:
                stop(state, running)
                state.say(f"emulator (pid {running.pid}) stopped")
    except DemoEmulatorError as exc:
        print(f"[{args.label}] {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
