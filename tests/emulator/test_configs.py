"""Phone-config CRUD (E1-E5): auth, defaults, masking, validation, PATCH semantics, quota, prefixes."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import (
    GENESYS_SECRET,
    PHONE,
    TOKEN,
    MakeClient,
    create,
    genesys_body,
    sip_body,
)

AGENT = "11111111-1111-4111-8111-111111111111"
ENV = "22222222-2222-4222-8222-222222222222"
ENV2 = "33333333-3333-4333-8333-333333333333"


# ------------------------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["missing", "wrong-token", "no-scheme", "basic"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", PHONE), ("POST", PHONE), ("GET", f"{PHONE}/{AGENT}"), ("DELETE", f"{PHONE}/{AGENT}/numbers/+1415")],
)
def test_api_routes_require_bearer_token(client: TestClient, headers: dict[str, str], method: str, path: str) -> None:
    r = client.request(method, path, headers={"Authorization": "", **headers}, content=b"{not json")
    assert r.status_code == 401
    assert isinstance(r.json()["detail"], str)
    assert r.headers["www-authenticate"] == "Bearer"


def test_valid_static_token_is_accepted(client: TestClient) -> None:
    assert client.get(PHONE).status_code == 200


# ----------------------------------------------------------------------------------------- create


def test_create_returns_201_with_server_defaults(client: TestClient, clock: Any) -> None:
    r = client.post(PHONE, json={"name": "minimal", "security": {}})
    assert r.status_code == 201
    cfg = r.json()
    assert uuid.UUID(cfg["id"]).version == 4
    assert cfg["service_provider"] == "sip_trunk"
    assert cfg["put_caller_on_hold_on_transfer"] is True
    assert cfg["send_provisional_response"] is True
    assert cfg["attached_environments"] == []
    assert cfg["phone_numbers"] == []
    assert cfg["custom_invite_headers"] == []
    assert cfg["description"] is None
    assert cfg["error_handling"] is None
    assert cfg["tenant_id"] == "emulator-sub_8f0c6b8e-2f4a-4c1e-9d6b-5a7e3c2b1d00"
    assert cfg["created_by"] == cfg["updated_by"] == "emulator-user"
    assert cfg["created_on"] == cfg["updated_at"] == "2027-01-15T08:00:00.000000Z"
    assert cfg["security"] == {
        "api_key": None,
        "client_secret": None,
        "secure_trunking": False,
        "authentication": False,
        "username": None,
        "password": None,
        "password_is_set": False,
    }
    assert client.get(f"{PHONE}/{cfg['id']}").json() == cfg


def test_tenant_id_follows_subscription_and_instance(make_client: MakeClient) -> None:
    c = make_client(subscription_id="sub-9", instance_id="inst-1")
    assert create(c, sip_body())["tenant_id"] == "sub-9_inst-1"


def test_create_ignores_unknown_fields_and_response_only_fields(client: TestClient) -> None:
    body = sip_body(
        spec_version="v1",
        kind="phone",
        bogus={"x": 1},
        id="not-the-id",
        tenant_id="evil",
        phone_numbers=[{"phone_number": "+14155550100"}],
        attached_environments=[{"agent_id": AGENT, "environment_id": ENV}],
    )
    cfg = create(client, body)
    assert "spec_version" not in cfg and "kind" not in cfg and "bogus" not in cfg
    assert cfg["id"] != "not-the-id"
    assert cfg["tenant_id"] != "evil"
    assert cfg["phone_numbers"] == []
    assert cfg["attached_environments"] == []
    # the number was not reserved either
    other = create(client, sip_body(name="other"))
    assert client.post(f"{PHONE}/{other['id']}/numbers", json={"phone_number": "+14155550100"}).status_code == 201


def test_create_strips_name_and_description(client: TestClient) -> None:
    cfg = create(client, sip_body(name="  padded  ", description="  d  "))
    assert cfg["name"] == "padded"
    assert cfg["description"] == "d"


def test_full_sip_config_round_trips(client: TestClient) -> None:
    body = sip_body(
        description="desc",
        custom_invite_headers=[{"name": "X-Foo"}, {"name": "From"}],
        put_caller_on_hold_on_transfer=False,
        send_provisional_response=False,
        security={"secure_trunking": True, "authentication": True, "username": "u", "password": "pw"},
        error_handling={
            "fallback_sip_uri": "sip:user@example.com",
            "transfer_failure": {"reply_message": "sorry", "disconnect_call": True},
            "call_failure": {"reply_message": "bye"},
        },
    )
    cfg = create(client, body)
    assert cfg["custom_invite_headers"] == [{"name": "X-Foo"}, {"name": "From"}]
    assert cfg["put_caller_on_hold_on_transfer"] is False
    assert cfg["send_provisional_response"] is False
    assert cfg["error_handling"] == body["error_handling"]
    assert cfg["security"]["secure_trunking"] is True
    assert cfg["security"]["username"] == "u"
    assert cfg["security"]["password_is_set"] is True


def test_names_are_not_unique(client: TestClient) -> None:
    a = create(client, sip_body(name="same"))
    b = create(client, sip_body(name="same"))
    assert a["id"] != b["id"]


def test_list_envelope_in_creation_order(client: TestClient) -> None:
    assert client.get(PHONE).json() == {"phones": []}
    ids = [create(client, sip_body(name=f"n{i}"))["id"] for i in range(4)]
    ids.append(create(client, genesys_body())["id"])
    listed = client.get(PHONE).json()
    assert list(listed) == ["phones"]
    assert [p["id"] for p in listed["phones"]] == ids


# ---------------------------------------------------------------------------------------- masking


@pytest.mark.parametrize(("style", "mask"), [("null", None), ("empty", ""), ("stars", "****")])
def test_secrets_are_masked_in_every_response(make_client: MakeClient, style: str, mask: str | None) -> None:
    c = make_client(mask_style=style)
    gen = create(c, genesys_body())
    sip = create(c, sip_body(security={"authentication": True, "username": "u", "password": "hunter2"}))
    plain = create(c, sip_body(name="no-auth"))
    responses = [
        json.dumps(gen),
        json.dumps(sip),
        c.get(PHONE).text,
        c.get(f"{PHONE}/{gen['id']}").text,
        c.patch(f"{PHONE}/{sip['id']}", json={"description": "x"}).text,
    ]
    for text in responses:
        for secret in ("g-api-key", GENESYS_SECRET, "hunter2"):
            assert secret not in text
    assert gen["security"]["api_key"] == mask
    assert gen["security"]["client_secret"] == mask
    assert gen["security"]["password"] is None
    assert gen["security"]["password_is_set"] is False
    assert sip["security"]["password"] == mask
    assert sip["security"]["password_is_set"] is True
    assert sip["security"]["api_key"] is None
    assert plain["security"]["password"] is None
    assert plain["security"]["password_is_set"] is False


def test_password_is_set_on_input_is_ignored(client: TestClient) -> None:
    cfg = create(client, sip_body(security={"password_is_set": True}))
    assert cfg["security"]["password_is_set"] is False


# ------------------------------------------------------------------------------------- validation

SECRET = "S3cr3t-value-never-echoed"

INVALID_CREATES: list[tuple[str, dict[str, Any], list[Any]]] = [
    ("missing-name", {"security": {}}, ["body", "name"]),
    ("missing-security", {"name": "x"}, ["body", "security"]),
    ("null-security", {"name": "x", "security": None}, ["body", "security"]),
    ("blank-name", sip_body(name="   "), ["body", "name"]),
    ("long-name", sip_body(name="n" * 65), ["body", "name"]),
    ("long-description", sip_body(description="d" * 1025), ["body", "description"]),
    ("bad-provider", sip_body(service_provider="twilio"), ["body", "service_provider"]),
    ("bool-as-string", sip_body(send_provisional_response="true"), ["body", "send_provisional_response"]),
    ("header-without-name", sip_body(custom_invite_headers=[{}]), ["body", "custom_invite_headers", 0, "name"]),
    (
        "header-bad-chars",
        sip_body(custom_invite_headers=[{"name": "X Foo"}]),
        ["body", "custom_invite_headers", 0, "name"],
    ),
    (
        "header-duplicate",
        sip_body(custom_invite_headers=[{"name": "X-A"}, {"name": "x-a"}]),
        ["body", "custom_invite_headers", 1, "name"],
    ),
    (
        "fallback-not-sip",
        sip_body(error_handling={"fallback_sip_uri": "http://x"}),
        ["body", "error_handling", "fallback_sip_uri"],
    ),
    (
        "reply-too-long",
        sip_body(error_handling={"transfer_failure": {"reply_message": "m" * 151}}),
        ["body", "error_handling", "transfer_failure", "reply_message"],
    ),
    (
        "genesys-missing-api-key",
        genesys_body(security={"client_secret": GENESYS_SECRET}),
        ["body", "security", "api_key"],
    ),
    (
        "genesys-missing-client-secret",
        genesys_body(security={"api_key": SECRET}),
        ["body", "security", "client_secret"],
    ),
    (
        "genesys-client-secret-not-base64",
        genesys_body(security={"api_key": "k", "client_secret": SECRET}),
        ["body", "security", "client_secret"],
    ),
    (
        "genesys-empty-security",
        genesys_body(security={}),
        ["body", "security", "api_key"],
    ),
    (
        "genesys-sip-auth",
        genesys_body(
            security={"api_key": "k", "client_secret": GENESYS_SECRET, "authentication": True, "password": SECRET}
        ),
        ["body", "security", "authentication"],
    ),
    ("genesys-headers", genesys_body(custom_invite_headers=[{"name": "X-A"}]), ["body", "custom_invite_headers"]),
    ("genesys-error-handling", genesys_body(error_handling={}), ["body", "error_handling"]),
    (
        "genesys-hold-false",
        genesys_body(put_caller_on_hold_on_transfer=False),
        ["body", "put_caller_on_hold_on_transfer"],
    ),
    ("genesys-provisional-false", genesys_body(send_provisional_response=False), ["body", "send_provisional_response"]),
    (
        "sip-auth-without-password",
        sip_body(security={"authentication": True, "username": "u"}),
        ["body", "security", "password"],
    ),
    (
        "sip-auth-without-username",
        sip_body(security={"authentication": True, "password": SECRET}),
        ["body", "security", "username"],
    ),
    (
        "sip-auth-empty-password",
        sip_body(security={"authentication": True, "username": "u", "password": ""}),
        ["body", "security", "password"],
    ),
    ("sip-with-api-key", sip_body(security={"api_key": SECRET}), ["body", "security", "api_key"]),
    ("secret-wrong-type", sip_body(security={"password": 12345}), ["body", "security", "password"]),
]


@pytest.mark.parametrize(
    ("body", "loc"), [(b, loc) for _, b, loc in INVALID_CREATES], ids=[i for i, _, _ in INVALID_CREATES]
)
def test_invalid_create_is_422_naming_the_field(client: TestClient, body: dict[str, Any], loc: list[Any]) -> None:
    r = client.post(PHONE, json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, list)
    assert loc in [e["loc"] for e in detail]
    for err in detail:
        assert set(err) == {"loc", "msg", "type"}
    assert SECRET not in r.text
    assert "12345" not in r.text
    assert client.get(PHONE).json() == {"phones": []}


def test_malformed_json_and_wrong_content_type_are_422(client: TestClient) -> None:
    r = client.post(
        PHONE,
        content=b'{"name": "x", "security": {"password": "' + SECRET.encode() + b'"',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "json_invalid"
    assert SECRET not in r.text
    r = client.post(PHONE, content=json.dumps(sip_body()).encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 422


@pytest.mark.parametrize("path", [f"{PHONE}/not-a-uuid", f"{PHONE}/123/numbers"])
def test_malformed_config_id_is_422(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["path", "config_id"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    secret=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=6, max_size=40),
    where=st.sampled_from(["password", "api_key", "client_secret"]),
    provider=st.sampled_from(["sip_trunk", "genesys_audio_connector"]),
    breakage=st.sampled_from(["long-name", "no-name", "bad-bool", "bad-number"]),
)
def test_no_422_ever_echoes_a_secret(client: TestClient, secret: str, where: str, provider: str, breakage: str) -> None:
    secret = f"SECRET<{secret}>"  # a marker, so it cannot collide with ordinary response text
    body: dict[str, Any] = {"name": "n", "service_provider": provider, "security": {where: secret}}
    if breakage == "long-name":
        body["name"] = "x" * 100
    elif breakage == "no-name":
        del body["name"]
    elif breakage == "bad-bool":
        body["security"]["authentication"] = "yes"
    cfg_id = None
    if breakage == "bad-number":
        cfg_id = create(client, sip_body())["id"]
        r = client.patch(
            f"{PHONE}/{cfg_id}", json={"security": {where: secret}, "phone_numbers": [{"phone_number": "1"}]}
        )
    else:
        r = client.post(PHONE, json=body)
    assert r.status_code == 422
    assert "SECRET<" not in r.text
    assert json.dumps(secret, ensure_ascii=False)[1:-1] not in r.text
    if cfg_id is not None:
        client.delete(f"{PHONE}/{cfg_id}")


# ------------------------------------------------------------------------------------------ patch


def test_patch_leaves_absent_fields_unchanged(client: TestClient, clock: Any) -> None:
    cfg = create(
        client,
        sip_body(description="keep", custom_invite_headers=[{"name": "X-A"}], send_provisional_response=False),
    )
    clock.now += 60
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"name": "renamed"})
    assert r.status_code == 200
    new = r.json()
    assert new["name"] == "renamed"
    assert new["description"] == "keep"
    assert new["custom_invite_headers"] == [{"name": "X-A"}]
    assert new["send_provisional_response"] is False
    assert new["created_on"] == cfg["created_on"]
    assert new["updated_at"] == "2027-01-15T08:01:00.000000Z"
    assert client.get(f"{PHONE}/{cfg['id']}").json() == new


def test_patch_ignores_unknown_and_response_only_fields(client: TestClient) -> None:
    cfg = create(client, sip_body())
    r = client.patch(
        f"{PHONE}/{cfg['id']}", json={"spec_version": "v1", "kind": "phone", "id": "x", "created_by": "mallory"}
    )
    assert r.status_code == 200
    assert r.json()["id"] == cfg["id"]
    assert r.json()["created_by"] == "emulator-user"


def test_patch_explicit_null_clears_nullable_fields(client: TestClient) -> None:
    cfg = create(
        client,
        sip_body(
            description="d",
            error_handling={"fallback_sip_uri": "sip:a@b"},
            custom_invite_headers=[{"name": "X-A"}],
        ),
    )
    r = client.patch(
        f"{PHONE}/{cfg['id']}",
        json={
            "description": None,
            "error_handling": None,
            "custom_invite_headers": None,
            "put_caller_on_hold_on_transfer": None,
        },
    )
    assert r.status_code == 200
    new = r.json()
    assert new["description"] is None
    assert new["error_handling"] is None
    assert new["custom_invite_headers"] == []
    assert new["put_caller_on_hold_on_transfer"] is None


@pytest.mark.parametrize("field", ["name", "service_provider", "security"])
def test_patch_null_on_required_field_is_422(client: TestClient, field: str) -> None:
    cfg = create(client, sip_body())
    r = client.patch(f"{PHONE}/{cfg['id']}", json={field: None})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", field]


def test_patch_replaces_security_wholesale(client: TestClient) -> None:
    cfg = create(
        client,
        sip_body(security={"secure_trunking": True, "authentication": True, "username": "u", "password": "pw"}),
    )
    # a partial object without the password is rejected although a password is stored
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"security": {"authentication": True, "username": "u"}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "security", "password"]
    # ... even when the client claims the password is set
    r = client.patch(
        f"{PHONE}/{cfg['id']}",
        json={"security": {"authentication": True, "username": "u", "password_is_set": True}},
    )
    assert r.status_code == 422
    # a partial object drops everything it does not mention
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"security": {"secure_trunking": True}})
    assert r.status_code == 200
    assert r.json()["security"] == {
        "api_key": None,
        "client_secret": None,
        "secure_trunking": True,
        "authentication": False,
        "username": None,
        "password": None,
        "password_is_set": False,
    }


def test_patch_without_security_keeps_stored_password(client: TestClient) -> None:
    cfg = create(client, sip_body(security={"authentication": True, "username": "u", "password": "pw"}))
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"description": "x"})
    assert r.status_code == 200
    assert r.json()["security"]["password_is_set"] is True


def test_patch_genesys_security_must_resend_both_secrets(client: TestClient) -> None:
    cfg = create(client, genesys_body())
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"security": {"api_key": "new"}})
    assert r.status_code == 422
    assert ["body", "security", "client_secret"] in [e["loc"] for e in r.json()["detail"]]
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"security": {"api_key": "new", "client_secret": "bmV3"}})
    assert r.status_code == 200


def test_patch_replaces_error_handling_wholesale(client: TestClient) -> None:
    cfg = create(
        client,
        sip_body(
            error_handling={"fallback_sip_uri": "sip:a@b", "call_failure": {"reply_message": "bye"}},
        ),
    )
    r = client.patch(f"{PHONE}/{cfg['id']}", json={"error_handling": {"call_failure": {"reply_message": "new"}}})
    assert r.status_code == 200
    assert r.json()["error_handling"] == {
        "fallback_sip_uri": None,
        "transfer_failure": None,
        "call_failure": {"reply_message": "new"},
    }


def test_patch_lists_replace_by_default_and_append_on_request(client: TestClient) -> None:
    cfg = create(client, genesys_body())
    url = f"{PHONE}/{cfg['id']}"
    first = {"agent_id": AGENT, "environment_id": ENV}
    second = {"agent_id": AGENT, "environment_id": ENV2, "agent_name": "a", "environment_name": "live"}
    r = client.patch(url, json={"attached_environments": [first]})
    assert [a["environment_id"] for a in r.json()["attached_environments"]] == [ENV]
    r = client.patch(url, params={"append": "true"}, json={"attached_environments": [second]})
    assert r.status_code == 200
    assert r.json()["attached_environments"] == [
        {**first, "agent_name": None, "environment_name": None},
        second,
    ]
    r = client.patch(url, params={"append": "false"}, json={"attached_environments": [second]})
    assert r.json()["attached_environments"] == [second]
    # appending an existing pair is a duplicate
    r = client.patch(url, params={"append": "true"}, json={"attached_environments": [second]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "attached_environments", 1]
    # an empty list detaches everything
    assert client.patch(url, json={"attached_environments": []}).json()["attached_environments"] == []


def test_patch_append_custom_headers_and_numbers(client: TestClient) -> None:
    cfg = create(client, sip_body(custom_invite_headers=[{"name": "X-A"}]))
    url = f"{PHONE}/{cfg['id']}"
    r = client.patch(url, params={"append": True}, json={"custom_invite_headers": [{"name": "X-B"}]})
    assert [h["name"] for h in r.json()["custom_invite_headers"]] == ["X-A", "X-B"]
    r = client.patch(url, json={"phone_numbers": [{"phone_number": "+14155550100"}]})
    r = client.patch(url, params={"append": True}, json={"phone_numbers": [{"phone_number": "+14155550101"}]})
    assert [n["phone_number"] for n in r.json()["phone_numbers"]] == ["+14155550100", "+14155550101"]
    r = client.patch(url, params={"append": True}, json={"phone_numbers": [{"phone_number": "+14155550101"}]})
    assert r.status_code == 422
    r = client.patch(url, json={"phone_numbers": [{"phone_number": "+14155550102"}]})
    assert [n["phone_number"] for n in r.json()["phone_numbers"]] == ["+14155550102"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            {"attached_environments": [{"agent_id": "nope", "environment_id": ENV}]},
            ["body", "attached_environments", 0, "agent_id"],
        ),
        ({"attached_environments": [{"agent_id": AGENT}]}, ["body", "attached_environments", 0, "environment_id"]),
        (
            {"attached_environments": [{"agent_id": AGENT, "environment_id": ENV}] * 2},
            ["body", "attached_environments", 1],
        ),
        ({"phone_numbers": [{"phone_number": "+14155550100"}]}, ["body", "phone_numbers"]),
        ({"custom_invite_headers": [{"name": "X-A"}]}, ["body", "custom_invite_headers"]),
        ({"security": {"api_key": "k"}}, ["body", "security", "client_secret"]),
        ({"service_provider": "sip_trunk"}, ["body", "security", "api_key"]),
    ],
)
def test_patch_validates_the_resulting_genesys_document(
    client: TestClient, body: dict[str, Any], loc: list[Any]
) -> None:
    cfg = create(client, genesys_body())
    r = client.patch(f"{PHONE}/{cfg['id']}", json=body)
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["detail"]]
    assert client.get(f"{PHONE}/{cfg['id']}").json() == cfg


def test_attached_environments_on_sip_is_422(client: TestClient) -> None:
    cfg = create(client, sip_body())
    r = client.patch(
        f"{PHONE}/{cfg['id']}", json={"attached_environments": [{"agent_id": AGENT, "environment_id": ENV}]}
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "attached_environments"]


def test_attachment_uuids_are_canonicalised(client: TestClient) -> None:
    cfg = create(client, genesys_body())
    r = client.patch(
        f"{PHONE}/{cfg['id']}",
        json={"attached_environments": [{"agent_id": AGENT.upper(), "environment_id": ENV.replace("-", "")}]},
    )
    assert r.json()["attached_environments"][0]["agent_id"] == AGENT
    assert r.json()["attached_environments"][0]["environment_id"] == ENV


def test_service_provider_change_needs_a_valid_result(client: TestClient) -> None:
    cfg = create(client, sip_body(phone_numbers=[]))
    client.post(f"{PHONE}/{cfg['id']}/numbers", json={"phone_number": "+14155550100"})
    url = f"{PHONE}/{cfg['id']}"
    r = client.patch(url, json={"service_provider": "genesys_audio_connector", "security": genesys_body()["security"]})
    assert r.status_code == 422
    assert ["body", "phone_numbers"] in [e["loc"] for e in r.json()["detail"]]
    r = client.patch(
        url,
        json={
            "service_provider": "genesys_audio_connector",
            "security": genesys_body()["security"],
            "phone_numbers": [],
        },
    )
    assert r.status_code == 200
    assert r.json()["service_provider"] == "genesys_audio_connector"


def test_patch_unknown_config_is_404(client: TestClient) -> None:
    r = client.patch(f"{PHONE}/{uuid.uuid4()}", json={"name": "x"})
    assert r.status_code == 404
    assert isinstance(r.json()["detail"], str)


# ----------------------------------------------------------------------------------- get / delete


def test_get_unknown_is_404(client: TestClient) -> None:
    r = client.get(f"{PHONE}/{uuid.uuid4()}")
    assert r.status_code == 404
    assert isinstance(r.json()["detail"], str)


def test_delete_is_204_and_cascades(client: TestClient) -> None:
    sip = create(client, sip_body())
    gen = create(client, genesys_body())
    client.post(f"{PHONE}/{sip['id']}/numbers", json={"phone_number": "+14155550100"})
    client.patch(f"{PHONE}/{gen['id']}", json={"attached_environments": [{"agent_id": AGENT, "environment_id": ENV}]})
    r = client.delete(f"{PHONE}/{sip['id']}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(f"{PHONE}/{sip['id']}").status_code == 404
    assert client.delete(f"{PHONE}/{sip['id']}").status_code == 404
    assert client.get(f"{PHONE}/{sip['id']}/numbers").status_code == 404
    # the number is free again
    other = create(client, sip_body(name="other"))
    assert client.post(f"{PHONE}/{other['id']}/numbers", json={"phone_number": "+14155550100"}).status_code == 201
    assert client.delete(f"{PHONE}/{gen['id']}").status_code == 204
    assert [p["id"] for p in client.get(PHONE).json()["phones"]] == [other["id"]]


# ------------------------------------------------------------------------------------------ quota


def test_quota_returns_429_resource_quota_exceeded(make_client: MakeClient) -> None:
    c = make_client(max_configs=2)
    first = create(c, sip_body())
    create(c, sip_body())
    r = c.post(PHONE, json=sip_body())
    assert r.status_code == 429
    detail = r.json()["detail"]
    assert detail["code"] == "RESOURCE_QUOTA_EXCEEDED"
    assert detail["resource"] == "phone_config"
    assert (detail["current"], detail["requested"], detail["limit"]) == (2, 1, 2)
    assert isinstance(detail["message"], str)
    assert len(c.get(PHONE).json()["phones"]) == 2
    c.delete(f"{PHONE}/{first['id']}")
    assert c.post(PHONE, json=sip_body()).status_code == 201


# --------------------------------------------------------------------------------------- prefixes


def test_instance_prefix_serves_the_same_api(make_client: MakeClient) -> None:
    c = make_client(instance_id="6e8b1a52-4b7a-4d6e-8a63-1f5a2c3d4e5f")
    base = "/instances/6e8b1a52-4b7a-4d6e-8a63-1f5a2c3d4e5f"
    cfg = c.post(f"{base}{PHONE}", json=sip_body()).json()
    assert c.get(f"{PHONE}/{cfg['id']}").json() == cfg
    assert c.get(f"{base}{PHONE}").json()["phones"] == [cfg]
    assert c.delete(f"{base}{PHONE}/{cfg['id']}").status_code == 204


def test_unknown_instance_is_404(client: TestClient) -> None:
    r = client.get(f"/instances/{uuid.uuid4()}{PHONE}")
    assert r.status_code == 404


def test_double_slash_like_the_adk_is_accepted(client: TestClient) -> None:
    cfg = create(client, sip_body())
    assert client.get(f"/v1//channels/phone/{cfg['id']}").json() == cfg


def test_trailing_slash_is_not_redirected(client: TestClient) -> None:
    assert client.get(f"{PHONE}/", follow_redirects=False).status_code == 404
