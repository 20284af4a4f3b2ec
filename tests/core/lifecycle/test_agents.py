"""get_agent's lookup: per-tenant cache, the ADK's listing request, one-line errors (httpx.MockTransport)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pulumi
import pytest

from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle import agents
from pulumi_phonecfg.core.lifecycle.agents import (
    AgentDirectory,
    AgentLookupError,
    GetAgentResult,
    lookup_agent,
    tenant_key,
)
from pulumi_phonecfg.dynamic import agents as program_agents

TENANT_A = "https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/aaaa"
TENANT_B = "https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/bbbb"


def agent(name: str, prefix: str, envs: tuple[str, ...] = ("draft", "live")) -> dict[str, Any]:
    return {
        "id": f"{prefix}-{name}",
        "name": name,
        "display_name": name.title(),
        "environments": [{"id": f"{prefix}-{name}-{env}", "name": env} for env in envs],
    }


class FakeTenants:
    """Two tenants by URL prefix, each with its own agent ids; records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()
        self.listing = {
            TENANT_A: [agent("customer-care", "a"), agent("billing", "a"), agent("after-hours", "a", ("draft",))],
            TENANT_B: [agent("customer-care", "b"), agent("billing", "b")],
        }

    def handler(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        url = str(request.url)
        tenant = next(t for t in self.listing if url.startswith(t + "/"))
        assert urlsplit(url).path.endswith("/v1/orchestrate/agents"), url
        names = parse_qs(urlsplit(url).query).get("names")
        found = [a for a in self.listing[tenant] if names is None or a["name"] in names]
        return httpx.Response(200, json=found)

    def queries(self) -> list[dict[str, list[str]]]:
        return [parse_qs(request.url.query.decode()) for request in self.requests]


@pytest.fixture
def tenants(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTenants]:
    fake = FakeTenants()
    monkeypatch.setattr(AgentDirectory, "transport", httpx.MockTransport(fake.handler))
    agents.DIRECTORY.clear()
    yield fake
    agents.DIRECTORY.clear()


def settings(url: str, token: str = "fake-token-1") -> ProviderSettings:
    return ProviderSettings(url=url, token=token, max_retries=0)


def test_the_lookup_is_the_adk_request_and_returns_plain_strings(tenants: FakeTenants) -> None:
    result = lookup_agent(settings(TENANT_A), "customer-care", "live")
    assert result == GetAgentResult("a-customer-care", "a-customer-care-live", "customer-care", "live")
    (request,) = tenants.requests
    assert request.method == "GET" and request.url.path == "/instances/aaaa/v1/orchestrate/agents"
    assert tenants.queries() == [{"names": ["customer-care"], "include_hidden": ["true"]}]
    assert request.headers["Authorization"] == "Bearer fake-token-1"


def test_lookups_are_cached_per_tenant_never_across(tenants: FakeTenants) -> None:
    a_live = lookup_agent(settings(TENANT_A), "billing", "live")
    b_live = lookup_agent(settings(TENANT_B), "billing", "live")
    assert (a_live.agent_id, b_live.agent_id) == ("a-billing", "b-billing")
    # Both cached now: no more requests, and each tenant still answers with its own ids.
    assert lookup_agent(settings(TENANT_A), "billing", "draft").environment_id == "a-billing-draft"
    assert lookup_agent(settings(TENANT_B + "/"), "billing", "draft").environment_id == "b-billing-draft"
    assert len(tenants.requests) == 2


def test_another_credential_on_the_same_url_is_another_cache_entry(tenants: FakeTenants) -> None:
    lookup_agent(settings(TENANT_A, token="fake-token-1"), "billing")
    lookup_agent(settings(TENANT_A, token="fake-token-2"), "billing")
    assert len(tenants.requests) == 2
    assert tenant_key(settings(TENANT_A, "fake-token-1")) != tenant_key(settings(TENANT_A, "fake-token-2"))
    assert "fake-token-1" not in repr(tenant_key(settings(TENANT_A, "fake-token-1")))


def test_concurrent_lookups_in_two_tenants_keep_their_ids(tenants: FakeTenants) -> None:
    results: dict[str, str] = {}

    def look(url: str, label: str) -> None:
        results[label] = lookup_agent(settings(url), "customer-care").agent_id

    threads = [threading.Thread(target=look, args=(url, url[-4:])) for url in (TENANT_A, TENANT_B) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"aaaa": "a-customer-care", "bbbb": "b-customer-care"}


def test_an_unknown_agent_is_one_line_listing_the_agents_there(tenants: FakeTenants) -> None:
    with pytest.raises(AgentLookupError) as raised:
        program_agents.lookup_agent(settings(TENANT_A), "customer-cre")  # as get_agent raises it in a program
    message = str(raised.value)
    assert message == (
        f"get_agent: no agent named 'customer-cre' in the tenant at {TENANT_A}; "
        "agents there: after-hours, billing, customer-care"
    )
    assert tenants.queries() == [{"names": ["customer-cre"], "include_hidden": ["true"]}, {"include_hidden": ["true"]}]
    assert isinstance(raised.value, pulumi.RunError)  # printed by the language host without a traceback


def test_a_missing_environment_names_both_and_lists_what_the_agent_has(tenants: FakeTenants) -> None:
    with pytest.raises(AgentLookupError) as raised:
        lookup_agent(settings(TENANT_A), "after-hours", "live")
    assert str(raised.value) == (
        "get_agent: agent 'after-hours' has no 'live' environment "
        "(an agent gets its live environment when it is deployed); its environments: draft"
    )


@pytest.mark.parametrize(("name", "environment", "field"), [("", "live", "name"), ("billing", None, "environment")])
def test_bad_arguments_fail_before_any_request(tenants: FakeTenants, name: Any, environment: Any, field: str) -> None:
    with pytest.raises(AgentLookupError, match=f"get_agent: {field} must be a non-empty string"):
        lookup_agent(settings(TENANT_A), name, environment)
    assert tenants.requests == []


def test_api_errors_are_one_line_without_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "token fake-token-1 is not valid"})

    monkeypatch.setattr(AgentDirectory, "transport", httpx.MockTransport(refuse))
    agents.DIRECTORY.clear()
    with pytest.raises(AgentLookupError) as raised:
        lookup_agent(settings(TENANT_A), "billing")
    agents.DIRECTORY.clear()
    assert str(raised.value) == "get_agent('billing'): list agents failed: HTTP 401: token [redacted] is not valid"


def test_a_listing_that_is_not_a_list_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        AgentDirectory, "transport", httpx.MockTransport(lambda _: httpx.Response(200, json={"agents": []}))
    )
    agents.DIRECTORY.clear()
    with pytest.raises(AgentLookupError, match="list agents failed: HTTP 200: the response is not a JSON list"):
        lookup_agent(settings(TENANT_A), "billing")
    agents.DIRECTORY.clear()


def test_settings_come_from_the_stack_config_secrets_included_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PHONECFG_URL", "https://from-env.example")
    monkeypatch.setenv("PHONECFG_API_KEY", "fake-env-api-key")
    pulumi.runtime.set_config("phonecfg:url", TENANT_A)
    pulumi.runtime.set_config("phonecfg:token", "fake-config-token")
    try:
        resolved = program_agents.program_settings()
    finally:
        pulumi.runtime.set_all_config({})
    assert (resolved.url, resolved.token, resolved.api_key) == (TENANT_A, "fake-config-token", "fake-env-api-key")


def test_a_bad_setting_stops_the_program_with_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHONECFG_MAX_RETRIES", "lots")
    with pytest.raises(AgentLookupError, match="phonecfg:maxRetries must be a number"):
        program_agents.program_settings()


def test_cached_lookups_expire(tenants: FakeTenants, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(agents.DIRECTORY, "clock", lambda: now[0])
    lookup_agent(settings(TENANT_A), "billing")
    now[0] += agents.CACHE_SECONDS - 1
    lookup_agent(settings(TENANT_A), "billing")
    assert len(tenants.requests) == 1
    now[0] += 2
    lookup_agent(settings(TENANT_A), "billing")
    assert len(tenants.requests) == 2
