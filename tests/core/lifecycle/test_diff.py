"""diff(): canonical new inputs against prior outputs, with no HTTP.

The API is simulated here only as far as the reference pins it (echo of the stored document, credentials
masked, server fields added); the lifecycle against the real emulator lives in tests/dynamic (gRPC).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.output import Unknown

from pulumi_phonecfg.core.lifecycle.phone_config import check_inputs, diff_config
from pulumi_phonecfg.core.schema.api_documents import outputs_from_api
from pulumi_phonecfg.core.schema.canonical import canonical_values
from pulumi_phonecfg.core.schema.fingerprints import fingerprint, fingerprint_matches

NUMBERS = ["+14155550100", "+14155550101", "+12025550173", "+442071838750", "+33123456789", "+4930123456"]
CLIENT_SECRET = "ZmFrZS1jbGllbnQtc2VjcmV0"


def canonical(news: dict[str, Any]) -> dict[str, Any]:
    result = check_inputs(news)
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return result.inputs


def served(inputs: dict[str, Any], mask: Any = None) -> dict[str, Any]:
    """The document a server following the reference returns after storing `inputs`."""
    document = json.loads(json.dumps(inputs))
    security = document.setdefault("security", {})
    for key in ("password", "api_key", "client_secret"):
        if key in security:
            security[key] = mask
    security["password_is_set"] = "password" in inputs.get("security", {})
    document.update(id=str(uuid.uuid4()), tenant_id="sub_inst", created_on="2026-11-26T00:00:00Z")
    document.setdefault("phone_numbers", [])
    document.setdefault("attached_environments", [])
    return document


def applied(inputs: dict[str, Any], mask: Any = None) -> dict[str, Any]:
    return outputs_from_api(served(inputs, mask), desired_security=inputs.get("security", {}), fingerprints={})


uuids = st.uuids().map(str)
text = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=20)
secret = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=8, max_size=24).map("fake-{}".format)
numbers = st.lists(
    st.fixed_dictionaries(
        {"phone_number": st.sampled_from(NUMBERS)},
        optional={"description": text, "agent_env": st.tuples(uuids, uuids)},
    ),
    max_size=4,
    unique_by=lambda n: n["phone_number"],
).map(
    lambda items: [
        {k: v for k, v in n.items() if k != "agent_env"}
        | ({"agent_id": n["agent_env"][0], "environment_id": n["agent_env"][1]} if "agent_env" in n else {})
        for n in items
    ]
)
sip_configs = st.fixed_dictionaries(
    {"name": st.text(alphabet="abcdefgh XYZ-_", min_size=1, max_size=64).filter(str.strip)},
    optional={
        "description": text,
        "security": st.one_of(
            st.fixed_dictionaries({"secure_trunking": st.booleans(), "authentication": st.just(False)}),
            st.fixed_dictionaries(
                {"authentication": st.just(True), "username": st.just("trunk-user"), "password": secret}
            ),
        ),
        "custom_invite_headers": st.lists(
            st.sampled_from(["X-A", "X-B", "X-Call-Id", "X-Tenant"]), unique=True, max_size=4
        ).map(lambda names: [{"name": n} for n in names]),
        "put_caller_on_hold_on_transfer": st.booleans(),
        "send_provisional_response": st.booleans(),
        "error_handling": st.fixed_dictionaries(
            {},
            optional={
                "fallback_sip_uri": st.just("sip:fallback@example.invalid"),
                "transfer_failure": st.fixed_dictionaries(
                    {}, optional={"reply_message": text, "disconnect_call": st.booleans()}
                ),
            },
        ),
        "phone_numbers": numbers,
    },
)
genesys_configs = st.fixed_dictionaries(
    {
        "name": st.just("genesys"),
        "service_provider": st.just("genesys_audio_connector"),
        "security": st.fixed_dictionaries({"api_key": secret, "client_secret": st.just(CLIENT_SECRET)}),
    },
    optional={
        "attached_environments": st.lists(
            st.fixed_dictionaries({"agent_id": uuids, "environment_id": uuids}), max_size=4
        )
    },
)
configs = st.one_of(sip_configs, genesys_configs)


@settings(max_examples=150, deadline=None)
@given(configs, st.sampled_from([None, "", "****"]))
def test_apply_then_diff_is_always_empty(config: dict[str, Any], mask: Any) -> None:
    inputs = canonical(config)
    result = diff_config(applied(inputs, mask), inputs)
    assert result.changes is False and result.replaces == []


@settings(max_examples=100, deadline=None)
@given(configs, st.randoms())
def test_any_reordering_of_numbers_attachments_or_headers_is_no_change(config: dict[str, Any], rnd: Any) -> None:
    outputs = applied(canonical(config))
    shuffled = json.loads(json.dumps(config))
    for key in ("phone_numbers", "attached_environments", "custom_invite_headers"):
        if key in shuffled:
            rnd.shuffle(shuffled[key])
    assert diff_config(outputs, canonical(shuffled)).changes is False


@settings(max_examples=100, deadline=None)
@given(configs)
def test_credentials_never_appear_in_outputs(config: dict[str, Any]) -> None:
    inputs = canonical(config)
    outputs = applied(inputs)
    dumped = json.dumps(outputs)
    for key in ("password", "api_key", "client_secret"):
        value = inputs["security"].get(key)
        if value:
            assert value not in dumped
            assert fingerprint_matches(value, outputs["security"]["fingerprints"][key])


def sip(**extra: Any) -> dict[str, Any]:
    return canonical(
        {"name": "trunk", "security": {"authentication": True, "username": "u", "password": "pw-one"}, **extra}
    )


def test_rotating_a_password_is_a_planned_update_not_a_replace() -> None:
    outputs = applied(sip())
    rotated = sip(security={"authentication": True, "username": "u", "password": "pw-two"})
    result = diff_config(outputs, rotated)
    assert result.changes is True and result.replaces == []


def test_a_password_removed_out_of_band_shows_as_drift_after_refresh() -> None:
    inputs = sip()
    outputs = applied(inputs)
    document = served(inputs)
    document["security"]["password_is_set"] = False
    refreshed = outputs_from_api(document, desired_security=None, fingerprints=outputs["security"]["fingerprints"])
    assert diff_config(outputs, inputs).changes is False
    assert diff_config(refreshed, inputs).changes is True


def test_refresh_of_an_untouched_config_keeps_the_fingerprints() -> None:
    inputs = sip()
    outputs = applied(inputs)
    refreshed = outputs_from_api(
        served(inputs), desired_security=None, fingerprints=outputs["security"]["fingerprints"]
    )
    assert refreshed == outputs


def test_a_changed_service_provider_replaces_and_other_changes_update_in_place() -> None:
    outputs = applied(sip())
    genesys = canonical(
        {
            "name": "trunk",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "k", "client_secret": CLIENT_SECRET},
        }
    )
    assert diff_config(outputs, genesys).replaces == ["service_provider"]
    renamed = diff_config(outputs, sip(name="renamed", description="now described"))
    assert renamed.changes is True and renamed.replaces == []


def test_unknowns_count_as_changes_and_an_unknown_kind_as_a_replace() -> None:
    outputs = applied(sip())
    assert diff_config(outputs, {**sip(), "description": Unknown()}).changes is True
    assert diff_config(outputs, {**sip(), "service_provider": Unknown()}).replaces == ["service_provider"]


def test_the_pickled_provider_never_makes_a_diff() -> None:
    inputs = sip()
    outputs = {**applied(inputs), "__provider": "old-pickle"}
    assert diff_config(outputs, {**inputs, "__provider": "new-pickle"}).changes is False


def test_fingerprints_are_salted_and_one_way() -> None:
    first, second = fingerprint("same-secret"), fingerprint("same-secret")
    assert first != second
    assert "same-secret" not in first
    assert fingerprint_matches("same-secret", first) and fingerprint_matches("same-secret", second)
    assert not fingerprint_matches("other-secret", first)
    assert not fingerprint_matches("same-secret", "garbage")


# --------------------------------------------------------------------------------------------------------------
# diff is a pure function of canonical values: `check` first or not, the answer is the same


def shuffled(config: dict[str, Any], rnd: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(config))
    for key in ("phone_numbers", "attached_environments", "custom_invite_headers"):
        if key in copy:
            rnd.shuffle(copy[key])
    return copy


def same_answer(first: Any, second: Any) -> bool:
    return (first.changes, first.replaces) == (second.changes, second.replaces)


@settings(max_examples=150, deadline=None)
@given(configs, configs, st.randoms())
def test_diff_answers_the_same_with_or_without_check(before: dict[str, Any], after: dict[str, Any], rnd: Any) -> None:
    outputs = applied(canonical(before))
    raw = shuffled(after, rnd)
    assert same_answer(diff_config(outputs, raw), diff_config(outputs, canonical(raw)))


@settings(max_examples=150, deadline=None)
@given(configs, st.randoms())
def test_canonical_values_is_what_check_returns_and_a_second_pass_changes_nothing(
    config: dict[str, Any], rnd: Any
) -> None:
    checked = canonical(config)
    assert canonical_values(shuffled(config, rnd)) == checked
    assert canonical_values(checked) == checked


def test_reversed_lists_handed_straight_to_diff_are_no_change() -> None:
    agents = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(3)]
    sip_config = {
        "name": "trunk",
        "phone_numbers": [{"phone_number": n} for n in NUMBERS[:4]],
        "custom_invite_headers": [{"name": "X-A"}, {"name": "X-B"}, {"name": "X-Call-Id"}],
    }
    genesys_config = {
        "name": "genesys",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "fake-api-key-1", "client_secret": CLIENT_SECRET},
        "attached_environments": [{"agent_id": a, "environment_id": e} for a, e in agents],
    }
    for config in (sip_config, genesys_config):
        outputs = applied(canonical(config))
        reversed_raw = {k: v[::-1] if isinstance(v, list) else v for k, v in config.items()}
        assert diff_config(outputs, reversed_raw).changes is False, config["name"]


def test_unchecked_spelling_variants_are_no_change_and_real_changes_still_are() -> None:
    agent, environment = str(uuid.uuid4()), str(uuid.uuid4())
    config = {
        "name": "trunk",
        "phone_numbers": [{"phone_number": "+14155550100", "agent_id": agent, "environment_id": environment}],
    }
    outputs = applied(canonical(config))
    variant = {
        "name": "  trunk ",
        "phone_numbers": [
            {"phone_number": " +1 415-555-0100", "agent_id": agent.upper(), "environment_id": environment.upper()}
        ],
        "put_caller_on_hold_on_transfer": True,  # the server default, spelled out
        "__provider": "pickle",
    }
    assert diff_config(outputs, variant).changes is False
    moved = {**variant, "phone_numbers": [{"phone_number": "+14155550101"}]}
    assert diff_config(outputs, moved).changes is True


def test_invalid_unchecked_values_are_a_change_never_an_exception() -> None:
    outputs = applied(canonical({"name": "trunk", "phone_numbers": [{"phone_number": "+14155550100"}]}))
    for bad in (
        {"name": "trunk", "phone_numbers": [{"phone_number": "not a number"}]},
        {"name": "trunk", "phone_numbers": "+14155550100"},
        {"name": "trunk", "attached_environments": [{"agent_id": "x"}]},
        {"name": "", "phone_numbers": [{"phone_number": "+14155550100"}]},
        {"name": "trunk", "service_provider": "carrier-pigeon"},
    ):
        assert diff_config(outputs, bad).changes is True, bad


# --------------------------------------------------------------------------------------------------------------
# Ownership (issue 15): a shared list the program leaves out is someone else's; one it declares is all its own.


def test_numbers_added_by_another_party_are_no_change_for_a_trunk_that_declares_none() -> None:
    outputs = applied(canonical({"name": "trunk"}))
    outputs["phone_numbers"] = [{"phone_number": "+14155550100"}]  # refresh saw another stack's number
    assert diff_config(outputs, canonical({"name": "trunk"})).changes is False
    assert diff_config(outputs, {"name": "trunk"}).changes is False  # inputs that skipped check, too


def test_attachments_added_by_another_party_are_no_change_for_a_genesys_config_that_declares_none() -> None:
    declared = {
        "name": "g",
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": "fake-key", "client_secret": CLIENT_SECRET},
    }
    outputs = applied(canonical(dict(declared)))
    outputs["attached_environments"] = [{"agent_id": str(uuid.uuid4()), "environment_id": str(uuid.uuid4())}]
    assert diff_config(outputs, canonical(dict(declared))).changes is False


def test_a_declared_list_owns_every_element_even_when_empty() -> None:
    outputs = applied(canonical({"name": "trunk"}))
    outputs["phone_numbers"] = [{"phone_number": "+14155550100"}]
    result = diff_config(outputs, canonical({"name": "trunk", "phone_numbers": []}))
    assert result.changes is True
    assert (
        diff_config(applied(canonical({"name": "t", "phone_numbers": []})), {"name": "t", "phone_numbers": []}).changes
        is False
    )
