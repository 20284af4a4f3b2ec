"""One lock per config id, for the read-modify-writes of a config's whole `attached_environments` list.

The API has no attach endpoint and no conditional write: an `AgentAttachment` attaches or detaches by reading the
config and PATCHing the whole list (`agent_attachment.py`). Two such writes of one config in flight at once would
each PATCH the list it read, and the later would drop the earlier's pair. Within one provider process (every
attachment of one `pulumi up`) they take turns on the config's lock, so they never lose each other; across
processes (other stacks, the console) the window is only the time between a GET and its PATCH.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ConfigLocks:
    """Thread-safe; a lock is made on first use of an id and kept for the process (one per config touched)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    @contextmanager
    def holding(self, config_id: str) -> Iterator[None]:
        """Hold the lock of `config_id` (case-insensitive: one config however its id is spelled)."""
        key = config_id.lower()
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield
