"""`phonecfg export --language yaml --numbers-as-resources` round trip: numbers as `phonecfg:index:PhoneNumber`s.

As test_export_numbers_python.py, through the YAML language host and the native plugin on PATH: `pulumi up` adopts
every config and number (nothing created or deleted, every trunk as it was), then the preview sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import NATIVE_TYPE, NUMBER_NATIVE_TYPE
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


@pytest.fixture(scope="module")
def trip(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[LanguageTrip]:
    yield LanguageTrip("yaml", emulator, e2e_dir, "--numbers-as-resources")


def test_export_declares_every_number_as_a_phone_number(trip: LanguageTrip) -> None:
    trip.export()
    resources = yaml.safe_load((trip.out / "Pulumi.yaml").read_text())["resources"].values()
    assert sorted(r["type"] for r in resources).count(NUMBER_NATIVE_TYPE) == 4
    assert not [r for r in resources if "phoneNumbers" in r["properties"]]


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_and_number(trip: LanguageTrip) -> None:
    trip.up_adopts(config_type=NATIVE_TYPE, number_type=NUMBER_NATIVE_TYPE)


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
