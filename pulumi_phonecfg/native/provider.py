"""The native provider's state in one plugin process: a `ProviderSession` (session.py, as the dynamic providers
have) configured from `Configure`'s keys, and the `getAgent` function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Final

from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.agents import lookup_agent
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.native.config import settings_from
from pulumi_phonecfg.native.names import keys_to_program

GET_AGENT_TOKEN: Final = "phonecfg:index:getAgent"


class NativeProvider(ProviderSession):
    def __init__(self) -> None:
        super().__init__(unconfigured=lambda: settings_from({}))  # not configured: PHONECFG_* only

    def configure_from(self, values: Mapping[str, Any]) -> ProviderSettings:
        """Apply the provider configuration (keys without prefix); raises ConfigurationError when invalid."""
        settings = settings_from(values)
        self.configure(settings)
        return settings

    def get_agent(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """`phonecfg:index:getAgent`: `get_agent`'s lookup, cache and errors, with the provider's settings."""
        result = lookup_agent(self.settings, args.get("name"), args.get("environment", "live"))
        return dict(keys_to_program(asdict(result)))
