"""Fault injection (in-process for HTTP-level faults) and the request log."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from pulumi_phonecfg.emulator.faults import FaultEngine
from pulumi_phonecfg.emulator.schemas import FaultRule
from pulumi_phonecfg.emulator.testing import start_emulator

from .conftest import API_KEY, PHONE, MakeClient, create, log, sip_body


def set_faults(client: TestClient, rules: list[dict[str, Any]]) -> None:
    r = client.post("/_emulator/faults", json=rules)
    assert r.status_code == 200, r.text


# ----------------------------------------------------------------------------------------- faults


def test_status_fault_does_not_touch_data(client: TestClient) -> None:
    set_faults(
        client, [{"method": "POST", "path": "^/v1/channels/phone$", "kind": "status", "status": 503, "times": 1}]
    )
    r = client.post(PHONE, json=sip_body())
    assert r.status_code == 503
    assert isinstance(r.json()["detail"], str)
    assert "retry-after" not in r.headers
    assert client.get(PHONE).json() == {"phones": []}
    # times=1 is spent: the retry goes through
    assert client.post(PHONE, json=sip_body()).status_code == 201
    assert client.get("/_emulator/faults").json()[0]["hits"] == 1


def test_status_fault_default_and_retry_after(client: TestClient) -> None:
    set_faults(client, [{"kind": "status", "status": 429, "retry_after": 1}, {"kind": "status"}])
    r = client.get(PHONE)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"
    set_faults(client, [{"kind": "status"}])
    assert client.get(PHONE).status_code == 503


def test_commit_then_fail_changes_data_but_reports_failure(client: TestClient) -> None:
    set_faults(client, [{"method": "post", "kind": "commit_then_fail", "times": 1}])
    r = client.post(PHONE, json=sip_body(name="ghost"))
    assert r.status_code == 500
    assert "ghost" not in r.text
    phones = client.get(PHONE).json()["phones"]
    assert [p["name"] for p in phones] == ["ghost"]
    entry = next(e for e in log(client) if e["method"] == "POST")
    assert (entry["status"], entry["fault"], entry["handler_status"]) == (500, "commit_then_fail", 201)


def test_commit_then_fail_with_custom_status_on_delete(client: TestClient) -> None:
    cfg = create(client, sip_body())
    set_faults(client, [{"method": "DELETE", "kind": "commit_then_fail", "status": 504}])
    assert client.delete(f"{PHONE}/{cfg['id']}").status_code == 504
    client.delete("/_emulator/faults")
    assert client.get(f"{PHONE}/{cfg['id']}").status_code == 404


def test_delay_then_normal_processing(client: TestClient) -> None:
    set_faults(client, [{"method": "GET", "kind": "delay", "delay": 0.3, "times": 1}])
    started = time.monotonic()
    r = client.get(PHONE)
    assert time.monotonic() - started >= 0.3
    assert r.status_code == 200
    assert log(client)[-1]["fault"] == "delay"


def test_rules_match_method_and_path_regex_in_order(client: TestClient) -> None:
    cfg = create(client, sip_body())
    set_faults(
        client,
        [
            {"method": "PATCH", "path": r"/numbers/", "kind": "status", "status": 502},
            {"method": "GET", "path": r"/v1/channels/phone/[0-9a-f-]{36}$", "kind": "status", "status": 504},
        ],
    )
    assert client.get(PHONE).status_code == 200
    assert client.get(f"{PHONE}/{cfg['id']}").status_code == 504
    assert client.patch(f"{PHONE}/{cfg['id']}", json={}).status_code == 200
    assert client.patch(f"{PHONE}/{cfg['id']}/numbers/+1", json={}).status_code == 502
    assert [r["hits"] for r in client.get("/_emulator/faults").json()] == [1, 1]


def test_probability_with_seed_is_deterministic(client: TestClient) -> None:
    rule = {"kind": "status", "status": 503, "probability": 0.5, "seed": 42}

    def pattern() -> list[int]:
        set_faults(client, [rule])
        return [client.get(PHONE).status_code for _ in range(30)]

    first = pattern()
    assert pattern() == first
    assert 200 in first and 503 in first


def test_faults_never_hit_admin_endpoints(client: TestClient) -> None:
    set_faults(client, [{"kind": "status", "status": 500}])
    assert client.get("/_emulator/health").json() == {"ok": True}
    assert client.get("/_emulator/faults").status_code == 200
    assert client.delete("/_emulator/requests").status_code == 204
    assert client.delete("/_emulator/faults").status_code == 204
    assert client.get("/_emulator/faults").json() == []
    assert client.get(PHONE).status_code == 200


def test_faults_also_hit_token_endpoints(client: TestClient) -> None:
    set_faults(client, [{"path": "^/identity/token$", "kind": "status", "status": 503, "times": 1}])
    data = {"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": API_KEY}
    assert client.post("/identity/token", data=data).status_code == 503
    assert client.post("/identity/token", data=data).status_code == 200


@pytest.mark.parametrize(
    "rules",
    [
        [{"kind": "explode"}],
        [{"kind": "status", "status": 42}],
        [{"kind": "status", "path": "("}],
        [{"kind": "status", "surprise": 1}],
        {"kind": "status"},
    ],
)
def test_invalid_fault_rules_are_rejected(client: TestClient, rules: Any) -> None:
    set_faults(client, [{"kind": "status"}])
    assert client.post("/_emulator/faults", json=rules).status_code == 422
    assert len(client.get("/_emulator/faults").json()) == 1


def test_random_faults_are_deterministic_per_seed() -> None:
    # The real process: only over a socket does a dropped response reach the client as a broken connection.
    def run(seed: int) -> list[tuple[int, str | None]]:
        with start_emulator(extra_args=["--fault-rate", "0.5", "--fault-seed", str(seed)]) as emulator:
            out = []
            for _ in range(40):
                try:
                    status = emulator.api().get(PHONE).status_code
                except httpx.RemoteProtocolError:  # the connection closed before the announced body ended
                    status = -1
                out.append(status)
            return [(s, e["fault"]) for s, e in zip(out, emulator.requests(), strict=True)]

    first = run(7)
    # A drop, and only a drop, breaks the connection.
    assert [s == -1 for s, _ in first] == [f == "drop" for _, f in first]
    assert run(7) == first
    assert run(8) != first
    faults = {f for _, f in first if f is not None}
    assert "drop" in faults and faults <= {"status", "drop", "commit_then_fail"}
    assert 0 < sum(1 for _, f in first if f is not None) < 40
    statuses = {s for s, f in first if f == "status"} | {s for s, f in first if f == "commit_then_fail"}
    assert statuses <= {429, 502, 503, 504, 500}


def test_random_fault_menu() -> None:
    engine = FaultEngine(rate=1.0, seed=3)
    seen = set()
    for _ in range(300):
        d = engine.decide("GET", PHONE)
        assert d is not None
        seen.add((d.kind, d.status, d.retry_after))
    assert seen == {
        ("status", 429, 0),
        ("status", 429, 1),
        ("status", 502, None),
        ("status", 503, None),
        ("status", 504, None),
        ("drop", 200, None),
        ("commit_then_fail", 500, None),
    }


def test_engine_rules_take_precedence_and_times_zero_never_fires() -> None:
    engine = FaultEngine(rate=0.0)
    engine.set_rules([FaultRule(kind="status", times=0), FaultRule(kind="delay", delay=0.1, method="get")])
    d = engine.decide("GET", "/x")
    assert d is not None and d.kind == "delay"
    assert engine.decide("POST", "/x") is None


# ------------------------------------------------------------------------------------- request log


def test_request_log_records_api_and_token_requests_only(client: TestClient) -> None:
    cfg = create(client, sip_body(spec_version="v1"))
    client.patch(f"{PHONE}/{cfg['id']}", params={"append": "true"}, json={"description": "d"})
    client.delete(f"{PHONE}/{cfg['id']}/numbers/%2B14155550100")
    client.get(PHONE, headers={"Authorization": "Bearer nope"})
    client.post("/identity/token", data={"grant_type": "x", "apikey": API_KEY})
    client.get("/_emulator/health")
    entries = log(client)
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", PHONE, 201),
        ("PATCH", f"{PHONE}/{cfg['id']}", 200),
        ("DELETE", f"{PHONE}/{cfg['id']}/numbers/%2B14155550100", 404),
        ("GET", PHONE, 401),
        ("POST", "/identity/token", 400),
    ]
    assert entries[0]["body"] == sip_body(spec_version="v1")
    assert entries[0]["query"] == {}
    assert entries[1]["query"] == {"append": "true"}
    assert entries[2]["body"] is None
    assert entries[4]["body"] == {"grant_type": "x", "apikey": API_KEY}
    assert all(e["fault"] is None for e in entries)
    assert client.delete("/_emulator/requests").status_code == 204
    assert log(client) == []


def test_request_log_paths_are_relative_to_the_instance_root(make_client: MakeClient) -> None:
    c = make_client(instance_id="inst-7")
    c.get(f"/instances/inst-7{PHONE}")
    c.get("/instances/inst-7/v1//channels/phone")
    assert [e["path"] for e in log(c)] == [PHONE, "/v1//channels/phone"]


def test_faulted_requests_are_logged_with_the_status_returned(client: TestClient) -> None:
    set_faults(client, [{"kind": "status", "status": 429, "retry_after": 0, "times": 1}])
    client.get(PHONE)
    client.get(PHONE)
    entries = log(client)
    assert [(e["status"], e["fault"]) for e in entries] == [(429, "status"), (200, None)]


def test_reset_wipes_all_configs(client: TestClient) -> None:
    create(client, sip_body())
    assert client.post("/_emulator/reset").status_code == 204
    assert client.get(PHONE).json() == {"phones": []}
