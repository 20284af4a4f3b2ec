"""check(): validation names the field, never echoes a credential, and canonicalises before any HTTP request."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_phonecfg.core.lifecycle.phone_config import check_inputs

AGENT = "6f1c1d4e-0000-4000-8000-000000000001"
ENV = "6f1c1d4e-0000-4000-8000-000000000002"
FAKE_PASSWORD = "fake-sip-password-1"
FAKE_SECRET_B64 = "ZmFrZS1jbGllbnQtc2VjcmV0"  # base64("fake-client-secret")


def failures(news: dict[str, Any]) -> dict[str, str]:
    result = check_inputs({"__provider": "p", **news})
    return {f.property: f.reason for f in result.failures}


def checked(news: dict[str, Any]) -> dict[str, Any]:
    result = check_inputs({"__provider": "p", **news})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


@pytest.mark.parametrize(
    ("news", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"name": "ok", "description": "d" * 1025}, "description"),
        ({"name": "ok", "service_provider": "sip"}, "service_provider"),
        ({"name": "ok", "nmae": "typo"}, "nmae"),
        ({"name": "ok", "security": {"passwrd": "x"}}, "security.passwrd"),
        ({"name": "ok", "phone_numbers": [{"phone_number": "555-1234"}]}, "phone_numbers[0].phone_number"),
        # A length no +1 number can have: refused whether or not validation is strict.
        ({"name": "ok", "phone_numbers": [{"phone_number": "+141555501"}]}, "phone_numbers[0].phone_number"),
        (
            {
                "name": "ok",
                "phone_numbers": [{"phone_number": "+14155550100", "agent_id": "agent-7", "environment_id": ENV}],
            },
            "phone_numbers[0].agent_id",
        ),
        (
            {"name": "ok", "phone_numbers": [{"phone_number": "+14155550100", "agent_id": AGENT}]},
            "phone_numbers[0]",
        ),
        (
            {"name": "ok", "phone_numbers": [{"phone_number": "+14155550100"}, {"phone_number": "+1 415 555 0100"}]},
            "phone_numbers[1]",
        ),
        ({"name": "ok", "security": {"authentication": True, "username": "u"}}, "security.password"),
        ({"name": "ok", "security": {"authentication": True, "password": FAKE_PASSWORD}}, "security.username"),
        ({"name": "ok", "security": {"authentication": "yes"}}, "security.authentication"),
        ({"name": "ok", "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64}}, "security.api_key"),
        (
            {"name": "ok", "attached_environments": [{"agent_id": AGENT, "environment_id": ENV}]},
            "attached_environments",
        ),
        ({"name": "ok", "custom_invite_headers": [{"name": "X-A"}, {"name": "x-a"}]}, "custom_invite_headers[1]"),
        ({"name": "ok", "service_provider": "genesys_audio_connector"}, "security.api_key"),
        (
            {"name": "ok", "service_provider": "genesys_audio_connector", "security": {"api_key": "k"}},
            "security.client_secret",
        ),
        (
            {
                "name": "ok",
                "service_provider": "genesys_audio_connector",
                "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
                "phone_numbers": [{"phone_number": "+14155550100"}],
            },
            "phone_numbers",
        ),
        (
            {
                "name": "ok",
                "service_provider": "genesys_audio_connector",
                "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
                "send_provisional_response": False,
            },
            "send_provisional_response",
        ),
        (
            {
                "name": "ok",
                "service_provider": "genesys_audio_connector",
                "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64, "password": FAKE_PASSWORD},
            },
            "security.password",
        ),
        (
            {
                "name": "ok",
                "service_provider": "genesys_audio_connector",
                "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
                "attached_environments": [{"agent_id": AGENT, "environment_id": ENV}] * 2,
            },
            "attached_environments[1]",
        ),
    ],
)
def test_each_bad_input_fails_on_its_field(news: dict[str, Any], field: str) -> None:
    found = failures(news)
    assert field in found, found


def test_a_credential_is_never_echoed_in_a_failure() -> None:
    bad_secret = "not base64 but a fake secret!"
    found = failures(
        {
            "name": "ok",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "k", "client_secret": bad_secret},
        }
    )
    assert found == {"security.client_secret": "must be base64-encoded"}
    assert "security" not in found  # the engine would print the whole (secret) object next to that property


def test_security_of_the_wrong_type_is_not_reported_under_the_bare_key() -> None:
    found = failures({"name": "ok", "security": FAKE_PASSWORD})
    assert list(found) == ["security (object)"]
    assert FAKE_PASSWORD not in str(found)


def test_sip_defaults_are_filled_so_they_never_show_as_a_diff() -> None:
    assert checked({"name": " Support line "}) == {
        "name": "Support line",
        "service_provider": "sip_trunk",
        "security": {"secure_trunking": False, "authentication": False},
        "custom_invite_headers": [],
        "put_caller_on_hold_on_transfer": True,
        "send_provisional_response": True,
    }  # no phone_numbers: undeclared, so not this config's to write (issue 15)


def test_numbers_become_e164_and_set_like_lists_are_sorted() -> None:
    inputs = checked(
        {
            "name": "ok",
            "phone_numbers": [
                {"phone_number": "+1 (202) 555-0173", "agent_id": AGENT.upper(), "environment_id": ENV},
                {"phone_number": "+14155550100", "description": ""},
            ],
            "custom_invite_headers": [{"name": "X-Zeta"}, {"name": "x-alpha"}],
            "error_handling": {
                "transfer_failure": {"reply_message": "Sorry", "disconnect_call": None},
                "call_failure": {},
            },
        }
    )
    assert inputs["phone_numbers"] == [
        {"phone_number": "+12025550173", "agent_id": AGENT, "environment_id": ENV},
        {"phone_number": "+14155550100"},
    ]
    assert [h["name"] for h in inputs["custom_invite_headers"]] == ["x-alpha", "X-Zeta"]
    assert inputs["error_handling"] == {"transfer_failure": {"reply_message": "Sorry"}}


def test_genesys_inputs_carry_only_genesys_fields() -> None:
    inputs = checked(
        {
            "name": "g",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
        }
    )
    assert inputs == {
        "name": "g",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
    }  # no attached_environments: undeclared, so not this config's to write


def test_a_declared_empty_list_is_owned_and_kept() -> None:
    assert checked({"name": "ok", "phone_numbers": []})["phone_numbers"] == []
    genesys = checked(
        {
            "name": "g",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "k", "client_secret": FAKE_SECRET_B64},
            "attached_environments": [],
        }
    )
    assert genesys["attached_environments"] == []


# Numbers the API takes but the installed phonenumbers metadata calls invalid: a reserved UK range, and +1 555.
METADATA_INVALID = ("+447700900123", "+15551234567")


@pytest.mark.parametrize("number", METADATA_INVALID)
def test_a_number_the_metadata_calls_invalid_is_accepted_by_default(number: str) -> None:
    assert checked({"name": "ok", "phone_numbers": [{"phone_number": number}]})["phone_numbers"] == [
        {"phone_number": number}
    ]


@pytest.mark.parametrize("number", METADATA_INVALID)
def test_strict_numbers_refuse_it_and_name_the_setting(number: str) -> None:
    result = check_inputs({"name": "ok", "phone_numbers": [{"phone_number": number}]}, strict_numbers=True)
    found = {f.property: f.reason for f in result.failures}
    assert list(found) == ["phone_numbers[0].phone_number"]
    assert "phonecfg:strictPhoneNumbers" in found["phone_numbers[0].phone_number"]


def test_strict_numbers_apply_in_a_preview_with_unknowns_too() -> None:
    news = {"name": Unknown(), "phone_numbers": [{"phone_number": METADATA_INVALID[0]}]}
    assert check_inputs(dict(news)).failures == []
    strict = check_inputs(dict(news), strict_numbers=True)
    assert [f.property for f in strict.failures] == ["phone_numbers[0].phone_number"]


def test_unknowns_in_preview_pass_through_and_known_fields_are_still_checked() -> None:
    result = check_inputs(
        {
            "__provider": "p",
            "name": "x" * 70,
            "phone_numbers": [{"phone_number": "+14155550100", "agent_id": Unknown(), "environment_id": Unknown()}],
            "description": " desc ",
        }
    )
    assert [f.property for f in result.failures] == ["name"]
    ok = check_inputs({"__provider": "p", "name": Unknown(), "description": " desc ", "phone_numbers": Unknown()})
    assert ok.failures == []
    assert isinstance(ok.inputs["name"], Unknown)
    assert isinstance(ok.inputs["phone_numbers"], Unknown)
    assert ok.inputs["description"] == "desc"
