"""`phonecfg migrate`'s state rewrite (`to_native`, `to_dynamic`): pure functions of an exported deployment.

The deployments here have the shape `pulumi stack export --show-secrets` gives (taken from a real dynamic stack);
the e2e test (tests/e2e/test_migrate.py) runs the whole command against the CLI and an emulator.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_phonecfg.commands.migrate import (
    ATTACHMENT_DYNAMIC_TYPE,
    ATTACHMENT_NATIVE_TYPE,
    DYNAMIC_TYPE,
    GENERIC_DYNAMIC_TYPE,
    NATIVE_TYPE,
    NUMBER_DYNAMIC_TYPE,
    NUMBER_NATIVE_TYPE,
    SECRET_SIG,
    SECRET_SIG_VALUE,
    MigrateError,
    serialized_providers,
    to_dynamic,
    to_native,
)

PREFIX = "urn:pulumi:dev::phones::"
PICKLED_BY_KIND = serialized_providers()
PICKLED = PICKLED_BY_KIND["PhoneConfig"]
PICKLED_ATTACHMENT = PICKLED_BY_KIND["AgentAttachment"]
DYNAMIC_PROVIDER = f"{PREFIX}pulumi:providers:pulumi-python::default"
NATIVE_PROVIDER = f"{PREFIX}pulumi:providers:phonecfg::default"


def secret(value: Any) -> dict[str, str]:
    return {SECRET_SIG: SECRET_SIG_VALUE, "plaintext": json.dumps(value)}


def dynamic_trunk(name: str = "support-sip-trunk", config_id: str = "id-1", **extra: Any) -> dict[str, Any]:
    inputs = {
        "__provider": PICKLED,
        "adopt_existing": True,
        "name": "Support SIP trunk",
        "service_provider": "sip_trunk",
        "security": secret({"authentication": True, "secure_trunking": True, "username": "u", "password": "pw"}),
        "phone_numbers": [{"phone_number": "+14155550101", "agent_id": "a-1", "environment_id": "e-1"}],
        "error_handling": {"transfer_failure": {"reply_message": "Sorry", "disconnect_call": False}},
    }
    outputs = {k: v for k, v in inputs.items() if k != "adopt_existing"}
    outputs |= {
        "security": secret({"authentication": True, "fingerprints": {"password": "pbkdf2$x"}, "username": "u"}),
        "sip_uri": "sips:x",
        "created_on": "2026-12-02T00:00:00Z",
    }
    return {
        "urn": f"{PREFIX}{DYNAMIC_TYPE}::{name}",
        "custom": True,
        "id": config_id,
        "type": DYNAMIC_TYPE,
        "inputs": inputs,
        "outputs": outputs,
        "parent": f"{PREFIX}pulumi:pulumi:Stack::phones-dev",
        "provider": f"{DYNAMIC_PROVIDER}::p-1",
        "propertyDependencies": {"phone_numbers": [], "security": []},
        **extra,
    }


def dynamic_member(
    kind: str, name: str, config: str, id_: str, inputs: dict[str, Any], outputs: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A dynamic PhoneNumber or AgentAttachment (`kind`) on the PhoneConfig named `config` (its config_id an output
    of it), as the state holds it."""
    config_urn = f"{PREFIX}{DYNAMIC_TYPE}::{config}"
    type_ = {"PhoneNumber": NUMBER_DYNAMIC_TYPE, "AgentAttachment": ATTACHMENT_DYNAMIC_TYPE}[kind]
    pickled = PICKLED_BY_KIND[kind]
    return {
        "urn": f"{PREFIX}{type_}::{name}",
        "custom": True,
        "id": id_,
        "type": type_,
        "inputs": {"__provider": pickled, **inputs},
        "outputs": {"__provider": pickled, **outputs},
        "parent": f"{PREFIX}pulumi:pulumi:Stack::phones-dev",
        "provider": f"{DYNAMIC_PROVIDER}::p-1",
        "dependencies": [config_urn],
        # The config's id comes from the config, the next input is a plain value.
        "propertyDependencies": {"config_id": [config_urn], list(inputs)[1]: []},
        **extra,
    }


def dynamic_number(name: str = "overflow-line", trunk: str = "support-sip-trunk", **extra: Any) -> dict[str, Any]:
    values = {"config_id": "id-1", "phone_number": "+14155550199", "agent_id": "a-1", "environment_id": "e-1"}
    return dynamic_member("PhoneNumber", name, trunk, "id-1/+14155550199", values, values, **extra)


def dynamic_attachment(name: str = "billing-live", config: str = "genesys", **extra: Any) -> dict[str, Any]:
    inputs = {"config_id": "id-2", "agent_id": "a-1", "environment_id": "e-1", "agent_name": "billing"}
    outputs = {**inputs, "connector_id": "c-1", "audio_connect_uri": "wss://x/audio"}
    return dynamic_member("AgentAttachment", name, config, "id-2/a-1/e-1", inputs, outputs, **extra)


def deployment(*resources: dict[str, Any]) -> dict[str, Any]:
    stack = {"urn": f"{PREFIX}pulumi:pulumi:Stack::phones-dev", "custom": False, "type": "pulumi:pulumi:Stack"}
    provider_inputs = {"phonecfg:url": "https://api.example.com", "phonecfg:token": secret("tok"), "phones:x": "1"}
    provider = {
        "urn": DYNAMIC_PROVIDER,
        "custom": True,
        "id": "p-1",
        "type": "pulumi:providers:pulumi-python",
        "inputs": provider_inputs,
        "outputs": provider_inputs,
    }
    return {"manifest": {}, "resources": [stack, provider, *resources]}


def by_urn(moved: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in moved["resources"]}


def test_to_native_renames_types_properties_and_the_provider() -> None:
    before = deployment(dynamic_trunk())
    after, moved = to_native(before)

    assert [(m.name, m.id) for m in moved] == [("support-sip-trunk", "id-1")]
    resources = by_urn(after)
    trunk = resources[f"{PREFIX}{NATIVE_TYPE}::support-sip-trunk"]
    assert trunk["type"] == NATIVE_TYPE and trunk["id"] == "id-1"
    assert "__provider" not in trunk["inputs"] and "__provider" not in trunk["outputs"]
    assert trunk["inputs"]["adoptExisting"] is True
    assert trunk["inputs"]["phoneNumbers"] == [
        {"phoneNumber": "+14155550101", "agentId": "a-1", "environmentId": "e-1"}
    ]
    assert trunk["inputs"]["errorHandling"] == {"transferFailure": {"replyMessage": "Sorry", "disconnectCall": False}}
    # Secrets stay secret, renamed inside; credentials and fingerprints kept as they were.
    assert json.loads(trunk["inputs"]["security"]["plaintext"])["secureTrunking"] is True
    assert json.loads(trunk["inputs"]["security"]["plaintext"])["password"] == "pw"
    assert json.loads(trunk["outputs"]["security"]["plaintext"])["fingerprints"] == {"password": "pbkdf2$x"}
    assert trunk["outputs"]["sipUri"] == "sips:x" and trunk["outputs"]["createdOn"] == "2026-12-02T00:00:00Z"
    assert trunk["propertyDependencies"] == {"phoneNumbers": [], "security": []}
    # The native default provider, configured with the stack's phonecfg:* settings; the dynamic one is gone.
    provider = resources[NATIVE_PROVIDER]
    assert trunk["provider"] == f"{NATIVE_PROVIDER}::{provider['id']}"
    assert provider["inputs"] == {"url": "https://api.example.com", "token": secret("tok")}
    assert DYNAMIC_PROVIDER not in resources
    order = [r["urn"] for r in after["resources"]]
    assert order.index(NATIVE_PROVIDER) < order.index(trunk["urn"]), "a provider comes before its resources"
    assert before == deployment(dynamic_trunk()), "the input is not modified"


def test_round_trip_gives_the_dynamic_resources_back() -> None:
    before = deployment(dynamic_trunk(), dynamic_trunk("genesys", "id-2"))
    native, _ = to_native(before)
    config = {"phonecfg:url": "https://api.example.com", "phonecfg:token": secret("tok"), "phones:x": "1"}
    back, moved = to_dynamic(native, serialized_providers=PICKLED_BY_KIND, stack_config=config)

    assert sorted(m.id for m in moved) == ["id-1", "id-2"]
    original = by_urn(before)
    for urn, resource in by_urn(back).items():
        if resource["type"] == DYNAMIC_TYPE:
            expected = original[urn]
            assert resource["inputs"] == {**expected["inputs"], "security": resource["inputs"]["security"]}
            assert json.loads(resource["inputs"]["security"]["plaintext"]) == json.loads(
                expected["inputs"]["security"]["plaintext"]
            )
            assert resource["outputs"].keys() == expected["outputs"].keys()
            assert resource["provider"].startswith(DYNAMIC_PROVIDER + "::")
    assert by_urn(back)[DYNAMIC_PROVIDER]["inputs"] == config
    assert NATIVE_PROVIDER not in by_urn(back)


def test_references_to_a_moved_urn_follow_it() -> None:
    old = f"{PREFIX}{DYNAMIC_TYPE}::support-sip-trunk"
    new = f"{PREFIX}{NATIVE_TYPE}::support-sip-trunk"
    consumer = {
        "urn": f"{PREFIX}my:index:Thing::consumer",
        "type": "my:index:Thing",
        "custom": False,
        "dependencies": [old],
        "propertyDependencies": {"uri": [old]},
        "deletedWith": old,
    }
    child_of_component = dynamic_trunk(
        "child", "id-3", urn=f"{PREFIX}my:index:Component${DYNAMIC_TYPE}::child", parent=consumer["urn"]
    )
    after, _ = to_native(deployment(dynamic_trunk(), consumer, child_of_component))
    resources = by_urn(after)
    moved_consumer = resources[consumer["urn"]]
    assert moved_consumer["dependencies"] == [new]
    assert moved_consumer["propertyDependencies"] == {"uri": [new]}
    assert moved_consumer["deletedWith"] == new
    assert f"{PREFIX}my:index:Component${NATIVE_TYPE}::child" in resources


def test_only_our_dynamic_resources_move() -> None:
    ours = dynamic_trunk(type=GENERIC_DYNAMIC_TYPE, urn=f"{PREFIX}{GENERIC_DYNAMIC_TYPE}::generic")
    foreign = dynamic_trunk(
        "foreign", "id-9", type=GENERIC_DYNAMIC_TYPE, urn=f"{PREFIX}{GENERIC_DYNAMIC_TYPE}::foreign"
    )
    foreign["inputs"] = {**foreign["inputs"], "__provider": "gASVIAAAAAAAAACMCm90aGVyLm1vZJSMBUNsYXNzlJOUKYGULg=="}
    after, moved = to_native(deployment(ours, foreign))
    assert [m.name for m in moved] == ["generic"]
    resources = by_urn(after)
    assert resources[foreign["urn"]] == foreign
    assert DYNAMIC_PROVIDER in resources, "still used by the foreign dynamic resource"


def test_nothing_to_move_is_no_change() -> None:
    before = deployment()
    assert to_native(before) == (before, [])
    assert to_dynamic(before, serialized_providers=PICKLED_BY_KIND, stack_config={}) == (before, [])


def test_refusals() -> None:
    pending = {**deployment(dynamic_trunk()), "pending_operations": [{"type": "creating"}]}
    with pytest.raises(MigrateError, match="pending operations") as refused:
        to_native(pending)
    # The way out it names is a page that exists and has that section.
    page = Path(__file__).resolve().parents[2] / "docs/guides/troubleshooting.md"
    assert "docs/guides/troubleshooting.md" in str(refused.value)
    assert "## Recovering from an interrupted `up`" in page.read_text(encoding="utf-8")
    encrypted = copy.deepcopy(deployment(dynamic_trunk()))
    encrypted["resources"][2]["inputs"]["security"] = {SECRET_SIG: SECRET_SIG_VALUE, "ciphertext": "v1:abc"}
    with pytest.raises(MigrateError, match="--show-secrets"):
        to_native(encrypted)
    half = deployment(dynamic_trunk(), {**dynamic_trunk(), "urn": f"{PREFIX}{NATIVE_TYPE}::support-sip-trunk"})
    with pytest.raises(MigrateError, match="already in the state"):
        to_native(half)


NUMBER_NATIVE = {"configId": "id-1", "phoneNumber": "+14155550199", "agentId": "a-1", "environmentId": "e-1"}
ATTACHMENT_NATIVE = {"configId": "id-2", "agentId": "a-1", "environmentId": "e-1", "agentName": "billing"}


@pytest.mark.parametrize(
    ("make_resource", "config", "native_type", "moved_id", "inputs", "outputs"),
    [
        (dynamic_number, dynamic_trunk(), NUMBER_NATIVE_TYPE, "id-1/+14155550199", NUMBER_NATIVE, NUMBER_NATIVE),
        (
            dynamic_attachment,
            dynamic_trunk("genesys", "id-2"),
            ATTACHMENT_NATIVE_TYPE,
            "id-2/a-1/e-1",
            ATTACHMENT_NATIVE,
            {**ATTACHMENT_NATIVE, "connectorId": "c-1", "audioConnectUri": "wss://x/audio"},
        ),
    ],
    ids=["PhoneNumber", "AgentAttachment"],
)
def test_numbers_and_attachments_move_to_native_with_their_config(
    make_resource: Callable[..., dict[str, Any]],
    config: dict[str, Any],
    native_type: str,
    moved_id: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any],
) -> None:
    member = make_resource()
    generic_urn = f"{PREFIX}{GENERIC_DYNAMIC_TYPE}::generic"
    generic = make_resource("generic", type=GENERIC_DYNAMIC_TYPE, urn=generic_urn, id="id-x/generic")
    after, moved = to_native(deployment(config, member, generic))

    kind = native_type.rpartition(":")[2]
    name = member["urn"].rsplit("::", 1)[1]
    config_name = config["urn"].rsplit("::", 1)[1]
    assert sorted((m.kind, m.name, m.id) for m in moved) == sorted(
        [("PhoneConfig", config_name, config["id"]), (kind, name, moved_id), (kind, "generic", "id-x/generic")]
    )
    resources = by_urn(after)
    native = resources[f"{PREFIX}{native_type}::{name}"]
    assert native["type"] == native_type and native["id"] == moved_id
    assert native["inputs"] == inputs and native["outputs"] == outputs
    config_urn = f"{PREFIX}{NATIVE_TYPE}::{config_name}"
    assert native["dependencies"] == [config_urn]
    assert native["propertyDependencies"] == {"configId": [config_urn], list(inputs)[1]: []}
    assert native["provider"] == resources[config_urn]["provider"]
    assert resources[f"{PREFIX}{native_type}::generic"]["type"] == native_type, "found by its pickled provider"
    assert DYNAMIC_PROVIDER not in resources


def test_a_foreign_generic_dynamic_resource_is_not_taken_for_a_number() -> None:
    foreign = dynamic_number("foreign", type=GENERIC_DYNAMIC_TYPE, urn=f"{PREFIX}{GENERIC_DYNAMIC_TYPE}::foreign")
    foreign["inputs"] = {**foreign["inputs"], "__provider": "gASVIAAAAAAAAACMCm90aGVyLm1vZJSMBUNsYXNzlJOUKYGULg=="}
    assert to_native(deployment(foreign)) == (deployment(foreign), [])


@pytest.mark.parametrize(
    ("make_resource", "kind", "moved_id"),
    [(dynamic_number, "PhoneNumber", "id-1/+14155550199"), (dynamic_attachment, "AgentAttachment", "id-2/a-1/e-1")],
)
def test_numbers_or_attachments_alone_move_and_come_back(
    make_resource: Callable[..., dict[str, Any]], kind: str, moved_id: str
) -> None:
    """A team's stack owning numbers or attachments of a config another stack declares: no PhoneConfig in it."""
    dynamic = make_resource(dependencies=[], propertyDependencies={})
    before = deployment(dynamic)
    native, moved = to_native(before)
    assert [(m.kind, m.id) for m in moved] == [(kind, moved_id)]
    assert NATIVE_PROVIDER in by_urn(native) and DYNAMIC_PROVIDER not in by_urn(native)

    config = {"phonecfg:url": "https://api.example.com", "phonecfg:token": secret("tok"), "phones:x": "1"}
    back, moved_back = to_dynamic(native, serialized_providers=PICKLED_BY_KIND, stack_config=config)
    assert [(m.kind, m.id) for m in moved_back] == [(kind, moved_id)]
    resource = by_urn(back)[dynamic["urn"]]
    assert resource["inputs"] == dynamic["inputs"] and resource["outputs"] == dynamic["outputs"]
    pickled = resource["inputs"]["__provider"]
    assert pickled == PICKLED_BY_KIND[kind] and list(PICKLED_BY_KIND.values()).count(pickled) == 1, "its own class"
    assert resource["provider"].startswith(DYNAMIC_PROVIDER + "::")
    assert NATIVE_PROVIDER not in by_urn(back)


def test_the_attachment_provider_is_pickled_by_reference_under_the_permanent_module() -> None:
    """What a dynamic AgentAttachment writes as `__provider` names `pulumi_phonecfg.provider.AgentAttachmentProvider`
    (the class found again by `migrate` in a generically typed resource)."""
    import base64
    import pickle

    from pulumi_phonecfg.provider import AgentAttachmentProvider

    assert type(pickle.loads(base64.b64decode(PICKLED_ATTACHMENT))) is AgentAttachmentProvider
    assert b"pulumi_phonecfg.provider" in base64.b64decode(PICKLED_ATTACHMENT)
