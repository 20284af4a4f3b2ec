"""Ids reach a path only checked and percent-encoded: a config id is a UUID, a number one encoded segment.

Against the emulator process: what it logs is the raw path as sent, and a refused id sends nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import InvalidIdError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.emulator.testing import RunningEmulator

UUID = "0b7c6d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
AGENT = "3f1e2d4c-5b6a-4789-8abc-def012345678"
TRAVERSAL = f"{UUID}/../../../orchestrate/agents/{AGENT}"

CALLS: dict[str, Callable[[PhoneApiClient, str], Any]] = {
    "get_config": lambda api, id_: api.get_config(id_),
    "update_config": lambda api, id_: api.update_config(id_, {"name": "x"}),
    "delete_config": lambda api, id_: api.delete_config(id_),
    "list_numbers": lambda api, id_: api.list_numbers(id_),
    "add_number": lambda api, id_: api.add_number(id_, {"phone_number": "+14155550100"}),
    "update_number": lambda api, id_: api.update_number(id_, "+14155550100", {"phone_number": "+14155550101"}),
    "delete_number": lambda api, id_: api.delete_number(id_, "+14155550100"),
}


@pytest.fixture
def client(phone_api: RunningEmulator) -> Iterator[PhoneApiClient]:
    api = PhoneApiClient(ProviderSettings(url=phone_api.url, token=phone_api.token, max_retries=0))
    yield api
    api.close()


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
@pytest.mark.parametrize("bad_id", [TRAVERSAL, "..", f"{UUID}?x=1", f"{UUID}#", "not-a-uuid", ""])
def test_a_config_id_that_is_not_a_uuid_is_refused_before_any_request(
    client: PhoneApiClient, phone_api: RunningEmulator, call: str, bad_id: str
) -> None:
    with pytest.raises(InvalidIdError) as raised:
        CALLS[call](client, bad_id)
    assert "\n" not in str(raised.value)
    assert "is not a phone config id (a UUID)" in str(raised.value)
    assert phone_api.requests() == []


def test_a_number_is_one_encoded_segment_that_cannot_climb(client: PhoneApiClient, phone_api: RunningEmulator) -> None:
    config = client.post_config({"name": "paths", "security": {}}, label="'paths'")
    phone_api.clear_requests()
    assert client.delete_number(config["id"], "..") is False  # a number of that name is not there: 404
    assert client.delete_number(config["id"], "+1/../..") is False
    assert client.get_config(config["id"]) is not None  # the config itself was never addressed
    assert [r["path"] for r in phone_api.api_requests("DELETE")] == [
        f"/v1/channels/phone/{config['id']}/numbers/%2E%2E",
        f"/v1/channels/phone/{config['id']}/numbers/%2B1%2F%2E%2E%2F%2E%2E",
    ]
