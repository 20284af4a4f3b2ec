"""The policies' logic: pure functions over (type token, name, inputs), for both faces of the provider.

A resource is a `Declared`: its type token, its name and its inputs as the program spells them (snake_case for the
dynamic provider's Python, camelCase for the native provider), with values unknown during a preview replaced by
`UNKNOWN`. Each check returns violation messages, one line each, naming the resource and the field in the spelling
of its face; a check that meets an unknown value it needs says nothing (the value is checked at `up`, when known).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_phonecfg.core.schema.models import SIP_TRUNK, number_key


class _Unknown:
    """A value the engine does not know yet (another resource's output, during a preview)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class Face:
    """One provider's type tokens and spelling of field names."""

    config_type: str
    number_type: str
    attachment_type: str
    camel_case: bool

    def spell(self, path: str) -> str:
        """`security.secure_trunking` as the program writes it (`security.secureTrunking` on the native face)."""
        if not self.camel_case:
            return path
        return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


DYNAMIC: Final = Face(
    config_type="pulumi-python:dynamic/phonecfg:PhoneConfig",
    number_type="pulumi-python:dynamic/phonecfg:PhoneNumber",
    attachment_type="pulumi-python:dynamic/phonecfg:AgentAttachment",
    camel_case=False,
)
NATIVE: Final = Face(
    config_type="phonecfg:index:PhoneConfig",
    number_type="phonecfg:index:PhoneNumber",
    attachment_type="phonecfg:index:AgentAttachment",
    camel_case=True,
)
FACES: Final = (DYNAMIC, NATIVE)


def face_of(type_token: str) -> Face | None:
    for face in FACES:
        if type_token in (face.config_type, face.number_type, face.attachment_type):
            return face
    return None


@dataclass(frozen=True)
class Declared:
    """One resource of the stack as the policies see it. `depends_on` maps an input (face spelling) to the URNs
    of the resources its value comes from (how `config_id=trunk.id` is traced while the id is still unknown)."""

    type_token: str
    name: str
    inputs: Mapping[str, Any]
    urn: str = ""
    depends_on: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def face(self) -> Face | None:
        return face_of(self.type_token)

    def kind_label(self) -> str:
        return self.type_token.rsplit(":", 1)[-1]

    def get(self, path: str) -> Any:
        """The input at `path` (snake_case, dotted; spelled for the face here), None when absent."""
        face = self.face
        value: Any = self.inputs
        for part in (face.spell(path) if face else path).split("."):
            if value is UNKNOWN:
                return UNKNOWN
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    def field(self, path: str) -> str:
        face = self.face
        return face.spell(path) if face else path

    def says(self, path: str, problem: str) -> str:
        return f"{self.kind_label()} '{self.name}': {self.field(path)} {problem}"


def is_config(resource: Declared) -> bool:
    return any(resource.type_token == face.config_type for face in FACES)


def is_sip_trunk(resource: Declared) -> bool:
    """A PhoneConfig that is (or, with its kind unknown, may not be) a SIP trunk: `service_provider` defaults to
    `sip_trunk`. An unknown kind is not a SIP trunk here: nothing is claimed about what is not known."""
    if not is_config(resource):
        return False
    kind = resource.get("service_provider")
    return kind is None or kind == SIP_TRUNK


def _is_true(value: Any) -> bool | None:
    """True/False, or None for unknown."""
    if value is UNKNOWN:
        return None
    return value is True


ResourceCheck = Callable[[Declared, Mapping[str, Any]], list[str]]


def secure_trunking(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    if not is_sip_trunk(resource) or resource.get("security") is UNKNOWN:
        return []
    if _is_true(resource.get("security.secure_trunking")) is False:
        return [resource.says("security.secure_trunking", "is not true: SIP trunks must use secure trunking")]
    return []


def authentication(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    if not is_sip_trunk(resource) or resource.get("security") is UNKNOWN:
        return []
    if _is_true(resource.get("security.authentication")) is False:
        return [resource.says("security.authentication", "is not true: SIP trunks must use authentication")]
    return []


def _entries(value: Any) -> list[tuple[int, Any]]:
    return list(enumerate(value)) if isinstance(value, Sequence) and not isinstance(value, str) else []


def numbers_routed(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    """Every number, inline or as a PhoneNumber, names the agent it rings (`agent_id`)."""
    face = resource.face
    if face is None:
        return []
    if resource.type_token == face.number_type:
        if resource.get("agent_id") is None:
            number = resource.get("phone_number")
            shown = f" ({number})" if isinstance(number, str) else ""
            return [resource.says("agent_id", f"is not set{shown}: the number rings nowhere")]
        return []
    if not is_sip_trunk(resource):
        return []
    found = []
    for index, entry in _entries(resource.get("phone_numbers")):
        if not isinstance(entry, Mapping):
            continue
        if entry.get(face.spell("agent_id")) is None:
            number = entry.get(face.spell("phone_number"))
            shown = f" ({number})" if isinstance(number, str) else ""
            found.append(
                resource.says(f"phone_numbers[{index}].agent_id", f"is not set{shown}: the number rings nowhere")
            )
    return found


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trunk_error_handling(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    """A fallback SIP URI (where calls go when the agent cannot take them) and a transfer-failure reply."""
    if not is_sip_trunk(resource) or resource.get("error_handling") is UNKNOWN:
        return []
    required = []
    if options.get("requireFallbackSipUri", True):
        required.append(("error_handling.fallback_sip_uri", "a fallback SIP URI"))
    if options.get("requireTransferFailureReply", True):
        required.append(("error_handling.transfer_failure.reply_message", "a transfer-failure reply"))
    return [
        resource.says(path, f"is not set: every trunk needs {what}")
        for path, what in required
        if _blank(resource.get(path))
    ]


def no_adopt_existing(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    if is_config(resource) and _is_true(resource.get("adopt_existing")):
        return [resource.says("adopt_existing", "is true: adoption is a one-time migration, not for this stack")]
    return []


def config_name_pattern(resource: Declared, options: Mapping[str, Any]) -> list[str]:
    pattern = options.get("pattern")
    if not is_config(resource) or not isinstance(pattern, str) or not pattern:
        return []
    name = resource.get("name")
    if not isinstance(name, str) or re.fullmatch(pattern, name.strip()):
        return []
    return [resource.says("name", f"'{name}' does not match the pattern '{pattern}'")]


def _owner_key(resource: Declared, by_urn: Mapping[str, Declared]) -> str | None:
    """Which config a PhoneNumber/AgentAttachment belongs to: the PhoneConfig its `config_id` comes from (traced
    through the engine's dependencies, so known even while the id is not), else the literal id; None if unknown."""
    for urn in resource.depends_on.get(resource.field("config_id"), ()):
        source = by_urn.get(urn)
        if source is not None and is_config(source):
            return urn
    config_id = resource.get("config_id")
    return config_id if isinstance(config_id, str) else None


def _inline(config: Declared, list_path: str, key: Callable[[Face, Mapping[str, Any]], Any]) -> set[Any] | None:
    """The keys of a config's inline list; None when the list is not declared or not known."""
    face = config.face
    value = config.get(list_path)
    if face is None or value is None or value is UNKNOWN:
        return None
    keys = set()
    for _, entry in _entries(value):
        if isinstance(entry, Mapping):
            entry_key = key(face, entry)
            if entry_key is not None:
                keys.add(entry_key)
    return keys


def _number_key(face: Face, entry: Mapping[str, Any]) -> str | None:
    return number_key(entry.get(face.spell("phone_number")))


def _attachment_key(face: Face, entry: Mapping[str, Any]) -> tuple[str, str] | None:
    agent, environment = entry.get(face.spell("agent_id")), entry.get(face.spell("environment_id"))
    if isinstance(agent, str) and isinstance(environment, str):
        return agent, environment
    return None


def one_owner(resources: Iterable[Declared], options: Mapping[str, Any]) -> list[tuple[Declared, str]]:
    """One owner per number and per attachment in the stack: a `PhoneNumber` (`AgentAttachment`) whose number
    (agent and environment) its config also declares inline, or that another `PhoneNumber` (`AgentAttachment`)
    of the same config already declares. Returns (the offending resource, message) pairs."""
    declared = list(resources)
    by_urn = {r.urn: r for r in declared if r.urn}
    found: list[tuple[Declared, str]] = []
    seen: dict[tuple[str, str, Any], Declared] = {}  # (number|attachment, config, item): first owner
    for resource in declared:
        face = resource.face
        if face is None or resource.type_token not in (face.number_type, face.attachment_type):
            continue
        owner = _owner_key(resource, by_urn)
        if owner is None:
            continue
        config = by_urn.get(owner)
        if resource.type_token == face.number_type:
            what, list_path = "number", "phone_numbers"
            item: Any = number_key(resource.get("phone_number"))
            shown, fields = f"{item}", "phone_number"
            inline = _inline(config, list_path, _number_key) if config else None
        else:
            what, list_path = "attachment", "attached_environments"
            agent, environment = resource.get("agent_id"), resource.get("environment_id")
            item = (agent, environment) if isinstance(agent, str) and isinstance(environment, str) else None
            shown, fields = f"agent {agent} in environment {environment}", "agent_id"
            inline = _inline(config, list_path, _attachment_key) if config else None
        if item is None:
            continue
        if config is not None and inline is not None and item in inline:
            found.append(
                (
                    resource,
                    resource.says(
                        fields,
                        f"{shown} is also in {config.field(list_path)} of {config.kind_label()} '{config.name}': "
                        f"one {what}, two owners; declare it in one place",
                    ),
                )
            )
            continue
        first = seen.setdefault((what, owner, item), resource)
        if first is not resource:
            found.append(
                (
                    resource,
                    resource.says(
                        fields,
                        f"{shown} is also declared by {first.kind_label()} '{first.name}' on the same config: "
                        f"one {what}, two owners",
                    ),
                )
            )
    return found
