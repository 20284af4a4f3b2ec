"""`policy/run`, the file the CLI is pointed at: without the `pulumi-analyzer-policy-python` shim it fails in one
line saying how to get it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import REPO


def test_a_missing_shim_is_one_clear_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(REPO / "policy" / "run"), "127.0.0.1:1"],
        env={"PATH": str(tmp_path)},  # no shim anywhere on PATH
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "pulumi-analyzer-policy-python is not on PATH: run `make cli` (scripts/install-pulumi.sh) and put "
        ".pulumi/bin on PATH"
    ]
