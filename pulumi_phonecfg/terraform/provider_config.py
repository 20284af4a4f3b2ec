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
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.terraform.schema import TfAttribute, TfSchema, snake
from pulumi_phonecfg.terraform.values import is_unknown


def _setting(name: str, scalar: str, description: str, *, sensitive: bool = False) -> TfAttribute:
    return TfAttribute(name, description, scalar=scalar, sensitive=sensitive)


# The Pulumi providers' keys (`phonecfg:maxRetries` -> max_retries), but providerThreads: the CLI runs the
# provider's calls itself (a test holds this list to the native plugin's CONFIG_KEYS).
PROVIDER_SCHEMA: Final = TfSchema(
    "phonecfg",
    "IBM watsonx Orchestrate phone configs. Every setting falls back to its `PHONECFG_*` environment variable.",
    (
        _setting("url", "string", "Instance URL (`PHONECFG_URL`). https, or http to a loopback host."),
        _setting(
            "api_key", "string", "API key, exchanged for short-lived tokens (`PHONECFG_API_KEY`).", sensitive=True
        ),
        _setting("token", "string", "A ready bearer token instead of an API key (`PHONECFG_TOKEN`).", sensitive=True),
        _setting("auth_type", "string", "`ibm_iam`, `mcsp` or `bearer`; inferred from the URL when unset."),
        _setting("auth_url", "string", "Token endpoint (https); defaults per auth type."),
        _setting("max_retries", "number", "Retries per request (default 5)."),
        _setting("timeout", "number", "Deadline in seconds for one operation, retries included (default 120)."),
        _setting("adopt_existing", "bool", "Default of `adopt_existing` for every phone config that does not set it."),
        _setting(
            "strict_phone_numbers",
            "bool",
            "Also refuse numbers not valid for their country in the phonenumbers metadata (default false).",
        ),
    ),
)
SETTING_NAMES: Final = tuple(a.name for a in PROVIDER_SCHEMA.attributes)
_KEY_IN_MESSAGE: Final = re.compile(r"\bphonecfg:(\w+)")


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def lookup(values: Mapping[str, Any]) -> Callable[[str], str | None]:
    """The block as the `phonecfg:<camelCase>` lookup `ProviderSettings.from_sources` reads."""

    def find(key: str) -> str | None:
        value = values.get(snake(key.removeprefix("phonecfg:")))
        return None if is_unknown(value) else _text(value)

    return find


def hcl_message(message: str) -> str:
    """A settings message with the HCL names: `phonecfg:maxRetries must ...` -> `max_retries must ...`."""
    return _KEY_IN_MESSAGE.sub(lambda m: snake(m.group(1)), message)


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
        return None, (snake(named.group(1)) if named else "", hcl_message(str(error)))
