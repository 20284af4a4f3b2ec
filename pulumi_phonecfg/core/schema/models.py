"""The PhoneConfig, PhoneNumber and AgentAttachment schemas and their validation: the field groups, the pydantic
input models, the rules that are code (E.164 numbers and their strictness, base64, UUIDs, config ids) and those
that span fields, each failure naming its field.

The canonical form is `canonical.py`'s; API documents -> outputs and the values to send are `api_documents.py`'s.

Field names are the API's own (those of the PATCH body), so a program reads like the API document. Which fields
there are, per kind, with which defaults and keys, comes from the field table (`fields.py`), and so do the pydantic
input models (`input_models`): each field typed as the table says, with the rule that is code its `rule` names
(`RULES`) and its length limit. The rules that span fields are `cross_field_violations`.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Final, Literal
from uuid import UUID

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    create_model,
)

from pulumi_phonecfg.core.http.field_text import FieldName, FieldText
from pulumi_phonecfg.core.schema import fields
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS

SIP_TRUNK: Final = fields.SIP
GENESYS: Final = fields.GENESYS
ServiceProvider = Literal["sip_trunk", "genesys_audio_connector"]

# The field groups below come from the field table (fields.py), in the order of the API document.
_API_INPUTS: Final = fields.PHONE_CONFIG.api_inputs()
COMMON_FIELDS: Final = tuple(f.name for f in _API_INPUTS if f.kinds == fields.BOTH)
SIP_ONLY_FIELDS: Final = tuple(f.name for f in _API_INPUTS if f.kinds == fields.SIP_ONLY)
GENESYS_ONLY_FIELDS: Final = tuple(f.name for f in _API_INPUTS if f.kinds == fields.GENESYS_ONLY)
INPUT_FIELDS: Final = COMMON_FIELDS + SIP_ONLY_FIELDS + GENESYS_ONLY_FIELDS
# Fields the create body does not take; they are written by a follow-up PATCH.
LIST_FIELDS_SET_AFTER_CREATE: Final = tuple(f.name for f in _API_INPUTS if f.after_create)
# Lists other parties write too (a second stack's PhoneNumber, the console, `orchestrate phone add-number`,
# `attach`). A config that declares one owns the whole list; one that leaves it out never writes it.
SHARED_LIST_FIELDS: Final = frozenset(f.name for f in _API_INPUTS if f.shared)
# Fields only the server writes.
SERVER_FIELDS: Final = fields.server_outputs()

# A change of these replaces the config: the field sets of the two kinds are incompatible.
REPLACE_FIELDS: Final = frozenset(f.name for f in _API_INPUTS if f.replaces)

# Server defaults, filled into the canonical form so an unset field and its default compare equal.
SIP_SECURITY_DEFAULTS: Final[dict[str, Any]] = {
    f.name: f.default for f in fields.type_named("Security").fields if f.default is not None
}
SIP_FLAG_DEFAULTS: Final[dict[str, Any]] = {
    f.name: f.default for f in _API_INPUTS if f.type == "boolean" and f.default is not None
}
# The security fields of each kind.
SIP_SECURITY_FIELDS: Final = tuple(f.name for f in fields.type_named("Security").fields if f.kinds == fields.SIP_ONLY)
GENESYS_SECURITY_FIELDS: Final = tuple(
    f.name for f in fields.type_named("Security").fields if f.kinds == fields.GENESYS_ONLY
)

NonEmptyStr = Annotated[str, Field(min_length=1)]
# A number routed to an agent names its environment too (inline in a config, or a PhoneNumber resource).
ROUTING_TOGETHER: Final = FieldText(
    FieldName("agent_id"), " and ", FieldName("environment_id"), " must be given together"
)


# The provider setting that makes `normalize_e164` refuse numbers the installed metadata calls invalid.
STRICT_NUMBERS_SETTING: Final = "phonecfg:strictPhoneNumbers"
# Key of the pydantic validation context that carries that setting down to `PhoneNumber`.
STRICT_NUMBERS_CONTEXT: Final = "strict_phone_numbers"


def strict_phone_numbers(context: Any) -> bool:
    return isinstance(context, Mapping) and context.get(STRICT_NUMBERS_CONTEXT) is True


def validation_context(*, strict_numbers: bool) -> dict[str, Any]:
    return {STRICT_NUMBERS_CONTEXT: strict_numbers}


def normalize_e164(value: str, *, strict: bool = False) -> str:
    """Return `value` as an E.164 number (`+14155550100`), or raise ValueError saying why not.

    The API takes any string (E.164 is only recommended), and carriers hand out ranges newer than the installed
    `phonenumbers` metadata (or reserved ones, such as +447700900xxx). So by default only what cannot be a phone
    number is refused: not E.164 syntax, or a length no number of that country code can have. Whether the
    metadata knows the range is checked only with `phonecfg:strictPhoneNumbers` set to true.
    """
    text = value.strip()
    if not text.startswith("+"):
        raise ValueError("must be in E.164 format: '+' then country code and number, e.g. +14155550100")
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a phone number in E.164 format") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("is not a possible phone number for its country code (wrong length or country code)")
    if strict and not phonenumbers.is_valid_number(parsed):
        raise ValueError(
            f"is not a valid phone number for its country code in the installed phone-number metadata "
            f"({STRICT_NUMBERS_SETTING} is true; set it to false to accept numbers the API accepts)"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def number_key(value: Any) -> str | None:
    """What identifies a number when comparing declarations (who owns it): its E.164 form, or the text as given
    when it is not a number (its own check reports that); None for a value that is not text (unknown, missing)."""
    if not isinstance(value, str):
        return None
    try:
        return normalize_e164(value)
    except ValueError:
        return value.strip()


# --------------------------------------------------------------------------------------------------------------
# The input models, built from the field table


def _e164(value: str, info: ValidationInfo) -> str:
    return normalize_e164(value, strict=strict_phone_numbers(info.context))


def _base64(value: str) -> str:
    # The message never contains the value: it is a credential.
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be base64-encoded") from None
    if not decoded:
        raise ValueError("must be base64-encoded and not empty")
    return value


def _config_id(value: str) -> str:
    # The API's config ids are UUIDs (reference §1); kept as given, so the id stays the trunk's own output.
    try:
        UUID(value)
    except ValueError:
        raise ValueError("must be a phone config id (a UUID), e.g. the id output of a PhoneConfig") from None
    return value


# The rules that are code, by the name a field of the table gives (`fields.Field.rule`).
RULES: Final[dict[str, Any]] = {
    "non_empty": NonEmptyStr,
    "e164": Annotated[NonEmptyStr, AfterValidator(_e164)],
    "base64": Annotated[str, AfterValidator(_base64)],
    "uuid": UUID,
    "config_id": Annotated[NonEmptyStr, AfterValidator(_config_id)],  # a PhoneConfig's id, as its output gives it
}
_PRIMITIVES: Final[dict[str, Any]] = {"string": str, "boolean": StrictBool, "integer": int, "number": float}
# Unknown or misspelled fields are errors, as in the ADK's own spec models.
_MODEL_CONFIG: Final = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _value_type(f: fields.Field, types: Mapping[str, type[BaseModel]]) -> Any:
    if f.rule:
        if f.rule not in RULES:
            raise ValueError(f"field {f.name!r}: unknown rule {f.rule!r} (known: {', '.join(RULES)})")
        return RULES[f.rule]
    if f.enum:
        return Literal.__getitem__(f.enum)
    return types[f.type] if f.type in types else _PRIMITIVES[f.type]


def _model_field(f: fields.Field, types: Mapping[str, type[BaseModel]]) -> tuple[Any, Any]:
    """A pydantic field for `f`: its type (a list, optional unless required) and its default.

    The default is None (unset) except a default of every kind (`service_provider`); a one-kind default
    (`put_caller_on_hold_on_transfer`) is the server's, filled into the canonical form, never into the inputs.
    """
    annotation = _value_type(f, types)
    if f.list:
        annotation = list[annotation]  # type: ignore[valid-type]
    if f.required:
        return annotation, Field(max_length=f.max_length)
    default = f.default if f.kinds == fields.BOTH else None
    return annotation | None, Field(default=default, max_length=f.max_length)


def input_models(table: fields.ResourceTable, types: Iterable[fields.ObjectType] = fields.TYPES) -> dict[str, Any]:
    """The pydantic models of `table`'s API inputs: one per object type they use (by type name), and the
    inputs themselves (`<table name>Inputs`), each field typed and ruled as the table says."""
    by_name = {t.name: t for t in types}
    built: dict[str, type[BaseModel]] = {}

    def build(name: str, doc: str, members: tuple[fields.Field, ...]) -> type[BaseModel]:
        for f in members:
            if f.type in by_name and f.type not in built:
                built[f.type] = build(f.type, by_name[f.type].description, by_name[f.type].fields)
        definitions: dict[str, Any] = {f.name: _model_field(f, built) for f in members}
        model: type[BaseModel] = create_model(
            name, __config__=_MODEL_CONFIG, __doc__=doc, __module__=__name__, **definitions
        )
        return model

    inputs = build(f"{table.name}Inputs", f"Everything a user may declare on one {table.name}.", table.api_inputs())
    return {**built, f"{table.name}Inputs": inputs}


_INPUT_MODELS: Final = input_models(fields.PHONE_CONFIG)
Security: Final[type[BaseModel]] = _INPUT_MODELS["Security"]
CustomInviteHeader: Final[type[BaseModel]] = _INPUT_MODELS["CustomInviteHeader"]
TransferFailure: Final[type[BaseModel]] = _INPUT_MODELS["TransferFailure"]
CallFailure: Final[type[BaseModel]] = _INPUT_MODELS["CallFailure"]
ErrorHandling: Final[type[BaseModel]] = _INPUT_MODELS["ErrorHandling"]
PhoneNumber: Final[type[BaseModel]] = _INPUT_MODELS["PhoneNumber"]
AttachedEnvironment: Final[type[BaseModel]] = _INPUT_MODELS["AttachedEnvironment"]
PhoneConfigInputs: Final[type[BaseModel]] = _INPUT_MODELS["PhoneConfigInputs"]
PhoneNumberInputs: Final[type[BaseModel]] = input_models(fields.PHONE_NUMBER)["PhoneNumberInputs"]
AgentAttachmentInputs: Final[type[BaseModel]] = input_models(fields.AGENT_ATTACHMENT)["AgentAttachmentInputs"]


# --------------------------------------------------------------------------------------------------------------
# Validation


class Violation(ValueError):
    """One problem with the declared inputs: `path` names the field (`security.password`, `phone_numbers[2]`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def field_path(loc: Iterable[int | str]) -> str:
    """`("phone_numbers", 0, "agent_id")` -> `phone_numbers[0].agent_id`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _violations_from(error: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[Violation]:
    found = []
    for item in error.errors(include_input=False, include_url=False):
        loc = prefix + tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; field names are the API's own)"
        found.append(Violation(field_path(loc), message))
    return found


def _top_level(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def validate_inputs(
    raw: Mapping[str, Any], *, strict_numbers: bool = False, credentials_later: bool = False
) -> tuple[BaseModel | None, list[Violation]]:
    """Validate fully known inputs: schema first, then the rules that span fields.

    `credentials_later`: the write-only credentials are left out because something else supplies them (an
    exported program reads them from secret stack config), so a missing one is not a violation.
    """
    try:
        model = PhoneConfigInputs.model_validate(dict(raw), context=validation_context(strict_numbers=strict_numbers))
    except ValidationError as error:
        # Still apply the cross-field rules to the fields that are valid, so one run reports every problem.
        valid = {}
        for name, value in raw.items():
            checked, problems = validate_field(name, value, strict_numbers=strict_numbers)
            if not problems:
                valid[name] = checked
        partial = PhoneConfigInputs.model_construct(**valid)
        invalid = set(raw) - set(valid)
        more = [
            v
            for v in cross_field_violations(partial, credentials_later=credentials_later)
            if _top_level(v.path) not in invalid
        ]
        return None, _violations_from(error) + more
    violations = cross_field_violations(model, credentials_later=credentials_later)
    return (None if violations else model), violations


@functools.cache
def _field_adapter(name: str) -> TypeAdapter[Any]:
    info = PhoneConfigInputs.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]
    return TypeAdapter(annotated, config=ConfigDict(str_strip_whitespace=True))


def validate_field(name: str, value: Any, *, strict_numbers: bool = False) -> tuple[Any, list[Violation]]:
    """Validate one top-level field on its own (used when other fields are still unknown in a preview)."""
    if name not in PhoneConfigInputs.model_fields:
        return value, [Violation(name, "unknown field (check the spelling; field names are the API's own)")]
    try:
        context = validation_context(strict_numbers=strict_numbers)
        return _field_adapter(name).validate_python(value, context=context), []
    except ValidationError as error:
        return value, _violations_from(error, (name,))


# Typed reads of the models built from the table (their attributes are invisible to type checkers).


def model_kind(model: BaseModel) -> str:
    """The `service_provider` of validated inputs."""
    return str(model.service_provider)  # type: ignore[attr-defined]


def _security(model: BaseModel) -> BaseModel | None:
    security: BaseModel | None = model.security  # type: ignore[attr-defined]
    return security


def _flag(model: BaseModel, name: str) -> bool:
    return getattr(model, name) is True


def _items(model: BaseModel, name: str) -> list[Any]:
    """The elements of the list field `name` (none when it is unset)."""
    return list(getattr(model, name) or [])


def cross_field_violations(model: BaseModel, *, credentials_later: bool = False) -> list[Violation]:
    found: list[Violation] = []
    security = _security(model)

    def missing(key: str) -> bool:
        supplied_later = credentials_later and key in SECRET_FIELDS
        return not supplied_later and (security is None or not getattr(security, key))

    if model_kind(model) == SIP_TRUNK:
        if _items(model, "attached_environments"):
            found.append(Violation("attached_environments", "agent attachments exist only on genesys_audio_connector"))
        if security is not None:
            for key in GENESYS_SECURITY_FIELDS:
                if getattr(security, key) is not None:
                    found.append(Violation(f"security.{key}", "applies only to genesys_audio_connector"))
            if _flag(security, "authentication"):
                for key in ("username", "password"):
                    if missing(key):
                        found.append(Violation(f"security.{key}", "is required when authentication is true"))
    else:
        for key in SIP_ONLY_FIELDS:
            if getattr(model, key) is not None:
                found.append(Violation(key, "applies only to sip_trunk configs"))
        for key in GENESYS_SECURITY_FIELDS:
            if missing(key):
                found.append(Violation(f"security.{key}", "is required for genesys_audio_connector"))
        if security is not None:
            for key in SIP_SECURITY_FIELDS:
                if getattr(security, key) is not None:
                    found.append(Violation(f"security.{key}", "applies only to sip_trunk configs"))
    found += _duplicates(
        "phone_numbers", [n.phone_number for n in _items(model, "phone_numbers")], "phone number listed twice"
    )
    found += _duplicates(
        "attached_environments",
        [(a.agent_id, a.environment_id) for a in _items(model, "attached_environments")],
        "agent environment attached twice",
    )
    found += _duplicates(
        "custom_invite_headers",
        [h.name.lower() for h in _items(model, "custom_invite_headers")],
        "header listed twice (SIP header names are case-insensitive)",
    )
    for index, number in enumerate(_items(model, "phone_numbers")):
        if (number.agent_id is None) != (number.environment_id is None):
            found.append(Violation(f"phone_numbers[{index}]", ROUTING_TOGETHER))
    return found


def _duplicates(path: str, keys: list[Any], message: str) -> list[Violation]:
    seen: set[Any] = set()
    found = []
    for index, key in enumerate(keys):
        if key in seen:
            found.append(Violation(f"{path}[{index}]", message))
        seen.add(key)
    return found
