"""An id that is not the API's never reaches a path: import, read and delete refuse it with one line.

The plugin as a subprocess over gRPC, against the emulator process: `pulumi import` hands it the id exactly as the
user typed it, and nothing at all may be sent with the user's token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import grpc
import pytest

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import NUMBER_TYPE, NativePlugin, native_config, native_plugin

UUID = "0b7c6d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
TRAVERSAL = f"{UUID}/../../../orchestrate/agents/3f1e2d4c-5b6a-4789-8abc-def012345678"
CALLS: dict[str, Callable[[NativePlugin, str], object]] = {
    "import": lambda plugin, id_: plugin.read(id_),
    "read": lambda plugin, id_: plugin.read(id_, {"name": "x"}, {"name": "x"}),
    "delete": lambda plugin, id_: plugin.delete(id_, {"name": "x"}),
}


@pytest.fixture
def plugin(phone_api: RunningEmulator) -> Iterator[NativePlugin]:
    with native_plugin() as running:
        running.configure(native_config(phone_api))
        yield running


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
@pytest.mark.parametrize(
    ("number", "bad_id"),
    [
        (False, TRAVERSAL),
        (False, "../agents"),
        (True, f"{TRAVERSAL}/+14155550100"),
        (True, "../agents/+14155550100"),
    ],
    ids=["config", "config-dots", "number", "number-config-id"],
)
def test_a_bad_id_is_refused_in_one_line_before_any_request(
    plugin: NativePlugin, phone_api: RunningEmulator, call: str, number: bool, bad_id: str
) -> None:
    target = plugin.of_type(NUMBER_TYPE) if number else plugin
    with pytest.raises(grpc.RpcError) as raised:
        CALLS[call](target, bad_id)
    details = raised.value.details()
    assert "\n" not in details
    # A PhoneNumber import's id is checked by the native face itself first, in the program's spelling.
    refusal = r"is not a phone (config|number) id .*: refused before any request$|must be <configId>/<phoneNumber>"
    assert re.search(refusal, details)
    assert phone_api.requests() == []
