"""The emulator's controls need its own token: the request log holds every request body, credentials included.

`health` and `identity` stay open (start-up probes; a pid and a database path). A token issued for an API key
(what a tenant's program holds) is refused like no token at all.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import sip_body
from .test_tokens import bearer, iam_token

GUARDED = [
    ("GET", "/_emulator/requests"),
    ("DELETE", "/_emulator/requests"),
    ("GET", "/_emulator/faults"),
    ("POST", "/_emulator/faults"),
    ("DELETE", "/_emulator/faults"),
    ("POST", "/_emulator/tokens/expire"),
    ("POST", "/_emulator/reset"),
]


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_a_control_without_the_emulators_token_is_refused(client: TestClient, method: str, path: str) -> None:
    issued = iam_token(client)
    for headers in ({"Authorization": ""}, bearer("fake-wrong-token"), bearer(issued)):
        response = client.request(method, path, headers=headers, json=[] if method == "POST" else None)
        assert response.status_code == 401, (headers, response.text)
        assert "need its token" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_a_control_with_the_emulators_token_works(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json=[] if method == "POST" else None)  # the client sends the token
    assert response.status_code in (200, 204), response.text


def test_the_request_log_does_not_leak_to_a_tenant_token(client: TestClient) -> None:
    client.post("/v1/channels/phone", json=sip_body(security={"password": "fake-logged-password"}))
    response = client.get("/_emulator/requests", headers=bearer(iam_token(client)))
    assert response.status_code == 401 and "fake-logged-password" not in response.text


@pytest.mark.parametrize("path", ["/_emulator/health", "/_emulator/identity"])
def test_probes_stay_open(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Authorization": ""}).status_code == 200
