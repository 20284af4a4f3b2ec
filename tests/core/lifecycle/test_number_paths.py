"""Number paths that survive either decoding, and a 404 on a number that is never taken on trust.

Against the emulator process with `--form-decoded-numbers true` (a raw `+` in the path reads as a space): the
client sends `%2B`, so a rename, an update and a delete all work there; a path with a raw `+` (what the ADK
sends, and what this client sent before it encoded segments) is shown to 404 there. A 404 on a DELETE or PATCH
of a number is checked against the trunk (one GET): still there is a one-line error, never a silent success.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from pulumi_phonecfg.core.http import client as client_module
from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneApiError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.phone_number import create_number, delete_number, update_number
from pulumi_phonecfg.emulator.testing import RunningEmulator

NUMBER = "+14155550170"
RENAMED = "+14155550171"


def make_client(emulator: RunningEmulator) -> PhoneApiClient:
    return PhoneApiClient(ProviderSettings(url=emulator.url, token=emulator.token, max_retries=0))


@pytest.fixture
def api(form_decoding_api: RunningEmulator) -> Iterator[PhoneApiClient]:
    client = make_client(form_decoding_api)
    yield client
    client.close()


@pytest.fixture
def raw_plus_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client as it would be if it left `+` raw in a path segment (the ADK's paths)."""
    monkeypatch.setattr(client_module, "_path_segment", lambda text: quote(text, safe="+").replace(".", "%2E"))


def trunk_with_number(api: PhoneApiClient, number: str = NUMBER) -> tuple[str, dict[str, Any]]:
    trunk_id = str(api.post_config({"name": "Form-decoded trunk", "security": {}}, label="'trunk'")["id"])
    props = {"config_id": trunk_id, "phone_number": number, "description": "main"}
    return trunk_id, create_number(api, props).outs


def numbers_on(api: PhoneApiClient, trunk_id: str) -> list[str]:
    return [n["phone_number"] for n in api.list_numbers(trunk_id)]


def test_rename_update_and_delete_work_on_a_form_decoding_server(
    api: PhoneApiClient, form_decoding_api: RunningEmulator
) -> None:
    trunk_id, outs = trunk_with_number(api)
    id_ = f"{trunk_id}/{NUMBER}"
    renamed = update_number(api, id_, outs, {**outs, "phone_number": RENAMED}).outs
    assert numbers_on(api, trunk_id) == [RENAMED]
    updated = update_number(api, id_, renamed, {**renamed, "description": "sales"}).outs
    assert updated["description"] == "sales"
    delete_number(api, id_, updated)
    assert numbers_on(api, trunk_id) == []
    written = [(r["method"], r["path"]) for r in form_decoding_api.api_requests() if r["method"] in ("PATCH", "DELETE")]
    numbers = f"/v1/channels/phone/{trunk_id}/numbers"
    assert written == [
        ("PATCH", f"{numbers}/%2B14155550170"),
        ("PATCH", f"{numbers}/%2B14155550171"),
        ("DELETE", f"{numbers}/%2B14155550171"),
    ]
    trunk_reads = [r for r in form_decoding_api.api_requests("GET") if r["path"].endswith(trunk_id)]
    assert trunk_reads == []  # no 404 anywhere, so no confirming read of the trunk


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_raw_plus_in_the_path_is_not_found_on_a_form_decoding_server(
    api: PhoneApiClient, form_decoding_api: RunningEmulator, method: str
) -> None:
    trunk_id, _ = trunk_with_number(api)
    with httpx.Client(base_url=form_decoding_api.url, headers={"Authorization": f"Bearer {api.settings.token}"}) as raw:
        body = {"phone_number": RENAMED} if method == "PATCH" else None
        response = raw.request(method, f"/v1/channels/phone/{trunk_id}/numbers/{NUMBER}", json=body)
    assert response.status_code == 404
    assert numbers_on(api, trunk_id) == [NUMBER]


def test_a_delete_whose_404_the_trunk_does_not_confirm_fails_in_one_line(
    api: PhoneApiClient, form_decoding_api: RunningEmulator, raw_plus_paths: None
) -> None:
    trunk_id, outs = trunk_with_number(api)
    form_decoding_api.clear_requests()
    with pytest.raises(PhoneApiError) as raised:
        delete_number(api, f"{trunk_id}/{NUMBER}", outs)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"delete phone number {NUMBER} of {trunk_id} failed: HTTP 404: ")
    assert f"{NUMBER} is still on phone config 'Form-decoded trunk'" in message
    assert message.endswith("nothing was deleted")
    assert raised.value.__context__ is None  # no chained traceback behind the one line
    assert [r["method"] for r in form_decoding_api.api_requests()] == ["DELETE", "GET"]  # one confirming read
    assert numbers_on(api, trunk_id) == [NUMBER]


@pytest.mark.parametrize("change", [{"phone_number": RENAMED}, {"description": "sales"}], ids=["rename", "update"])
def test_a_patch_404_with_the_number_still_there_fails_and_writes_nothing_else(
    api: PhoneApiClient, form_decoding_api: RunningEmulator, raw_plus_paths: None, change: dict[str, str]
) -> None:
    trunk_id, outs = trunk_with_number(api)
    form_decoding_api.clear_requests()
    with pytest.raises(PhoneApiError) as raised:
        update_number(api, f"{trunk_id}/{NUMBER}", outs, {**outs, **change})
    message = str(raised.value)
    assert "\n" not in message
    assert f"{NUMBER} is still on phone config 'Form-decoded trunk'" in message
    assert message.endswith("nothing was changed")
    assert [r["method"] for r in form_decoding_api.api_requests()] == ["PATCH", "GET"]  # never a re-create
    unchanged = {"phone_number": NUMBER, "description": "main", "agent_id": None, "environment_id": None}
    assert api.list_numbers(trunk_id) == [unchanged]


def test_a_patch_404_for_a_number_removed_out_of_band_says_so(
    phone_api: RunningEmulator, form_decoding_api: RunningEmulator
) -> None:
    api = make_client(phone_api)
    trunk_id, outs = trunk_with_number(api)
    phone_api.api().delete(f"/v1/channels/phone/{trunk_id}/numbers/%2B14155550170").raise_for_status()
    phone_api.clear_requests()
    with pytest.raises(PhoneApiError) as raised:
        update_number(api, f"{trunk_id}/{NUMBER}", outs, {**outs, "description": "sales"})
    assert "removed out of band" in str(raised.value)
    assert "`pulumi refresh`" in str(raised.value)
    assert [r["method"] for r in phone_api.api_requests()] == ["PATCH", "GET"]
    assert api.list_numbers(trunk_id) == []  # nothing re-created
    api.close()


def test_a_delete_404_for_a_number_already_gone_counts_as_deleted(phone_api: RunningEmulator) -> None:
    api = make_client(phone_api)
    trunk_id, outs = trunk_with_number(api)
    phone_api.api().delete(f"/v1/channels/phone/{trunk_id}/numbers/%2B14155550170").raise_for_status()
    phone_api.clear_requests()
    delete_number(api, f"{trunk_id}/{NUMBER}", outs)
    assert [r["method"] for r in phone_api.api_requests()] == ["DELETE", "GET"]
    api.close()
