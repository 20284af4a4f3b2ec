"""Local emulator of the IBM watsonx Orchestrate phone-config REST API (FastAPI + SQLite).

See docs/emulator.md. ``create_app`` builds the ASGI app; ``start_emulator`` runs it as a subprocess
for tests. Exports are resolved lazily so ``python -m pulumi_phonecfg.emulator --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_phonecfg.emulator.app import create_app
    from pulumi_phonecfg.emulator.settings import EmulatorSettings
    from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

__all__ = ["EmulatorSettings", "RunningEmulator", "create_app", "start_emulator"]

_WHERE = {
    "create_app": "pulumi_phonecfg.emulator.app",
    "EmulatorSettings": "pulumi_phonecfg.emulator.settings",
    "RunningEmulator": "pulumi_phonecfg.emulator.testing",
    "start_emulator": "pulumi_phonecfg.emulator.testing",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
