"""`phonecfg export` as a user runs it, against the real emulator process: files, progress, and bad input.

Every failure must be one line on stderr, exit 1, and leave nothing behind (no directory, no file).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import free_port

from pulumi_phonecfg.commands.cli import main
from pulumi_phonecfg.emulator.testing import RunningEmulator

PHONE = "/v1/channels/phone"
SIP_PASSWORD = "fake-sip-password-export-1"
GENESYS_API_KEY = "fake-genesys-api-key-export-1"
GENESYS_CLIENT_SECRET = base64.b64encode(b"fake-genesys-client-secret-export-1").decode()


@pytest.fixture
def tenant(phone_api: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> RunningEmulator:
    """The session emulator, empty, with the export's settings in the environment (as a user would set them)."""
    monkeypatch.setenv("PHONECFG_URL", phone_api.url)
    monkeypatch.setenv("PHONECFG_TOKEN", phone_api.token)
    for name in ("PHONECFG_API_KEY", "PHONECFG_AUTH_TYPE", "PHONECFG_AUTH_URL", "PHONECFG_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    return phone_api


def agents(emulator: RunningEmulator) -> dict[str, dict[str, str]]:
    """`{agent name: {"id": ..., "draft": env id, "live": env id}}` of the emulator's demo agents."""
    listing = emulator.api().get("/v1/orchestrate/agents").json()
    return {a["name"]: {"id": a["id"], **{e["name"]: e["id"] for e in a["environments"]}} for a in listing}


def make_configs(emulator: RunningEmulator) -> dict[str, str]:
    """A SIP trunk routed to customer-care/live and a Genesys config attached to billing/draft, made out of band."""
    api, known = emulator.api(), agents(emulator)
    sip = api.post(
        PHONE,
        json={
            "name": "Support SIP trunk",
            "service_provider": "sip_trunk",
            "security": {"authentication": True, "username": "trunk-user", "password": SIP_PASSWORD},
        },
    ).json()
    numbers = [
        {
            "phone_number": "+14155550101",
            "agent_id": known["customer-care"]["id"],
            "environment_id": known["customer-care"]["live"],
        },
        {"phone_number": "+14155550102"},
    ]
    api.patch(f"{PHONE}/{sip['id']}", json={"phone_numbers": numbers}).raise_for_status()
    genesys = api.post(
        PHONE,
        json={
            "name": "Genesys",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET},
        },
    ).json()
    attached = [{"agent_id": known["billing"]["id"], "environment_id": known["billing"]["draft"]}]
    api.patch(f"{PHONE}/{genesys['id']}", json={"attached_environments": attached}).raise_for_status()
    emulator.clear_requests()
    return {"sip": sip["id"], "genesys": genesys["id"]}


def export(*args: str) -> int:
    return main(["export", *args])


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def requests(emulator: RunningEmulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in emulator.requests()]


def test_export_all(tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = make_configs(tenant)
    out = tmp_path / "phones"

    assert export("--all", "--out", str(out), "--stack", "staging") == 0

    captured, sent = capsys.readouterr(), requests(tenant)
    assert sorted(p.name for p in out.iterdir()) == [
        "Pulumi.staging.yaml",
        "Pulumi.yaml",
        "__main__.py",
        "requirements.txt",
    ]
    progress = [line for line in captured.err.splitlines() if line.startswith("phonecfg export: [")]
    assert progress == [
        f"phonecfg export: [1/2] 'Support SIP trunk' (sip_trunk, {ids['sip']}) -> support-sip-trunk",
        f"phonecfg export: [2/2] 'Genesys' (genesys_audio_connector, {ids['genesys']}) -> genesys",
    ]
    program = (out / "__main__.py").read_text()
    assert 'customer_care_live = get_agent("customer-care", environment="live")' in program
    assert 'billing_draft = get_agent("billing", environment="draft")' in program
    for agent in agents(tenant).values():
        for uuid in agent.values():
            assert uuid not in program
    assert (out / "Pulumi.yaml").read_text().startswith("name: phones\n")
    assert f'phonecfg:url: "{tenant.url}"' in (out / "Pulumi.staging.yaml").read_text()
    # One list, one GET per config, one agents listing: nothing else, nothing written.
    assert sent == [
        f"GET {PHONE}",
        f"GET {PHONE}/{ids['sip']}",
        f"GET {PHONE}/{ids['genesys']}",
        "GET /v1/orchestrate/agents",
    ]
    everything = captured.out + captured.err + "".join(p.read_text() for p in out.iterdir())
    # Only the token: the emulator never answers credentials (test_plaintext_credentials_... feeds it some).
    assert tenant.token not in everything


def test_export_by_name_and_id(tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = make_configs(tenant)
    assert export("--name", "Genesys", "--out", str(tmp_path / "a")) == 0
    program = (tmp_path / "a" / "__main__.py").read_text()
    assert '"genesys",' in program and "support-sip-trunk" not in program

    assert export("-i", ids["sip"], "-o", str(tmp_path / "b"), "-u", tenant.url) == 0
    program = (tmp_path / "b" / "__main__.py").read_text()
    assert '"support-sip-trunk",' in program and '"genesys",' not in program


def test_config_without_agents_reads_no_agents(
    tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant.api().post(PHONE, json={"name": "Plain", "security": {}}).raise_for_status()
    tenant.clear_requests()
    assert export("--all", "--out", str(tmp_path / "p")) == 0
    assert "/v1/orchestrate/agents" not in " ".join(requests(tenant))
    assert "get_agent" not in (tmp_path / "p" / "__main__.py").read_text()


def test_agent_the_tenant_cannot_name_warns(
    tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone_agent, gone_env = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c02", "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f03"
    config = tenant.api().post(PHONE, json={"name": "Old", "security": {}}).json()
    numbers = [{"phone_number": "+14155550109", "agent_id": gone_agent, "environment_id": gone_env}]
    tenant.api().patch(f"{PHONE}/{config['id']}", json={"phone_numbers": numbers}).raise_for_status()

    assert export("--all", "--out", str(tmp_path / "p")) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and gone_agent in warnings[0] and "+14155550109" in warnings[0]
    program = (tmp_path / "p" / "__main__.py").read_text()
    assert gone_agent in program and gone_env in program


# --------------------------------------------------------------------------------------------------------------
# Bad input: one line, exit 1, nothing written


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("configs", ["--name", "Nope"], "no phone config named 'Nope' in the tenant (configs: 'Genesys', "),
        ("configs", ["--id", "not-an-id"], "no phone config with id not-an-id in the tenant"),
        ("empty", ["--all"], "the tenant has no phone configs: nothing to export"),
        ("wrong-token", ["--all"], "list phone configs failed: HTTP 401"),
        ("unreachable", ["--all"], "list phone configs failed: no response: ConnectError"),
        ("no-url", ["--all"], "no API URL"),
        ("configs", ["--all", "--stack", "a/b"], "--stack 'a/b': use letters, digits"),
    ],
)
def test_bad_input_writes_nothing(
    tenant: RunningEmulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    args: list[str],
    message: str,
) -> None:
    if setup == "configs":
        make_configs(tenant)
    elif setup == "wrong-token":
        monkeypatch.setenv("PHONECFG_TOKEN", "fake-wrong-token-export")
    elif setup == "unreachable":
        monkeypatch.setenv("PHONECFG_URL", f"http://127.0.0.1:{free_port()}")
        monkeypatch.setenv("PHONECFG_MAX_RETRIES", "1")
    elif setup == "no-url":
        monkeypatch.delenv("PHONECFG_URL")
    out = tmp_path / "out"

    assert export(*args, "--out", str(out)) == 1

    captured = capsys.readouterr()
    line = one_line(captured.err)
    assert line.startswith("phonecfg export: " + message), line
    assert captured.out == ""
    assert not out.exists()
    assert tenant.token not in line and "fake-wrong-token-export" not in line


def test_non_empty_directory_is_refused_before_any_request(
    tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_configs(tenant)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")

    assert export("--all", "--out", str(out)) == 1
    assert "directory is not empty" in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert tenant.requests() == []

    (out / "__main__.py").write_text("old program")
    assert export("--all", "--out", str(out), "--force") == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "Pulumi.dev.yaml",
        "Pulumi.yaml",
        "__main__.py",
        "notes.txt",
        "requirements.txt",
    ]
    assert (out / "notes.txt").read_text() == "mine"
    assert "PhoneConfig(" in (out / "__main__.py").read_text()


def test_same_names_cannot_be_adopted(
    tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = (tenant.api().post(PHONE, json={"name": "Twin", "security": {}}).json() for _ in range(2))
    assert export("--all", "--out", str(tmp_path / "out")) == 1
    line = one_line(capsys.readouterr().err)
    assert f"configs {first['id']}, {second['id']} share the name 'Twin' (sip_trunk)" in line
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        export("--out", "x")
    assert exited.value.code == 2
    assert "one of the arguments -a/--all -n/--name -i/--id is required" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        export("--all", "--name", "x", "--out", "x")
    assert exited.value.code == 2


def test_help_lists_options_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        export("--help")
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for expected in ("-n, --name NAME", "-i, --id ID", "-o, --out DIR", "-s, --stack STACK", "examples:"):
        assert expected in text
    assert all(len(line) <= 120 for line in text.splitlines())


@pytest.mark.parametrize(
    ("language", "files"),
    [
        ("yaml", ["Pulumi.dev.yaml", "Pulumi.yaml"]),
        ("typescript", ["Pulumi.dev.yaml", "Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]),
        ("hcl", ["main.tf"]),
    ],
)
def test_export_in_another_language(
    tenant: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, files: list[str]
) -> None:
    make_configs(tenant)
    out = tmp_path / "phones"
    assert export("--all", "--language", language, "--out", str(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    captured = capsys.readouterr()
    lookup = 'data "phonecfg_agent"' if language == "hcl" else "getAgent"
    assert lookup in "".join(p.read_text() for p in out.iterdir())
    everything = captured.out + captured.err + "".join(p.read_text() for p in out.iterdir())
    assert tenant.token not in everything
    assert ("`npm install`" in captured.out) == (language == "typescript")
    assert ("`tofu plan`" in captured.out) == (language == "hcl")


# --------------------------------------------------------------------------------------------------------------
# An API that answers credentials in plaintext (the emulator never does): the export must still never write them

PLAINTEXT_PASSWORD = "fake-plaintext-sip-password-export"
PLAINTEXT_API_KEY = "fake-plaintext-genesys-api-key-export"
PLAINTEXT_CLIENT_SECRET = base64.b64encode(b"fake-plaintext-genesys-client-secret-export").decode()
PLAINTEXT_CONFIGS = [
    {
        "id": "5f1d7a52-3c1e-4b8e-9a47-0c2d9e1f6a01",
        "name": "Leaky SIP trunk",
        "service_provider": "sip_trunk",
        "security": {"authentication": True, "username": "trunk-user", "password": PLAINTEXT_PASSWORD,
                     "password_is_set": True, "api_key": PLAINTEXT_API_KEY, "client_secret": PLAINTEXT_CLIENT_SECRET},
        "phone_numbers": [{"phone_number": "+14155550101", "description": "hotline"}],
    },
    {
        "id": "5f1d7a52-3c1e-4b8e-9a47-0c2d9e1f6a02",
        "name": "Leaky Genesys",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": PLAINTEXT_API_KEY, "client_secret": PLAINTEXT_CLIENT_SECRET,
                     "password": PLAINTEXT_PASSWORD, "password_is_set": True},
    },
]  # fmt: skip


class _PlaintextHandler(BaseHTTPRequestHandler):
    """GET of the config list and of each config, answered with the documents above, credentials and all."""

    def do_GET(self) -> None:
        documents = {f"{PHONE}/{c['id']}": c for c in PLAINTEXT_CONFIGS}
        body: Any = {"phones": PLAINTEXT_CONFIGS} if self.path == PHONE else documents.get(self.path)
        payload = json.dumps(body).encode()
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows stderr of failing tests, and these lines say nothing."""


@pytest.fixture
def plaintext_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real local HTTP server answering plaintext credentials; the export's environment points at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlaintextHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("PHONECFG_URL", url)
    monkeypatch.setenv("PHONECFG_TOKEN", "fake-token-plaintext-api")
    monkeypatch.setenv("PHONECFG_MAX_RETRIES", "1")
    for name in ("PHONECFG_API_KEY", "PHONECFG_AUTH_TYPE", "PHONECFG_AUTH_URL"):
        monkeypatch.delenv(name, raising=False)
    yield url
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("language", ["python", "yaml", "typescript", "hcl"])
def test_plaintext_credentials_in_the_answer_are_never_written(
    plaintext_api: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    out = tmp_path / "phones"
    assert export("--all", "--language", language, "--out", str(out)) == 0

    captured = capsys.readouterr()
    files = {p.name: p.read_text() for p in out.iterdir()}
    assert len(files) >= (1 if language == "hcl" else 2) and "Leaky SIP trunk" in "".join(files.values())
    # The credentials are declared as secret config reads (in HCL, ephemeral variables) instead, one per credential.
    if language == "hcl":
        assert 'variable "leaky_sip_trunk_password" {' in files["main.tf"]
    else:
        assert "leakySipTrunkPassword" in files["Pulumi.dev.yaml"]
    everything = captured.out + captured.err + "".join(files.values())
    for secret in (PLAINTEXT_PASSWORD, PLAINTEXT_API_KEY, PLAINTEXT_CLIENT_SECRET, "fake-token-plaintext-api"):
        assert secret not in everything


def test_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        export("--all", "--language", "cobol", "--out", "x")
    assert exited.value.code == 2
    assert "invalid choice: 'cobol'" in capsys.readouterr().err


def test_numbers_as_resources_flag(tenant: RunningEmulator, tmp_path: Path) -> None:
    make_configs(tenant)
    out = tmp_path / "phones"
    assert export("--all", "--language", "yaml", "--numbers-as-resources", "--out", str(out)) == 0
    resources = yaml.safe_load((out / "Pulumi.yaml").read_text())["resources"]
    numbers = [r for r in resources.values() if r["type"] == "phonecfg:index:PhoneNumber"]
    trunk = next(name for name, r in resources.items() if r["name"] == "support-sip-trunk")
    assert numbers and all(n["properties"]["configId"] == f"${{{trunk}.id}}" for n in numbers)
    assert "phoneNumbers" not in resources[trunk]["properties"]


def test_attachments_as_resources_flag(tenant: RunningEmulator, tmp_path: Path) -> None:
    make_configs(tenant)
    out = tmp_path / "phones"
    assert export("--all", "--language", "yaml", "--attachments-as-resources", "--out", str(out)) == 0
    resources = yaml.safe_load((out / "Pulumi.yaml").read_text())["resources"]
    attachments = {r["name"]: r for r in resources.values() if r["type"] == "phonecfg:index:AgentAttachment"}
    genesys = next(name for name, r in resources.items() if r["type"] == "phonecfg:index:PhoneConfig"
                   and r["properties"]["serviceProvider"] == "genesys_audio_connector")  # fmt: skip
    [(name, attachment)] = attachments.items()
    assert name == f"{resources[genesys]['name']}-billing-draft"
    assert attachment["properties"] == {
        "configId": f"${{{genesys}.id}}",
        "agentId": "${billingDraft.agentId}",
        "environmentId": "${billingDraft.environmentId}",
    }
    assert "attachedEnvironments" not in resources[genesys]["properties"]


def test_hcl_imports_each_config_by_its_id(tenant: RunningEmulator, tmp_path: Path) -> None:
    """`--language hcl`: an import block per config with the tenant's id, agents as data sources, credentials as
    variables; nothing but main.tf is written."""
    ids = make_configs(tenant)
    out = tmp_path / "tf"
    assert export("--all", "--language", "hcl", "--numbers-as-resources", "--out", str(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == ["main.tf"]
    program = (out / "main.tf").read_text()
    for address, config_id in (("support_sip_trunk", ids["sip"]), ("genesys", ids["genesys"])):
        assert f'import {{\n  to = phonecfg_phone_config.{address}\n  id = "{config_id}"\n}}\n' in program
    assert f'  id = "{ids["sip"]}/+14155550101"\n' in program
    assert (
        'data "phonecfg_agent" "billing_draft" {' in program
        and 'data "phonecfg_agent" "customer_care_live" {' in program
    )
    for variable in ("support_sip_trunk_password", "genesys_api_key", "genesys_client_secret"):
        assert f'variable "{variable}" {{' in program
    assert f'provider "phonecfg" {{\n  url = "{tenant.url}"\n}}\n' in program
    for secret in (SIP_PASSWORD, GENESYS_API_KEY, GENESYS_CLIENT_SECRET, tenant.token):
        assert secret not in program
