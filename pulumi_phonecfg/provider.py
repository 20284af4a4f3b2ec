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
from collections.abc import Callable
from contextlib import AbstractContextManager
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
from pulumi_phonecfg.session import ProviderSession
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
    """What both providers share: a `ProviderSession` per process (settings from `configure()`, one API client, the
    name index, one deadline per call) and nothing in the pickle."""

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
        self.session().configure(settings)

    def session(self) -> ProviderSession:
        """This process's settings, client and name index (session.py), made on first use; never pickled."""
        with self._lock:
            session: ProviderSession | None = getattr(self, "_session", None)
            if session is None:
                session = self._session = ProviderSession()
            return session

    def settings(self) -> ProviderSettings:
        """The settings from `configure()` (the engine configures a provider before its first check)."""
        return self.session().settings

    def known_configs(self) -> KnownConfigs:
        return self.session().known_configs()

    def operation(self) -> AbstractContextManager[PhoneApiClient]:
        """The client, with one retry deadline (`phonecfg:timeout`) shared by every request of this engine call."""
        return self.session().operation()


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
