"""The native plugin against the parts of the provider protocol a dynamic provider has no access to (issue 24):
`ignoreChanges` in Diff and Update, preview Create/Update (`supportsPreview`), and a half-finished create reported
as partial state (`ErrorResourceInitFailed`). The real plugin process against the real emulator process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from google.rpc import status_pb2
from grpc_plugin import SECRET_SIG, SECRET_VALUE, UNKNOWN, secret
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.native.names import keys_to_api

from .harness import NativePlugin, native_config, native_plugin, unwrap
from .test_phone_config_grpc import FAKE_PASSWORD, detailed, genesys, methods, no_plaintext, sip_trunk

STATUS_DETAILS = "grpc-status-details-bin"
DIFF_NONE, DIFF_SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME


@pytest.fixture
def plugin(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running


# ---- 5. a create neither finished nor undone is handed to the engine ------------------------------------------


def _init_failed(error: grpc.RpcError) -> provider_pb2.ErrorResourceInitFailed:
    trailers = dict(error.trailing_metadata() or ())  # type: ignore[attr-defined]
    status = status_pb2.Status.FromString(trailers[STATUS_DETAILS])
    (detail,) = status.details
    init_failed = provider_pb2.ErrorResourceInitFailed()
    assert detail.Unpack(init_failed)
    return init_failed


def test_a_create_whose_patch_and_cleanup_fail_reports_the_config_as_partial_state(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    phone_api.set_faults(
        [
            {"method": "PATCH", "kind": "status", "status": 422, "times": 1},
            {"method": "DELETE", "kind": "status", "status": 403},
        ]
    )
    with pytest.raises(grpc.RpcError) as raised:
        plugin.create(sip_trunk())
    assert methods(phone_api) == ["GET", "POST", "PATCH", "DELETE"]
    error = raised.value
    assert error.code() == grpc.StatusCode.UNKNOWN  # type: ignore[attr-defined]
    partial = _init_failed(error)
    created = phone_api.api().get(f"/v1/channels/phone/{partial.id}").json()
    assert partial.id == created["id"] and partial.id in error.details()  # type: ignore[attr-defined]
    properties = json_format.MessageToDict(partial.properties)
    assert properties["security"][SECRET_SIG] == SECRET_VALUE
    assert unwrap(properties)["name"] == "Native trunk" and unwrap(properties)["phoneNumbers"] == []
    assert json_format.MessageToDict(partial.inputs)["phoneNumbers"]  # the program's, for the next update
    (reason,) = partial.reasons
    assert "HTTP 422" in reason and "created but not completed" in reason and "by hand" not in reason
    no_plaintext(properties, reason, error.details())  # type: ignore[attr-defined]

    # What the engine does next `up`: an update from the partial state to the program's inputs.
    phone_api.clear_faults()
    phone_api.clear_requests()
    inputs = json_format.MessageToDict(partial.inputs)
    finished = plugin.update(partial.id, properties, inputs)
    (patch,) = phone_api.api_requests()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {"phone_numbers"}
    assert [n["phoneNumber"] for n in finished["phoneNumbers"]] == ["+14155550100", "+14155550101"]
    assert FAKE_PASSWORD not in str(properties)


# ---- 1. ignoreChanges: ignored paths are taken from the state, never sent -------------------------------------


def _console_edit(phone_api: RunningEmulator, config_id: str, body: dict[str, Any]) -> None:
    phone_api.api().patch(f"/v1/channels/phone/{config_id}", params={"append": "false"}, json=body).raise_for_status()


def test_an_ignored_description_edited_in_the_console_is_neither_planned_nor_sent(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk())
    _console_edit(phone_api, created.id, {"description": "edited in the console"})
    refreshed = json_format.MessageToDict(plugin.read(created.id, created.outputs, created.inputs).properties)
    phone_api.clear_requests()

    assert plugin.diff(created.id, refreshed, created.inputs).changes == DIFF_SOME  # not ignored: put back
    kept = plugin.diff(created.id, refreshed, created.inputs, ignore_changes=["description"])
    assert kept.changes == DIFF_NONE and dict(kept.detailedDiff) == {}

    news = plugin.checked(sip_trunk(customInviteHeaders=[{"name": "X-Tenant"}]))
    change = plugin.diff(created.id, refreshed, news, ignore_changes=["description"])
    assert detailed(change) == {"customInviteHeaders[0]": "DELETE"}
    updated = plugin.update(created.id, refreshed, news, ignore_changes=["description"])
    (patch,) = phone_api.api_requests()
    assert patch["body"] == {"custom_invite_headers": [{"name": "X-Tenant"}]}
    assert updated["description"] == "edited in the console"


def test_an_ignored_number_path_follows_its_number_when_another_sorts_before_it(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk())  # checked: [+14155550100, +14155550101 "overflow"]
    numbers = unwrap(created.outputs)["phoneNumbers"]
    console = [
        {**keys_to_api(n), "description": "console"} if n["phoneNumber"].endswith("101") else keys_to_api(n)
        for n in numbers
    ]
    _console_edit(phone_api, created.id, {"phone_numbers": console})
    refreshed = json_format.MessageToDict(plugin.read(created.id, created.outputs, created.inputs).properties)
    # The program adds +14155550099: in the checked (sorted) list +14155550101 moves from [1] to [2].
    news = plugin.checked(sip_trunk(phoneNumbers=[*sip_trunk()["phoneNumbers"], {"phoneNumber": "+14155550099"}]))
    assert [n["phoneNumber"] for n in news["phoneNumbers"]][2] == "+14155550101"
    ignored = ["phoneNumbers[2].description"]
    change = plugin.diff(created.id, refreshed, news, ignore_changes=ignored)
    assert detailed(change) == {"phoneNumbers[0]": "ADD"}  # the new number only: the console edit is kept
    phone_api.clear_requests()
    plugin.update(created.id, refreshed, news, ignore_changes=ignored)
    (patch,) = phone_api.api_requests()
    sent = {n["phone_number"]: n.get("description") for n in patch["body"]["phone_numbers"]}
    assert sent == {"+14155550099": None, "+14155550100": None, "+14155550101": "console"}


# ---- 4. preview: planned outputs, no request -------------------------------------------------------------------


def test_the_plugin_supports_preview(phone_api: RunningEmulator) -> None:
    with native_plugin() as running:
        assert running.configure(native_config(phone_api)).supportsPreview is True


def test_a_preview_update_plans_the_outputs_the_update_returns(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(genesys())
    other = {"agentId": "aaaaaaaa-2222-4333-8444-555555555555", "environmentId": "bbbbbbbb-7777-4888-8999-000000000000"}
    news = plugin.checked(
        genesys(description="now described", attachedEnvironments=[*genesys()["attachedEnvironments"], other])
    )
    phone_api.clear_requests()
    planned = plugin.update(created.id, created.outputs, news, preview=True)
    assert phone_api.api_requests() == []
    assert planned["updatedAt"] == UNKNOWN and planned["security"][SECRET_SIG] == SECRET_VALUE
    no_plaintext(planned)
    applied = plugin.update(created.id, created.outputs, news)
    assert len(planned["connectors"]) == 2
    assert {k: v for k, v in planned.items() if k != "updatedAt"} == {
        k: v for k, v in applied.items() if k != "updatedAt"
    }


def test_a_preview_update_keeps_undeclared_numbers_and_the_sip_uri(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    created = plugin.create(sip_trunk())
    news = plugin.checked(sip_trunk(phoneNumbers=None, description="no numbers declared"))
    planned = plugin.update(created.id, created.outputs, news, preview=True)
    assert planned["phoneNumbers"] == created.outputs["phoneNumbers"]
    assert planned["sipUri"] == created.outputs["sipUri"] and planned["tenantId"] == created.outputs["tenantId"]
    assert planned["description"] == "no numbers declared"
    rotated = plugin.checked(
        sip_trunk(security=secret({"authentication": True, "username": "trunk", "password": "fake-rotated"}))
    )
    fingerprints = unwrap(plugin.update(created.id, created.outputs, rotated, preview=True))["security"]["fingerprints"]
    assert fingerprints == {"password": UNKNOWN}  # a new credential's fingerprint is made by the update


def test_a_preview_create_sends_nothing_and_leaves_server_outputs_unknown(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    planned = plugin.create(sip_trunk(description=UNKNOWN), preview=True)
    assert phone_api.api_requests() == [] and planned.id == ""
    outputs = planned.outputs
    assert outputs["tenantId"] == UNKNOWN and outputs["sipUri"] == UNKNOWN and outputs["description"] == UNKNOWN
    assert unwrap(outputs)["name"] == "Native trunk" and unwrap(outputs)["security"]["fingerprints"] == {
        "password": UNKNOWN
    }
    no_plaintext(outputs)
