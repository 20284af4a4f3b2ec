"""`phonecfg export --attachments-as-resources` round trip, in Python and in YAML: each Genesys config's attachments
as `AgentAttachment`s.

The tenant of the other round trips (a Genesys config with two attachments, one labelled, one not) ->
`phonecfg export --all --attachments-as-resources` -> `pulumi up` adopts every config and every pair: no POST, no
write of `attached_environments`, no DELETE, every config as it was -> `pulumi preview --expect-no-changes` sends
nothing.
Real parts only: the `phonecfg` console script, the `pulumi` command (Python language host; YAML language host and
the native plugin on PATH), an emulator process, emptied between the languages. Steps in order, per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import ATTACHMENT_DYNAMIC_TYPE, ATTACHMENT_NATIVE_TYPE, DYNAMIC_TYPE, NATIVE_TYPE
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

# The state's types of a config and of an attachment, per language.
TYPES = {"python": (DYNAMIC_TYPE, ATTACHMENT_DYNAMIC_TYPE), "yaml": (NATIVE_TYPE, ATTACHMENT_NATIVE_TYPE)}


@pytest.fixture(scope="module", params=sorted(TYPES))
def trip(
    request: pytest.FixtureRequest, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[LanguageTrip]:
    emulator.reset()  # the tenant is made again for each language
    yield LanguageTrip(request.param, emulator, e2e_dir, "--attachments-as-resources")


def test_export_declares_every_attachment_as_an_agent_attachment(trip: LanguageTrip) -> None:
    trip.export()
    if trip.language == "python":
        program = (trip.out / "__main__.py").read_text()
        assert program.count("AgentAttachment(") == 2 and "attached_environments=" not in program, program
    else:
        resources = yaml.safe_load((trip.out / "Pulumi.yaml").read_text())["resources"].values()
        assert [r["type"] for r in resources].count(ATTACHMENT_NATIVE_TYPE) == 2
        assert not [r for r in resources if "attachedEnvironments" in r["properties"]]


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_and_pair_with_no_write(trip: LanguageTrip) -> None:
    config_type, attachment_type = TYPES[trip.language]
    trip.up_adopts(config_type=config_type, attachment_type=attachment_type)


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
