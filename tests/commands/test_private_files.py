"""`write_private_text`: what `phonecfg migrate` keeps its state backup with: owner-only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_phonecfg.commands.private_files import write_private_text


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default: new files readable by everyone
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_owner_only(tmp_path: Path, permissive_umask: None) -> None:
    backup = tmp_path / "dev-state-before-migrate.json"
    write_private_text(backup, '{"deployment": {}}')
    assert mode(backup) == 0o600
    assert backup.read_text(encoding="utf-8") == '{"deployment": {}}'


def test_an_existing_readable_file_is_narrowed_and_replaced(tmp_path: Path, permissive_umask: None) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text("old and longer content", encoding="utf-8")
    backup.chmod(0o644)
    write_private_text(backup, "new")
    assert mode(backup) == 0o600
    assert backup.read_text(encoding="utf-8") == "new"
