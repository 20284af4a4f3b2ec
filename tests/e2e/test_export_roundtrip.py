"""Round trip: configs made out of band -> `phonecfg export` -> `pulumi up` adopts them all, unchanged.

Real parts only: the `phonecfg` console script, the Pulumi CLI (Automation API, local file backend) running the
exported project through the Python language host, and an emulator process. The secrets are set with the
exact commands the export wrote into the stack file.
"""

from __future__ import annotations

import base64
import json
import os
import pickletools
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PHONE_PATH,
    REPO,
    Transcript,
    changes,
    cli_env,
    exported_state,
    get_config,
    list_configs,
    phone_resources,
    read_tree,
    run_operation,
    scan_for_secrets,
    summarize,
    venv,
    workspace_options,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

STACK = "roundtrip"
SIP_PASSWORD = f"fake-roundtrip-sip-password-{secrets.token_hex(6)}"
GENESYS_API_KEY = f"fake-roundtrip-api-key-{secrets.token_hex(6)}"
GENESYS_CLIENT_SECRET = base64.b64encode(f"fake-roundtrip-client-secret-{secrets.token_hex(6)}".encode()).decode()
GONE_AGENT = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c02"  # an agent the tenant no longer lists
GONE_ENVIRONMENT = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f03"
SERVER_WRITTEN = ("updated_at", "updated_by")


def phonecfg() -> str:
    return str(Path(sys.executable).parent / "phonecfg")


class RoundTrip:
    def __init__(self, emulator: RunningEmulator, base: Path, pulumi_command: auto.PulumiCommand) -> None:
        self.emulator = emulator
        self.base = base
        self.pulumi_command = pulumi_command
        self.out = base / "exported"
        self.transcript = Transcript()
        self.before: dict[str, dict[str, Any]] = {}
        self.export_output = ""
        self.stack: auto.Stack | None = None
        # Credentials the user types at the prompts, by the key the export named.
        self.typed: dict[str, str] = {}

    def run(self, operation: str, **kwargs: Any) -> Any:
        assert self.stack is not None
        return run_operation(self.stack, self.emulator, self.transcript, operation, **kwargs)

    def secrets(self) -> dict[str, str]:
        return {
            "SIP password": SIP_PASSWORD,
            "Genesys api_key": GENESYS_API_KEY,
            "Genesys client_secret": GENESYS_CLIENT_SECRET,
            "emulator token": self.emulator.token,
        }


def make_tenant(emulator: RunningEmulator) -> None:
    """Configs as someone made them in the console: every kind of field, routing and attachment."""
    api = emulator.api()
    agents = {a["name"]: a for a in api.get("/v1/orchestrate/agents").json()}

    def env(agent: str, name: str) -> dict[str, str]:
        found = agents[agent]
        return {
            "agent_id": found["id"],
            "environment_id": next(e["id"] for e in found["environments"] if e["name"] == name),
        }

    def create(body: dict[str, Any], lists: dict[str, Any]) -> None:
        made = api.post(PHONE_PATH, json=body)
        made.raise_for_status()
        api.patch(f"{PHONE_PATH}/{made.json()['id']}", json=lists).raise_for_status()

    create(
        {
            "name": "Support SIP trunk",
            "description": 'Inbound "support" line',
            "service_provider": "sip_trunk",
            "security": {"secure_trunking": True, "authentication": True, "username": "carrier",
                         "password": SIP_PASSWORD},
            "custom_invite_headers": [{"name": "X-Customer-Id"}, {"name": "X-Call-Reason"}],
            "put_caller_on_hold_on_transfer": False,
            "send_provisional_response": True,
            "error_handling": {
                "fallback_sip_uri": "sip:overflow@pbx.example.com",
                "transfer_failure": {"reply_message": "Sorry, nobody can take your call.", "disconnect_call": False},
                "call_failure": {"reply_message": "Sorry, something went wrong."},
            },
        },
        {
            "phone_numbers": [
                {"phone_number": "+14155550101", "description": "hotline", **env("customer-care", "live")},
                {"phone_number": "+14155550102", "description": "overflow"},
                {"phone_number": "+14155550103", "agent_id": GONE_AGENT, "environment_id": GONE_ENVIRONMENT},
            ]
        },
    )  # fmt: skip
    create(
        {"name": "Plain trunk", "service_provider": "sip_trunk", "security": {}},
        {"phone_numbers": [{"phone_number": "+12025550104", **env("billing", "draft")}]},
    )
    create(
        {
            "name": "Genesys Audio Connector",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET},
        },
        {
            "attached_environments": [
                {**env("customer-care", "live"), "agent_name": "customer-care", "environment_name": "live"},
                env("after-hours", "draft"),
            ]
        },
    )


@pytest.fixture(scope="module")
def trip(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[RoundTrip]:
    make_tenant(emulator)
    yield RoundTrip(emulator, e2e_dir, pulumi_command)


def test_export_writes_the_project(trip: RoundTrip) -> None:
    trip.before = {c["id"]: c for c in list_configs(trip.emulator)}
    trip.emulator.clear_requests()
    env = {**os.environ, "PHONECFG_URL": trip.emulator.url, "PHONECFG_TOKEN": trip.emulator.token}
    env.pop("PHONECFG_API_KEY", None)
    done = subprocess.run(
        [phonecfg(), "export", "--all", "--out", str(trip.out), "--stack", STACK],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    trip.export_output = done.stdout + done.stderr
    assert done.returncode == 0, trip.export_output
    assert sorted(p.name for p in trip.out.iterdir()) == [
        f"Pulumi.{STACK}.yaml",
        "Pulumi.yaml",
        "__main__.py",
        "requirements.txt",
    ]
    # Read only: one list, one GET per config, one agents listing.
    methods = [r["method"] for r in trip.emulator.requests()]
    assert methods == ["GET"] * 5, summarize(trip.emulator.requests())
    warnings = [line for line in done.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and GONE_AGENT in warnings[0], done.stderr


def test_secrets_set_with_the_listed_commands(trip: RoundTrip, pulumi_command: auto.PulumiCommand) -> None:
    (trip.out / "venv").symlink_to(venv(), target_is_directory=True)
    trip.stack = auto.create_stack(STACK, work_dir=str(trip.out), opts=workspace_options(trip.base, pulumi_command))
    stack_file = (trip.out / f"Pulumi.{STACK}.yaml").read_text()
    commands = re.findall(r"^#\s+(pulumi config set --stack \S+ --secret \S+)", stack_file, flags=re.MULTILINE)
    assert len(commands) == 4, stack_file  # API token, SIP password, Genesys api_key + client_secret
    values = {
        "phonecfg:token": trip.emulator.token,
        "supportSipTrunkPassword": SIP_PASSWORD,
        "genesysAudioConnectorApiKey": GENESYS_API_KEY,
        "genesysAudioConnectorClientSecret": GENESYS_CLIENT_SECRET,
    }
    env = cli_env(trip.base)
    for command in commands:
        key = command.rsplit(" ", 1)[1]
        assert key in values, f"unexpected secret {key} in {commands}"
        # As typed at the prompt: `pulumi config set` without a value reads it from stdin.
        done = subprocess.run(command.split(), input=values[key], cwd=trip.out, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        trip.typed[key] = values[key]
    config = trip.stack.get_all_config()
    assert config["phonecfg:url"].value == trip.emulator.url and not config["phonecfg:url"].secret
    assert all(config[k if ":" in k else f"{trip.out.name}:{k}"].secret for k in values)


def test_up_adopts_every_config_and_changes_only_credentials(trip: RoundTrip) -> None:
    up = trip.run("up")
    assert changes(up.summary.resource_changes) == {"create": 4}  # three adopted configs + the stack
    sent = trip.emulator.requests()
    methods = sorted({r["method"] for r in sent})
    assert "POST" not in methods and "DELETE" not in methods, summarize(sent)
    # Each adoption PATCH carries the credentials of its own config, each from the key the export named for it.
    names = {config_id: before["name"] for config_id, before in trip.before.items()}
    written = {names[r["path"].rsplit("/", 1)[1]]: r["body"] for r in sent if r["method"] == "PATCH"}
    assert sorted(written) == ["Genesys Audio Connector", "Support SIP trunk"], summarize(sent)
    assert all(sorted(body) == ["security"] for body in written.values()), "only the credentials change"
    assert written["Support SIP trunk"]["security"] == {
        "secure_trunking": True,
        "authentication": True,
        "username": "carrier",
        "password": trip.typed["supportSipTrunkPassword"],
    }
    assert written["Genesys Audio Connector"]["security"] == {
        "api_key": trip.typed["genesysAudioConnectorApiKey"],
        "client_secret": trip.typed["genesysAudioConnectorClientSecret"],
    }

    after = {c["id"]: c for c in list_configs(trip.emulator)}
    assert sorted(after) == sorted(trip.before), "same configs, same ids: nothing new, nothing gone"
    outputs = {k: v.value for k, v in up.outputs.items()}
    assert sorted(v for k, v in outputs.items() if k.endswith("_id")) == sorted(trip.before)
    for config_id, before in trip.before.items():
        now = get_config(trip.emulator, config_id)
        assert now is not None
        unchanged = {k: v for k, v in before.items() if k not in SERVER_WRITTEN}
        assert {k: v for k, v in now.items() if k not in SERVER_WRITTEN} == unchanged, config_id


def test_preview_expects_no_changes(trip: RoundTrip) -> None:
    trip.run("preview", expect_no_changes=True)
    phone_requests = [r for r in trip.emulator.requests() if r["path"].startswith(PHONE_PATH)]
    assert phone_requests == [], summarize(phone_requests)


def test_no_secret_in_files_state_or_output(trip: RoundTrip) -> None:
    assert trip.stack is not None
    stack_file = (trip.out / f"Pulumi.{STACK}.yaml").read_text()
    found = scan_for_secrets(
        trip.secrets(),
        {
            "export output": trip.export_output,
            "exported program": (trip.out / "__main__.py").read_text(),
            "project files": "".join((trip.out / n).read_text() for n in ("Pulumi.yaml", "requirements.txt")),
            "stack file": stack_file,
            "engine output/events": trip.transcript.text(),
            "exported state": exported_state(trip.stack),
            "backend": read_tree(trip.base / "state"),
        },
    )
    assert not found, f"plaintext credentials leaked: {found}"


def test_state_holds_nothing_machine_local(trip: RoundTrip) -> None:
    """The pickled provider is a reference to its class, and no input or output names a path or this host."""
    assert trip.stack is not None
    configs = phone_resources(trip.stack.export_stack().deployment)
    assert len(configs) == 3
    local = {str(trip.base), str(REPO), sys.prefix, str(Path.home())}
    if len(socket.gethostname()) >= 8:  # a short host name could turn up by chance inside a ciphertext
        local.add(socket.gethostname())
    for resource in configs:
        pickled = base64.b64decode(resource["inputs"]["__provider"])
        names = [arg for op, arg, _ in pickletools.genops(pickled) if isinstance(arg, str)]
        assert names == ["pulumi_phonecfg.provider", "PhoneConfigProvider"], names  # class by reference, no state
        assert len(pickled) < 100
        values = json.dumps({"inputs": resource["inputs"], "outputs": resource["outputs"]})
        assert not [place for place in local if place and place in values], resource["urn"]


def test_scheduled_refresh_preview_catches_a_console_edit(trip: RoundTrip) -> None:
    """The guides' drift job: `pulumi refresh --preview-only --expect-no-changes` passes, then fails on an edit."""
    env = cli_env(trip.base)
    env.pop("PULUMI_SKIP_CONFIRMATIONS")  # it implies --yes, which the CLI refuses with --preview-only
    command = ["pulumi", "refresh", "--preview-only", "--expect-no-changes", "--stack", STACK, "--non-interactive"]

    def refresh() -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=trip.out, env=env, capture_output=True, text=True, timeout=300)

    clean = refresh()
    assert clean.returncode == 0, clean.stdout + clean.stderr

    edited = next(c for c in trip.before.values() if c["name"] == "Plain trunk")
    trip.emulator.api().patch(f"{PHONE_PATH}/{edited['id']}", json={"description": "edited in the console"})
    drifted = refresh()
    assert drifted.returncode != 0, drifted.stdout + drifted.stderr
    assert "plain-trunk" in drifted.stdout, drifted.stdout
    assert trip.stack is not None and "edited in the console" not in json.dumps(trip.stack.export_stack().deployment)
