"""PhoneNumber without HTTP: check (fields named, canonical form), diff (rename in place, move = replace), the
resource as a program sees it (set_mocks), the in-program ownership rule, and the pickled provider."""

from __future__ import annotations

import base64
from typing import Any

import dill
import pulumi
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from pulumi_phonecfg import NumberOwnershipError, PhoneConfig, PhoneNumber, PhoneNumberProvider
from pulumi_phonecfg.core.lifecycle.phone_number import check_number, diff_number
from pulumi_phonecfg.dynamic.resources import NUMBER_TYPE_TOKEN

TRUNK = "0b7c5a52-6a8e-4c36-9d1f-2f5a3e9b7c10"
OTHER_TRUNK = "5d1e8f7a-3b2c-4d6e-8f9a-0b1c2d3e4f50"
AGENT = "6F1C1D4E-0000-4000-8000-000000000001"
ENV = "6f1c1d4e-0000-4000-8000-000000000002"


def failures(news: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in check_number({"__provider": "p", **news}).failures}


def checked(news: dict[str, Any]) -> dict[str, Any]:
    result = check_number({"__provider": "p", **news})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs or {})


def test_check_canonicalises_the_number_and_the_ids() -> None:
    inputs = checked(
        {
            "config_id": TRUNK,
            "phone_number": " +1 415 555 0100 ",
            "description": "  main  ",
            "agent_id": AGENT,
            "environment_id": ENV,
        }
    )
    assert inputs == {
        "config_id": TRUNK,
        "phone_number": "+14155550100",
        "description": "main",
        "agent_id": AGENT.lower(),
        "environment_id": ENV,
    }


@pytest.mark.parametrize(
    ("news", "field"),
    [
        ({"config_id": TRUNK}, "phone_number"),
        ({"phone_number": "+14155550100"}, "config_id"),
        ({"config_id": TRUNK, "phone_number": "4155550100"}, "phone_number"),
        (
            {"config_id": TRUNK, "phone_number": "+14155550100", "agent_id": "not-a-uuid", "environment_id": ENV},
            "agent_id",
        ),
        ({"config_id": TRUNK, "phone_number": "+14155550100", "agent_id": AGENT}, "agent_id"),
        ({"config_id": TRUNK, "phone_number": "+14155550100", "agnet_id": AGENT}, "agnet_id"),
        ({"config_id": "", "phone_number": "+14155550100"}, "config_id"),
        ({"config_id": "support-trunk", "phone_number": "+14155550100"}, "config_id"),
    ],
)
def test_check_names_the_field(news: dict[str, Any], field: str) -> None:
    assert field in failures(news), failures(news)


def test_a_number_the_metadata_calls_invalid_passes_unless_strict() -> None:
    reserved = {"config_id": TRUNK, "phone_number": "+447700900123"}  # a reserved UK range: the API takes it
    assert checked(reserved)["phone_number"] == "+447700900123"
    strict = {f.property: f.reason for f in check_number(reserved, strict_numbers=True).failures}
    assert "phonecfg:strictPhoneNumbers" in strict["phone_number"]
    assert "phone_number" in failures({"config_id": TRUNK, "phone_number": "+1415555"})  # not a possible length


def test_check_passes_unknowns_and_still_checks_what_is_known() -> None:
    unknown = Unknown()
    result = check_number({"config_id": unknown, "phone_number": "+14155550100"})
    assert result.failures == [] and result.inputs == {"config_id": unknown, "phone_number": "+14155550100"}
    assert "phone_number" in failures({"config_id": unknown, "phone_number": "12"})


def outputs(**extra: Any) -> dict[str, Any]:
    return {"config_id": TRUNK, "phone_number": "+14155550100", **extra}


def test_diff_a_rename_is_an_update_a_new_trunk_a_replace() -> None:
    assert diff_number(outputs(), outputs()).changes is False
    assert diff_number(outputs(), {**outputs(), "phone_number": "+1 415 555 0100"}).changes is False
    renamed = diff_number(outputs(), outputs(phone_number="+14155550101"))
    assert renamed.changes is True and renamed.replaces == []
    described = diff_number(outputs(), outputs(description="new"))
    assert described.changes is True and described.replaces == []
    moved = diff_number(outputs(), outputs(config_id=OTHER_TRUNK))
    assert moved.changes is True and moved.replaces == ["config_id"] and moved.delete_before_replace is True
    unknown = diff_number(outputs(), outputs(config_id=Unknown()))
    assert unknown.changes is True and unknown.replaces == ["config_id"]


# ------------------------------------------------------------------------------------------------ in a program


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"{args.name}-id", {k: v for k, v in args.inputs.items() if k != "__provider"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_a_phone_number_of_a_trunk_in_the_same_program(mocks: Mocks) -> pulumi.Output[Any]:
    trunk = PhoneConfig("trunk", name="Shared trunk")  # no phone_numbers: the numbers are the PhoneNumbers'
    number = PhoneNumber("sales", config_id=trunk.id, phone_number="+14155550101", description="sales")

    def verify(values: list[Any]) -> None:
        config_id, phone_number = values
        assert (config_id, phone_number) == ("trunk-id", "+14155550101")
        args = next(a for a in mocks.created if a.name == "sales")
        assert args.typ == NUMBER_TYPE_TOKEN == "pulumi-python:dynamic/phonecfg:PhoneNumber"
        assert "agent_id" not in args.inputs

    return pulumi.Output.all(number.config_id, number.phone_number).apply(verify)


def test_a_number_declared_inline_and_as_a_phone_number_is_refused_before_any_registration() -> None:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    trunk = PhoneConfig("trunk", name="Shared trunk", phone_numbers=[{"phone_number": "+1 415 555 0100"}])
    with pytest.raises(NumberOwnershipError) as refused:
        PhoneNumber("dup", config_id=trunk.id, phone_number="+14155550100")
    message = str(refused.value)
    assert "'dup'" in message and "+14155550100" in message and "'trunk'" in message
    # The trunk's own registration fails at its gate, with the same message: it never reaches the engine.
    with pytest.raises(NumberOwnershipError, match="also in phone_numbers"):
        _wait(trunk.name)
    assert [a.name for a in mocks.created] == []


def test_any_phone_number_on_a_trunk_that_declares_its_list_is_refused() -> None:
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    for declared in ([], [{"phone_number": "+14155550100"}]):
        trunk = PhoneConfig("trunk", name="Listed trunk", phone_numbers=declared)
        with pytest.raises(NumberOwnershipError, match="declares phone_numbers, so it owns the trunk's whole list"):
            PhoneNumber("other", config_id=trunk.id, phone_number="+14155550101")


def test_a_number_on_a_genesys_config_of_the_program_is_refused() -> None:
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    genesys = PhoneConfig(
        "genesys",
        name="Genesys",
        service_provider="genesys_audio_connector",
        security={"api_key": "fake-api-key-unit", "client_secret": "ZmFrZQ=="},
    )
    with pytest.raises(NumberOwnershipError, match="only sip_trunk configs have phone numbers"):
        PhoneNumber("n", config_id=genesys.id, phone_number="+14155550100")


def test_what_the_program_cannot_see_is_not_refused() -> None:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    trunk = PhoneConfig("trunk", name="Shared trunk", phone_numbers=[{"phone_number": "+14155550100"}])
    # A derived output and a plain id are not recognised as the trunk: the program cannot tell (guides/ownership).
    PhoneNumber("derived", config_id=trunk.id.apply(lambda i: i), phone_number="+14155550100")
    PhoneNumber("plain", config_id="trunk-id", phone_number="+14155550100")
    _wait(trunk.name)


def _wait(output: pulumi.Output[Any]) -> Any:
    """Runs the event loop until `output` resolves (what the SDK does once the program body returns)."""
    import asyncio

    loop = asyncio.get_event_loop()
    return loop.run_until_complete(output.future())


def test_the_pickled_number_provider_is_tiny_and_by_reference() -> None:
    pickled = serialize_provider(PhoneNumberProvider())
    assert len(pickled) <= 256
    raw = base64.b64decode(pickled)
    assert b"pulumi_phonecfg.provider" in raw and b"PhoneNumberProvider" in raw and b"httpx" not in raw
    assert isinstance(dill.loads(raw), PhoneNumberProvider)
