"""One SIP trunk shared by three stacks: the real Pulumi CLI (Automation API, inline programs) + the emulator.

Stack A (the platform team) owns the trunk and declares no `phone_numbers`; stacks B and C (two business units)
each own numbers on it through `PhoneNumber`, the trunk's id given to them as stack config. `up`, `refresh` and
`up` of each stack, in several orders, change nothing of the others; a rename is one PATCH; a move to another
trunk deletes the number from the old one first, then adds it; destroying B removes exactly B's numbers. Then one
program declaring a number both inline and as a PhoneNumber fails before any request, even with `up
--skip-preview`.

Steps on one emulator and three stacks (module scope); a failed step fails the later ones.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig, PhoneNumber, get_agent
from pulumi_phonecfg.dynamic.resources import NUMBER_TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PHONE_PATH,
    Transcript,
    changes,
    exported_state,
    get_config,
    inline_stack,
    list_configs,
    provider_config,
    read_tree,
    run_operation,
    scan_for_secrets,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

SIP_PASSWORD = f"e2e-shared-trunk-password-{secrets.token_hex(8)}"
TRUNK_NAME = "Shared contact-centre trunk"

# What each program declares; steps change it between operations.
DESIRED: dict[str, Any] = {
    "trunk_description": "owned by the platform team",
    "c_number": "+14155550191",
    "overflow_trunk": False,
}
B_NUMBERS = ("+14155550180", "+14155550181")


def platform_program() -> None:
    trunk = PhoneConfig(
        "trunk",
        name=TRUNK_NAME,
        description=DESIRED["trunk_description"],
        security={"authentication": True, "username": "platform", "password": SIP_PASSWORD},
        custom_invite_headers=[{"name": "X-Business-Unit"}],
    )  # no phone_numbers: this stack never writes numbers
    pulumi.export("trunk_id", trunk.id)
    if DESIRED["overflow_trunk"]:
        pulumi.export("overflow_id", PhoneConfig("overflow", name="Overflow trunk").id)


def sales_program() -> None:
    trunk_id = pulumi.Config().require("trunkId")
    care = get_agent("customer-care")
    PhoneNumber(
        "sales-main",
        config_id=trunk_id,
        phone_number=B_NUMBERS[0],
        description="sales",
        agent_id=care.agent_id,
        environment_id=care.environment_id,
    )
    PhoneNumber("sales-overflow", config_id=trunk_id, phone_number=B_NUMBERS[1])


def support_program() -> None:
    PhoneNumber("support", config_id=pulumi.Config().require("trunkId"), phone_number=DESIRED["c_number"])


def conflicting_program() -> None:
    trunk = PhoneConfig("trunk", name="Conflicting trunk", phone_numbers=[{"phone_number": "+14155550199"}])
    PhoneNumber("twice", config_id=trunk.id, phone_number="+1 415 555 0199")


class SharedTrunk:
    def __init__(self, stacks: dict[str, auto.Stack], emulator: RunningEmulator, base: Path) -> None:
        self.stacks = stacks
        self.emulator = emulator
        self.base = base
        self.transcript = Transcript()
        self.trunk_id = ""
        self.overflow_id = ""
        self.expected_numbers: dict[str, dict[str, Any]] = {}

    def run(self, stack: str, operation: str, **kwargs: Any) -> Any:
        """`stacks[stack].<operation>()`; the emulator's request log starts empty."""
        return run_operation(self.stacks[stack], self.emulator, self.transcript, operation, **kwargs)

    def phone_requests(self, method: str | None = None) -> list[str]:
        return [f"{r['method']} {r['path']}" for r in self.emulator.api_requests(method)]

    def number_steps(self, op: str) -> list[str]:
        return self.transcript.steps(op, NUMBER_TYPE_TOKEN)

    def trunk(self) -> dict[str, Any]:
        found = get_config(self.emulator, self.trunk_id)
        assert found is not None, "the shared trunk is gone"
        return found

    def numbers(self) -> dict[str, dict[str, Any]]:
        return {n["phone_number"]: {k: v for k, v in n.items() if v is not None} for n in self.trunk()["phone_numbers"]}

    def assert_untouched(self) -> None:
        """The trunk as A declared it, and exactly the numbers B and C own, as they declared them."""
        trunk = self.trunk()
        assert trunk["description"] == DESIRED["trunk_description"]
        assert [h["name"] for h in trunk["custom_invite_headers"]] == ["X-Business-Unit"]
        assert trunk["security"]["password_is_set"] is True
        assert self.numbers() == self.expected_numbers

    def assert_no_change_anywhere(self) -> None:
        """Each stack's preview plans nothing, and calls no phone endpoint."""
        for name in self.stacks:
            if name == "conflict":
                continue
            preview = self.run(name, "preview", expect_no_changes=True)
            assert changes(preview.change_summary) == {}, (name, preview.change_summary)
            assert self.phone_requests() == [], (name, summarize(self.emulator.api_requests()))


@pytest.fixture(scope="module")
def shared(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[SharedTrunk]:
    programs = {"A": platform_program, "B": sales_program, "C": support_program, "conflict": conflicting_program}
    stacks = {}
    for name, program in programs.items():
        # One project (and workspace, file backend) per team, as each team has its own repository.
        (e2e_dir / name).mkdir()
        stack = inline_stack(e2e_dir / name, pulumi_command, f"shared-trunk-{name.lower()}", "dev", program)
        stack.set_all_config(provider_config(emulator))
        stacks[name] = stack
    yield SharedTrunk(stacks, emulator, e2e_dir)
    for name in ("B", "C", "A", "conflict"):  # best effort when a step failed half-way
        with contextlib.suppress(auto.CommandError):
            stacks[name].destroy()


def test_platform_stack_creates_the_trunk_without_numbers(shared: SharedTrunk) -> None:
    up = shared.run("A", "up")
    shared.trunk_id = up.outputs["trunk_id"].value
    assert shared.phone_requests("PATCH") == []  # nothing to write but the trunk itself: no numbers PATCH
    for name in ("B", "C"):
        shared.stacks[name].set_config("trunkId", auto.ConfigValue(shared.trunk_id))
    assert shared.numbers() == {}
    shared.assert_untouched()


def test_each_business_unit_adds_its_numbers_with_one_post_each(shared: SharedTrunk) -> None:
    care = shared.emulator.api().get("/v1/orchestrate/agents", params={"names": "customer-care"}).json()[0]
    live = next(e["id"] for e in care["environments"] if e["name"] == "live")
    numbers = f"{PHONE_PATH}/{shared.trunk_id}/numbers"

    up = shared.run("B", "up")
    assert changes(up.summary.resource_changes) == {"create": 3}  # two numbers + the stack
    assert sorted(shared.phone_requests("POST")) == [f"POST {numbers}", f"POST {numbers}"]
    assert shared.phone_requests("PATCH") == [] and shared.phone_requests("DELETE") == []
    shared.expected_numbers = {
        B_NUMBERS[0]: {
            "phone_number": B_NUMBERS[0],
            "description": "sales",
            "agent_id": care["id"],
            "environment_id": live,
        },
        B_NUMBERS[1]: {"phone_number": B_NUMBERS[1]},
    }
    shared.assert_untouched()

    shared.run("C", "up")
    assert shared.phone_requests() == [f"POST {numbers}"]  # a PhoneNumber's create is its one POST
    shared.expected_numbers[DESIRED["c_number"]] = {"phone_number": DESIRED["c_number"]}
    shared.assert_untouched()


@pytest.mark.parametrize(
    "order",
    [
        ["A:refresh", "A:up", "B:refresh", "B:up", "C:refresh", "C:up"],
        ["C:refresh", "B:refresh", "A:refresh", "C:up", "A:up", "B:up"],
        ["B:up", "A:refresh", "C:refresh", "A:up", "C:up", "B:refresh"],
    ],
)
def test_up_and_refresh_in_any_order_change_nothing_of_the_others(shared: SharedTrunk, order: list[str]) -> None:
    for step in order:
        stack, operation = step.split(":")
        # A refresh of A may show the numbers others added as A's outputs (never as a change of its inputs);
        # B's and C's refreshes and every `up` must find nothing to do.
        strict = operation == "up" or stack != "A"
        shared.run(stack, operation, **({"expect_no_changes": True} if strict else {}))
        writes = [r for r in shared.emulator.api_requests() if r["method"] != "GET"]
        assert writes == [], (step, summarize(writes))
        shared.assert_untouched()
    shared.assert_no_change_anywhere()


def test_a_changed_trunk_description_leaves_every_number(shared: SharedTrunk) -> None:
    DESIRED["trunk_description"] = "owned by the platform team, v2"
    shared.run("A", "refresh")  # A's state now shows B's and C's numbers as outputs...
    shared.run("A", "up")  # ...and its update still writes only what A declares
    (patch,) = shared.emulator.api_requests("PATCH")
    assert set(patch["body"]) == {"description"}, patch["body"]
    shared.assert_untouched()
    shared.assert_no_change_anywhere()


def test_a_rename_is_one_patch_of_the_number(shared: SharedTrunk) -> None:
    old, DESIRED["c_number"] = DESIRED["c_number"], "+14155550192"
    up = shared.run("C", "up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    assert shared.number_steps("update") == ["support"] and shared.number_steps("replace") == []
    assert shared.phone_requests() == [f"PATCH {PHONE_PATH}/{shared.trunk_id}/numbers/{old.replace('+', '%2B')}"]
    assert shared.emulator.api_requests()[0]["body"] == {"phone_number": "+14155550192"}
    del shared.expected_numbers[old]
    shared.expected_numbers["+14155550192"] = {"phone_number": "+14155550192"}
    shared.assert_untouched()
    shared.assert_no_change_anywhere()


def test_moving_a_number_to_another_trunk_deletes_it_first_then_adds_it(shared: SharedTrunk) -> None:
    DESIRED["overflow_trunk"] = True
    up = shared.run("A", "up")
    shared.overflow_id = up.outputs["overflow_id"].value
    assert [r for r in shared.emulator.api_requests() if r["method"] in ("PATCH", "DELETE")] == []
    shared.stacks["C"].set_config("trunkId", auto.ConfigValue(shared.overflow_id))
    up = shared.run("C", "up")
    assert changes(up.summary.resource_changes) == {"replace": 1}
    assert shared.phone_requests() == [
        f"DELETE {PHONE_PATH}/{shared.trunk_id}/numbers/%2B14155550192",  # the API holds a number on one config
        f"POST {PHONE_PATH}/{shared.overflow_id}/numbers",
    ]
    del shared.expected_numbers["+14155550192"]
    shared.assert_untouched()
    overflow = get_config(shared.emulator, shared.overflow_id)
    assert overflow is not None and [n["phone_number"] for n in overflow["phone_numbers"]] == ["+14155550192"]
    shared.assert_no_change_anywhere()


def test_destroying_b_removes_exactly_bs_numbers(shared: SharedTrunk) -> None:
    shared.run("B", "destroy")
    numbers = f"{PHONE_PATH}/{shared.trunk_id}/numbers"
    assert sorted(shared.phone_requests()) == [f"DELETE {numbers}/{n.replace('+', '%2B')}" for n in B_NUMBERS]
    for number in B_NUMBERS:
        del shared.expected_numbers[number]
    shared.assert_untouched()
    overflow = get_config(shared.emulator, shared.overflow_id)
    assert overflow is not None and [n["phone_number"] for n in overflow["phone_numbers"]] == ["+14155550192"]
    for name in ("A", "C"):
        preview = shared.run(name, "preview", expect_no_changes=True)
        assert changes(preview.change_summary) == {}


def test_no_credential_in_any_state_or_output(shared: SharedTrunk) -> None:
    haystacks = {f"state of {name}": exported_state(stack) for name, stack in shared.stacks.items()}
    haystacks["backend files"] = read_tree(shared.base)
    haystacks["engine output/events"] = shared.transcript.text()
    found = scan_for_secrets({"SIP password": SIP_PASSWORD, "emulator token": shared.emulator.token}, haystacks)
    assert not found, found


def test_a_number_declared_inline_and_as_a_phone_number_fails_before_any_request(shared: SharedTrunk) -> None:
    configs_before = list_configs(shared.emulator)
    for operation in ("preview", "up"):  # `up` of the Automation API runs with --skip-preview
        with pytest.raises(auto.CommandError) as failed:
            shared.run("conflict", operation)
        assert "PhoneNumber 'twice': +14155550199 is also in phone_numbers of PhoneConfig 'trunk'" in str(failed.value)
        assert shared.emulator.api_requests() == [], summarize(shared.emulator.api_requests())
    assert list_configs(shared.emulator) == configs_before


def test_destroying_c_then_a_leaves_nothing(shared: SharedTrunk) -> None:
    shared.run("C", "destroy")
    assert shared.phone_requests() == [f"DELETE {PHONE_PATH}/{shared.overflow_id}/numbers/%2B14155550192"]
    shared.run("A", "destroy")
    deleted = [f"DELETE {PHONE_PATH}/{config_id}" for config_id in (shared.trunk_id, shared.overflow_id)]
    assert sorted(shared.phone_requests()) == sorted(deleted)
    assert list_configs(shared.emulator) == []
