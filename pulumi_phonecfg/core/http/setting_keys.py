"""The provider settings every face offers, declared once: the Pulumi providers' `phonecfg:<name>` stack config
(camelCase), the native schema's config variables and the Terraform provider block (`snake_case`) come from here;
`ProviderSettings.from_sources` reads each (a test holds the two together). The `PHONECFG_*` variable of a key is
its snake_case name in upper case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from pulumi_phonecfg.core.schema.case import to_snake


@dataclass(frozen=True)
class SettingKey:
    name: str  # without the `phonecfg:` prefix, camelCase
    type: str  # schema type: string, integer, number, boolean
    description: str
    secret: bool = False
    pulumi_only: bool = False  # meaningless to the Terraform face (the CLI schedules the provider's calls itself)

    @property
    def snake_name(self) -> str:
        """`maxRetries` -> `max_retries`: the Terraform provider block's name."""
        return to_snake(self.name)

    @property
    def variable(self) -> str:
        """The environment variable standing in for it: `PHONECFG_MAX_RETRIES`."""
        return f"PHONECFG_{self.snake_name.upper()}"


SETTING_KEYS: Final = (
    SettingKey(
        "url", "string", "Instance URL; requests go to `{url}/v1/channels/phone...`. https, or http to loopback."
    ),
    SettingKey("apiKey", "string", "API key, exchanged for short-lived bearer tokens.", secret=True),
    SettingKey("token", "string", "A ready bearer token instead of an API key.", secret=True),
    SettingKey("authType", "string", "`ibm_iam`, `mcsp` or `bearer`; inferred from the URL when unset."),
    SettingKey("authUrl", "string", "Token endpoint (https); defaults per auth type."),
    SettingKey("maxRetries", "integer", "Retries per request (default 5)."),
    SettingKey("timeout", "number", "Deadline in seconds for one operation, retries included (default 120)."),
    SettingKey("providerThreads", "integer", "Provider calls served at once (default 32).", pulumi_only=True),
    SettingKey("adoptExisting", "boolean", "Default of `adoptExisting` for every PhoneConfig that does not set it."),
    SettingKey(
        "strictPhoneNumbers",
        "boolean",
        "Also refuse numbers that are not valid for their country in the installed phonenumbers metadata "
        "(default false: E.164 syntax and a possible length only).",
    ),
)


def setting_text(value: Any) -> str | None:
    """A setting's value as stack config holds it (text), whatever type a face received it as: what
    `ProviderSettings.from_sources` reads. None for unset or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
