"""`phonecfg export --numbers-as-resources` round trip, in Python and in YAML: each trunk's numbers as `PhoneNumber`s.

The tenant of the other round trips (four numbers on two trunks, one routed to an agent the tenant no longer
lists) -> `phonecfg export --all --numbers-as-resources` -> `pulumi up` adopts every config and every number: no
config or number created, none deleted, every trunk as it was -> `pulumi preview --expect-no-changes` sends nothing.
Real parts only: the `phonecfg` console script, the `pulumi` command (Python language host; YAML language host and
the native plugin on PATH), an emulator process, emptied between the languages. Steps in order, per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import DYNAMIC_TYPE, NATIVE_TYPE, NUMBER_DYNAMIC_TYPE, NUMBER_NATIVE_TYPE
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

# The state's types of a config and of a number, per language.
TYPES = {"python": (DYNAMIC_TYPE, NUMBER_DYNAMIC_TYPE), "yaml": (NATIVE_TYPE, NUMBER_NATIVE_TYPE)}


@pytest.fixture(scope="module", params=sorted(TYPES))
def trip(
    request: pytest.FixtureRequest, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[LanguageTrip]:
    emulator.reset()  # the tenant is made again for each language
    yield LanguageTrip(request.param, emulator, e2e_dir, "--numbers-as-resources")


def test_export_declares_every_number_as_a_phone_number(trip: LanguageTrip) -> None:
    trip.export()
    if trip.language == "python":
        program = (trip.out / "__main__.py").read_text()
        assert program.count("PhoneNumber(") == 4 and "phone_numbers=" not in program, program
    else:
        resources = yaml.safe_load((trip.out / "Pulumi.yaml").read_text())["resources"].values()
        assert [r["type"] for r in resources].count(NUMBER_NATIVE_TYPE) == 4
        assert not [r for r in resources if "phoneNumbers" in r["properties"]]


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_and_number(trip: LanguageTrip) -> None:
    config_type, number_type = TYPES[trip.language]
    trip.up_adopts(config_type=config_type, number_type=number_type)


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
