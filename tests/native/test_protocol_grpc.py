"""The native plugin against the parts of the provider protocol a dynamic provider has no access to (issue 24):
`ignoreChanges` in Diff and Update, preview Create/Update (`supportsPreview`), and a half-finished create reported
as partial state (`ErrorResourceInitFailed`). The real plugin process against the real emulator process.
"""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import json_format
from google.rpc import status_pb2
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator
from tests.dynamic.harness import SECRET_SIG, SECRET_VALUE

from .harness import NativePlugin, native_config, native_plugin, unwrap
from .test_phone_config_grpc import FAKE_PASSWORD, methods, no_plaintext, sip_trunk

STATUS_DETAILS = "grpc-status-details-bin"


@pytest.fixture
def plugin(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running


# ---- 5. a create neither finished nor undone is handed to the engine ------------------------------------------


def _init_failed(error: grpc.RpcError) -> provider_pb2.ErrorResourceInitFailed:
    trailers = dict(error.trailing_metadata() or ())  # type: ignore[attr-defined]
    status = status_pb2.Status.FromString(trailers[STATUS_DETAILS])
    (detail,) = status.details
    init_failed = provider_pb2.ErrorResourceInitFailed()
    assert detail.Unpack(init_failed)
    return init_failed


def test_a_create_whose_patch_and_cleanup_fail_reports_the_config_as_partial_state(
    plugin: NativePlugin, phone_api: RunningEmulator
) -> None:
    phone_api.set_faults(
        [
            {"method": "PATCH", "kind": "status", "status": 422, "times": 1},
            {"method": "DELETE", "kind": "status", "status": 403},
        ]
    )
    with pytest.raises(grpc.RpcError) as raised:
        plugin.create(sip_trunk())
    assert methods(phone_api) == ["GET", "POST", "PATCH", "DELETE"]
    error = raised.value
    assert error.code() == grpc.StatusCode.UNKNOWN  # type: ignore[attr-defined]
    partial = _init_failed(error)
    (post,) = phone_api.api_requests("POST")
    created = phone_api.api().get(f"/v1/channels/phone/{partial.id}").json()
    assert partial.id == created["id"] and partial.id in error.details()  # type: ignore[attr-defined]
    properties = json_format.MessageToDict(partial.properties)
    assert properties["security"][SECRET_SIG] == SECRET_VALUE
    assert unwrap(properties)["name"] == "Native trunk" and unwrap(properties)["phoneNumbers"] == []
    assert json_format.MessageToDict(partial.inputs)["phoneNumbers"]  # the program's, for the next update
    (reason,) = partial.reasons
    assert "HTTP 422" in reason and "created but not completed" in reason and "by hand" not in reason
    no_plaintext(properties, reason, error.details())  # type: ignore[attr-defined]

    # What the engine does next `up`: an update from the partial state to the program's inputs.
    phone_api.clear_faults()
    phone_api.clear_requests()
    inputs = json_format.MessageToDict(partial.inputs)
    finished = plugin.update(partial.id, properties, inputs)
    (patch,) = phone_api.api_requests()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {"phone_numbers"}
    assert [n["phoneNumber"] for n in finished["phoneNumbers"]] == ["+14155550100", "+14155550101"]
    assert FAKE_PASSWORD not in str(properties)
