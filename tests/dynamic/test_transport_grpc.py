"""Transport under faults, through the real gRPC server: API-key auth, retries, no duplicates, no leaks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest
from grpc_plugin import secret

from pulumi_phonecfg.core.http.auth import ApiKeyToken
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import DynamicProviderServer, dynamic_provider_server, emulator_config

IAM_PATH = "/identity/token"
MCSP_PATH = "/siusermgr/api/1.0/apikeys/token"
FAKE_PASSWORD = "fake-sip-password-transport"


def trunk(name: str = "Transport trunk") -> dict[str, Any]:
    return {
        "name": name,
        "security": {"authentication": True, "username": "trunk", "password": FAKE_PASSWORD},
        "phone_numbers": [{"phone_number": "+14155550123"}],
    }


def configs(api: RunningEmulator) -> list[dict[str, Any]]:
    phones: list[dict[str, Any]] = api.api().get("/v1/channels/phone").json()["phones"]
    return phones


def token_requests(api: RunningEmulator) -> list[dict[str, Any]]:
    return [r for r in api.requests() if r["path"] in (IAM_PATH, MCSP_PATH)]


@pytest.fixture
def provider_with(phone_api: RunningEmulator) -> Iterator[Any]:
    servers: list[DynamicProviderServer] = []
    contexts = []

    def start(config: dict[str, Any], env: dict[str, str] | None = None) -> DynamicProviderServer:
        context = dynamic_provider_server(env)
        server = context.__enter__()
        contexts.append(context)
        servers.append(server)
        server.configure({"phonecfg:url": phone_api.url, "phonecfg:maxRetries": "6", **config})
        return server

    yield start
    for context in reversed(contexts):
        context.__exit__(None, None, None)


@pytest.mark.parametrize(("auth_type", "path"), [("ibm_iam", IAM_PATH), ("mcsp", MCSP_PATH)])
def test_api_key_is_exchanged_once_and_renewed_after_a_401(
    provider_with: Any, phone_api: RunningEmulator, api_key: str, auth_type: str, path: str
) -> None:
    provider = provider_with(
        {
            "phonecfg:apiKey": secret(api_key),
            "phonecfg:authType": auth_type,
            "phonecfg:authUrl": phone_api.url + path,
        }
    )
    provider.create(trunk("one"))
    provider.create(trunk("two") | {"phone_numbers": [{"phone_number": "+14155550124"}]})
    assert len(token_requests(phone_api)) == 1  # cached and shared by every request of the process
    phone_api.expire_tokens()
    phone_api.clear_requests()
    provider.create(trunk("three") | {"phone_numbers": []})
    assert len(token_requests(phone_api)) == 1  # renewed once after the 401
    # The names were listed by the first create of the process; the POST meets the 401 (refused, so not processed)
    # and is repeated with a new token.
    assert [(r["method"], r["status"]) for r in phone_api.api_requests()] == [("POST", 401), ("POST", 201)]
    assert len(configs(phone_api)) == 3


def test_a_wrong_api_key_fails_fast_naming_the_auth_step(provider_with: Any, phone_api: RunningEmulator) -> None:
    wrong_key = "fake-wrong-api-key"
    provider = provider_with(
        {
            "phonecfg:apiKey": secret(wrong_key),
            "phonecfg:authType": "ibm_iam",
            "phonecfg:authUrl": phone_api.url + IAM_PATH,
        }
    )
    for name in ("one", "two"):
        with pytest.raises(grpc.RpcError) as raised:
            provider.create(trunk(name))
        last = raised.value.details().strip().splitlines()[-1]
        assert f"authenticate with IBM Cloud IAM ({phone_api.url}{IAM_PATH}) failed: HTTP 400" in last
        assert wrong_key not in raised.value.details()
    assert len(token_requests(phone_api)) == 1  # no retry storm against the token service
    assert phone_api.api_requests() == []


def test_token_is_renewed_shortly_before_it_expires(phone_api: RunningEmulator, api_key: str) -> None:
    now = [0.0]
    with httpx.Client() as http:
        auth = ApiKeyToken(
            auth_type="ibm_iam",
            api_key=api_key,
            auth_url=phone_api.url + IAM_PATH,
            http=http,
            clock=lambda: now[0],
        )
        first = auth.token()
        lifetime = json.loads(json.dumps(token_requests(phone_api)))  # one exchange so far
        assert len(lifetime) == 1 and auth.exchanges == 1
        now[0] = 3600 - 61  # the emulator's default lifetime is an hour; 60 s margin
        assert auth.token() == first and auth.exchanges == 1
        now[0] = 3600 - 59
        auth.token()
        assert auth.exchanges == 2


# The retry policy itself (which failures are retried, waits, Retry-After, the deadline, ambiguous-POST adoption)
# is pinned in process by tests/core/http/test_retry.py and test_client_create.py. These few cases check that it holds
# against the real emulator's faults, through the real gRPC server.


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "commit_then_fail", "status": 500, "times": 1},
        {"kind": "commit_then_drop", "times": 1},
    ],
    ids=lambda f: f["kind"],
)
def test_a_post_committed_before_it_failed_is_adopted_not_duplicated(
    provider_with: Any, phone_api: RunningEmulator, fault: dict[str, Any]
) -> None:
    provider = provider_with({"phonecfg:token": secret(phone_api.token)})
    phone_api.set_faults([{"method": "POST", "path": "^/v1/channels/phone$", **fault}])
    created = provider.create(trunk())
    stored = configs(phone_api)
    assert [c["id"] for c in stored] == [created.id]
    assert stored[0]["phone_numbers"][0]["phone_number"] == "+14155550123"
    assert len(phone_api.api_requests("POST")) == 1  # adopted after the lookup, never sent again


@pytest.mark.parametrize(
    ("method", "fault"),
    [
        ("GET", {"kind": "drop"}),
        ("PATCH", {"kind": "commit_then_fail", "status": 500}),
        ("DELETE", {"kind": "commit_then_fail", "status": 500}),  # the last retry meets a 404: deleted all the same
    ],
    ids=lambda v: v if isinstance(v, str) else v["kind"],
)
def test_idempotent_requests_are_retried(
    provider_with: Any, phone_api: RunningEmulator, method: str, fault: dict[str, Any]
) -> None:
    provider = provider_with({"phonecfg:token": secret(phone_api.token)})
    created = provider.create(trunk())
    news = provider.checked(trunk() | {"description": "changed"})
    phone_api.set_faults([{"method": method, "times": 2, **fault}])
    if method == "GET":
        config_id, outputs = provider.read(created.id, created.outputs)
        assert config_id == created.id and outputs["name"] == "Transport trunk"
    elif method == "PATCH":
        outputs = provider.update(created.id, created.outputs, news)
        assert outputs["description"] == "changed"
    else:
        provider.delete(created.id, created.outputs)
        phone_api.clear_faults()
        assert configs(phone_api) == []
    faulted = [r for r in phone_api.api_requests(method) if r.get("fault")]
    assert len(faulted) == 2


def test_retries_stop_at_the_deadline_not_at_max_retries(provider_with: Any, phone_api: RunningEmulator) -> None:
    provider = provider_with(
        {"phonecfg:token": secret(phone_api.token), "phonecfg:maxRetries": "50", "phonecfg:timeout": "2"}
    )
    created = provider.create(trunk())
    phone_api.clear_requests()
    phone_api.set_faults([{"method": "GET", "kind": "status", "status": 503}])
    with pytest.raises(grpc.RpcError) as raised:
        provider.read(created.id, created.outputs)
    last = raised.value.details().strip().splitlines()[-1]
    assert f"read phone config {created.id} failed: HTTP 503: " in last
    assert last.endswith("the 2 s phonecfg:timeout ran out)")
    # Backoff 0.25, 0.5, 1, 2 s (each between half and all of that): 2 s allow 3 to 5 attempts, never 51.
    assert 3 <= len(phone_api.api_requests("GET")) <= 5


def test_debug_log_shows_requests_but_no_credential(phone_api: RunningEmulator) -> None:
    with dynamic_provider_server(env={"PHONECFG_DEBUG": "1"}) as provider:
        provider.configure(emulator_config(phone_api))
        provider.create(trunk())
        stderr = provider.close()
    assert "POST /v1/channels/phone -> 201" in stderr
    assert '"password": "[redacted]"' in stderr
    assert FAKE_PASSWORD not in stderr and phone_api.token not in stderr
