"""Provider settings: `phonecfg:*` stack config, falling back to `PHONECFG_*` environment variables.

Read in the provider process (`configure()`), by `get_agent` and by `phonecfg export`, always through
`ProviderSettings.from_sources`, so every entry point resolves the same keys the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from pulumi_phonecfg.auth import AUTH_TYPES, AuthType, infer_auth_type
from pulumi_phonecfg.errors import ConfigurationError


@dataclass(frozen=True)
class ProviderSettings:
    """Provider configuration: stack config `phonecfg:*`, falling back to `PHONECFG_*` environment variables."""

    url: str | None = None
    token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    auth_type: AuthType | None = None
    auth_url: str | None = None
    max_retries: int = 5
    timeout: float = 120.0  # overall deadline of one operation, retries included (seconds)
    request_timeout: float = 30.0
    # Provider calls the dynamic-provider server may run at once (provider_server.py); the SDK's own is 4.
    provider_threads: int = 32
    # Default of `PhoneConfig(adopt_existing=...)` when a resource does not set it (`phonecfg:adoptExisting`).
    adopt_existing: bool = False

    @classmethod
    def from_sources(
        cls, config: Callable[[str], str | None], env: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        environ = os.environ if env is None else env

        def setting(key: str, variable: str) -> str | None:
            value = config(f"phonecfg:{key}")
            if value is None or value == "":
                value = environ.get(variable) or None
            return value

        url, token = setting("url", "PHONECFG_URL"), setting("token", "PHONECFG_TOKEN")
        api_key = setting("apiKey", "PHONECFG_API_KEY")
        auth_type = setting("authType", "PHONECFG_AUTH_TYPE")
        if auth_type is not None and auth_type not in AUTH_TYPES:
            raise ConfigurationError(f"phonecfg:authType must be one of {', '.join(AUTH_TYPES)}, got {auth_type!r}")
        return cls(
            url=url,
            token=token,
            api_key=api_key,
            auth_type=cast(AuthType | None, auth_type),
            auth_url=setting("authUrl", "PHONECFG_AUTH_URL"),
            max_retries=int(
                _parse_number("maxRetries", setting("maxRetries", "PHONECFG_MAX_RETRIES"), cls.max_retries)
            ),
            timeout=_parse_number("timeout", setting("timeout", "PHONECFG_TIMEOUT"), cls.timeout),
            provider_threads=_parse_count(
                "providerThreads", setting("providerThreads", "PHONECFG_PROVIDER_THREADS"), cls.provider_threads
            ),
            adopt_existing=_parse_bool("adoptExisting", setting("adoptExisting", "PHONECFG_ADOPT_EXISTING")),
        )

    def resolved_auth_type(self) -> AuthType:
        """The auth type to use: as configured, else inferred from the URL and the credentials given."""
        if self.auth_type is not None:
            return self.auth_type
        inferred = infer_auth_type(self.url, has_api_key=bool(self.api_key), has_token=bool(self.token))
        if inferred is None and self.api_key:
            raise ConfigurationError(
                "cannot tell how to exchange phonecfg:apiKey for a token from the URL's host: "
                "set phonecfg:authType to ibm_iam, mcsp or bearer"
            )
        if inferred is None:
            raise ConfigurationError(
                "no credentials: set `pulumi config set --secret phonecfg:apiKey <key>` (or phonecfg:token), "
                "or PHONECFG_API_KEY / PHONECFG_TOKEN"
            )
        return inferred


def _parse_bool(key: str, text: str | None) -> bool:
    if text is None:
        return False
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise ConfigurationError(f"phonecfg:{key} must be true or false, got {text!r}")
    return value == "true"


def _parse_number(key: str, text: str | None, default: float) -> float:
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigurationError(f"phonecfg:{key} must be a number, got {text!r}") from None
    if value < 0:
        raise ConfigurationError(f"phonecfg:{key} must not be negative")
    return value


def _parse_count(key: str, text: str | None, default: int) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigurationError(f"phonecfg:{key} must be a whole number, got {text!r}") from None
    if value < 1:
        raise ConfigurationError(f"phonecfg:{key} must be at least 1")
    return value
