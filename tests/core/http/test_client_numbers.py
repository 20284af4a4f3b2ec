"""The numbers sub-resource seam of PhoneApiClient (SIP only) against the emulator process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneApiError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.emulator.testing import RunningEmulator


@pytest.fixture
def client(phone_api: RunningEmulator) -> Iterator[PhoneApiClient]:
    api = PhoneApiClient(ProviderSettings(url=phone_api.url, token=phone_api.token))
    yield api
    api.close()


def test_add_rename_list_and_delete_a_number(client: PhoneApiClient, phone_api: RunningEmulator) -> None:
    config = client.post_config({"name": "numbers", "security": {}}, label="'numbers'")
    added = client.add_number(config["id"], {"phone_number": "+14155550160", "description": "main"})
    assert added["phone_number"] == "+14155550160"
    renamed = client.update_number(config["id"], "+14155550160", {"phone_number": "+14155550161"})
    assert renamed["phone_number"] == "+14155550161"
    assert [n["phone_number"] for n in client.list_numbers(config["id"])] == ["+14155550161"]
    assert client.delete_number(config["id"], "+14155550161") is True
    assert client.delete_number(config["id"], "+14155550161") is False  # already gone
    assert client.list_numbers(config["id"]) == []
    paths = [r["path"] for r in phone_api.api_requests("PATCH")]
    assert paths == [f"/v1/channels/phone/{config['id']}/numbers/%2B14155550160"]  # every segment percent-encoded


def test_numbers_on_a_genesys_config_are_a_one_line_error(client: PhoneApiClient) -> None:
    config = client.post_config(
        {
            "name": "genesys",
            "service_provider": "genesys_audio_connector",
            "security": {"api_key": "fake-key-numbers", "client_secret": "ZmFrZQ=="},
        },
        label="'genesys'",
    )
    with pytest.raises(PhoneApiError) as raised:
        client.add_number(config["id"], {"phone_number": "+14155550162"})
    assert str(raised.value).startswith(f"add number +14155550162 to {config['id']} failed: HTTP 422")
    assert "fake-key-numbers" not in str(raised.value)
