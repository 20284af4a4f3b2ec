"""The plugin's own configuration and process-wide calls, over gRPC against the real emulator process:
CheckConfig/Configure with values unknown at preview, DiffConfig of a move to another instance, the engine's
per-call timeout and Cancel, and a getAgent result that is secret when its argument was.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from grpc_plugin import SECRET_SIG, SECRET_VALUE, UNKNOWN, secret
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import NativePlugin, native_config, native_plugin, plain, struct, urn

FAKE_TOKEN = "fake-token-native-config"
TRUNK = {"name": "Timed trunk", "description": "deadline tests"}


@pytest.fixture
def plugin(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running


def check_config(plugin: NativePlugin, config: dict[str, Any]) -> list[tuple[str, str]]:
    response = plugin.stub.CheckConfig(provider_pb2.CheckRequest(news=struct(config)))
    return [(f.property, f.reason) for f in response.failures]


def diff_config(plugin: NativePlugin, olds: dict[str, Any], news: dict[str, Any]) -> Any:
    return plugin.stub.DiffConfig(
        provider_pb2.DiffRequest(olds=struct(olds), old_inputs=struct(olds), news=struct(news))
    )


def create_with_timeout(plugin: NativePlugin, timeout: float) -> None:
    inputs = plugin.checked(TRUNK)
    plugin.stub.Create(
        provider_pb2.CreateRequest(urn=urn("main"), type=plugin.type, properties=struct(inputs), timeout=timeout)
    )


def always_busy(phone_api: RunningEmulator, retry_after: int) -> None:
    """Every create answered 503 with a Retry-After: a request retried for as long as it is allowed to."""
    phone_api.set_faults(
        [
            {
                "method": "POST",
                "path": "^/v1/channels/phone$",
                "kind": "status",
                "status": 503,
                "retry_after": retry_after,
                "times": 1000,
            }
        ]
    )


# ---- item 2: unknown at preview -----------------------------------------------------------------------------


def test_check_config_lets_a_url_unknown_at_preview_through(plugin: NativePlugin) -> None:
    assert check_config(plugin, {"url": UNKNOWN, "token": secret(FAKE_TOKEN)}) == []


def test_check_config_still_checks_the_known_keys_and_names_the_key(plugin: NativePlugin) -> None:
    failures = check_config(plugin, {"url": UNKNOWN, "timeout": "soon", "token": secret(FAKE_TOKEN)})
    assert failures == [("timeout", "phonecfg:timeout must be a number, got 'soon'")]
    ((key, reason),) = check_config(plugin, {"url": "http://api.example.invalid/x", "token": secret(FAKE_TOKEN)})
    assert key == "url" and reason.startswith("phonecfg:url must use https://")
    assert FAKE_TOKEN not in reason


def test_configure_with_an_unknown_url_leaves_the_provider_not_configured_yet(phone_api: RunningEmulator) -> None:
    with native_plugin() as plugin:
        response = plugin.configure({"url": UNKNOWN, "token": secret(FAKE_TOKEN)})
        assert response.acceptSecrets
        assert plugin.checked(TRUNK)["name"] == "Timed trunk"  # resource calls still served
        assert phone_api.api_requests() == []


# ---- item 3: a move to another instance ---------------------------------------------------------------------


def test_diff_config_replaces_every_resource_when_the_url_changes(plugin: NativePlugin) -> None:
    old = {"url": "https://api.example.invalid/instances/first", "token": secret(FAKE_TOKEN)}
    moved = diff_config(plugin, old, {**old, "url": "https://api.example.invalid/instances/second"})
    assert moved.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(moved.replaces) == ["url"] and list(moved.diffs) == ["url"]

    unknown = diff_config(plugin, old, {**old, "url": UNKNOWN})
    assert list(unknown.replaces) == ["url"]  # may move: the preview shows the worst case


def test_diff_config_updates_in_place_for_a_new_token_or_another_spelling_of_the_url(plugin: NativePlugin) -> None:
    old = {"url": "https://api.example.invalid/instances/first", "token": secret(FAKE_TOKEN)}
    rotated = diff_config(plugin, old, {**old, "token": secret(FAKE_TOKEN + "-rotated")})
    assert list(rotated.diffs) == ["token"] and list(rotated.replaces) == []
    respelled = diff_config(plugin, old, {**old, "url": "https://API.example.invalid/instances/first/"})
    assert list(respelled.replaces) == []
    same = diff_config(plugin, {**old, "version": "1.0.0"}, {**old, "version": "1.1.0"})
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE


# ---- item 6: the engine's timeout, Cancel, a secret getAgent ------------------------------------------------


def test_the_engine_s_timeout_is_the_operation_s_deadline(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    always_busy(phone_api, retry_after=2)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        create_with_timeout(plugin, timeout=1)
    assert time.monotonic() - started < 10  # not 5 retries of 2 s under the 120 s phonecfg:timeout
    message = caught.value.details()
    assert message.endswith("(the 1 s customTimeouts ran out)"), message
    assert len(phone_api.api_requests("POST")) == 1


def test_cancel_before_a_retry_stops_it(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    plugin.stub.Cancel(empty_pb2.Empty())
    always_busy(phone_api, retry_after=1)
    with pytest.raises(grpc.RpcError) as caught:
        plugin.create(TRUNK)
    assert caught.value.details().endswith("(retries stopped: the update was cancelled)"), caught.value.details()
    assert len(phone_api.api_requests("POST")) == 1  # the first attempt went out, no retry


def test_cancel_ends_a_retry_wait_in_progress(plugin: NativePlugin, phone_api: RunningEmulator) -> None:
    always_busy(phone_api, retry_after=30)
    outcome: list[str] = []

    def create() -> None:
        try:
            plugin.create(TRUNK)
        except grpc.RpcError as error:
            outcome.append(error.details() or "")

    worker = threading.Thread(target=create)
    worker.start()
    # Wait for the observable condition (the first POST answered), bounded; then cancel the 30 s wait.
    deadline = time.monotonic() + 20
    while not phone_api.api_requests("POST") and time.monotonic() < deadline:
        worker.join(0.05)
    assert phone_api.api_requests("POST"), "the create never reached the emulator"
    cancelled_at = time.monotonic()
    plugin.stub.Cancel(empty_pb2.Empty())
    worker.join(15)
    assert not worker.is_alive() and time.monotonic() - cancelled_at < 10
    assert outcome and outcome[0].endswith("(retries stopped: the update was cancelled)"), outcome


def test_get_agent_with_a_secret_argument_returns_a_secret(plugin: NativePlugin) -> None:
    response = plugin.invoke("phonecfg:index:getAgent", {"name": secret("customer-care")})
    assert not response.failures
    result = plain(getattr(response, "return"))
    assert result and all(value.get(SECRET_SIG) == SECRET_VALUE for value in result.values()), result
    assert result["agentName"]["value"] == "customer-care"

    open_response = plugin.invoke("phonecfg:index:getAgent", {"name": "customer-care"})
    assert plain(getattr(open_response, "return"))["agentName"] == "customer-care"


def test_invoke_failures_are_one_line(plugin: NativePlugin) -> None:
    (failure,) = plugin.invoke("phonecfg:index:getAgents", {"name": "customer-care"}).failures
    assert failure.reason == "unknown function 'phonecfg:index:getAgents': this provider serves phonecfg:index:getAgent"
