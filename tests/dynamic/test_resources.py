"""PhoneConfig as a program sees it, under pulumi.runtime.set_mocks: type token, inputs, secrets, pickling."""

from __future__ import annotations

import base64
import json
from typing import Any

import dill
import pulumi
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_phonecfg import (
    AttachedEnvironmentArgs,
    PhoneConfig,
    PhoneConfigProvider,
    PhoneNumberArgs,
    SecurityArgs,
    TransferFailureArgs,
)
from pulumi_phonecfg.dynamic.resources import TYPE_TOKEN, ErrorHandlingArgs

FAKE_TOKEN = "fake-token-for-pickle-test"
FAKE_PASSWORD = "fake-sip-password-mocks"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        outputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        return f"{args.name}-id", {**outputs, "tenant_id": "sub_inst", "created_on": "2026-11-26T00:00:00Z"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_type_token_inputs_and_server_outputs(mocks: Mocks) -> pulumi.Output[Any]:
    trunk = PhoneConfig(
        "trunk",
        name="Support",
        security=SecurityArgs(authentication=True, username="u", password=FAKE_PASSWORD),
        error_handling=ErrorHandlingArgs(transfer_failure=TransferFailureArgs(reply_message="Sorry")),
        phone_numbers=[PhoneNumberArgs(phone_number="+14155550100"), {"phone_number": "+14155550101"}],
    )

    def verify(values: list[Any]) -> None:
        config_id, tenant_id, numbers, error_handling = values
        (args,) = mocks.created
        assert args.typ == TYPE_TOKEN == "pulumi-python:dynamic/phonecfg:PhoneConfig"
        assert config_id == "trunk-id" and tenant_id == "sub_inst"
        assert numbers == [{"phone_number": "+14155550100"}, {"phone_number": "+14155550101"}]
        assert error_handling == {"transfer_failure": {"reply_message": "Sorry"}}
        assert args.inputs["service_provider"] == "sip_trunk"
        assert "description" not in args.inputs  # unset args are not sent as None

    return pulumi.Output.all(trunk.id, trunk.tenant_id, trunk.phone_numbers, trunk.error_handling).apply(verify)


@pulumi.runtime.test
def test_security_is_secret_for_the_program(mocks: Mocks) -> pulumi.Output[Any]:
    genesys = PhoneConfig(
        "genesys",
        name="Genesys",
        service_provider="genesys_audio_connector",
        security={"api_key": "fake-api-key", "client_secret": "ZmFrZQ=="},
        attached_environments=[AttachedEnvironmentArgs(agent_id="a", environment_id="e")],
    )

    async def secret_flags() -> tuple[bool, bool]:
        return await genesys.security.is_secret(), await genesys.name.is_secret()

    return pulumi.Output.from_input(secret_flags()).apply(lambda flags: _assert_equal(flags, (True, False)))


def _assert_equal(actual: Any, expected: Any) -> None:
    assert actual == expected


def test_the_pickled_provider_is_tiny_stateless_and_by_reference() -> None:
    configured = PhoneConfigProvider()
    configured.configure(
        ConfigureRequest(Config({"phonecfg:url": "http://127.0.0.1:1", "phonecfg:token": FAKE_TOKEN}, "proj"))
    )
    pickled = serialize_provider(configured)
    assert pickled == serialize_provider(PhoneConfigProvider())  # configuration never reaches the pickle
    assert len(pickled) <= 256
    raw = base64.b64decode(pickled)
    assert b"pulumi_phonecfg.provider" in raw and b"PhoneConfigProvider" in raw
    assert FAKE_TOKEN.encode() not in raw and b"httpx" not in raw
    assert isinstance(dill.loads(raw), PhoneConfigProvider)
    assert PhoneConfigProvider.serialize_as_secret_always is False


def test_args_classes_and_dicts_make_the_same_document() -> None:
    from pulumi_phonecfg.dynamic.resources import to_plain

    typed = to_plain([PhoneNumberArgs(phone_number="+14155550100", agent_id="a", environment_id="e")])
    plain = to_plain([{"phone_number": "+14155550100", "agent_id": "a", "environment_id": "e", "description": None}])
    assert json.dumps(typed, sort_keys=True) == json.dumps(plain, sort_keys=True)


def test_a_misspelled_argument_is_reported_as_phone_config_s_own() -> None:
    """The keyword arguments are generated onto a base class; the error still names the class the program calls."""
    with pytest.raises(TypeError) as raised:
        PhoneConfig("trunk", name="Support", descripton="typo")  # type: ignore[call-arg]
    assert str(raised.value) == "PhoneConfig.__init__() got an unexpected keyword argument 'descripton'"
