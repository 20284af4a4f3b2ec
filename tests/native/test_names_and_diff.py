"""The native provider's pure pieces: name translation and the detailed diff (no process, no HTTP)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pulumi.output import Unknown

from pulumi_phonecfg.core.schema.fingerprints import security_output
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


numbers_strategy = st.dictionaries(
    st.integers(min_value=100, max_value=199).map(lambda n: f"+14155550{n}"),
    st.sampled_from([None, "a", "b"]),
    max_size=8,
)


def _number_list(numbers: dict[str, str | None]) -> list[dict[str, str]]:
    items = [{"phone_number": n, **({"description": d} if d else {})} for n, d in numbers.items()]
    return sorted(items, key=lambda item: item["phone_number"])  # the canonical order


@given(old=numbers_strategy, new=numbers_strategy)
def test_every_number_that_differs_is_shown_once_and_nothing_else(
    old: dict[str, str | None], new: dict[str, str | None]
) -> None:
    olds, news = _number_list(old), _number_list(new)
    found = detailed_diff({"phone_numbers": olds}, {"phone_numbers": news}, ["phone_numbers"])
    differing = {n for n in {*old, *new} if old.get(n, "absent") != new.get(n, "absent")}
    if not differing:
        assert found == {"phone_numbers": Change.UPDATE}  # only reached when the caller saw a change elsewhere
        return
    shown: set[str] = set()
    for path in found:
        index = int(path.split("[", 1)[1].split("]", 1)[0])
        here = {side[index]["phone_number"] for side in (olds, news) if index < len(side)}
        assert here & differing, (path, here)  # nothing unchanged is shown
        shown |= here & differing
    assert shown == differing
    assert len(found) <= 2 * len(differing)
