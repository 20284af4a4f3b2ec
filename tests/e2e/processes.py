"""The processes an end-to-end test starts: find all that a CLI run started, kill them, wait on conditions."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def process_table() -> dict[int, tuple[int, int, str]]:
    """Live (non-zombie) processes: pid -> (parent pid, session id, state)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid, session = fields[0], int(fields[1]), int(fields[3])
        if state not in ("Z", "X"):
            table[int(entry.name)] = (ppid, session, state)
    return table


def started_by(leader: int) -> set[int]:
    """`leader` and every live process it started: its session, plus descendants that left the session."""
    table = process_table()
    found = {pid for pid, (_, session, _) in table.items() if session == leader}
    if leader in table:
        found.add(leader)
    grew = True
    while grew:
        children = {pid for pid, (ppid, _, _) in table.items() if ppid in found} - found
        found |= children
        grew = bool(children)
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def kill_everything_started_by(process: subprocess.Popen[str]) -> list[str]:
    """SIGKILL the CLI and all it started, until none is left alive. Returns the killed command lines."""
    killed: dict[int, str] = {}
    deadline = time.monotonic() + 30
    while True:
        alive = started_by(process.pid)
        alive.discard(os.getpid())
        if not alive:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"processes survived SIGKILL: {[command_line(p) for p in alive]}")
        for pid in alive:
            killed.setdefault(pid, command_line(pid))
            with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                os.kill(pid, signal.SIGKILL)
        process.poll()  # reap the CLI itself (our child) so it does not linger as a zombie
    process.wait(timeout=30)
    return sorted(killed.values())


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    """Poll an observable condition until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)
