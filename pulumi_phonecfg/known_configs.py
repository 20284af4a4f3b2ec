"""Which configs exist in the tenant, by name and kind: the duplicate-name check of a create, at one list per process.

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
from typing import Any

from pulumi_phonecfg.models import config_kind, config_name

ConfigKey = tuple[str, str]  # (name as the API stores it, kind)


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

    def ids(self, name: str, kind: str) -> list[str]:
        """Ids of the configs named `name` (compared stripped) of `kind`, in the API's order.

        The first call lists the tenant; an error of that list propagates and the next call lists again.
        """
        with self._lock:
            if not self._loaded:
                for document in self._list_configs():
                    config_id = document.get("id")
                    if config_id:  # a config without an id cannot be adopted or refused by id
                        self._add(str(config_id), (config_name(document), config_kind(document)))
                self._loaded = True
            return list(self._ids.get((name.strip(), kind), []))

    # Before the first list there is nothing to keep true: the list will show what the server holds.

    def added(self, config_id: str, name: str, kind: str) -> None:
        """A config this process created, adopted or renamed now has that name."""
        with self._lock:
            if self._loaded:
                self._remove(config_id)
                self._add(config_id, (name.strip(), kind))

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
