"""The retry policy: exponential backoff with jitter, `Retry-After` honoured and capped, one deadline per operation.

One `Retrier` per API client applies it to every request: the phone-config API calls of `client.py`, the token
exchange of `auth.py` and the ambiguous-create recovery of `known_configs.py`. All three run `Retrier.run`, the one
retry loop: the caller makes an attempt and says what it came to (a result, or a `Failed` built with
`worth_retrying`, the one classification of failures); how long to wait and when to stop is decided here.

A provider operation (one `create`, `read`, `update` or `delete` of the engine) opens `Retrier.operation()`: every
request made inside it, on the same thread, shares one deadline of `phonecfg:timeout` seconds, retries, token
exchanges, lookups and clean-up requests included. A request made outside any operation opens its own.
`phonecfg:maxRetries` bounds the retries of each single request. The first attempt of a request always goes out,
even past the deadline (a clean-up DELETE must still be tried once), with its timeout cut to what is left of the
deadline but never below `MIN_ATTEMPT_TIMEOUT`. An operation may bring its own deadline (the engine's
`customTimeouts`, which only the native plugin receives) instead of `phonecfg:timeout`.

A `Cancellation` (the engine's `Cancel`, Ctrl-C) stops every retry at once: a wait in progress ends, no further
retry starts, and the request gives up with its last failure. A first attempt still goes out (a clean-up DELETE
must still be tried once, as past the deadline).

Why not tenacity or stamina: both measure time with `time.monotonic()` from the start of one retried call, so a
deadline shared by several calls (a POST, its lookup, a compensating DELETE) and a fake clock in tests would need
our own stop, wait and clock code around them anyway.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Final, TypeVar

import httpx

log = logging.getLogger(__name__)

# An attempt made at or past the deadline still gets this long before it times out.
MIN_ATTEMPT_TIMEOUT: Final = 5.0
CONNECT_TIMEOUT: Final = 10.0
# Worth another attempt for an idempotent request (token exchanges included); 500 too, since repeating an
# idempotent request is harmless whether or not the first one took effect.
TRANSIENT_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
# After these a request that is not idempotent (a create's POST) surely was not processed: refused before any work.
NOT_PROCESSED_STATUSES: Final = frozenset({429, 503})

T = TypeVar("T")


def worth_retrying(*, idempotent: bool, status: int | None = None, error: Exception | None = None) -> bool:
    """Whether a failed attempt is worth another: the one classification of failures.

    An idempotent request (GET, PATCH with append=false, DELETE, a token exchange) is repeated after a transport
    error or a `TRANSIENT_STATUSES` answer: repeating it is harmless whether or not the first one took effect. A
    POST that creates is repeated only when it surely was not processed: it could not connect, or the server
    answered `NOT_PROCESSED_STATUSES`. Any other failure of it is ambiguous (see `is_ambiguous`).
    """
    if error is not None:
        return idempotent or isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
    return status in (TRANSIENT_STATUSES if idempotent else NOT_PROCESSED_STATUSES)


def is_ambiguous(failed: Failed, *, idempotent: bool) -> bool:
    """A create that failed in a way that leaves open whether it was processed: no answer, or a server error."""
    return not idempotent and not failed.retryable and (failed.status is None or failed.status >= 500)


@dataclass(frozen=True)
class Failed:
    """What one failed attempt came to: its one-line problem, whether another attempt is worth it, the status
    (None without an answer) and the server's Retry-After."""

    problem: str
    retryable: bool
    status: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait before each retry and when to give up."""

    max_retries: int = 5  # retries of one request, on top of its first attempt
    timeout: float = 120.0  # the deadline of one provider operation (seconds), retries included
    base_delay: float = 0.25  # the first backoff, before jitter; doubles with each retry
    max_delay: float = 8.0  # the longest backoff, before jitter
    max_retry_after: float = 60.0  # a server's Retry-After is honoured up to this many seconds

    def delay(self, retry: int, retry_after: float | None, jitter: float) -> float:
        """Seconds to wait before retry number `retry` (1 = the first retry).

        `jitter` is a draw from [0.5, 1): the wait is somewhere in the upper half of the exponential step, so
        clients that failed together do not come back together. A server's Retry-After wins, up to the cap.
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return min(self.max_delay, self.base_delay * 2.0 ** (retry - 1)) * jitter


class Cancellation:
    """Set once the engine cancels: every retry loop sharing it stops waiting and gives up."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> None:
        """Sleep `seconds`, or less when cancelled meanwhile."""
        self._event.wait(seconds)


@dataclass
class Deadline:
    """When the current provider operation must be over, on the retrier's clock."""

    at: float
    seconds: float
    source: str = "phonecfg:timeout"  # what set it, as the error line names it


_current_deadline: ContextVar[Deadline | None] = ContextVar("phonecfg_operation_deadline", default=None)


class Retrier:
    """Applies a `RetryPolicy`. Shared by the engine's worker threads; each thread has its own operation."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
        cancellation: Cancellation | None = None,
    ) -> None:
        """`sleep` is a seam for tests; with a `cancellation` and the default sleep, a wait ends when cancelled."""
        self.policy = policy
        self.clock = clock
        self.cancellation = cancellation or Cancellation()
        self.sleep = self.cancellation.wait if sleep is time.sleep else sleep
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()

    @contextmanager
    def operation(self, timeout: float | None = None) -> Iterator[Deadline]:
        """One provider operation: opens a deadline of `timeout` seconds (none or 0: the policy's), or joins the
        one the caller already opened."""
        current = _current_deadline.get()
        if current is not None:
            yield current
            return
        if timeout is not None and timeout > 0:
            deadline = Deadline(at=self.clock() + timeout, seconds=timeout, source="customTimeouts")
        else:
            deadline = Deadline(at=self.clock() + self.policy.timeout, seconds=self.policy.timeout)
        token = _current_deadline.set(deadline)
        try:
            yield deadline
        finally:
            _current_deadline.reset(token)

    def attempts(self, *, max_retries: int | None = None) -> Attempts:
        """The attempt counter of one request; call it inside `operation()`."""
        deadline = _current_deadline.get()
        if deadline is None:
            raise RuntimeError("Retrier.attempts() outside Retrier.operation()")
        limit = self.policy.max_retries if max_retries is None else max_retries
        return Attempts(self, deadline, limit)

    def run(
        self,
        attempt: Callable[[Attempts], T | Failed],
        give_up: Callable[[Failed, Attempts], Exception],
        *,
        max_retries: int | None = None,
    ) -> T:
        """The retry loop: `attempt` until it returns a result, or its `Failed` is not worth another attempt
        or the budget is spent; then raise what `give_up` makes of the last failure. Inside `operation()`."""
        with self.operation():
            attempts = self.attempts(max_retries=max_retries)
            while True:
                outcome = attempt(attempts)
                if not isinstance(outcome, Failed):
                    return outcome
                if outcome.retryable and attempts.retry(outcome.retry_after):
                    continue
                raise give_up(outcome, attempts)

    def jitter(self) -> float:
        """A draw from [0.5, 1) (see `RetryPolicy.delay`)."""
        with self._random_lock:
            return self._random.uniform(0.5, 1.0)


class Attempts:
    """Counts the attempts of one request and decides, after a failed one, whether another is worth it."""

    def __init__(self, retrier: Retrier, deadline: Deadline, max_retries: int) -> None:
        self._retrier = retrier
        self._deadline = deadline
        self._max_retries = max_retries
        self.made = 1  # the first attempt is being made as this object is created
        self.stopped_by_deadline = False
        self.stopped_by_cancel = False

    def request_timeout(self, configured: float) -> float:
        """The timeout for the attempt about to be made: no later than the deadline, but never too short."""
        left = self._deadline.at - self._retrier.clock()
        return min(configured, max(left, MIN_ATTEMPT_TIMEOUT))

    def httpx_timeout(self, configured: float) -> httpx.Timeout:
        """`request_timeout` as httpx takes it: connecting never takes longer than CONNECT_TIMEOUT."""
        timeout = self.request_timeout(configured)
        return httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))

    def retry(self, retry_after: float | None = None) -> bool:
        """After a failed attempt worth repeating: wait and return True, or return False when out of budget.

        Out of budget: `max_retries` retries made already, or the wait would end past the deadline (then it
        returns at once rather than sleep for nothing), or the engine cancelled (before or during the wait).
        """
        cancellation = self._retrier.cancellation
        if cancellation.cancelled:
            self.stopped_by_cancel = True
            return False
        if self.made > self._max_retries:
            return False
        wait = self._retrier.policy.delay(self.made, retry_after, self._retrier.jitter())
        if self._retrier.clock() + wait > self._deadline.at:
            self.stopped_by_deadline = True
            return False
        log.debug("retry %d of %d in %.2f s", self.made, self._max_retries, wait)
        self._retrier.sleep(wait)
        if cancellation.cancelled:
            self.stopped_by_cancel = True
            return False
        self.made += 1
        return True

    def summary(self) -> str:
        """What the attempts came to, for the end of an error line ('' after a single attempt in time)."""
        parts = [f"after {self.made} attempts"] if self.made > 1 else []
        if self.stopped_by_deadline:
            parts.append(f"the {self._deadline.seconds:g} s {self._deadline.source} ran out")
        if self.stopped_by_cancel:
            parts.append("retries stopped: the update was cancelled")
        return f" ({'; '.join(parts)})" if parts else ""


def retry_after_seconds(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """The response's Retry-After in seconds (delta-seconds or an HTTP date), or None without a usable one."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, float(parsedate_to_datetime(value).timestamp()) - now())
    except (TypeError, ValueError):
        return None
