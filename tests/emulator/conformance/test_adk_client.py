"""IBM's own client (``ibm-watsonx-orchestrate``, unchanged, in its own venv) against the emulator.

``PhoneClient(base_url=<emulator>, api_key=<token>, is_local=True)`` sends what the local Developer Edition gets
(``//api/v1/channels/phone``); a second emulator on another loopback address takes the SaaS path
(``/instances/{id}/v1//channels/phone``). adk_driver.py makes the calls; each test here checks one behaviour
against the results and against the emulators' request logs. Where the ADK and the emulator disagree, the test
pins the emulator's side and docs/emulator.md ("IBM's ADK against the emulator") says why.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi_phonecfg.emulator.agents import derived_id
from pulumi_phonecfg.emulator.testing import phone_entries

from .conftest import (
    GENESYS_API_KEY,
    LOCAL_INSTANCE,
    SAAS_INSTANCE,
    SECRETS,
    SIP_PASSWORD,
    SIP_USERNAME,
    SUBSCRIPTION,
    AdkRun,
)

PHONE = "/v1/channels/phone"
SECRET_KEYS = ("api_key", "client_secret", "password")


def assert_masked(security: dict[str, Any]) -> None:
    for key in SECRET_KEYS:
        assert security[key] is None, f"{key} is not masked: {security[key]!r}"


def test_the_adk_is_version_2_19_1_and_builds_the_local_layout(adk_run: AdkRun) -> None:
    assert adk_run.adk_version == "2.19.1"
    base = adk_run.value("local_base")
    assert base == {"base_url": f"{adk_run.local.url}/v1", "base_endpoint": "/api/v1/channels"}
    entries = phone_entries(adk_run.local_log)
    assert entries
    # Every phone call arrived as //api/v1/channels/phone... (reference 0) and was answered, not 404ed by layout.
    assert {e["root"] for e in entries} == {"//api"}
    assert all(e["path"].startswith(PHONE) for e in entries)


def test_create_sip_trunk_with_authentication(adk_run: AdkRun) -> None:
    cfg = adk_run.value("create_sip")
    assert uuid.UUID(cfg["id"])
    assert cfg["service_provider"] == "sip_trunk"
    assert cfg["name"] == "adk sip trunk"
    sec = cfg["security"]
    assert_masked(sec)
    assert (sec["authentication"], sec["secure_trunking"], sec["username"]) == (True, True, SIP_USERNAME)
    assert sec["password_is_set"] is True
    assert cfg["custom_invite_headers"] == [{"name": "X-Adk-Test"}]
    assert cfg["error_handling"]["call_failure"] == {"reply_message": "Sorry"}
    post = phone_entries(adk_run.local_log, "POST")[0]
    # The ADK sends its spec fields too; the server ignores them (reference 1.1, 5.6).
    assert (post["body"]["spec_version"], post["body"]["kind"], post["status"]) == ("v1", "phone", 201)
    assert post["body"]["security"]["password"] == SIP_PASSWORD


def test_create_genesys_with_its_secrets(adk_run: AdkRun) -> None:
    cfg = adk_run.value("create_genesys")
    assert cfg["service_provider"] == "genesys_audio_connector"
    assert_masked(cfg["security"])
    assert cfg["security"]["password_is_set"] is False
    assert cfg["tenant_id"] == f"{SUBSCRIPTION}_{LOCAL_INSTANCE}"


def test_list_returns_both_configs(adk_run: AdkRun) -> None:
    listed = adk_run.value("list")
    assert [(c["id"], c["name"]) for c in listed] == [
        (adk_run.value("create_sip")["id"], "adk sip trunk"),
        (adk_run.value("create_genesys")["id"], "adk genesys"),
    ]
    for cfg in listed:
        assert_masked(cfg["security"])


def test_get_masks_credentials_and_reports_password_is_set(adk_run: AdkRun) -> None:
    sip = adk_run.value("get_sip")
    assert sip == adk_run.value("create_sip")
    assert_masked(sip["security"])
    assert sip["security"]["password_is_set"] is True
    genesys = adk_run.value("get_genesys")
    assert_masked(genesys["security"])
    assert genesys["security"]["password_is_set"] is False


def test_partial_update_keeps_the_password(adk_run: AdkRun) -> None:
    sip_id = adk_run.value("create_sip")["id"]
    patch = next(e for e in phone_entries(adk_run.local_log, "PATCH") if e["path"] == f"{PHONE}/{sip_id}")
    assert patch["body"] == {"name": "adk sip trunk renamed", "description": "updated by IBM's client"}
    assert patch["query"] == {}  # the ADK never sends append
    updated = adk_run.value("update_sip_partial")
    assert updated == adk_run.value("get_sip_after_update")
    assert updated["name"] == "adk sip trunk renamed"
    sec = updated["security"]
    assert (sec["password_is_set"], sec["authentication"], sec["username"]) == (True, True, SIP_USERNAME)
    assert updated["custom_invite_headers"] == [{"name": "X-Adk-Test"}]


def test_numbers_add_list_rename_delete(adk_run: AdkRun) -> None:
    care = adk_run.value("agent_customer_care")[0]
    care_live = next(e["id"] for e in care["environments"] if e["name"] == "live")
    main = {"phone_number": "+14155550100", "description": "main line", "agent_id": None, "environment_id": None}
    routed = {"phone_number": "+14155550101", "description": None, "agent_id": care["id"], "environment_id": care_live}
    moved = {**main, "phone_number": "+14155550199", "description": "moved"}
    assert adk_run.value("add_number") == main
    assert adk_run.value("add_number_for_agent") == routed
    assert adk_run.value("list_numbers") == [main, routed]
    assert adk_run.value("rename_number") == moved
    assert adk_run.value("list_numbers_after_rename") == [moved, routed]
    assert adk_run.value("delete_number") is None  # 204, empty body
    assert adk_run.value("list_numbers_after_delete") == [routed]
    sip_id = adk_run.value("create_sip")["id"]
    # The number is the path key, sent raw with its "+" (reference 1.6).
    writes = [
        (e["method"], e["path"], e["status"]) for e in phone_entries(adk_run.local_log) if "/numbers" in e["path"]
    ]
    assert writes == [
        ("POST", f"{PHONE}/{sip_id}/numbers", 201),
        ("POST", f"{PHONE}/{sip_id}/numbers", 201),
        ("PATCH", f"{PHONE}/{sip_id}/numbers/+14155550100", 200),
        ("DELETE", f"{PHONE}/{sip_id}/numbers/+14155550199", 204),
    ]


def test_numbers_on_genesys_are_refused_before_any_write(adk_run: AdkRun) -> None:
    error = adk_run.error("numbers_on_genesys")
    assert error["type"] == "NotImplementedError"  # the ADK checks service_provider from our GET
    genesys_id = adk_run.value("create_genesys")["id"]
    assert not [e for e in adk_run.local_log if e["path"].startswith(f"{PHONE}/{genesys_id}/numbers")]


def test_agents_resolve_by_name_through_the_adks_agent_client(adk_run: AdkRun) -> None:
    agents = adk_run.value("agents_by_names")
    assert [a["name"] for a in agents] == ["customer-care", "billing"]
    care = agents[0]
    assert care["id"] == derived_id(LOCAL_INSTANCE, "customer-care")
    assert {e["name"]: e["id"] for e in care["environments"]} == {
        "draft": derived_id(LOCAL_INSTANCE, "customer-care", "draft"),
        "live": derived_id(LOCAL_INSTANCE, "customer-care", "live"),
    }
    assert adk_run.value("agent_unknown") == []
    listing = [e for e in adk_run.local_log if e["path"] == "/v1/orchestrate/agents"]
    assert len(listing) == 4
    assert listing[0]["root"] == ""  # the agents client has no /api in its local layout
    assert listing[0]["query"] == {"names": ["customer-care", "billing"], "include_hidden": "true", "include": "global"}
    assert {e["status"] for e in listing} == {200}


def test_cli_attach_and_detach_rewrite_the_whole_list(adk_run: AdkRun) -> None:
    care = adk_run.value("agent_customer_care")[0]
    billing = adk_run.value("agent_billing")[0]
    care_pair = (care["id"], next(e["id"] for e in care["environments"] if e["name"] == "live"))
    billing_pair = (billing["id"], next(e["id"] for e in billing["environments"] if e["name"] == "draft"))
    genesys_id = adk_run.value("create_genesys")["id"]

    def pairs(cfg: dict[str, Any]) -> list[tuple[str, str]]:
        return [(a["agent_id"], a["environment_id"]) for a in cfg["attached_environments"]]

    attached = adk_run.value("attach_care_live")
    assert attached["exit"] is None, attached["log"]
    webhook = f"/v1/agents/{care_pair[0]}/environments/{care_pair[1]}/channels/genesys_audio_connector/{genesys_id}"
    assert any(webhook in line for line in attached["log"])  # the ADK's local webhook URL, built from our ids
    assert adk_run.value("attach_billing_draft")["exit"] is None
    again = adk_run.value("attach_again")
    assert again["exit"] == 1  # refused client-side: the GET showed the pair attached
    assert any(line.startswith("ERROR") and "already attached" in line for line in again["log"])
    assert pairs(adk_run.value("get_after_attach")) == [care_pair, billing_pair]
    assert adk_run.value("detach_care_live")["exit"] is None
    assert pairs(adk_run.value("get_after_detach")) == [billing_pair]

    patches = [e for e in phone_entries(adk_run.local_log, "PATCH") if e["path"] == f"{PHONE}/{genesys_id}"]
    # attach, attach, detach: each a full list without append (replace semantics, reference 1.4)
    assert [len(p["body"]["attached_environments"]) for p in patches[:3]] == [1, 2, 1]
    assert all(p["query"] == {} and p["status"] == 200 for p in patches)
    # The second attach echoes the first item as the GET returned it, null names included: accepted.
    assert patches[1]["body"]["attached_environments"][0]["agent_name"] is None
    # Before each attach the CLI reads the agent by id (reference 1.7 step 4).
    by_id = [e["path"] for e in adk_run.local_log if e["path"].startswith("/v1/orchestrate/agents/")]
    assert by_id == [f"/v1/orchestrate/agents/{a}" for a in (care_pair[0], billing_pair[0], billing_pair[0])]


def test_upsert_by_name_updates_the_first_match_and_creates_otherwise(adk_run: AdkRun) -> None:
    updated, created = adk_run.value("upsert_existing")
    assert (updated["id"], updated["description"], created) == (
        adk_run.value("create_genesys")["id"],
        "upserted by name",
        False,
    )
    assert updated["attached_environments"]  # a PATCH without attached_environments leaves them alone
    new, created = adk_run.value("upsert_new")
    assert created is True
    assert new["name"] == "adk upserted trunk"


def test_sip_create_without_security_is_rejected(adk_run: AdkRun) -> None:
    """Disagreement: the ADK omits ``security`` for a bare SIP trunk; the 1.15.0 docs make it required."""
    error = adk_run.error("create_sip_without_security")
    assert (error["type"], error["status"]) == ("ClientAPIException", 422)
    assert "'loc': ['body', 'security']" in error["message"]
    posts = [e for e in phone_entries(adk_run.local_log, "POST") if e["path"] == PHONE]
    post = next(e for e in posts if e["body"]["name"] == "bare trunk")
    assert "security" not in post["body"]


def test_server_validation_error_is_readable_and_echoes_no_secret(adk_run: AdkRun) -> None:
    error = adk_run.error("create_rejected")
    assert (error["type"], error["status"]) == ("ClientAPIException", 422)
    assert "'loc': ['body', 'security', 'api_key']" in error["message"]
    assert "only supported for genesys_audio_connector" in error["message"]
    for secret in (SIP_PASSWORD, GENESYS_API_KEY):
        assert secret not in error["message"]


def test_delete_then_404(adk_run: AdkRun) -> None:
    sip_id = adk_run.value("create_sip")["id"]
    assert adk_run.value("delete_sip") is None
    for step in ("get_deleted_sip", "delete_deleted_sip"):
        error = adk_run.error(step)
        assert (error["type"], error["status"]) == ("ClientAPIException", 404)
        assert error["message"] == f"Phone config {sip_id} not found"
    assert sip_id not in [c["id"] for c in adk_run.value("list_after_delete")]


def test_tenant_id_matches_the_adks_own_derivation(adk_run: AdkRun) -> None:
    # The ADK computes {subscriptionId}_{instance_id} from the token (reference 0); the server's tenant_id agrees.
    assert adk_run.value("subscription_id") == SUBSCRIPTION
    assert adk_run.value("create_sip")["tenant_id"] == f"{SUBSCRIPTION}_{LOCAL_INSTANCE}"


def test_export_then_import_of_a_genesys_config_fails_in_the_adk(adk_run: AdkRun) -> None:
    """Disagreement: the ADK's Genesys model cannot load the full response shape the emulator returns."""
    result = adk_run.value("export_import_genesys")
    assert result["export"]["exit"] is None
    assert "custom_invite_headers" in result["exported_keys"]
    assert result["import"]["exit"] == 1
    (error,) = [line for line in result["import"]["log"] if line.startswith("ERROR")]
    assert "validation errors for GenesysAudioConnectorChannel" in error
    assert "security.password_is_set" in error
    assert "custom_invite_headers\n  Extra inputs are not permitted" in error


def test_saas_layout_and_the_quota_error_type(adk_run: AdkRun) -> None:
    base = adk_run.value("saas_base")
    assert base["base_url"].endswith(f"/instances/{SAAS_INSTANCE}/v1/orchestrate")
    assert base["base_endpoint"] == "/channels"
    created = adk_run.value("saas_create")
    assert [c["id"] for c in adk_run.value("saas_list")] == [created["id"]]
    quota = adk_run.error("saas_quota")
    assert quota["type"] == "ResourceQuotaExceededError"  # the ADK parsed our 429 as its own quota error
    assert (quota["status"], quota["resource"], quota["current"], quota["limit"]) == (429, "phone_config", 1, 1)
    assert adk_run.value("saas_delete") is None
    entries = phone_entries(adk_run.saas_log)
    assert {(e["root"], e["path"]) for e in entries} >= {(f"/instances/{SAAS_INSTANCE}", "/v1//channels/phone")}
    assert [e["status"] for e in entries] == [201, 200, 429, 204]


def test_no_response_and_no_log_line_carries_a_secret(adk_run: AdkRun) -> None:
    for secret in SECRETS:
        assert secret not in adk_run.report
        assert secret not in adk_run.output
        assert secret not in adk_run.local.stderr()
        assert secret not in adk_run.saas.stderr()
