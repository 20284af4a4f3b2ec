"""The dynamic-provider server runs more than its default four provider calls at once (provider_server.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pulumi_phonecfg.dynamic.provider_server import server_executor, widen_provider_server
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import dynamic_provider_server, emulator_config

CONCURRENT_CREATES = 12


def thread_count(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("Threads:"))


@pytest.mark.parametrize("configured", [None, "4"], ids=["default", "providerThreads=4"])
def test_concurrent_creates_each_get_a_thread(phone_api: RunningEmulator, configured: str | None) -> None:
    # Every POST is held 3 s at the emulator, so all creates are in flight together; with the SDK's limit of
    # four workers the server queues eight of them and starts no thread beyond the fourth.
    phone_api.set_faults([{"kind": "delay", "delay": 3.0, "method": "POST"}])
    config = emulator_config(phone_api)
    if configured is not None:
        config["phonecfg:providerThreads"] = configured
    with dynamic_provider_server() as server:
        server.configure(config)
        server.checked({"name": "warm-up"})  # the first call unpickles and configures the provider
        before = thread_count(server.process.pid)
        with ThreadPoolExecutor(CONCURRENT_CREATES) as engine:
            created = list(engine.map(lambda i: server.create({"name": f"c{i}"}, name=f"c{i}"), range(12)))
        after = thread_count(server.process.pid)
    assert len({c.id for c in created}) == CONCURRENT_CREATES
    assert len(phone_api.api_requests("POST")) == CONCURRENT_CREATES
    if configured is None:
        assert after - before >= CONCURRENT_CREATES - 4, (before, after)
    else:
        assert after - before <= 3, (before, after)  # the SDK's four workers, one of them already started


def test_outside_the_server_nothing_is_touched() -> None:
    assert server_executor() is None
    assert widen_provider_server(32) is False
