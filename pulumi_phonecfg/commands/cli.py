"""`phonecfg` console script: one entry point, one subcommand per tool."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EMULATOR_PACKAGES = ("fastapi", "uvicorn")
EMULATOR_MISSING = "phonecfg emulator needs the emulator extra: pip install 'pulumi_phonecfg[emulator]'"

USAGE = """usage: phonecfg <command> [options]

commands:
  emulator    run the local phone-config API emulator (FastAPI + SQLite)
  export      write a Pulumi project (Python, YAML, TypeScript) or a Terraform/OpenTofu configuration (HCL)
              that adopts a tenant's phone configs
  migrate     move a stack's PhoneConfigs from the dynamic provider to the native one (or back)
  terraform-mirror DIR
              make terraform-provider-phonecfg installable by `tofu init` (a filesystem mirror in DIR and the
              CLI configuration to use it)
"""

# `phonecfg export --language` (kept here: importing the export package is left until the command runs).
LANGUAGES = ("python", "yaml", "typescript", "hcl")

EXPORT_EPILOG = """credentials:
  PHONECFG_API_KEY or PHONECFG_TOKEN from the environment (never on the command line);
  PHONECFG_AUTH_TYPE / PHONECFG_AUTH_URL as for the provider.

writes (DIR/Pulumi.<stack>.yaml too, for the Pulumi languages):
  python      DIR/Pulumi.yaml, DIR/__main__.py, DIR/requirements.txt (dynamic provider)
  yaml        DIR/Pulumi.yaml (native provider plugin pulumi-resource-phonecfg)
  typescript  DIR/Pulumi.yaml, DIR/index.ts, DIR/package.json, DIR/tsconfig.json (npm SDK pulumi-phonecfg)
  hcl         DIR/main.tf (OpenTofu/Terraform, provider phonecfg/phonecfg: an import block per resource,
              credentials as sensitive ephemeral variables; --stack is not used)
  Nothing secret: each credential is read from secret stack config; the stack file
  lists the `pulumi config set --secret` commands to run (main.tf lists the environment
  variables to set). Errors write nothing.
  --numbers-as-resources: each trunk's numbers as PhoneNumber resources (adopted, same
  routing) and no phone_numbers on the trunk, so teams sharing it can each own theirs.
  --attachments-as-resources: each Genesys config's attachments as AgentAttachment
  resources (adopted, same labels) and no attached_environments on the config.

examples:
  phonecfg export --all --out ./phone-configs
  phonecfg export --all --language typescript --out ./phone-configs-ts
  phonecfg export --all --language hcl --out ./phone-configs-tf
  phonecfg export --name "Shared trunk" --numbers-as-resources --language yaml --out ./shared
  phonecfg export --name "Contact centre" --attachments-as-resources --out ./contact-centre
  phonecfg export --name "Support SIP trunk" --name "Genesys" --out ./phone --stack prod
  phonecfg export --id <config id> --url https://api.<region>.watson-orchestrate.cloud.ibm.com/instances/<id> -o ./t
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Options as `-n, --name NAME` (metavar once), the way the ADK's CLI lists them."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        return f"{', '.join(action.option_strings)} {self._format_args(action, action.dest.upper())}"


def build_export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonecfg export",
        usage="phonecfg export (--all | --name NAME ... | --id ID ...) --out DIR [-l LANG] [--stack STACK] [options]",
        description=(
            "Export phone configs as a Pulumi project that adopts them (adopt_existing=True),\n"
            "or as an OpenTofu/Terraform configuration that imports them (--language hcl)."
        ),
        epilog=EXPORT_EPILOG,
        formatter_class=_HelpFormatter,
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("-a", "--all", action="store_true", help="Export every phone config of the tenant")
    which.add_argument("-n", "--name", action="append", default=[], help="Phone config name to export (repeatable)")
    which.add_argument("-i", "--id", action="append", default=[], help="Phone config ID to export (repeatable)")
    parser.add_argument(
        "-o", "--out", required=True, type=Path, metavar="DIR", help="Directory to write the project to"
    )
    parser.add_argument("-s", "--stack", default="dev", help="Stack of the Pulumi.<stack>.yaml file (default: dev)")
    parser.add_argument("-u", "--url", help="Instance URL (default: $PHONECFG_URL)")
    parser.add_argument(
        "-l",
        "--language",
        choices=LANGUAGES,
        default="python",
        metavar="LANG",
        help="Language of the project: python (default), yaml, typescript or hcl (OpenTofu/Terraform)",
    )
    parser.add_argument(
        "--numbers-as-resources",
        action="store_true",
        help="Each SIP trunk's numbers as PhoneNumber resources instead of its phone_numbers list",
    )
    parser.add_argument(
        "--attachments-as-resources",
        action="store_true",
        help="Each Genesys config's attachments as AgentAttachment resources instead of its attached_environments",
    )
    parser.add_argument("-f", "--force", action="store_true", help="Overwrite the project files in a non-empty DIR")
    return parser


def export_command(argv: Sequence[str]) -> int:
    args = build_export_parser().parse_args(list(argv))
    from pulumi_phonecfg.commands.export import run_export

    return run_export(
        all_configs=args.all,
        names=tuple(args.name),
        ids=tuple(args.id),
        out_dir=args.out,
        stack=args.stack,
        url=args.url,
        force=args.force,
        env=os.environ,
        language=args.language,
        numbers_as_resources=args.numbers_as_resources,
        attachments_as_resources=args.attachments_as_resources,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE, end="")
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "emulator":
        import importlib.util

        # The wheel leaves the emulator's web stack to an extra: say how to get it, not an ImportError.
        if any(importlib.util.find_spec(package) is None for package in EMULATOR_PACKAGES):
            print(EMULATOR_MISSING, file=sys.stderr)
            return 2
        from pulumi_phonecfg.emulator.server import main as emulator_main

        return int(emulator_main(rest))
    if command == "export":
        return export_command(rest)
    if command == "migrate":
        from pulumi_phonecfg.commands.migrate import main as migrate_main

        return migrate_main(rest)
    if command == "terraform-mirror":
        from pulumi_phonecfg.terraform.mirror import main as mirror_main

        return mirror_main(rest)
    print(f"phonecfg: unknown command {command!r}\n\n{USAGE}", end="", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
