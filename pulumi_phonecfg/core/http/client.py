"""HTTP access to the phone-config API: URLs, requests and what a failed one means. Nothing here knows Pulumi.

Settings live in `settings.py`, exceptions in `errors.py`, error text and redaction in `error_text.py`, the retry
policy and its loop (backoff, Retry-After, the per-operation deadline) in `retry.py`, tokens in `auth.py`.

Every request goes through `PhoneApiClient._send`; what is worth retrying:
- GET, PATCH and DELETE are retried on transport errors, 429, 500, 502, 503 and 504;
- POST is retried only when the server surely did not process it (connect error, 429, 503). Any other POST
  failure is *ambiguous* (it may have been committed): `_send` raises `AmbiguousCreateError`; which config the
  POST may have created is decided beside the lifecycle (`known_configs.post_without_duplicates`), not here;
- that classification (`retry.worth_retrying`), how long to wait and when to stop are `retry.py`'s, in its one
  loop (`Retrier.run`): `phonecfg:maxRetries` per request, and one `phonecfg:timeout` deadline per provider
  operation (`PhoneApiClient.operation()`), shared by every request in it.

Errors are `PhoneApiError`: one line with the operation, the HTTP status and the API's own `detail` messages.
Credentials sent in a request body and the bearer token are scrubbed from every message and every log line.

The numbers methods (`add_number`, `update_number`, `delete_number`; `list_numbers` for scripts) reach the
numbers sub-resource of a SIP trunk: `PhoneNumber` writes through them (`core/lifecycle/phone_number.py`), while a
`PhoneConfig`'s inline list travels as `phone_numbers` in a PATCH of the config.
"""

from __future__ import annotations

import contextlib
import json as json_module
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote, urlencode

import httpx

from pulumi_phonecfg.core.http.auth import DEFAULT_AUTH_URLS, ApiKeyToken, StaticToken
from pulumi_phonecfg.core.http.error_text import collect_secrets, describe_error_body, redact, redact_body
from pulumi_phonecfg.core.http.errors import AmbiguousCreateError, ConfigurationError, InvalidIdError, PhoneApiError
from pulumi_phonecfg.core.http.logs import debug_from_environment
from pulumi_phonecfg.core.http.proxies import direct_mounts
from pulumi_phonecfg.core.http.retry import (
    Attempts,
    Cancellation,
    Deadline,
    Failed,
    Retrier,
    RetryPolicy,
    is_ambiguous,
    retry_after_seconds,
    worth_retrying,
)
from pulumi_phonecfg.core.http.settings import ProviderSettings

PHONE_PATH: Final = "/v1/channels/phone"
AGENTS_PATH: Final = "/v1/orchestrate/agents"  # the listing IBM's ADK resolves agent names with
MAX_DETAIL_CHARS: Final = 600
# The API's config ids: UUIDs in their canonical spelling (reference §1), nothing a path could be steered with.
CONFIG_ID_RE: Final = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
MAX_SHOWN_ID_CHARS: Final = 80


log = logging.getLogger(__name__)


class PhoneApiClient:
    """One client per provider process, shared by the engine's worker threads (httpx.Client is thread-safe)."""

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        cancellation: Cancellation | None = None,
    ) -> None:
        """`transport`, `clock` and `sleep` are seams for in-process tests (httpx.MockTransport, a fake clock);
        `cancellation` stops this client's retries when the engine cancels (the provider process's one)."""
        if not settings.url:
            raise ConfigurationError(
                "no API URL: set it with `pulumi config set phonecfg:url <instance url>` or PHONECFG_URL"
            )
        auth_type = settings.resolved_auth_type()
        debug_from_environment()
        self.settings = settings
        self.retrier = Retrier(
            RetryPolicy(max_retries=settings.max_retries, timeout=settings.timeout),
            clock=clock,
            sleep=sleep,
            cancellation=cancellation,
        )
        self._base = settings.url.rstrip("/") + PHONE_PATH
        self._secrets: set[str] = set()
        # Loopback URLs never go through a proxy of the environment (the token would cross it in clear).
        mounts = direct_mounts(settings.url, settings.auth_url)
        auth: httpx.Auth
        if auth_type == "bearer":
            if not settings.token:
                raise ConfigurationError("phonecfg:authType is bearer but phonecfg:token is not set")
            auth = StaticToken(settings.token)
            self._secrets.add(settings.token)
        else:
            if not settings.api_key:
                raise ConfigurationError(f"phonecfg:authType is {auth_type} but phonecfg:apiKey is not set")
            self._token_http = httpx.Client(transport=transport, mounts=mounts, follow_redirects=False)
            auth = ApiKeyToken(
                auth_type=auth_type,
                api_key=settings.api_key,
                auth_url=settings.auth_url or DEFAULT_AUTH_URLS[auth_type],
                http=self._token_http,
                retrier=self.retrier,
                max_retries=min(settings.max_retries, 3),
                request_timeout=settings.request_timeout,
                clock=clock,
            )
            self._secrets.add(settings.api_key)
        # Keep a connection alive per provider thread: with httpx's default of 20, calls beyond 20 at once would
        # reopen a connection (a TLS handshake) per request (docs/benchmarks.md, "HTTP pool").
        keepalive = max(20, settings.provider_threads)
        self._http = httpx.Client(
            auth=auth,
            transport=transport,
            mounts=mounts,
            limits=httpx.Limits(max_connections=max(100, keepalive), max_keepalive_connections=keepalive),
            headers={"Accept": "application/json", "User-Agent": "pulumi_phonecfg"},
            follow_redirects=False,
        )

    @property
    def instance_url(self) -> str:
        """The instance URL the API root is under (what the ADK derives the SIP and Genesys URIs from)."""
        return str(self.settings.url)

    def operation(self, timeout: float | None = None) -> contextlib.AbstractContextManager[Deadline]:
        """Scope of one provider operation: every request inside it (this thread) shares one deadline, of
        `timeout` seconds when given (the engine's customTimeouts), else `phonecfg:timeout`."""
        return self.retrier.operation(timeout)

    def close(self) -> None:
        self._http.close()
        token_http: httpx.Client | None = getattr(self, "_token_http", None)
        if token_http is not None:
            token_http.close()

    # -- phone configs ----------------------------------------------------------------------------------------

    def post_config(self, body: Mapping[str, Any], *, label: str) -> dict[str, Any]:
        """One create POST (repeated only when surely not processed). An ambiguous failure raises
        `AmbiguousCreateError`: what to make of it is `known_configs.post_without_duplicates`'s business."""
        operation = f"create phone config {label}"
        return self._document(self._send("POST", self._base, operation, json=body), operation)

    def get_config(self, config_id: str) -> dict[str, Any] | None:
        """The config, or None when the API says 404."""
        operation = f"read phone config {config_id}"
        response = self._send("GET", self._config_url(config_id), operation, allow={404})
        return None if response.status_code == 404 else self._document(response, operation)

    def list_configs(self) -> list[dict[str, Any]]:
        response = self._send("GET", self._base, "list phone configs")
        body = _json(response)
        phones = body.get("phones") if isinstance(body, dict) else body
        if not isinstance(phones, list):
            raise PhoneApiError("list phone configs", response.status_code, "response has no 'phones' list")
        return [p for p in phones if isinstance(p, dict)]

    def update_config(
        self, config_id: str, body: Mapping[str, Any], *, append: bool = False, label: str = ""
    ) -> dict[str, Any]:
        operation = f"update phone config {label or config_id}"
        params = {"append": "true" if append else "false"}
        url = self._config_url(config_id)
        response = self._send("PATCH", url, operation, json=body, params=params)
        document = _json(response)
        if isinstance(document, dict) and document.get("id"):
            return document
        # The update response is documented as "any": fall back to reading the config.
        fresh = self.get_config(config_id)
        if fresh is None:
            raise PhoneApiError(operation, 404, "the config disappeared during the update")
        return fresh

    def delete_config(self, config_id: str) -> bool:
        """Delete; False when it was already gone (404)."""
        operation = f"delete phone config {config_id}"
        response = self._send("DELETE", self._config_url(config_id), operation, allow={404})
        return response.status_code != 404

    # -- agents ------------------------------------------------------------------------------------------------

    def list_agents(self, names: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Agents of the tenant, as the API lists them; only those named when `names` is given."""
        query = [("names", name) for name in names or ()] + [("include_hidden", "true")]
        url = f"{self._base.removesuffix(PHONE_PATH)}{AGENTS_PATH}?{urlencode(query)}"
        response = self._send("GET", url, "list agents")
        body = _json(response)
        if not isinstance(body, list):
            raise PhoneApiError("list agents", response.status_code, "the response is not a JSON list of agents")
        return [agent for agent in body if isinstance(agent, dict)]

    # -- phone numbers (SIP trunks) ---------------------------------------------------------------------------

    def list_numbers(self, config_id: str) -> list[dict[str, Any]]:
        operation = f"list numbers of {config_id}"
        response = self._send("GET", self._config_url(config_id, "numbers"), operation)
        body = _json(response)
        numbers = body.get("phone_numbers", body) if isinstance(body, dict) else body
        return [n for n in numbers if isinstance(n, dict)] if isinstance(numbers, list) else []

    def add_number(self, config_id: str, number: Mapping[str, Any]) -> dict[str, Any]:
        operation = f"add number {number.get('phone_number')} to {config_id}"
        response = self._send("POST", self._config_url(config_id, "numbers"), operation, json=number)
        return self._document(response, operation)

    def update_number(self, config_id: str, phone_number: str, body: Mapping[str, Any]) -> dict[str, Any]:
        operation = f"update number {phone_number} of {config_id}"
        url = self._config_url(config_id, "numbers", phone_number)
        response = self._send("PATCH", url, operation, json=body)
        return self._document(response, operation)

    def delete_number(self, config_id: str, phone_number: str) -> bool:
        operation = f"delete number {phone_number} of {config_id}"
        url = self._config_url(config_id, "numbers", phone_number)
        return self._send("DELETE", url, operation, allow={404}).status_code != 404

    # -- transport --------------------------------------------------------------------------------------------

    def _config_url(self, config_id: str, *below: str) -> str:
        """The one place a path is built from ids: the URL of a config, or of `below` under it.

        The config id must be a UUID (an import id such as `<uuid>/../../orchestrate/agents/<id>` would otherwise
        steer the request, with the user's token, elsewhere): refused before any request. Every segment is
        percent-encoded, so a phone number's `+` travels as `%2B` and no segment can add a `/`, `?`, `#` or `..`.
        """
        if not CONFIG_ID_RE.fullmatch(config_id):
            shown = config_id if len(config_id) <= MAX_SHOWN_ID_CHARS else config_id[:MAX_SHOWN_ID_CHARS] + "..."
            raise InvalidIdError(f"id {shown!r} is not a phone config id (a UUID): refused before any request")
        return "/".join([self._base, *(_path_segment(segment) for segment in (config_id, *below))])

    def _document(self, response: httpx.Response, operation: str) -> dict[str, Any]:
        document = _json(response)
        if not isinstance(document, dict):
            raise PhoneApiError(operation, response.status_code, "the response is not a JSON object")
        return document

    def _send(
        self,
        method: str,
        url: str,
        operation: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        allow: set[int] | frozenset[int] = frozenset(),
    ) -> httpx.Response:
        idempotent = method != "POST"  # our PATCHes never append, so only a POST may not be repeated

        def attempt(attempts: Attempts) -> httpx.Response | Failed:
            started = self.retrier.clock()
            timeout = attempts.httpx_timeout(self.settings.request_timeout)
            try:
                response = self._http.request(method, url, json=json, params=params, timeout=timeout)
            except httpx.TransportError as error:
                self._log(method, url, None, started, json)
                retryable = worth_retrying(idempotent=idempotent, error=error)
                return Failed(f"{type(error).__name__}: {error}", retryable)
            self._log(method, url, response.status_code, started, json)
            status = response.status_code
            if status < 400 or status in allow:
                return response
            retryable = worth_retrying(idempotent=idempotent, status=status)
            return Failed(describe_error_body(response), retryable, status, retry_after_seconds(response))

        def give_up(failed: Failed, attempts: Attempts) -> PhoneApiError:
            error_type = AmbiguousCreateError if is_ambiguous(failed, idempotent=idempotent) else PhoneApiError
            # Every credential this request carried, scrubbed from the one line the user sees.
            secrets = self._secrets | collect_secrets(json)
            detail = redact(failed.problem, secrets)[:MAX_DETAIL_CHARS] + attempts.summary()
            return error_type(operation, failed.status, detail)

        return self.retrier.run(attempt, give_up)

    def _log(self, method: str, url: str, status: int | None, started: float, body: Any = None) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        took = (self.retrier.clock() - started) * 1000
        # Never headers (the token); bodies only with every credential replaced.
        shown = f" body={json_module.dumps(redact_body(body))[:400]}" if body is not None else ""
        log.debug("%s %s -> %s (%.0f ms)%s", method, path, status or "no response", took, shown)


def _path_segment(text: str) -> str:
    """`text` as one path segment: every reserved character percent-encoded, dots too (httpx resolves a literal
    `..` segment, which would climb to the parent resource: the config itself, for a number named `..`)."""
    return quote(text, safe="").replace(".", "%2E")


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
