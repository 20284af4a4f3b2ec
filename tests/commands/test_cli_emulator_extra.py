"""`phonecfg emulator` without the emulator extra: one line saying how to install it."""

from __future__ import annotations

import importlib.util
from importlib.machinery import ModuleSpec

import pytest

from pulumi_phonecfg.commands import cli


def test_the_emulator_without_its_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_find_spec = importlib.util.find_spec

    def without_uvicorn(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "uvicorn" else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", without_uvicorn)
    assert cli.main(["emulator", "--port", "0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "phonecfg emulator needs the emulator extra: pip install 'pulumi_phonecfg[emulator]'\n"
