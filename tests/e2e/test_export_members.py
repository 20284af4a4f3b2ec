"""`phonecfg export --numbers-as-resources` / `--attachments-as-resources` round trips, in Python and in YAML: each
trunk's numbers as `PhoneNumber`s, each Genesys config's attachments as `AgentAttachment`s.

The tenant of the other round trips (four numbers on two trunks, one routed to an agent the tenant no longer lists;
a Genesys config with two attachments, one labelled, one not) -> `phonecfg export --all <flag>` -> `pulumi up` adopts
every config and every member: no config or number created, none deleted, no pair written (no POST, no write of
`attached_environments`), every config as it was -> `pulumi preview --expect-no-changes` sends nothing.
Real parts only: the `phonecfg` console script, the `pulumi` command (Python language host; YAML language host and
the native plugin on PATH), an emulator process, emptied between the runs. Steps in order, per flag and language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from pulumi_phonecfg.commands.migrate import (
    ATTACHMENT_DYNAMIC_TYPE,
    ATTACHMENT_NATIVE_TYPE,
    DYNAMIC_TYPE,
    NATIVE_TYPE,
    NUMBER_DYNAMIC_TYPE,
    NUMBER_NATIVE_TYPE,
)
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .export_language_trip import LanguageTrip

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

# The state's type of a config, per language.
CONFIG_TYPES = {"python": DYNAMIC_TYPE, "yaml": NATIVE_TYPE}


@dataclass(frozen=True)
class Members:
    """What one flag makes of a config's list: its member resource, per language, and how often the tenant has it."""

    flag: str
    types: dict[str, str]  # language -> the member's type in the state
    python_call: str  # how the Python program declares one
    python_list: str  # the config's list, which the Python program then leaves out
    yaml_list: str  # ... and the YAML program
    count: int


NUMBERS = Members(
    "--numbers-as-resources",
    {"python": NUMBER_DYNAMIC_TYPE, "yaml": NUMBER_NATIVE_TYPE},
    "PhoneNumber(",
    "phone_numbers=",
    "phoneNumbers",
    4,
)
ATTACHMENTS = Members(
    "--attachments-as-resources",
    {"python": ATTACHMENT_DYNAMIC_TYPE, "yaml": ATTACHMENT_NATIVE_TYPE},
    "AgentAttachment(",
    "attached_environments=",
    "attachedEnvironments",
    2,
)
RUNS = [(members, language) for members in (NUMBERS, ATTACHMENTS) for language in sorted(CONFIG_TYPES)]


@pytest.fixture(scope="module", params=RUNS, ids=[f"{m.flag.strip('-')}-{language}" for m, language in RUNS])
def run(
    request: pytest.FixtureRequest, native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[tuple[Members, LanguageTrip]]:
    members, language = request.param
    emulator.reset()  # the tenant is made again for each run
    base = e2e_dir / members.flag.strip("-")  # a project and a backend of its own per flag
    base.mkdir(exist_ok=True)
    yield members, LanguageTrip(language, emulator, base, members.flag)


def test_export_declares_every_member_as_a_resource(run: tuple[Members, LanguageTrip]) -> None:
    members, trip = run
    trip.export()
    if trip.language == "python":
        program = (trip.out / "__main__.py").read_text()
        assert program.count(members.python_call) == members.count and members.python_list not in program, program
    else:
        resources = yaml.safe_load((trip.out / "Pulumi.yaml").read_text())["resources"].values()
        assert [r["type"] for r in resources].count(members.types["yaml"]) == members.count
        assert not [r for r in resources if members.yaml_list in r["properties"]]


def test_secrets_set_with_the_listed_commands(run: tuple[Members, LanguageTrip]) -> None:
    run[1].set_secrets()


def test_up_adopts_every_config_and_member(run: tuple[Members, LanguageTrip]) -> None:
    members, trip = run
    member_type = members.types[trip.language]
    if members is NUMBERS:
        trip.up_adopts(config_type=CONFIG_TYPES[trip.language], number_type=member_type)
    else:
        trip.up_adopts(config_type=CONFIG_TYPES[trip.language], attachment_type=member_type)


def test_preview_expects_no_changes(run: tuple[Members, LanguageTrip]) -> None:
    run[1].preview_is_clean()


def test_no_secret_in_files_state_or_output(run: tuple[Members, LanguageTrip]) -> None:
    run[1].nothing_secret_anywhere()
