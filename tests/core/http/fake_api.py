"""An in-process stand-in for the API's HTTP edge: scripted answers through `httpx.MockTransport`, a fake clock.

Only the transport is fake: the client, its auth flow and its retry policy run as in production. Each request
"takes" `latency` seconds of fake time; `sleep` advances the clock instead of waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.settings import ProviderSettings

URL = "https://phone.test/instances/fake"
PHONES = "/instances/fake/v1/channels/phone"
FAKE_TOKEN = "fake-bearer-token-retry-tests"
FAKE_API_KEY = "fake-api-key-retry-tests"
AUTH_URL = "https://iam.test/identity/token"

# An answer: a response, an exception to raise (a transport error), or a function of the request.
Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeApi:
    """Answers requests from per-route scripts; the last answer of a script repeats forever."""

    latency: float = 0.0
    now: float = 0.0
    scripts: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Answer) -> FakeApi:
        self.scripts[(method, path)] = list(answers)
        return self

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.now += self.latency
        script = self.scripts.get((request.method, request.url.path))
        if not script:
            return httpx.Response(500, json={"detail": f"unscripted {request.method} {request.url.path}"})
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    def sent(self, method: str | None = None, path: str | None = None) -> list[str]:
        """`["POST /path", ...]` of the requests made, optionally only those of one method and path."""
        return [
            f"{r.method} {r.url.path}"
            for r in self.requests
            if (method is None or r.method == method) and (path is None or r.url.path == path)
        ]

    def client(self, **settings: Any) -> PhoneApiClient:
        """A client on this fake, with jitter pinned to its maximum so every wait is predictable."""
        resolved = ProviderSettings(**{"url": URL, "token": FAKE_TOKEN, **settings})
        client = PhoneApiClient(
            resolved, transport=httpx.MockTransport(self.handle), clock=self.clock, sleep=self.sleep
        )
        client.retrier.jitter = lambda: 1.0  # type: ignore[method-assign]
        return client


def status(code: int, detail: Any = "scripted", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(code, json={"detail": detail}, headers=headers)


def document(code: int, body: Any) -> httpx.Response:
    return httpx.Response(code, json=body)


def drop(message: str = "connection reset by peer") -> httpx.ReadError:
    """The connection broke after the request was sent: the server may have processed it."""
    return httpx.ReadError(message)


def refused(message: str = "connection refused") -> httpx.ConnectError:
    """No connection was made: the server surely did not process the request."""
    return httpx.ConnectError(message)
