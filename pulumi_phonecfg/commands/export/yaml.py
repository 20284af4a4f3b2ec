"""The exported project in Pulumi YAML, on the native provider `phonecfg`: one `Pulumi.yaml` and the stack file.

Resources are `phonecfg:index:PhoneConfig` (and `PhoneNumber`, `AgentAttachment`) with the schema's camelCase property
names and the same resource names as the Python export (`name:`), agents are `fn::invoke` of
`phonecfg:index:getAgent` in `variables`, credentials are secret `config` entries read as `${key}`. Every string is
double-quoted: a bare `+14155550100`, `true` or `123` would be read as a number or a boolean (pulumi-yaml#577), and
every `$` is doubled so that no text from the tenant can become an interpolation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_phonecfg.commands.export.model import (
    AgentOutput,
    ConfigIdOf,
    Language,
    ProjectOptions,
    RenderedProject,
    SecretKey,
    SecretRead,
    camel,
    export_project,
    program_names,
    slug,
    unique,
)
from pulumi_phonecfg.commands.export.stack_config import secret_commands, stack_file
from pulumi_phonecfg.commands.export.strings import yaml_string
from pulumi_phonecfg.core.lifecycle.agents import Agent
from pulumi_phonecfg.core.schema.case import to_camel

LANGUAGE: Final = Language(program_file="Pulumi.yaml", agent_lookup="phonecfg:index:getAgent(...)")
TYPE_PREFIX: Final = "phonecfg:index:"
RESOURCE_TYPE: Final = f"{TYPE_PREFIX}PhoneConfig"
GET_AGENT: Final = "phonecfg:index:getAgent"
# Names Pulumi YAML gives a meaning itself (`${pulumi.stack}`); no resource, variable or config key may take them.
RESERVED_NAMES: Final = frozenset({"pulumi"})
INDENT: Final = "  "


class _Names:
    """Unique names in the one namespace Pulumi YAML has for config keys, variables and resources."""

    def __init__(self, taken: Sequence[str]) -> None:
        self._used: set[str] = set(RESERVED_NAMES) | set(taken)

    def make(self, text: str, *, fallback: str) -> str:
        base = camel(slug(text)) or fallback
        if base[0].isdigit():
            base = fallback + base[0].upper() + base[1:]
        return unique(base, self._used)


def text(value: str) -> str:
    """A YAML string that Pulumi YAML reads back as exactly `value`: quoted, `$` doubled."""
    return yaml_string(value.replace("$", "$$"))


def _scalar(value: Any, names: Mapping[Any, str]) -> str:
    if isinstance(value, SecretRead):
        return f"${{{value.key}}}"
    if isinstance(value, AgentOutput):
        return f"${{{names[value.lookup]}.{to_camel(value.attribute)}}}"
    if isinstance(value, ConfigIdOf):
        return f"${{{names[value.resource_name]}.id}}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, Mapping) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    raise TypeError(f"cannot render {type(value).__name__}")


def block(key: str, value: Any, indent: int, names: Mapping[Any, str]) -> list[str]:
    """`key: value` in YAML block style at `indent`; mapping keys become the schema's camelCase names."""
    pad = INDENT * indent
    if isinstance(value, Mapping) and value:
        lines = [f"{pad}{key}:"]
        for name, item in value.items():
            lines += block(to_camel(str(name)), item, indent + 1, names)
        return lines
    if isinstance(value, list) and value:
        lines = [f"{pad}{key}:"]
        for item in value:
            lines += _list_item(item, indent + 1, names)
        return lines
    return [f"{pad}{key}: {_scalar(value, names)}"]


def _list_item(item: Any, indent: int, names: Mapping[Any, str]) -> list[str]:
    pad = INDENT * indent
    if not (isinstance(item, Mapping) and item):
        return [f"{pad}- {_scalar(item, names)}"]
    lines: list[str] = []
    for name, value in item.items():
        lines += block(to_camel(str(name)), value, indent + 1, names)
    first = lines[0]
    return [pad + "- " + first[len(pad) + len(INDENT) :], *lines[1:]]


def render_project(
    documents: Sequence[Mapping[str, Any]], agents: Sequence[Agent], options: ProjectOptions
) -> RenderedProject:
    """The Pulumi YAML project for `documents` (API config documents) in a tenant with `agents`."""
    exported = export_project(documents, agents, options, LANGUAGE)
    names = _Names([s.key for s in exported.secrets])
    program = program_names(exported, names, "-")
    resources, lookups, references = program.configs, program.lookups, program.references
    members = {m.resource_name: names.make(m.resource_name, fallback="member") for m in exported.members}
    lines = [*_header(options, exported.secrets), f"name: {yaml_string(options.project)}"]
    description = f"Phone configs exported by `phonecfg export` from {options.url}."
    lines += [f"description: {text(description)}", "runtime: yaml"]
    if exported.secrets:
        lines += ["", "config:"]
        for secret in exported.secrets:
            lines += [f"  {secret.key}:", "    type: string", "    secret: true"]
    if lookups:
        lines += ["", "# Agents by name: their ids differ in every tenant.", "variables:"]
        for lookup, variable in sorted(lookups.items(), key=lambda item: item[1]):
            lines += [f"  {variable}:", "    fn::invoke:", f"      function: {GET_AGENT}", "      arguments:"]
            lines += [f"        name: {text(lookup.agent)}", f"        environment: {text(lookup.environment)}"]
    lines += ["", "resources:"]
    outputs: list[str] = []
    for config in exported.configs:
        resource = resources[config.resource_name]
        lines += [f"  {resource}:", f"    type: {RESOURCE_TYPE}", f"    name: {text(config.resource_name)}"]
        lines += block("properties", {**config.inputs, "adopt_existing": True}, 2, references)
        for member in exported.members_of(config):
            lines += [f"  {members[member.resource_name]}:", f"    type: {TYPE_PREFIX}{member.kind}"]
            lines += [f"    name: {text(member.resource_name)}", *block("properties", member.inputs, 2, references)]
        for output in config.outputs:
            name = to_camel(output)
            outputs.append(f"  {resource}{name[:1].upper()}{name[1:]}: ${{{resource}.{name}}}")
    lines += ["", "outputs:", *outputs]
    files = {
        "Pulumi.yaml": "\n".join(lines) + "\n",
        **stack_file(options, exported.secrets),
    }
    return RenderedProject(files, exported.secrets, exported.warnings)


def _header(options: ProjectOptions, secret_keys: Sequence[SecretKey]) -> list[str]:
    commands = secret_commands(options, secret_keys)
    return [
        f"# Phone configs exported by `phonecfg export` from {_comment_safe(options.url)}",
        "#",
        "# Every config is adopted on the first `pulumi up` (adoptExisting: true): the provider takes over the",
        "# existing config of the same name and kind instead of creating another. Agents are looked up by name in",
        "# the stack's tenant (phonecfg:index:getAgent), so the same program works in every tenant that has them.",
        "#",
        "# The API never returns credentials. Set them once per stack (each command prompts for the value):",
        "#",
        *(f"#   {command}" for command, _ in commands),
        "#",
        "# The provider is the plugin pulumi-resource-phonecfg, which `pip install pulumi_phonecfg` installs: have",
        "# it on PATH (activate that virtualenv), or tell Pulumi where it is with",
        "#   plugins: {providers: [{name: phonecfg, path: <the directory holding it>}]}",
    ]


def _comment_safe(value: str) -> str:
    return re.sub(r"[\r\n]+", " ", value)
