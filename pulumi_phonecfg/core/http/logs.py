"""Debug output: the `pulumi_phonecfg` logger, which `PHONECFG_DEBUG=1` sends to stderr.

The provider runs in its own process (`python -m pulumi.dynamic`), whose stderr the Pulumi CLI shows as
diagnostics; so the provider logs there rather than through `pulumi.log`, which has no engine connection inside
a dynamic provider. Nothing logged carries a credential: request bodies are redacted and headers never logged.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

LOGGER = logging.getLogger("pulumi_phonecfg")
LOGGER.addHandler(logging.NullHandler())  # a library: silent unless asked

_enabled = False
_lock = threading.Lock()


def debug_from_environment() -> None:
    """With PHONECFG_DEBUG=1, print the package's debug log to stderr (once per process)."""
    global _enabled
    if os.environ.get("PHONECFG_DEBUG") != "1":
        return
    with _lock:
        if not _enabled:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("phonecfg: %(message)s"))
            LOGGER.addHandler(handler)
            LOGGER.setLevel(logging.DEBUG)
            LOGGER.propagate = False  # printed once, whatever the host process did to the root logger
            _enabled = True
