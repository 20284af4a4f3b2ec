"""The provider through the real pulumi.dynamic gRPC server against the running emulator."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from grpc_plugin import UNKNOWN

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import DynamicProviderServer, dynamic_provider_server

AGENT = "11111111-2222-4333-8444-555555555555"
ENV = "66666666-7777-4888-8999-000000000000"
FAKE_PASSWORD = "fake-sip-password-contract"
FAKE_NEW_PASSWORD = "fake-sip-password-rotated"
FAKE_API_KEY = "fake-genesys-api-key-contract"
FAKE_CLIENT_SECRET = "ZmFrZS1jbGllbnQtc2VjcmV0LWNvbnRyYWN0"  # base64 of an obviously fake value


def sip_trunk(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Support trunk",
        "description": "main line",
        "security": {"secure_trunking": True, "authentication": True, "username": "trunk", "password": FAKE_PASSWORD},
        "custom_invite_headers": [{"name": "X-Tenant"}, {"name": "X-Call-Id"}],
        "error_handling": {
            "fallback_sip_uri": "sip:fallback@example.invalid",
            "transfer_failure": {"reply_message": "Sorry, transfer failed", "disconnect_call": True},
        },
        "phone_numbers": [
            {"phone_number": "+14155550100", "agent_id": AGENT, "environment_id": ENV},
            {"phone_number": "+14155550101", "description": "overflow"},
        ],
        **extra,
    }


def no_plaintext(*documents: Any) -> None:
    dumped = json.dumps(documents)
    for value in (FAKE_PASSWORD, FAKE_NEW_PASSWORD, FAKE_API_KEY, FAKE_CLIENT_SECRET):
        assert value not in dumped


def test_create_diff_update_read_delete(provider: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    created = provider.create(sip_trunk())
    # One GET of the list (is the name taken?), the POST, one PATCH for the numbers.
    assert [r["method"] for r in phone_api.api_requests()] == ["GET", "POST", "PATCH"]
    _, post, patch = phone_api.api_requests()
    assert "phone_numbers" not in post["body"] and post["body"]["security"]["password"] == FAKE_PASSWORD
    assert set(patch["body"]) == {"phone_numbers"} and patch["query"].get("append") == "false"
    outputs = created.outputs
    assert outputs["security"]["fingerprints"].keys() == {"password"}
    assert [n["phone_number"] for n in outputs["phone_numbers"]] == ["+14155550100", "+14155550101"]
    assert outputs["tenant_id"] and outputs["created_on"]
    no_plaintext(outputs)

    # An unchanged program, numbers reordered: no change, no request.
    phone_api.clear_requests()
    reordered = sip_trunk(phone_numbers=list(reversed(sip_trunk()["phone_numbers"])))
    diff = provider.diff(created.id, outputs, provider.checked(reordered))
    assert diff.changes == diff.DIFF_NONE
    assert phone_api.api_requests() == []

    # One plain field: exactly one PATCH carrying only that field.
    news = provider.checked(sip_trunk(description="main line, updated"))
    assert provider.diff(created.id, outputs, news).changes == diff.DIFF_SOME
    updated = provider.update(created.id, outputs, news)
    (patch,) = phone_api.api_requests()
    assert patch["method"] == "PATCH" and patch["body"] == {"description": "main line, updated"}
    assert updated["description"] == "main line, updated"
    assert updated["security"]["fingerprints"] == outputs["security"]["fingerprints"]

    # Refresh of an untouched config shows nothing.
    config_id, refreshed = provider.read(created.id, updated)
    assert config_id == created.id
    assert provider.diff(created.id, refreshed, news).changes == diff.DIFF_NONE

    provider.delete(created.id, refreshed)
    assert phone_api.api().get(f"/v1/channels/phone/{created.id}").status_code == 404
    gone_id, gone = provider.read(created.id, refreshed)
    assert gone_id == "" and set(gone) <= {"__provider"}
    provider.delete(created.id, refreshed)  # already gone: still fine


def test_a_username_change_sends_the_whole_security_object_and_keeps_the_password(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    created = provider.create(sip_trunk())
    phone_api.clear_requests()
    security = {**sip_trunk()["security"], "username": "trunk-2"}
    news = provider.checked(sip_trunk(security=security))
    updated = provider.update(created.id, created.outputs, news)
    (patch,) = phone_api.api_requests()
    assert patch["body"] == {"security": security}
    stored = phone_api.api().get(f"/v1/channels/phone/{created.id}").json()
    assert stored["security"]["username"] == "trunk-2" and stored["security"]["password_is_set"] is True
    no_plaintext(updated)


def test_a_rotated_password_is_planned_and_applied(provider: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    created = provider.create(sip_trunk())
    rotated = provider.checked(sip_trunk(security={**sip_trunk()["security"], "password": FAKE_NEW_PASSWORD}))
    diff = provider.diff(created.id, created.outputs, rotated)
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    updated = provider.update(created.id, created.outputs, rotated)
    assert updated["security"]["fingerprints"]["password"] != created.outputs["security"]["fingerprints"]["password"]
    assert provider.diff(created.id, updated, rotated).changes == diff.DIFF_NONE
    no_plaintext(updated)


def test_service_provider_change_is_a_replace(provider: DynamicProviderServer) -> None:
    created = provider.create(sip_trunk())
    genesys = provider.checked(
        {
            "name": "Support trunk",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": FAKE_API_KEY, "client_secret": FAKE_CLIENT_SECRET},
        }
    )
    diff = provider.diff(created.id, created.outputs, genesys)
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == ["service_provider"]


def test_genesys_attachments_are_set_after_create(provider: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    created = provider.create(
        {
            "name": "Genesys",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": FAKE_API_KEY, "client_secret": FAKE_CLIENT_SECRET},
            "attached_environments": [{"agent_id": AGENT, "environment_id": ENV}],
        }
    )
    assert created.outputs["attached_environments"] == [{"agent_id": AGENT, "environment_id": ENV}]
    assert created.outputs["security"]["fingerprints"].keys() == {"api_key", "client_secret"}
    assert "put_caller_on_hold_on_transfer" not in created.outputs
    no_plaintext(created.outputs)
    stored = phone_api.api().get(f"/v1/channels/phone/{created.id}").json()
    assert stored["attached_environments"][0]["agent_id"] == AGENT


def test_out_of_band_edits_show_as_drift_on_refresh(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    created = provider.create(sip_trunk())
    news = created.inputs
    edit = phone_api.api().patch(
        f"/v1/channels/phone/{created.id}",
        json={"description": "edited in the console", "phone_numbers": [{"phone_number": "+14155550199"}]},
    )
    assert edit.status_code == 200
    _, refreshed = provider.read(created.id, created.outputs)
    assert refreshed["description"] == "edited in the console"
    diff = provider.diff(created.id, refreshed, news)
    assert diff.changes == diff.DIFF_SOME
    repaired = provider.update(created.id, refreshed, news)
    assert provider.diff(created.id, repaired, news).changes == diff.DIFF_NONE
    stored = phone_api.api().get(f"/v1/channels/phone/{created.id}").json()
    assert sorted(n["phone_number"] for n in stored["phone_numbers"]) == ["+14155550100", "+14155550101"]


def test_preview_with_unknowns_checks_and_diffs_without_requests(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    created = provider.create(sip_trunk())
    phone_api.clear_requests()
    pending = sip_trunk(phone_numbers=[{"phone_number": "+14155550100", "agent_id": UNKNOWN, "environment_id": ENV}])
    response = provider.check(pending)
    assert list(response.failures) == []
    diff = provider.diff(created.id, created.outputs, {"__provider": provider.provider, **dict(response.inputs)})
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    unknown_kind = provider.diff(created.id, created.outputs, {**created.inputs, "service_provider": UNKNOWN})
    assert list(unknown_kind.replaces) == ["service_provider"]
    assert phone_api.api_requests() == []


def test_check_failures_name_the_field_over_grpc(provider: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    response = provider.check({"name": "x" * 65, "security": {"authentication": True, "password": FAKE_PASSWORD}})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"name", "security.username"}
    assert FAKE_PASSWORD not in json.dumps(failures)
    assert phone_api.api_requests() == []


def test_a_failed_follow_up_deletes_the_new_config(provider: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    phone_api.set_faults([{"method": "PATCH", "kind": "status", "status": 400, "times": 1}])
    with pytest.raises(grpc.RpcError) as raised:
        provider.create(sip_trunk())
    message = raised.value.details().strip().splitlines()[-1]
    # The user ran a create: the failed follow-up PATCH is reported as the create, not as an update.
    assert message.startswith("pulumi_phonecfg.errors.PhoneApiError: create phone config 'Support trunk' failed:")
    assert "HTTP 400" in message and "was deleted again" in message
    assert [r["method"] for r in phone_api.api_requests()] == ["GET", "POST", "PATCH", "DELETE"]
    assert phone_api.api().get("/v1/channels/phone").json()["phones"] == []


def test_api_errors_are_one_line_without_internals_or_secrets(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    created = provider.create(sip_trunk())
    phone_api.set_faults([{"method": "PATCH", "kind": "status", "status": 409, "times": 1}])
    news = provider.checked(sip_trunk(security={**sip_trunk()["security"], "password": FAKE_NEW_PASSWORD}))
    with pytest.raises(grpc.RpcError) as raised:
        provider.update(created.id, created.outputs, news)
    details = raised.value.details()
    last = details.strip().splitlines()[-1]
    assert last.startswith("pulumi_phonecfg.errors.PhoneApiError: update phone config 'Support trunk' failed: HTTP 409")
    assert "During handling" not in details and "httpx" not in details
    for secret_value in (FAKE_PASSWORD, FAKE_NEW_PASSWORD, phone_api.token):
        assert secret_value not in details


def test_missing_configuration_is_a_clear_error() -> None:
    with dynamic_provider_server(env={"PHONECFG_URL": "", "PHONECFG_TOKEN": ""}) as server:
        server.configure({})
        with pytest.raises(grpc.RpcError) as raised:
            server.create(sip_trunk())
    assert "phonecfg:url" in raised.value.details().strip().splitlines()[-1]


def test_numbers_arrive_as_floats_and_are_not_taken_for_booleans_or_strings(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    # Protobuf Structs carry every number as a double: 1 arrives as 1.0.
    response = provider.check({"name": "n", "put_caller_on_hold_on_transfer": 1, "description": 5})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"put_caller_on_hold_on_transfer", "description"}
    assert phone_api.api_requests() == []


def test_bad_provider_configuration_is_reported_by_key() -> None:
    with dynamic_provider_server() as server:
        server.configure({"phonecfg:url": "http://127.0.0.1:1", "phonecfg:token": "t", "phonecfg:maxRetries": "lots"})
        with pytest.raises(grpc.RpcError) as raised:
            server.create(sip_trunk())
    assert raised.value.details().strip().splitlines()[-1].endswith("phonecfg:maxRetries must be a number, got 'lots'")


def test_integration_outputs_come_with_create_read_and_update(
    provider: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    sip = provider.create(sip_trunk())
    tenant = sip.outputs["tenant_id"]
    assert sip.outputs["sip_uri"] == f"sips:127.0.0.1?x-tenant-id={tenant}"  # the emulator's host stands for itself
    assert "audio_connect_uri" not in sip.outputs and "connectors" not in sip.outputs

    genesys = provider.create(
        {
            "name": "Genesys",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": FAKE_API_KEY, "client_secret": FAKE_CLIENT_SECRET},
            "attached_environments": [{"agent_id": AGENT, "environment_id": ENV}],
        },
        name="genesys",
    )
    port = phone_api.url.rsplit(":", 1)[1]
    connector = f"agents/{AGENT}/environments/{ENV}/channels/genesys_audio_connector/{genesys.id}/connect"
    assert genesys.outputs["audio_connect_uri"] == f"ws://127.0.0.1:{port}/tenants/{tenant}/"
    assert genesys.outputs["connectors"] == [{"agent_id": AGENT, "environment_id": ENV, "connector_id": connector}]
    assert "sip_uri" not in genesys.outputs

    _, refreshed = provider.read(genesys.id, genesys.outputs, name="genesys")
    assert refreshed["connectors"] == genesys.outputs["connectors"]
    detached = provider.checked({**genesys.inputs, "attached_environments": []}, name="genesys")
    updated = provider.update(genesys.id, genesys.outputs, detached, name="genesys")
    assert updated["connectors"] == [] and updated["audio_connect_uri"] == genesys.outputs["audio_connect_uri"]
    # Derived outputs are never a diff.
    diff = provider.diff(genesys.id, updated, detached, name="genesys")
    assert diff.changes == diff.DIFF_NONE
    no_plaintext(sip.outputs, genesys.outputs, updated)
