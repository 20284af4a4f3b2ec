"""`phonecfg export`: the phone configs of a live tenant as a ready Pulumi Python project.

Three steps, kept apart so the middle one is a pure function:
- `read_tenant` lists the configs, reads each selected one and (only if some config routes to an agent) the
  tenant's agents, through `PhoneApiClient` (same settings, auth, retries and redaction as the provider);
- `render_project` turns those documents into the project files: deterministic, no I/O;
- `write_project` writes them, refusing a non-empty directory unless forced.

The program it writes adopts every config (`adopt_existing=True`), names agents through `get_agent` instead of
their tenant-specific UUIDs, and reads every credential from a secret stack config key: the API never returns
credentials, so nothing secret can end up in a file.
"""

from __future__ import annotations

import keyword
import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from pulumi_phonecfg.agents import Agent, fetch_agents
from pulumi_phonecfg.client import PhoneApiClient
from pulumi_phonecfg.errors import PhoneConfigError
from pulumi_phonecfg.integration import INTEGRATION_FIELDS
from pulumi_phonecfg.models import (
    GENESYS,
    INPUT_FIELDS,
    SIP_FLAG_DEFAULTS,
    SIP_SECURITY_DEFAULTS,
    SIP_TRUNK,
    config_kind,
    config_name,
    configs_named,
    fields_for,
    outputs_from_api,
    validate_inputs,
)
from pulumi_phonecfg.settings import ProviderSettings

ENVIRONMENTS: Final = ("draft", "live")
# Names the generated module defines or imports itself; no resource or agent variable may take them.
RESERVED_NAMES: Final = frozenset({"pulumi", "config", "PhoneConfig", "get_agent"})
# The credential fields per kind, with the suffix of their stack config key.
SECRET_KEYS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    SIP_TRUNK: (("password", "Password"),),
    GENESYS: (("api_key", "ApiKey"), ("client_secret", "ClientSecret")),
}
LINE_LENGTH: Final = 88  # ruff/black default: the generated project carries no formatter config
INDENT: Final = "    "
STACK_NAME: Final = re.compile(r"[A-Za-z0-9_.-]+")


class ExportError(Exception):
    """Export cannot go on: one line saying why. Nothing has been written."""


@dataclass(frozen=True)
class Selection:
    """Which configs to export: every one, or those with the given names and ids."""

    all: bool = False
    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretKey:
    """A stack config key the program reads with `config.require_secret`."""

    key: str
    config_name: str
    field: str


@dataclass(frozen=True)
class RenderedProject:
    """The files of the project (relative path -> text) and what the user must know about them."""

    files: dict[str, str]
    secrets: tuple[SecretKey, ...]
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------------------------
# Selection and names (pure)


def select_configs(listing: Sequence[Mapping[str, Any]], selection: Selection) -> list[Mapping[str, Any]]:
    """The listed configs the selection asks for, in listing order; an unknown name or id is an error."""
    if not listing:
        raise ExportError("the tenant has no phone configs: nothing to export")
    if selection.all:
        return list(listing)
    by_id = {str(c.get("id")).lower(): c for c in listing}
    missing_ids = [i for i in selection.ids if i.strip().lower() not in by_id]
    if missing_ids:
        known = [f"{c.get('id')} ({config_name(c)!r})" for c in listing]
        raise ExportError(f"no phone config with id {', '.join(missing_ids)} in the tenant ({_known(known)})")
    names = {config_name(c) for c in listing}
    missing_names = [n for n in selection.names if n.strip() not in names]
    if missing_names:
        listed = ", ".join(repr(n) for n in missing_names)
        known = [repr(n) for n in sorted(names, key=str.lower)]
        raise ExportError(f"no phone config named {listed} in the tenant ({_known(known)})")
    wanted_names = {n.strip() for n in selection.names}
    wanted_ids = {i.strip().lower() for i in selection.ids}
    return [c for c in listing if str(c.get("id")).lower() in wanted_ids or config_name(c) in wanted_names]


def _known(shown: Sequence[str], limit: int = 10) -> str:
    more = f", … {len(shown) - limit} more" if len(shown) > limit else ""
    return "configs: " + ", ".join(shown[:limit]) + more


def check_adoptable(listing: Sequence[Mapping[str, Any]], selected: Sequence[Mapping[str, Any]]) -> None:
    """Adoption goes by name and kind: a selected config whose name another config shares cannot be adopted."""
    for document in selected:
        twins = [str(c.get("id")) for c in configs_named(listing, config_name(document), config_kind(document))]
        if len(twins) > 1:
            raise ExportError(
                f"configs {', '.join(twins)} share the name {config_name(document)!r} ({config_kind(document)}): "
                "adopt_existing cannot tell them apart; rename or delete all but one first"
            )


def slug(text: str) -> str:
    """`'Support SIP trunk #2'` -> `'support-sip-trunk-2'`: lower-case letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def resource_names(documents: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Stable, unique Pulumi resource names (config id -> name), derived from the config names.

    Sanitised with `slug`; clashes get `-2`, `-3`, … in the order of (name, id), so the same tenant always
    exports the same names.
    """
    ordered = sorted(documents, key=lambda d: (slug(config_name(d)), config_name(d), str(d.get("id"))))
    bases = {str(d.get("id")): slug(config_name(d)) or slug(config_kind(d)) for d in ordered}
    taken = set(bases.values())
    names: dict[str, str] = {}
    used: set[str] = set()
    for document in ordered:
        config_id = str(document.get("id"))
        base = candidate = bases[config_id]
        counter = 1
        while candidate in used or (candidate != base and candidate in taken):
            counter += 1
            candidate = f"{base}-{counter}"
        used.add(candidate)
        names[config_id] = candidate
    return names


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
        return _unique(base, self._used, separator="_")


def camel(text: str) -> str:
    """`'support-sip-trunk'` -> `'supportSipTrunk'` (stack config keys follow Pulumi's camelCase habit)."""
    head, *rest = text.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


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
    return _quoted(text, "'" if text.count('"') > text.count("'") else '"')


def _quoted(text: str, quote: str) -> str:
    escaped = []
    for char in text:
        if char in (quote, "\\"):
            escaped.append("\\" + char)
        elif char.isprintable():
            escaped.append(char)
        else:
            escaped.append(repr(char)[1:-1])  # \n, \t, \x00, \u2028, ...
    return quote + "".join(escaped) + quote


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


# --------------------------------------------------------------------------------------------------------------
# Rendering (pure)


@dataclass
class _AgentRefs:
    """The `get_agent` lookups the program makes, one variable per (agent, environment)."""

    agents: Sequence[Agent]
    identifiers: _Identifiers
    lookups: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def resolve(self, agent_id: str, environment_id: str, where: str) -> tuple[Any, Any, str | None, str | None]:
        """(agent_id, environment_id) as expressions, plus the agent and environment names when known."""
        agent = next((a for a in self.agents if str(a.id).lower() == agent_id.lower()), None)
        if agent is None:
            self.warnings.append(
                f"{where}: agent {agent_id} is not in the tenant's agent list; its id is kept as is "
                "(ids differ per tenant: replace it with get_agent(...) before promoting)"
            )
            return agent_id, environment_id, None, None
        environment = next((e for e in agent.environments if str(e.id).lower() == environment_id.lower()), None)
        if environment is None or environment.name not in ENVIRONMENTS:
            self.warnings.append(
                f"{where}: agent {agent.name!r} has no environment {environment_id}; its ids are kept as is "
                "(ids differ per tenant: replace them with get_agent(...) before promoting)"
            )
            return agent_id, environment_id, None, None
        key = (agent.name, environment.name)
        variable = self.lookups.get(key)
        if variable is None:
            variable = self.identifiers.make(f"{agent.name}_{environment.name}", fallback="agent")
            self.lookups[key] = variable
        return Code(f"{variable}.agent_id"), Code(f"{variable}.environment_id"), agent.name, environment.name

    def lines(self) -> list[str]:
        out: list[str] = []
        for (name, environment), variable in sorted(self.lookups.items(), key=lambda item: item[1]):
            out += call("get_agent", [(None, name), ("environment", environment)], target=variable)
        return out


def declared_inputs(document: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that declare `document` as it is, in canonical form, server defaults left out.

    Credentials are absent (the API never returns them); `render_project` adds them as secret config reads.
    It starts from the provider's own reading of the document (what adoption compares the program with), so an
    exported program matches the config it adopts by construction.
    """
    kind = config_kind(document)
    observed = outputs_from_api(document, desired_security=None, fingerprints={})
    inputs: dict[str, Any] = {}
    for name in fields_for(kind):
        value = observed.get(name)
        if name == "security":
            returned = value if isinstance(value, Mapping) else {}
            value = {k: v for k, v in returned.items() if v != SIP_SECURITY_DEFAULTS.get(k)}
        if name in SIP_FLAG_DEFAULTS and value == SIP_FLAG_DEFAULTS[name]:
            value = None
        if value is None or value == [] or value == {}:
            continue
        inputs[name] = value
    return inputs


def _credential_fields(document: Mapping[str, Any]) -> list[str]:
    """Credential fields the declared config needs: Genesys always both; SIP a password when one is in use."""
    kind = config_kind(document)
    if kind != SIP_TRUNK:
        return [f for f, _ in SECRET_KEYS[kind]]
    security = document.get("security")
    security = security if isinstance(security, Mapping) else {}
    return ["password"] if security.get("authentication") or security.get("password_is_set") else []


def render_project(
    documents: Sequence[Mapping[str, Any]],
    agents: Sequence[Agent],
    *,
    project: str,
    stack: str,
    url: str,
    provider_config: Mapping[str, str] | None = None,
    credential_key: str = "phonecfg:token",
    package_requirement: str = "pulumi_phonecfg",
    strict_numbers: bool = False,
) -> RenderedProject:
    """The project files for `documents` (API config documents) in a tenant with `agents`.

    `provider_config` holds further plain `phonecfg:*` settings for the stack file (e.g. `phonecfg:authType`);
    `credential_key` is the secret provider setting the user must set (`phonecfg:token` or `phonecfg:apiKey`).
    `strict_numbers` (`phonecfg:strictPhoneNumbers`) warns of numbers the phone-number metadata calls invalid.
    """
    names = resource_names(documents)
    identifiers = _Identifiers()
    refs = _AgentRefs(agents, identifiers)
    ordered = sorted(documents, key=lambda d: names[str(d.get("id"))])
    variables = {str(d.get("id")): identifiers.make(names[str(d.get("id"))], fallback="config") for d in ordered}
    secret_keys: list[SecretKey] = []
    used_keys: set[str] = set()
    blocks: list[list[str]] = []
    warnings: list[str] = []
    exports: list[str] = []
    for document in ordered:
        config_id = str(document.get("id"))
        resource, variable = names[config_id], variables[config_id]
        label = f"config {config_name(document)!r} ({config_id})"
        inputs = declared_inputs(document)
        placeholders = dict(inputs)
        credentials = _credential_fields(document)
        if credentials:
            security = dict(inputs.get("security", {}))
            fake = dict(security)
            for field_name, suffix in SECRET_KEYS[config_kind(document)]:
                if field_name not in credentials:
                    continue
                key = _unique(camel(resource) + suffix, used_keys)
                secret_keys.append(SecretKey(key, config_name(document), field_name))
                security[field_name] = Code(f"config.require_secret({_string(key)})")
                fake[field_name] = "ZmFrZQ==" if field_name == "client_secret" else "placeholder"
            # In the field order of the API document, wherever security was (or would have been).
            inputs = _in_order({**inputs, "security": security})
            placeholders["security"] = fake
        for violation in validate_inputs(placeholders, strict_numbers=strict_numbers)[1]:
            warnings.append(f"{label}: {violation} (fix it in __main__.py before `pulumi up`)")
        for list_name in ("phone_numbers", "attached_environments"):
            items = inputs.get(list_name)
            if items:
                inputs[list_name] = [_route(item, list_name, refs, label) for item in items]
        args: list[tuple[str | None, Any]] = [(None, resource)]
        args += [(k, v) for k, v in inputs.items()]
        args.append(("adopt_existing", True))
        blocks.append(call("PhoneConfig", args, target=variable))
        for output in ("id", *INTEGRATION_FIELDS[config_kind(document)]):
            exports += call("pulumi.export", [(None, f"{variable}_{output}"), (None, Code(f"{variable}.{output}"))])
    warnings = refs.warnings + warnings
    program = _program(url, stack, credential_key, secret_keys, refs.lines(), blocks, exports)
    files = {
        "Pulumi.yaml": _project_file(project, url),
        "__main__.py": program,
        f"Pulumi.{stack}.yaml": _stack_file(stack, url, provider_config or {}, credential_key, secret_keys),
        "requirements.txt": _requirements(package_requirement),
    }
    return RenderedProject(files, tuple(secret_keys), tuple(warnings))


def _in_order(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """`inputs` in the API document's field order."""
    return {k: inputs[k] for k in INPUT_FIELDS if k in inputs}


def _unique(key: str, used: set[str], *, separator: str = "") -> str:
    """`key`, or `key<separator>2`, `…3`, … : the first not in `used`, which it is then added to."""
    candidate, counter = key, 1
    while candidate in used:
        counter += 1
        candidate = f"{key}{separator}{counter}"
    used.add(candidate)
    return candidate


def _route(item: Mapping[str, Any], list_name: str, refs: _AgentRefs, label: str) -> dict[str, Any]:
    """A number or attachment with its agent and environment named through `get_agent`, when the tenant can."""
    routed = dict(item)
    agent_id, environment_id = item.get("agent_id"), item.get("environment_id")
    if not (isinstance(agent_id, str) and isinstance(environment_id, str)):
        return routed
    key = item.get("phone_number") if list_name == "phone_numbers" else f"{agent_id}/{environment_id}"
    agent_expr, environment_expr, agent_name, environment_name = refs.resolve(
        agent_id, environment_id, f"{label} {list_name} {key}"
    )
    routed["agent_id"], routed["environment_id"] = agent_expr, environment_expr
    variable = agent_expr.text.split(".", 1)[0] if isinstance(agent_expr, Code) else None
    # Attachments may carry the names too: tie them to the lookup when they say the same thing.
    if variable is not None and item.get("agent_name") == agent_name:
        routed["agent_name"] = Code(f"{variable}.agent_name")
    if variable is not None and item.get("environment_name") == environment_name:
        routed["environment_name"] = Code(f"{variable}.environment_name")
    return routed


def _secret_commands(stack: str, credential_key: str, secret_keys: Sequence[SecretKey]) -> list[tuple[str, str]]:
    """(command, what it sets); without a value `pulumi config set` prompts, so nothing lands in shell history."""
    commands = [(f"pulumi config set --stack {stack} --secret {credential_key}", "API credential of the tenant")]
    for secret in secret_keys:
        commands.append(
            (f"pulumi config set --stack {stack} --secret {secret.key}", f"{secret.field} of {secret.config_name!r}")
        )
    return commands


def _program(
    url: str,
    stack: str,
    credential_key: str,
    secret_keys: Sequence[SecretKey],
    agent_lines: list[str],
    blocks: list[list[str]],
    exports: list[str],
) -> str:
    commands = _secret_commands(stack, credential_key, secret_keys)
    doc = [
        '"""Phone configs exported by `phonecfg export` from',
        f"{_docstring_safe(url)}",
        "",
        "Every config is adopted on the first `pulumi up` (adopt_existing=True): the",
        "provider takes over the existing config of the same name and kind instead of",
        "creating another. Agents are looked up by name in the stack's tenant, so the",
        "same program works in every tenant that has them.",
        "",
        "The API never returns credentials. Set them once per stack (each command",
        "prompts for the value):",
        "",
        *(f"    {command}" for command, _ in commands),
        '"""',
    ]
    imports = ["import pulumi", f"from pulumi_phonecfg import PhoneConfig{', get_agent' if agent_lines else ''}"]
    body = [*doc, "", *imports, "", "config = pulumi.Config()", ""]
    if agent_lines:
        body += ["# Agents by name: their ids differ in every tenant.", *agent_lines, ""]
    for block in blocks:
        body += [*block, ""]
    body += exports
    return "\n".join(body) + "\n"


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "/").replace('"""', "'''")


def _yaml_string(text: str) -> str:
    return _quoted(text, '"')  # a double-quoted YAML scalar reads these escapes as Python does


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


def _stack_file(
    stack: str, url: str, provider_config: Mapping[str, str], credential_key: str, secret_keys: Sequence[SecretKey]
) -> str:
    lines = [
        f"# Stack {stack!r}. Plain settings only: the API credential and every phone-config credential are",
        "# secrets, set with the commands below (each prompts for its value and stores it encrypted here):",
        "#",
    ]
    for command, what in _secret_commands(stack, credential_key, secret_keys):
        lines.append(f"#   {command}    # {what}")
    lines += ["config:", f"  phonecfg:url: {_yaml_string(url)}"]
    for key, value in sorted(provider_config.items()):
        lines.append(f"  {key}: {_yaml_string(value)}")
    return "\n".join(lines) + "\n"


def _requirements(package_requirement: str) -> str:
    return (
        f"{pulumi_requirement()}\n"
        "# If pulumi_phonecfg is not on your package index, install its wheel or source tree instead.\n"
        f"{package_requirement}\n"
    )


def project_name(out_dir: Path) -> str:
    """A Pulumi project name from the directory name (letters, digits, `-`, `_`, `.`)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", out_dir.resolve().name).strip("-.")
    return name or "phonecfg-export"


# --------------------------------------------------------------------------------------------------------------
# Reading and writing


@dataclass(frozen=True)
class TenantSnapshot:
    documents: list[dict[str, Any]]
    agents: list[Agent]


def read_tenant(
    client: PhoneApiClient,
    selection: Selection,
    *,
    progress: Callable[[str], None] = lambda _line: None,
) -> TenantSnapshot:
    """List the configs, read each selected one (a progress line each) and, if needed, the agents (once)."""
    listing = client.list_configs()
    selected = select_configs(listing, selection)
    check_adoptable(listing, selected)
    names = resource_names(selected)
    documents: list[dict[str, Any]] = []
    for index, summary in enumerate(selected, start=1):
        config_id = str(summary.get("id"))
        document = client.get_config(config_id)
        if document is None:
            raise ExportError(f"config {config_name(summary)!r} ({config_id}) disappeared while exporting")
        documents.append(document)
        progress(
            f"[{index}/{len(selected)}] {config_name(document)!r} ({config_kind(document)}, {config_id})"
            f" -> {names[config_id]}"
        )
    # Agents only when some config routes to one; then all of them in one request.
    agents = fetch_agents(client) if any(_routes_to_agents(d) for d in documents) else []
    return TenantSnapshot(documents, list(agents))


def _routes_to_agents(document: Mapping[str, Any]) -> bool:
    for list_name in ("phone_numbers", "attached_environments"):
        items = document.get(list_name)
        if isinstance(items, list) and any(isinstance(i, Mapping) and i.get("agent_id") for i in items):
            return True
    return False


def check_out_dir(out_dir: Path, *, force: bool) -> None:
    """DIR may be missing or empty; a non-empty one only with `force` (then the project files are replaced)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"--out {out_dir}: exists and is not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise ExportError(
            f"--out {out_dir}: directory is not empty; choose an empty one, or pass --force to overwrite the "
            "project files in it (other files are left alone)"
        )


def write_project(rendered: RenderedProject, out_dir: Path) -> list[Path]:
    """Write every file (each via a temporary file and a rename, so none is ever half written)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for relative, text in rendered.files.items():
        target = out_dir / relative
        handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{relative}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


# --------------------------------------------------------------------------------------------------------------
# The command


def _say(line: str) -> None:
    print(f"phonecfg export: {line}", file=sys.stderr, flush=True)


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


def _package_requirement() -> str:
    try:
        return f"pulumi_phonecfg>={metadata.version('pulumi_phonecfg')}"
    except metadata.PackageNotFoundError:
        return "pulumi_phonecfg"


def run_export(
    *,
    all_configs: bool,
    names: tuple[str, ...],
    ids: tuple[str, ...],
    out_dir: Path,
    stack: str,
    url: str | None,
    force: bool,
    env: Mapping[str, str],
) -> int:
    """`phonecfg export`: 0 when the project was written; 1 with one line on stderr, and nothing written."""
    try:
        if not STACK_NAME.fullmatch(stack):
            raise ExportError(f"--stack {stack!r}: use letters, digits, '-', '_' and '.' only")
        check_out_dir(out_dir, force=force)
        settings = ProviderSettings.from_sources(lambda key: url if key == "phonecfg:url" else None, env)
        client = PhoneApiClient(settings)
        try:
            snapshot = read_tenant(client, Selection(all_configs, names, ids), progress=_say)
        finally:
            client.close()
        provider_config = {
            f"phonecfg:{key}": value
            for key, value in (("authType", settings.auth_type), ("authUrl", settings.auth_url))
            if value
        }
        if settings.strict_phone_numbers:
            provider_config["phonecfg:strictPhoneNumbers"] = "true"
        rendered = render_project(
            snapshot.documents,
            snapshot.agents,
            project=project_name(out_dir),
            stack=stack,
            url=str(settings.url),
            provider_config=provider_config,
            credential_key="phonecfg:apiKey" if settings.api_key else "phonecfg:token",
            package_requirement=_package_requirement(),
            strict_numbers=settings.strict_phone_numbers,
        )
        for warning in rendered.warnings:
            _say(f"warning: {warning}")
        write_project(rendered, out_dir)
    except (ExportError, PhoneConfigError) as error:
        _say(str(error))
        return 1
    print(f"Wrote {len(snapshot.documents)} phone config(s) to {out_dir}: {', '.join(rendered.files)}")
    print(
        f"Next: cd {out_dir}, `pulumi stack init {stack}`, set the secrets listed in Pulumi.{stack}.yaml, `pulumi up`."
    )
    return 0
