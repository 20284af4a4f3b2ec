"""Property names at the native boundary: the program's camelCase (`phoneNumbers[1].agentId`) <-> the API's
snake_case (`phone_numbers[1].agent_id`), which the lifecycle, the state of the dynamic resource and the API use.

Inputs are translated by the declared shape of the resource (`InputShape`): a key the shape does not know is not
guessed at but reported, in the program's own spelling, so `service_provider` in a YAML program is an error that
names `serviceProvider`. Everything the provider itself wrote (outputs, state) is translated key by key, because
every key in it is ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi.output import Unknown

from pulumi_phonecfg.core.http.field_text import Spelling, spelled
from pulumi_phonecfg.core.schema.case import to_camel, to_snake


def program_path(api_path: str) -> str:
    """`phone_numbers[1].agent_id` -> `phoneNumbers[1].agentId`; anything in parentheses is kept as it is."""
    head, sep, note = api_path.partition(" (")
    return re.sub(r"[a-z][a-z0-9_]*", lambda match: to_camel(match.group(0)), head) + sep + note


# How a native program writes what a core message names (`field_text.py`): `adoptExisting: true` (TypeScript, YAML).
PROGRAM_SPELLING: Final = Spelling(
    path=program_path, setting=lambda path, value: f"{program_path(path)}: {json.dumps(value)}"
)


def program_text(text: str) -> str:
    """A core message with the fields it names as a native program spells them."""
    return spelled(text, PROGRAM_SPELLING)


def keys_to_program(value: Any) -> Any:
    """Every mapping key in `value` (outputs, checked inputs: all ours) from snake_case to camelCase."""
    if isinstance(value, Mapping):
        return {to_camel(str(k)): keys_to_program(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys_to_program(v) for v in value]
    return value


def keys_to_api(value: Any) -> Any:
    """Every mapping key in `value` (prior outputs or inputs the provider wrote) from camelCase to snake_case."""
    if isinstance(value, Mapping):
        return {to_snake(str(k)): keys_to_api(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys_to_api(v) for v in value]
    return value


@dataclass(frozen=True)
class InputShape:
    """The objects a program may write: for each property (API name), the shape of its object or list items."""

    properties: Mapping[str, InputShape | None] = field(default_factory=dict)

    def program_names(self) -> dict[str, str]:
        return {to_camel(name): name for name in self.properties}


@dataclass
class Translated:
    """Program inputs in API names, and the properties that could not be translated (program spelling)."""

    value: dict[str, Any]
    unknown: list[tuple[str, str]]  # (program path, reason)


def inputs_to_api(inputs: Mapping[str, Any], shape: InputShape) -> Translated:
    """Program inputs (camelCase) -> API names, by `shape`; unknown properties are reported and left out."""
    unknown: list[tuple[str, str]] = []
    value = _object_to_api(inputs, shape, "", unknown)
    return Translated(value, unknown)


def _object_to_api(value: Mapping[str, Any], shape: InputShape, path: str, unknown: list[tuple[str, str]]) -> Any:
    names = shape.program_names()
    result: dict[str, Any] = {}
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        api_name = names.get(key)
        if api_name is None:
            unknown.append((where, _unknown_reason(key, names)))
            continue
        result[api_name] = _value_to_api(item, shape.properties[api_name], where, unknown)
    return result


def _value_to_api(value: Any, shape: InputShape | None, path: str, unknown: list[tuple[str, str]]) -> Any:
    if shape is None or isinstance(value, Unknown):
        return value
    if isinstance(value, Mapping):
        return _object_to_api(value, shape, path, unknown)
    if isinstance(value, list):
        return [_value_to_api(item, shape, f"{path}[{index}]", unknown) for index, item in enumerate(value)]
    return value  # a wrong type: validation names it


def _unknown_reason(key: str, names: Mapping[str, str]) -> str:
    camel = to_camel(key)
    if camel != key and camel in names:
        return f"unknown property (property names are camelCase: did you mean {camel!r}?)"
    known = ", ".join(sorted(names))
    return f"unknown property (check the spelling; known here: {known})"
