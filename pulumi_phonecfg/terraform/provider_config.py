"""The `provider "phonecfg"` block: the Pulumi providers' settings, in snake_case, read by the same
`ProviderSettings.from_sources` (so the same `PHONECFG_*` fallbacks, the same https-only rule, the same messages,
with the HCL name in them instead of the stack config key).

A value unknown at plan time (another resource's output) leaves the provider "not configured yet": the plan needs
no request, and the CLI configures it again, with known values, before apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS, SettingKey, setting_text
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.schema.case import to_snake
from pulumi_phonecfg.terraform.schema import TfAttribute, TfSchema
from pulumi_phonecfg.terraform.values import is_unknown

_TYPES: Final = {"string": "string", "integer": "number", "number": "number", "boolean": "bool"}


def _setting(key: SettingKey) -> TfAttribute:
    description = f"{key.description} Unset: `{key.variable}`."
    return TfAttribute(key.snake_name, description, scalar=_TYPES[key.type], sensitive=key.secret)


# The Pulumi providers' settings (`phonecfg:maxRetries` -> max_retries), from the one table of them.
PROVIDER_SCHEMA: Final = TfSchema(
    "phonecfg",
    "IBM watsonx Orchestrate phone configs. Every setting falls back to its `PHONECFG_*` environment variable.",
    tuple(_setting(key) for key in SETTING_KEYS if not key.pulumi_only),
)
SETTING_NAMES: Final = tuple(a.name for a in PROVIDER_SCHEMA.attributes)
_KEY_IN_MESSAGE: Final = re.compile(r"\bphonecfg:(\w+)")


def lookup(values: Mapping[str, Any]) -> Callable[[str], str | None]:
    """The block as the `phonecfg:<camelCase>` lookup `ProviderSettings.from_sources` reads."""

    def find(key: str) -> str | None:
        value = values.get(to_snake(key.removeprefix("phonecfg:")))
        return None if is_unknown(value) else setting_text(value)

    return find


def hcl_message(message: str) -> str:
    """A settings message with the HCL names: `phonecfg:maxRetries must ...` -> `max_retries must ...`."""
    return _KEY_IN_MESSAGE.sub(lambda m: to_snake(m.group(1)), message)


def unknown_settings(values: Mapping[str, Any]) -> list[str]:
    return sorted(name for name, value in values.items() if is_unknown(value))


def settings_or_failure(values: Mapping[str, Any]) -> tuple[ProviderSettings | None, tuple[str, str] | None]:
    """The settings of a fully known block, or (attribute, one-line reason). None, None: not all known yet."""
    if unknown_settings(values):
        return None, None
    try:
        return ProviderSettings.from_sources(lookup(values)), None
    except ConfigurationError as error:
        named = _KEY_IN_MESSAGE.search(str(error))
        return None, (to_snake(named.group(1)) if named else "", hcl_message(str(error)))
