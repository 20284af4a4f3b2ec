"""Fault injection: explicit rules (``/_emulator/faults``) and seeded random faults (``--fault-rate``).

A decision is taken once per API request, before it is processed (see ``middleware.EmulatorMiddleware``):

* ``status``: answer ``status`` (default 503) with ``{"detail": ...}``; the request is not processed.
* ``drop``: send response headers announcing a body, part of it, then close the connection.
* ``delay``: sleep ``delay`` seconds, then process normally.
* ``commit_then_fail``: process the request (data changes), then answer ``status`` (default 500).
* ``commit_then_drop``: process the request, then drop as above.

``delay`` > 0 on any other kind sleeps first as well. Rules are tried in order; the first whose
``method``/``path`` match, whose ``times`` budget is not spent and whose ``probability`` roll succeeds
fires. If no rule fires, the random faults (if ``--fault-rate`` > 0) get a roll. All randomness comes
from seeded ``random.Random`` instances used under a lock, so a given seed and request order gives the
same faults every run.
"""

from __future__ import annotations

import contextvars
import logging
import random
import re
import threading
from dataclasses import dataclass

from pulumi_phonecfg.emulator.schemas import FaultKind, FaultRule, FaultRuleState

DEFAULT_STATUS: dict[FaultKind, int] = {
    "status": 503,
    "commit_then_fail": 500,
    "drop": 200,
    "commit_then_drop": 200,
    "delay": 200,
}

# What the random faults (``--fault-rate``) choose from, uniformly.
RANDOM_FAULTS: tuple[str, ...] = ("429", "502", "503", "504", "drop", "commit_then_fail")


@dataclass(frozen=True)
class FaultDecision:
    kind: FaultKind
    status: int
    retry_after: int | None = None
    delay: float = 0.0


class _ActiveRule:
    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.regex = re.compile(rule.path) if rule.path is not None else None
        self.method = rule.method.upper() if rule.method is not None else None
        self.rng = random.Random(rule.seed)
        self.hits = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        if self.regex is not None and self.regex.search(path) is None:
            return False
        return self.rule.times is None or self.hits < self.rule.times

    def roll(self) -> bool:
        p = self.rule.probability
        return p is None or self.rng.random() < p

    def decision(self) -> FaultDecision:
        kind = self.rule.kind
        status = self.rule.status if self.rule.status is not None else DEFAULT_STATUS[kind]
        return FaultDecision(kind=kind, status=status, retry_after=self.rule.retry_after, delay=self.rule.delay)


class FaultEngine:
    """Thread-safe holder of the current fault rules and the random-fault generator."""

    def __init__(self, rate: float = 0.0, seed: int | None = None) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("fault rate must be within [0, 1]")
        self._lock = threading.Lock()
        self._rules: list[_ActiveRule] = []
        self.rate = rate
        self._rng = random.Random(seed)

    def set_rules(self, rules: list[FaultRule]) -> None:
        """Replace the rule set. Raises ``re.error`` for an invalid ``path`` regex (nothing changes)."""
        active = [_ActiveRule(r) for r in rules]
        with self._lock:
            self._rules = active

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def rules(self) -> list[FaultRuleState]:
        with self._lock:
            return [FaultRuleState(**r.rule.model_dump(), hits=r.hits) for r in self._rules]

    def decide(self, method: str, path: str) -> FaultDecision | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path) and rule.roll():
                    rule.hits += 1
                    return rule.decision()
            if self.rate > 0 and self._rng.random() < self.rate:
                return self._random_decision()
        return None

    def _random_decision(self) -> FaultDecision:
        choice = self._rng.choice(RANDOM_FAULTS)
        if choice == "429":
            return FaultDecision("status", 429, retry_after=self._rng.randint(0, 1))
        if choice == "drop":
            return FaultDecision("drop", DEFAULT_STATUS["drop"])
        if choice == "commit_then_fail":
            return FaultDecision("commit_then_fail", 500)
        return FaultDecision("status", int(choice))


# Set while a deliberately dropped response is being abandoned, so the uvicorn error it triggers
# ("ASGI callable returned without completing response.") is not reported as a bug.
DELIBERATE_DROP: contextvars.ContextVar[bool] = contextvars.ContextVar("phonecfg_deliberate_drop", default=False)


class DeliberateDropFilter(logging.Filter):
    """Hide uvicorn's complaint about an incomplete response when the emulator dropped it on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (DELIBERATE_DROP.get() and "without completing response" in record.getMessage())
