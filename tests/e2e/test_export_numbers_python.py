"""`phonecfg export --numbers-as-resources` round trip in Python: each trunk's numbers exported as `PhoneNumber`s.

The tenant of the other round trips (three trunks' worth of numbers, one routed to an agent the tenant no longer
lists) -> `phonecfg export --all --numbers-as-resources` -> `pulumi up` adopts every config and every number: no
config or number created, none deleted, every trunk as it was -> `pulumi preview --expect-no-changes` sends nothing.
Real parts only: the `phonecfg` console script, the `pulumi` command with the Python language host, an emulator
process. Steps in order on one stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import DYNAMIC_TYPE, NUMBER_DYNAMIC_TYPE
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


@pytest.fixture(scope="module")
def trip(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[LanguageTrip]:
    yield LanguageTrip("python", emulator, e2e_dir, "--numbers-as-resources")


def test_export_declares_every_number_as_a_phone_number(trip: LanguageTrip) -> None:
    trip.export()
    program = (trip.out / "__main__.py").read_text()
    assert program.count("PhoneNumber(") == 4 and "phone_numbers=" not in program, program


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_and_number(trip: LanguageTrip) -> None:
    trip.up_adopts(config_type=DYNAMIC_TYPE, number_type=NUMBER_DYNAMIC_TYPE)


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
