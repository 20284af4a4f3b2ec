"""`phonecfg terraform-mirror DIR`: make the installed provider findable by `tofu init` / `terraform init`.

No registry serves the provider: the CLI finds it in a filesystem mirror (the unpacked layout,
`DIR/registry.opentofu.org/phonecfg/phonecfg/<version>/<os>_<arch>/terraform-provider-phonecfg`, here a symlink
to the console script of this installation) named in a CLI configuration file. The command writes both and prints
the one line that puts them to use. `dev_overrides` is the other way, but `tofu init` then fails (it still asks
the registry), so a mirror is what a team's CI wants.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Final

SOURCE: Final = "phonecfg/phonecfg"
HOSTS: Final = ("registry.opentofu.org", "registry.terraform.io")  # tofu's default host, terraform's
EXECUTABLE: Final = "terraform-provider-phonecfg"


def platform_name() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return f"{sys.platform.removesuffix('32')}_{arch}"


def provider_executable() -> Path:
    """The console script of this installation (next to the interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / EXECUTABLE
    found = beside if beside.exists() else Path(shutil.which(EXECUTABLE) or beside)
    if not found.exists():
        raise SystemExit(f"phonecfg terraform-mirror: {EXECUTABLE} is not installed (pip install pulumi_phonecfg)")
    return found


def cli_configuration(mirror: Path) -> str:
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f'    include = ["{SOURCE}"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{SOURCE}"]\n'
        "  }\n"
        "}\n"
    )


def write_mirror(directory: Path, executable: Path | None = None) -> Path:
    """The mirror under `directory` and `directory/tofurc`; returns the CLI configuration file."""
    directory = directory.resolve()
    target = executable or provider_executable()
    release = version("pulumi_phonecfg")
    for host in HOSTS:
        home = directory / host / SOURCE / release / platform_name()
        home.mkdir(parents=True, exist_ok=True)
        link = home / EXECUTABLE
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    config = directory / "tofurc"
    config.write_text(cli_configuration(directory))
    return config


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="phonecfg terraform-mirror",
        description="Make terraform-provider-phonecfg installable by `tofu init` / `terraform init` (no registry).",
    )
    parser.add_argument("directory", type=Path, help="where the mirror and its CLI configuration file go")
    args = parser.parse_args(argv)
    config = write_mirror(args.directory)
    print(f"export TF_CLI_CONFIG_FILE={config}")
    return 0
