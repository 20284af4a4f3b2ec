"""Phone-number sub-resource (E6-E9)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import PHONE, MakeClient, create, genesys_body, sip_body

AGENT = "11111111-1111-4111-8111-111111111111"
ENV = "22222222-2222-4222-8222-222222222222"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")


@pytest.fixture
def sip(client: TestClient) -> dict[str, Any]:
    return create(client, sip_body())


def numbers_url(cfg: dict[str, Any]) -> str:
    return f"{PHONE}/{cfg['id']}/numbers"


def test_add_list_and_config_view(client: TestClient, sip: dict[str, Any]) -> None:
    assert client.get(numbers_url(sip)).json() == {"phone_numbers": []}
    r = client.post(
        numbers_url(sip),
        json={"phone_number": "+14155550100", "description": "main", "agent_id": AGENT, "environment_id": ENV},
    )
    assert r.status_code == 201
    entry = {"phone_number": "+14155550100", "description": "main", "agent_id": AGENT, "environment_id": ENV}
    assert r.json() == entry
    r = client.post(numbers_url(sip), json={"phone_number": "+442071838750"})
    assert r.status_code == 201
    second = {"phone_number": "+442071838750", "description": None, "agent_id": None, "environment_id": None}
    assert client.get(numbers_url(sip)).json() == {"phone_numbers": [entry, second]}
    assert client.get(f"{PHONE}/{sip['id']}").json()["phone_numbers"] == [entry, second]


@pytest.mark.parametrize("encoded", ["+14155550100", "%2B14155550100", "%2b14155550100"])
def test_number_path_accepts_raw_and_percent_encoded_plus(
    client: TestClient, sip: dict[str, Any], encoded: str
) -> None:
    client.post(numbers_url(sip), json={"phone_number": "+14155550100"})
    r = client.patch(f"{numbers_url(sip)}/{encoded}", json={"phone_number": "+14155550100", "description": "x"})
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "x"
    r = client.delete(f"{numbers_url(sip)}/{encoded}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(numbers_url(sip)).json() == {"phone_numbers": []}


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_form_decoded_numbers_read_a_raw_plus_as_a_space(make_client: MakeClient, method: str) -> None:
    client = make_client(form_decoded_numbers=True)
    url = numbers_url(create(client, sip_body()))
    client.post(url, json={"phone_number": "+14155550100"})
    body = {"phone_number": "+14155550101"} if method == "PATCH" else None
    raw = client.request(method, f"{url}/+14155550100", json=body)
    assert raw.status_code == 404
    assert raw.json() == {"detail": "Phone number  14155550100 not found"}  # the + became a space
    assert client.get(url).json()["phone_numbers"][0]["phone_number"] == "+14155550100"  # untouched
    encoded = client.request(method, f"{url}/%2B14155550100", json=body)
    assert encoded.status_code == (200 if method == "PATCH" else 204), encoded.text


def test_rename_and_partial_update(client: TestClient, sip: dict[str, Any]) -> None:
    client.post(
        numbers_url(sip),
        json={"phone_number": "+14155550100", "description": "d", "agent_id": AGENT, "environment_id": ENV},
    )
    r = client.patch(f"{numbers_url(sip)}/+14155550100", json={"phone_number": "+14155550199"})
    assert r.status_code == 200
    assert r.json() == {"phone_number": "+14155550199", "description": "d", "agent_id": AGENT, "environment_id": ENV}
    assert client.patch(f"{numbers_url(sip)}/+14155550100", json={"phone_number": "+1415555"}).status_code == 404
    r = client.patch(
        f"{numbers_url(sip)}/+14155550199",
        json={"phone_number": "+14155550199", "description": "", "agent_id": None, "environment_id": None},
    )
    assert r.json() == {"phone_number": "+14155550199", "description": "", "agent_id": None, "environment_id": None}
    # the old number is free, in this config and elsewhere
    other = create(client, sip_body(name="other"))
    assert client.post(numbers_url(other), json={"phone_number": "+14155550100"}).status_code == 201


@pytest.mark.parametrize("null_clears", [True, False])
def test_null_in_a_number_patch_clears_only_when_set_to(make_client: MakeClient, null_clears: bool) -> None:
    client = make_client(null_clears=null_clears)
    url = numbers_url(create(client, sip_body()))
    routed = {"phone_number": "+14155550100", "description": "d", "agent_id": AGENT, "environment_id": ENV}
    client.post(url, json=routed).raise_for_status()

    nulls = {"phone_number": "+14155550100", "description": None, "agent_id": None, "environment_id": None}
    r = client.patch(f"{url}/+14155550100", json=nulls)

    assert r.status_code == 200
    assert r.json() == (nulls if null_clears else routed)
    assert client.get(url).json() == {"phone_numbers": [r.json()]}
    # The ADK's way to clear a description works either way.
    cleared = client.patch(f"{url}/+14155550100", json={"phone_number": "+14155550100", "description": ""})
    assert cleared.json()["description"] == ""


def test_patch_number_requires_phone_number(client: TestClient, sip: dict[str, Any]) -> None:
    client.post(numbers_url(sip), json={"phone_number": "+14155550100"})
    r = client.patch(f"{numbers_url(sip)}/+14155550100", json={"description": "x"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "phone_number"]


def test_duplicate_number_across_the_tenant_is_409(client: TestClient, sip: dict[str, Any]) -> None:
    other = create(client, sip_body(name="other"))
    assert client.post(numbers_url(sip), json={"phone_number": "+14155550100"}).status_code == 201
    assert client.post(numbers_url(sip), json={"phone_number": "+14155550101"}).status_code == 201
    r = client.post(numbers_url(sip), json={"phone_number": "+14155550100"})
    assert r.status_code == 409
    assert isinstance(r.json()["detail"], str)
    assert client.post(numbers_url(other), json={"phone_number": "+14155550100"}).status_code == 409
    r = client.patch(f"{PHONE}/{other['id']}", json={"phone_numbers": [{"phone_number": "+14155550100"}]})
    assert r.status_code == 409
    # rename onto an existing number: same config and other config
    assert client.patch(f"{numbers_url(sip)}/+14155550101", json={"phone_number": "+14155550100"}).status_code == 409
    client.post(numbers_url(other), json={"phone_number": "+14155550102"})
    assert client.patch(f"{numbers_url(other)}/+14155550102", json={"phone_number": "+14155550100"}).status_code == 409
    assert [n["phone_number"] for n in client.get(numbers_url(other)).json()["phone_numbers"]] == ["+14155550102"]


def test_unknown_config_and_number_are_404(client: TestClient, sip: dict[str, Any]) -> None:
    missing = f"{PHONE}/{uuid.uuid4()}/numbers"
    assert client.get(missing).status_code == 404
    assert client.post(missing, json={"phone_number": "+14155550100"}).status_code == 404
    assert client.patch(f"{missing}/+14155550100", json={"phone_number": "+14155550100"}).status_code == 404
    assert client.delete(f"{missing}/+14155550100").status_code == 404
    r = client.delete(f"{numbers_url(sip)}/+14155550100")
    assert r.status_code == 404
    assert isinstance(r.json()["detail"], str)
    assert client.patch(f"{numbers_url(sip)}/+14155550100", json={"phone_number": "+14155550100"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "phone_number"]),
        ({"phone_number": "4155550100"}, ["body", "phone_number"]),
        ({"phone_number": "+0155550100"}, ["body", "phone_number"]),
        ({"phone_number": "+1 415 555 0100"}, ["body", "phone_number"]),
        ({"phone_number": "+1234567890123456"}, ["body", "phone_number"]),
        ({"phone_number": "+14155550100", "agent_id": "x", "environment_id": ENV}, ["body", "agent_id"]),
        ({"phone_number": "+14155550100", "agent_id": AGENT}, ["body", "environment_id"]),
        ({"phone_number": "+14155550100", "environment_id": ENV}, ["body", "agent_id"]),
    ],
)
def test_invalid_number_bodies_are_422(
    client: TestClient, sip: dict[str, Any], body: dict[str, Any], loc: list[Any]
) -> None:
    r = client.post(numbers_url(sip), json=body)
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["detail"]]


def test_numbers_are_sip_only(client: TestClient) -> None:
    gen = create(client, genesys_body())
    url = numbers_url(gen)
    for r in (
        client.get(url),
        client.post(url, json={"phone_number": "+14155550100"}),
        client.patch(f"{url}/+14155550100", json={"phone_number": "+14155550100"}),
        client.delete(f"{url}/+14155550100"),
    ):
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["path", "config_id"]


def test_number_changes_bump_updated_at(client: TestClient, sip: dict[str, Any], clock: Any) -> None:
    clock.now += 5
    client.post(numbers_url(sip), json={"phone_number": "+14155550100"})
    cfg = client.get(f"{PHONE}/{sip['id']}").json()
    assert cfg["updated_at"] > sip["updated_at"]
    assert cfg["created_on"] == sip["created_on"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    number=st.one_of(
        st.from_regex(r"\A\+[1-9]\d{1,14}\Z"),
        st.text(alphabet="+0123456789 -()", min_size=0, max_size=18),
    )
)
def test_e164_is_the_acceptance_rule(client: TestClient, sip: dict[str, Any], number: str) -> None:
    r = client.post(numbers_url(sip), json={"phone_number": number})
    if E164.fullmatch(number):
        assert r.status_code == 201, r.text
        assert client.delete(f"{numbers_url(sip)}/{number.replace('+', '%2B')}").status_code == 204
    else:
        assert r.status_code == 422
