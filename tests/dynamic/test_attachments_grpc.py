"""AgentAttachment through the real pulumi.dynamic gRPC server against the emulator: the exact requests of each
call, and that no other pair of the config is ever dropped or added.

The Genesys config is made out of band (another stack's, as far as this provider knows).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from pulumi_phonecfg import AgentAttachmentProvider
from pulumi_phonecfg.core.schema.integration import connector_id
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import ATTACHMENT_URN, DynamicProviderServer, dynamic_provider_server, emulator_config

PHONES = "/v1/channels/phone"
AGENT = "6f1c1d4e-0000-4000-8000-000000000001"
ENV = "6f1c1d4e-0000-4000-8000-000000000002"
OTHER_AGENT = "11111111-2222-4333-8444-555555555555"
OTHER_ENV = "66666666-7777-4888-8999-000000000000"
PLATFORM_PAIR = {"agent_id": OTHER_AGENT, "environment_id": OTHER_ENV, "agent_name": "care", "environment_name": "live"}
GENESYS_SECURITY = {"api_key": "fake-genesys-api-key-attach-grpc", "client_secret": "ZmFrZS1zZWNyZXQ="}


@pytest.fixture
def attachments(phone_api: RunningEmulator) -> Iterator[DynamicProviderServer]:
    with dynamic_provider_server(provider=AgentAttachmentProvider(), urn=ATTACHMENT_URN) as server:
        server.configure(emulator_config(phone_api))
        yield server


def make_config(phone_api: RunningEmulator, *attached: dict[str, Any], kind: str = "genesys_audio_connector") -> str:
    api = phone_api.api()
    security = GENESYS_SECURITY if kind == "genesys_audio_connector" else {}
    created = api.post(PHONES, json={"name": "Contact centre", "service_provider": kind, "security": security})
    created.raise_for_status()
    config_id = str(created.json()["id"])
    if attached:
        api.patch(f"{PHONES}/{config_id}", json={"attached_environments": list(attached)}).raise_for_status()
    phone_api.clear_requests()
    return config_id


def stored(phone_api: RunningEmulator, config_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    items = phone_api.api().get(f"{PHONES}/{config_id}").json()["attached_environments"]
    return {(i["agent_id"], i["environment_id"]): {k: v for k, v in i.items() if v is not None} for i in items}


def sent(phone_api: RunningEmulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in phone_api.api_requests()]


def last_line(error: grpc.RpcError) -> str:
    return str(error.details()).strip().splitlines()[-1]


def test_attach_refresh_relabel_detach_each_writes_only_its_pair(
    attachments: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    news = {"config_id": config_id, "agent_id": AGENT.upper(), "environment_id": ENV, "agent_name": "billing"}
    config_path = f"{PHONES}/{config_id}"
    # Every write: the GET it is made from, the PATCH, and the GET verifying no other writer undid it.
    one_write = [f"GET {config_path}", f"PATCH {config_path}", f"GET {config_path}"]

    created = attachments.create(news, name="billing")
    assert created.id == f"{config_id}/{AGENT}/{ENV}"
    assert sent(phone_api) == one_write
    (patch,) = phone_api.api_requests("PATCH")
    assert patch["query"] == {"append": "false"}
    assert patch["body"] == {
        "attached_environments": [PLATFORM_PAIR, {"agent_id": AGENT, "environment_id": ENV, "agent_name": "billing"}]
    }
    outputs = {k: v for k, v in created.outputs.items() if k != "__provider"}
    assert outputs["connector_id"] == connector_id(AGENT, ENV, config_id)
    assert outputs["audio_connect_uri"].endswith("/") and "/tenants/" in outputs["audio_connect_uri"]
    assert {k: outputs[k] for k in news} == {**news, "agent_id": AGENT}

    # Unchanged (spelled differently): no change, no request.
    phone_api.clear_requests()
    diff = attachments.diff(created.id, created.outputs, attachments.checked(news, "billing"), name="billing")
    assert diff.changes == diff.DIFF_NONE and sent(phone_api) == []

    # Refresh: one GET.
    read_id, read = attachments.read(created.id, created.outputs, name="billing")
    assert read_id == created.id and read["connector_id"] == outputs["connector_id"]
    assert sent(phone_api) == [f"GET {config_path}"]

    # A label: an update in place, GET + PATCH + GET; the platform's pair keeps its labels.
    phone_api.clear_requests()
    relabelled = attachments.checked({**news, "environment_name": "live"}, "billing")
    diff = attachments.diff(created.id, read, relabelled, name="billing")
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    updated = attachments.update(created.id, read, relabelled, name="billing")
    assert updated["environment_name"] == "live"
    assert sent(phone_api) == one_write
    assert stored(phone_api, config_id) == {
        (OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR,
        (AGENT, ENV): {"agent_id": AGENT, "environment_id": ENV, "agent_name": "billing", "environment_name": "live"},
    }

    # Another agent or environment: a replace, detached first.
    moved = attachments.diff(created.id, updated, {**relabelled, "environment_id": OTHER_ENV}, name="billing")
    assert list(moved.replaces) == ["environment_id"] and moved.deleteBeforeReplace

    # Detach: GET + PATCH of the list without the pair + GET; again: one GET, no write.
    phone_api.clear_requests()
    attachments.delete(created.id, updated, name="billing")
    assert sent(phone_api) == one_write
    assert stored(phone_api, config_id) == {(OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR}
    phone_api.clear_requests()
    attachments.delete(created.id, updated, name="billing")
    assert sent(phone_api) == [f"GET {config_path}"]

    # Gone out of band: refresh drops it from the state (the next up attaches it again).
    assert attachments.read(created.id, updated, name="billing")[0] == ""


def test_a_pair_already_there_with_the_same_labels_is_adopted_with_no_write(
    attachments: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    created = attachments.create({"config_id": config_id, **PLATFORM_PAIR}, name="care")
    assert created.id == f"{config_id}/{OTHER_AGENT}/{OTHER_ENV}"
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]
    assert stored(phone_api, config_id) == {(OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR}


def test_a_sip_trunk_or_a_missing_config_fails_in_one_line_with_no_write(
    attachments: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    trunk = make_config(phone_api, kind="sip_trunk")
    with pytest.raises(grpc.RpcError) as on_trunk:
        attachments.create({"config_id": trunk, "agent_id": AGENT, "environment_id": ENV}, name="a")
    assert last_line(on_trunk.value) == (
        f"pulumi_phonecfg.errors.ConfigConflictError: attach agent {AGENT} environment {ENV} to phone config {trunk} "
        f"failed: phone config 'Contact centre' ({trunk}) is a sip_trunk config; only genesys_audio_connector configs "
        "have agent attachments"
    )
    missing = "0b7c5a52-6a8e-4c36-9d1f-2f5a3e9b7c10"
    with pytest.raises(grpc.RpcError) as gone:
        attachments.create({"config_id": missing, "agent_id": AGENT, "environment_id": ENV}, name="a")
    assert last_line(gone.value).endswith(f"HTTP 404: there is no phone config {missing}")
    assert [r["method"] for r in phone_api.api_requests()] == ["GET", "GET"]


def test_bad_inputs_fail_check_naming_the_field_before_any_request(
    attachments: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    response = attachments.check({"config_id": "contact-centre", "agent_id": "billing", "environment_id": ENV})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"config_id", "agent_id"}
    assert "phone config id (a UUID)" in failures["config_id"]
    assert phone_api.api_requests() == []


def test_a_read_by_id_alone_is_checked_then_reads_the_pair(
    attachments: DynamicProviderServer, phone_api: RunningEmulator
) -> None:
    """What an import would send (the engine cannot import a dynamic resource, pulumi#16175: the native plugin
    can): the id and no properties but the provider."""
    config_id = make_config(phone_api, PLATFORM_PAIR)
    only_provider = {"__provider": attachments.provider}
    with pytest.raises(grpc.RpcError) as refused:
        attachments.read(f"{config_id}/{OTHER_AGENT}", only_provider, name="care")
    assert "is not an agent attachment id" in last_line(refused.value)
    assert phone_api.api_requests() == []
    read_id, read = attachments.read(f"{config_id}/{OTHER_AGENT}/{OTHER_ENV}", only_provider, name="care")
    assert read_id == f"{config_id}/{OTHER_AGENT}/{OTHER_ENV}"
    assert {k: read[k] for k in PLATFORM_PAIR} == PLATFORM_PAIR and read["config_id"] == config_id
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]
