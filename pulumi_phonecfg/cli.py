"""`phonecfg` console script: one entry point, one subcommand per tool."""

from __future__ import annotations

import sys
from collections.abc import Sequence

EMULATOR_PACKAGES = ("fastapi", "uvicorn")
EMULATOR_MISSING = "phonecfg emulator needs the emulator extra: pip install 'pulumi_phonecfg[emulator]'"

USAGE = """usage: phonecfg <command> [options]

commands:
  emulator    run the local phone-config API emulator (FastAPI + SQLite)
"""


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
    print(f"phonecfg: unknown command {command!r}\n\n{USAGE}", end="", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
