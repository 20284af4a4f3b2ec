"""The emulator's own request/response models.

Deliberately independent of the provider's models (``pulumi_phonecfg.core.schema.models``): the emulator encodes
our reading of the server contract (the API reference, see docs/emulator.md) so it can disagree with
the provider.

Request models ignore unknown keys (the ADK sends ``spec_version``/``kind``). Booleans and strings are
strict (no ``"true"`` -> ``True`` coercion, no number -> string coercion). Cross-field rules live in
``validation.py`` because they depend on the stored document (PATCH) and on ``service_provider``.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, StringConstraints

E164_PATTERN = r"^\+[1-9]\d{1,14}$"
# RFC 7230 "token" characters: what a SIP/HTTP header name may contain.
HEADER_NAME_PATTERN = r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"

ServiceProvider = Literal["sip_trunk", "genesys_audio_connector"]
SIP_TRUNK: ServiceProvider = "sip_trunk"
GENESYS: ServiceProvider = "genesys_audio_connector"

Name = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Description = Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=1024)]
PhoneNumber = Annotated[StrictStr, StringConstraints(pattern=E164_PATTERN)]
ReplyMessage = Annotated[StrictStr, StringConstraints(max_length=150)]
HeaderName = Annotated[StrictStr, StringConstraints(min_length=1, max_length=256, pattern=HEADER_NAME_PATTERN)]
FallbackUri = Annotated[StrictStr, StringConstraints(max_length=2048, pattern=r"^sips?:\S+$")]
ShortText = Annotated[StrictStr, StringConstraints(max_length=256)]


class _In(BaseModel):
    """Base for request bodies: unknown keys are ignored, never stored."""

    model_config = ConfigDict(extra="ignore")


# --------------------------------------------------------------------------------------------- request


class SecurityIn(_In):
    """``PhoneSecurity`` as sent by a client. ``password_is_set`` is accepted and ignored."""

    api_key: StrictStr | None = None
    client_secret: StrictStr | None = None
    secure_trunking: StrictBool | None = None
    authentication: StrictBool | None = None
    username: StrictStr | None = None
    password: StrictStr | None = None
    password_is_set: StrictBool | None = None


class TransferFailureIn(_In):
    reply_message: ReplyMessage | None = None
    disconnect_call: StrictBool | None = None


class CallFailureIn(_In):
    reply_message: ReplyMessage | None = None


class ErrorHandlingIn(_In):
    fallback_sip_uri: FallbackUri | None = None
    transfer_failure: TransferFailureIn | None = None
    call_failure: CallFailureIn | None = None


class CustomInviteHeaderIn(_In):
    name: HeaderName


class AttachedEnvironmentIn(_In):
    agent_id: uuid.UUID
    environment_id: uuid.UUID
    agent_name: ShortText | None = None
    environment_name: ShortText | None = None


class PhoneNumberIn(_In):
    """``CreatePhoneNumberConfig``: body of E7 and item of ``phone_numbers``."""

    phone_number: PhoneNumber
    description: Description | None = None
    agent_id: uuid.UUID | None = None
    environment_id: uuid.UUID | None = None


class PhoneNumberPatch(_In):
    """Body of E8. ``phone_number`` is required (the ADK always sends it; a new value renames)."""

    phone_number: PhoneNumber
    description: Description | None = None
    agent_id: uuid.UUID | None = None
    environment_id: uuid.UUID | None = None


class PhoneConfigCreate(_In):
    """Body of E1. ``phone_numbers``/``attached_environments`` are not part of it and are ignored."""

    name: Name
    security: SecurityIn
    description: Description | None = None
    service_provider: ServiceProvider = SIP_TRUNK
    custom_invite_headers: list[CustomInviteHeaderIn] | None = None
    put_caller_on_hold_on_transfer: StrictBool | None = True
    send_provisional_response: StrictBool | None = True
    error_handling: ErrorHandlingIn | None = None


class PhoneConfigUpdate(_In):
    """Body of E4: every field optional; which ones were sent is read from ``model_fields_set``."""

    name: Name | None = None
    description: Description | None = None
    service_provider: ServiceProvider | None = None
    security: SecurityIn | None = None
    attached_environments: list[AttachedEnvironmentIn] | None = None
    custom_invite_headers: list[CustomInviteHeaderIn] | None = None
    put_caller_on_hold_on_transfer: StrictBool | None = None
    send_provisional_response: StrictBool | None = None
    error_handling: ErrorHandlingIn | None = None
    phone_numbers: list[PhoneNumberIn] | None = None


# -------------------------------------------------------------------------------------------- response


class SecurityOut(BaseModel):
    api_key: str | None = None
    client_secret: str | None = None
    secure_trunking: bool = False
    authentication: bool = False
    username: str | None = None
    password: str | None = None
    password_is_set: bool = False


class TransferFailureOut(BaseModel):
    reply_message: str | None = None
    disconnect_call: bool | None = None


class CallFailureOut(BaseModel):
    reply_message: str | None = None


class ErrorHandlingOut(BaseModel):
    fallback_sip_uri: str | None = None
    transfer_failure: TransferFailureOut | None = None
    call_failure: CallFailureOut | None = None


class CustomInviteHeaderOut(BaseModel):
    name: str


class AttachedEnvironmentOut(BaseModel):
    agent_id: str
    environment_id: str
    agent_name: str | None = None
    environment_name: str | None = None


class PhoneNumberOut(BaseModel):
    phone_number: str
    description: str | None = None
    agent_id: str | None = None
    environment_id: str | None = None


class PhoneConfigOut(BaseModel):
    id: str
    tenant_id: str
    name: str
    description: str | None = None
    service_provider: ServiceProvider
    security: SecurityOut
    custom_invite_headers: list[CustomInviteHeaderOut] = Field(default_factory=list)
    put_caller_on_hold_on_transfer: bool | None = True
    send_provisional_response: bool | None = True
    error_handling: ErrorHandlingOut | None = None
    attached_environments: list[AttachedEnvironmentOut] = Field(default_factory=list)
    phone_numbers: list[PhoneNumberOut] = Field(default_factory=list)
    created_on: str
    created_by: str
    updated_at: str
    updated_by: str


class PhoneConfigList(BaseModel):
    phones: list[PhoneConfigOut]


class PhoneNumberList(BaseModel):
    phone_numbers: list[PhoneNumberOut]


class AgentEnvironmentOut(BaseModel):
    id: str
    name: Literal["draft", "live"]


class AgentOut(BaseModel):
    """An item of the agents listing (reference §1.9; the real one has more fields)."""

    id: str
    name: str
    display_name: str
    environments: list[AgentEnvironmentOut]


class IamTokenOut(BaseModel):
    access_token: str
    refresh_token: str = "not_supported"
    token_type: str = "Bearer"
    expires_in: int
    expiration: int
    scope: str = "ibm openid"


class McspTokenIn(_In):
    apikey: StrictStr


class McspTokenOut(BaseModel):
    token: str
    token_type: str = "jwt"
    expires_in: int


# ----------------------------------------------------------------------------------------------- admin

FaultKind = Literal["status", "drop", "delay", "commit_then_fail", "commit_then_drop"]


class FaultRule(BaseModel):
    """One fault-injection rule (see docs/emulator.md)."""

    model_config = ConfigDict(extra="forbid")

    method: str | None = None
    path: str | None = None
    kind: FaultKind
    status: Annotated[int, Field(ge=100, le=599)] | None = None
    retry_after: Annotated[int, Field(ge=0)] | None = None
    delay: Annotated[float, Field(ge=0, le=60)] = 0.0
    times: Annotated[int, Field(ge=0)] | None = None
    probability: Annotated[float, Field(ge=0, le=1)] | None = None
    seed: int | None = None


class FaultRuleState(FaultRule):
    """A rule as reported by ``GET /_emulator/faults``: plus how often it has fired."""

    hits: int = 0


def dump(model: BaseModel) -> dict[str, Any]:
    """``model_dump`` in JSON mode (UUIDs become strings)."""
    return model.model_dump(mode="json")
