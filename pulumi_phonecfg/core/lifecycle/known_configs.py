"""Which existing config is ours: the duplicate-name check of a create (at one list per process), and the config
an ambiguous create POST may have created. The one place for that policy, and for what "the same config" is
(`config_key`: same name and kind); `client.py` only sends requests.

Names are not unique server-side, so before a POST the provider must know whether a config of the declared name
and kind already exists (a re-run after an interrupted `up` would otherwise create a duplicate). Listing every
config before every create cost one GET per create and O(N²) bytes per `up`. Instead the first create of a
provider process lists the tenant once and keeps only an index (name, kind) -> ids; the process then keeps the
index true to what it does itself: a create adds, a delete removes, an update that renames moves the id.

What the index cannot see: a config of the same name that another party creates while this process runs. The
guarantee it keeps is the one that matters for an interrupted run: every config created by an earlier process
(an earlier `up`, killed or not) is in the list the next process starts from.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import AmbiguousCreateError, PhoneApiError
from pulumi_phonecfg.core.http.retry import Attempts, Failed
from pulumi_phonecfg.core.schema.api_documents import config_kind, config_name

# How far before our own clock a config's created_on may lie and still be the one our failed POST created.
CREATED_ON_SKEW: Final = timedelta(minutes=2)

ConfigKey = tuple[str, str]  # (name as the API stores it, kind)
DocumentT = TypeVar(
    "DocumentT", bound=Mapping[str, Any]
)  # an API document (or declared inputs), as the caller holds it


def config_key(document: Mapping[str, Any]) -> ConfigKey:
    """What makes two configs "the same config": the name as the API stores it (stripped) and the kind (the
    server's default when absent). The one definition for every name lookup: the duplicate-name check and adoption
    of a create (and the lock that serializes creates of one name), the recovery after an ambiguous POST, and
    `phonecfg export`'s adoptability check. `document`: a config as the API returns it, or declared inputs."""
    return config_name(document), config_kind(document)


def same_configs(configs: Iterable[DocumentT], document: Mapping[str, Any]) -> list[DocumentT]:
    """The configs that are the same config as `document` (`config_key`), in the API's order."""
    key = config_key(document)
    return [c for c in configs if config_key(c) == key]


class KnownConfigs:
    """A per-process index of the tenant's configs by (name, kind), filled by one list on first use.

    Thread-safe: the engine runs several creates at once; the first one lists while the others wait.
    """

    def __init__(self, list_configs: Callable[[], Iterable[Mapping[str, Any]]]) -> None:
        self._list_configs = list_configs
        self._lock = threading.Lock()
        self._loaded = False
        self._ids: dict[ConfigKey, list[str]] = {}
        self._keys: dict[str, ConfigKey] = {}

    def ids(self, declared: Mapping[str, Any]) -> list[str]:
        """Ids of the configs that are the same config as `declared` (`config_key`), in the API's order.

        The first call lists the tenant; an error of that list propagates and the next call lists again.
        """
        with self._lock:
            if not self._loaded:
                for document in self._list_configs():
                    config_id = document.get("id")
                    if config_id:  # a config without an id cannot be adopted or refused by id
                        self._add(str(config_id), config_key(document))
                self._loaded = True
            return list(self._ids.get(config_key(declared), []))

    # Before the first list there is nothing to keep true: the list will show what the server holds.

    def added(self, config_id: str, document: Mapping[str, Any]) -> None:
        """A config this process created, adopted or renamed now has `document`'s name (and kind)."""
        with self._lock:
            if self._loaded:
                self._remove(config_id)
                self._add(config_id, config_key(document))

    def removed(self, config_id: str) -> None:
        """A config this process deleted (or found gone)."""
        with self._lock:
            if self._loaded:
                self._remove(config_id)

    def _add(self, config_id: str, key: ConfigKey) -> None:
        self._ids.setdefault(key, []).append(config_id)
        self._keys[config_id] = key

    def _remove(self, config_id: str) -> None:
        key = self._keys.pop(config_id, None)
        if key is None:
            return
        remaining = [known for known in self._ids.get(key, []) if known != config_id]
        if remaining:
            self._ids[key] = remaining
        else:
            self._ids.pop(key, None)


# --------------------------------------------------------------------------------------------------------------
# The config an ambiguous POST may have created


def post_without_duplicates(api: PhoneApiClient, body: Mapping[str, Any], *, label: str) -> dict[str, Any]:
    """POST a config, never twice: after an ambiguous failure (it may have been committed), adopt the config if it
    appeared, POST again only if it did not, and refuse to guess when several appeared."""
    operation = f"create phone config {label}"
    started = datetime.now(UTC)

    def attempt(_: Attempts) -> dict[str, Any] | Failed:
        try:
            return api.post_config(body, label=label)
        except AmbiguousCreateError as error:
            try:
                configs = api.list_configs()
            except PhoneApiError as lookup:
                detail = f"{error.detail}; could not check whether it was created: {lookup}"
                raise PhoneApiError(operation, error.status, detail) from None
            created = _created_by_post(body, started, configs, operation, error)
            if created is not None:
                return created
            return Failed(error.detail, retryable=True, status=error.status)

    def give_up(failed: Failed, attempts: Attempts) -> AmbiguousCreateError:
        return AmbiguousCreateError(
            operation, failed.status, f"{failed.problem}; no config appeared{attempts.summary()}"
        )

    return api.retrier.run(attempt, give_up)


def _created_by_post(
    body: Mapping[str, Any],
    started: datetime,
    configs: list[dict[str, Any]],
    operation: str,
    error: AmbiguousCreateError,
) -> dict[str, Any] | None:
    """The config a failed POST may have created: same name and kind, created since the POST began."""
    since = started - CREATED_ON_SKEW
    candidates = [c for c in same_configs(configs, body) if _created_since(c.get("created_on"), since)]
    if len(candidates) > 1:
        ids = ", ".join(str(c.get("id")) for c in candidates)
        detail = f"the create may have gone through more than once: configs {ids} appeared; delete the extra"
        raise PhoneApiError(operation, error.status, detail)
    return candidates[0] if candidates else None


def _created_since(created_on: Any, since: datetime) -> bool:
    if not isinstance(created_on, str):
        return True  # no timestamp to rule it out (the reference lists created_on, but it is unverified)
    try:
        stamp = datetime.fromisoformat(created_on.replace("Z", "+00:00"))
    except ValueError:
        return True
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp >= since
