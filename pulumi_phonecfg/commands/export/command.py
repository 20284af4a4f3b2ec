"""`phonecfg export`: read the tenant, render the project in the chosen language, write it.

- `read_tenant` lists the configs, reads each selected one and (only if some config routes to an agent) the
  tenant's agents, through `PhoneApiClient` (same settings, auth, retries and redaction as the provider);
- `render` hands the documents to the renderer of the language (a Pulumi project, or an OpenTofu/Terraform
  configuration for `hcl`): a pure function, no I/O;
- `write_project` writes the files, refusing a non-empty directory unless forced.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from pulumi_phonecfg.commands.export import hcl, python, typescript, yaml
from pulumi_phonecfg.commands.export.model import (
    ROUTED_LISTS,
    ExportError,
    ProjectOptions,
    RenderedProject,
    Selection,
    check_adoptable,
    resource_names,
    select_configs,
)
from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneConfigError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.agents import Agent, fetch_agents
from pulumi_phonecfg.core.schema.api_documents import config_kind, config_name

LANGUAGES: Final = ("python", "yaml", "typescript", "hcl")
STACK_NAME: Final = re.compile(r"[A-Za-z0-9_.-]+")
# What to run between writing the project and `pulumi up`, besides `pulumi stack init` and the secrets.
SETUP: Final = {"python": "", "yaml": "", "typescript": "`npm install`, "}


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
    for list_name in ROUTED_LISTS:
        items = document.get(list_name)
        if isinstance(items, list) and any(isinstance(i, Mapping) and i.get("agent_id") for i in items):
            return True
    return False


def render(
    language: str, documents: Sequence[Mapping[str, Any]], agents: Sequence[Agent], options: ProjectOptions
) -> RenderedProject:
    """The project in `language` (one of `LANGUAGES`)."""
    if language == "python":
        return python.render_project(documents, agents, options, package_requirement=_package_requirement())
    if language == "yaml":
        return yaml.render_project(documents, agents, options)
    if language == "typescript":
        return typescript.render_project(documents, agents, options, sdk_requirement=_sdk_requirement())
    if language == "hcl":
        return hcl.render_project(documents, agents, options)
    raise ExportError(f"--language {language!r}: use one of {', '.join(LANGUAGES)}")


def project_name(out_dir: Path) -> str:
    """A Pulumi project name from the directory name (letters, digits, `-`, `_`, `.`)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", out_dir.resolve().name).strip("-.")
    return name or "phonecfg-export"


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


def _say(line: str) -> None:
    print(f"phonecfg export: {line}", file=sys.stderr, flush=True)


def _version() -> str | None:
    try:
        return metadata.version("pulumi_phonecfg")
    except metadata.PackageNotFoundError:
        return None


def _package_requirement() -> str:
    version = _version()
    return f"pulumi_phonecfg>={version}" if version else "pulumi_phonecfg"


def _sdk_requirement() -> str:
    """The npm SDK's version follows the package version."""
    version = _version()
    return f"^{version}" if version else "*"


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
    language: str = "python",
    numbers_as_resources: bool = False,
    attachments_as_resources: bool = False,
) -> int:
    """`phonecfg export`: 0 when the project was written; 1 with one line on stderr, and nothing written."""
    try:
        if not STACK_NAME.fullmatch(stack):
            raise ExportError(f"--stack {stack!r}: use letters, digits, '-', '_' and '.' only")
        if language not in LANGUAGES:
            raise ExportError(f"--language {language!r}: use one of {', '.join(LANGUAGES)}")
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
        options = ProjectOptions(
            project=project_name(out_dir),
            stack=stack,
            url=str(settings.url),
            provider_config=provider_config,
            credential_key="phonecfg:apiKey" if settings.api_key else "phonecfg:token",
            strict_numbers=settings.strict_phone_numbers,
            numbers_as_resources=numbers_as_resources,
            attachments_as_resources=attachments_as_resources,
        )
        rendered = render(language, snapshot.documents, snapshot.agents, options)
        for warning in rendered.warnings:
            _say(f"warning: {warning}")
        write_project(rendered, out_dir)
    except (ExportError, PhoneConfigError) as error:
        _say(str(error))
        return 1
    print(f"Wrote {len(snapshot.documents)} phone config(s) to {out_dir}: {', '.join(rendered.files)}")
    print(_next_steps(language, out_dir, stack))
    return 0


def _next_steps(language: str, out_dir: Path, stack: str) -> str:
    if language == "hcl":
        return (
            f"Next: cd {out_dir}, set the credentials listed at the top of main.tf in the environment, `tofu plan` "
            "(imports every config, writes nothing), `tofu apply`."
        )
    return (
        f"Next: cd {out_dir}, {SETUP[language]}`pulumi stack init {stack}`, set the secrets listed in "
        f"Pulumi.{stack}.yaml, `pulumi up`."
    )
