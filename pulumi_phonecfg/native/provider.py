"""The native provider's state in one plugin process: a `ProviderSession` (session.py, as the dynamic providers
have) configured from `Configure`'s keys, the resources this process adopted, and the `getAgent` function."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Final

from pulumi_phonecfg.core.lifecycle.agents import lookup_agent
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.native.names import keys_to_program

GET_AGENT_TOKEN: Final = "phonecfg:index:getAgent"


class AdoptedHere:
    """(urn, id) of every resource a create of this process adopted (took over an existing object).

    A replacement the engine forces without asking the provider (`pulumi up --replace`, a provider change) creates
    the new resource before it deletes the old one, whatever the provider's Diff says. When the create adopted
    the very object the old resource holds (a number already on the trunk, a config by name with adoption on),
    both have the same id, and the engine's delete of the old copy would remove what the state now holds: that
    delete must not reach the API. A create and the deletes of its replacement run in one plugin process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: set[tuple[str, str]] = set()

    def add(self, urn: str, resource_id: str) -> None:
        with self._lock:
            self._held.add((urn, resource_id))

    def holds(self, urn: str, resource_id: str) -> bool:
        with self._lock:
            return (urn, resource_id) in self._held


class NativeProvider(ProviderSession):
    """The session, configured by `configure_from(config_lookup(values))` (native/config.py), plus what only the
    plugin keeps: the resources its creates adopted (`AdoptedHere`)."""

    def __init__(self) -> None:
        super().__init__()
        self.adopted_here = AdoptedHere()

    def get_agent(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """`phonecfg:index:getAgent`: `get_agent`'s lookup, cache and errors, with the provider's settings."""
        result = lookup_agent(self.settings, args.get("name"), args.get("environment", "live"))
        return dict(keys_to_program(asdict(result)))
