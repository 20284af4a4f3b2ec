"""The exceptions of the provider, its settings and its HTTP client, and the text hygiene behind their messages.

Two errors live beside their one user instead: `agents.AgentLookupError` (a `pulumi.RunError`, so a program
stops with its one line and no traceback) and `export.ExportError` (why `phonecfg export` refused).

An error is one readable line: what was being done, the HTTP status and the API's own `detail` messages.
Credentials and tokens never reach a message: `redact` scrubs known secret values, `redact_body` blanks every
credential field of a request body (for the debug log).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

CREDENTIAL_KEYS: Final = frozenset({"password", "api_key", "client_secret", "apikey", "token", "access_token"})
REDACTED: Final = "[redacted]"


class PhoneConfigError(Exception):
    """Base of this module's errors: its message is one line meant for the user, free of credentials."""


class AuthenticationError(PhoneConfigError):
    """The token service refused the API key, or could not be reached. Message names the auth step."""


class ConfigurationError(PhoneConfigError):
    """The provider is missing configuration it needs to reach the API."""


class PhoneApiError(PhoneConfigError):
    """A failed API call, as one readable line: operation, HTTP status and the API's own messages."""

    def __init__(self, operation: str, status: int | None, detail: str) -> None:
        self.operation = operation
        self.status = status
        self.detail = detail
        where = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{operation} failed: {where}: {detail}" if detail else f"{operation} failed: {where}")


class AmbiguousCreateError(PhoneApiError):
    """A POST failed in a way that leaves open whether the config was created."""


class ConfigConflictError(PhoneConfigError):
    """A create whose name is taken by a config of the same kind, or an adoption with several candidates."""


def describe_error_body(response: httpx.Response) -> str:
    """The API's `detail`, made readable: FastAPI 422 items as `loc: msg`, quota errors by code and limit."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip().splitlines()
        return text[0][:200] if text else (response.reason_phrase or "")
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                # Only loc and msg: FastAPI also echoes the rejected `input`, which may be a credential.
                loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg", "")))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    if isinstance(detail, Mapping):
        code, message = detail.get("code"), detail.get("message")
        if code == "RESOURCE_QUOTA_EXCEEDED":
            return f"{code}: {message or ''} (limit {detail.get('limit')}, current {detail.get('current')})"
        return ": ".join(str(p) for p in (code, message) if p) or str(dict(detail))
    if detail is None:
        return response.reason_phrase or ""
    return str(detail)


def redact(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def collect_secrets(body: Any) -> set[str]:
    """Credential values in a request body, so no error or log line can repeat them."""
    found: set[str] = set()
    if isinstance(body, Mapping):
        for key, value in body.items():
            if key in CREDENTIAL_KEYS and isinstance(value, str):
                found.add(value)
            else:
                found |= collect_secrets(value)
    elif isinstance(body, list):
        for item in body:
            found |= collect_secrets(item)
    return found


def redact_body(body: Any) -> Any:
    if isinstance(body, Mapping):
        return {k: (REDACTED if k in CREDENTIAL_KEYS and v is not None else redact_body(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [redact_body(v) for v in body]
    return body
