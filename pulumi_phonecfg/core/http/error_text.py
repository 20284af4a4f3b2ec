"""The text of an error: the API's error body made one readable line, and credentials kept out of it.

`describe_error_body` and `describe_auth_error` turn an error answer into its messages (never echoing the rejected
input, which may be a credential). `redact` scrubs known secret values from a line, `collect_secrets` finds the
credential values a request body carries, `redact_body` blanks every credential field of a body (for the debug
log).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

CREDENTIAL_KEYS: Final = frozenset({"password", "api_key", "client_secret", "apikey", "token", "access_token"})
# The same names with `_` dropped and lower-cased: how `is_credential_key` compares, so that the native face's
# camelCase (`apiKey`, `clientSecret`) is a credential as surely as the API's snake_case.
_FOLDED_CREDENTIAL_KEYS: Final = frozenset(key.replace("_", "") for key in CREDENTIAL_KEYS)
REDACTED: Final = "[redacted]"


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


def is_credential_key(key: object) -> bool:
    """Whether a field of this name holds a credential, in any spelling (`api_key`, `apiKey`, `APIKEY`)."""
    return isinstance(key, str) and key.replace("_", "").lower() in _FOLDED_CREDENTIAL_KEYS


def collect_secrets(body: Any) -> set[str]:
    """Credential values in a request body, so no error or log line can repeat them."""
    found: set[str] = set()
    if isinstance(body, Mapping):
        for key, value in body.items():
            if is_credential_key(key) and isinstance(value, str):
                found.add(value)
            else:
                found |= collect_secrets(value)
    elif isinstance(body, list):
        for item in body:
            found |= collect_secrets(item)
    return found


def redact_body(body: Any) -> Any:
    if isinstance(body, Mapping):
        return {k: (REDACTED if is_credential_key(k) and v is not None else redact_body(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [redact_body(v) for v in body]
    return body


def describe_auth_error(response: httpx.Response) -> str:
    """IAM answers {errorCode, errorMessage}; MCSP and others {message} or {detail}. Never the request."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or ""
    if isinstance(body, dict):
        for key in ("errorMessage", "message", "detail", "error_description", "error"):
            if isinstance(body.get(key), str):
                code = body.get("errorCode")
                return f"{code}: {body[key]}" if isinstance(code, str) else str(body[key])
    return response.reason_phrase or ""
