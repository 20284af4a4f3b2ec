"""Provider settings: `phonecfg:*` stack config, falling back to `PHONECFG_*` environment variables.

Read in the provider process (`configure()`), by `get_agent` and by `phonecfg export`, always through
`ProviderSettings.from_sources`, so every entry point resolves the same keys the same way, and refuses the
same bad values before any request: `url` and `authUrl` must be https, except to a loopback host, and carry no
`user:password@`; `token` and `apiKey` lose surrounding whitespace and may hold no other space or control
character.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

from pulumi_phonecfg.core.http.auth import AUTH_TYPES, AuthType, infer_auth_type
from pulumi_phonecfg.core.http.errors import ConfigurationError


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
    # Refuse phone numbers the installed `phonenumbers` metadata calls invalid (`phonecfg:strictPhoneNumbers`);
    # off by default, since the API takes them: see models.normalize_e164.
    strict_phone_numbers: bool = False

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

        def label(key: str, variable: str) -> str:
            """The key as the user set it: the stack config's, or the environment variable standing in for it."""
            from_config = config(f"phonecfg:{key}") not in (None, "")
            return f"phonecfg:{key}" if from_config else f"phonecfg:{key} (set by {variable})"

        def url_setting(key: str, variable: str) -> str | None:
            return _checked_url(label(key, variable), setting(key, variable))

        def credential_setting(key: str, variable: str) -> str | None:
            return _checked_credential(label(key, variable), setting(key, variable))

        url = url_setting("url", "PHONECFG_URL")
        token = credential_setting("token", "PHONECFG_TOKEN")
        api_key = credential_setting("apiKey", "PHONECFG_API_KEY")
        auth_type = setting("authType", "PHONECFG_AUTH_TYPE")
        if auth_type is not None and auth_type not in AUTH_TYPES:
            raise ConfigurationError(f"phonecfg:authType must be one of {', '.join(AUTH_TYPES)}, got {auth_type!r}")
        return cls(
            url=url,
            token=token,
            api_key=api_key,
            auth_type=cast(AuthType | None, auth_type),
            auth_url=url_setting("authUrl", "PHONECFG_AUTH_URL"),
            max_retries=int(
                _parse_number("maxRetries", setting("maxRetries", "PHONECFG_MAX_RETRIES"), cls.max_retries)
            ),
            timeout=_parse_number("timeout", setting("timeout", "PHONECFG_TIMEOUT"), cls.timeout),
            provider_threads=_parse_count(
                "providerThreads", setting("providerThreads", "PHONECFG_PROVIDER_THREADS"), cls.provider_threads
            ),
            adopt_existing=_parse_bool("adoptExisting", setting("adoptExisting", "PHONECFG_ADOPT_EXISTING")),
            strict_phone_numbers=_parse_bool(
                "strictPhoneNumbers", setting("strictPhoneNumbers", "PHONECFG_STRICT_PHONE_NUMBERS")
            ),
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


def _checked_credential(label: str, text: str | None) -> str | None:
    """`text` without surrounding whitespace (a pasted trailing newline), or a ConfigurationError naming the key.

    A control or space character left inside would reach an error as a bytes repr that the redaction does not
    recognise; the message names the key only, never the value.
    """
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    if any(not c.isprintable() or c.isspace() for c in value):
        raise ConfigurationError(
            f"{label} contains a space or control character (a pasted line break?): set it again without one"
        )
    return value


def _checked_url(label: str, text: str | None) -> str | None:
    """`text` if it is an https URL with a host, or an http URL to a loopback host; else a ConfigurationError.

    Both URLs receive credentials (the bearer token, the API key): over plain http they would cross the network
    in clear text. Loopback is the exception (the emulator, an SSH tunnel): nothing leaves the machine. The
    message never repeats the URL whole: it may carry a `user:password@` part.
    """
    if text is None:
        return None
    url = text.strip()
    scheme, host = _scheme_and_host(url)
    if scheme not in ("https", "http") or host is None:
        raise ConfigurationError(
            f"{label} must be an https:// URL with a host, "
            "e.g. https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/<id>"
        )
    if _has_userinfo(url):
        raise ConfigurationError(
            f"{label} must not carry a user name or password (user:password@): it would be shown and written "
            "wherever the URL is; give the credential as phonecfg:apiKey or phonecfg:token instead"
        )
    if scheme == "http" and not is_loopback_host(host):
        raise ConfigurationError(
            f"{label} must use https:// (got http:// to {host}): credentials travel only over TLS; "
            "http:// is allowed only to a loopback host (127.0.0.0/8, ::1, localhost)"
        )
    return url


def _scheme_and_host(url: str) -> tuple[str, str | None]:
    """Lower-case scheme and host of `url`; host None when missing or the URL is malformed."""
    if any(c.isspace() for c in url):
        return "", None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "", None
    return parts.scheme.lower(), parts.hostname or None


def _has_userinfo(url: str) -> bool:
    """Whether the authority part of `url` has a `user[:password]@` part."""
    return "@" in urlsplit(url).netloc


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: addresses whose traffic never leaves the machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
