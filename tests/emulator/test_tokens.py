"""Token endpoints (IBM Cloud IAM and MCSP) and the lifetime of issued tokens."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import API_KEY, PHONE, FakeClock, MakeClient

IAM = "/identity/token"
MCSP = "/siusermgr/api/1.0/apikeys/token"
GRANT = "urn:ibm:params:oauth:grant-type:apikey"


def claims(token: str) -> dict[str, Any]:
    header, payload, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256", "typ": "JWT"}
    assert signature
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def iam_token(client: TestClient, key: str = API_KEY) -> str:
    r = client.post(IAM, data={"grant_type": GRANT, "apikey": key}, headers={"Authorization": ""})
    assert r.status_code == 200, r.text
    token: str = r.json()["access_token"]
    return token


def mcsp_token(client: TestClient, key: str = API_KEY) -> str:
    r = client.post(MCSP, json={"apikey": key}, headers={"Authorization": ""})
    assert r.status_code == 200, r.text
    token: str = r.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_iam_token_shape_and_claims(client: TestClient, clock: FakeClock) -> None:
    r = client.post(IAM, data={"grant_type": GRANT, "apikey": API_KEY}, headers={"Authorization": ""})
    assert r.status_code == 200
    body = r.json()
    assert body["refresh_token"] == "not_supported"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["expiration"] == int(clock.now) + 3600
    c = claims(body["access_token"])
    assert c["subscriptionId"] == "emulator-sub"
    assert c["iat"] == int(clock.now)
    assert c["exp"] == int(clock.now) + 3600
    assert c["sub"].startswith("ServiceId-")
    assert API_KEY not in json.dumps(c)


def test_mcsp_token_shape_and_claims(make_client: MakeClient, clock: FakeClock) -> None:
    c = make_client(token_lifetime=120, subscription_id="sub-x")
    r = c.post(MCSP, json={"apikey": API_KEY}, headers={"Authorization": ""})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "jwt"
    assert body["expires_in"] == 120
    token_claims = claims(body["token"])
    assert token_claims["subscriptionId"] == "sub-x"
    assert token_claims["exp"] - token_claims["iat"] == 120


@pytest.mark.parametrize("flavour", ["iam", "mcsp"])
def test_issued_tokens_authenticate_and_set_created_by(client: TestClient, flavour: str) -> None:
    token = iam_token(client) if flavour == "iam" else mcsp_token(client)
    r = client.post(PHONE, json={"name": "n", "security": {}}, headers=bearer(token))
    assert r.status_code == 201
    assert r.json()["created_by"] == claims(token)["sub"]
    assert r.json()["created_by"] != "emulator-user"


def test_iam_rejects_unknown_key(client: TestClient) -> None:
    r = client.post(IAM, data={"grant_type": GRANT, "apikey": "wrong-key"}, headers={"Authorization": ""})
    assert r.status_code == 400
    body = r.json()
    assert body["errorCode"] == "BXNIM0415E"
    assert body["errorMessage"] == "Provided API key could not be found."
    assert "wrong-key" not in r.text


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ({"apikey": API_KEY}, None),
        ({"grant_type": "password", "apikey": API_KEY}, None),
        ({"grant_type": GRANT}, None),
        (None, "application/json"),
    ],
    ids=["no-grant", "wrong-grant", "no-key", "json-body"],
)
def test_iam_rejects_malformed_requests(
    client: TestClient, data: dict[str, str] | None, content_type: str | None
) -> None:
    if content_type is None:
        r = client.post(IAM, data=data, headers={"Authorization": ""})
    else:
        r = client.post(IAM, json={"grant_type": GRANT, "apikey": API_KEY}, headers={"Authorization": ""})
    assert r.status_code == 400
    assert r.json()["errorCode"].startswith("BXNIM")


def test_mcsp_rejects_unknown_and_missing_key(client: TestClient) -> None:
    r = client.post(MCSP, json={"apikey": "wrong-key"}, headers={"Authorization": ""})
    assert r.status_code == 401
    assert "wrong-key" not in r.text
    assert client.post(MCSP, json={}, headers={"Authorization": ""}).status_code == 400
    assert client.post(MCSP, content=b"nope", headers={"Authorization": ""}).status_code == 400


def test_issued_token_expires_after_its_lifetime(make_client: MakeClient, clock: FakeClock) -> None:
    c = make_client(token_lifetime=60)
    token = iam_token(c)
    assert c.get(PHONE, headers=bearer(token)).status_code == 200
    clock.now += 59
    assert c.get(PHONE, headers=bearer(token)).status_code == 200
    clock.now += 1
    assert c.get(PHONE, headers=bearer(token)).status_code == 401
    # a fresh token works again, the static token never expires
    assert c.get(PHONE, headers=bearer(mcsp_token(c))).status_code == 200
    assert c.get(PHONE).status_code == 200


def test_zero_lifetime_tokens_are_born_expired(make_client: MakeClient) -> None:
    c = make_client(token_lifetime=0)
    assert c.get(PHONE, headers=bearer(iam_token(c))).status_code == 401


def test_admin_expire_invalidates_every_issued_token(client: TestClient) -> None:
    tokens = [iam_token(client), mcsp_token(client)]
    for t in tokens:
        assert client.get(PHONE, headers=bearer(t)).status_code == 200
    assert client.post("/_emulator/tokens/expire").status_code == 204
    for t in tokens:
        assert client.get(PHONE, headers=bearer(t)).status_code == 401
    assert client.get(PHONE).status_code == 200
    assert client.get(PHONE, headers=bearer(iam_token(client))).status_code == 200


def test_tampered_or_foreign_tokens_are_rejected(client: TestClient, make_client: MakeClient) -> None:
    token = iam_token(client)
    header, payload, sig = token.split(".")
    forged_claims = claims(token) | {"exp": 9_999_999_999}
    forged = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode()
    assert client.get(PHONE, headers=bearer(f"{header}.{forged}.{sig}")).status_code == 401
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    assert client.get(PHONE, headers=bearer(f"{none_header}.{payload}.")).status_code == 401
    other = make_client()
    assert other.get(PHONE, headers=bearer(iam_token(other))).status_code == 200
    assert other.get(PHONE, headers=bearer(token)).status_code == 401
