"""Create's name check and `adopt_existing`, through the real pulumi.dynamic gRPC server against the emulator.

Each test asserts the exact requests the API received: a refusal writes nothing, an adoption is one GET of the
list and at most one PATCH, never a POST.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import grpc
import pytest

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import DynamicProviderServer, dynamic_provider_server, emulator_config

PHONE_PATH = "/v1/channels/phone"
AGENT = "11111111-2222-4333-8444-555555555555"
ENV = "66666666-7777-4888-8999-000000000000"
FAKE_PASSWORD = "fake-sip-password-adoption"
FAKE_API_KEY = "fake-genesys-api-key-adoption"
FAKE_CLIENT_SECRET = "ZmFrZS1jbGllbnQtc2VjcmV0LWFkb3B0aW9u"  # base64 of an obviously fake value


def declared(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Support trunk",
        "description": "declared in code",
        "security": {"secure_trunking": True, "authentication": True, "username": "trunk", "password": FAKE_PASSWORD},
        "phone_numbers": [
            {"phone_number": "+14155550100", "agent_id": AGENT, "environment_id": ENV},
            {"phone_number": "+14155550101"},
        ],
        **extra,
    }


def console_config(api: RunningEmulator, name: str = "Support trunk", **fields: Any) -> str:
    """A config made outside Pulumi (the console, the ADK): returns its id; the request log is cleared."""
    body = {"name": name, "security": {}, "description": "made in the console", **fields}
    numbers = body.pop("phone_numbers", None)
    response = api.api().post(PHONE_PATH, json=body)
    response.raise_for_status()
    config_id = str(response.json()["id"])
    if numbers:
        api.api().patch(f"{PHONE_PATH}/{config_id}", json={"phone_numbers": numbers}).raise_for_status()
    api.clear_requests()
    return config_id


def requests(api: RunningEmulator) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in api.api_requests()]


def last_line(error: grpc.RpcError) -> str:
    return str(error.details()).strip().splitlines()[-1]


def test_a_taken_name_is_refused_with_the_id_and_the_way_out(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    existing = console_config(phone_api)
    with pytest.raises(grpc.RpcError) as raised:
        provider.create(declared())
    line = last_line(raised.value)
    assert line == (
        "pulumi_phonecfg.errors.ConfigConflictError: create phone config 'Support trunk' failed: a sip_trunk "
        f"config named 'Support trunk' already exists ({existing}); to take it over instead of creating a "
        "duplicate, set adopt_existing=True on the PhoneConfig "
        "(or `pulumi config set phonecfg:adoptExisting true` for the whole stack)"
    )
    details = raised.value.details()
    assert "create_config" not in details and "During handling" not in details  # no frames of the lifecycle
    assert requests(phone_api) == [("GET", PHONE_PATH)]  # nothing written
    assert FAKE_PASSWORD not in details


def test_adoption_takes_over_the_config_with_one_patch_of_what_differs(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    existing = console_config(
        phone_api,
        send_provisional_response=False,
        custom_invite_headers=[{"name": "X-Console"}],
        phone_numbers=[{"phone_number": "+14155550100"}, {"phone_number": "+14155550199"}],
    )
    created = provider.create(declared(adopt_existing=True))
    assert created.id == existing
    # The list (once per provider process), the config adopted (read whole: the list is kept only as an index of
    # names), one PATCH.
    config_path = f"{PHONE_PATH}/{existing}"
    assert requests(phone_api) == [("GET", PHONE_PATH), ("GET", config_path), ("PATCH", config_path)]
    (_, _, patch) = phone_api.api_requests()
    assert patch["query"] == {"append": "false"}
    # Only what differs; security always (credentials cannot be compared); adopt_existing never.
    assert set(patch["body"]) == {
        "description",
        "security",
        "custom_invite_headers",
        "send_provisional_response",
        "phone_numbers",
    }
    assert patch["body"]["security"]["password"] == FAKE_PASSWORD
    assert patch["body"]["custom_invite_headers"] == [] and patch["body"]["send_provisional_response"] is True

    stored = phone_api.api().get(f"{PHONE_PATH}/{existing}").json()
    assert stored["description"] == "declared in code" and stored["security"]["password_is_set"] is True
    numbers = {(n["phone_number"], n.get("agent_id")) for n in stored["phone_numbers"]}
    assert numbers == {("+14155550100", AGENT), ("+14155550101", None)}
    assert [c["id"] for c in phone_api.api().get(PHONE_PATH).json()["phones"]] == [existing]

    # The adopted config's outputs describe the declared state: the next diff is empty.
    diff = provider.diff(created.id, created.outputs, created.inputs)
    assert diff.changes == diff.DIFF_NONE
    assert created.outputs["security"]["fingerprints"].keys() == {"password"}
    assert FAKE_PASSWORD not in json.dumps(created.outputs)


def test_adopting_a_config_already_in_the_declared_state_writes_nothing(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    existing = console_config(phone_api, description="declared in code")
    created = provider.create({"name": "Support trunk", "description": "declared in code", "adopt_existing": True})
    assert created.id == existing
    assert requests(phone_api) == [("GET", PHONE_PATH), ("GET", f"{PHONE_PATH}/{existing}")]  # nothing written
    assert created.outputs["description"] == "declared in code" and created.outputs["tenant_id"]


def test_the_stack_default_adopts_and_an_explicit_false_still_refuses(phone_api: RunningEmulator) -> None:
    existing = console_config(phone_api)
    with dynamic_provider_server() as server:
        server.configure({**emulator_config(phone_api), "phonecfg:adoptExisting": "true"})
        with pytest.raises(grpc.RpcError) as raised:
            server.create(declared(adopt_existing=False))
        assert "adopt_existing=True" in last_line(raised.value)
        assert server.create(declared()).id == existing
    assert [method for method, _ in requests(phone_api)] == ["GET", "GET", "PATCH"]


def test_several_configs_of_that_name_are_an_error_listing_their_ids(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    first, second = console_config(phone_api), console_config(phone_api)
    with pytest.raises(grpc.RpcError) as raised:
        provider.create(declared(adopt_existing=True))
    assert last_line(raised.value).endswith(
        f"create phone config 'Support trunk' failed: cannot adopt: 2 sip_trunk configs are named "
        f"'Support trunk' ({first}, {second}); delete or rename all but one"
    )
    assert requests(phone_api) == [("GET", PHONE_PATH)]


def test_adoption_with_nothing_to_adopt_creates_as_usual(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    created = provider.create(declared(adopt_existing=True))
    assert [method for method, _ in requests(phone_api)] == ["GET", "POST", "PATCH"]
    post = phone_api.api_requests("POST")[0]
    assert "adopt_existing" not in json.dumps(post["body"])
    assert created.inputs["adopt_existing"] is True


def test_the_same_name_of_the_other_kind_does_not_block_a_create(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    # A service_provider change replaces the config with one of the same name and the other kind.
    sip = console_config(phone_api)
    created = provider.create(
        {
            "name": "Support trunk",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": FAKE_API_KEY, "client_secret": FAKE_CLIENT_SECRET},
        }
    )
    assert created.id != sip
    assert requests(phone_api) == [("GET", PHONE_PATH), ("POST", PHONE_PATH)]


def test_a_failed_adoption_patch_names_the_create_and_leaves_the_config(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    existing = console_config(phone_api)
    phone_api.set_faults([{"method": "PATCH", "kind": "status", "status": 400, "times": 1}])
    with pytest.raises(grpc.RpcError) as raised:
        provider.create(declared(adopt_existing=True))
    assert last_line(raised.value) == (
        "pulumi_phonecfg.errors.PhoneApiError: create phone config 'Support trunk' failed: HTTP 400: "
        f"Injected fault: HTTP 400 (adopting the existing config {existing})"
    )
    assert [method for method, _ in requests(phone_api)] == ["GET", "GET", "PATCH"]  # never deleted: not ours
    assert phone_api.api().get(f"{PHONE_PATH}/{existing}").status_code == 200


def test_adopt_existing_is_checked_and_never_a_diff(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    failures = {f.property: f.reason for f in provider.check(declared(adopt_existing="yes")).failures}
    assert failures == {"adopt_existing": "must be true or false"}
    created = provider.create(declared())
    flipped = provider.checked(declared(adopt_existing=True))
    diff = provider.diff(created.id, created.outputs, flipped)
    assert diff.changes == diff.DIFF_NONE


def test_two_creates_of_one_name_in_one_process_never_both_post(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    outcomes: list[str] = []

    def create(label: str) -> None:
        try:
            provider.create(declared(phone_numbers=[]), name=label)
            outcomes.append("created")
        except grpc.RpcError as error:
            outcomes.append(last_line(error))

    threads = [threading.Thread(target=create, args=(label,)) for label in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "created" and "already exists" in sorted(outcomes)[1], outcomes
    assert len(phone_api.api_requests("POST")) == 1
    assert len(phone_api.api().get(PHONE_PATH).json()["phones"]) == 1


def test_the_tenant_is_listed_once_per_process_and_a_create_is_one_post(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    provider.create(declared(phone_numbers=[]), name="first")
    provider.create(declared(name="Second trunk"), name="second")
    provider.create(declared(name="Third trunk", phone_numbers=[]), name="third")
    # One list for the process, then each create is its POST plus the one PATCH of its numbers, if any.
    assert [method for method, _ in requests(phone_api)] == ["GET", "POST", "POST", "PATCH", "POST"]


def test_a_config_this_process_deleted_can_be_created_again_and_one_it_created_is_refused(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    # A replacement deletes the old config first, then creates one of the same name: not a duplicate.
    first = provider.create(declared(phone_numbers=[]))
    provider.delete(first.id, first.outputs)
    second = provider.create(declared(phone_numbers=[]))
    assert second.id != first.id
    with pytest.raises(grpc.RpcError) as raised:
        provider.create(declared(phone_numbers=[]), name="again")
    assert f"already exists ({second.id})" in last_line(raised.value)
    assert [method for method, _ in requests(phone_api)] == ["GET", "POST", "DELETE", "POST"]
