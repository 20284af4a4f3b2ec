"""Agents by name, adoption and integration outputs through the real engine, across two tenants.

One inline program, two stacks in one test process (as the Automation API runs them): `dev` against one emulator,
`prod` against another started with a different instance id, so the same agent names have different UUIDs.
`prod` already holds a SIP trunk made "in the console" that the program adopts. The tests are consecutive steps.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig, get_agent, get_agent_output
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

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
    state_resources,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

PROJECT = "phonecfg-promo-core"
SIP_PASSWORD = f"fake-promo-sip-password-{secrets.token_hex(8)}"
GENESYS_API_KEY = f"fake-promo-genesys-api-key-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET_RAW = f"fake-promo-client-secret-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET = base64.b64encode(GENESYS_CLIENT_SECRET_RAW.encode()).decode()
SIP_NAME, TAKEN_NAME = "Promo SIP trunk", "Promo taken"
NUMBERS = ["+14155550140", "+14155550141"]

# What the program declares; steps change it.
DESIRED: dict[str, Any] = {"agent": "customer-care", "environment": "live", "output_agent": "billing", "taken": False}


def program() -> None:
    care = get_agent(DESIRED["agent"], environment=DESIRED["environment"])
    billing = get_agent_output(pulumi.Output.from_input(DESIRED["output_agent"]), "draft")
    sip = PhoneConfig(
        "sip",
        name=SIP_NAME,
        description="declared in code",
        security={"authentication": True, "username": "promo", "password": SIP_PASSWORD},
        phone_numbers=[
            {"phone_number": NUMBERS[0], "agent_id": care.agent_id, "environment_id": care.environment_id},
            {"phone_number": NUMBERS[1], "description": "overflow"},
        ],
        adopt_existing=True,  # takes over the console-made trunk where one exists
    )
    genesys = PhoneConfig(
        "genesys",
        name="Promo Genesys",
        service_provider="genesys_audio_connector",
        security={"api_key": GENESYS_API_KEY, "client_secret": GENESYS_CLIENT_SECRET},
        attached_environments=[
            {"agent_id": care.agent_id, "environment_id": care.environment_id},
            {
                "agent_id": billing.apply(lambda found: found.agent_id),
                "environment_id": billing.apply(lambda found: found.environment_id),
            },
        ],
    )
    if DESIRED["taken"]:
        PhoneConfig("taken", name=TAKEN_NAME, description="declared in code")
    pulumi.export("care_agent_id", care.agent_id)
    pulumi.export("care_environment_id", care.environment_id)
    pulumi.export("billing_draft_id", billing.apply(lambda found: found.environment_id))
    pulumi.export("sip_id", sip.id)
    pulumi.export("tenant_id", sip.tenant_id)
    pulumi.export("sip_uri", sip.sip_uri)
    pulumi.export("genesys_id", genesys.id)
    pulumi.export("audio_connect_uri", genesys.audio_connect_uri)
    pulumi.export("connectors", genesys.connectors)


@dataclass
class Tenant:
    stack: auto.Stack
    emulator: RunningEmulator
    transcript: Transcript = field(default_factory=Transcript)

    def run(self, operation: str, **kwargs: Any) -> Any:
        return run_operation(self.stack, self.emulator, self.transcript, operation, **kwargs)

    def fail(self, operation: str, **kwargs: Any) -> str:
        """Run an operation that must fail; return everything it printed."""
        self.transcript.lines.clear()
        with pytest.raises(auto.CommandError):
            self.run(operation, **kwargs)
        return "\n".join(self.transcript.lines)

    def agents(self) -> dict[str, dict[str, Any]]:
        listing = self.emulator.api().get("/v1/orchestrate/agents").json()
        return {agent["name"]: agent for agent in listing}

    def environment_id(self, agent: str, environment: str) -> str:
        found = self.agents()[agent]
        return str(next(env["id"] for env in found["environments"] if env["name"] == environment))

    def writes(self) -> list[str]:
        return summarize([r for r in self.emulator.api_requests() if r["method"] != "GET"])

    def outputs(self) -> dict[str, Any]:
        return {key: value.value for key, value in self.stack.outputs().items()}


@dataclass
class Tenants:
    dev: Tenant
    prod: Tenant
    console_sip_id: str
    base: Path


def console_config(emulator: RunningEmulator, body: dict[str, Any]) -> str:
    response = emulator.api().post(PHONE_PATH, json={"security": {}, **body})
    response.raise_for_status()
    return str(response.json()["id"])


@pytest.fixture(scope="module")
def tenants(pulumi_command: auto.PulumiCommand, e2e_dir: Path) -> Iterator[Tenants]:
    with (
        start_emulator(
            token=f"e2e-dev-token-{secrets.token_hex(8)}", extra_args=["--instance-id", str(uuid.uuid4())]
        ) as dev_api,
        start_emulator(
            token=f"e2e-prod-token-{secrets.token_hex(8)}", extra_args=["--instance-id", str(uuid.uuid4())]
        ) as prod_api,
    ):
        # Made in prod's console before Pulumi manages it: other numbers, another description.
        console_sip = console_config(prod_api, {"name": SIP_NAME, "description": "made in the console"})
        prod_api.api().patch(
            f"{PHONE_PATH}/{console_sip}", json={"phone_numbers": [{"phone_number": "+14155550149"}]}
        ).raise_for_status()
        made: dict[str, Tenant] = {}
        for name, api in (("dev", dev_api), ("prod", prod_api)):
            stack = inline_stack(e2e_dir, pulumi_command, PROJECT, name, program)
            stack.set_all_config(provider_config(api, api.instance_url))
            made[name] = Tenant(stack, api)
        yield Tenants(made["dev"], made["prod"], console_sip, e2e_dir)
        for tenant in made.values():
            try:
                if state_resources(tenant.stack):
                    tenant.stack.destroy()
            except auto.CommandError:
                pass


def test_dev_up_looks_agents_up_in_its_own_tenant(tenants: Tenants) -> None:
    dev = tenants.dev
    up = dev.run("up")
    assert changes(up.summary.resource_changes) == {"create": 3}
    outputs = dev.outputs()
    assert outputs["care_agent_id"] == dev.agents()["customer-care"]["id"]
    assert outputs["care_environment_id"] == dev.environment_id("customer-care", "live")
    assert outputs["billing_draft_id"] == dev.environment_id("billing", "draft")
    posts = [r for r in dev.emulator.api_requests() if r["method"] == "POST"]
    assert len(posts) == 2, summarize(dev.emulator.api_requests())


def test_prod_up_gets_other_ids_and_adopts_the_console_config(tenants: Tenants) -> None:
    prod, dev = tenants.prod, tenants.dev
    up = prod.run("up")
    assert changes(up.summary.resource_changes) == {"create": 3}
    outputs, dev_outputs = prod.outputs(), dev.outputs()
    # Same names, same process, other tenant: other UUIDs, each the tenant's own.
    assert outputs["care_agent_id"] == prod.agents()["customer-care"]["id"] != dev_outputs["care_agent_id"]
    assert outputs["billing_draft_id"] == prod.environment_id("billing", "draft") != dev_outputs["billing_draft_id"]

    # Adopted: the console's id, no POST for it, its fields and numbers brought to the declared state.
    assert outputs["sip_id"] == tenants.console_sip_id
    posts = [r["body"]["name"] for r in prod.emulator.api_requests() if r["method"] == "POST"]
    assert posts == ["Promo Genesys"], summarize(prod.emulator.api_requests())
    adopted = get_config(prod.emulator, tenants.console_sip_id)
    assert adopted is not None and adopted["description"] == "declared in code"
    routed = {(n["phone_number"], n.get("agent_id")) for n in adopted["phone_numbers"]}
    assert routed == {(NUMBERS[0], outputs["care_agent_id"]), (NUMBERS[1], None)}
    assert adopted["security"]["password_is_set"] is True
    assert sorted(c["name"] for c in list_configs(prod.emulator)) == ["Promo Genesys", SIP_NAME]

    for tenant in (dev, prod):
        tenant.run("preview", expect_no_changes=True)
        assert tenant.emulator.api_requests() == [], summarize(tenant.emulator.api_requests())


def test_integration_outputs_are_stack_outputs(tenants: Tenants) -> None:
    for tenant in (tenants.dev, tenants.prod):
        outputs = tenant.outputs()
        tenant_id = outputs["tenant_id"]
        assert outputs["sip_uri"] == f"sips:127.0.0.1?x-tenant-id={tenant_id}"
        assert outputs["audio_connect_uri"] == f"ws://127.0.0.1:{tenant.emulator.port}/tenants/{tenant_id}/"
        genesys = outputs["genesys_id"]
        expected = {
            (agent, env, f"agents/{agent}/environments/{env}/channels/genesys_audio_connector/{genesys}/connect")
            for agent, env in (
                (outputs["care_agent_id"], outputs["care_environment_id"]),
                (tenant.agents()["billing"]["id"], outputs["billing_draft_id"]),
            )
        }
        assert {(c["agent_id"], c["environment_id"], c["connector_id"]) for c in outputs["connectors"]} == expected
    assert tenants.dev.outputs()["tenant_id"] != tenants.prod.outputs()["tenant_id"]


def test_a_taken_name_is_refused_and_nothing_is_written(tenants: Tenants) -> None:
    dev = tenants.dev
    taken = console_config(dev.emulator, {"name": TAKEN_NAME})
    DESIRED["taken"] = True
    printed = dev.fail("up")
    assert f"a sip_trunk config named '{TAKEN_NAME}' already exists ({taken})" in printed
    assert "set adopt_existing=True on the PhoneConfig" in printed
    assert dev.writes() == []
    assert "taken" not in state_resources(dev.stack)
    assert [c["id"] for c in list_configs(dev.emulator) if c["name"] == TAKEN_NAME] == [taken]

    # The stack-wide way out, without touching the program.
    dev.stack.set_config("phonecfg:adoptExisting", auto.ConfigValue("true"))
    up = dev.run("up")
    assert changes(up.summary.resource_changes) == {"create": 1}
    assert state_resources(dev.stack)["taken"]["id"] == taken
    assert dev.writes() == [f"PATCH {PHONE_PATH}/{taken} -> 200"]
    dev.stack.remove_config("phonecfg:adoptExisting")
    DESIRED["taken"] = False
    destroy_taken = dev.run("up")
    assert changes(destroy_taken.summary.resource_changes) == {"delete": 1}


@pytest.mark.parametrize(
    ("desired", "line"),
    [
        (
            {"agent": "customer-cair"},
            "get_agent: no agent named 'customer-cair' in the tenant at {url}; "
            "agents there: after-hours, billing, customer-care",
        ),
        (
            {"agent": "after-hours", "environment": "live"},
            "get_agent: agent 'after-hours' has no 'live' environment "
            "(an agent gets its live environment when it is deployed); its environments: draft",
        ),
        (
            {"output_agent": "billingg"},
            "get_agent: no agent named 'billingg' in the tenant at {url}; "
            "agents there: after-hours, billing, customer-care",
        ),
    ],
)
def test_an_unknown_agent_or_environment_is_one_line_before_anything_is_written(
    tenants: Tenants, desired: dict[str, str], line: str
) -> None:
    dev = tenants.dev
    saved = dict(DESIRED)
    DESIRED.update(desired)
    try:
        for operation in ("preview", "up"):
            printed = dev.fail(operation)
            assert line.format(url=dev.emulator.instance_url) in printed, printed
            assert "Traceback" not in printed and 'File "' not in printed, printed
            assert dev.writes() == []
    finally:
        DESIRED.clear()
        DESIRED.update(saved)


def test_replacing_an_adopting_config_of_the_same_name_works(tenants: Tenants) -> None:
    # `up --replace` of a resource with adopt_existing=True: the old config goes first (delete_before_replace),
    # so the create neither refuses its name nor adopts the very config the engine then deletes.
    dev = tenants.dev
    old = dev.outputs()["sip_id"]
    urn = state_resources(dev.stack)["sip"]["urn"]
    up = dev.run("up", replace=[urn])
    assert changes(up.summary.resource_changes) == {"replace": 1}
    new = dev.outputs()["sip_id"]
    assert new != old and get_config(dev.emulator, old) is None
    assert [c["id"] for c in list_configs(dev.emulator) if c["name"] == SIP_NAME] == [new]
    dev.run("preview", expect_no_changes=True)


def test_no_secret_in_state_outputs_or_output_and_destroy(tenants: Tenants) -> None:
    secrets_used = {
        "SIP password": SIP_PASSWORD,
        "Genesys api_key": GENESYS_API_KEY,
        "Genesys client_secret": GENESYS_CLIENT_SECRET,
        "Genesys client_secret (decoded)": GENESYS_CLIENT_SECRET_RAW,
        "dev token": tenants.dev.emulator.token,
        "prod token": tenants.prod.emulator.token,
    }
    haystacks = {"backend files": read_tree(tenants.base / "state")}
    for name, tenant in (("dev", tenants.dev), ("prod", tenants.prod)):
        haystacks[f"{name} exported state"] = exported_state(tenant.stack)
        haystacks[f"{name} stack outputs"] = repr(tenant.outputs())
        haystacks[f"{name} engine output/events"] = tenant.transcript.text()
    found = scan_for_secrets(secrets_used, haystacks)
    assert not found, f"plaintext credentials leaked: {found}"

    for tenant in (tenants.dev, tenants.prod):
        destroy = tenant.run("destroy")
        assert changes(destroy.summary.resource_changes) == {"delete": 3}
        assert list_configs(tenant.emulator) == []
