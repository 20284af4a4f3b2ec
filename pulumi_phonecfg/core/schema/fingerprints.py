"""Write-only credentials, remembered as salted fingerprints.

The API accepts `password`, `api_key` and `client_secret` but never returns them, and Pulumi state must not hold
them in plaintext. Outputs therefore carry a salted PBKDF2 fingerprint of each (`security.fingerprints`), which is
enough to tell whether the credential in the program is still the one last written, and useless to anyone reading
the state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any, Final

# Credentials the API accepts but never returns (write-only).
SECRET_FIELDS: Final = ("password", "api_key", "client_secret")

FINGERPRINT_SCHEME: Final = "pbkdf2_sha256"
FINGERPRINT_ITERATIONS: Final = 10_000


def fingerprint(secret: str, *, salt: bytes | None = None) -> str:
    """A salted one-way fingerprint of a credential: `pbkdf2_sha256$<iterations>$<salt>$<digest>`."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, FINGERPRINT_ITERATIONS)
    encode = base64.urlsafe_b64encode
    return f"{FINGERPRINT_SCHEME}${FINGERPRINT_ITERATIONS}${encode(salt).decode()}${encode(digest).decode()}"


def fingerprint_matches(secret: str, stored: Any) -> bool:
    if not isinstance(stored, str):
        return False
    try:
        scheme, iterations, salt_text, digest_text = stored.split("$")
        salt = base64.urlsafe_b64decode(salt_text)
        expected = base64.urlsafe_b64decode(digest_text)
        rounds = int(iterations)
    except ValueError:
        return False
    if scheme != FINGERPRINT_SCHEME:
        return False
    actual = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, rounds)
    return hmac.compare_digest(actual, expected)


def security_output(
    desired: Mapping[str, Any], previous_fingerprints: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The `security` output for inputs `desired`: plain fields kept, credentials replaced by fingerprints.

    A fingerprint that still matches is kept as it was, so an unchanged credential never changes state.
    """
    previous = previous_fingerprints or {}
    output = {k: v for k, v in desired.items() if k not in SECRET_FIELDS}
    fingerprints = {}
    for key in SECRET_FIELDS:
        value = desired.get(key)
        if isinstance(value, str) and value:
            kept = previous.get(key)
            fingerprints[key] = kept if fingerprint_matches(value, kept) else fingerprint(value)
    if fingerprints:
        output["fingerprints"] = fingerprints
    return output


def security_matches(desired: Mapping[str, Any] | None, actual: Mapping[str, Any] | None) -> bool:
    """Does the `security` output `actual` describe the `security` inputs `desired`?"""
    desired, actual = dict(desired or {}), dict(actual or {})
    stored = dict(actual.pop("fingerprints", None) or {})
    for key in SECRET_FIELDS:
        value = desired.pop(key, None)
        if value is None:
            if key in stored:
                return False
        elif not fingerprint_matches(value, stored.get(key)):
            return False
    return desired == actual
