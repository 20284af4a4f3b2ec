"""Three stacks change their numbers on one trunk at the same moment: nothing is lost, and no refresh is needed.

The real Pulumi CLI (Automation API, inline programs, local file backend) against an emulator process that
form-decodes number paths (a raw `+` reads as a space; the provider's `%2B` reads as `+` either way). Stack A owns
the trunk and declares no numbers; stacks B, C and D, each in its own workspace, own different `PhoneNumber`s on
it. Each round changes every team's set (adds and removes) and runs the three `up`s at once (threads released by
one barrier); afterwards the trunk holds exactly the union of what B, C and D declare, and the requests of the
round are exactly one POST per added number and one DELETE per removed one (printed per round: `-s` shows them).
The numbers endpoints write one number each, so concurrent stacks cannot overwrite each other's numbers.

Steps on one emulator and four stacks (module scope); a failed step fails the later ones.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig, PhoneNumber
from pulumi_phonecfg.dynamic.resources import NUMBER_TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .concurrent_stacks import StacksAtOnce
from .helpers import changes, get_config, inline_stack, provider_config, summarize

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

TEAMS = ("B", "C", "D")
# Each team's numbers: indexes into its own block of 10 (B +1415555021x, C ...022x, D ...023x).
SCHEDULE: tuple[frozenset[int], ...] = tuple(
    frozenset(s) for s in ({0, 1, 2}, {1, 2, 3, 4}, {3, 5}, {0, 3, 5, 6, 7}, {6}, {1, 2, 6, 8})
)
ROUNDS = len(SCHEDULE)  # the first creates, the other five add and remove numbers in every stack
WRITE_HOLD = 0.5
DECLARED: dict[str, frozenset[str]] = {team: frozenset() for team in TEAMS}


def numbers_of(team: str, round_: int) -> frozenset[str]:
    """Team `team`'s numbers in `round_`: the schedule, each team a step apart so the sets differ."""
    block = 21 + TEAMS.index(team)
    return frozenset(f"+14155550{block}{i}" for i in SCHEDULE[(round_ + TEAMS.index(team)) % len(SCHEDULE)])


def team_of(request: dict[str, Any]) -> str:
    """Which team's number a logged POST (body) or DELETE (path) wrote."""
    number = str((request.get("body") or {}).get("phone_number") or request["path"].rsplit("/", 1)[-1])
    return TEAMS[int(number[-3:-1]) - 21]


def platform_program() -> None:
    pulumi.export("trunk_id", PhoneConfig("trunk", name="Concurrent teams trunk", description="no numbers").id)


def team_program(team: str) -> Callable[[], None]:
    def program() -> None:
        trunk_id = pulumi.Config().require("trunkId")
        for number in sorted(DECLARED[team]):
            PhoneNumber(f"n{number[1:]}", config_id=trunk_id, phone_number=number, description=f"team {team}")

    return program


class ConcurrentTeams(StacksAtOnce):
    def __init__(self, stacks: dict[str, auto.Stack], emulator: RunningEmulator) -> None:
        super().__init__(stacks, TEAMS, NUMBER_TYPE_TOKEN)
        self.emulator = emulator
        self.trunk_id = ""
        self.requests_per_round: list[Counter[str]] = []
        self.seconds_per_round: list[float] = []

    def numbers_on_trunk(self) -> dict[str, str | None]:
        trunk = get_config(self.emulator, self.trunk_id)
        assert trunk is not None, "the shared trunk is gone"
        return {n["phone_number"]: n.get("description") for n in trunk["phone_numbers"]}

    def declared_union(self) -> dict[str, str | None]:
        return {number: f"team {team}" for team in TEAMS for number in DECLARED[team]}


@pytest.fixture(scope="module")
def form_decoding_emulator(pulumi_command: auto.PulumiCommand) -> Iterator[RunningEmulator]:
    with start_emulator(token="e2e-concurrent-fake-token", extra_args=["--form-decoded-numbers", "true"]) as running:
        yield running


@pytest.fixture(scope="module")
def teams(
    pulumi_command: auto.PulumiCommand, form_decoding_emulator: RunningEmulator, e2e_dir: Path
) -> Iterator[ConcurrentTeams]:
    programs: dict[str, Callable[[], None]] = {"A": platform_program, **{t: team_program(t) for t in TEAMS}}
    stacks = {}
    for name, program in programs.items():
        (e2e_dir / name).mkdir()  # one workspace, PULUMI_HOME and file backend per team
        stack = inline_stack(e2e_dir / name, pulumi_command, f"concurrent-{name.lower()}", "dev", program)
        stack.set_all_config(provider_config(form_decoding_emulator))
        stacks[name] = stack
    # Each number write is held WRITE_HOLD seconds before the server processes it (asynchronously: others go on),
    # so the three stacks' writes are in flight together rather than one stack's burst after another's.
    form_decoding_emulator.set_faults([{"path": "/numbers", "kind": "delay", "delay": WRITE_HOLD}])
    yield ConcurrentTeams(stacks, form_decoding_emulator)
    for name in (*TEAMS, "A"):  # best effort when a step failed half-way
        with contextlib.suppress(auto.CommandError):
            stacks[name].destroy()


def test_platform_stack_creates_the_trunk_without_numbers(teams: ConcurrentTeams) -> None:
    teams.trunk_id = teams.stacks["A"].up(**teams.transcripts["A"].kwargs()).outputs["trunk_id"].value
    for team in TEAMS:
        teams.stacks[team].set_config("trunkId", auto.ConfigValue(teams.trunk_id))
    assert teams.numbers_on_trunk() == {}


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_three_stacks_change_their_numbers_at_once_and_lose_none(teams: ConcurrentTeams, round_: int) -> None:
    before = dict(DECLARED)
    for team in TEAMS:
        DECLARED[team] = numbers_of(team, round_)
        assert DECLARED[team] != before[team]  # every round changes every stack's set
    added = sum(len(DECLARED[t] - before[t]) for t in TEAMS)
    removed = sum(len(before[t] - DECLARED[t]) for t in TEAMS)
    teams.emulator.clear_requests()
    started = time.monotonic()
    ups = teams.at_once("up")
    teams.seconds_per_round.append(time.monotonic() - started)
    for team, up in ups.items():
        kinds = changes(up.summary.resource_changes)
        assert kinds.get("create", 0) == len(DECLARED[team] - before[team]) + (round_ == 0), (team, kinds)
        assert kinds.get("delete", 0) == len(before[team] - DECLARED[team]), (team, kinds)
    requests = teams.emulator.api_requests()  # before this test's own read of the trunk
    assert teams.numbers_on_trunk() == teams.declared_union()  # exactly the union: nothing lost, nothing left
    counted = Counter(r["method"] for r in requests)
    teams.requests_per_round.append(counted)
    assert counted == Counter({"POST": added, "DELETE": removed}), summarize(requests)  # one write per number
    assert all(r["status"] in (201, 204) for r in requests), summarize(requests)
    writers = [team_of(r) for r in requests]
    switches = sum(a != b for a, b in itertools.pairwise(writers))  # > 2: the teams' writes interleaved
    print(
        f"round {round_}: +{added} -{removed} numbers, requests {dict(counted)}, writers in order "
        f"{''.join(writers)} ({switches} switches), {teams.seconds_per_round[-1]:.1f} s for the three `up`s, "
        f"all three changing numbers at once for {teams.overlap():.2f} s"
    )


def test_every_stack_agrees_with_the_trunk_without_a_refresh(teams: ConcurrentTeams) -> None:
    teams.emulator.clear_requests()
    previews = teams.at_once("preview", expect_no_changes=True)
    for team, preview in previews.items():
        assert changes(preview.change_summary) == {}, (team, preview.change_summary)
    assert teams.emulator.api_requests() == []


def test_destroying_the_three_at_once_leaves_the_trunk_empty(teams: ConcurrentTeams) -> None:
    teams.emulator.clear_requests()
    teams.at_once("destroy")
    requests = teams.emulator.api_requests()
    assert Counter(r["method"] for r in requests) == Counter({"DELETE": sum(len(DECLARED[t]) for t in TEAMS)})
    assert teams.numbers_on_trunk() == {}
    teams.stacks["A"].destroy(**teams.transcripts["A"].kwargs())
    assert get_config(teams.emulator, teams.trunk_id) is None
