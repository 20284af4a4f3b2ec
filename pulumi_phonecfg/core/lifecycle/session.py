"""What one provider process holds, for the dynamic providers and the native plugin alike.

The settings from the engine's configure call (each face passes its configuration as a lookup of `phonecfg:*`
keys; `ProviderSettings.from_sources` resolves them, with their `PHONECFG_*` fallbacks), one API client made on
first use (shared by every thread of the provider server, replaced when the configuration changes), one index of
the tenant's config names (the duplicate-name check of creates, `known_configs.py`) and one retry deadline
(`phonecfg:timeout`, or the engine's own timeout of the call) per engine call, and one lock per config id for the
read-modify-writes of attachment lists (`config_locks.py`; kept across configure calls: they guard the tenant's
configs, whatever the client). A cancel (the engine's `Cancel`)
stops the retries of every client the process has or will make: the process is about to be shut down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.retry import Cancellation
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.config_locks import ConfigLocks
from pulumi_phonecfg.core.lifecycle.known_configs import KnownConfigs


def environment_settings() -> ProviderSettings:
    """Settings of a provider the engine has not configured: `PHONECFG_*` variables only."""
    return ProviderSettings.from_sources(lambda _: None)


class ProviderSession:
    """Thread-safe: the provider server runs several engine calls at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: ProviderSettings | None = None
        self._client: PhoneApiClient | None = None
        self._known: KnownConfigs | None = None
        self._cancellation = Cancellation()
        self.config_locks = ConfigLocks()

    def configure_from(self, config: Callable[[str], str | None]) -> ProviderSettings:
        """Settings from the engine's configuration, `config("phonecfg:url")` -> the value as text or None (the
        `PHONECFG_*` variables fill what it lacks); raises ConfigurationError, one line, when they are invalid."""
        settings = ProviderSettings.from_sources(config)
        self.configure(settings)
        return settings

    def configure(self, settings: ProviderSettings) -> None:
        """New settings: the next call makes a new client and lists the tenant again."""
        with self._lock:
            previous, self._client, self._known = self._client, None, None
            self._settings = settings
        if previous is not None:
            previous.close()

    @property
    def settings(self) -> ProviderSettings:
        with self._lock:
            if self._settings is None:
                self._settings = environment_settings()  # not configured: PHONECFG_* only
            return self._settings

    def api(self) -> PhoneApiClient:
        settings = self.settings
        with self._lock:
            if self._client is None:
                self._client = PhoneApiClient(settings, cancellation=self._cancellation)
            return self._client

    def known_configs(self) -> KnownConfigs:
        """The tenant's configs by name, listed once per process on the first create."""
        api = self.api()
        with self._lock:
            if self._known is None:
                self._known = KnownConfigs(api.list_configs)
            return self._known

    def cancel(self) -> None:
        """Stop retrying, now and for the rest of the process (waits in progress end at once)."""
        self._cancellation.cancel()

    @contextmanager
    def operation(self, timeout: float | None = None) -> Iterator[PhoneApiClient]:
        """The client, with one retry deadline shared by every request of this engine call: `timeout` seconds
        when the engine gives one (customTimeouts), else `phonecfg:timeout`."""
        api = self.api()
        with api.operation(timeout):
            yield api
