"""Agents by name: the lookup behind `get_agent` (dynamic face) and `phonecfg:index:getAgent` (native face).

Agent and environment ids differ in every tenant, so a program promoted from one tenant to the next names its
agents and looks the ids up in the stack's own tenant. This runs in the Pulumi *program* process: the settings
come from the program's stack config (`phonecfg:*`, then `PHONECFG_*`; `dynamic/agents.py`) through the same
`ProviderSettings.from_sources` the provider uses, and requests go through the same `PhoneApiClient` (auth,
retries, redaction). It calls the listing IBM's ADK resolves agent names with:
`GET {url}/v1/orchestrate/agents?names=NAME&include_hidden=true`, answered by a JSON list of
`{"id", "name", "display_name", "environments": [{"id", "name": "draft" | "live"}]}`.

Lookups are cached per tenant (instance URL plus a hash of the credentials), never per name alone: several
stacks can run in one process through the Automation API, each against its own tenant. Entries expire after
`CACHE_SECONDS`, so a long-lived Automation API process still sees an agent that was deleted and re-created.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import httpx

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneConfigError
from pulumi_phonecfg.core.http.settings import ProviderSettings

MAX_NAMES_LISTED: Final = 20  # an error lists at most this many of the tenant's agents
CACHE_SECONDS: Final = 300.0  # longer than one deployment's program run, short enough for a long-lived process


@dataclass(frozen=True)
class AgentEnvironment:
    id: str
    name: str


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    display_name: str
    environments: tuple[AgentEnvironment, ...]

    def environment(self, name: str) -> AgentEnvironment | None:
        return next((env for env in self.environments if env.name == name), None)


@dataclass(frozen=True)
class GetAgentResult:
    """What `get_agent` returns: plain strings, ready for `agent_id` / `environment_id` inputs."""

    agent_id: str
    environment_id: str
    agent_name: str
    environment_name: str


class AgentLookupError(PhoneConfigError):
    """An agent or environment the tenant does not have, or a failed lookup. One line. A Python program sees it as
    `pulumi_phonecfg.AgentLookupError` (`dynamic/agents.py`), a `pulumi.RunError` as well."""


def agent_from_api(item: Mapping[str, Any]) -> Agent | None:
    """An agent of the listing, or None for an item without an id or a name (nothing to match it by)."""
    agent_id, name = item.get("id"), item.get("name")
    if not isinstance(agent_id, str) or not agent_id or not isinstance(name, str) or not name:
        return None
    environments = tuple(
        AgentEnvironment(id=str(env["id"]), name=str(env["name"]))
        for env in item.get("environments") or ()
        if isinstance(env, Mapping) and env.get("id") and env.get("name")
    )
    display_name = item.get("display_name")
    return Agent(agent_id, name, display_name if isinstance(display_name, str) else name, environments)


def fetch_agents(client: PhoneApiClient, names: Sequence[str] | None = None) -> list[Agent]:
    """The tenant's agents (only those named, when `names` is given), in the API's order."""
    agents = (agent_from_api(item) for item in client.list_agents(names))
    return [agent for agent in agents if agent is not None]


def tenant_key(settings: ProviderSettings) -> tuple[str, str]:
    """What identifies a tenant and the identity used on it, without keeping a credential in the key."""
    credential = "\0".join(
        str(part) for part in (settings.auth_type, settings.auth_url, settings.api_key, settings.token)
    )
    url = (settings.url or "").rstrip("/")
    return url, hashlib.sha256(credential.encode()).hexdigest()


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(sorted(names)[:MAX_NAMES_LISTED])
    more = len(names) - MAX_NAMES_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def select_environment(agent: Agent, environment: str) -> GetAgentResult:
    found = agent.environment(environment)
    if found is None:
        has = _listed([env.name for env in agent.environments]) or "none"
        hint = " (an agent gets its live environment when it is deployed)" if environment == "live" else ""
        raise AgentLookupError(
            f"get_agent: agent {agent.name!r} has no {environment!r} environment{hint}; its environments: {has}"
        )
    return GetAgentResult(
        agent_id=agent.id, environment_id=found.id, agent_name=agent.name, environment_name=found.name
    )


class AgentDirectory:
    """Agents looked up so far, per tenant; one API client per tenant. Thread-safe."""

    transport: ClassVar[httpx.BaseTransport | None] = None  # test seam

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], PhoneApiClient] = {}
        self._agents: dict[tuple[str, str], dict[str, tuple[float, Agent]]] = {}  # name -> (expires at, agent)

    def client(self, settings: ProviderSettings) -> PhoneApiClient:
        key = tenant_key(settings)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = PhoneApiClient(settings, transport=self.transport)
            return client

    def agent(self, settings: ProviderSettings, name: str) -> Agent:
        """The agent named `name` in the settings' tenant: from the cache, else one request."""
        key = tenant_key(settings)
        with self._lock:
            expires, cached = self._agents.get(key, {}).get(name, (0.0, None))
        if cached is not None and self.clock() < expires:
            return cached
        client = self.client(settings)
        found = [agent for agent in fetch_agents(client, [name]) if agent.name == name]
        if not found:
            existing = [agent.name for agent in fetch_agents(client)]
            where = f"in the tenant at {settings.url}"
            listed = f"agents there: {_listed(existing)}" if existing else "it has no agents"
            raise AgentLookupError(f"get_agent: no agent named {name!r} {where}; {listed}")
        with self._lock:
            self._agents.setdefault(key, {})[name] = (self.clock() + CACHE_SECONDS, found[0])
        return found[0]

    def clear(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
            self._agents.clear()
        for client in clients:
            client.close()


DIRECTORY: Final = AgentDirectory()


def _check_argument(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AgentLookupError(f"get_agent: {field} must be a non-empty string, got {value!r}")
    return value.strip()


def lookup_agent(settings: ProviderSettings, name: Any, environment: Any = "live") -> GetAgentResult:
    """`get_agent` with explicit settings: arguments checked before any request, errors as one line."""
    agent_name = _check_argument("name", name)
    environment_name = _check_argument("environment", environment)
    try:
        agent = DIRECTORY.agent(settings, agent_name)
    except AgentLookupError:
        raise
    except PhoneConfigError as error:
        raise AgentLookupError(f"get_agent({agent_name!r}): {error}") from None
    return select_environment(agent, environment_name)
