"""Bearer credentials for the API: a static token, or an API key exchanged for short-lived tokens.

IBM Cloud instances exchange the key at IBM Cloud IAM, AWS-hosted ones at IBM's MCSP token service. The token is
cached per provider process and shared by the engine's worker threads; it is renewed shortly before it expires
and once after a 401. A key the token service rejects fails at once, and every later request in the process
fails with the same message instead of asking again (no retry storm against IAM). Transient failures of the
exchange (transport errors, 429, 5xx) are retried by the client's `Retrier`, inside the deadline of the provider
operation that needed the token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import httpx

from pulumi_phonecfg.core.http.error_text import describe_auth_error
from pulumi_phonecfg.core.http.errors import AuthenticationError
from pulumi_phonecfg.core.http.retry import Attempts, Failed, Retrier, RetryPolicy, retry_after_seconds, worth_retrying

AuthType = Literal["ibm_iam", "mcsp", "bearer"]
AUTH_TYPES: Final = ("ibm_iam", "mcsp", "bearer")
DEFAULT_AUTH_URLS: Final[dict[str, str]] = {
    "ibm_iam": "https://iam.cloud.ibm.com/identity/token",
    "mcsp": "https://iam.platform.saas.ibm.com/siusermgr/api/1.0/apikeys/token",
}
AUTH_STEP: Final[dict[str, str]] = {"ibm_iam": "IBM Cloud IAM", "mcsp": "MCSP"}
RENEW_MARGIN: Final = 60.0  # seconds before expiry; capped at a fifth of short lifetimes

log = logging.getLogger(__name__)


def infer_auth_type(url: str | None, *, has_api_key: bool, has_token: bool) -> AuthType | None:
    """ibm_iam for IBM Cloud hosts, mcsp for AWS-hosted ones, bearer for a plain token; None if undecidable."""
    if not has_api_key:
        return "bearer" if has_token else None
    host = (urlsplit(url or "").hostname or "").lower()
    if host.endswith(".cloud.ibm.com"):
        return "ibm_iam"
    if host.endswith(".watson-orchestrate.ibm.com"):
        return "mcsp"
    return None


class StaticToken(httpx.Auth):
    """A bearer token given as `phonecfg:token`."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class ApiKeyToken(httpx.Auth):
    """Exchanges an API key for bearer tokens; thread-safe, renews before expiry and once after a 401."""

    def __init__(
        self,
        *,
        auth_type: Literal["ibm_iam", "mcsp"],
        api_key: str,
        auth_url: str,
        http: httpx.Client,
        retrier: Retrier | None = None,
        max_retries: int = 3,
        request_timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` decides when the token is due for renewal; `retrier` how the exchange is retried."""
        self._auth_type = auth_type
        self._api_key = api_key
        self._auth_url = auth_url
        self._http = http
        self._retrier = retrier or Retrier(RetryPolicy(max_retries=max_retries))
        self._max_retries = max_retries
        self._request_timeout = request_timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self._failure: AuthenticationError | None = None
        self.exchanges = 0  # how many times the key was exchanged (observable in tests)

    @property
    def step(self) -> str:
        return f"authenticate with {AUTH_STEP[self._auth_type]} ({self._auth_url})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {self.token(rejected=token)}"
            yield request

    def token(self, *, rejected: str | None = None) -> str:
        with self._lock:
            if self._failure is not None:
                raise self._failure
            stale = self._token is None or self._clock() >= self._renew_at or self._token == rejected
            if stale:
                self._exchange()
            assert self._token is not None
            return self._token

    def _exchange(self) -> None:
        """Get a new token (lock held, so concurrent callers wait for one exchange instead of each making one)."""

        def attempt(attempts: Attempts) -> str | Failed:
            self.exchanges += 1
            try:
                response = self._post(attempts.httpx_timeout(self._request_timeout))
            except httpx.TransportError as error:
                return Failed(type(error).__name__, worth_retrying(idempotent=True, error=error))
            log.debug("token exchange at %s -> %s", AUTH_STEP[self._auth_type], response.status_code)
            if response.status_code < 400:
                return self._accept(response)
            status = response.status_code
            problem = f"HTTP {status}: {describe_auth_error(response)}"
            retryable = worth_retrying(idempotent=True, status=status)
            return Failed(problem, retryable, status, retry_after_seconds(response))

        def give_up(failed: Failed, attempts: Attempts) -> AuthenticationError:
            if not failed.retryable:  # refused: remembered, so the process never asks again
                self._failure = AuthenticationError(f"{self.step} failed: {failed.problem}")
                return self._failure
            return AuthenticationError(f"{self.step} failed{attempts.summary()}: {failed.problem}")

        self._retrier.run(attempt, give_up, max_retries=self._max_retries)

    def _post(self, limits: httpx.Timeout) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if self._auth_type == "ibm_iam":
            form = {"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": self._api_key}
            return self._http.post(self._auth_url, data=form, headers=headers, timeout=limits)
        return self._http.post(self._auth_url, json={"apikey": self._api_key}, headers=headers, timeout=limits)

    def _accept(self, response: httpx.Response) -> str:
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        key = "access_token" if self._auth_type == "ibm_iam" else "token"
        token = body.get(key) if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            self._failure = AuthenticationError(f"{self.step} failed: the answer has no {key!r}")
            raise self._failure
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        seconds = float(lifetime) if isinstance(lifetime, int | float) and lifetime > 0 else 3600.0
        self._token = token
        self._renew_at = self._clock() + seconds - min(RENEW_MARGIN, seconds / 5)
        return token
