"""A stack written before the package had folders keeps working: preview, up, refresh and destroy with today's code.

`data/pre_move_state.json` was deployed by commit 342fa25, when the providers lived in `pulumi_phonecfg/provider.py`
(`data/make_pre_move_state.py` says how); `data/pre_move_emulator.sql` is the emulator's database that matches
it. Every dynamic resource there names its provider by reference, `pulumi_phonecfg.provider.PhoneConfigProvider`
or `...PhoneNumberProvider`, and `refresh`/`destroy` unpickle it from the state: those paths must work forever.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

# The program that wrote the fixture, unchanged, and its fake credentials (plaintext in the fixture, so any
# passphrase can import it).
from .data.make_pre_move_state import GENESYS_API_KEY, GENESYS_CLIENT_SECRET, SIP_PASSWORD, program
from .helpers import (
    PHONE_PATH,
    Transcript,
    changes,
    exported_state,
    inline_stack,
    list_configs,
    provider_config,
    run_operation,
    scan_for_secrets,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

DATA = Path(__file__).with_name("data")
FIXTURE = json.loads((DATA / "pre_move_state.json").read_text())
PICKLED_CLASSES = {
    "pulumi-python:dynamic/phonecfg:PhoneConfig": b"pulumi_phonecfg.provider\x94\x8c\x13PhoneConfigProvider",
    "pulumi-python:dynamic/phonecfg:PhoneNumber": b"pulumi_phonecfg.provider\x94\x8c\x13PhoneNumberProvider",
}


def dynamic_resources(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["urn"].rsplit("::", 1)[-1]: r
        for r in deployment["resources"]
        if r["type"].startswith("pulumi-python:dynamic/phonecfg:")
    }


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    """An emulator on the fixture's database (its configs, tenant and number as the old code left them)."""
    db_path = tmp_path_factory.mktemp("pre-move-emulator") / "emulator.db"
    with sqlite3.connect(db_path) as db:
        db.executescript((DATA / "pre_move_emulator.sql").read_text())
    with start_emulator(db_path=db_path) as running:
        yield running


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, pulumi_command: auto.PulumiCommand, emulator: RunningEmulator
) -> Iterator[auto.Stack]:
    """A new stack holding the fixture's state, its emulator URL replaced by this run's (the only edit)."""
    base = tmp_path_factory.mktemp("pre-move")
    stack = inline_stack(base, pulumi_command, "pre-move", "pre-move", program)
    stack.set_all_config(provider_config(emulator))
    text = json.dumps(FIXTURE["deployment"]).replace(FIXTURE["emulator_url"], emulator.url)
    old_host = FIXTURE["emulator_url"].split("://", 1)[1]
    text = text.replace(old_host, emulator.url.split("://", 1)[1])
    exported = json.loads(text)
    # The plaintext secrets are encrypted on import with this stack's own passphrase provider.
    own = stack.export_stack().deployment.get("secrets_providers")
    assert own is not None, "the new stack has no secrets provider to encrypt the fixture's secrets with"
    deployment = {**exported["deployment"], "secrets_providers": own}
    stack.import_stack(auto.Deployment(version=exported["version"], deployment=deployment))
    yield stack


def test_the_fixture_was_written_by_the_old_paths() -> None:
    """What makes this test mean something: every resource's pickled provider names the pre-move module."""
    resources = dynamic_resources(FIXTURE["deployment"]["deployment"])
    assert sorted(resources) == ["front-desk", "genesys", "trunk"]
    for resource in resources.values():
        pickled = base64.b64decode(resource["inputs"]["__provider"])
        assert PICKLED_CLASSES[resource["type"]] in pickled, pickled


def test_preview_plans_nothing_and_sends_nothing(stack: auto.Stack, emulator: RunningEmulator) -> None:
    transcript = Transcript()
    result = run_operation(stack, emulator, transcript, "preview", diff=True)
    assert changes(result.change_summary) == {}, transcript.text()
    assert emulator.requests() == []


def test_up_changes_nothing_and_keeps_the_pickled_paths(stack: auto.Stack, emulator: RunningEmulator) -> None:
    before = dynamic_resources(stack.export_stack().deployment)
    transcript = Transcript()
    result = run_operation(stack, emulator, transcript, "up")
    assert changes(result.summary.resource_changes) == {}, transcript.text()
    assert emulator.requests() == []
    after = dynamic_resources(stack.export_stack().deployment)
    # Today's code pickles its providers under the same paths, byte for byte: no diff of `__provider` either.
    assert {name: r["inputs"]["__provider"] for name, r in after.items()} == {
        name: r["inputs"]["__provider"] for name, r in before.items()
    }


def test_refresh_reads_each_config_once_and_finds_no_drift(stack: auto.Stack, emulator: RunningEmulator) -> None:
    transcript = Transcript()
    result = run_operation(stack, emulator, transcript, "refresh")
    assert changes(result.summary.resource_changes) == {}, transcript.text()
    reads = sorted(f"{r['method']} {r['path']}" for r in emulator.requests())
    trunk_id = dynamic_resources(stack.export_stack().deployment)["trunk"]["id"]
    genesys_id = dynamic_resources(stack.export_stack().deployment)["genesys"]["id"]
    # The trunk is read twice: once for itself, once for its PhoneNumber.
    assert reads == sorted(
        [f"GET {PHONE_PATH}/{trunk_id}", f"GET {PHONE_PATH}/{trunk_id}", f"GET {PHONE_PATH}/{genesys_id}"]
    ), summarize(emulator.requests())
    assert changes(stack.preview().change_summary) == {}


def test_destroy_removes_what_the_old_code_created(stack: auto.Stack, emulator: RunningEmulator) -> None:
    transcript = Transcript()
    result = run_operation(stack, emulator, transcript, "destroy")
    assert changes(result.summary.resource_changes) == {"delete": 4}, transcript.text()
    assert sorted(r["method"] for r in emulator.requests()) == ["DELETE", "DELETE", "DELETE"], summarize(
        emulator.requests()
    )
    assert list_configs(emulator) == []
    leaks = scan_for_secrets(
        {"sip password": SIP_PASSWORD, "genesys api key": GENESYS_API_KEY, "client secret": GENESYS_CLIENT_SECRET},
        {"output": transcript.text(), "state": exported_state(stack)},
    )
    assert leaks == []
