"""SQLite persistence for the emulator: one JSON document per phone config, plus a key/value table.

Thread-safe: one connection guarded by a re-entrant lock; ``transaction()`` holds the lock for a
whole read-validate-write sequence so cross-document rules (tenant-wide phone-number uniqueness,
quotas) are checked atomically. Data lives in the file given, so it survives a restart.
Secrets are stored in clear text: this is a local test double, never point it at real credentials.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS configs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Store:
    """Phone-config documents keyed by id, kept in creation order."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    # ---------------------------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock and an immediate SQLite transaction; commit on success, roll back on error.

        Re-entrant: nested calls join the outer transaction.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    # ---------------------------------------------------------------------------------------- configs

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute("SELECT doc FROM configs ORDER BY seq").fetchall()
        return [_load(r[0]) for r in rows]

    def get(self, config_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT doc FROM configs WHERE id = ?", (config_id,)).fetchone()
        return None if row is None else _load(row[0])

    def count(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT COUNT(*) FROM configs").fetchone()
        return int(row[0])

    def insert(self, doc: dict[str, Any]) -> None:
        with self.transaction():
            self._conn.execute("INSERT INTO configs (id, doc) VALUES (?, ?)", (doc["id"], json.dumps(doc)))

    def replace(self, doc: dict[str, Any]) -> None:
        with self.transaction():
            cur = self._conn.execute("UPDATE configs SET doc = ? WHERE id = ?", (json.dumps(doc), doc["id"]))
            if cur.rowcount != 1:
                raise KeyError(doc["id"])

    def delete(self, config_id: str) -> bool:
        with self.transaction():
            cur = self._conn.execute("DELETE FROM configs WHERE id = ?", (config_id,))
        return cur.rowcount == 1

    def clear(self) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM configs")

    # ------------------------------------------------------------------------------------------- meta

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _load(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):  # pragma: no cover - we only ever write dicts
        raise ValueError("corrupt config document")
    return value
