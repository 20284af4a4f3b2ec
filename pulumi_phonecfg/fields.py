"""The field table: every field of every resource, declared once.

From this table come the native schema (`native/schema.py`, checked in as `schema.json`), the program's camelCase
names and their API snake_case (`native/names.py`, `native/phone_config.py`), the field groups the lifecycle and
the canonical form work with (`models.py`: the fields of each kind, server defaults, list item keys, set keys and
their order, shared lists, fields written after create, fields that replace), the outputs the server writes and
those the provider derives (`integration.py`), the detailed diff's set keys, and the dynamic `PhoneConfig`'s
inputs, secret outputs and output attributes (`resource.py`).

What stays code, held to the table by `tests/unit/test_field_table.py`: the pydantic models of `models.py`
(validators: E.164, base64, UUIDs, lengths) and the typed arguments of the dynamic resource (`resource.py`'s
args classes and keyword arguments, for Python type checkers). Adding a field: one line here, then the pydantic
field and the Python argument the test names, then `make schema` (and the emulator, which is independent).

Names here are the API's (snake_case); the program name of a field is its camelCase form. A second resource is
one more `ResourceTable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

SIP: Final = "sip_trunk"
GENESYS: Final = "genesys_audio_connector"
BOTH: Final = frozenset({SIP, GENESYS})
SIP_ONLY: Final = frozenset({SIP})
GENESYS_ONLY: Final = frozenset({GENESYS})


@dataclass(frozen=True)
class Field:
    name: str  # the API's name (snake_case)
    type: str  # string | boolean | integer | number | the name of an ObjectType in TYPES
    description: str
    list: bool = False
    kinds: frozenset[str] = BOTH  # the kinds of config that have it (PhoneConfig)
    required: bool = False
    default: Any = None  # the server's default, filled into the canonical form
    secret: bool = False  # secret in inputs and outputs
    write_only: bool = False  # a credential: the API accepts it, never returns it
    replaces: bool = False  # a change replaces the resource
    set_key: tuple[str, ...] = ()  # a list compared as a set, elements keyed by these fields
    set_key_folds_case: bool = False  # ... compared case-insensitively (SIP header names)
    after_create: bool = False  # not part of the create body: the follow-up PATCH writes it
    shared: bool = False  # a list others write too: declaring it owns the whole list, leaving it out never writes it
    sent: bool = True  # False: the provider's own setting, never sent to the API
    enum: tuple[str, ...] = ()
    output_type: str = ""  # the type of its output when it differs from the input's (credentials -> fingerprints)
    derived: bool = False  # an output the provider derives (integration.py), not one the API returns
    # Validation: a rule that is code, by name (`models.RULES`: non_empty, e164, base64, uuid), and a length limit.
    rule: str = ""
    max_length: int | None = None


@dataclass(frozen=True)
class ObjectType:
    name: str  # schema type name (`phonecfg:index:<name>`)
    description: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class ResourceTable:
    name: str  # schema resource name (`phonecfg:index:<name>`)
    description: str
    inputs: tuple[Field, ...]  # what a program declares (also outputs, unless sent=False)
    outputs: tuple[Field, ...]  # what only the provider or the server writes

    def input(self, name: str) -> Field:
        return next(f for f in self.inputs if f.name == name)

    def api_inputs(self) -> tuple[Field, ...]:
        """The inputs that are fields of the API document (not the provider's own settings)."""
        return tuple(f for f in self.inputs if f.sent)


TYPES: Final = (
    ObjectType(
        "Security",
        "Credentials and transport security. SIP trunk: secureTrunking, authentication, username, password. "
        "Genesys Audio Connector: apiKey and clientSecret (shared secrets you choose and enter in Genesys).",
        (
            Field("secure_trunking", "boolean", "SIP: TLS/SRTP trunking.", kinds=SIP_ONLY, default=False),
            Field("authentication", "boolean", "SIP: digest authentication.", kinds=SIP_ONLY, default=False),
            Field("username", "string", "SIP: required when authentication is true.", kinds=SIP_ONLY),
            Field(
                "password",
                "string",
                "SIP: required when authentication is true; write-only.",
                kinds=SIP_ONLY,
                write_only=True,
            ),
            Field("api_key", "string", "Genesys: required; write-only.", kinds=GENESYS_ONLY, write_only=True),
            Field(
                "client_secret",
                "string",
                "Genesys: required, base64; write-only.",
                kinds=GENESYS_ONLY,
                write_only=True,
                rule="base64",
            ),
        ),
    ),
    ObjectType(
        "CustomInviteHeader",
        "A custom SIP INVITE header passed to the agent.",
        (Field("name", "string", "Header name; unique, case-insensitive.", required=True, rule="non_empty"),),
    ),
    ObjectType(
        "TransferFailure",
        "What happens when a transfer fails.",
        (
            Field("reply_message", "string", "Message played to the caller."),
            Field("disconnect_call", "boolean", "Hang up after the message."),
        ),
    ),
    ObjectType(
        "CallFailure",
        "What happens when a call fails.",
        (Field("reply_message", "string", "Message played to the caller."),),
    ),
    ObjectType(
        "ErrorHandling",
        "Error handling of a SIP trunk.",
        (
            Field("fallback_sip_uri", "string", "Where calls go when the agent cannot take them."),
            Field("transfer_failure", "TransferFailure", "On a failed transfer."),
            Field("call_failure", "CallFailure", "On a failed call."),
        ),
    ),
    ObjectType(
        "PhoneNumber",
        "A number on a SIP trunk (E.164), optionally routed to one agent environment.",
        (
            Field(
                "phone_number", "string", "E.164 number, e.g. +14155550100 (normalised).", required=True, rule="e164"
            ),
            Field("description", "string", "Free text."),
            Field("agent_id", "string", "Agent UUID; given together with environmentId.", rule="uuid"),
            Field("environment_id", "string", "Agent environment UUID; given together with agentId.", rule="uuid"),
        ),
    ),
    ObjectType(
        "AttachedEnvironment",
        "An agent environment attached to a Genesys Audio Connector config.",
        (
            Field("agent_id", "string", "Agent UUID.", required=True, rule="uuid"),
            Field("environment_id", "string", "Agent environment UUID.", required=True, rule="uuid"),
            Field("agent_name", "string", "Agent name (informational)."),
            Field("environment_name", "string", "Environment name (informational)."),
        ),
    ),
    ObjectType(
        "Connector",
        "What Genesys Cloud needs for one attached agent environment.",
        (
            Field("agent_id", "string", "Agent UUID.", required=True),
            Field("environment_id", "string", "Agent environment UUID.", required=True),
            Field("connector_id", "string", "Connector id to enter in Genesys Audio Connector.", required=True),
        ),
    ),
    ObjectType(
        "SecurityState",
        "The security settings as stored: the plain fields, and salted one-way fingerprints of the credentials "
        "(never a credential itself).",
        (
            Field("secure_trunking", "boolean", "SIP: TLS/SRTP trunking."),
            Field("authentication", "boolean", "SIP: digest authentication."),
            Field("username", "string", "SIP user name."),
            Field("fingerprints", "Fingerprints", "Fingerprints of the credentials last written."),
        ),
    ),
    ObjectType(
        "Fingerprints",
        "Salted PBKDF2 fingerprints of the write-only credentials last written by the provider.",
        (
            Field("password", "string", "SIP password fingerprint."),
            Field("api_key", "string", "Genesys API key fingerprint."),
            Field("client_secret", "string", "Genesys client secret fingerprint."),
        ),
    ),
)

PHONE_CONFIG: Final = ResourceTable(
    "PhoneConfig",
    "One watsonx Orchestrate phone config: a SIP trunk or a Genesys Audio Connector config.",
    inputs=(
        Field(
            "name",
            "string",
            "Config name, 1-64 characters (surrounding whitespace removed).",
            required=True,
            rule="non_empty",
            max_length=64,
        ),
        Field("description", "string", "At most 1024 characters.", max_length=1024),
        Field(
            "service_provider",
            "string",
            "`sip_trunk` (default) or `genesys_audio_connector`; a change replaces the config.",
            default=SIP,
            replaces=True,
            enum=(SIP, GENESYS),
        ),
        Field("security", "Security", "Credentials; always secret.", secret=True, output_type="SecurityState"),
        Field(
            "custom_invite_headers",
            "CustomInviteHeader",
            "SIP: custom INVITE headers; order not significant.",
            list=True,
            kinds=SIP_ONLY,
            set_key=("name",),
            set_key_folds_case=True,
        ),
        Field(
            "put_caller_on_hold_on_transfer",
            "boolean",
            "SIP: default true (the server's).",
            kinds=SIP_ONLY,
            default=True,
        ),
        Field(
            "send_provisional_response", "boolean", "SIP: default true (the server's).", kinds=SIP_ONLY, default=True
        ),
        Field("error_handling", "ErrorHandling", "SIP: error handling.", kinds=SIP_ONLY),
        Field(
            "phone_numbers",
            "PhoneNumber",
            "SIP: numbers, a set keyed by number. Undeclared: the provider never writes the list.",
            list=True,
            kinds=SIP_ONLY,
            set_key=("phone_number",),
            after_create=True,
            shared=True,
        ),
        Field(
            "attached_environments",
            "AttachedEnvironment",
            "Genesys: attached agent environments, a set keyed by (agentId, environmentId).",
            list=True,
            kinds=GENESYS_ONLY,
            set_key=("agent_id", "environment_id"),
            after_create=True,
            shared=True,
        ),
        Field(
            "adopt_existing",
            "boolean",
            "On create, take over the one existing config of this name and kind instead of refusing to duplicate "
            "it. Unset: the provider's adoptExisting. Never sent to the API.",
            sent=False,
        ),
    ),
    outputs=(
        Field("tenant_id", "string", "Tenant of the config (server)."),
        Field("created_on", "string", "Creation time (server)."),
        Field("created_by", "string", "Creator (server)."),
        Field("updated_at", "string", "Last update time (server)."),
        Field("updated_by", "string", "Last updater (server)."),
        Field("sip_uri", "string", "SIP: the URI the carrier sends calls to.", kinds=SIP_ONLY, derived=True),
        Field("audio_connect_uri", "string", "Genesys: Audio Connector base URI.", kinds=GENESYS_ONLY, derived=True),
        Field(
            "connectors",
            "Connector",
            "Genesys: one per attached agent environment.",
            list=True,
            kinds=GENESYS_ONLY,
            derived=True,
        ),
    ),
)

RESOURCES: Final = (PHONE_CONFIG,)


def element_key(f: Field) -> Callable[[Mapping[str, Any]], tuple[str, ...]]:
    """How the elements of the set-like list `f` are told apart (and ordered in the canonical form)."""

    def key(item: Mapping[str, Any]) -> tuple[str, ...]:
        parts = tuple(str(item.get(name, "")) for name in f.set_key)
        return tuple(part.lower() for part in parts) if f.set_key_folds_case else parts

    return key


def derived_outputs(kind: str) -> tuple[str, ...]:
    """The outputs the provider derives for a config of `kind` (what the other side of the wire needs)."""
    return tuple(f.name for f in PHONE_CONFIG.outputs if f.derived and kind in f.kinds)


def server_outputs() -> tuple[str, ...]:
    """The outputs only the server writes, on every config."""
    return tuple(f.name for f in PHONE_CONFIG.outputs if not f.derived)


def object_type(name: str) -> ObjectType | None:
    return next((t for t in TYPES if t.name == name), None)


def type_named(name: str) -> ObjectType:
    """The object type `name`, which must exist."""
    found = object_type(name)
    if found is None:
        raise KeyError(name)
    return found


def walk(fields: tuple[Field, ...], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field and nested field as (API path, field): `error_handling.transfer_failure.reply_message`."""
    for f in fields:
        path = f"{prefix}.{f.name}" if prefix else f.name
        yield path, f
        nested = object_type(f.type)
        if nested is not None:
            yield from walk(nested.fields, path)
