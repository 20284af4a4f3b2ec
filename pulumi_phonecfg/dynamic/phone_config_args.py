"""The typed surface of the dynamic `PhoneConfig`: its args classes, keyword arguments and output attributes.

Generated from the field table (`core/schema/fields.py`) by `make schema` (`dynamic/args_codegen.py`); do not
edit. `tests/core/schema/test_field_table.py` fails when it is stale. What the resource does with its
arguments is `resources.py`'s: the generated `__init__` hands them, by name, to `_declare`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi


@dataclasses.dataclass
class SecurityArgs:
    """Credentials and transport security. SIP trunk: secureTrunking, authentication, username, password. Genesys
    Audio Connector: apiKey and clientSecret (shared secrets you choose and enter in Genesys)."""

    secure_trunking: pulumi.Input[bool] | None = None
    """SIP: TLS/SRTP trunking."""
    authentication: pulumi.Input[bool] | None = None
    """SIP: digest authentication."""
    username: pulumi.Input[str] | None = None
    """SIP: required when authentication is true."""
    password: pulumi.Input[str] | None = None
    """SIP: required when authentication is true; write-only."""
    api_key: pulumi.Input[str] | None = None
    """Genesys: required; write-only."""
    client_secret: pulumi.Input[str] | None = None
    """Genesys: required, base64; write-only."""


@dataclasses.dataclass
class CustomInviteHeaderArgs:
    """A custom SIP INVITE header passed to the agent."""

    name: pulumi.Input[str]
    """Header name; unique, case-insensitive."""


@dataclasses.dataclass
class TransferFailureArgs:
    """What happens when a transfer fails."""

    reply_message: pulumi.Input[str] | None = None
    """Message played to the caller."""
    disconnect_call: pulumi.Input[bool] | None = None
    """Hang up after the message."""


@dataclasses.dataclass
class CallFailureArgs:
    """What happens when a call fails."""

    reply_message: pulumi.Input[str] | None = None
    """Message played to the caller."""


@dataclasses.dataclass
class ErrorHandlingArgs:
    """Error handling of a SIP trunk."""

    fallback_sip_uri: pulumi.Input[str] | None = None
    """Where calls go when the agent cannot take them."""
    transfer_failure: TransferFailureArgs | pulumi.Input[Mapping[str, Any]] | None = None
    """On a failed transfer."""
    call_failure: CallFailureArgs | pulumi.Input[Mapping[str, Any]] | None = None
    """On a failed call."""


@dataclasses.dataclass
class PhoneNumberArgs:
    """A number on a SIP trunk (E.164), optionally routed to one agent environment."""

    phone_number: pulumi.Input[str]
    """E.164 number, e.g. +14155550100 (normalised)."""
    description: pulumi.Input[str] | None = None
    """Free text."""
    agent_id: pulumi.Input[str] | None = None
    """Agent UUID; given together with environmentId."""
    environment_id: pulumi.Input[str] | None = None
    """Agent environment UUID; given together with agentId."""


@dataclasses.dataclass
class AttachedEnvironmentArgs:
    """An agent environment attached to a Genesys Audio Connector config."""

    agent_id: pulumi.Input[str]
    """Agent UUID."""
    environment_id: pulumi.Input[str]
    """Agent environment UUID."""
    agent_name: pulumi.Input[str] | None = None
    """Agent name (informational)."""
    environment_name: pulumi.Input[str] | None = None
    """Environment name (informational)."""


class PhoneConfigSurface:
    """The keyword arguments and output attributes of `PhoneConfig` (the resource class)."""

    name: pulumi.Output[str]
    """Config name, 1-64 characters (surrounding whitespace removed)."""
    description: pulumi.Output[str | None]
    """At most 1024 characters."""
    service_provider: pulumi.Output[str]
    """`sip_trunk` (default) or `genesys_audio_connector`; a change replaces the config."""
    security: pulumi.Output[dict[str, Any]]
    """Credentials; always secret."""
    custom_invite_headers: pulumi.Output[list[dict[str, Any]] | None]
    """SIP: custom INVITE headers; order not significant."""
    put_caller_on_hold_on_transfer: pulumi.Output[bool | None]
    """SIP: default true (the server's)."""
    send_provisional_response: pulumi.Output[bool | None]
    """SIP: default true (the server's)."""
    error_handling: pulumi.Output[dict[str, Any] | None]
    """SIP: error handling."""
    phone_numbers: pulumi.Output[list[dict[str, Any]] | None]
    """SIP: numbers, a set keyed by number. Undeclared: the provider never writes the list."""
    attached_environments: pulumi.Output[list[dict[str, Any]] | None]
    """Genesys: attached agent environments, a set keyed by (agentId, environmentId)."""
    tenant_id: pulumi.Output[str]
    """Tenant of the config (server)."""
    created_on: pulumi.Output[str]
    """Creation time (server)."""
    created_by: pulumi.Output[str]
    """Creator (server)."""
    updated_at: pulumi.Output[str]
    """Last update time (server)."""
    updated_by: pulumi.Output[str]
    """Last updater (server)."""
    sip_uri: pulumi.Output[str | None]
    """SIP: the URI the carrier sends calls to."""
    audio_connect_uri: pulumi.Output[str | None]
    """Genesys: Audio Connector base URI."""
    connectors: pulumi.Output[list[dict[str, Any]] | None]
    """Genesys: one per attached agent environment."""

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        service_provider: pulumi.Input[str] = "sip_trunk",
        security: SecurityArgs | pulumi.Input[Mapping[str, Any]] | None = None,
        custom_invite_headers: Sequence[CustomInviteHeaderArgs | Mapping[str, Any]] | None = None,
        put_caller_on_hold_on_transfer: pulumi.Input[bool] | None = None,
        send_provisional_response: pulumi.Input[bool] | None = None,
        error_handling: ErrorHandlingArgs | pulumi.Input[Mapping[str, Any]] | None = None,
        phone_numbers: Sequence[PhoneNumberArgs | Mapping[str, Any]] | None = None,
        attached_environments: Sequence[AttachedEnvironmentArgs | Mapping[str, Any]] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declares one `PhoneConfig`. Nested values are the args classes of this module or plain dicts with the same
        (API) field names.

        Args:
            name: Config name, 1-64 characters (surrounding whitespace removed).
            description: At most 1024 characters.
            service_provider: `sip_trunk` (default) or `genesys_audio_connector`; a change replaces the config.
            security: Credentials; always secret.
            custom_invite_headers: SIP: custom INVITE headers; order not significant.
            put_caller_on_hold_on_transfer: SIP: default true (the server's).
            send_provisional_response: SIP: default true (the server's).
            error_handling: SIP: error handling.
            phone_numbers: SIP: numbers, a set keyed by number. Undeclared: the provider never writes the list.
            attached_environments: Genesys: attached agent environments, a set keyed by (agentId, environmentId).
            adopt_existing: On create, take over the one existing config of this name and kind instead of refusing to
                duplicate it. Unset: the provider's adoptExisting. Never sent to the API.
            opts: Resource options.
        """
        inputs: dict[str, Any] = {
            "name": name,
            "description": description,
            "service_provider": service_provider,
            "security": security,
            "custom_invite_headers": custom_invite_headers,
            "put_caller_on_hold_on_transfer": put_caller_on_hold_on_transfer,
            "send_provisional_response": send_provisional_response,
            "error_handling": error_handling,
            "phone_numbers": phone_numbers,
            "attached_environments": attached_environments,
            "adopt_existing": adopt_existing,
        }
        self._declare(resource_name, inputs, opts)

    # A wrong or missing argument is reported as the resource class's own:
    # `PhoneConfig.__init__() got an unexpected keyword argument 'descripton'`.
    __init__.__qualname__ = "PhoneConfig.__init__"

    def _declare(self, resource_name: str, inputs: dict[str, Any], opts: pulumi.ResourceOptions | None) -> None:
        """Registers the resource (`resources.py`): `inputs` has every argument, by its field name."""
        raise NotImplementedError
