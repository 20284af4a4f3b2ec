"""Bearer-token checking and the JWT-shaped tokens issued by the IAM/MCSP token endpoints.

Issued tokens are HS256 JWTs signed with a secret kept in the emulator database, so they survive a
restart; ``/_emulator/tokens/expire`` rotates that secret, which invalidates every issued token.
Static tokens (``--token``) never expire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_phonecfg.emulator.store import Store

STATIC_TOKEN_SUBJECT = "emulator-user"
_SECRET_KEY = "jwt_signing_secret"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: int
    lifetime: int


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subject_for_api_key(api_key: str) -> str:
    """A stable, non-reversible subject for an API key (the key itself is never exposed)."""
    return "ServiceId-" + hashlib.sha256(api_key.encode()).hexdigest()[:16]


class TokenAuthority:
    """Knows the static tokens and API keys; issues and verifies JWTs."""

    def __init__(
        self,
        store: Store,
        *,
        static_tokens: Sequence[str],
        api_keys: Sequence[str],
        lifetime: int,
        subscription_id: str,
        clock: Callable[[], float],
    ) -> None:
        self._static = tuple(t for t in static_tokens if t)
        self._api_keys = tuple(k for k in api_keys if k)
        self.lifetime = lifetime
        self.subscription_id = subscription_id
        self._clock = clock
        self._store = store
        self._lock = threading.Lock()
        existing = store.get_meta(_SECRET_KEY)
        self._secret = bytes.fromhex(existing) if existing else self._new_secret()

    def _new_secret(self) -> bytes:
        secret = secrets.token_bytes(32)
        self._store.set_meta(_SECRET_KEY, secret.hex())
        return secret

    def expire_all(self) -> None:
        """Invalidate every issued token (static tokens stay valid)."""
        with self._lock:
            self._secret = self._new_secret()

    def knows_api_key(self, api_key: str) -> bool:
        return any(hmac.compare_digest(api_key.encode(), k.encode()) for k in self._api_keys)

    def issue(self, api_key: str, *, flavour: str) -> IssuedToken:
        now = int(self._clock())
        claims: dict[str, Any] = {
            "iss": f"phonecfg-emulator/{flavour}",
            "sub": subject_for_api_key(api_key),
            "iat": now,
            "exp": now + self.lifetime,
            "jti": str(uuid.uuid4()),
            "subscriptionId": self.subscription_id,
            "account": {"bss": self.subscription_id},
        }
        header = {"alg": "HS256", "typ": "JWT"}
        signing_input = (
            _b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64url(json.dumps(claims, separators=(",", ":")).encode())
        )
        with self._lock:
            signature = hmac.new(self._secret, signing_input.encode(), hashlib.sha256).digest()
        return IssuedToken(f"{signing_input}.{_b64url(signature)}", now + self.lifetime, self.lifetime)

    def authenticate(self, authorization: str | None) -> str | None:
        """Return the principal (subject) for an ``Authorization`` header value, or None if invalid."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        if any(hmac.compare_digest(token.encode(), s.encode()) for s in self._static):
            return STATIC_TOKEN_SUBJECT
        claims = self._verify(token)
        if claims is None:
            return None
        sub = claims.get("sub")
        return sub if isinstance(sub, str) else None

    def _verify(self, token: str) -> dict[str, Any] | None:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            header = json.loads(_b64url_decode(parts[0]))
            claims = json.loads(_b64url_decode(parts[1]))
            signature = _b64url_decode(parts[2])
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
            return None
        with self._lock:
            expected = hmac.new(self._secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None
        exp = claims.get("exp")
        if not isinstance(exp, int) or self._clock() >= exp:
            return None
        return claims
