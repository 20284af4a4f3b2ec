"""The native plugin `pulumi-resource-phonecfg`, as a subprocess spoken to over gRPC, against the emulator process.

The same lifecycle as the dynamic provider, so the request sequences are the same; what is asserted here is
the native side: camelCase names everywhere (failures included), the detailed diff, Read with an id only (the
shape `pulumi import` needs), one-line errors, and secrets: wrapped on the wire, absent from responses and logs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from grpc_plugin import SECRET_SIG, SECRET_VALUE, UNKNOWN, plain, secret, struct
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.native.schema import package_version, schema_json

from .harness import NativePlugin, native_config, native_plugin, unwrap

AGENT = "11111111-2222-4333-8444-555555555555"
ENV = "66666666-7777-4888-8999-000000000000"
FAKE_PASSWORD = "fake-sip-password-native"
FAKE_NEW_PASSWORD = "fake-sip-password-native-rotated"
FAKE_API_KEY = "fake-genesys-api-key-native"
FAKE_CLIENT_SECRET = "ZmFrZS1jbGllbnQtc2VjcmV0LW5hdGl2ZQ=="  # base64 of an obviously fake value
SECRETS = (FAKE_PASSWORD, FAKE_NEW_PASSWORD, FAKE_API_KEY, FAKE_CLIENT_SECRET)
PropertyDiff = provider_pb2.PropertyDiff


def sip_trunk(**extra: Any) -> dict[str, Any]:
    """A SIP trunk in program spelling; an `extra` of None leaves that property out."""
    trunk = {
        "name": "Native trunk",
        "description": "main line",
        "security": secret(
            {"secureTrunking": True, "authentication": True, "username": "trunk", "password": FAKE_PASSWORD}
        ),
        "customInviteHeaders": [{"name": "X-Tenant"}, {"name": "X-Call-Id"}],
        "errorHandling": {
            "fallbackSipUri": "sip:fallback@example.invalid",
            "transferFailure": {"replyMessage": "Sorry, transfer failed", "disconnectCall": True},
        },
        "phoneNumbers": [
            {"phoneNumber": "+14155550100", "agentId": AGENT, "environmentId": ENV},
            {"phoneNumber": "+14155550101", "description": "overflow"},
        ],
        **extra,
    }
    return {k: v for k, v in trunk.items() if v is not None}


def genesys(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Native Genesys",
        "serviceProvider": "genesys_audio_connector",
        "security": secret({"apiKey": FAKE_API_KEY, "clientSecret": FAKE_CLIENT_SECRET}),
        "attachedEnvironments": [{"agentId": AGENT, "environmentId": ENV}],
        **extra,
    }


def no_plaintext(*documents: Any) -> None:
    dumped = json.dumps(documents, default=str)
    for value in SECRETS:
        assert value not in dumped


def methods(api: RunningEmulator) -> list[str]:
    return [r["method"] for r in api.api_requests()]


def detailed(response: Any) -> dict[str, str]:
    return {path: PropertyDiff.Kind.Name(diff.kind) for path, diff in response.detailedDiff.items()}


@pytest.fixture
def plugin(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running


def test_plugin_info_and_schema_are_the_package_s(plugin: NativePlugin) -> None:
    assert plugin.plugin_info().version == package_version()
    served = plugin.stub.GetSchema(provider_pb2.GetSchemaRequest()).schema
    assert served == schema_json()
    resource = json.loads(served)["resources"]["phonecfg:index:PhoneConfig"]
    assert {"serviceProvider", "phoneNumbers", "customInviteHeaders", "adoptExisting"} <= set(
        resource["inputProperties"]
    )
    assert {"tenantId", "sipUri", "audioConnectUri", "connectors"} <= set(resource["properties"])


def test_check_names_fields_in_camel_case_before_any_request(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    response = plugin.check(
        sip_trunk(
            phoneNumbers=[{"phoneNumber": "+14155550100"}, {"phoneNumber": "+14155550101", "agentId": "not-a-uuid"}],
            put_caller_on_hold_on_transfer=False,
            errorHandling={"fallbackSipUri": "sip:x@example.invalid", "transferFailure": {"replyMesage": "typo"}},
        )
    )
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {
        "put_caller_on_hold_on_transfer",
        "errorHandling.transferFailure.replyMesage",
        "phoneNumbers[1].agentId",
    }
    assert "did you mean 'putCallerOnHoldOnTransfer'" in failures["put_caller_on_hold_on_transfer"]
    assert "replyMessage" in failures["errorHandling.transferFailure.replyMesage"]
    assert "UUID" in failures["phoneNumbers[1].agentId"]
    missing = plugin.check({"name": "Native trunk", "security": secret({"authentication": True})})
    assert {f.property for f in missing.failures} == {"security.username", "security.password"}
    assert phone_api.api_requests() == []
    no_plaintext([(f.property, f.reason) for f in response.failures])


def test_check_returns_the_canonical_form_with_security_secret(plugin: NativePlugin) -> None:
    checked = plugin.checked(
        sip_trunk(phoneNumbers=[{"phoneNumber": "+1 415 555 0102"}, {"phoneNumber": "+14155550100"}])
    )
    assert checked["security"][SECRET_SIG] == SECRET_VALUE
    assert [n["phoneNumber"] for n in checked["phoneNumbers"]] == ["+14155550100", "+14155550102"]
    assert checked["serviceProvider"] == "sip_trunk" and checked["putCallerOnHoldOnTransfer"] is True


def test_check_passes_preview_unknowns_through(plugin: NativePlugin) -> None:
    checked = plugin.checked(
        sip_trunk(
            description=UNKNOWN,
            phoneNumbers=[{"phoneNumber": "+14155550100", "agentId": UNKNOWN, "environmentId": ENV}],
        )
    )
    assert checked["description"] == UNKNOWN
    assert checked["phoneNumbers"][0]["agentId"] == UNKNOWN


def test_create_read_update_delete_send_the_dynamic_provider_s_requests(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk())
    assert methods(phone_api) == ["GET", "POST", "PATCH"]
    _, post, patch = phone_api.api_requests()
    assert post["body"]["security"]["password"] == FAKE_PASSWORD and "phone_numbers" not in post["body"]
    assert set(patch["body"]) == {"phone_numbers"}
    outputs = created.outputs
    assert outputs["security"][SECRET_SIG] == SECRET_VALUE  # secret on the wire
    assert unwrap(outputs)["security"]["fingerprints"].keys() == {"password"}
    assert [n["phoneNumber"] for n in outputs["phoneNumbers"]] == ["+14155550100", "+14155550101"]
    assert outputs["tenantId"] and outputs["sipUri"].startswith("sips:") and outputs["createdOn"]
    no_plaintext(outputs)

    phone_api.clear_requests()
    reordered = plugin.checked(sip_trunk(phoneNumbers=list(reversed(sip_trunk()["phoneNumbers"]))))
    unchanged = plugin.diff(created.id, outputs, reordered)
    assert unchanged.changes == unchanged.DIFF_NONE and dict(unchanged.detailedDiff) == {}
    assert phone_api.api_requests() == []

    news = plugin.checked(sip_trunk(description="main line, updated"))
    change = plugin.diff(created.id, outputs, news)
    assert change.changes == change.DIFF_SOME and detailed(change) == {"description": "UPDATE"}
    assert list(change.diffs) == ["description"] and list(change.replaces) == []
    updated = plugin.update(created.id, outputs, news)
    (patch,) = phone_api.api_requests()
    assert patch["method"] == "PATCH" and patch["body"] == {"description": "main line, updated"}
    assert unwrap(updated)["security"]["fingerprints"] == unwrap(outputs)["security"]["fingerprints"]

    phone_api.clear_requests()
    refreshed = plugin.read(created.id, updated, news)
    assert methods(phone_api) == ["GET"] and refreshed.id == created.id
    assert plain(refreshed.inputs) == news  # a refresh keeps the program's inputs
    assert plugin.diff(created.id, plain(refreshed.properties), news).changes == change.DIFF_NONE

    phone_api.clear_requests()
    plugin.delete(created.id, plain(refreshed.properties))
    assert methods(phone_api) == ["DELETE"]
    gone = plugin.read(created.id, updated, news)
    assert gone.id == ""
    plugin.delete(created.id, updated)  # already gone: still fine


def test_one_number_changed_on_a_1000_number_trunk_is_one_detailed_diff_entry(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    numbers = [{"phoneNumber": f"+1415555{index:04d}", "description": f"line {index}"} for index in range(1000)]
    created = plugin.create(sip_trunk(phoneNumbers=numbers))
    changed = [dict(n) for n in numbers]
    changed[417]["description"] = "line 417, moved"
    news = plugin.checked(sip_trunk(phoneNumbers=changed))
    phone_api.clear_requests()
    response = plugin.diff(created.id, created.outputs, news)
    assert detailed(response) == {"phoneNumbers[417].description": "UPDATE"}
    plugin.update(created.id, created.outputs, news)
    assert methods(phone_api) == ["PATCH"]

    added = plugin.checked(sip_trunk(phoneNumbers=[*numbers, {"phoneNumber": "+14155559999"}]))
    assert detailed(plugin.diff(created.id, created.outputs, added)) == {"phoneNumbers[1000]": "ADD"}
    removed = plugin.checked(sip_trunk(phoneNumbers=numbers[1:]))
    assert detailed(plugin.diff(created.id, created.outputs, removed)) == {"phoneNumbers[0]": "DELETE"}


def test_credentials_diff_by_fingerprint_and_kind_change_replaces_deleting_first(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk())
    rotated_security = {**unwrap(sip_trunk()["security"]), "password": FAKE_NEW_PASSWORD}
    rotated = plugin.checked(sip_trunk(security=secret(rotated_security)))
    response = plugin.diff(created.id, created.outputs, rotated)
    assert detailed(response) == {"security.password": "UPDATE"}
    no_plaintext(json_format.MessageToDict(response))

    kind = plugin.diff(created.id, created.outputs, plugin.checked(genesys(name="Native trunk")))
    assert list(kind.replaces) == ["serviceProvider"] and kind.deleteBeforeReplace
    assert detailed(kind)["serviceProvider"] == "UPDATE_REPLACE"


def test_genesys_config_round_trip(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    created = plugin.create(genesys())
    assert methods(phone_api) == ["GET", "POST", "PATCH"]
    outputs = unwrap(created.outputs)
    assert outputs["attachedEnvironments"] == [{"agentId": AGENT, "environmentId": ENV}]
    assert outputs["connectors"][0]["connectorId"].endswith("/connect")
    assert outputs["security"]["fingerprints"].keys() == {"apiKey", "clientSecret"}
    no_plaintext(created.outputs)


def test_read_with_the_id_only_gives_inputs_the_next_up_agrees_with(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    """`pulumi import`: Read(id) -> inputs; the engine checks them; the program's next `up` diffs against them."""
    made = (
        phone_api.api()
        .post(
            "/v1/channels/phone",
            json={
                "name": "Made by hand",
                "service_provider": "sip_trunk",
                "security": {
                    "secure_trunking": True,
                    "authentication": True,
                    "username": "u",
                    "password": FAKE_PASSWORD,
                },
                "custom_invite_headers": [{"name": "X-B"}, {"name": "X-A"}],
            },
        )
        .json()
    )
    phone_api.api().patch(
        f"/v1/channels/phone/{made['id']}", json={"phone_numbers": [{"phone_number": "+14155550142"}]}
    )
    phone_api.clear_requests()
    imported = plugin.read(made["id"])
    assert methods(phone_api) == ["GET"]
    inputs = plain(imported.inputs)
    assert unwrap(inputs) == {
        "name": "Made by hand",
        "serviceProvider": "sip_trunk",
        "security": {"secureTrunking": True, "authentication": True, "username": "u"},
        "customInviteHeaders": [{"name": "X-A"}, {"name": "X-B"}],
        "putCallerOnHoldOnTransfer": True,
        "sendProvisionalResponse": True,
        "phoneNumbers": [{"phoneNumber": "+14155550142"}],
    }
    assert inputs["security"][SECRET_SIG] == SECRET_VALUE
    outputs = plain(imported.properties)

    # The credential is the one thing an import cannot read: check says so, naming the field...
    failures = {f.property: f.reason for f in plugin.check(inputs).failures}
    assert list(failures) == ["security.password"] and "pulumi import" in failures["security.password"]
    # ...the program declares it: the first `up` sends it once (one PATCH, security whole), then all is clean.
    program = {**inputs, "security": secret({**unwrap(inputs["security"]), "password": FAKE_PASSWORD})}
    news = plugin.checked(program)
    first = plugin.diff(made["id"], outputs, news)
    assert detailed(first) == {"security.password": "ADD"}
    phone_api.clear_requests()
    updated = plugin.update(made["id"], outputs, news)
    (patch,) = phone_api.api_requests()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {"security"}
    assert plugin.diff(made["id"], updated, news).changes == first.DIFF_NONE


def test_import_of_a_config_without_credentials_is_clean_at_once(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    made = (
        phone_api.api()
        .post("/v1/channels/phone", json={"name": "Open trunk", "service_provider": "sip_trunk", "security": {}})
        .json()
    )
    imported = plugin.read(made["id"])
    inputs = plain(imported.inputs)
    checked = plugin.checked(inputs)
    assert plugin.diff(made["id"], plain(imported.properties), checked).changes == provider_pb2.DiffResponse.DIFF_NONE


def test_api_errors_are_one_line_without_a_stack(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    phone_api.set_faults(
        [{"method": "POST", "path": "^/v1/channels/phone$", "kind": "status", "status": 400, "times": 1}]
    )
    with pytest.raises(grpc.RpcError) as caught:
        plugin.create(sip_trunk())
    message = caught.value.details()
    assert message.startswith("create phone config 'Native trunk' failed: HTTP 400")
    assert "\n" not in message and "Traceback" not in message
    no_plaintext(message)

    plugin.create(sip_trunk(name="Taken"))
    with pytest.raises(grpc.RpcError) as taken:
        plugin.create(sip_trunk(name="Taken"))
    assert "already exists" in taken.value.details()
    # The core's message names the field as a native program writes it, not as a Python one (`adopt_existing=True`).
    assert taken.value.details().endswith(
        "to take it over instead of creating a duplicate, set adoptExisting: true on the PhoneConfig "
        "(or `pulumi config set phonecfg:adoptExisting true` for the whole stack)"
    )


def test_check_reasons_name_fields_as_the_program_does(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    response = plugin.check(sip_trunk(phoneNumbers=[{"phoneNumber": "+14155550100", "agentId": AGENT}]))
    reasons = {f.property: f.reason for f in response.failures}
    assert reasons == {"phoneNumbers[0]": "agentId and environmentId must be given together"}
    assert phone_api.api_requests() == []


def test_configure_keeps_the_https_only_rule(phone_api: RunningEmulator) -> None:
    with native_plugin() as plugin:
        config = {"url": "http://api.example.invalid/instances/x", "token": secret("fake-token-native")}
        response = plugin.stub.CheckConfig(provider_pb2.CheckRequest(news=struct(config)))
        (failure,) = response.failures
        assert "phonecfg:url must use https://" in failure.reason
        with pytest.raises(grpc.RpcError) as caught:
            plugin.configure(config)
        assert "phonecfg:url must use https://" in caught.value.details()
        assert "fake-token-native" not in caught.value.details()


def test_configuration_falls_back_to_phonecfg_variables(phone_api: RunningEmulator) -> None:
    with native_plugin({"PHONECFG_URL": phone_api.url, "PHONECFG_TOKEN": phone_api.token}) as plugin:
        plugin.configure({})
        created = plugin.create(sip_trunk())
        assert created.id


def test_get_agent_is_served_by_invoke(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    found = plugin.invoke("phonecfg:index:getAgent", {"name": "customer-care"})
    assert not found.failures
    result = plain(getattr(found, "return"))
    assert set(result) == {"agentId", "environmentId", "agentName", "environmentName"}
    assert result["agentName"] == "customer-care" and result["environmentName"] == "live"
    agent_requests = len(phone_api.agent_requests())
    again = plugin.invoke("phonecfg:index:getAgent", {"name": "customer-care", "environment": "draft"})
    assert not again.failures and len(phone_api.agent_requests()) == agent_requests  # cached

    missing = plugin.invoke("phonecfg:index:getAgent", {"name": "customer-cair"})
    (failure,) = missing.failures
    assert failure.reason.startswith("get_agent: no agent named 'customer-cair'") and "customer-care" in failure.reason
    no_live = plugin.invoke("phonecfg:index:getAgent", {"name": "after-hours"})
    assert "has no 'live' environment" in no_live.failures[0].reason


def test_secrets_never_reach_responses_or_the_debug_log(phone_api: RunningEmulator) -> None:
    with native_plugin({"PHONECFG_DEBUG": "1"}) as plugin:
        plugin.configure(native_config(phone_api))
        created = plugin.create(sip_trunk())
        genesys_created = plugin.create(genesys())
        rotated_security = {**unwrap(sip_trunk()["security"]), "password": FAKE_NEW_PASSWORD}
        news = plugin.checked(sip_trunk(security=secret(rotated_security)))
        updated = plugin.update(created.id, created.outputs, news)
        read = plugin.read(created.id)
        responses = [created.outputs, genesys_created.outputs, updated, json_format.MessageToDict(read)]
        no_plaintext(responses)
    log = plugin.close()
    assert "PATCH" in log  # the debug log was on
    no_plaintext(log)


def test_a_changed_number_that_moved_is_shown_as_removed_and_added(plugin: NativePlugin) -> None:
    numbers = [{"phoneNumber": f"+1415555{index:04d}"} for index in range(1, 6)]
    created = plugin.create(sip_trunk(phoneNumbers=numbers))
    changed = [{"phoneNumber": "+14155550000"}, *numbers]  # sorts first: every index shifts by one
    changed[3] = {**changed[3], "description": "moved"}
    response = plugin.diff(created.id, created.outputs, plugin.checked(sip_trunk(phoneNumbers=changed)))
    assert detailed(response) == {"phoneNumbers[0]": "ADD", "phoneNumbers[2]": "DELETE", "phoneNumbers[3]": "ADD"}
    swapped = [{"phoneNumber": "+14155550000"}, *numbers[1:]]  # the first number replaced by another in its place
    response = plugin.diff(created.id, created.outputs, plugin.checked(sip_trunk(phoneNumbers=swapped)))
    assert detailed(response) == {"phoneNumbers[0]": "UPDATE"}


def test_a_config_without_numbers_never_writes_the_numbers_others_added(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk(phoneNumbers=None))
    added = phone_api.api().post(f"/v1/channels/phone/{created.id}/numbers", json={"phone_number": "+14155550177"})
    assert added.status_code < 300, added.text
    refreshed = plain(plugin.read(created.id, created.outputs, created.inputs).properties)
    assert [n["phoneNumber"] for n in refreshed["phoneNumbers"]] == ["+14155550177"]
    news = plugin.checked(sip_trunk(phoneNumbers=None, description="edited"))
    assert "phoneNumbers" not in news
    response = plugin.diff(created.id, refreshed, news)
    assert detailed(response) == {"description": "UPDATE"}
    phone_api.clear_requests()
    plugin.update(created.id, refreshed, news)
    (patch,) = phone_api.api_requests()
    assert patch["body"] == {"description": "edited"}


def test_strict_phone_numbers_is_a_provider_setting(phone_api: RunningEmulator) -> None:
    reserved = sip_trunk(phoneNumbers=[{"phoneNumber": "+447700900123"}])  # a reserved UK range
    with native_plugin() as lenient:
        lenient.configure(native_config(phone_api))
        assert not lenient.check(reserved).failures
    with native_plugin() as strict:
        strict.configure({**native_config(phone_api), "strictPhoneNumbers": True})
        (failure,) = strict.check(reserved).failures
        assert failure.property == "phoneNumbers[0].phoneNumber" and "strictPhoneNumbers" in failure.reason


def test_transient_faults_are_retried_and_a_lasting_one_is_one_line(phone_api: RunningEmulator) -> None:
    with native_plugin() as plugin:
        plugin.configure({**native_config(phone_api), "maxRetries": 2})
        created = plugin.create(sip_trunk())
        news = plugin.checked(sip_trunk(description="after a hiccup"))
        phone_api.set_faults([{"method": "PATCH", "kind": "status", "status": 503, "times": 1}])
        phone_api.clear_requests()
        updated = plugin.update(created.id, created.outputs, news)
        assert updated["description"] == "after a hiccup" and methods(phone_api) == ["PATCH", "PATCH"]

        phone_api.set_faults([{"method": "PATCH", "kind": "status", "status": 503}])
        lasting = plugin.checked(sip_trunk(description="never"))
        with pytest.raises(grpc.RpcError) as caught:
            plugin.update(created.id, updated, lasting)
        message = caught.value.details()
        assert message.startswith("update phone config 'Native trunk' failed: HTTP 503") and "\n" not in message
        assert methods(phone_api).count("PATCH") == 2 + 3  # the first update's two, then 1 + maxRetries
        no_plaintext(message)


def test_a_forced_replacement_that_adopts_the_same_config_does_not_delete_it(phone_api: RunningEmulator) -> None:
    """`pulumi up --replace` without deleteBeforeReplace, adoption on: the replacement's create adopts the config
    the old resource holds (same id), then the engine deletes the old copy: that delete must not reach the API."""
    with native_plugin() as plugin:
        plugin.configure({**native_config(phone_api), "adoptExisting": True})
        old = plugin.create(sip_trunk(), name="trunk")
        replacement = plugin.create(sip_trunk(), name="trunk")
        assert replacement.id == old.id
        phone_api.clear_requests()
        plugin.delete(old.id, old.outputs, name="trunk")
        assert methods(phone_api) == []
        assert phone_api.api().get(f"/v1/channels/phone/{old.id}").status_code == 200
