"""`PhoneConfigProvider` and `PhoneNumberProvider`: the thin classes that wire the engine's calls to the
lifecycles in `lifecycle.py` and `number_lifecycle.py`.

They are what Pulumi pickles into every resource's state (`__provider`). They are pickled by reference
(`pulumi_phonecfg.provider.PhoneConfigProvider`, `pulumi_phonecfg.provider.PhoneNumberProvider`) with no instance
state, so they hold no credentials and no HTTP client, and stay a few dozen bytes. **Their module path and class
names must never change**: state files of existing stacks name them, and `refresh`/`destroy` unpickle the provider
stored there.

Per process it holds the settings from `configure()` and one API client; each engine call opens one operation
(one retry deadline) and turns our own errors into one-line messages without a stack.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, ParamSpec, TypeVar

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_phonecfg.client import PhoneApiClient
from pulumi_phonecfg.errors import PhoneConfigError
from pulumi_phonecfg.known_configs import KnownConfigs
from pulumi_phonecfg.lifecycle import (
    check_inputs,
    create_config,
    delete_config,
    diff_config,
    read_config,
    update_config,
)
from pulumi_phonecfg.number_lifecycle import (
    check_number,
    create_number,
    delete_number,
    diff_number,
    read_number,
    update_number,
)
from pulumi_phonecfg.provider_server import widen_provider_server
from pulumi_phonecfg.settings import ProviderSettings

P = ParamSpec("P")
R = TypeVar("R")


def _short_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Re-raise our own errors without their stack: the engine prints the traceback as the resource error."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except PhoneConfigError as error:
            failure = error
        raise failure.with_traceback(None) from None

    return wrapper


class _ApiProvider(ResourceProvider):
    """What both providers share: settings from `configure()`, one API client per process, one deadline per call."""

    serialize_as_secret_always = False  # the pickle carries nothing secret: see __getstate__
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    @_short_errors
    def configure(self, req: ConfigureRequest) -> None:
        settings = ProviderSettings.from_sources(req.config.get)
        widen_provider_server(settings.provider_threads)  # the server runs only 4 calls at once: see provider_server
        with self._lock:
            previous: PhoneApiClient | None = getattr(self, "_client", None)
            self._settings: ProviderSettings | None = settings
            self._client: PhoneApiClient | None = None
            self._known: KnownConfigs | None = None
        if previous is not None:
            previous.close()

    def api(self) -> PhoneApiClient:
        """The process-wide client, made on first use (every thread of the provider server shares it)."""
        with self._lock:
            client = getattr(self, "_client", None)
            if client is None:
                client = PhoneApiClient(self.settings())
                self._client = client
            return client

    def known_configs(self) -> KnownConfigs:
        """The tenant's configs by name, listed once per process on the first create (known_configs.py)."""
        api = self.api()
        with self._lock:
            known = getattr(self, "_known", None)
            if known is None:
                known = KnownConfigs(api.list_configs)
                self._known = known
            return known

    @contextmanager
    def operation(self) -> Iterator[PhoneApiClient]:
        """The client, with one retry deadline (`phonecfg:timeout`) shared by every request of this engine call."""
        api = self.api()
        with api.operation():
            yield api

    def settings(self) -> ProviderSettings:
        """The settings from `configure()` (the engine configures a provider before its first check)."""
        return getattr(self, "_settings", None) or ProviderSettings.from_sources(lambda _: None)


# The engine passes every argument by position (pulumi/dynamic/__main__.py); a leading underscore marks the ones a
# method does not use.
class PhoneConfigProvider(_ApiProvider):
    """Pulumi dynamic provider for watsonx Orchestrate phone configs. Import path is permanent."""

    @_short_errors
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(news, strict_numbers=self.settings().strict_phone_numbers)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_config(olds, news)

    @_short_errors
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.operation() as api:
            return create_config(api, props, known=self.known_configs(), adopt_default=self.settings().adopt_existing)

    @_short_errors
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.operation() as api:
            return read_config(api, id_, props)

    @_short_errors
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.operation() as api:
            return update_config(api, id_, olds, news, known=self.known_configs())

    @_short_errors
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        with self.operation() as api:
            delete_config(api, id_, known=self.known_configs())


class PhoneNumberProvider(_ApiProvider):
    """Pulumi dynamic provider for one phone number of a SIP trunk. Import path is permanent."""

    @_short_errors
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_number(news, strict_numbers=self.settings().strict_phone_numbers)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_number(olds, news)

    @_short_errors
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.operation() as api:
            return create_number(api, props)

    @_short_errors
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.operation() as api:
            return read_number(api, id_, props)

    @_short_errors
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.operation() as api:
            return update_number(api, id_, olds, news)

    @_short_errors
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with self.operation() as api:
            delete_number(api, id_, props)
