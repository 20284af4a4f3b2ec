"""The native PhoneNumber's pure pieces (no process, no HTTP): its field table held to the number lifecycle, the
import id, the detailed diff, and the generated Python SDK's resource class."""

from __future__ import annotations

import pulumi
import pulumi_phonecfg_native
import pytest
from pulumi.output import Unknown

from pulumi_phonecfg.core.http.errors import PhoneConfigError
from pulumi_phonecfg.core.lifecycle.phone_number import NUMBER_FIELDS, NUMBER_REPLACE_FIELDS
from pulumi_phonecfg.core.schema.fields import PHONE_NUMBER, RESOURCES, object_type
from pulumi_phonecfg.native import phone_number
from pulumi_phonecfg.native.diff import Change

TRUNK = "0b6f3a52-0000-4000-8000-000000000001"
OTHER_TRUNK = "0b6f3a52-0000-4000-8000-000000000002"


def test_the_table_is_the_lifecycle_s_fields() -> None:
    assert PHONE_NUMBER in RESOURCES
    assert tuple(f.name for f in PHONE_NUMBER.inputs) == NUMBER_FIELDS
    assert {f.name for f in PHONE_NUMBER.inputs if f.replaces} == NUMBER_REPLACE_FIELDS
    assert {f.name for f in PHONE_NUMBER.inputs if f.required} == {"config_id", "phone_number"}
    inline = object_type("PhoneNumber")
    assert inline is not None
    assert [f.name for f in inline.fields] == [f.name for f in PHONE_NUMBER.inputs[1:]]  # the inline number's


def test_an_import_id_is_checked_and_made_canonical() -> None:
    assert phone_number.import_address(f" {TRUNK}/+1 415 555 0100 ") == (
        f"{TRUNK}/+14155550100",
        {"config_id": TRUNK, "phone_number": "+14155550100"},
    )
    for bad in ("+14155550100", f"{TRUNK}/", "/+14155550100", "trunk/+14155550100"):
        with pytest.raises(PhoneConfigError, match=r"must be <configId>/<phoneNumber>"):
            phone_number.import_address(bad)


def test_the_detailed_diff_names_each_changed_field_and_only_config_id_replaces() -> None:
    olds = {"configId": TRUNK, "phoneNumber": "+14155550100", "description": "old"}
    renamed = phone_number.diff(olds, {**olds, "phoneNumber": "+14155550101", "description": None})
    assert renamed.detailed == {"phoneNumber": (Change.UPDATE, False), "description": (Change.DELETE, False)}
    assert renamed.replaces == [] and renamed.changed == ["phoneNumber", "description"]

    moved = phone_number.diff(olds, {**olds, "configId": OTHER_TRUNK, "agentId": "a", "environmentId": "e"})
    assert moved.detailed == {
        "configId": (Change.UPDATE, True),
        "agentId": (Change.ADD, False),
        "environmentId": (Change.ADD, False),
    }
    assert moved.replaces == ["configId"]

    unknown_trunk = phone_number.diff(olds, {**olds, "configId": Unknown()})
    assert unknown_trunk.replaces == ["configId"]  # a trunk being replaced: the number moves with it
    assert not phone_number.diff(olds, {**olds, "phoneNumber": "+1 415 555 0100"}).changes


def test_the_python_sdk_has_the_resource_next_to_the_inline_type() -> None:
    # The resource shares its token with the inline number type (Kubernetes' convention): the resource's args class
    # is PhoneNumberInitArgs, PhoneNumberArgs stays the inline number of PhoneConfig.phoneNumbers.
    assert issubclass(pulumi_phonecfg_native.PhoneNumber, pulumi.CustomResource)
    init_args = pulumi_phonecfg_native.PhoneNumberInitArgs(config_id=TRUNK, phone_number="+14155550100")
    assert init_args.config_id == TRUNK
    assert pulumi_phonecfg_native.PhoneNumberArgs(phone_number="+14155550100").phone_number == "+14155550100"
