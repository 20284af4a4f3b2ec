"""`phonecfg export`: the phone configs of a live tenant as a ready Pulumi project (Python, YAML or TypeScript) or
OpenTofu/Terraform configuration (HCL).

| Module | What it does |
|---|---|
| `model.py` | What is exported, whatever the language: selection, names, declared inputs, agents, secret keys. |
| `python.py` | The Python project on the dynamic `PhoneConfig` (`__main__.py`, laid out as ruff format does). |
| `yaml.py` | The Pulumi YAML project on the native provider (`Pulumi.yaml`). |
| `typescript.py` | The TypeScript project on the generated npm SDK `pulumi-phonecfg` (`index.ts`, `package.json`). |
| `hcl.py` | The OpenTofu/Terraform configuration on the provider `phonecfg/phonecfg` (`main.tf`, import blocks). |
| `stack_config.py` | The stack file every Pulumi project gets: plain settings, the secrets as commands to run. |
| `strings.py` | String literals the renderers share. |
| `command.py` | Reading the tenant, writing the files, the command. |

Every program adopts each config (`adopt_existing` / `adoptExisting`; in HCL an `import` block), names agents through
`getAgent` (`data "phonecfg_agent"`) instead of their tenant-specific UUIDs, and reads every credential from a secret
stack config key (a sensitive, ephemeral variable): the API never returns credentials, so nothing secret can end up
in a file.
"""

from pulumi_phonecfg.commands.export.command import (
    LANGUAGES,
    TenantSnapshot,
    check_out_dir,
    project_name,
    read_tenant,
    render,
    run_export,
    write_project,
)
from pulumi_phonecfg.commands.export.model import (
    ExportError,
    ProjectOptions,
    RenderedProject,
    SecretKey,
    Selection,
    check_adoptable,
    declared_inputs,
    export_model,
    resource_names,
    select_configs,
    slug,
)
from pulumi_phonecfg.commands.export.python import render_project

__all__ = [
    "LANGUAGES",
    "ExportError",
    "ProjectOptions",
    "RenderedProject",
    "SecretKey",
    "Selection",
    "TenantSnapshot",
    "check_adoptable",
    "check_out_dir",
    "declared_inputs",
    "export_model",
    "project_name",
    "read_tenant",
    "render",
    "render_project",
    "resource_names",
    "run_export",
    "select_configs",
    "slug",
    "write_project",
]
