"""Test harness: run the emulator as a real subprocess and drive its admin endpoints.

    with start_emulator() as emu:
        emu.api().post("/v1/channels/phone", json={...})
        assert emu.api_requests("POST")

The static token and API keys travel in the environment, never on the command line. Startup waits
for the ``PHONECFG_EMULATOR_URL=`` line (no sleeps, no polling) and fails loudly, with the process's
stderr, if it does not come within ``startup_timeout`` seconds.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from pulumi_phonecfg.emulator.paths import AGENTS_PATH_RE, PHONE_PATH_RE
from pulumi_phonecfg.emulator.settings import DEFAULT_INSTANCE_ID

URL_PREFIX = "PHONECFG_EMULATOR_URL="
_EOF = object()


class EmulatorStartupError(RuntimeError):
    """The emulator process exited or stayed silent before printing its URL."""


class RunningEmulator:
    """A running emulator subprocess. Also a context manager: ``stop()`` on exit."""

    url: str
    token: str
    db_path: Path

    def __init__(
        self,
        *,
        db_path: Path,
        token: str,
        api_keys: Sequence[str],
        port: int,
        extra_args: Sequence[str],
        env: Mapping[str, str] | None,
        owned_dir: Path | None,
        startup_timeout: float,
    ) -> None:
        self.db_path = db_path
        self.token = token
        self.api_keys = tuple(api_keys)
        self.port = port
        self.url = ""
        self._extra_args = tuple(extra_args)
        self._env = dict(env or {})
        self._owned_dir = owned_dir
        self._startup_timeout = startup_timeout
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None
        self._admin: httpx.Client | None = None
        self._api: httpx.Client | None = None
        self._start()

    # ------------------------------------------------------------------------------------ lifecycle

    def _start(self) -> None:
        env = {**os.environ, **self._env, "PYTHONUNBUFFERED": "1"}
        env["PHONECFG_EMULATOR_TOKEN"] = self.token
        env["PHONECFG_EMULATOR_API_KEYS"] = ",".join(self.api_keys)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        cmd = [
            sys.executable,
            "-m",
            "pulumi_phonecfg.emulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db",
            str(self.db_path),
            *self._extra_args,
        ]
        self._stderr = tempfile.TemporaryFile(mode="w+", prefix="phonecfg-emulator-stderr-")  # noqa: SIM115
        self._proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL, text=True, env=env
        )
        lines: queue.Queue[object] = queue.Queue()
        assert self._proc.stdout is not None
        threading.Thread(target=_pump, args=(self._proc.stdout, lines), daemon=True).start()
        try:
            while True:
                item = lines.get(timeout=self._startup_timeout)
                if item is _EOF:
                    raise EmulatorStartupError(self._failure("exited before printing its URL"))
                if isinstance(item, str) and item.startswith(URL_PREFIX):
                    self.url = item[len(URL_PREFIX) :].strip()
                    break
        except queue.Empty:
            raise EmulatorStartupError(
                self._failure(f"printed no {URL_PREFIX} line within {self._startup_timeout}s")
            ) from None
        except BaseException:
            self._terminate()
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None
            raise
        self.port = int(self.url.rsplit(":", 1)[1])
        # The admin endpoints need the emulator's token (the request log holds every request's credentials).
        self._admin = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30)

    def _failure(self, what: str) -> str:
        stderr = self.stderr()
        self._terminate()
        code = self._proc.returncode if self._proc is not None else None
        return f"phonecfg emulator {what} (exit code {code}); stderr:\n{stderr}"

    @property
    def instance_id(self) -> str:
        """The ``--instance-id`` in effect (from ``extra_args``, else the emulator's default)."""
        args = list(self._extra_args)
        for i, arg in enumerate(args):
            if arg == "--instance-id" and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith("--instance-id="):
                return arg.split("=", 1)[1]
        return DEFAULT_INSTANCE_ID

    @property
    def instance_url(self) -> str:
        """A realistic SaaS-style instance URL: ``{url}/instances/{instance_id}``."""
        return f"{self.url}/instances/{self.instance_id}"

    def stderr(self) -> str:
        """Everything the process wrote to stderr so far (its logs)."""
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def _terminate(self) -> None:
        for client in (self._admin, self._api):
            if client is not None:
                client.close()
        self._admin = self._api = None
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()

    def restart(self) -> None:
        """Stop and start again on the same database and port."""
        self._terminate()
        if self._stderr is not None:
            self._stderr.close()
        self._start()

    def stop(self) -> None:
        self._terminate()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def returncode(self) -> int | None:
        return None if self._proc is None else self._proc.poll()

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------------------------------- admin

    def _admin_client(self) -> httpx.Client:
        if self._admin is None:
            raise RuntimeError("emulator is not running")
        return self._admin

    def requests(self) -> list[dict[str, Any]]:
        """Every non-admin request received, in order (see docs/emulator.md for the entry format)."""
        response = self._admin_client().get("/_emulator/requests")
        response.raise_for_status()
        entries: list[dict[str, Any]] = response.json()
        return entries

    def api_requests(self, method: str | None = None) -> list[dict[str, Any]]:
        """Only phone-config entries (``/v1/channels/phone...`` under any root), optionally of one method."""
        return phone_entries(self.requests(), method)

    def agent_requests(self) -> list[dict[str, Any]]:
        """Only the agents entries (``/v1/orchestrate/agents[/{id}]`` under any root)."""
        return [e for e in self.requests() if AGENTS_PATH_RE.match(e["path"])]

    def clear_requests(self) -> None:
        self._admin_client().delete("/_emulator/requests").raise_for_status()

    def set_faults(self, rules: list[dict[str, Any]]) -> None:
        self._admin_client().post("/_emulator/faults", json=rules).raise_for_status()

    def faults(self) -> list[dict[str, Any]]:
        response = self._admin_client().get("/_emulator/faults")
        response.raise_for_status()
        rules: list[dict[str, Any]] = response.json()
        return rules

    def clear_faults(self) -> None:
        self._admin_client().delete("/_emulator/faults").raise_for_status()

    def expire_tokens(self) -> None:
        self._admin_client().post("/_emulator/tokens/expire").raise_for_status()

    def reset(self) -> None:
        self._admin_client().post("/_emulator/reset").raise_for_status()

    def api(self) -> httpx.Client:
        """An authenticated client (static token) with ``base_url=url``; closed by stop/restart."""
        if self._api is None:
            self._admin_client()
            self._api = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
        return self._api


def phone_entries(entries: Sequence[dict[str, Any]], method: str | None = None) -> list[dict[str, Any]]:
    """A request log's phone-config entries (``/v1/channels/phone...`` under any root), optionally of one method."""
    return [e for e in entries if PHONE_PATH_RE.match(e["path"]) and (method is None or e["method"] == method.upper())]


def _pump(stream: IO[str], sink: queue.Queue[object]) -> None:
    try:
        for line in stream:
            sink.put(line.rstrip("\n"))
    except (OSError, ValueError):
        pass
    finally:
        sink.put(_EOF)


def start_emulator(
    *,
    db_path: Path | None = None,
    token: str = "fake-emulator-token",
    api_keys: Sequence[str] = (),
    port: int = 0,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 30.0,
) -> RunningEmulator:
    """Start ``python -m pulumi_phonecfg.emulator`` and wait for its URL line.

    Without ``db_path`` a temporary directory is created for the database and removed by ``stop()``.
    """
    owned: Path | None = None
    if db_path is None:
        owned = Path(tempfile.mkdtemp(prefix="phonecfg-emulator-"))
        db_path = owned / "emulator.db"
    try:
        return RunningEmulator(
            db_path=Path(db_path),
            token=token,
            api_keys=api_keys,
            port=port,
            extra_args=extra_args,
            env=env,
            owned_dir=owned,
            startup_timeout=startup_timeout,
        )
    except BaseException:
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
        raise
