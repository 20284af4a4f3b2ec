"""The native `phonecfg:index:AgentAttachment`: the plugin as a subprocess spoken to over gRPC, against the emulator.

The lifecycle is the dynamic AgentAttachment's (`core/lifecycle/agent_attachment.py`), so the request sequences
are the same; asserted here is the native side: the schema, camelCase names (failures included, with no request
sent), the detailed diff (a label is an update, a new configId/agentId/environmentId a replacement, deleting
first), the preview's planned outputs, and Read with the id only: the inputs `pulumi import` records, which the next
`up` agrees with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from grpc_plugin import UNKNOWN, plain
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.core.schema.integration import connector_id
from pulumi_phonecfg.emulator.testing import RunningEmulator
from tests.dynamic.test_attachments_grpc import (
    AGENT,
    ENV,
    OTHER_AGENT,
    OTHER_ENV,
    PHONES,
    PLATFORM_PAIR,
    make_config,
    sent,
    stored,
)

from .harness import ATTACHMENT_TYPE, NativePlugin, native_config, native_plugin

PropertyDiff = provider_pb2.PropertyDiff


@pytest.fixture
def attachments(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running.of_type(ATTACHMENT_TYPE)


def detailed(response: Any) -> dict[str, str]:
    return {path: PropertyDiff.Kind.Name(diff.kind) for path, diff in response.detailedDiff.items()}


def one_line(error: grpc.RpcError) -> str:
    details = str(error.details())
    assert "\n" not in details and "Traceback" not in details, details
    return details


def test_the_schema_serves_agent_attachment(attachments: NativePlugin) -> None:
    spec = json.loads(attachments.stub.GetSchema(provider_pb2.GetSchemaRequest()).schema)
    resource = spec["resources"][ATTACHMENT_TYPE]
    inputs = resource["inputProperties"]
    assert sorted(inputs) == ["agentId", "agentName", "configId", "environmentId", "environmentName"]
    assert resource["requiredInputs"] == ["agentId", "configId", "environmentId"]
    replacing = sorted(name for name, spec in inputs.items() if spec.get("willReplaceOnChanges"))
    assert replacing == ["agentId", "configId", "environmentId"]  # a label is an update in place
    assert {"connectorId", "audioConnectUri"} <= set(resource["properties"])


def test_check_names_fields_in_camel_case_before_any_request(
    attachments: NativePlugin, phone_api: RunningEmulator
) -> None:
    response = attachments.check({"configId": "contact-centre", "agentId": "billing"})
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"configId", "agentId", "environmentId"}, failures
    assert failures["environmentId"] == "is required"
    snake = attachments.check({"configId": PLATFORM_PAIR["agent_id"], "agent_id": AGENT, "environmentId": ENV})
    assert "did you mean 'agentId'" in {f.property: f.reason for f in snake.failures}["agent_id"]
    assert phone_api.api_requests() == []


def test_attach_preview_relabel_replace_and_detach(attachments: NativePlugin, phone_api: RunningEmulator) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    news = {"configId": config_id, "agentId": AGENT, "environmentId": ENV, "agentName": "billing"}

    planned = attachments.create(news, name="billing", preview=True)
    assert planned.outputs["connectorId"] == connector_id(AGENT, ENV, config_id)
    assert planned.outputs["audioConnectUri"] == UNKNOWN
    assert sent(phone_api) == []

    created = attachments.create(news, name="billing")
    assert created.id == f"{config_id}/{AGENT}/{ENV}"
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}", f"PATCH {PHONES}/{config_id}", f"GET {PHONES}/{config_id}"]
    assert created.outputs["connectorId"] == planned.outputs["connectorId"]
    assert created.outputs["audioConnectUri"].endswith("/")
    assert set(created.outputs) == {*news, "connectorId", "audioConnectUri"}

    relabelled = attachments.checked({**news, "environmentName": "live"}, name="billing")
    diff = attachments.diff(created.id, created.outputs, relabelled, name="billing")
    assert detailed(diff) == {"environmentName": "ADD"} and list(diff.replaces) == []
    phone_api.clear_requests()
    updated = attachments.update(created.id, created.outputs, relabelled, name="billing")
    assert updated["environmentName"] == "live" and updated["connectorId"] == created.outputs["connectorId"]
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}", f"PATCH {PHONES}/{config_id}", f"GET {PHONES}/{config_id}"]

    moved = attachments.diff(created.id, updated, {**relabelled, "agentId": OTHER_AGENT}, name="billing")
    assert detailed(moved) == {"agentId": "UPDATE_REPLACE"}
    assert list(moved.replaces) == ["agentId"] and moved.deleteBeforeReplace

    phone_api.clear_requests()
    attachments.delete(created.id, updated, name="billing")
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}", f"PATCH {PHONES}/{config_id}", f"GET {PHONES}/{config_id}"]
    assert stored(phone_api, config_id) == {(OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR}


def test_on_a_sip_trunk_one_line_no_write(attachments: NativePlugin, phone_api: RunningEmulator) -> None:
    trunk = make_config(phone_api, kind="sip_trunk")
    with pytest.raises(grpc.RpcError) as refused:
        attachments.create({"configId": trunk, "agentId": AGENT, "environmentId": ENV}, name="a")
    assert one_line(refused.value).endswith("only genesys_audio_connector configs have agent attachments")
    assert [r["method"] for r in phone_api.api_requests()] == ["GET"]


def test_import_reads_the_pair_once_and_records_inputs_the_next_up_agrees_with(
    attachments: NativePlugin, phone_api: RunningEmulator
) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    with pytest.raises(grpc.RpcError) as refused:
        attachments.read(f"{config_id}/{OTHER_AGENT}")
    assert "is not an agent attachment id (configId/agentId/environmentId, three UUIDs)" in one_line(refused.value)
    assert phone_api.api_requests() == []

    imported = attachments.read(f"{config_id}/{OTHER_AGENT.upper()}/{OTHER_ENV}")  # the id only, as import sends it
    assert imported.id == f"{config_id}/{OTHER_AGENT}/{OTHER_ENV}"
    assert plain(imported.inputs) == {
        "configId": config_id,
        "agentId": OTHER_AGENT,
        "environmentId": OTHER_ENV,
        "agentName": "care",
        "environmentName": "live",
    }
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]
    declared = attachments.checked(plain(imported.inputs))
    diff = attachments.diff(imported.id, plain(imported.properties), declared)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
