"""The real subprocess: harness, startup line, persistence, socket-level faults and the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pulumi_phonecfg.commands import cli
from pulumi_phonecfg.emulator import RunningEmulator, server, start_emulator
from pulumi_phonecfg.emulator.testing import EmulatorStartupError

from .conftest import GENESYS_SECRET, PHONE, genesys_body, sip_body

URL_LINE = re.compile(r"^PHONECFG_EMULATOR_URL=http://127\.0\.0\.1:(\d+)\n$")


def test_harness_basics(live: RunningEmulator) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", live.url)
    assert live.token and live.api_keys
    assert live.db_path.exists()
    api = live.api()
    assert api.get(PHONE).json() == {"phones": []}
    cfg = api.post(PHONE, json=sip_body()).json()
    api.get(f"{PHONE}/{cfg['id']}")
    httpx.get(f"{live.url}/_emulator/health")
    assert [e["method"] for e in live.api_requests()] == ["GET", "POST", "GET"]
    assert [e["path"] for e in live.api_requests("post")] == [PHONE]
    live.clear_requests()
    assert live.requests() == []
    live.reset()
    assert api.get(PHONE).json() == {"phones": []}
    r = httpx.get(f"{live.instance_url}{PHONE}", headers={"Authorization": f"Bearer {live.token}"})
    assert r.json() == {"phones": []}
    assert live.requests()[-1]["path"] == PHONE


def test_identity_names_the_serving_process_and_its_database(live: RunningEmulator) -> None:
    identity = httpx.get(f"{live.url}/_emulator/identity").json()
    assert identity == {"pid": live.pid, "db": str(live.db_path.resolve()), "instance_id": live.instance_id}
    assert live.requests() == []  # an admin call, not logged as an API request


def test_token_endpoint_and_expiry_over_http(live: RunningEmulator) -> None:
    r = httpx.post(
        f"{live.url}/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": live.api_keys[0]},
    )
    token = r.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{live.url}{PHONE}", headers=headers).status_code == 200
    live.expire_tokens()
    assert httpx.get(f"{live.url}{PHONE}", headers=headers).status_code == 401


@pytest.mark.parametrize("kind", ["drop", "commit_then_drop"])
def test_drop_faults_break_the_connection(live: RunningEmulator, kind: str) -> None:
    live.set_faults([{"method": "POST", "kind": kind, "times": 1}])
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {live.token}"}) as c:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            c.post(PHONE, json=sip_body(name="dropped"))
        names = [p["name"] for p in c.get(PHONE).json()["phones"]]
    assert names == (["dropped"] if kind == "commit_then_drop" else [])
    entry = live.api_requests("POST")[0]
    assert entry["fault"] == kind
    assert entry["status"] is None
    assert entry.get("handler_status") == (201 if kind == "commit_then_drop" else None)
    assert "without completing response" not in live.stderr()


def test_persistence_across_restart(live: RunningEmulator) -> None:
    api = live.api()
    sip = api.post(PHONE, json=sip_body(security={"authentication": True, "username": "u", "password": "pw"})).json()
    api.post(f"{PHONE}/{sip['id']}/numbers", json={"phone_number": "+14155550100"})
    gen = api.post(PHONE, json=genesys_body()).json()
    r = httpx.post(f"{live.url}/siusermgr/api/1.0/apikeys/token", json={"apikey": live.api_keys[0]})
    issued = {"Authorization": f"Bearer {r.json()['token']}"}
    url, port = live.url, live.port
    before = api.get(PHONE).json()
    live.restart()
    assert (live.url, live.port) == (url, port)
    after = live.api().get(PHONE).json()
    assert after == before
    assert after["phones"][0]["security"]["password_is_set"] is True
    assert [p["id"] for p in after["phones"]] == [sip["id"], gen["id"]]
    # issued tokens survive a restart; the tenant-wide number reservation too
    assert httpx.get(f"{live.url}{PHONE}", headers=issued).status_code == 200
    other = live.api().post(PHONE, json=sip_body(name="other")).json()
    assert live.api().post(f"{PHONE}/{other['id']}/numbers", json={"phone_number": "+14155550100"}).status_code == 409
    assert live.requests()[-1]["status"] == 409


def test_cli_startup_line_options_and_quiet_logs(tmp_path: Path) -> None:
    """``python -m pulumi_phonecfg.emulator``: one stdout line, options honoured, no secrets in logs."""
    env = {**os.environ, "PHONECFG_EMULATOR_TOKEN": "env-token-1,env-token-2", "PHONECFG_EMULATOR_API_KEYS": "k-env"}
    cmd = [
        sys.executable, "-m", "pulumi_phonecfg.emulator", "--port", "0", "--db", str(tmp_path / "cli.db"),
        "--api-key", "k-argv", "--mask-style", "stars", "--max-configs", "1", "--token-lifetime", "0",
        "--subscription-id", "sub-cli", "--instance-id", "inst-cli", "--log-level", "debug",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = URL_LINE.match(line)
        assert m, line
        base = f"http://127.0.0.1:{m.group(1)}"
        with httpx.Client(base_url=base, headers={"Authorization": "Bearer env-token-2"}) as c:
            r = c.post(f"/instances/inst-cli{PHONE}?apikey=k-env", json=genesys_body())
            assert r.status_code == 201
            cfg = r.json()
            assert cfg["security"]["api_key"] == "****"
            assert cfg["security"]["client_secret"] == "****"
            assert cfg["tenant_id"] == "sub-cli_inst-cli"
            assert c.post(PHONE, json=sip_body()).status_code == 429
            grant = {"grant_type": "urn:ibm:params:oauth:grant-type:apikey"}
            for key in ("k-argv", "k-env"):
                token = c.post("/identity/token", data={**grant, "apikey": key}).json()["access_token"]
                assert c.get(PHONE, headers={"Authorization": f"Bearer {token}"}).status_code == 401  # lifetime 0
            assert c.get(PHONE, headers={"Authorization": "Bearer env-token-1"}).status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert out == ""  # nothing but the URL line on stdout
    assert "POST /instances/inst-cli/v1/channels/phone" in err or "POST /v1/channels/phone" in err
    for secret in ("env-token", "k-argv", "k-env", "g-api-key", GENESYS_SECRET, "eyJ"):
        assert secret not in err


def test_cli_fault_rate_flags_and_owned_temp_dir() -> None:
    emu = start_emulator(extra_args=["--fault-rate", "1", "--fault-seed", "7"])
    try:
        statuses = []
        for _ in range(8):
            try:
                statuses.append(emu.api().get(PHONE).status_code)
            except httpx.TransportError:
                statuses.append(-1)
        assert all(s != 200 for s in statuses)
        assert all(e["fault"] is not None for e in emu.requests())
        assert httpx.get(f"{emu.url}/_emulator/health").json() == {"ok": True}
        db_dir = emu.db_path.parent
        assert db_dir.exists()
    finally:
        emu.stop()
    assert not db_dir.exists()
    assert emu.returncode == 0


def test_cli_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PHONECFG_EMULATOR_TOKEN", raising=False)
    monkeypatch.delenv("PHONECFG_EMULATOR_API_KEYS", raising=False)
    with pytest.raises(SystemExit) as exc:
        server.main(["--port", "0", "--db", str(tmp_path / "x.db")])
    assert exc.value.code == 2
    assert "no credentials" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        server.main(["--token", "t", "--fault-rate", "2"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        server.main(["--token", "t", "--null-clears", "maybe"])
    assert exc.value.code == 2
    assert "--null-clears: must be true or false" in capsys.readouterr().err


def test_harness_startup_failure_includes_stderr(tmp_path: Path) -> None:
    with pytest.raises(EmulatorStartupError, match=r"(?s)exited before printing its URL.*--mask-style"):
        start_emulator(db_path=tmp_path / "y.db", extra_args=["--mask-style", "bogus"])


def test_phonecfg_cli_dispatches_to_the_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["emulator", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--mask-style" in out
    assert "PHONECFG_EMULATOR_TOKEN" in out


WITHOUT_SERVER_PACKAGES = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in {"fastapi", "starlette", "uvicorn"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Block())
from pulumi_phonecfg.emulator import EmulatorSettings
from pulumi_phonecfg.emulator import agents, paths, settings, testing
from pulumi_phonecfg.emulator.server import main

assert EmulatorSettings(instance_id="i").served_agents()[0].name == "customer-care"
assert not {"fastapi", "starlette", "uvicorn"} & set(sys.modules)
sys.exit(main(["--token", "t", "--port", "0", "--db", ":memory:"]))
"""


def test_settings_and_harness_import_without_the_server_packages() -> None:
    """The wheel's `emulator` extra holds FastAPI and uvicorn: without them, settings still import, serving says how."""
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_SERVER_PACKAGES], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [
        "phonecfg emulator: uvicorn is not installed: pip install 'pulumi_phonecfg[emulator]'"
    ]
