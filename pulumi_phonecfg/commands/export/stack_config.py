"""The stack file every exported project gets, whatever its language: plain provider settings only.

Credentials are never written: the file's comments list the `pulumi config set --secret` commands that store them
(each prompts for its value, so nothing lands in shell history).
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_phonecfg.commands.export.model import ProjectOptions, SecretKey
from pulumi_phonecfg.commands.export.strings import yaml_string


def secret_commands(options: ProjectOptions, secret_keys: Sequence[SecretKey]) -> list[tuple[str, str]]:
    """(command, what it sets); without a value `pulumi config set` prompts, so nothing lands in shell history."""
    stack = options.stack
    commands = [
        (f"pulumi config set --stack {stack} --secret {options.credential_key}", "API credential of the tenant")
    ]
    for secret in secret_keys:
        commands.append(
            (f"pulumi config set --stack {stack} --secret {secret.key}", f"{secret.field} of {secret.config_name!r}")
        )
    return commands


def stack_file(options: ProjectOptions, secret_keys: Sequence[SecretKey]) -> dict[str, str]:
    """`Pulumi.<stack>.yaml` (name -> text): the instance URL and further plain `phonecfg:*` settings; the secrets
    as comments."""
    lines = [
        f"# Stack {options.stack!r}. Plain settings only: the API credential and every phone-config credential are",
        "# secrets, set with the commands below (each prompts for its value and stores it encrypted here):",
        "#",
    ]
    for command, what in secret_commands(options, secret_keys):
        lines.append(f"#   {command}    # {what}")
    lines += ["config:", f"  phonecfg:url: {yaml_string(options.url)}"]
    for key, value in sorted(options.provider_config.items()):
        lines.append(f"  {key}: {yaml_string(value)}")
    return {f"Pulumi.{options.stack}.yaml": "\n".join(lines) + "\n"}
