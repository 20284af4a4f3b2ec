"""The exported project in TypeScript, on the generated npm SDK `pulumi-phonecfg` of the native provider.

`index.ts` declares `new phonecfg.PhoneConfig(...)` (and `PhoneNumber`, `AgentAttachment`) with the schema's camelCase
property names and the same resource names as the Python export, agents through `phonecfg.getAgentOutput(...)`,
credentials through `config.requireSecret(...)`. The program uses no TypeScript-only syntax, so it also runs as a
JavaScript module (the unit tests run it so). `package.json` pins `@pulumi/pulumi` to 3.270.0: it runs the generated
SDK on node 20 (npm warns that it declares node >= 22), whereas `^3` resolves to 3.248.0 there, which lacks what the
SDK calls.
"""

from __future__ import annotations

import json
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

LANGUAGE: Final = Language(program_file="index.ts", agent_lookup="phonecfg.getAgentOutput(...)")
SDK_PACKAGE: Final = "pulumi-phonecfg"
PULUMI_VERSION: Final = "3.270.0"  # see the module docstring
TYPESCRIPT_VERSION: Final = "~5.9.0"
TS_NODE_VERSION: Final = "10.9.2"
NODE_TYPES_VERSION: Final = "^20"
LINE_LENGTH: Final = 100
INDENT: Final = "    "
# Reserved words of JavaScript and TypeScript, and the names the module itself binds.
_RESERVED_WORDS: Final = """
    break case catch class const continue debugger default delete do else enum export extends false finally for
    function if import in instanceof new null return super switch this throw true try typeof var void while with
    as implements interface let package private protected public static yield any boolean constructor declare get
    module require number set string symbol type from of await async arguments eval undefined NaN Infinity
    pulumi phonecfg config
"""
RESERVED_NAMES: Final = frozenset(_RESERVED_WORDS.split())


class _Identifiers:
    """Unique camelCase identifiers for the generated module."""

    def __init__(self) -> None:
        self._used: set[str] = set(RESERVED_NAMES)

    def make(self, text: str, *, fallback: str) -> str:
        base = camel(slug(text)) or fallback
        if base[0].isdigit():
            base = fallback + base[0].upper() + base[1:]
        if base in RESERVED_NAMES:
            base = f"{base}_"
        return unique(base, self._used)


def string(value: str) -> str:
    """A double-quoted JavaScript string literal; anything unprintable (and U+2028/9) as a `\\u` escape."""
    escaped = []
    for char in value:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif char.isprintable():
            escaped.append(char)
        else:
            escaped.append(json.dumps(char)[1:-1])  # \u escapes (surrogate pairs beyond the BMP)
    return '"' + "".join(escaped) + '"'


def _flat(value: Any, references: Mapping[Any, str]) -> str:
    if isinstance(value, SecretRead):
        return f"config.requireSecret({string(value.key)})"
    if isinstance(value, AgentOutput):
        return f"{references[value.lookup]}.{to_camel(value.attribute)}"
    if isinstance(value, ConfigIdOf):
        return f"{references[value.resource_name]}.id"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{to_camel(str(k))}: {_flat(v, references)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v, references) for v in value) + "]"
    raise TypeError(f"cannot render {type(value).__name__}")


def expression(value: Any, indent: int, references: Mapping[Any, str], prefix: str = "", suffix: str = "") -> list[str]:
    """`prefix + value + suffix` at `indent`: one line if it fits, else one property or item per line."""
    pad = INDENT * indent
    flat = pad + prefix + _flat(value, references) + suffix
    if not isinstance(value, Mapping | list) or not value or len(flat) <= LINE_LENGTH:
        return [flat]
    if isinstance(value, Mapping):
        lines = [pad + prefix + "{"]
        for key, item in value.items():
            lines += expression(item, indent + 1, references, f"{to_camel(str(key))}: ", ",")
        return [*lines, pad + "}" + suffix]
    lines = [pad + prefix + "["]
    for item in value:
        lines += expression(item, indent + 1, references, "", ",")
    return [*lines, pad + "]" + suffix]


def render_project(
    documents: Sequence[Mapping[str, Any]],
    agents: Sequence[Agent],
    options: ProjectOptions,
    *,
    sdk_requirement: str = "*",
) -> RenderedProject:
    """The TypeScript project for `documents` (API config documents) in a tenant with `agents`.

    `sdk_requirement`: the version range of `pulumi-phonecfg` in `package.json`.
    """
    exported = export_project(documents, agents, options, LANGUAGE)
    names = program_names(exported, _Identifiers(), "-")
    configs, lookups, references = names.configs, names.lookups, names.references
    body = [*_header(options, exported.secrets), ""]
    body += ['import * as pulumi from "@pulumi/pulumi";', f"import * as phonecfg from {string(SDK_PACKAGE)};", ""]
    body += ["const config = new pulumi.Config();", ""]
    if lookups:
        body.append("// Agents by name: their ids differ in every tenant.")
        for lookup, variable in sorted(lookups.items(), key=lambda item: item[1]):
            arguments = {"name": lookup.agent, "environment": lookup.environment}
            body += expression(arguments, 0, lookups, f"const {variable} = phonecfg.getAgentOutput(", ");")
        body.append("")
    exports: list[str] = []
    for config in exported.configs:
        variable = configs[config.resource_name]
        head = f"const {variable} = new phonecfg.PhoneConfig({string(config.resource_name)}, "
        body += expression({**config.inputs, "adopt_existing": True}, 0, references, head, ");")
        body.append("")
        for member in exported.members_of(config):
            head = f"new phonecfg.{member.kind}({string(member.resource_name)}, "
            body += [*expression(member.inputs, 0, references, head, ");"), ""]
        for output in config.outputs:
            name = to_camel(output)
            exports.append(f"export const {variable}{name[:1].upper()}{name[1:]} = {variable}.{name};")
    body += exports
    files = {
        "Pulumi.yaml": _project_file(options.project, options.url),
        "index.ts": "\n".join(body) + "\n",
        "package.json": _package_json(options.project, sdk_requirement),
        "tsconfig.json": TSCONFIG,
        **stack_file(options, exported.secrets),
    }
    return RenderedProject(files, exported.secrets, exported.warnings)


def _header(options: ProjectOptions, secret_keys: Sequence[SecretKey]) -> list[str]:
    commands = secret_commands(options, secret_keys)
    return [
        f"// Phone configs exported by `phonecfg export` from {_comment_safe(options.url)}",
        "//",
        "// Every config is adopted on the first `pulumi up` (adoptExisting: true): the provider takes over the",
        "// existing config of the same name and kind instead of creating another. Agents are looked up by name",
        "// in the stack's tenant (getAgentOutput), so the same program works in every tenant that has them.",
        "//",
        "// The API never returns credentials. Set them once per stack (each command prompts for the value):",
        "//",
        *(f"//   {command}" for command, _ in commands),
        "//",
        "// The provider is the plugin pulumi-resource-phonecfg, which `pip install pulumi_phonecfg` installs: have",
        "// it on PATH (activate that virtualenv) when running pulumi. The SDK is the npm package pulumi-phonecfg;",
        "// if your registry does not have it: npm install <pulumi_phonecfg repository>/sdk/nodejs --install-links",
    ]


def _comment_safe(value: str) -> str:
    return re.sub(r"[\r\n\u2028\u2029]+", " ", value)


def _project_file(project: str, url: str) -> str:
    description = yaml_string(f"Phone configs exported by `phonecfg export` from {url}.")
    return f"name: {yaml_string(project)}\ndescription: {description}\nruntime: nodejs\n"


def _package_json(project: str, sdk_requirement: str) -> str:
    package = {
        "name": project.lower(),
        "private": True,
        "main": "index.ts",
        "scripts": {"build": "tsc"},
        "devDependencies": {
            "@types/node": NODE_TYPES_VERSION,
            "ts-node": TS_NODE_VERSION,
            "typescript": TYPESCRIPT_VERSION,
        },
        "dependencies": {"@pulumi/pulumi": PULUMI_VERSION, SDK_PACKAGE: sdk_requirement},
    }
    return json.dumps(package, indent=4) + "\n"


TSCONFIG: Final = (
    json.dumps(
        {
            "compilerOptions": {
                "strict": True,
                "outDir": "bin",
                "target": "es2020",
                "module": "commonjs",
                "moduleResolution": "node",
                "sourceMap": True,
                "experimentalDecorators": True,
                "pretty": True,
                "noFallthroughCasesInSwitch": True,
                "noImplicitReturns": True,
                "forceConsistentCasingInFileNames": True,
            },
            "files": ["index.ts"],
        },
        indent=4,
    )
    + "\n"
)
