"""Stacks run at the same moment, each from its own thread, released by one barrier: the concurrency tests of
numbers and attachments (test_concurrent_numbers.py, test_concurrent_attachments.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pulumi import automation as auto

from .helpers import Transcript


class StacksAtOnce:
    """`stacks` by name, a transcript each, and when each of `teams` had a step of `type_token` in flight."""

    def __init__(self, stacks: dict[str, auto.Stack], teams: Sequence[str], type_token: str) -> None:
        self.stacks = stacks
        self.teams = tuple(teams)
        self.type_token = type_token
        self.transcripts = {name: Transcript() for name in stacks}
        self.step_times: dict[str, list[float]] = {}

    def overlap(self) -> float:
        """Seconds during which every team had a step of the type in flight (negative: never all at once), as their
        engine events reached this process."""
        return min(max(t) for t in self.step_times.values()) - max(min(t) for t in self.step_times.values())

    def at_once(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """`operation` of every team at the same moment (one barrier), each stack from its own thread."""
        barrier = threading.Barrier(len(self.teams))
        self.step_times = {team: [] for team in self.teams}

        def run(team: str) -> Any:
            transcript = self.transcripts[team].kwargs()
            record = transcript["on_event"]

            def on_event(event: auto.EngineEvent) -> None:
                step = event.resource_pre_event or event.res_outputs_event
                if step is not None and step.metadata.type == self.type_token:
                    self.step_times[team].append(time.monotonic())  # a step of the type started or ended
                record(event)

            barrier.wait(timeout=60)
            return getattr(self.stacks[team], operation)(**{**transcript, "on_event": on_event}, **kwargs)

        with ThreadPoolExecutor(max_workers=len(self.teams)) as pool:
            futures = {team: pool.submit(run, team) for team in self.teams}
            return {team: future.result() for team, future in futures.items()}
