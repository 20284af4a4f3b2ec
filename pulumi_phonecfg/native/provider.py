"""The native provider's state in one plugin process: the settings from `Configure` and one API client.

Like `PhoneConfigProvider` for the dynamic resource: one client per process (made on first use, replaced when the
configuration changes), one index of the tenant's config names (the duplicate-name check of creates), one retry
deadline (`phonecfg:timeout`) per engine call.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Final

from pulumi_phonecfg.agents import lookup_agent
from pulumi_phonecfg.client import PhoneApiClient
from pulumi_phonecfg.known_configs import KnownConfigs
from pulumi_phonecfg.native.config import settings_from
from pulumi_phonecfg.native.names import keys_to_program
from pulumi_phonecfg.settings import ProviderSettings

GET_AGENT_TOKEN: Final = "phonecfg:index:getAgent"


class NativeProvider:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: ProviderSettings | None = None
        self._client: PhoneApiClient | None = None
        self._known: KnownConfigs | None = None

    def configure(self, values: Mapping[str, Any]) -> ProviderSettings:
        """Apply the provider configuration (keys without prefix); raises ConfigurationError when invalid."""
        settings = settings_from(values)
        with self._lock:
            previous, self._client, self._known = self._client, None, None
            self._settings = settings
        if previous is not None:
            previous.close()
        return settings

    @property
    def settings(self) -> ProviderSettings:
        with self._lock:
            if self._settings is None:
                self._settings = settings_from({})  # not configured: PHONECFG_* only
            return self._settings

    def api(self) -> PhoneApiClient:
        settings = self.settings
        with self._lock:
            if self._client is None:
                self._client = PhoneApiClient(settings)
            return self._client

    def known_configs(self) -> KnownConfigs:
        """The tenant's configs by name, listed once per process on the first create (known_configs.py)."""
        api = self.api()
        with self._lock:
            if self._known is None:
                self._known = KnownConfigs(api.list_configs)
            return self._known

    @contextmanager
    def operation(self) -> Iterator[PhoneApiClient]:
        """The client, with one retry deadline shared by every request of this engine call."""
        api = self.api()
        with api.operation():
            yield api

    def get_agent(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """`phonecfg:index:getAgent`: `get_agent`'s lookup, cache and errors, with the provider's settings."""
        result = lookup_agent(self.settings, args.get("name"), args.get("environment", "live"))
        return dict(keys_to_program(asdict(result)))
