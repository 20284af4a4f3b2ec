"""One source of field knowledge: the field table, and everything that must agree with it.

Fails when `schema.json` or the generated dynamic args (`phone_config_args.py`) are stale (run `make schema`), or
when the dynamic resource's args, the pydantic models, the native schema or the API names (the reference,
docs/wxo-phone-api.md) disagree with the table on a field. The last test makes one edit to a copy of the table
and shows every one of them follow.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.schema import canonical, models
from pulumi_phonecfg.core.schema.case import to_camel, to_snake
from pulumi_phonecfg.core.schema.fields import (
    PHONE_CONFIG,
    PHONE_NUMBER,
    TYPES,
    Field,
    ObjectType,
    ResourceTable,
    object_type,
    server_outputs,
    walk,
)
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS
from pulumi_phonecfg.dynamic import args_codegen
from pulumi_phonecfg.dynamic import resources as resource
from pulumi_phonecfg.native import schema

ROOT = Path(__file__).resolve().parents[3]
# The pydantic model and the dynamic args class of each object type a program writes.
MODELS: dict[str, tuple[type[BaseModel], type[Any]]] = {
    "Security": (models.Security, resource.SecurityArgs),
    "CustomInviteHeader": (models.CustomInviteHeader, resource.CustomInviteHeaderArgs),
    "TransferFailure": (models.TransferFailure, resource.TransferFailureArgs),
    "CallFailure": (models.CallFailure, resource.CallFailureArgs),
    "ErrorHandling": (models.ErrorHandling, resource.ErrorHandlingArgs),
    "PhoneNumber": (models.PhoneNumber, resource.PhoneNumberArgs),
    "AttachedEnvironment": (models.AttachedEnvironment, resource.AttachedEnvironmentArgs),
}


def names(fields: tuple[Field, ...]) -> list[str]:
    return [f.name for f in fields]


def test_schema_json_is_current() -> None:
    checked_in = (ROOT / "schema.json").read_text()
    assert checked_in == schema.schema_json(), "schema.json is stale: run `make schema`"


def test_the_generated_dynamic_args_are_current() -> None:
    checked_in = (ROOT / args_codegen.MODULE).read_text()
    assert checked_in == args_codegen.render(), f"{args_codegen.MODULE} is stale: run `make schema`"


def test_every_type_a_field_names_is_declared() -> None:
    for _path, f in walk(PHONE_CONFIG.inputs + PHONE_CONFIG.outputs):
        for type_name in filter(None, (f.type, f.output_type)):
            assert type_name in schema.PRIMITIVES or object_type(type_name) is not None, (f.name, type_name)


def test_names_round_trip_between_api_and_program_spelling() -> None:
    every = [f.name for _path, f in walk(PHONE_CONFIG.inputs + PHONE_CONFIG.outputs)]
    every += [f.name for t in TYPES for f in t.fields]
    for name in every:
        assert to_snake(to_camel(name)) == name


@pytest.mark.parametrize("type_name", sorted(MODELS))
def test_pydantic_models_and_dynamic_args_have_the_table_s_fields(type_name: str) -> None:
    table = object_type(type_name)
    assert isinstance(table, ObjectType)
    model, args = MODELS[type_name]
    assert list(model.model_fields) == names(table.fields)
    assert [f.name for f in dataclasses.fields(args)] == names(table.fields)
    for f in table.fields:
        info = model.model_fields[f.name]
        assert info.is_required() == f.required, (type_name, f.name)


def test_phone_config_inputs_agree_with_the_table() -> None:
    api_inputs = names(PHONE_CONFIG.api_inputs())
    assert list(models.PhoneConfigInputs.model_fields) == api_inputs
    assert list(models.INPUT_FIELDS) == api_inputs
    assert typing.get_args(models.ServiceProvider) == PHONE_CONFIG.input("service_provider").enum
    for f in PHONE_CONFIG.api_inputs():
        nested = _model_of(models.PhoneConfigInputs.model_fields[f.name].annotation)
        expected = MODELS[f.type][0] if f.type in MODELS else None
        assert nested is expected, f.name


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_of(argument)
        if found is not None:
            return found
    return None


def test_the_dynamic_resource_takes_every_input_and_declares_every_output() -> None:
    parameters = inspect.signature(resource.PhoneConfig.__init__).parameters
    declared = [p for p in parameters if p not in ("self", "resource_name", "opts")]
    assert sorted(declared) == sorted(names(PHONE_CONFIG.inputs))
    # The output attributes are declared on the class or a class of ours it inherits (the generated surface).
    annotations = {
        name
        for cls in resource.PhoneConfig.__mro__
        if cls.__module__.startswith("pulumi_phonecfg.")
        for name in vars(cls).get("__annotations__", {})
    }
    outputs = [f.name for f in PHONE_CONFIG.inputs if f.sent] + names(PHONE_CONFIG.outputs)
    assert sorted(annotations) == sorted(outputs)


def test_the_lifecycle_s_field_groups_are_the_table_s() -> None:
    by_kind = {
        kind: [f.name for f in PHONE_CONFIG.api_inputs() if kind in f.kinds]
        for kind in (models.SIP_TRUNK, models.GENESYS)
    }
    assert list(canonical.fields_for(models.SIP_TRUNK)) == by_kind[models.SIP_TRUNK]
    assert list(canonical.fields_for(models.GENESYS)) == by_kind[models.GENESYS]
    assert set(models.REPLACE_FIELDS) == {f.name for f in PHONE_CONFIG.inputs if f.replaces}
    assert list(models.LIST_FIELDS_SET_AFTER_CREATE) == [f.name for f in PHONE_CONFIG.inputs if f.after_create]
    assert {
        f.name: f.default for f in PHONE_CONFIG.inputs if f.type == "boolean" and f.default is not None
    } == models.SIP_FLAG_DEFAULTS
    security = object_type("Security")
    assert security is not None
    assert {f.name: f.default for f in security.fields if f.default is not None} == models.SIP_SECURITY_DEFAULTS
    assert set(canonical.ITEM_KEYS) == {f.name for f in PHONE_CONFIG.inputs if f.list}
    for name, keys in canonical.ITEM_KEYS.items():
        item = object_type(PHONE_CONFIG.input(name).type)
        assert item is not None and keys == tuple(names(item.fields))
    assert server_outputs() == models.SERVER_FIELDS


def test_write_only_credentials_are_the_fingerprinted_ones() -> None:
    security = object_type("Security")
    assert security is not None
    assert tuple(f.name for f in security.fields if f.write_only) == SECRET_FIELDS
    fingerprints = object_type("Fingerprints")
    assert fingerprints is not None and tuple(names(fingerprints.fields)) == SECRET_FIELDS


def test_every_api_field_is_named_in_the_api_reference() -> None:
    reference = (ROOT / "docs" / "wxo-phone-api.md").read_text()
    for path, f in walk(PHONE_CONFIG.api_inputs()):
        if f.type in ("SecurityState", "Fingerprints"):
            continue
        assert re.search(rf"\b{re.escape(f.name)}\b", reference), f"{path} is not an API field of the reference"


def test_the_schema_s_config_keys_are_the_keys_the_settings_read() -> None:
    read: list[str] = []

    def record(key: str) -> None:
        read.append(key.removeprefix("phonecfg:"))

    ProviderSettings.from_sources(lambda key: record(key), env={})
    assert sorted(set(read)) == sorted(key.name for key in SETTING_KEYS)


def test_the_schema_names_are_the_program_names() -> None:
    spec = json.loads(schema.schema_json())
    resource_spec = spec["resources"]["phonecfg:index:PhoneConfig"]
    assert list(resource_spec["inputProperties"]) == sorted(to_camel(f.name) for f in PHONE_CONFIG.inputs)
    assert resource_spec["inputProperties"]["security"]["secret"] is True
    assert resource_spec["properties"]["security"]["$ref"] == "#/types/phonecfg:index:SecurityState"
    assert resource_spec["inputProperties"]["serviceProvider"]["willReplaceOnChanges"] is True
    language = spec["language"]
    assert language["python"]["packageName"] == "pulumi_phonecfg_native"
    assert language["nodejs"]["packageName"] == "pulumi-phonecfg"
    assert all(language[lang]["respectSchemaVersion"] for lang in ("nodejs", "python", "go"))


def test_a_second_resource_is_one_more_table() -> None:
    """What a native `phonecfg:index:PhoneNumber` will take: a ResourceTable the schema renders like PhoneConfig."""
    number = ResourceTable(
        "PhoneNumber",
        "One number on a SIP trunk.",
        inputs=(
            Field("config_id", "string", "The trunk's id.", required=True, replaces=True),
            *object_type("PhoneNumber").fields,  # type: ignore[union-attr]
        ),
        outputs=(),
    )
    spec = schema.resource_spec(number)
    assert sorted(spec["inputProperties"]) == ["agentId", "configId", "description", "environmentId", "phoneNumber"]
    assert spec["requiredInputs"] == ["configId", "phoneNumber"]
    assert spec["inputProperties"]["configId"]["willReplaceOnChanges"] is True


def test_phone_number_inputs_are_built_from_the_table() -> None:
    """The PhoneNumber's model is the table's, as PhoneConfig's is: its fields, their rules and a new one's limit."""
    model = models.PhoneNumberInputs
    assert list(model.model_fields) == names(PHONE_NUMBER.api_inputs())
    assert {n for n, info in model.model_fields.items() if info.is_required()} == {"config_id", "phone_number"}
    valid = {"config_id": "0B6F0000-0000-4000-8000-000000000001", "phone_number": " +1 415 555 0100 "}
    assert model.model_validate(valid).model_dump(exclude_none=True) == {**valid, "phone_number": "+14155550100"}
    with pytest.raises(ValueError, match="must be a phone config id"):
        model.model_validate({**valid, "config_id": "support-trunk"})
    edited = dataclasses.replace(
        PHONE_NUMBER, inputs=(*PHONE_NUMBER.inputs, Field("label", "string", "A label.", max_length=3))
    )
    with pytest.raises(ValueError, match="at most 3 characters"):
        models.input_models(edited)["PhoneNumberInputs"].model_validate({**valid, "label": "long"})
