"""Three stacks change their agent attachments on one Genesys config at the same moment: how many pairs are lost,
and a lost pair is repaired by at most one `pulumi up --refresh` per stack.

The real Pulumi CLI (Automation API, inline programs, local file backend) against an emulator process. Stack A owns
the Genesys config and leaves `attached_environments` out; stacks B, C and D, each in its own workspace, own
different `AgentAttachment`s on it. Each round changes every team's set (attaches and detaches) and runs the three
`up`s at once (threads released by one barrier). The API has no attach endpoint and no conditional write, so each
attach or detach is a GET of the config and a PATCH of its whole list: a stack whose GET comes before another
stack's PATCH lands writes the other's pair away (or puts back a pair the other just detached). The rounds
alternate two latency models (emulator delay rules), which open that window as wide as on a real network: every
request to the config held `LATENCY` seconds before the emulator processes it (network latency), or only each
PATCH held twice that long (a server slow to commit a write, reads fast).

After each round the test records the pairs lost (declared, not attached) and left behind (attached, declared by
nobody); if any, each stack missing a pair runs one `pulumi up --refresh` (one after the other), after which the
config must hold exactly the union. The per-round figures are printed (`-s` shows them); docs/guides/ownership.md has
the measured table. A pair left behind cannot be repaired by a refresh (no stack owns it any more), so it fails
the round.

Steps on one emulator and four stacks (module scope); a failed step fails the later ones.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import AgentAttachment, PhoneConfig
from pulumi_phonecfg.dynamic.resources import ATTACHMENT_TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .concurrent_stacks import StacksAtOnce
from .helpers import changes, get_config, inline_stack, provider_config

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

TEAMS = ("B", "C", "D")
# Each team's attachments: indexes into its own block of agents. Every round changes every team's set.
SCHEDULE: tuple[frozenset[int], ...] = tuple(
    frozenset(s) for s in ({0, 1}, {1, 2, 3}, {3, 4}, {0, 4, 5}, {5}, {1, 2, 5})
)
ROUNDS = len(SCHEDULE)  # the first attaches, the other five attach and detach in every stack
LATENCY = 0.15  # seconds a request to the config waits before the emulator processes it
LATENCY_MODELS: dict[str, dict[str, Any]] = {
    "every request held": {"kind": "delay", "delay": LATENCY},
    "PATCH held": {"method": "PATCH", "kind": "delay", "delay": 2 * LATENCY},
}
CONFIG_PATH = r"/v1/channels/phone/[0-9a-f-]+$"
AGENT_NAMESPACE = uuid.UUID("8d1c0f7e-5a2b-4c3d-9e8f-0a1b2c3d4e5f")
DECLARED: dict[str, frozenset[int]] = {team: frozenset() for team in TEAMS}

Pair = tuple[str, str]


def pair_of(team: str, index: int) -> Pair:
    """(agent_id, environment_id) of the team's `index`th agent: any UUIDs, the emulator does not check agents."""
    agent = uuid.uuid5(AGENT_NAMESPACE, f"{team}-agent-{index}")
    return str(agent), str(uuid.uuid5(agent, "live"))


def declared_pairs(team: str) -> dict[Pair, str]:
    return {pair_of(team, i): f"team {team} agent {i}" for i in DECLARED[team]}


def platform_program() -> None:
    config = PhoneConfig(
        "genesys",
        name="Concurrent teams Genesys",
        service_provider="genesys_audio_connector",
        security={"api_key": "fake-concurrent-api-key", "client_secret": "ZmFrZS1jbGllbnQtc2VjcmV0"},
    )
    pulumi.export("config_id", config.id)


def team_program(team: str) -> Callable[[], None]:
    def program() -> None:
        config_id = pulumi.Config().require("configId")
        for (agent_id, environment_id), label in sorted(declared_pairs(team).items()):
            AgentAttachment(f"{team}-{agent_id[:8]}", config_id, agent_id, environment_id, agent_name=label)

    return program


class ConcurrentTeams(StacksAtOnce):
    def __init__(self, stacks: dict[str, auto.Stack], emulator: RunningEmulator) -> None:
        super().__init__(stacks, TEAMS, ATTACHMENT_TYPE_TOKEN)
        self.emulator = emulator
        self.config_id = ""
        self.report: list[str] = []

    def attached(self) -> dict[Pair, str | None]:
        config = get_config(self.emulator, self.config_id)
        assert config is not None, "the shared Genesys config is gone"
        return {(a["agent_id"], a["environment_id"]): a.get("agent_name") for a in config["attached_environments"]}

    def declared_union(self) -> dict[Pair, str]:
        return {pair: label for team in TEAMS for pair, label in declared_pairs(team).items()}


@pytest.fixture(scope="module")
def emulator(pulumi_command: auto.PulumiCommand) -> Iterator[RunningEmulator]:
    with start_emulator(token="e2e-concurrent-attach-fake-token") as running:
        yield running


@pytest.fixture(scope="module")
def teams(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[ConcurrentTeams]:
    programs: dict[str, Callable[[], None]] = {"A": platform_program, **{t: team_program(t) for t in TEAMS}}
    stacks = {}
    for name, program in programs.items():
        (e2e_dir / name).mkdir()  # one workspace, PULUMI_HOME and file backend per team
        stack = inline_stack(e2e_dir / name, pulumi_command, f"concurrent-attach-{name.lower()}", "dev", program)
        stack.set_all_config(provider_config(emulator))
        stacks[name] = stack
    teams = ConcurrentTeams(stacks, emulator)
    yield teams
    print("\n".join(["", "per round, before the repair:", *teams.report]))
    for name in (*TEAMS, "A"):  # best effort when a step failed half-way
        with contextlib.suppress(auto.CommandError):
            stacks[name].destroy()


def test_platform_stack_creates_the_config_without_attachments(teams: ConcurrentTeams) -> None:
    teams.config_id = teams.stacks["A"].up(**teams.transcripts["A"].kwargs()).outputs["config_id"].value
    for team in TEAMS:
        teams.stacks[team].set_config("configId", auto.ConfigValue(teams.config_id))
    assert teams.attached() == {}


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_three_stacks_change_their_attachments_at_once(teams: ConcurrentTeams, round_: int) -> None:
    before = dict(DECLARED)
    for team in TEAMS:
        DECLARED[team] = SCHEDULE[(round_ + TEAMS.index(team)) % len(SCHEDULE)]
        assert DECLARED[team] != before[team]  # every round changes every stack's set
    attached = sum(len(DECLARED[t] - before[t]) for t in TEAMS)
    detached = sum(len(before[t] - DECLARED[t]) for t in TEAMS)
    model = list(LATENCY_MODELS)[round_ % len(LATENCY_MODELS)]
    teams.emulator.set_faults([{"path": CONFIG_PATH, **LATENCY_MODELS[model]}])
    teams.emulator.clear_requests()
    started = time.monotonic()
    ups = teams.at_once("up")
    teams.emulator.set_faults([])
    seconds = time.monotonic() - started
    requests = Counter(r["method"] for r in teams.emulator.api_requests())
    for team, up in ups.items():
        kinds = changes(up.summary.resource_changes)
        assert kinds.get("create", 0) == len(DECLARED[team] - before[team]) + (round_ == 0), (team, kinds)
        assert kinds.get("delete", 0) == len(before[team] - DECLARED[team]), (team, kinds)
    union = teams.declared_union()
    on_config = teams.attached()
    lost = union.keys() - on_config.keys()
    left_behind = on_config.keys() - union.keys()
    repaired = [team for team in TEAMS if declared_pairs(team).keys() & lost]
    for team in repaired:  # one `up --refresh` per stack that lost a pair, one after the other
        teams.stacks[team].up(refresh=True, **teams.transcripts[team].kwargs())
    line = (
        f"round {round_} ({model}): +{attached} -{detached} pairs in {requests['PATCH']} PATCH and "
        f"{requests['GET']} GET, {len(lost)} lost, {len(left_behind)} left behind, "
        f"repaired by `up --refresh` of {''.join(repaired) or 'none'}; {seconds:.1f} s for the three `up`s, "
        f"all three writing at once for {teams.overlap():.2f} s"
    )
    teams.report.append(line)
    print(line)
    assert teams.attached() == union  # exactly the union after the repair: nothing lost, nothing left behind


def test_every_stack_agrees_with_the_config_without_a_refresh(teams: ConcurrentTeams) -> None:
    teams.emulator.clear_requests()
    previews = teams.at_once("preview", expect_no_changes=True)
    for team, preview in previews.items():
        assert changes(preview.change_summary) == {}, (team, preview.change_summary)
    assert teams.emulator.api_requests() == []


def test_destroying_the_three_at_once_leaves_the_config_without_attachments(teams: ConcurrentTeams) -> None:
    teams.emulator.set_faults([{"path": CONFIG_PATH, **LATENCY_MODELS["every request held"]}])
    teams.at_once("destroy")
    teams.emulator.set_faults([])
    assert teams.attached() == {}
    teams.stacks["A"].destroy(**teams.transcripts["A"].kwargs())
    assert get_config(teams.emulator, teams.config_id) is None
