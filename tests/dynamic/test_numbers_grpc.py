"""PhoneNumber through the real pulumi.dynamic gRPC server against the emulator: the exact requests of each call.

The trunk is made out of band (another stack's, as far as this provider knows): a PhoneNumber writes only its
own number, through the numbers endpoints, and never touches the trunk's other numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from pulumi_phonecfg import PhoneNumberProvider
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import NUMBER_URN, DynamicProviderServer, dynamic_provider_server, emulator_config

PHONES = "/v1/channels/phone"
AGENT = "11111111-2222-4333-8444-555555555555"
ENV = "66666666-7777-4888-8999-000000000000"
OTHER_AGENT = "22222222-2222-4333-8444-555555555555"
FAKE_API_KEY = "fake-genesys-api-key-numbers"


@pytest.fixture
def numbers(phone_api: RunningEmulator) -> Iterator[DynamicProviderServer]:
    with dynamic_provider_server(provider=PhoneNumberProvider(), urn=NUMBER_URN) as server:
        server.configure(emulator_config(phone_api))
        yield server


def make_trunk(phone_api: RunningEmulator, *numbers: dict[str, Any], name: str = "Shared trunk") -> str:
    """A SIP trunk owned by someone else, with `numbers` on it; the request log is cleared afterwards."""
    api = phone_api.api()
    created = api.post(PHONES, json={"name": name, "security": {}})
    created.raise_for_status()
    config_id = str(created.json()["id"])
    if numbers:
        api.patch(f"{PHONES}/{config_id}", json={"phone_numbers": list(numbers)}).raise_for_status()
    phone_api.clear_requests()
    return config_id


def stored_numbers(phone_api: RunningEmulator, config_id: str) -> dict[str, dict[str, Any]]:
    document = phone_api.api().get(f"{PHONES}/{config_id}").json()
    return {n["phone_number"]: {k: v for k, v in n.items() if v is not None} for n in document["phone_numbers"]}


def sent(phone_api: RunningEmulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in phone_api.api_requests()]


def last_line(error: grpc.RpcError) -> str:
    return str(error.details()).strip().splitlines()[-1]


def test_create_update_rename_read_delete_one_request_each(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    trunk = make_trunk(phone_api, {"phone_number": "+14155550170", "description": "platform's"})
    news = {"config_id": trunk, "phone_number": "+1 415 555 0171", "agent_id": AGENT, "environment_id": ENV}

    created = numbers.create(news, name="sales")
    assert created.id == f"{trunk}/+14155550171"
    assert sent(phone_api) == [f"POST {PHONES}/{trunk}/numbers"]  # a create is its one POST
    (post,) = phone_api.api_requests("POST")
    assert post["body"] == {"phone_number": "+14155550171", "agent_id": AGENT, "environment_id": ENV}
    assert {k: v for k, v in created.outputs.items() if k != "__provider"} == {**news, "phone_number": "+14155550171"}
    assert set(stored_numbers(phone_api, trunk)) == {"+14155550170", "+14155550171"}

    # Unchanged (also spelled differently): no change, no request.
    phone_api.clear_requests()
    respelled = numbers.checked({**news, "phone_number": "+14155550171"}, name="sales")
    diff = numbers.diff(created.id, created.outputs, respelled, name="sales")
    assert diff.changes == diff.DIFF_NONE and sent(phone_api) == []

    # A description: one PATCH of the number, carrying the number and the description.
    described = numbers.checked({**news, "description": "sales line"}, name="sales")
    updated = numbers.update(created.id, created.outputs, described, name="sales")
    assert sent(phone_api) == [f"PATCH {PHONES}/{trunk}/numbers/%2B14155550171"]
    assert phone_api.api_requests()[0]["body"] == {"phone_number": "+14155550171", "description": "sales line"}
    assert updated["description"] == "sales line"

    # A rename: one PATCH, never a DELETE and a POST; routing and description stay.
    phone_api.clear_requests()
    renamed_news = numbers.checked({**news, "description": "sales line", "phone_number": "+14155550172"}, "sales")
    diff = numbers.diff(created.id, updated, renamed_news, name="sales")
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    renamed = numbers.update(created.id, updated, renamed_news, name="sales")
    assert sent(phone_api) == [f"PATCH {PHONES}/{trunk}/numbers/%2B14155550171"]
    assert phone_api.api_requests()[0]["body"] == {"phone_number": "+14155550172"}
    stored = stored_numbers(phone_api, trunk)
    assert set(stored) == {"+14155550170", "+14155550172"}
    assert stored["+14155550172"] == {
        "phone_number": "+14155550172",
        "description": "sales line",
        "agent_id": AGENT,
        "environment_id": ENV,
    }
    assert renamed["phone_number"] == "+14155550172"

    # Refresh reads the trunk once; the id still names the number as created, the outputs the renamed one.
    phone_api.clear_requests()
    read_id, read = numbers.read(created.id, renamed, name="sales")
    assert (read_id, read["phone_number"]) == (created.id, "+14155550172")
    assert sent(phone_api) == [f"GET {PHONES}/{trunk}"]
    assert numbers.diff(created.id, read, renamed_news, name="sales").changes == diff.DIFF_NONE

    phone_api.clear_requests()
    numbers.delete(created.id, read, name="sales")
    assert sent(phone_api) == [f"DELETE {PHONES}/{trunk}/numbers/%2B14155550172"]
    assert set(stored_numbers(phone_api, trunk)) == {"+14155550170"}  # the platform's number stays
    numbers.delete(created.id, read, name="sales")  # already gone: still fine


def test_a_removed_description_and_routing_are_sent_as_null(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    trunk = make_trunk(phone_api)
    routed = {"config_id": trunk, "phone_number": "+14155550173", "description": "d", "agent_id": AGENT}
    created = numbers.create({**routed, "environment_id": ENV})
    phone_api.clear_requests()
    bare = numbers.checked({"config_id": trunk, "phone_number": "+14155550173"})
    numbers.update(created.id, created.outputs, bare)
    (patch,) = phone_api.api_requests()
    assert patch["body"] == {
        "phone_number": "+14155550173",
        "description": None,
        "agent_id": None,
        "environment_id": None,
    }
    assert stored_numbers(phone_api, trunk) == {"+14155550173": {"phone_number": "+14155550173"}}


def test_a_number_gone_out_of_band_leaves_the_state(numbers: DynamicProviderServer, phone_api: RunningEmulator) -> None:
    trunk = make_trunk(phone_api)
    created = numbers.create({"config_id": trunk, "phone_number": "+14155550174"})
    phone_api.api().delete(f"{PHONES}/{trunk}/numbers/+14155550174").raise_for_status()
    gone_id, gone = numbers.read(created.id, created.outputs)
    assert gone_id == "" and set(gone) <= {"__provider"}
    phone_api.api().delete(f"{PHONES}/{trunk}").raise_for_status()  # the trunk too: same
    assert numbers.read(created.id, created.outputs)[0] == ""


def test_a_number_already_on_the_trunk_with_the_same_routing_is_adopted_after_the_refused_post(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    on_trunk = {"phone_number": "+14155550175", "agent_id": AGENT, "environment_id": ENV, "description": "old"}
    trunk = make_trunk(phone_api, on_trunk)
    declared = {"config_id": trunk, "phone_number": "+14155550175", "agent_id": AGENT, "environment_id": ENV}
    adopted = numbers.create({**declared, "description": "old"})
    # The POST is refused (409: the number is there), nothing written; the trunk's GET shows it routed the same way.
    assert [(r["method"], r["status"]) for r in phone_api.api_requests()] == [("POST", 409), ("GET", 200)]
    assert sent(phone_api) == [f"POST {PHONES}/{trunk}/numbers", f"GET {PHONES}/{trunk}"]
    assert adopted.id == f"{trunk}/+14155550175" and adopted.outputs["description"] == "old"

    phone_api.clear_requests()
    numbers.create({**declared, "description": "new"})  # same routing, another description: one PATCH
    assert sent(phone_api) == [
        f"POST {PHONES}/{trunk}/numbers",
        f"GET {PHONES}/{trunk}",
        f"PATCH {PHONES}/{trunk}/numbers/%2B14155550175",
    ]
    assert stored_numbers(phone_api, trunk)["+14155550175"]["description"] == "new"


def test_a_number_routed_elsewhere_is_refused_naming_where(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    trunk = make_trunk(phone_api, {"phone_number": "+14155550176", "agent_id": OTHER_AGENT, "environment_id": ENV})
    with pytest.raises(grpc.RpcError) as raised:
        numbers.create({"config_id": trunk, "phone_number": "+14155550176", "agent_id": AGENT, "environment_id": ENV})
    message = last_line(raised.value)
    assert f"+14155550176 is already on phone config 'Shared trunk' ({trunk})" in message
    assert f"routed to agent {OTHER_AGENT}" in message and f"the program routes it to agent {AGENT}" in message
    assert sent(phone_api) == [f"POST {PHONES}/{trunk}/numbers", f"GET {PHONES}/{trunk}"]  # the POST was refused
    assert stored_numbers(phone_api, trunk)["+14155550176"]["agent_id"] == OTHER_AGENT


def test_a_genesys_config_is_one_line_naming_it_and_no_write(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    body = {
        "name": "Genesys line",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": FAKE_API_KEY, "client_secret": "ZmFrZQ=="},
    }
    genesys = phone_api.api().post(PHONES, json=body).json()["id"]
    phone_api.clear_requests()
    with pytest.raises(grpc.RpcError) as raised:
        numbers.create({"config_id": genesys, "phone_number": "+14155550177"})
    message = last_line(raised.value)
    assert message.endswith(
        f"create phone number +14155550177 on {genesys} failed: phone config 'Genesys line' ({genesys}) is a "
        "genesys_audio_connector config; only sip_trunk configs have phone numbers"
    )
    assert FAKE_API_KEY not in str(raised.value.details())
    assert sent(phone_api) == [f"POST {PHONES}/{genesys}/numbers", f"GET {PHONES}/{genesys}"]  # the POST refused


def test_a_number_of_another_trunk_is_the_apis_conflict_in_one_line(
    numbers: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    make_trunk(phone_api, {"phone_number": "+14155550178"}, name="Other trunk")
    trunk = make_trunk(phone_api)
    with pytest.raises(grpc.RpcError) as raised:
        numbers.create({"config_id": trunk, "phone_number": "+14155550178"})
    assert last_line(raised.value).startswith(
        f"pulumi_phonecfg.errors.PhoneApiError: create phone number +14155550178 on {trunk} failed: HTTP 409: "
    )
    assert [r["method"] for r in phone_api.api_requests()] == ["POST", "GET"]  # the GET: not on this trunk


def test_check_names_the_field_through_the_engine_protocol(numbers: DynamicProviderServer) -> None:
    response = numbers.check({"config_id": "trunk-1", "phone_number": "555-0100", "agent_id": AGENT})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"config_id", "phone_number", "agent_id"}, failures
