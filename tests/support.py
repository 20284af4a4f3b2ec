"""Helpers shared by several test directories (importable as `support`: pytest puts tests/ on sys.path).

Directory-specific helpers stay in their directory (`e2e/helpers.py`, `contract/harness.py`, ...); what more than
one directory needs lives here, so no test directory imports from another.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """CI=true (or any value but empty/0/false/no): a missing tool is a failure, never a skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago (never the demo's 8787 while it is in use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
