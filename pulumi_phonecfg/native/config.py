"""Provider configuration of the native plugin: the same `phonecfg:*` keys as the dynamic provider.

The engine sends the provider's configuration without the `phonecfg:` prefix (`url`, `token`, ...), as typed
values (secret-wrapped when it is a secret) in `args`, and as strings in `variables` (`phonecfg:config:url`).
Either way it ends in `ProviderSettings.from_sources`, so the keys, the `PHONECFG_*` fallbacks (the plugin
inherits the CLI's environment) and the https-only rule are the dynamic provider's, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.http.settings import ProviderSettings

CONFIG_PREFIX: Final = "phonecfg:"
VARIABLE_PREFIX: Final = "phonecfg:config:"


@dataclass(frozen=True)
class ConfigKey:
    name: str  # without the `phonecfg:` prefix
    type: str  # schema type: string, integer, number, boolean
    description: str
    secret: bool = False


# Every key `ProviderSettings.from_sources` reads (a test holds the two together).
CONFIG_KEYS: Final = (
    ConfigKey(
        "url", "string", "Instance URL; requests go to `{url}/v1/channels/phone...`. https, or http to loopback."
    ),
    ConfigKey("apiKey", "string", "API key, exchanged for short-lived bearer tokens.", secret=True),
    ConfigKey("token", "string", "A ready bearer token instead of an API key.", secret=True),
    ConfigKey("authType", "string", "`ibm_iam`, `mcsp` or `bearer`; inferred from the URL when unset."),
    ConfigKey("authUrl", "string", "Token endpoint (https); defaults per auth type."),
    ConfigKey("maxRetries", "integer", "Retries per request (default 5)."),
    ConfigKey("timeout", "number", "Deadline in seconds for one operation, retries included (default 120)."),
    ConfigKey("providerThreads", "integer", "Provider calls served at once (default 32)."),
    ConfigKey("adoptExisting", "boolean", "Default of `adoptExisting` for every PhoneConfig that does not set it."),
    ConfigKey(
        "strictPhoneNumbers",
        "boolean",
        "Also refuse numbers that are not valid for their country in the installed phonenumbers metadata "
        "(default false: E.164 syntax and a possible length only).",
    ),
)


def config_text(value: Any) -> str | None:
    """A configuration value as the stack config holds it (a string), whatever type the engine sent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_variables(variables: Mapping[str, str]) -> dict[str, Any]:
    """`phonecfg:config:url` -> `url` (the older, string-only form of the configuration)."""
    return {key.removeprefix(VARIABLE_PREFIX): value for key, value in variables.items()}


def config_lookup(values: Mapping[str, Any]) -> Callable[[str], str | None]:
    """The configuration keyed without prefix, as the lookup of `phonecfg:*` keys the settings read."""

    def lookup(key: str) -> str | None:
        return config_text(values.get(key.removeprefix(CONFIG_PREFIX)))

    return lookup


def config_failures(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with the configuration, as one-line reasons (empty when it is usable)."""
    try:
        ProviderSettings.from_sources(config_lookup(values))
    except ConfigurationError as error:
        return [str(error)]
    return []
