"""Each policy's logic on plain inputs, for both faces (snake_case dynamic, camelCase native)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_phonecfg.policy import rules
from pulumi_phonecfg.policy.rules import DYNAMIC, NATIVE, UNKNOWN, Declared

AGENT, ENV = "0b6f6f5e-0000-4000-8000-000000000001", "0b6f6f5e-0000-4000-8000-000000000002"
GOOD_SIP: dict[str, Any] = {
    "name": "prod-trunk",
    "security": {"secure_trunking": True, "authentication": True, "username": "u"},
    "error_handling": {"fallback_sip_uri": "sip:f@pbx.example.com", "transfer_failure": {"reply_message": "Sorry"}},
    "phone_numbers": [{"phone_number": "+14155550100", "agent_id": AGENT, "environment_id": ENV}],
}


def camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {NATIVE.spell(k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def config(face: rules.Face, resource: str = "trunk", urn: str = "", **changes: Any) -> Declared:
    inputs = {**GOOD_SIP, **changes}
    return Declared(face.config_type, resource, camel(inputs) if face is NATIVE else inputs, urn=urn)


@pytest.mark.parametrize("face", [DYNAMIC, NATIVE])
def test_a_good_trunk_passes_every_resource_check(face: rules.Face) -> None:
    checks = [rules.secure_trunking, rules.authentication, rules.numbers_routed, rules.trunk_error_handling]
    checks += [rules.no_adopt_existing, rules.config_name_pattern]
    assert [m for check in checks for m in check(config(face), {"pattern": "prod-.*"})] == []


@pytest.mark.parametrize(
    ("face", "expected"),
    [
        (DYNAMIC, "PhoneConfig 'trunk': security.secure_trunking is not true: SIP trunks must use secure trunking"),
        (NATIVE, "PhoneConfig 'trunk': security.secureTrunking is not true: SIP trunks must use secure trunking"),
    ],
)
def test_secure_trunking(face: rules.Face, expected: str) -> None:
    assert rules.secure_trunking(config(face, security={"authentication": True}), {}) == [expected]


def test_authentication_and_unknown_security_and_genesys() -> None:
    assert rules.authentication(config(NATIVE, security={"secureTrunking": True}), {}) == [
        "PhoneConfig 'trunk': security.authentication is not true: SIP trunks must use authentication"
    ]
    assert rules.authentication(config(DYNAMIC, security=UNKNOWN), {}) == []  # a preview: not known, not judged
    assert rules.authentication(config(DYNAMIC, security={"authentication": UNKNOWN}), {}) == []
    genesys = config(DYNAMIC, service_provider="genesys_audio_connector", security={})
    assert rules.authentication(genesys, {}) == [] and rules.secure_trunking(genesys, {}) == []


def test_numbers_routed_inline_and_as_resources() -> None:
    numbers = [{"phone_number": "+14155550100", "agent_id": AGENT}, {"phone_number": "+14155550101"}]
    assert rules.numbers_routed(config(DYNAMIC, phone_numbers=numbers), {}) == [
        "PhoneConfig 'trunk': phone_numbers[1].agent_id is not set (+14155550101): the number rings nowhere"
    ]
    assert rules.numbers_routed(config(NATIVE, phone_numbers=numbers), {}) == [
        "PhoneConfig 'trunk': phoneNumbers[1].agentId is not set (+14155550101): the number rings nowhere"
    ]
    line = Declared(NATIVE.number_type, "line", {"configId": UNKNOWN, "phoneNumber": "+14155550102"})
    assert rules.numbers_routed(line, {}) == [
        "PhoneNumber 'line': agentId is not set (+14155550102): the number rings nowhere"
    ]
    routed = Declared(DYNAMIC.number_type, "line", {"phone_number": "+14155550102", "agent_id": UNKNOWN})
    assert rules.numbers_routed(routed, {}) == []


def test_trunk_error_handling_and_its_options() -> None:
    bare = config(DYNAMIC, error_handling={"transfer_failure": {"reply_message": "  "}})
    assert rules.trunk_error_handling(bare, {}) == [
        "PhoneConfig 'trunk': error_handling.fallback_sip_uri is not set: every trunk needs a fallback SIP URI",
        "PhoneConfig 'trunk': error_handling.transfer_failure.reply_message is not set: every trunk needs a "
        "transfer-failure reply",
    ]
    assert (
        rules.trunk_error_handling(bare, {"requireFallbackSipUri": False, "requireTransferFailureReply": False}) == []
    )
    assert rules.trunk_error_handling(config(NATIVE, error_handling=None), {"requireFallbackSipUri": False}) == [
        "PhoneConfig 'trunk': errorHandling.transferFailure.replyMessage is not set: every trunk needs a "
        "transfer-failure reply"
    ]


def test_no_adopt_existing() -> None:
    assert rules.no_adopt_existing(config(NATIVE, adopt_existing=True), {}) == [
        "PhoneConfig 'trunk': adoptExisting is true: adoption is a one-time migration, not for this stack"
    ]
    assert rules.no_adopt_existing(config(DYNAMIC, adopt_existing=False), {}) == []
    assert rules.no_adopt_existing(config(DYNAMIC, adopt_existing=UNKNOWN), {}) == []


def test_config_name_pattern() -> None:
    assert rules.config_name_pattern(config(DYNAMIC, name="Support"), {"pattern": "prod-.*"}) == [
        "PhoneConfig 'trunk': name 'Support' does not match the pattern 'prod-.*'"
    ]
    assert rules.config_name_pattern(config(DYNAMIC, name="Support"), {}) == []  # no pattern configured
    assert rules.config_name_pattern(config(DYNAMIC, name=UNKNOWN), {"pattern": "prod-.*"}) == []


TRUNK_URN = "urn:pulumi:dev::p::phonecfg:index:PhoneConfig::trunk"


def number(face: rules.Face, name: str, phone: str, **extra: Any) -> Declared:
    config_id = face.spell("config_id")
    return Declared(
        face.number_type,
        name,
        {config_id: UNKNOWN, face.spell("phone_number"): phone, **extra},
        urn=f"urn:{name}",
        depends_on={config_id: [TRUNK_URN]},
    )


@pytest.mark.parametrize("face", [DYNAMIC, NATIVE])
def test_one_owner_inline_and_as_a_resource(face: rules.Face) -> None:
    trunk = config(face, urn=TRUNK_URN)
    found = rules.one_owner([trunk, number(face, "line", "+1 415 555 0100")], {})
    assert [m for _, m in found] == [
        f"PhoneNumber 'line': {face.spell('phone_number')} +14155550100 is also in {face.spell('phone_numbers')} "
        "of PhoneConfig 'trunk': one number, two owners; declare it in one place"
    ]
    assert found[0][0].name == "line"


def test_one_owner_twice_as_a_resource_and_not_when_distinct_or_unknown() -> None:
    trunk = config(NATIVE, urn=TRUNK_URN, phone_numbers=None)
    twice = [trunk, number(NATIVE, "a", "+14155550105"), number(NATIVE, "b", "+14155550105")]
    assert [m for _, m in rules.one_owner(twice, {})] == [
        "PhoneNumber 'b': phoneNumber +14155550105 is also declared by PhoneNumber 'a' on the same config: "
        "one number, two owners"
    ]
    distinct = [trunk, number(NATIVE, "a", "+14155550105"), number(NATIVE, "b", "+14155550106")]
    assert rules.one_owner(distinct, {}) == []
    unknown = [trunk, number(NATIVE, "a", UNKNOWN), number(NATIVE, "b", UNKNOWN)]
    assert rules.one_owner(unknown, {}) == []
    untraced = Declared(NATIVE.number_type, "c", {"configId": UNKNOWN, "phoneNumber": "+14155550105"})
    assert rules.one_owner([trunk, number(NATIVE, "a", "+14155550105"), untraced], {}) == []
    # The same literal config id (an existing config, not in this stack) twice: two owners too.
    literal = [Declared(DYNAMIC.number_type, n, {"config_id": "cfg-1", "phone_number": "+14155550107"}) for n in "xy"]
    assert len(rules.one_owner(literal, {})) == 1


def test_one_owner_attachments_both_faces() -> None:
    genesys = {"service_provider": "genesys_audio_connector", "name": "g"}
    inline = [{"agent_id": AGENT, "environment_id": ENV}]
    urn = "urn:genesys"
    for face in (DYNAMIC, NATIVE):
        g = Declared(
            face.config_type,
            "g",
            camel({**genesys, "attached_environments": inline})
            if face is NATIVE
            else {**genesys, "attached_environments": inline},
            urn=urn,
        )
        cid = face.spell("config_id")
        attachment = Declared(
            face.attachment_type,
            "attach",
            {cid: UNKNOWN, face.spell("agent_id"): AGENT, face.spell("environment_id"): ENV},
            urn="urn:attach",
            depends_on={cid: [urn]},
        )
        assert [m for _, m in rules.one_owner([g, attachment], {})] == [
            f"AgentAttachment 'attach': {face.spell('agent_id')} agent {AGENT} in environment {ENV} is also in "
            f"{face.spell('attached_environments')} of PhoneConfig 'g': one attachment, two owners; declare it in "
            "one place"
        ]


def test_other_resources_are_ignored() -> None:
    other = Declared("aws:s3/bucket:Bucket", "b", {"name": "x", "adopt_existing": True})
    checks = [rules.secure_trunking, rules.numbers_routed, rules.no_adopt_existing, rules.config_name_pattern]
    assert [m for check in checks for m in check(other, {"pattern": "p"})] == []
