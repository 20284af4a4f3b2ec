"""The dynamic `AgentAttachment` as a program sees it (set_mocks): its type token and inputs, and the in-program
ownership rule (an attachment declared inline and as a resource, any AgentAttachment on a config that declares
`attached_environments`, one on a SIP trunk: refused before anything is registered)."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import dill
import pulumi
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_phonecfg import AgentAttachment, AgentAttachmentProvider, AttachmentOwnershipError, PhoneConfig
from pulumi_phonecfg.dynamic.resources import ATTACHMENT_TYPE_TOKEN

AGENT = "6F1C1D4E-0000-4000-8000-000000000001"
ENV = "6f1c1d4e-0000-4000-8000-000000000002"
GENESYS_SECURITY = {"api_key": "fake-api-key-attachment-unit", "client_secret": "ZmFrZQ=="}


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"{args.name}-id", {k: v for k, v in args.inputs.items() if k != "__provider"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def _wait(output: pulumi.Output[Any]) -> Any:
    """Runs the event loop until `output` resolves (what the SDK does once the program body returns)."""
    return asyncio.get_event_loop().run_until_complete(output.future())


def genesys(**extra: Any) -> PhoneConfig:
    return PhoneConfig(
        "contact-centre",
        name="Contact centre",
        service_provider="genesys_audio_connector",
        security=GENESYS_SECURITY,
        **extra,
    )


def test_an_attachment_on_a_config_of_the_same_program() -> None:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    config = genesys()  # no attached_environments: the attachments are the AgentAttachments'
    attachment = AgentAttachment("billing", config.id, AGENT, ENV, agent_name="billing")
    assert _wait(attachment.config_id) == "contact-centre-id"
    args = next(a for a in mocks.created if a.name == "billing")
    assert args.typ == ATTACHMENT_TYPE_TOKEN == "pulumi-python:dynamic/phonecfg:AgentAttachment"
    assert {k: v for k, v in args.inputs.items() if k != "__provider"} == {
        "config_id": "contact-centre-id",
        "agent_id": AGENT,
        "environment_id": ENV,
        "agent_name": "billing",
    }
    config_args = next(a for a in mocks.created if a.name == "contact-centre")
    assert "attached_environments" not in config_args.inputs  # left out: never written


def test_an_attachment_declared_inline_and_as_a_resource_is_refused_before_any_registration() -> None:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    config = genesys(attached_environments=[{"agent_id": AGENT.lower(), "environment_id": ENV}])
    with pytest.raises(AttachmentOwnershipError) as refused:
        AgentAttachment("dup", config.id, AGENT, ENV)
    message = str(refused.value)
    assert "'dup'" in message and AGENT.lower() in message and "'contact-centre'" in message
    assert "also in attached_environments" in message
    with pytest.raises(AttachmentOwnershipError, match="also in attached_environments"):
        _wait(config.name)  # the config's registration fails at its gate: it never reaches the engine
    assert mocks.created == []


def test_any_attachment_on_a_config_that_declares_its_list_is_refused() -> None:
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    for declared in ([], [{"agent_id": "11111111-2222-4333-8444-555555555555", "environment_id": ENV}]):
        config = genesys(attached_environments=declared)
        with pytest.raises(AttachmentOwnershipError, match="declares attached_environments, so it owns"):
            AgentAttachment("other", config.id, AGENT, ENV)


def test_an_attachment_on_a_sip_trunk_of_the_program_is_refused() -> None:
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    trunk = PhoneConfig("trunk", name="Trunk")
    with pytest.raises(AttachmentOwnershipError, match="only genesys_audio_connector configs have agent attachments"):
        AgentAttachment("a", trunk.id, AGENT, ENV)


def test_the_pickled_attachment_provider_is_tiny_and_by_reference() -> None:
    pickled = serialize_provider(AgentAttachmentProvider())
    assert len(pickled) <= 256
    raw = base64.b64decode(pickled)
    assert b"pulumi_phonecfg.provider" in raw and b"AgentAttachmentProvider" in raw and b"httpx" not in raw
    assert isinstance(dill.loads(raw), AgentAttachmentProvider)
