"""Provider configuration of the native plugin: the same `phonecfg:*` keys as the dynamic provider.

The engine sends the provider's configuration without the `phonecfg:` prefix (`url`, `token`, ...), as typed
values (secret-wrapped when it is a secret) in `args`, and as strings in `variables` (`phonecfg:config:url`).
Either way it ends in `ProviderSettings.from_sources`, so the keys, the `PHONECFG_*` fallbacks (the plugin
inherits the CLI's environment) and the https-only rule are the dynamic provider's, unchanged.

A value still unknown at preview (another resource's output) is neither checked nor applied: the known ones are
checked, and a provider given an unknown value stays "not configured yet" (the engine itself then does not call
Create/Update/Read for real). A URL change moves every resource to another instance: `replaced_keys` plans it as
a replacement, so the resources are created in the new instance and deleted from the old one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS, setting_text
from pulumi_phonecfg.core.http.settings import ProviderSettings

CONFIG_PREFIX: Final = "phonecfg:"
VARIABLE_PREFIX: Final = "phonecfg:config:"


def from_variables(variables: Mapping[str, str]) -> dict[str, Any]:
    """`phonecfg:config:url` -> `url` (the older, string-only form of the configuration)."""
    return {key.removeprefix(VARIABLE_PREFIX): value for key, value in variables.items()}


def config_lookup(values: Mapping[str, Any]) -> Callable[[str], str | None]:
    """The configuration keyed without prefix, as the lookup of `phonecfg:*` keys the settings read."""

    def lookup(key: str) -> str | None:
        return setting_text(values.get(key.removeprefix(CONFIG_PREFIX)))

    return lookup


# Keys whose change points the provider at another instance (tenant): its resources must move, not stay.
INSTANCE_KEYS: Final = ("url",)
_KEY_IN_MESSAGE: Final = re.compile(r"\bphonecfg:(\w+)")


def secret_values(values: Mapping[str, Any], secret: Iterable[str] = ()) -> set[str]:
    """The text of every credential in a configuration (secret keys, and values the engine sent as secrets)."""
    named = {key.name for key in SETTING_KEYS if key.secret} | set(secret)
    return {text for key in named if (text := setting_text(values.get(key))) and not is_unknown(values.get(key))}


def is_unknown(value: Any) -> bool:
    """A preview value not known yet: decoded (`Unknown`) or as the string form of `variables`."""
    return isinstance(value, Unknown) or value == rpc.UNKNOWN


def unknown_keys(values: Mapping[str, Any]) -> list[str]:
    return sorted(key for key, value in values.items() if is_unknown(value))


def config_failures(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with the known part of the configuration, as (key, one-line reason); empty when usable."""
    known = {key: value for key, value in values.items() if not is_unknown(value)}
    try:
        ProviderSettings.from_sources(config_lookup(known))
    except ConfigurationError as error:
        reason = str(error)
        named = _KEY_IN_MESSAGE.search(reason)
        return [(named.group(1) if named else "", reason)]
    return []


def instance_url(value: Any) -> str | None:
    """The URL in a form where two spellings of one instance compare equal (scheme and host lower case, no
    trailing slash); None when unset."""
    text = setting_text(value)
    if text is None:
        return None
    parts = urlsplit(text.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def replaced_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The instance keys that changed (or are unknown now, so may change): every resource of the provider must
    be replaced, created in the new instance and deleted from the old."""
    return [
        key
        for key in INSTANCE_KEYS
        if is_unknown(news.get(key)) or instance_url(olds.get(key)) != instance_url(news.get(key))
    ]
