"""The exported project in Python, on the dynamic `pulumi_phonecfg.PhoneConfig` (and `PhoneNumber`,
`AgentAttachment`): `__main__.py` and its files.

The source is printed the way ruff format lays it out (a test runs ruff on it), so the user can keep formatting
it. Agents are `get_agent(...)` variables, credentials `config.require_secret(...)` reads.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Final

from pulumi_phonecfg.commands.export.model import (
    AGENT_ATTACHMENT,
    PHONE_NUMBER,
    AgentOutput,
    ConfigIdOf,
    Language,
    ProjectOptions,
    RenderedProject,
    SecretKey,
    SecretRead,
    export_project,
    program_names,
    unique,
)
from pulumi_phonecfg.commands.export.stack_config import secret_commands, stack_file
from pulumi_phonecfg.commands.export.strings import quoted
from pulumi_phonecfg.core.lifecycle.agents import Agent

LANGUAGE: Final = Language(program_file="__main__.py", agent_lookup="get_agent(...)")
# Names the generated module defines or imports itself; no resource or agent variable may take them.
RESERVED_NAMES: Final = frozenset({"pulumi", "config", "PhoneConfig", "PhoneNumber", "AgentAttachment", "get_agent"})
LINE_LENGTH: Final = 88  # ruff/black default: the generated project carries no formatter config
INDENT: Final = "    "


class _Identifiers:
    """Unique Python identifiers for the generated module."""

    def __init__(self) -> None:
        self._used: set[str] = set(RESERVED_NAMES)

    def make(self, text: str, *, fallback: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or fallback
        if base[0].isdigit():
            base = f"{fallback}_{base}"
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base = f"{base}_"
        return unique(base, self._used, separator="_")


# --------------------------------------------------------------------------------------------------------------
# Python source (pure)


@dataclass(frozen=True)
class Code:
    """Source text placed as is (an expression), e.g. `config.require_secret("key")`."""

    text: str


def literal(value: Any) -> str:
    if isinstance(value, Code):
        return value.text
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"cannot render {type(value).__name__}")


def _string(text: str) -> str:
    """A Python string literal in the quotes ruff format picks: double, unless that means more escapes."""
    return quoted(text, "'" if text.count('"') > text.count("'") else '"')


def expression(value: Any, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """`prefix + value + suffix` as lines at `indent`, the way ruff format lays it out.

    On one line when it fits, else the outermost brackets are split one item per line with a trailing
    comma, recursively (a layout ruff format leaves as it is).
    """
    pad = INDENT * indent
    flat = prefix + _flat(value) + suffix
    if not isinstance(value, Mapping | list) or not value or len(pad + flat) <= LINE_LENGTH:
        return [pad + flat]
    if isinstance(value, Mapping):
        lines = [pad + prefix + "{"]
        for key, item in value.items():
            lines += expression(item, indent + 1, f"{_string(str(key))}: ", ",")
        return [*lines, pad + "}" + suffix]
    lines = [pad + prefix + "["]
    for item in value:
        lines += expression(item, indent + 1, "", ",")
    return [*lines, pad + "]" + suffix]


def _flat(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_string(str(k))}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return literal(value)


def call(function: str, args: Sequence[tuple[str | None, Any]], indent: int = 0, target: str = "") -> list[str]:
    """`target = function(args...)`: on one line if it fits, else one argument per line (trailing comma)."""
    pad = INDENT * indent
    head = f"{target} = {function}(" if target else f"{function}("
    flat = head + ", ".join((f"{k}={_flat(v)}" if k else _flat(v)) for k, v in args) + ")"
    if len(pad + flat) <= LINE_LENGTH:
        return [pad + flat]
    lines = [pad + head]
    for key, value in args:
        lines += expression(value, indent + 1, f"{key}=" if key else "", ",")
    return [*lines, pad + ")"]


def _code(value: Any, variables: Mapping[Any, str]) -> Any:
    """The model's value with its placeholders as Python expressions (`variables`: of each agent lookup and each
    config resource name)."""
    if isinstance(value, SecretRead):
        return Code(f"config.require_secret({_string(value.key)})")
    if isinstance(value, AgentOutput):
        return Code(f"{variables[value.lookup]}.{value.attribute}")
    if isinstance(value, ConfigIdOf):
        return Code(f"{variables[value.resource_name]}.id")
    if isinstance(value, Mapping):
        return {k: _code(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_code(v, variables) for v in value]
    return value


# --------------------------------------------------------------------------------------------------------------
# The project (pure)


def render_project(
    documents: Sequence[Mapping[str, Any]],
    agents: Sequence[Agent],
    options: ProjectOptions,
    *,
    package_requirement: str = "pulumi_phonecfg",
) -> RenderedProject:
    """The Python project for `documents` (API config documents) in a tenant with `agents`."""
    exported = export_project(documents, agents, options, LANGUAGE)
    names = program_names(exported, _Identifiers(), "_")
    configs, lookups, variables = names.configs, names.lookups, names.references
    blocks: list[list[str]] = []
    exports: list[str] = []
    for config in exported.configs:
        variable = configs[config.resource_name]
        args: list[tuple[str | None, Any]] = [(None, config.resource_name)]
        args += [(k, _code(v, variables)) for k, v in config.inputs.items()]
        args.append(("adopt_existing", True))
        blocks.append(call("PhoneConfig", args, target=variable))
        for member in exported.members_of(config):
            member_args = [(None, member.resource_name), *((k, _code(v, variables)) for k, v in member.inputs.items())]
            blocks.append(call(member.kind, member_args))
        for output in config.outputs:
            exports += call("pulumi.export", [(None, f"{variable}_{output}"), (None, Code(f"{variable}.{output}"))])
    agent_lines: list[str] = []
    for lookup, variable in sorted(lookups.items(), key=lambda item: item[1]):
        agent_lines += call("get_agent", [(None, lookup.agent), ("environment", lookup.environment)], target=variable)
    resource_classes = ["PhoneConfig", *exported.member_kinds]
    program = _program(options, exported.secrets, resource_classes, agent_lines, blocks, exports)
    files = {
        "Pulumi.yaml": _project_file(options.project, options.url),
        "__main__.py": program,
        **stack_file(options, exported.secrets),
        "requirements.txt": _requirements(package_requirement),
    }
    return RenderedProject(files, exported.secrets, exported.warnings)


def _program(
    options: ProjectOptions,
    secret_keys: Sequence[SecretKey],
    resource_classes: Sequence[str],
    agent_lines: list[str],
    blocks: list[list[str]],
    exports: list[str],
) -> str:
    commands = secret_commands(options, secret_keys)
    doc = [
        '"""Phone configs exported by `phonecfg export` from',
        f"{_docstring_safe(options.url)}",
        "",
        "Every config is adopted on the first `pulumi up` (adopt_existing=True): the",
        "provider takes over the existing config of the same name and kind instead of",
        "creating another. Agents are looked up by name in the stack's tenant, so the",
        "same program works in every tenant that has them.",
        *(
            [
                "",
                "Numbers are PhoneNumber resources, adopted when the trunk has them already",
                "with the same routing; each can move to the program of the team that owns it.",
            ]
            if PHONE_NUMBER in resource_classes
            else []
        ),
        *(
            [
                "",
                "Agent attachments are AgentAttachment resources, adopted when the config has",
                "them already with the same labels; each can move to the program of the team",
                "that owns the agent.",
            ]
            if AGENT_ATTACHMENT in resource_classes
            else []
        ),
        "",
        "The API never returns credentials. Set them once per stack (each command",
        "prompts for the value):",
        "",
        *(f"    {command}" for command, _ in commands),
        '"""',
    ]
    # In the order ruff's isort keeps: classes (alphabetically), then functions.
    names = [*sorted(resource_classes), *(["get_agent"] if agent_lines else [])]
    imports = ["import pulumi", f"from pulumi_phonecfg import {', '.join(names)}"]
    body = [*doc, "", *imports, "", "config = pulumi.Config()", ""]
    if agent_lines:
        body += ["# Agents by name: their ids differ in every tenant.", *agent_lines, ""]
    for block in blocks:
        body += [*block, ""]
    body += exports
    return "\n".join(body) + "\n"


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "/").replace('"""', "'''")


def _project_file(project: str, url: str) -> str:
    return (
        f"name: {project}\n"
        "description: >-\n"
        f"  Phone configs exported by `phonecfg export` from {url}.\n"
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        "    virtualenv: venv\n"
    )


def pulumi_requirement() -> str:
    """The `pulumi` requirement of this package as installed (pyproject.toml is the one place it is written)."""
    try:
        requirements = metadata.requires("pulumi_phonecfg") or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        if re.match(r"pulumi\s*[<>=!~]", requirement) and ";" not in requirement:
            return requirement
    return "pulumi"  # not installed (a bare source tree): whichever pulumi the project gets


def _requirements(package_requirement: str) -> str:
    return (
        f"{pulumi_requirement()}\n"
        "# If pulumi_phonecfg is not on your package index, install its wheel or source tree instead.\n"
        f"{package_requirement}\n"
    )
