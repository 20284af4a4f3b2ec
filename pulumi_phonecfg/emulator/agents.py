"""The agents the emulator lists at ``GET /v1/orchestrate/agents``: seeding and id derivation (stdlib only).

Agent and environment UUIDs differ per tenant on the real service; that is why promotion looks agents up by
name. The emulator reproduces it: an id not given explicitly is ``uuid5`` of (instance id, agent name[,
environment name]), so two emulators started with different ``--instance-id`` serve different UUIDs for the
same names, and one emulator serves the same UUIDs on every start.

Seed file (``--agents FILE``): a JSON list of
``{"name", "display_name"?, "id"?, "environments"?: [{"name": "draft"|"live", "id"?}]}``;
``display_name`` defaults to the name, missing ``environments`` to draft + live.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENVIRONMENT_NAMES = ("draft", "live")
# Fixed namespace for derived ids: changing it would change every derived UUID.
AGENT_ID_NAMESPACE = uuid.UUID("5b0e7f0c-3c59-4a8e-9a57-0f6f4b3c2a11")

# (name, display name, environments) of the set served without --agents.
DEMO_AGENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("customer-care", "Customer Care", ("draft", "live")),
    ("billing", "Billing", ("draft", "live")),
    ("after-hours", "After Hours", ("draft",)),  # never deployed: no live environment
)

_AGENT_KEYS = frozenset({"name", "display_name", "id", "environments"})
_ENVIRONMENT_KEYS = frozenset({"name", "id"})


class AgentsFileError(ValueError):
    """The ``--agents`` file cannot be used; the message is one line naming the file and the problem."""


@dataclass(frozen=True)
class EmulatedEnvironment:
    id: str
    name: str


@dataclass(frozen=True)
class EmulatedAgent:
    id: str
    name: str
    display_name: str
    environments: tuple[EmulatedEnvironment, ...]


def derived_id(instance_id: str, agent_name: str, environment_name: str | None = None) -> str:
    """Deterministic UUID for an agent (or one of its environments) in one instance."""
    parts = [instance_id, agent_name] if environment_name is None else [instance_id, agent_name, environment_name]
    # JSON keeps the parts apart whatever characters the names contain.
    return str(uuid.uuid5(AGENT_ID_NAMESPACE, json.dumps(parts)))


def make_agent(
    instance_id: str,
    name: str,
    *,
    display_name: str | None = None,
    agent_id: str | None = None,
    environments: Iterable[tuple[str, str | None]] | None = None,
) -> EmulatedAgent:
    """One agent; ``environments`` are (name, id or None) pairs (default draft + live), missing ids derived."""
    if environments is None:
        environments = [(n, None) for n in ENVIRONMENT_NAMES]
    return EmulatedAgent(
        id=agent_id or derived_id(instance_id, name),
        name=name,
        display_name=display_name if display_name is not None else name,
        environments=tuple(
            EmulatedEnvironment(id=env_id or derived_id(instance_id, name, env_name), name=env_name)
            for env_name, env_id in environments
        ),
    )


def demo_agents(instance_id: str) -> tuple[EmulatedAgent, ...]:
    """The set served without ``--agents``, ids derived from ``instance_id``."""
    return tuple(
        make_agent(instance_id, name, display_name=display, environments=((e, None) for e in envs))
        for name, display, envs in DEMO_AGENTS
    )


def load_agents(path: Path | str, instance_id: str) -> tuple[EmulatedAgent, ...]:
    """Read and validate an ``--agents`` file. Raises ``AgentsFileError`` (one line) on any problem."""
    where = f"--agents {path}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentsFileError(f"{where}: cannot read: {exc.__class__.__name__}: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AgentsFileError(f"{where}: not valid JSON: {exc}") from None
    return parse_agents(data, instance_id, where=where)


def parse_agents(data: Any, instance_id: str, *, where: str = "agents") -> tuple[EmulatedAgent, ...]:
    """Validate decoded seed data (see the module docstring) into agents."""
    if not isinstance(data, list):
        raise AgentsFileError(f"{where}: expected a JSON list of agents, got {_kind(data)}")
    agents: list[EmulatedAgent] = []
    names: set[str] = set()
    for i, item in enumerate(data):
        at = f"{where}: [{i}]"
        if not isinstance(item, dict):
            raise AgentsFileError(f"{at}: expected an object, got {_kind(item)}")
        _reject_unknown(item, _AGENT_KEYS, at)
        name = _text(item, "name", at, required=True)
        assert name is not None
        if name in names:
            raise AgentsFileError(f"{at}.name: duplicate agent name {name!r}")
        names.add(name)
        agents.append(
            make_agent(
                instance_id,
                name,
                display_name=_text(item, "display_name", at),
                agent_id=_uuid(item, "id", at),
                environments=_environments(item, at),
            )
        )
    return tuple(agents)


def _environments(item: dict[str, Any], at: str) -> list[tuple[str, str | None]] | None:
    if "environments" not in item:
        return None
    raw = item["environments"]
    if not isinstance(raw, list):
        raise AgentsFileError(f"{at}.environments: expected a list, got {_kind(raw)}")
    result: list[tuple[str, str | None]] = []
    for j, env in enumerate(raw):
        env_at = f"{at}.environments[{j}]"
        if not isinstance(env, dict):
            raise AgentsFileError(f"{env_at}: expected an object, got {_kind(env)}")
        _reject_unknown(env, _ENVIRONMENT_KEYS, env_at)
        env_name = _text(env, "name", env_at, required=True)
        if env_name not in ENVIRONMENT_NAMES:
            raise AgentsFileError(f"{env_at}.name: must be 'draft' or 'live', got {env_name!r}")
        if any(env_name == seen for seen, _ in result):
            raise AgentsFileError(f"{env_at}.name: duplicate environment {env_name!r}")
        result.append((env_name, _uuid(env, "id", env_at)))
    return result


def _reject_unknown(obj: dict[str, Any], allowed: frozenset[str], at: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise AgentsFileError(f"{at}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _text(obj: dict[str, Any], key: str, at: str, *, required: bool = False) -> str | None:
    if key not in obj:
        if required:
            raise AgentsFileError(f"{at}.{key}: required")
        return None
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise AgentsFileError(f"{at}.{key}: expected a non-empty string, got {_kind(value)}")
    return value


def _uuid(obj: dict[str, Any], key: str, at: str) -> str | None:
    value = _text(obj, key, at)
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise AgentsFileError(f"{at}.{key}: not a UUID: {value!r}") from None


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def filter_agents(agents: Sequence[EmulatedAgent], names: Sequence[str] | None) -> list[EmulatedAgent]:
    """Agents whose name is one of ``names`` (exact match, in seed order); all of them without names."""
    if not names:
        return list(agents)
    wanted = set(names)
    return [a for a in agents if a.name in wanted]
