"""A throwaway PostgreSQL server for the state backend `postgres://...`, through scripts/postgres.sh.

The script installs PostgreSQL when it is missing (apt-get), runs the server as an unprivileged user on
127.0.0.1 and a free port, and prints the backend URL; `stop` removes everything it made.
"""

from __future__ import annotations

import base64
import binascii
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support import REPO

SCRIPT = REPO / "scripts" / "postgres.sh"
# The CLI's PostgreSQL backend stores every blob (state, backups, history, locks) as a row of `pulumi_state`
# whose `data` column is JSON `{"data": "<base64 of the blob>"}`.
_BLOB = re.compile(r'\{"data"\s*:\s*"([A-Za-z0-9+/=]*)"\}')
_LOCKS = re.compile(r"\S*/\.pulumi/locks/\S+\.json")


class PostgresStartError(RuntimeError):
    pass


@dataclass(frozen=True)
class RunningPostgres:
    directory: Path
    url: str

    def dump(self) -> str:
        """`pg_dump --data-only` of the backend's database: every row of `pulumi_state` as stored."""
        done = subprocess.run(
            [str(SCRIPT), "dump", str(self.directory)], capture_output=True, text=True, timeout=120, check=True
        )
        return done.stdout

    def stored_blobs(self) -> str:
        """The dump with every stored blob decoded: what the CLI wrote, as it wrote it (base64 hides nothing)."""
        dump = self.dump()
        blobs = []
        for match in _BLOB.finditer(dump):
            try:
                blobs.append(base64.b64decode(match.group(1), validate=True).decode(errors="replace"))
            except binascii.Error:
                blobs.append(match.group(1))
        return "\n".join(blobs)

    def lock_keys(self) -> list[str]:
        """Keys of the stack locks held in the database (`<db>/.pulumi/locks/organization/<project>/<stack>/...`)."""
        return sorted(set(_LOCKS.findall(self.dump())))


def start_postgres(directory: Path) -> RunningPostgres:
    """A server with its data and socket in `directory` (an empty directory that the server's user can reach)."""
    done = subprocess.run(
        [str(SCRIPT), "start", str(directory)], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        raise PostgresStartError(f"scripts/postgres.sh start failed: {done.stderr.strip()[-2000:]}")
    return RunningPostgres(directory, done.stdout.strip())


def stop_postgres(directory: Path) -> None:
    """Stop the server in `directory` (if one runs) and remove the directory."""
    subprocess.run([str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=120, check=False)
