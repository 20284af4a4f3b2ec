"""What the routes and the middleware share: the store, tokens, faults, request log and settings.

``create_app`` puts one ``EmulatorState`` on ``app.state.emulator``; routes reach it through the
``State`` dependency, the middleware is given it when the app is built.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from pulumi_phonecfg.emulator.agents import EmulatedAgent
from pulumi_phonecfg.emulator.auth import TokenAuthority
from pulumi_phonecfg.emulator.faults import FaultEngine
from pulumi_phonecfg.emulator.settings import EmulatorSettings
from pulumi_phonecfg.emulator.store import Store

MAX_LOG_ENTRIES = 100_000


class RequestLog:
    """In-memory, ordered log of every non-admin request (admin endpoints expose it to tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)
            if len(self._entries) > MAX_LOG_ENTRIES:
                del self._entries[: len(self._entries) - MAX_LOG_ENTRIES]

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class EmulatorState:
    settings: EmulatorSettings
    store: Store
    tokens: TokenAuthority
    faults: FaultEngine
    requests: RequestLog
    # ``settings.served_agents()``, computed once when the app is built.
    agents: tuple[EmulatedAgent, ...]


async def emulator_state(request: Request) -> EmulatorState:
    """FastAPI dependency (async: no thread hop just to read an attribute)."""
    state = request.app.state.emulator
    assert isinstance(state, EmulatorState)
    return state


State = Annotated[EmulatorState, Depends(emulator_state)]
