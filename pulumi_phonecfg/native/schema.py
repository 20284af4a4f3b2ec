"""The Pulumi package schema of `phonecfg`, generated from the field table (`fields.py`) and the config keys.

`python -m pulumi_phonecfg.native.schema` prints it; `make schema` writes `schema.json` (checked in, the input of
SDK generation); a test fails when the two differ. The plugin serves the generated schema from `GetSchema`.

Go SDK module path: `GO_IMPORT_BASE_PATH` below (the SDK lives in this repository's `sdk/go/phonecfg`; Go
programs use it through a `replace` directive pointing at that directory).
"""

from __future__ import annotations

import functools
import json
import sys
from importlib.metadata import version
from typing import Any, Final

from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS
from pulumi_phonecfg.core.schema.case import to_camel
from pulumi_phonecfg.core.schema.fields import BOTH, RESOURCES, TYPES, Field, ResourceTable
from pulumi_phonecfg.native.provider import GET_AGENT_TOKEN

PACKAGE: Final = "phonecfg"
GO_IMPORT_BASE_PATH: Final = "example.com/pulumi-phonecfg/sdk/go/phonecfg"
PRIMITIVES: Final = frozenset({"string", "boolean", "integer", "number"})


def package_version() -> str:
    return version("pulumi_phonecfg")


def type_token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


def _type_spec(type_name: str, *, is_list: bool) -> dict[str, Any]:
    item: dict[str, Any] = (
        {"type": type_name} if type_name in PRIMITIVES else {"$ref": f"#/types/{type_token(type_name)}"}
    )
    return {"type": "array", "items": item} if is_list else item


def property_spec(f: Field, *, output: bool = False) -> dict[str, Any]:
    spec = _type_spec(f.output_type if output and f.output_type else f.type, is_list=f.list)
    spec["description"] = f.description
    if f.secret:
        spec["secret"] = True
    if f.replaces:
        spec["willReplaceOnChanges"] = True
    # Generated SDKs fill a schema default in on the client, whatever the config's kind: a default of a one-kind
    # field (putCallerOnHoldOnTransfer, security.secureTrunking…) would reach Genesys configs, which refuse it.
    # Those stay unset in the schema; the lifecycle applies them as server defaults.
    if f.default is not None and not output and f.type in PRIMITIVES and f.kinds == BOTH:
        spec["default"] = f.default
    return spec


def _object(fields: tuple[Field, ...], *, output: bool = False) -> tuple[dict[str, Any], list[str]]:
    properties = {to_camel(f.name): property_spec(f, output=output) for f in fields}
    required = sorted(to_camel(f.name) for f in fields if f.required)
    return properties, required


def resource_spec(table: ResourceTable) -> dict[str, Any]:
    inputs, required_inputs = _object(table.inputs)
    output_fields = tuple(f for f in table.inputs if f.sent) + table.outputs
    outputs, _ = _object(output_fields, output=True)
    return {
        "description": table.description,
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "properties": outputs,
        # Outputs every config has: the required inputs and those with a default, on both kinds.
        "required": sorted(
            to_camel(f.name)
            for f in table.inputs
            if f.sent and f.kinds == BOTH and (f.required or f.default is not None)
        ),
    }


def _config_variables() -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for key in SETTING_KEYS:
        spec: dict[str, Any] = {"type": key.type, "description": key.description}
        if key.secret:
            spec["secret"] = True
        variables[key.name] = spec
    return variables


def _get_agent() -> dict[str, Any]:
    outputs = {
        "agentId": {"type": "string", "description": "Agent UUID in this tenant."},
        "environmentId": {"type": "string", "description": "The environment's UUID."},
        "agentName": {"type": "string", "description": "The agent's name."},
        "environmentName": {"type": "string", "description": "The environment's name."},
    }
    return {
        "description": "An agent and one of its environments by name, in the provider's tenant (cached 5 minutes).",
        "inputs": {
            "properties": {
                "name": {"type": "string", "description": "Agent name."},
                "environment": {"type": "string", "description": "`live` (default) or `draft`.", "default": "live"},
            },
            "required": ["name"],
        },
        "outputs": {"properties": outputs, "required": sorted(outputs)},
    }


@functools.cache
def schema() -> dict[str, Any]:
    types: dict[str, Any] = {}
    for object_type in TYPES:
        properties, required = _object(object_type.fields)
        spec: dict[str, Any] = {"type": "object", "description": object_type.description, "properties": properties}
        if required:
            spec["required"] = required
        types[type_token(object_type.name)] = spec
    config = _config_variables()
    return {
        "name": PACKAGE,
        "displayName": "watsonx Orchestrate phone configs",
        "description": "Phone configs of IBM watsonx Orchestrate: SIP trunks and Genesys Audio Connector configs.",
        "keywords": ["pulumi", "phonecfg", "watsonx-orchestrate", "sip", "genesys", "category/utility"],
        "license": "Apache-2.0",
        "version": package_version(),
        "meta": {"moduleFormat": "(.*)"},
        "language": {
            "nodejs": {"packageName": "pulumi-phonecfg", "respectSchemaVersion": True},
            "python": {"packageName": "pulumi_phonecfg_native", "respectSchemaVersion": True},
            "go": {"importBasePath": GO_IMPORT_BASE_PATH, "respectSchemaVersion": True},
        },
        "config": {"variables": config},
        "provider": {"description": "The phonecfg provider.", "inputProperties": config},
        "types": types,
        # `phonecfg:index:PhoneNumber` is both a resource and the type of an inline number: tokens of types and of
        # resources are separate (Kubernetes has many such pairs); the SDK generators keep the names apart
        # (Python: PhoneNumberInitArgs for the resource's args, Go: PhoneNumberType for the inline type).
        "resources": {type_token(table.name): resource_spec(table) for table in RESOURCES},
        "functions": {GET_AGENT_TOKEN: _get_agent()},
    }


def schema_json() -> str:
    """The schema as checked in: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    sys.stdout.write(schema_json())


if __name__ == "__main__":
    main()
