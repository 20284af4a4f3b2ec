"""The native provider's state in one plugin process: a `ProviderSession` (session.py, as the dynamic providers
have) configured from `Configure`'s keys, and the `getAgent` function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Final

from pulumi_phonecfg.core.lifecycle.agents import lookup_agent
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.native.names import keys_to_program

GET_AGENT_TOKEN: Final = "phonecfg:index:getAgent"


class NativeProvider(ProviderSession):
    """The session, configured by `configure_from(config_lookup(values))` (native/config.py)."""

    def get_agent(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """`phonecfg:index:getAgent`: `get_agent`'s lookup, cache and errors, with the provider's settings."""
        result = lookup_agent(self.settings, args.get("name"), args.get("environment", "live"))
        return dict(keys_to_program(asdict(result)))
