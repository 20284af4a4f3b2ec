"""Files only their owner may read: what a command writes that holds a stack's state (encrypted secrets, ids)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

PRIVATE_MODE: Final = 0o600


def write_private_text(path: Path, text: str) -> None:
    """Write `text` to `path`, readable and writable by its owner only, whatever the umask.

    The file is created with that mode (never briefly wider), and an existing file is narrowed before it is
    written, so no reader ever sees the new content under the old permissions.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    with open(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(descriptor, PRIVATE_MODE)
        file.write(text)
