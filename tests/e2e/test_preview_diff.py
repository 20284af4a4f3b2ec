"""`pulumi preview` through the real engine: reordered lists are no change, and a real change is shown per property.

diff is a pure function of canonical values (canonical.canonical_values), and the engine's own comparison still names
each changed property in the preview (`[diff: ~description]`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import changes, inline_stack, provider_config, state_resources

pytestmark = [pytest.mark.e2e]

NUMBERS = ["+14155550120", "+14155550121", "+12025550122"]
HEADERS = ["X-Preview-A", "X-Preview-B"]
DESIRED: dict[str, Any] = {"description": "preview trunk", "reversed": False}


def program() -> None:
    order = (lambda items: items[::-1]) if DESIRED["reversed"] else list
    PhoneConfig(
        "trunk",
        name="E2E preview trunk",
        description=DESIRED["description"],
        phone_numbers=[{"phone_number": n} for n in order(NUMBERS)],
        custom_invite_headers=[{"name": h} for h in order(HEADERS)],
    )


@pytest.fixture(scope="module")
def stack(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[auto.Stack]:
    created = inline_stack(e2e_dir, pulumi_command, "phonecfg-preview", "preview", program)
    created.set_all_config(provider_config(emulator))
    created.up()
    yield created
    if state_resources(created):
        created.destroy()


def test_reordered_lists_and_a_new_description(stack: auto.Stack, emulator: RunningEmulator) -> None:
    DESIRED.update(reversed=True)
    emulator.clear_requests()
    reordered = stack.preview(diff=False)
    assert changes(reordered.change_summary) == {}, reordered.stdout
    DESIRED.update(description="preview trunk, edited")
    edited = stack.preview(diff=False)
    assert changes(edited.change_summary) == {"update": 1}, edited.stdout
    (line,) = [text for text in edited.stdout.splitlines() if "PhoneConfig" in text and "trunk" in text]
    assert line.rstrip().endswith("update [diff: ~description]"), edited.stdout
    assert emulator.api_requests() == []
