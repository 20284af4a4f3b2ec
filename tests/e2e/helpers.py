"""Helpers shared by the end-to-end tests (imported relatively: `from .helpers import ...`)."""

from __future__ import annotations

import functools
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi import automation as auto
from support import REPO

from pulumi_phonecfg.dynamic.resources import TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator

PULUMI_ROOT = REPO / ".pulumi"
CLI_FILES = ("pulumi", "pulumi-resource-pulumi-python", "pulumi-language-python", "pulumi-language-python-exec")
PHONE_PATH = "/v1/channels/phone"


@functools.cache
def makefile_env() -> dict[str, str]:
    """The offline Pulumi environment as the Makefile defines it (`make -s env`), the one place it is written."""
    outer_make = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # when pytest itself runs under `make test`
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(REPO), "env"],
        env={k: v for k, v in os.environ.items() if k not in outer_make},
        capture_output=True,
        text=True,
        check=True,
    )
    exports: dict[str, str] = {}
    for line in result.stdout.splitlines():
        words = shlex.split(line)  # `export NAME=value`, the value quoted by bash's printf %q
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            exports[name] = value
    assert "PULUMI_BACKEND_URL" in exports, f"`make -s env` printed no Pulumi environment: {result.stdout!r}"
    return exports


def pulumi_env(base: Path, backend_url: str | None = None) -> dict[str, str]:
    """The Makefile's Pulumi environment, with its own PULUMI_HOME and file backend under `base` (or the state in
    `backend_url`, e.g. `postgres://...`)."""
    (base / "state").mkdir(parents=True, exist_ok=True)
    (base / "home").mkdir(parents=True, exist_ok=True)
    return {
        **makefile_env(),
        "PULUMI_HOME": str(base / "home"),
        "PULUMI_BACKEND_URL": backend_url or f"file://{base / 'state'}",
        # The dynamic-provider shim runs the interpreter running these tests (inline programs have no
        # virtualenv runtime option), whichever venv that is.
        "PULUMI_PYTHON_CMD": sys.executable,
        # Provider config must come from the stack, never from the developer's shell.
        "PHONECFG_URL": "",
        "PHONECFG_TOKEN": "",
    }


def workspace_options(
    base: Path, pulumi_command: auto.PulumiCommand, backend_url: str | None = None, **kwargs: Any
) -> auto.LocalWorkspaceOptions:
    return auto.LocalWorkspaceOptions(
        pulumi_home=str(base / "home"),
        env_vars=pulumi_env(base, backend_url),
        pulumi_command=pulumi_command,
        secrets_provider="passphrase",
        **kwargs,
    )


def cli_env(base: Path, backend_url: str | None = None) -> dict[str, str]:
    """The environment to run the CLI as a user would: this process's, the Pulumi one under `base`, the CLI on PATH."""
    path = f"{PULUMI_ROOT / 'bin'}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, **pulumi_env(base, backend_url), "PATH": path}


def venv() -> Path:
    """The virtualenv running the tests (a project's `virtualenv` option is linked to it)."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix)
    return REPO / ".venv"


def provider_config(emulator: RunningEmulator, url: str | None = None) -> dict[str, auto.ConfigValue]:
    """Stack config pointing the provider at `emulator` (at `url` when given, e.g. its instance URL)."""
    return {
        "phonecfg:url": auto.ConfigValue(url or emulator.url),
        "phonecfg:token": auto.ConfigValue(emulator.token, secret=True),
    }


def inline_stack(
    base: Path, pulumi_command: auto.PulumiCommand, project: str, stack: str, program: auto.PulumiFn
) -> auto.Stack:
    """`stack` of an inline-program Python project, its workspace in `base / "work"`."""
    work = base / "work"
    work.mkdir(exist_ok=True)
    opts = workspace_options(
        base,
        pulumi_command,
        work_dir=str(work),
        project_settings=auto.ProjectSettings(name=project, runtime="python"),
    )
    return auto.create_or_select_stack(stack, project_name=project, program=program, opts=opts)


def run_operation(
    stack: auto.Stack, emulator: RunningEmulator, transcript: Transcript, operation: str, **kwargs: Any
) -> Any:
    """`stack.<operation>(...)` with the transcript attached; the emulator's request log starts empty."""
    emulator.clear_requests()
    transcript.mark()
    return getattr(stack, operation)(**transcript.kwargs(), **kwargs)


def list_configs(emulator: RunningEmulator) -> list[dict[str, Any]]:
    """Every config the emulator holds, read out of band."""
    response = emulator.api().get(PHONE_PATH)
    response.raise_for_status()
    body = response.json()
    phones = body.get("phones", body) if isinstance(body, dict) else body
    assert isinstance(phones, list), body
    return phones


def get_config(emulator: RunningEmulator, config_id: str) -> dict[str, Any] | None:
    response = emulator.api().get(f"{PHONE_PATH}/{config_id}")
    if response.status_code == 404:
        return None
    response.raise_for_status()
    body = response.json()
    assert isinstance(body, dict), body
    return body


def summarize(requests: list[dict[str, Any]]) -> list[str]:
    """`["PATCH /v1/channels/phone/<id> -> 200", ...]` for readable assertion messages."""
    return [f"{r.get('method')} {r.get('path')} -> {r.get('status')}" for r in requests]


class Transcript:
    """Collects everything the CLI printed (stdout and stderr) and every engine event, across operations."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.events: list[auto.EngineEvent] = []
        self._mark = 0

    def kwargs(self) -> dict[str, Callable[[Any], None]]:
        return {"on_output": self.lines.append, "on_error": self.lines.append, "on_event": self.events.append}

    def text(self) -> str:
        return "\n".join(self.lines) + "\n" + "\n".join(repr(e) for e in self.events)

    def mark(self) -> None:
        """Start a new operation: `steps()` only looks at events after this point."""
        self._mark = len(self.events)

    def steps(self, op: str, type_token: str = TYPE_TOKEN) -> list[str]:
        """Names of resources of `type_token` (PhoneConfig) with a step (resource_pre_event) of kind `op` since the
        last mark."""
        names = []
        for event in self.events[self._mark :]:
            pre = event.resource_pre_event
            if pre is not None and pre.metadata.type == type_token and pre.metadata.op == op:
                names.append(pre.metadata.urn.rsplit("::", 1)[-1])
        return sorted(names)


def scan_for_secrets(secrets: dict[str, str], haystacks: dict[str, str]) -> list[str]:
    """`["<secret label> in <haystack name>: ...context...", ...]` for every plaintext secret found."""
    found = []
    for label, secret in secrets.items():
        for where, text in haystacks.items():
            at = text.find(secret) if secret else -1
            if at >= 0:
                context = text[max(0, at - 120) : at + len(secret) + 40].replace(secret, "<" + label + ">")
                found.append(f"{label} in {where}: ...{context}...")
    return found


def read_tree(root: Path) -> str:
    """All files under `root` as text (state checkpoints, backups, history, stack config files)."""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts.append(f"== {path}\n{path.read_text(errors='replace')}")
    return "\n".join(parts)


SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"


def strip_secret_envelopes(value: Any) -> Any:
    """Replaces every secret envelope (`{"4dabf...": "1b47...", "plaintext"|"ciphertext": ...}`) by a marker."""
    if isinstance(value, dict):
        if SECRET_SIG_KEY in value:
            return "[secret]"
        return {k: strip_secret_envelopes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_secret_envelopes(v) for v in value]
    return value


def exported_state(stack: auto.Stack) -> str:
    """`stack.export_stack()` as JSON, with secret envelopes blanked out.

    The Automation API exports with `--show-secrets`, so values marked secret come back decrypted inside their
    envelopes; what remains after blanking them must not hold any credential (it would be stored in plaintext).
    """
    return json.dumps(strip_secret_envelopes(stack.export_stack().deployment), sort_keys=True)


def phone_resources(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    """PhoneConfig resources in an exported deployment, in state order (every entry, none merged)."""
    return [r for r in deployment.get("resources", []) if r.get("type") == TYPE_TOKEN]


def state_resources(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """PhoneConfig resources in the stack's state, by resource name."""
    return {r["urn"].rsplit("::", 1)[-1]: r for r in phone_resources(stack.export_stack().deployment)}


def changes(summary: dict[Any, int] | None) -> dict[str, int]:
    """A change summary as plain `{op: count}`, without the `same` entries."""
    plain = {str(getattr(op, "value", op)): count for op, count in (summary or {}).items()}
    return {op: count for op, count in plain.items() if count and op != "same"}
