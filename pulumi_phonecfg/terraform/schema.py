"""Terraform's schema of the provider, its resources and its data source, from the field table.

Conventions of Terraform providers: snake_case names (the API's, as in the field table), nested objects as nested
attributes (`security = { ... }`), lists compared as sets as set-nested attributes (`phone_numbers = [{ ... }]`),
descriptions from the table. Credentials are `sensitive` and `write_only`: OpenTofu >= 1.11 never stores them;
the salted fingerprints the core compares them by are the computed `security_fingerprints`. A field with a server
default is optional and computed (the plan shows the default, as the Pulumi faces' check fills it).

`TfAttribute` is the shape every other module walks (which attributes are computed, write-only, nested);
`to_pb` turns it into the protocol's messages.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from tf.gen import tfplugin_pb2 as pb

from pulumi_phonecfg.core.schema.case import to_snake
from pulumi_phonecfg.core.schema.fields import (
    AGENT_ATTACHMENT,
    PHONE_CONFIG,
    PHONE_NUMBER,
    Field,
    ResourceTable,
    object_type,
    wider_outputs,
)

Nesting = Literal["single", "set", "list"]
PROVIDER_PREFIX: Final = "phonecfg_"
_SCALARS: Final = {"string": "string", "boolean": "bool", "integer": "number", "number": "number"}
# Attribute.write_only is field 11 of tfplugin6 (protocol 6.8+); the `tf` framework's generated messages predate it.
# Set as a protobuf unknown field, it is sent on the wire as if the message knew it.
_WRITE_ONLY_TRUE: Final = bytes([11 << 3, 1])


@dataclass(frozen=True)
class TfAttribute:
    name: str
    description: str
    scalar: str = ""  # cty type of a plain attribute: string, bool, number
    nested: tuple[TfAttribute, ...] = ()  # attributes of a nested object
    nesting: Nesting = "single"
    required: bool = False
    computed: bool = False  # the provider may set it (outputs; optional fields with a server default)
    sensitive: bool = False
    write_only: bool = False
    replaces: bool = False  # a change plans a replacement

    @property
    def optional(self) -> bool:
        return not self.required and not self.output_only

    @property
    def output_only(self) -> bool:
        return self.computed and not self.required and self._is_output

    _is_output: bool = field(default=False, repr=False)

    def child(self, name: str) -> TfAttribute:
        return next(a for a in self.nested if a.name == name)

    def to_pb(self) -> pb.Schema.Attribute:
        message = pb.Schema.Attribute(
            name=self.name,
            description=self.description,
            description_kind=pb.StringKind.MARKDOWN,
            required=self.required,
            optional=self.optional,
            computed=self.computed,
            sensitive=self.sensitive,
        )
        if self.nested:
            nesting = {"single": pb.Schema.Object.SINGLE, "set": pb.Schema.Object.SET, "list": pb.Schema.Object.LIST}
            message.nested_type.CopyFrom(
                pb.Schema.Object(attributes=[a.to_pb() for a in self.nested], nesting=nesting[self.nesting])
            )
        else:
            message.type = json.dumps(self.scalar).encode()
        if self.write_only:
            message.MergeFromString(_WRITE_ONLY_TRUE)
        return message


@dataclass(frozen=True)
class TfSchema:
    type_name: str  # phonecfg_phone_config
    description: str
    attributes: tuple[TfAttribute, ...]
    version: int = 0

    def attribute(self, name: str) -> TfAttribute:
        return next(a for a in self.attributes if a.name == name)

    def to_pb(self) -> pb.Schema:
        block = pb.Schema.Block(
            attributes=[a.to_pb() for a in self.attributes],
            description=self.description,
            description_kind=pb.StringKind.MARKDOWN,
        )
        return pb.Schema(version=self.version, block=block)


def _description(f: Field) -> str:
    """The table's description in HCL's words: camelCase names snake_case, a resource by its type name."""
    text = f.description
    for table in (PHONE_CONFIG, PHONE_NUMBER, AGENT_ATTACHMENT):
        text = text.replace(f"a {table.name}'s", f"a {PROVIDER_PREFIX}{to_snake(table.name)}'s")
    return _CAMEL_WORD.sub(lambda m: to_snake(m.group(0)), text)


_CAMEL_WORD: Final = re.compile(r"\b[a-z]+(?:[A-Z][a-z]+)+\b")


def _input(f: Field, *, in_set: bool = False) -> TfAttribute:
    """An input field of the table as Terraform declares it."""
    nested = object_type(f.type)
    children = tuple(_input(sub, in_set=in_set or f.list) for sub in nested.fields) if nested else ()
    has_default = f.default is not None or f.name == "security"  # the server fills security's flags
    return TfAttribute(
        name=f.name,
        description=_description(f),
        scalar="" if nested else _SCALARS[f.type],
        nested=children,
        nesting="set" if f.list else "single",
        required=f.required,
        computed=has_default and not f.write_only and not in_set,
        sensitive=f.write_only,
        write_only=f.write_only,
        replaces=f.replaces,
    )


def _output(f: Field, name: str = "") -> TfAttribute:
    nested = object_type(f.type)
    return TfAttribute(
        name=name or f.name,
        description=_description(f),
        scalar="" if nested else _SCALARS[f.type],
        nested=tuple(_output(sub) for sub in nested.fields) if nested else (),
        nesting="list" if f.list else "single",
        computed=True,
        _is_output=True,
    )


ID: Final = TfAttribute("id", "The resource's id.", scalar="string", computed=True, _is_output=True)


def _extra_outputs(table: ResourceTable) -> Iterator[TfAttribute]:
    """Output fields wider than their input (`security` -> its fingerprints): computed attributes of their own,
    `<input>_<field>` (an attribute cannot be input-shaped and output-shaped)."""
    for f, sub in wider_outputs(table):
        yield _output(sub, f"{f.name}_{sub.name}")


@functools.cache
def resource_schema(table: ResourceTable) -> TfSchema:
    inputs = tuple(_input(f) for f in table.inputs)
    outputs = tuple(_output(f) for f in table.outputs)
    attributes = (ID, *inputs, *_extra_outputs(table), *outputs)
    return TfSchema(PROVIDER_PREFIX + to_snake(table.name), table.description, attributes)


def _string(name: str, description: str, **flags: Any) -> TfAttribute:
    return TfAttribute(name, description, scalar="string", **flags)


AGENT_DATA_SOURCE: Final = TfSchema(
    "phonecfg_agent",
    "Looks up a watsonx Orchestrate agent by name and one of its environments, for `agent_id`/`environment_id`.",
    (
        _string("name", "The agent's name.", required=True),
        _string("environment", "The environment's name (default `live`).", computed=True),
        _string("agent_id", "Agent UUID.", computed=True, _is_output=True),
        _string("environment_id", "Agent environment UUID.", computed=True, _is_output=True),
        _string("agent_name", "The agent's name as the tenant spells it.", computed=True, _is_output=True),
        _string("environment_name", "The environment's name.", computed=True, _is_output=True),
    ),
)
