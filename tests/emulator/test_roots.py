"""The three API roots: none (``/v1/...``), ``/instances/{id}`` (SaaS) and ``/api`` (local Developer Edition)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import PHONE, MakeClient, log, sip_body

AGENTS = "/v1/orchestrate/agents"
# Absolute: httpx reads a relative "//api/..." as a network-path reference (host "api").
SERVER = "http://testserver"


@pytest.mark.parametrize("root", ["/api", "//api", "/instances/inst-r"])
def test_every_root_serves_configs_numbers_and_agents(make_client: MakeClient, root: str) -> None:
    c = make_client(instance_id="inst-r")
    root = SERVER + root
    r = c.post(f"{root}{PHONE}", json=sip_body(name="rooted"))
    assert r.status_code == 201, r.text
    config_id = r.json()["id"]
    assert [p["id"] for p in c.get(f"{root}{PHONE}").json()["phones"]] == [config_id]
    assert c.get(f"{root}{PHONE}/{config_id}").json()["name"] == "rooted"
    assert c.patch(f"{root}{PHONE}/{config_id}", json={"description": "d"}).json()["description"] == "d"
    numbers = f"{root}{PHONE}/{config_id}/numbers"
    assert c.post(numbers, json={"phone_number": "+14155550100"}).status_code == 201
    assert c.patch(f"{numbers}/+14155550100", json={"phone_number": "+14155550101"}).status_code == 200
    assert c.get(numbers).json() == {
        "phone_numbers": [
            {"phone_number": "+14155550101", "description": None, "agent_id": None, "environment_id": None}
        ]
    }
    assert c.delete(f"{numbers}/%2B14155550101").status_code == 204
    assert [a["name"] for a in c.get(f"{root}{AGENTS}", params={"names": "billing"}).json()] == ["billing"]
    assert c.delete(f"{root}{PHONE}/{config_id}").status_code == 204
    assert c.get(f"{root}{PHONE}/{config_id}").status_code == 404
    entries = log(c)
    assert {e["root"] for e in entries} == {root.removeprefix(SERVER)}
    assert entries[0]["path"] == PHONE  # relative to the root, as for /instances/{id}
    assert entries[-3]["path"] == AGENTS


def test_the_adk_local_double_slashes_are_accepted_and_logged_as_sent(client: TestClient) -> None:
    r = client.post(f"{SERVER}//api/v1//channels/phone", json=sip_body())
    assert r.status_code == 201
    (entry,) = log(client)
    assert (entry["root"], entry["path"], entry["status"]) == ("//api", "/v1//channels/phone", 201)


def test_no_root_is_logged_as_empty(client: TestClient) -> None:
    client.get(PHONE)
    assert [(e["root"], e["path"]) for e in log(client)] == [("", PHONE)]


@pytest.mark.parametrize(
    "path",
    [
        "/api/identity/token",
        "/api/_emulator/health",
        "/api",
        "/api/",
        "/apiv1/channels/phone",
        "/api/api/v1/channels/phone",
    ],
)
def test_api_root_only_prefixes_the_v1_api(client: TestClient, path: str) -> None:
    assert client.request("GET", path).status_code == 404
    assert (
        client.post("/api/identity/token", data={"grant_type": "x"}, headers={"Authorization": ""}).status_code == 401
    )


def test_api_root_requires_the_bearer_token(client: TestClient) -> None:
    r = client.get(f"/api{PHONE}", headers={"Authorization": ""})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
