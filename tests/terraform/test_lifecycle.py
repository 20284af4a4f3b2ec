"""The Terraform face's plan/apply/refresh/import answers, in-process against the emulator: the same requests as
the Pulumi faces, plans that show a change exactly when there is one, credentials only in the config."""

from __future__ import annotations

from typing import Any

import pytest
from tf.gen import tfplugin_pb2 as pb

from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.terraform.resources import IMPORTING
from pulumi_phonecfg.terraform.values import UNKNOWN, encode, is_unknown

from .harness import ATTACHMENT, CONFIG, NUMBER, TfProvider, messages

PASSWORD = "tf-unit-fake-password"
TRUNK: dict[str, Any] = {
    "name": "Unit trunk",
    "security": {"authentication": True, "username": "unit", "password": PASSWORD},
    "phone_numbers": [{"phone_number": "+1 415 555 0100", "description": "Main"}],
    "custom_invite_headers": [{"name": "X-One"}],
}


def writes(api: RunningEmulator) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in api.api_requests() if e["method"] != "GET"]


@pytest.fixture
def provider(phone_api: RunningEmulator) -> TfProvider:
    return TfProvider(phone_api)


def test_create_plans_defaults_and_unknown_outputs_without_a_request(
    provider: TfProvider, phone_api: RunningEmulator
) -> None:
    planned = provider.plan(CONFIG, None, TRUNK)
    assert phone_api.api_requests() == []
    assert planned["service_provider"] == "sip_trunk"  # server defaults, as the Pulumi faces' check fills them
    assert planned["put_caller_on_hold_on_transfer"] is True
    assert planned["security"]["secure_trunking"] is False
    assert planned["security"]["password"] is None  # write-only: never in a plan
    assert planned["phone_numbers"][0]["phone_number"] == "+1 415 555 0100"  # the config's own spelling
    assert all(is_unknown(planned[name]) for name in ("id", "tenant_id", "sip_uri", "security_fingerprints"))


def test_create_is_one_post_and_one_patch_then_plans_clean(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, TRUNK)
    assert [m for m, _ in writes(phone_api)] == ["POST", "PATCH"]  # the numbers follow the create
    assert state["security"]["password"] is None
    assert state["security_fingerprints"]["password"].startswith("pbkdf2_sha256$")
    phone_api.clear_requests()
    assert provider.plan(CONFIG, state, TRUNK) == state  # nothing to do: the plan is the state
    refreshed = provider.read(CONFIG, state)
    assert refreshed == state  # E.164 written with spaces reads back as the same number: no drift
    assert [(e["method"]) for e in phone_api.api_requests()] == ["GET"]


def test_update_patches_only_the_changed_field(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, TRUNK)
    phone_api.clear_requests()
    changed = {**TRUNK, "description": "now described"}
    planned = provider.plan(CONFIG, state, changed)
    assert is_unknown(planned["updated_at"]) and planned["created_on"] == state["created_on"]
    applied = provider.apply(CONFIG, state, changed)
    assert applied.state is not None and applied.state["description"] == "now described"
    patches = [e for e in phone_api.api_requests() if e["method"] == "PATCH"]
    assert len(writes(phone_api)) == 1 and set(patches[0]["body"]) == {"description"}


def test_a_rotated_password_is_a_change_the_plan_sees(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, TRUNK)
    rotated = {**TRUNK, "security": {**TRUNK["security"], "password": "tf-unit-fake-password-2"}}
    planned = provider.plan(CONFIG, state, rotated)
    assert is_unknown(planned["security_fingerprints"])
    phone_api.clear_requests()
    applied = provider.apply(CONFIG, state, rotated)
    assert applied.state is not None
    assert applied.state["security_fingerprints"]["password"] != state["security_fingerprints"]["password"]
    assert [set(e["body"]) for e in phone_api.api_requests() if e["method"] == "PATCH"] == [{"security"}]


def test_service_provider_change_replaces(provider: TfProvider) -> None:
    state = provider.create(CONFIG, {"name": "Kind change"})
    genesys = {
        "name": "Kind change",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "tf-unit-fake-key", "client_secret": "ZmFrZQ=="},
    }
    response = provider.plan_response(CONFIG, state, genesys)
    assert [[s.attribute_name for s in path.steps] for path in response.requires_replace] == [["service_provider"]]


def test_bad_input_names_the_hcl_path_before_any_request(provider: TfProvider, phone_api: RunningEmulator) -> None:
    found = provider.validate(CONFIG, {"name": "Bad", "phone_numbers": [{"phone_number": "12"}]})
    assert found and found[0].startswith("phone_numbers[0].phone_number "), found
    assert found[0].endswith("(got '12')"), found  # the CLI points at the set: the message says which element
    found = provider.validate(CONFIG, {"name": "Bad", "security": {"authentication": True}})
    assert any(m.startswith("security.username ") for m in found), found
    response = provider.plan_response(CONFIG, None, {"name": "   "})
    assert next(list(d.attribute.steps) for d in response.diagnostics)[0].attribute_name == "name"
    assert phone_api.api_requests() == []


def test_unknown_values_pass_the_check_and_plan_unknown(provider: TfProvider) -> None:
    planned = provider.plan(NUMBER, None, {"config_id": UNKNOWN, "phone_number": "+14155550100"})
    assert is_unknown(planned["config_id"]) and planned["phone_number"] == "+14155550100"


def test_undeclared_numbers_stay_out_of_the_state(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, {"name": "Shared"})
    phone_api.api().patch(
        f"/v1/channels/phone/{state['id']}", json={"phone_numbers": [{"phone_number": "+14155550111"}]}
    ).raise_for_status()
    refreshed = provider.read(CONFIG, state)
    assert refreshed is not None and refreshed["phone_numbers"] is None  # another party's numbers: not ours
    assert provider.plan(CONFIG, refreshed, {"name": "Shared"}) == refreshed


def test_drift_is_read_and_planned_back(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, TRUNK)
    phone_api.api().patch(f"/v1/channels/phone/{state['id']}", json={"description": "console"}).raise_for_status()
    refreshed = provider.read(CONFIG, state)
    assert refreshed is not None and refreshed["description"] == "console"
    planned = provider.plan(CONFIG, refreshed, TRUNK)
    assert planned["description"] is None and is_unknown(planned["updated_at"])


def test_a_deleted_config_reads_as_gone(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, {"name": "Gone soon"})
    phone_api.api().delete(f"/v1/channels/phone/{state['id']}").raise_for_status()
    assert provider.read(CONFIG, state) is None


def test_import_reads_every_field_but_credentials(provider: TfProvider, phone_api: RunningEmulator) -> None:
    state = provider.create(CONFIG, TRUNK)
    imported = provider.import_(CONFIG, state["id"])
    assert imported is not None
    assert imported["phone_numbers"] == [
        {"phone_number": "+14155550100", "description": "Main", "agent_id": None, "environment_id": None}
    ]
    assert imported["custom_invite_headers"] == [{"name": "X-One"}]
    assert imported["security"]["username"] == "unit" and imported["security"]["password"] is None
    assert IMPORTING == b"import"


def test_number_and_attachment_lifecycles(provider: TfProvider, phone_api: RunningEmulator) -> None:
    trunk = provider.create(CONFIG, {"name": "Number home"})
    number = provider.create(NUMBER, {"config_id": trunk["id"], "phone_number": "+14155550120"})
    assert number["id"] == f"{trunk['id']}/+14155550120"
    assert provider.plan(NUMBER, number, {"config_id": trunk["id"], "phone_number": "+14155550120"}) == number
    assert provider.import_(NUMBER, number["id"]) == number
    genesys = provider.create(
        CONFIG,
        {
            "name": "Attach home",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "tf-unit-fake-key", "client_secret": "ZmFrZQ=="},
        },
    )
    pair = {
        "config_id": genesys["id"],
        "agent_id": "11111111-1111-4111-8111-111111111111",
        "environment_id": "22222222-2222-4222-8222-222222222222",
    }
    attachment = provider.create(ATTACHMENT, pair)
    assert attachment["connector_id"] and attachment["audio_connect_uri"]
    phone_api.clear_requests()
    gone = provider.apply(ATTACHMENT, attachment, None)
    assert gone.state is None and gone.diagnostics == []
    assert [m for m, _ in writes(phone_api)] == ["PATCH"]


def test_api_errors_are_one_line_diagnostics(provider: TfProvider, phone_api: RunningEmulator) -> None:
    provider.create(CONFIG, {"name": "Taken"})
    second = provider.apply(CONFIG, None, {"name": "Taken"})
    assert second.state is None
    assert len(second.diagnostics) == 1 and "\n" not in second.diagnostics[0]
    assert "already exists" in second.diagnostics[0] and "adopt_existing" in second.diagnostics[0]


def test_provider_settings_are_checked_with_hcl_names(phone_api: RunningEmulator) -> None:
    provider = TfProvider(phone_api)
    block = {"url": "http://example.com", "token": "x"}
    response = provider.servicer.ValidateProviderConfig(pb.ValidateProviderConfig.Request(config=encode(block)), None)
    assert messages(response.diagnostics) and "url" in messages(response.diagnostics)[0]
    assert "phonecfg:" not in messages(response.diagnostics)[0]
