"""`phonecfg export --language yaml` round trip: the exported Pulumi YAML project adopts the tenant, unchanged.

Real parts only: the `phonecfg` console script, the `pulumi` command with the YAML language host (`make cli`),
the native plugin `pulumi-resource-phonecfg` found on PATH, an emulator process. Steps in order on one stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]


@pytest.fixture(scope="module")
def trip(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[LanguageTrip]:
    yield LanguageTrip("yaml", emulator, e2e_dir)


def test_export_writes_a_yaml_project(trip: LanguageTrip) -> None:
    trip.export()
    assert sorted(p.name for p in trip.out.iterdir()) == ["Pulumi.roundtrip.yaml", "Pulumi.yaml"]
    program = yaml.safe_load((trip.out / "Pulumi.yaml").read_text())
    assert program["runtime"] == "yaml"
    assert {r["type"] for r in program["resources"].values()} == {"phonecfg:index:PhoneConfig"}
    assert all(r["properties"]["adoptExisting"] is True for r in program["resources"].values())
    assert sorted(v["fn::invoke"]["arguments"]["name"] for v in program["variables"].values()) == [
        "after-hours",
        "billing",
        "customer-care",
    ]


def test_secrets_set_with_the_listed_commands(trip: LanguageTrip) -> None:
    trip.set_secrets()


def test_up_adopts_every_config_unchanged(trip: LanguageTrip) -> None:
    trip.up_adopts()


def test_preview_expects_no_changes(trip: LanguageTrip) -> None:
    trip.preview_is_clean()


def test_no_secret_in_files_state_or_output(trip: LanguageTrip) -> None:
    trip.nothing_secret_anywhere()
