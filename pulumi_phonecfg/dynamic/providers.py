"""`PhoneConfigProvider`, `PhoneNumberProvider` and `AgentAttachmentProvider`: the thin classes that wire the engine's
calls to the lifecycles in `core/lifecycle/` and turn the core's results into `pulumi.dynamic`'s.

They are what Pulumi pickles into every resource's state (`__provider`). They are pickled by reference, under
`PICKLE_MODULE` (`pulumi_phonecfg.provider.PhoneConfigProvider`, `...PhoneNumberProvider`,
`...AgentAttachmentProvider`), with no instance state, so they hold no credentials and no HTTP client, and stay a
few dozen bytes. **That pickle path and the class names must never change**: state files of existing stacks name
them, and `refresh`/`destroy` unpickle the provider stored there. The classes live here;
`pulumi_phonecfg/provider.py` re-exports them.

Per process it holds the settings from `configure()` and one API client; each engine call opens one operation (one
retry deadline) and turns our own errors into one-line messages without a stack.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Final, ParamSpec, TypeVar

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PartialCreateError, PhoneApiError, PhoneConfigError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.agent_attachment import (
    check_attachment,
    create_attachment,
    delete_attachment,
    diff_attachment,
    read_attachment,
    update_attachment,
)
from pulumi_phonecfg.core.lifecycle.config_locks import ConfigLocks
from pulumi_phonecfg.core.lifecycle.known_configs import KnownConfigs
from pulumi_phonecfg.core.lifecycle.phone_config import (
    check_inputs,
    create_config,
    delete_config,
    diff_config,
    read_config,
    update_config,
)
from pulumi_phonecfg.core.lifecycle.phone_number import (
    check_number,
    create_number,
    delete_number,
    diff_number,
    read_number,
    update_number,
)
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.dynamic.provider_server import widen_provider_server
from pulumi_phonecfg.dynamic.results import check_result, create_result, diff_result, read_result, update_result

# Where state files find the providers (by reference): the module they were defined in before the package had
# folders. `pulumi_phonecfg/provider.py` re-exports them from there.
PICKLE_MODULE: Final = "pulumi_phonecfg.provider"

P = ParamSpec("P")
R = TypeVar("R")


def _short_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Re-raise our own errors without their stack: the engine prints the traceback as the resource error."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except PartialCreateError as error:
            # A dynamic provider cannot hand partial state to the engine: the same line, as the plain API error.
            failure: PhoneConfigError = PhoneApiError(error.operation, error.status, error.detail)
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
        settings = self.session().configure_from(req.config.get)
        widen_provider_server(settings.provider_threads)  # the server runs only 4 calls at once: see provider_server

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

    def config_locks(self) -> ConfigLocks:
        """One lock per config id for the attachment-list writes of this process (the engine keeps one provider
        instance per process: `pulumi.dynamic` caches it by its pickle)."""
        return self.session().config_locks

    def operation(self) -> AbstractContextManager[PhoneApiClient]:
        """The client, with one retry deadline (`phonecfg:timeout`) shared by every request of this engine call."""
        return self.session().operation()


# The engine passes every argument by position (pulumi/dynamic/__main__.py); a leading underscore marks the ones a
# method does not use.
class PhoneConfigProvider(_ApiProvider):
    """Pulumi dynamic provider for watsonx Orchestrate phone configs. Import path is permanent."""

    @_short_errors
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_result(check_inputs(news, strict_numbers=self.settings().strict_phone_numbers))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(diff_config(olds, news))

    @_short_errors
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.operation() as api:
            return create_result(
                create_config(api, props, known=self.known_configs(), adopt_default=self.settings().adopt_existing)
            )

    @_short_errors
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.operation() as api:
            return read_result(read_config(api, id_, props))

    @_short_errors
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.operation() as api:
            return update_result(update_config(api, id_, olds, news, known=self.known_configs()))

    @_short_errors
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        with self.operation() as api:
            delete_config(api, id_, known=self.known_configs())


class PhoneNumberProvider(_ApiProvider):
    """Pulumi dynamic provider for one phone number of a SIP trunk. Import path is permanent."""

    @_short_errors
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_result(check_number(news, strict_numbers=self.settings().strict_phone_numbers))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(diff_number(olds, news))

    @_short_errors
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.operation() as api:
            return create_result(create_number(api, props))

    @_short_errors
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.operation() as api:
            return read_result(read_number(api, id_, props))

    @_short_errors
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.operation() as api:
            return update_result(update_number(api, id_, olds, news))

    @_short_errors
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with self.operation() as api:
            delete_number(api, id_, props)


class AgentAttachmentProvider(_ApiProvider):
    """Pulumi dynamic provider for one agent environment attached to a Genesys config. Import path is permanent."""

    @_short_errors
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_result(check_attachment(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(diff_attachment(olds, news))

    @_short_errors
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.operation() as api:
            return create_result(create_attachment(api, self.config_locks(), props))

    @_short_errors
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.operation() as api:
            return read_result(read_attachment(api, id_, props))

    @_short_errors
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.operation() as api:
            return update_result(update_attachment(api, self.config_locks(), id_, olds, news))

    @_short_errors
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with self.operation() as api:
            delete_attachment(api, self.config_locks(), id_, props)


# Pickled by reference under the permanent path, not under this module's (see the module docstring).
PhoneConfigProvider.__module__ = PICKLE_MODULE
PhoneNumberProvider.__module__ = PICKLE_MODULE
AgentAttachmentProvider.__module__ = PICKLE_MODULE
