"""The native provider's pure pieces: name translation and the detailed diff (no process, no HTTP)."""

from __future__ import annotations

from pulumi.output import Unknown

from pulumi_phonecfg.fingerprints import security_output
from pulumi_phonecfg.native.diff import Change, detailed_diff
from pulumi_phonecfg.native.names import inputs_to_api, keys_to_api, keys_to_program, program_path
from pulumi_phonecfg.native.phone_config import input_shape


def test_program_paths_are_camel_case_and_notes_are_kept() -> None:
    assert program_path("phone_numbers[1].agent_id") == "phoneNumbers[1].agentId"
    assert program_path("error_handling.transfer_failure.reply_message") == (
        "errorHandling.transferFailure.replyMessage"
    )
    assert program_path("security (object)") == "security (object)"


def test_inputs_translate_by_shape_and_unknown_names_are_reported_in_program_spelling() -> None:
    translated = inputs_to_api(
        {
            "serviceProvider": "sip_trunk",
            "phoneNumbers": [{"phoneNumber": "+14155550100", "agent_id": "x"}],
            "errorHandling": Unknown(),
            "descripton": "typo",
        },
        input_shape(),
    )
    assert translated.value["service_provider"] == "sip_trunk"
    assert translated.value["phone_numbers"] == [{"phone_number": "+14155550100"}]
    assert isinstance(translated.value["error_handling"], Unknown)
    unknown = dict(translated.unknown)
    assert "did you mean 'agentId'" in unknown["phoneNumbers[0].agent_id"]
    assert "description" in unknown["descripton"]


def test_keys_round_trip() -> None:
    outputs = {"security": {"fingerprints": {"api_key": "f"}}, "tenant_id": "t", "connectors": [{"connector_id": "c"}]}
    assert keys_to_api(keys_to_program(outputs)) == outputs
    assert keys_to_program(outputs)["security"]["fingerprints"] == {"apiKey": "f"}


def test_nested_objects_report_the_leaf_that_changed() -> None:
    olds = {"error_handling": {"fallback_sip_uri": "sip:a@x", "call_failure": {"reply_message": "a"}}}
    news = {"error_handling": {"fallback_sip_uri": "sip:a@x", "call_failure": {"reply_message": "b"}}}
    assert detailed_diff(olds, news, ["error_handling"]) == {"error_handling.call_failure.reply_message": Change.UPDATE}
    assert detailed_diff({}, news, ["error_handling"]) == {"error_handling": Change.ADD}
    assert detailed_diff(olds, {}, ["error_handling"]) == {"error_handling": Change.DELETE}


def test_headers_are_a_set_keyed_by_name_case_insensitively() -> None:
    olds = {"custom_invite_headers": [{"name": "X-A"}, {"name": "X-B"}]}
    news = {"custom_invite_headers": [{"name": "X-A"}, {"name": "X-C"}]}
    assert detailed_diff(olds, news, ["custom_invite_headers"]) == {"custom_invite_headers[1]": Change.UPDATE}


def test_credentials_compare_by_fingerprint_and_unknowns_mark_the_field() -> None:
    written = {"authentication": True, "username": "u", "password": "fake-pw-unit"}
    olds = {"security": security_output(written)}
    same = {"security": written}
    assert detailed_diff(olds, same, ["security"]) == {"security": Change.UPDATE}  # nothing under it: the field
    rotated = {"security": {**written, "password": "fake-pw-unit-2", "username": "v"}}
    assert detailed_diff(olds, rotated, ["security"]) == {
        "security.username": Change.UPDATE,
        "security.password": Change.UPDATE,
    }
    dropped = {"security": {"authentication": False}}
    assert detailed_diff(olds, dropped, ["security"])["security.password"] == Change.DELETE
    assert detailed_diff(olds, {"security": Unknown()}, ["security"]) == {"security": Change.UPDATE}
