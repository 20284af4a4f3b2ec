"""The exported configuration in HCL, for OpenTofu or Terraform on the provider `phonecfg/phonecfg`: one `main.tf`.

Each config is a `phonecfg_phone_config` (each number a `phonecfg_phone_number`, each attachment a
`phonecfg_agent_attachment` with `--numbers-as-resources` / `--attachments-as-resources`) with the API's snake_case
attribute names, preceded by an `import` block naming its id, so `tofu plan` imports it instead of creating it.
Agents are `data "phonecfg_agent"` blocks, credentials `variable` blocks (`sensitive`, `ephemeral`) that the
write-only credential attributes read, so no credential reaches a file or the state; the API credential comes from
the environment (PHONECFG_API_KEY or PHONECFG_TOKEN). Labels are snake_case identifiers derived from the resource
names the other languages use (`support-sip-trunk` -> `support_sip_trunk`).

The text is laid out the way `tofu fmt` leaves it (two-space indents, the `=` of adjacent one-line attributes
aligned): a test runs `tofu fmt -check` (or `terraform fmt`) on it. Every string is escaped so that it reads back
as itself: quotes, backslashes and control characters, and `${` / `%{` doubled (`$${`, `%%{`), so no text from the
tenant can become an interpolation or a template directive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_phonecfg.commands.export.model import (
    AGENT_ATTACHMENT,
    PHONE_NUMBER,
    AgentOutput,
    ConfigIdOf,
    ExportedConfig,
    ExportedMember,
    Language,
    ProjectOptions,
    RenderedProject,
    SecretKey,
    SecretRead,
    TenantExport,
    export_project,
    program_names,
    unique,
)
from pulumi_phonecfg.core.lifecycle.agents import Agent
from pulumi_phonecfg.core.schema.models import number_key

LANGUAGE: Final = Language(
    program_file="main.tf", agent_lookup='a data "phonecfg_agent" block', apply_command="tofu apply"
)
PROGRAM_FILE: Final = "main.tf"
PROVIDER_SOURCE: Final = "phonecfg/phonecfg"
# Write-only attributes (the credentials) and ephemeral variables: OpenTofu 1.11 (Terraform 1.11).
REQUIRED_VERSION: Final = ">= 1.11"
CONFIG_TYPE: Final = "phonecfg_phone_config"
RESOURCE_TYPES: Final = {PHONE_NUMBER: "phonecfg_phone_number", AGENT_ATTACHMENT: "phonecfg_agent_attachment"}
AGENT_DATA_SOURCE: Final = "phonecfg_agent"
# The environment variable holding the API credential, by the Pulumi setting `ProjectOptions.credential_key` names.
CREDENTIAL_ENV: Final = {"phonecfg:apiKey": "PHONECFG_API_KEY", "phonecfg:token": "PHONECFG_TOKEN"}
# Plain provider settings (`ProjectOptions.provider_config`) -> the provider block's attribute.
PROVIDER_ATTRIBUTES: Final = {"phonecfg:authType": "auth_type", "phonecfg:authUrl": "auth_url"}
# Names a variable block may not take (the language's own meta-arguments).
RESERVED_VARIABLES: Final = frozenset(
    {"source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals"}
)
IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
LINE_LENGTH: Final = 100
INDENT: Final = "  "


class _Labels:
    """Unique snake_case identifiers in one namespace (block labels, variable names, output names)."""

    def __init__(self, reserved: frozenset[str] = frozenset()) -> None:
        self._used: set[str] = set(reserved)

    def make(self, text: str, *, fallback: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or fallback
        if base[0].isdigit():
            base = f"{fallback}_{base}"
        return unique(base, self._used, separator="_")


# --------------------------------------------------------------------------------------------------------------
# HCL text (pure)


@dataclass(frozen=True)
class Expr:
    """An expression placed as is: a reference (`var.x`, `data.phonecfg_agent.a.agent_id`) or a type keyword."""

    text: str


def string(value: str) -> str:
    """A quoted HCL string that reads back as exactly `value`: `"`, `\\` and control characters escaped, `${` and
    `%{` doubled, anything unprintable as a `\\u` (or `\\U`) escape."""
    escaped = []
    for char in value:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\r":
            escaped.append("\\r")
        elif char == "\t":
            escaped.append("\\t")
        elif char.isprintable():
            escaped.append(char)
        elif ord(char) <= 0xFFFF:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(f"\\U{ord(char):08x}")
    return '"' + "".join(escaped).replace("${", "$${").replace("%{", "%%{") + '"'


def key(name: str) -> str:
    """An object key: the name itself when it is an identifier, else quoted."""
    return name if IDENTIFIER.fullmatch(name) else string(name)


def flat(value: Any) -> str:
    """`value` on one line (`{ a = 1, b = "x" }`, `[1, 2]`), spaced the way `tofu fmt` spaces it."""
    if isinstance(value, Expr):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{key(str(k))} = {flat(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flat(v) for v in value) + "]"
    raise TypeError(f"cannot render {type(value).__name__}")


@dataclass(frozen=True)
class _Assign:
    """A one-line attribute `name = value`: adjacent ones get their `=` aligned, as `tofu fmt` aligns them."""

    pad: str
    name: str
    value: str


_Line = str | _Assign


def expression(value: Any, indent: int, name: str | None = None, suffix: str = "") -> list[_Line]:
    """`name = value` (or the bare value, as a list item, with `suffix`) at `indent`: one line when it fits, else
    the outermost brackets split one attribute or item per line, recursively."""
    pad = INDENT * indent
    head = f"{name} = " if name is not None else ""
    one_line = flat(value)
    if not isinstance(value, Mapping | list) or not value or len(pad + head + one_line + suffix) <= LINE_LENGTH:
        return [_Assign(pad, name, one_line + suffix)] if name is not None else [pad + one_line + suffix]
    if isinstance(value, Mapping):
        lines: list[_Line] = [pad + head + "{"]
        for item_key, item in value.items():
            lines += expression(item, indent + 1, key(str(item_key)))
        return [*lines, pad + "}" + suffix]
    lines = [pad + head + "["]
    for item in value:
        lines += expression(item, indent + 1, None, ",")
    return [*lines, pad + "]" + suffix]


def aligned(lines: Sequence[_Line]) -> list[str]:
    """The lines as text, the `=` of each run of adjacent one-line attributes in one column (as `tofu fmt` does:
    any other line, a blank one included, ends a run)."""
    text: list[str] = []
    run: list[_Assign] = []

    def close() -> None:
        width = max((len(a.pad + a.name) for a in run), default=0)
        text.extend(f"{(a.pad + a.name).ljust(width)} = {a.value}" for a in run)
        run.clear()

    for line in lines:
        if isinstance(line, _Assign):
            run.append(line)
        else:
            close()
            text.append(line)
    close()
    return text


def block(header: str, attributes: Mapping[str, Any], indent: int = 0) -> list[_Line]:
    """`header { attributes }`, one attribute (or nested value) after the other."""
    pad = INDENT * indent
    lines: list[_Line] = [f"{pad}{header} {{"]
    for name, value in attributes.items():
        lines += expression(value, indent + 1, name)
    return [*lines, f"{pad}}}"]


# --------------------------------------------------------------------------------------------------------------
# The configuration (pure)


@dataclass(frozen=True)
class _Names:
    """What main.tf calls everything: resources and agent lookups (labels), credentials (variable names)."""

    configs: dict[str, str]  # resource name -> label
    members: dict[str, str]  # resource name -> label
    lookups: dict[Any, str]  # AgentLookup -> label
    variables: dict[str, str]  # the model's secret key -> variable name

    def reference(self, value: Any) -> Any:
        """The model's value with its placeholders as references (`var.x`, `data.phonecfg_agent.a.agent_id`, ...)."""
        if isinstance(value, SecretRead):
            return Expr(f"var.{self.variables[value.key]}")
        if isinstance(value, AgentOutput):
            return Expr(f"data.{AGENT_DATA_SOURCE}.{self.lookups[value.lookup]}.{value.attribute}")
        if isinstance(value, ConfigIdOf):
            return Expr(f"{CONFIG_TYPE}.{self.configs[value.resource_name]}.id")
        if isinstance(value, Mapping):
            return {k: self.reference(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.reference(v) for v in value]
        return value


def _names(exported: TenantExport) -> _Names:
    labels = _Labels()
    program = program_names(exported, labels, "_")
    members = {m.resource_name: labels.make(m.resource_name, fallback="member") for m in exported.members}
    variable_names = _Labels(RESERVED_VARIABLES)
    variables: dict[str, str] = {}
    for config in exported.configs:
        security = config.inputs.get("security")
        for field_name, value in security.items() if isinstance(security, Mapping) else ():
            if isinstance(value, SecretRead):
                label = program.configs[config.resource_name]
                variables[value.key] = variable_names.make(f"{label}_{field_name}", fallback="credential")
    return _Names(program.configs, members, program.lookups, variables)


def canonical_numbers(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """`inputs` with each phone number in E.164 (`+1 415 555 0100` -> `+14155550100`), as the provider compares
    them; a text that is no number stays as it is (its warning says so)."""

    def number(value: Any) -> Any:
        return (number_key(value) or value) if isinstance(value, str) else value

    result = dict(inputs)
    if "phone_number" in result:
        result["phone_number"] = number(result["phone_number"])
    if isinstance(result.get("phone_numbers"), list):
        result["phone_numbers"] = [
            {**item, "phone_number": number(item["phone_number"])} if "phone_number" in item else item
            for item in result["phone_numbers"]
        ]
    return result


def _raw_id(value: Any, agents: Sequence[Agent]) -> str:
    """The id itself of an agent or environment id (an `AgentOutput` is looked up in the tenant's agents)."""
    if not isinstance(value, AgentOutput):
        return str(value)
    for agent in agents:
        environment = agent.environment(value.lookup.environment) if agent.name == value.lookup.agent else None
        if environment is not None:
            return str(agent.id if value.attribute == "agent_id" else environment.id)
    raise ValueError(f"no agent {value.lookup.agent!r} with an environment {value.lookup.environment!r}")


def import_id(member: ExportedMember, config_id: str, agents: Sequence[Agent]) -> str:
    """What `tofu import` takes for a member: `<config_id>/<phone_number>`, `<config_id>/<agent_id>/<env_id>`."""
    inputs = canonical_numbers(member.inputs)
    if member.kind == PHONE_NUMBER:
        return f"{config_id}/{inputs['phone_number']}"
    return f"{config_id}/{_raw_id(inputs['agent_id'], agents)}/{_raw_id(inputs['environment_id'], agents)}"


def render_project(
    documents: Sequence[Mapping[str, Any]], agents: Sequence[Agent], options: ProjectOptions
) -> RenderedProject:
    """The OpenTofu/Terraform configuration for `documents` (API config documents) in a tenant with `agents`."""
    exported = export_project(documents, agents, options, LANGUAGE)
    names = _names(exported)
    secrets = tuple(SecretKey(names.variables[s.key], s.config_name, s.field) for s in exported.secrets)
    sections: list[list[_Line]] = [
        _header(options, secrets, exported),
        _terraform_block(),
        _provider_block(options),
    ]
    for secret in secrets:
        description = f"security.{secret.field} of the phone config {secret.config_name!r} (write-only: never stored)"
        attributes = {"description": description, "type": Expr("string"), "sensitive": True, "ephemeral": True}
        sections.append(block(f"variable {string(secret.key)}", attributes))
    if names.lookups:
        first = True
        for lookup, label in sorted(names.lookups.items(), key=lambda item: item[1]):
            comment = ["# Agents by name: their ids differ in every tenant."] if first else []
            first = False
            attributes = {"name": lookup.agent, "environment": lookup.environment}
            sections.append([*comment, *block(f"data {string(AGENT_DATA_SOURCE)} {string(label)}", attributes)])
    outputs: list[list[_Line]] = []
    output_names = _Labels()
    for config in exported.configs:
        sections += _config_sections(config, names)
        for member in exported.members_of(config):
            sections += _member_sections(member, config.config_id, names, agents)
        label = names.configs[config.resource_name]
        for output in config.outputs:
            value = {"value": Expr(f"{CONFIG_TYPE}.{label}.{output}")}
            outputs.append(block(f"output {string(output_names.make(f'{label}_{output}', fallback='output'))}", value))
    sections += outputs
    text = "\n\n".join("\n".join(aligned(section)) for section in sections) + "\n"
    return RenderedProject({PROGRAM_FILE: text}, secrets, exported.warnings)


def _import_block(address: str, resource_id: str) -> list[_Line]:
    return block("import", {"to": Expr(address), "id": resource_id})


def _config_sections(config: ExportedConfig, names: _Names) -> list[list[_Line]]:
    label = names.configs[config.resource_name]
    address = f"{CONFIG_TYPE}.{label}"
    inputs = names.reference(canonical_numbers(config.inputs))
    return [
        _import_block(address, config.config_id),
        block(f"resource {string(CONFIG_TYPE)} {string(label)}", inputs),
    ]


def _member_sections(
    member: ExportedMember, config_id: str, names: _Names, agents: Sequence[Agent]
) -> list[list[_Line]]:
    resource_type = RESOURCE_TYPES[member.kind]
    label = names.members[member.resource_name]
    inputs = names.reference(canonical_numbers(member.inputs))
    return [
        _import_block(f"{resource_type}.{label}", import_id(member, config_id, agents)),
        block(f"resource {string(resource_type)} {string(label)}", inputs),
    ]


def _terraform_block() -> list[_Line]:
    return [
        "terraform {",
        _Assign(INDENT, "required_version", string(REQUIRED_VERSION)),
        f"{INDENT}required_providers {{",
        *block("phonecfg =", {"source": PROVIDER_SOURCE}, 2),
        f"{INDENT}}}",
        "}",
    ]


def _provider_block(options: ProjectOptions) -> list[_Line]:
    """The plain settings the export ran with (the tenant the import ids belong to); the credential comes from the
    environment, never from this file."""
    attributes: dict[str, Any] = {"url": options.url}
    for setting, attribute in PROVIDER_ATTRIBUTES.items():
        if options.provider_config.get(setting):
            attributes[attribute] = options.provider_config[setting]
    if options.strict_numbers:
        attributes["strict_phone_numbers"] = True
    credential = CREDENTIAL_ENV.get(options.credential_key, "PHONECFG_API_KEY")
    return [
        f"# The API credential comes from the environment ({credential}), never from this file.",
        *block(f"provider {string('phonecfg')}", attributes),
    ]


def _header(options: ProjectOptions, secrets: Sequence[SecretKey], exported: TenantExport) -> list[_Line]:
    credential = CREDENTIAL_ENV.get(options.credential_key, "PHONECFG_API_KEY")
    settings = [(credential, "the API credential of the tenant")]
    settings += [(f"TF_VAR_{s.key}", f"{s.field} of {_comment_safe(repr(s.config_name))}") for s in secrets]
    width = max(len(name) for name, _ in settings)
    kinds = exported.member_kinds
    return [
        f"# Phone configs exported by `phonecfg export` from {_comment_safe(options.url)}",
        "#",
        "# `tofu plan` imports every config of this tenant (the import blocks) instead of creating it: nothing is",
        "# written, and once the credentials below are set the plan imports them with no change. Agents are looked",
        '# up by name (data "phonecfg_agent"), so the resources work in every tenant that has them; the import ids',
        "# are this tenant's (to promote the configuration into another tenant, leave the import blocks out).",
        *(
            [
                "#",
                "# Numbers are phonecfg_phone_number resources, imported from the trunk that has them; each can move",
                "# to the configuration of the team that owns it.",
            ]
            if PHONE_NUMBER in kinds
            else []
        ),
        *(
            [
                "#",
                "# Agent attachments are phonecfg_agent_attachment resources, imported from the config that has",
                "# them; each can move to the configuration of the team that owns the agent.",
            ]
            if AGENT_ATTACHMENT in kinds
            else []
        ),
        "#",
        "# The API never returns credentials. Set each of these in the environment, e.g. with",
        "# `read -rs NAME && export NAME` (it prompts without echo: nothing lands in shell history); the credential",
        "# attributes are write-only, never stored in the state:",
        "#",
        *(f"#   {name.ljust(width)}  {what}" for name, what in settings),
        "#",
        "# The provider is terraform-provider-phonecfg, which `pip install pulumi_phonecfg` installs: point the CLI",
        "# at the directory holding it with dev_overrides (docs/guides/terraform.md), then `tofu plan`.",
    ]


def _comment_safe(value: str) -> str:
    return re.sub(r"[\r\n]+", " ", value)
