"""Running the real OpenTofu CLI (`make tofu`: scripts/install-tofu.sh) against the emulator, through the
provider installed as the console script `terraform-provider-phonecfg` of the test's virtualenv.

No registry is reachable: the CLI finds the provider in a filesystem mirror written per working directory by
`phonecfg terraform-mirror`'s code (what docs/guides/terraform.md tells users), so `tofu init` works as for any
provider. Every run's combined output and the CLI's log
(TF_LOG=trace, which records every gRPC call) are kept, so a test can scan them for credentials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support import REPO, in_ci

from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.terraform.mirror import write_mirror

TOFU = REPO / ".tofu" / "bin" / "tofu"
HEADER = """terraform {
  required_version = ">= 1.11"
  required_providers {
    phonecfg = { source = "phonecfg/phonecfg" }
  }
}
"""


def require_tofu() -> None:
    """The CLI in .tofu/bin: skipped when absent, except under CI where that is a failure."""
    if not os.access(TOFU, os.X_OK):
        message = f"no OpenTofu CLI at {TOFU}: run `make tofu` (scripts/install-tofu.sh)"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)


@dataclass
class TofuRun:
    args: list[str]
    returncode: int
    output: str


@dataclass
class TofuDir:
    """One working directory (configuration, state, CLI configuration and log) of the OpenTofu CLI."""

    root: Path
    emulator: RunningEmulator
    env_extra: dict[str, str] = field(default_factory=dict)
    runs: list[TofuRun] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        provider = Path(sys.executable).parent / "terraform-provider-phonecfg"
        assert provider.exists(), "run `make venv`"
        self.cli_config = write_mirror(self.root / ".mirror", provider)

    @property
    def log(self) -> Path:
        return self.root / "tofu.log"

    def env(self) -> dict[str, str]:
        keep = ("PATH", "HOME", "LANG", "TMPDIR", "SSL_CERT_FILE")
        return {
            **{k: v for k, v in os.environ.items() if k in keep},
            "TF_CLI_CONFIG_FILE": str(self.cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "TF_LOG": "trace",
            "TF_LOG_PATH": str(self.log),
            "PHONECFG_URL": self.emulator.url,
            "PHONECFG_TOKEN": self.emulator.token,
            **self.env_extra,
        }

    def write(self, main_tf: str, name: str = "main.tf") -> None:
        (self.root / name).write_text(HEADER + main_tf if name == "main.tf" else main_tf)

    def run(self, *args: str, check: bool = True, expect: int | None = None) -> TofuRun:
        result = subprocess.run(
            [str(TOFU), *args, "-no-color"],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        run = TofuRun(list(args), result.returncode, result.stdout + result.stderr)
        self.runs.append(run)
        wanted = expect if expect is not None else (0 if check else None)
        if wanted is not None and run.returncode != wanted:
            raise AssertionError(f"tofu {' '.join(args)} exited {run.returncode}, wanted {wanted}:\n{run.output}")
        return run

    def apply(self, *args: str) -> TofuRun:
        return self.run("apply", "-auto-approve", *args)

    def plan_exit(self, *args: str) -> TofuRun:
        """`plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error."""
        return self.run("plan", "-detailed-exitcode", *args, check=False)

    def state(self) -> dict[str, Any]:
        text = (self.root / "terraform.tfstate").read_text()
        loaded: dict[str, Any] = json.loads(text)
        return loaded

    def resource(self, address: str) -> dict[str, Any]:
        """The attributes of `phonecfg_phone_config.trunk` in the state."""
        kind, name = address.split(".", 1)
        for resource in self.state()["resources"]:
            if resource["type"] == kind and resource["name"] == name and resource["mode"] == "managed":
                attributes: dict[str, Any] = resource["instances"][0]["attributes"]
                return attributes
        raise KeyError(address)

    def everything_written(self) -> dict[str, str]:
        """What a credential must never be in: every file of the directory (state, backups, plan files, generated
        configuration, the CLI's trace log) and every run's output."""
        found = {
            str(path.relative_to(self.root)): path.read_text(errors="replace")
            for path in self.root.rglob("*")
            if path.is_file() and not path.is_symlink()
        }
        found.update({f"output of tofu {' '.join(run.args)}": run.output for run in self.runs})
        return found
