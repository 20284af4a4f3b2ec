"""Lets the dynamic-provider server run more than four provider calls at once (guarded; see docs/benchmarks.md).

`python -m pulumi.dynamic` (SDK 3.272-3.274) serves the engine on `grpc.server(ThreadPoolExecutor(max_workers=4))`:
at most four create/read/update/delete calls run at once, whatever `pulumi up --parallel` asks, and each of them
mostly waits on the network. `widen_provider_server()` raises that executor's limit in place, once, from the
provider's `configure` (which the server calls on first use), to `phonecfg:providerThreads` (default 32; 4 or
less keeps the SDK's limit). The provider is safe to run on more threads: one
shared `httpx.Client` (thread-safe, pool larger than this limit), its lazy creation and token renewal under locks.

Guards: it acts only inside the SDK's own server (its `main` frame on the main thread of a `pulumi.dynamic.__main__`
process), only on a `ThreadPoolExecutor` with the private attributes this relies on, only upward, under the
executor's own lock; anything unexpected and it does nothing and returns False. The SDK creating threads lazily
(one per call that finds no idle thread), idle extra threads cost nothing but their stacks.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Final

SERVER_MODULE: Final = "pulumi.dynamic.__main__"


def server_executor() -> ThreadPoolExecutor | None:
    """The executor the running `pulumi.dynamic` server hands calls to, or None outside that server."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if main is None or getattr(spec, "name", None) != SERVER_MODULE:
        return None
    frame = sys._current_frames().get(threading.main_thread().ident or -1)
    while frame is not None:
        if frame.f_code.co_name == "main" and frame.f_globals is vars(main):
            server = frame.f_locals.get("server")
            pool = getattr(getattr(server, "_state", None), "thread_pool", None)
            usable = (
                isinstance(pool, ThreadPoolExecutor)
                and isinstance(getattr(pool, "_max_workers", None), int)
                and hasattr(pool, "_shutdown_lock")
            )
            return pool if usable else None
        frame = frame.f_back
    return None


def widen_provider_server(threads: int) -> bool:
    """Let the server run up to `threads` provider calls at once; True if the limit is now at least that."""
    executor = server_executor()
    if executor is None:
        return False
    with executor._shutdown_lock:  # the lock submit() holds while sizing the pool
        if executor._max_workers < threads:
            executor._max_workers = threads
    return True
