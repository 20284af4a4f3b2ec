"""An id that is not the API's never reaches a path: read and delete refuse it with one line, no request sent.

Through the real pulumi.dynamic gRPC server against the emulator process (`pulumi import` hands the provider the
id exactly as the user typed it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import grpc
import pytest

from pulumi_phonecfg import PhoneNumberProvider
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import NUMBER_URN, URN, DynamicProviderServer, dynamic_provider_server, emulator_config

UUID = "0b7c6d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
TRAVERSAL = f"{UUID}/../../../orchestrate/agents/3f1e2d4c-5b6a-4789-8abc-def012345678"
CALLS: dict[str, Callable[[DynamicProviderServer, str], object]] = {
    # The engine sends the pickled provider with every call (an import's read has nothing else).
    "read": lambda server, id_: server.read(id_, {"__provider": server.provider}),
    "delete": lambda server, id_: server.delete(id_, {"__provider": server.provider}),
}


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
@pytest.mark.parametrize(
    ("urn", "bad_id"),
    [
        (URN, TRAVERSAL),
        (URN, "../agents"),
        (NUMBER_URN, f"{TRAVERSAL}/+14155550100"),
        (NUMBER_URN, "../agents/+14155550100"),
    ],
    ids=["config", "config-dots", "number", "number-config-id"],
)
def test_a_bad_id_is_refused_in_one_line_before_any_request(
    phone_api: RunningEmulator, call: str, urn: str, bad_id: str
) -> None:
    provider = PhoneNumberProvider() if urn == NUMBER_URN else None
    with dynamic_provider_server(provider=provider, urn=urn) as server:
        server.configure(emulator_config(phone_api))
        with pytest.raises(grpc.RpcError) as raised:
            CALLS[call](server, bad_id)
    last = raised.value.details().strip().splitlines()[-1]
    assert re.search(r"is not a phone (config|number) id .*: refused before any request$", last)
    assert phone_api.requests() == []
