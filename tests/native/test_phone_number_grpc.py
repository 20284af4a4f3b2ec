"""The native `phonecfg:index:PhoneNumber`: the plugin as a subprocess spoken to over gRPC, against the emulator.

The lifecycle is the dynamic PhoneNumber's (`core/lifecycle/phone_number.py`), so the request sequences are the
same; what is asserted here is the native side: camelCase names (failures included, with no request sent), the detailed
diff (a rename is an update of `phoneNumber`, a new `configId` a replacement, deleting first), a rename addressed by
the outputs although the id names the number as created, and Read with the id only: the inputs `pulumi import`
records, which the next `up` agrees with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from grpc_plugin import UNKNOWN, plain, secret
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator
from tests.dynamic.test_numbers_grpc import AGENT, ENV, OTHER_AGENT, PHONES, make_trunk, sent, stored_numbers

from .harness import NUMBER_TYPE, NativePlugin, native_config, native_plugin

PropertyDiff = provider_pb2.PropertyDiff


@pytest.fixture
def numbers(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running.of_type(NUMBER_TYPE)


def detailed(response: Any) -> dict[str, str]:
    return {path: PropertyDiff.Kind.Name(diff.kind) for path, diff in response.detailedDiff.items()}


def one_line(error: grpc.RpcError) -> str:
    details = str(error.details())
    assert "\n" not in details and "Traceback" not in details, details
    return details


def test_the_schema_serves_phone_number_with_config_id_replacing(numbers: NativePlugin) -> None:
    spec = json.loads(numbers.stub.GetSchema(provider_pb2.GetSchemaRequest()).schema)
    resource = spec["resources"][NUMBER_TYPE]
    assert sorted(resource["inputProperties"]) == [
        "agentId",
        "configId",
        "description",
        "environmentId",
        "phoneNumber",
    ]
    assert resource["requiredInputs"] == ["configId", "phoneNumber"]
    assert resource["inputProperties"]["configId"]["willReplaceOnChanges"] is True
    assert "willReplaceOnChanges" not in resource["inputProperties"]["phoneNumber"]  # a rename is an update


def test_check_names_fields_in_camel_case_before_any_request(numbers: NativePlugin, phone_api: RunningEmulator) -> None:
    response = numbers.check({"configId": "trunk-1", "phoneNumber": "555-0100", "agentId": AGENT})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"configId", "phoneNumber", "agentId"}, failures
    assert "UUID" in failures["configId"]
    assert failures["agentId"] == "agentId and environmentId must be given together"
    assert "_" not in "".join(failures), failures

    snake = numbers.check({"config_id": "0b6f3a52-0000-4000-8000-000000000001", "phone_number": "+14155550100"})
    reasons = {f.property: f.reason for f in snake.failures}
    assert set(reasons) == {"config_id", "phone_number", "configId", "phoneNumber"}, reasons
    assert "did you mean 'configId'" in reasons["config_id"]
    assert "did you mean 'phoneNumber'" in reasons["phone_number"]
    assert reasons["configId"] == "is required" and reasons["phoneNumber"] == "is required"

    typo = numbers.check({"configId": "0b6f3a52-0000-4000-8000-000000000001", "phoneNumber": "+1", "agent": AGENT})
    assert "known here: agentId, configId, description, environmentId, phoneNumber" in {
        f.property: f.reason for f in typo.failures
    }.get("agent", "")
    assert phone_api.api_requests() == []


def test_check_returns_the_canonical_form_and_passes_unknowns_through(numbers: NativePlugin) -> None:
    trunk = "0B6F3A52-0000-4000-8000-000000000001"
    checked = numbers.checked(
        {"configId": trunk, "phoneNumber": "+1 415 555 0100", "agentId": AGENT.upper(), "environmentId": ENV}
    )
    assert checked == {"configId": trunk, "phoneNumber": "+14155550100", "agentId": AGENT, "environmentId": ENV}
    previewed = numbers.checked({"configId": UNKNOWN, "phoneNumber": "+14155550100"})
    assert previewed == {"configId": UNKNOWN, "phoneNumber": "+14155550100"}
    # A secret description stays secret on the way back.
    hidden = numbers.checked({"configId": trunk, "phoneNumber": "+14155550100", "description": secret("private")})
    assert hidden["description"] == secret("private")


def test_create_update_rename_move_read_delete_send_one_request_each(
    numbers: NativePlugin, phone_api: RunningEmulator
) -> None:
    trunk = make_trunk(phone_api, {"phone_number": "+14155550170", "description": "platform's"})
    declared = {"configId": trunk, "phoneNumber": "+1 415 555 0171", "agentId": AGENT, "environmentId": ENV}

    created = numbers.create(declared, name="sales")
    assert created.id == f"{trunk}/+14155550171"
    assert sent(phone_api) == [f"POST {PHONES}/{trunk}/numbers"]
    (post,) = phone_api.api_requests()
    assert post["body"] == {"phone_number": "+14155550171", "agent_id": AGENT, "environment_id": ENV}
    assert created.outputs == {**declared, "phoneNumber": "+14155550171"}

    # Unchanged, spelled differently: no change and no request.
    phone_api.clear_requests()
    respelled = numbers.checked({**declared, "phoneNumber": "+14155550171"})
    unchanged = numbers.diff(created.id, created.outputs, respelled)
    assert unchanged.changes == unchanged.DIFF_NONE and dict(unchanged.detailedDiff) == {}

    # A description: one detailed entry, one PATCH.
    described = numbers.checked({**declared, "description": "sales line"})
    change = numbers.diff(created.id, created.outputs, described)
    assert detailed(change) == {"description": "ADD"} and list(change.diffs) == ["description"]
    assert list(change.replaces) == []
    assert phone_api.api_requests() == []
    updated = numbers.update(created.id, created.outputs, described)
    assert sent(phone_api) == [f"PATCH {PHONES}/{trunk}/numbers/%2B14155550171"]
    assert phone_api.api_requests()[0]["body"] == {"phone_number": "+14155550171", "description": "sales line"}
    assert updated["description"] == "sales line"

    # A rename: an update in place (never a replacement), one PATCH at the old number.
    phone_api.clear_requests()
    renamed_news = numbers.checked({**declared, "description": "sales line", "phoneNumber": "+14155550172"})
    rename = numbers.diff(created.id, updated, renamed_news)
    assert detailed(rename) == {"phoneNumber": "UPDATE"} and list(rename.replaces) == []
    renamed = numbers.update(created.id, updated, renamed_news)
    assert sent(phone_api) == [f"PATCH {PHONES}/{trunk}/numbers/%2B14155550171"]
    assert phone_api.api_requests()[0]["body"] == {"phone_number": "+14155550172"}
    assert renamed == {**renamed_news}
    assert set(stored_numbers(phone_api, trunk)) == {"+14155550170", "+14155550172"}

    # Refresh: one GET; the id still names the number as created, the outputs the renamed one; inputs kept.
    phone_api.clear_requests()
    refreshed = numbers.read(created.id, renamed, renamed_news)
    assert sent(phone_api) == [f"GET {PHONES}/{trunk}"]
    assert refreshed.id == created.id and plain(refreshed.properties)["phoneNumber"] == "+14155550172"
    assert plain(refreshed.inputs) == renamed_news
    assert numbers.diff(created.id, plain(refreshed.properties), renamed_news).changes == rename.DIFF_NONE

    # Another trunk: a replacement, the old number deleted first; nothing is sent by the diff.
    other = make_trunk(phone_api, name="Other trunk")
    moved = numbers.checked({**renamed_news, "configId": other})
    move = numbers.diff(created.id, renamed, moved)
    assert detailed(move) == {"configId": "UPDATE_REPLACE"}
    assert list(move.replaces) == ["configId"] and move.deleteBeforeReplace is True
    assert phone_api.api_requests() == []

    # Delete: addressed by the outputs (the renamed number), one DELETE; the platform's number stays.
    numbers.delete(created.id, renamed)
    assert sent(phone_api) == [f"DELETE {PHONES}/{trunk}/numbers/%2B14155550172"]
    assert set(stored_numbers(phone_api, trunk)) == {"+14155550170"}
    assert numbers.read(created.id, renamed, renamed_news).id == ""  # gone: leaves the state
    numbers.delete(created.id, renamed)  # already gone: still fine


def test_import_reads_the_number_once_and_records_inputs_the_next_up_agrees_with(
    numbers: NativePlugin, phone_api: RunningEmulator
) -> None:
    on_trunk = {"phone_number": "+14155550180", "description": "console line", "agent_id": AGENT, "environment_id": ENV}
    trunk = make_trunk(phone_api, {"phone_number": "+14155550170"}, on_trunk)

    imported = numbers.read(f"{trunk}/+1 415 555 0180")  # the id only, as `pulumi import` sends it
    assert sent(phone_api) == [f"GET {PHONES}/{trunk}"]
    assert imported.id == f"{trunk}/+14155550180"  # the canonical id
    expected = {
        "configId": trunk,
        "phoneNumber": "+14155550180",
        "description": "console line",
        "agentId": AGENT,
        "environmentId": ENV,
    }
    assert plain(imported.inputs) == expected and plain(imported.properties) == expected

    # The program the import implies (the inputs as declared): check passes, the diff is empty, nothing is sent.
    phone_api.clear_requests()
    declared = numbers.checked(plain(imported.inputs))
    assert numbers.check(plain(imported.inputs), olds=plain(imported.inputs)).failures == []
    again = numbers.diff(imported.id, plain(imported.properties), declared)
    assert again.changes == again.DIFF_NONE
    assert phone_api.api_requests() == []

    # Not on that trunk: nothing to import (the engine says it does not exist).
    assert numbers.read(f"{trunk}/+14155550181").id == ""


@pytest.mark.parametrize(
    ("import_id", "named"),
    [
        ("+14155550180", "must be <configId>/<phoneNumber>"),
        ("not-a-uuid/+14155550180", "configId must be a phone config id"),
        ("0b6f3a52-0000-4000-8000-000000000001/555", "phoneNumber"),
    ],
)
def test_a_malformed_import_id_is_one_line_before_any_request(
    numbers: NativePlugin, phone_api: RunningEmulator, import_id: str, named: str
) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        numbers.read(import_id)
    message = one_line(raised.value)
    assert message.startswith(f"import of a PhoneNumber: the id {import_id!r} must be <configId>/<phoneNumber>")
    assert named in message
    assert phone_api.api_requests() == []


def test_a_number_routed_elsewhere_and_a_genesys_config_are_one_line_each(
    numbers: NativePlugin, phone_api: RunningEmulator
) -> None:
    trunk = make_trunk(phone_api, {"phone_number": "+14155550176", "agent_id": OTHER_AGENT, "environment_id": ENV})
    with pytest.raises(grpc.RpcError) as raised:
        numbers.create({"configId": trunk, "phoneNumber": "+14155550176", "agentId": AGENT, "environmentId": ENV})
    message = one_line(raised.value)
    assert f"+14155550176 is already on phone config 'Shared trunk' ({trunk})" in message
    assert f"routed to agent {OTHER_AGENT}" in message
    assert message.endswith("(another stack, an inline phoneNumbers list, or the console)")
    assert sent(phone_api) == [f"POST {PHONES}/{trunk}/numbers", f"GET {PHONES}/{trunk}"]

    body = {
        "name": "Genesys line",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "fake-genesys-api-key-native-numbers", "client_secret": "ZmFrZQ=="},
    }
    genesys = phone_api.api().post(PHONES, json=body).json()["id"]
    phone_api.clear_requests()
    with pytest.raises(grpc.RpcError) as raised:
        numbers.create({"configId": genesys, "phoneNumber": "+14155550177"})
    assert one_line(raised.value).endswith("only sip_trunk configs have phone numbers")
    assert "fake-genesys-api-key" not in str(raised.value.details())
    assert sent(phone_api) == [f"POST {PHONES}/{genesys}/numbers", f"GET {PHONES}/{genesys}"]


def test_a_forced_replacement_that_adopts_the_same_number_does_not_delete_it(
    numbers: NativePlugin, phone_api: RunningEmulator
) -> None:
    """`pulumi up --replace` (or a provider change) replaces create-before-delete whatever Diff asks: the new
    number is created first (adopting the one on the trunk: the same id), then the old copy deleted."""
    config_id = make_trunk(phone_api)
    line = {"configId": config_id, "phoneNumber": "+14155550142", "description": "kept"}
    old = numbers.create(line, name="line")
    replacement = numbers.create(line, name="line")  # the engine's create of the replacement
    assert replacement.id == old.id
    phone_api.clear_requests()
    numbers.delete(old.id, old.outputs, name="line")  # the engine's delete of the old copy

    assert phone_api.api_requests() == []
    assert "+14155550142" in stored_numbers(phone_api, config_id)  # the state still holds it: still on the trunk

    other = numbers.create({**line, "phoneNumber": "+14155550143"}, name="other")
    numbers.delete(other.id, other.outputs, name="line")  # another resource's id: a real delete
    assert "+14155550143" not in stored_numbers(phone_api, config_id)
