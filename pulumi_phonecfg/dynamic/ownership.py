"""Who owns a trunk's numbers and a Genesys config's attachments, as far as one program can see it: the in-program
half of the ownership rules.

* A `PhoneConfig` that declares `phone_numbers` owns the whole list: every `up` writes exactly that list.
* A `PhoneConfig` that does not declare it never writes numbers.
* A `PhoneNumber` owns one number, written through the numbers endpoints.

So a number declared both inline and as a `PhoneNumber` of the same trunk would be written by two owners, and
each `up` would undo the other; so would any `PhoneNumber` on a trunk whose `PhoneConfig` declares
`phone_numbers` (even `[]`): the list is the config's, and a refresh + `up` removes every number not in it.
Within one program both are refused before any request: each `PhoneConfig` records whether it declares the
list, its plain inline numbers and its kind under its `id` output, and a `PhoneNumber` whose `config_id` *is*
that output (`config_id=trunk.id`) is checked against them in its constructor. The trunk itself was declared first,
but its registration waits on a gate (an `apply` on its `name`, which runs only once the program body has
finished or failed): a refused trunk's gate fails, so it never reaches the engine, not even with `up
--skip-preview` (the Automation API's `up`).

Attachments follow the same rules: a Genesys `PhoneConfig` that declares `attached_environments` (even `[]`) owns
the whole list, and an `AgentAttachment` on it is refused (`check_attachment_owner`), naming the pair when the list
holds it too; so is one whose `config_id` is a SIP trunk of the program.

What this cannot see (docs/guides/ownership.md): a `config_id` derived from the output (`trunk.id.apply(...)`), read
from a StackReference or given as a string; inline numbers or a `phone_number` that are Outputs (unknown until
deployment); another stack. Across stacks, the API itself is the referee: see
`core/lifecycle/phone_number.create_number`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from pulumi_phonecfg.core.schema.models import GENESYS, number_key


class NumberOwnershipError(pulumi.RunError):
    """A program that declares one number through two owners, or a number on a Genesys config. The language host
    prints a `RunError` as its message only, without a Python traceback."""


class AttachmentOwnershipError(pulumi.RunError):
    """A program that declares one attachment through two owners (an inline `attached_environments` list and an
    `AgentAttachment`), or an attachment on a SIP trunk."""


class RegistrationGate:
    """Holds one PhoneConfig's registration until the program body has run; fails it once refused."""

    def __init__(self) -> None:
        self.refusal: pulumi.RunError | None = None

    def refuse(self, refusal: pulumi.RunError) -> None:
        self.refusal = refusal

    def passed(self, value: Any) -> Any:
        if self.refusal is not None:
            raise type(self.refusal)(*self.refusal.args)
        return value


def registration_gate() -> RegistrationGate:
    return RegistrationGate()


@dataclass(frozen=True)
class DeclaredConfig:
    """What the program declared on one PhoneConfig, as far as it is plain (known while the program runs)."""

    resource_name: str
    kind: str | None  # None: not a plain string
    declares_list: bool  # `phone_numbers` declared (even `[]`, even as an Output): the config owns the whole list
    inline_numbers: frozenset[str]  # plain numbers of `phone_numbers`, in canonical form
    gate: RegistrationGate
    declares_attachments: bool = False  # `attached_environments` declared (even `[]`): it owns the whole list
    inline_pairs: frozenset[tuple[str, str]] = frozenset()  # plain (agent_id, environment_id), lower-case


_lock = threading.Lock()
# id(PhoneConfig.id output) -> (that output, what was declared). The output is kept so an id is never reused
# for another object while its entry exists; entries live as long as the program process (a few per config).
_declared: dict[int, tuple[Any, DeclaredConfig]] = {}


def inline_numbers(phone_numbers: Any) -> frozenset[str]:
    """The plain numbers of a `phone_numbers` value (dicts after `resource.to_plain`); Outputs are skipped."""
    if not isinstance(phone_numbers, Iterable) or isinstance(phone_numbers, (str, Mapping)):
        return frozenset()
    found = set()
    for item in phone_numbers:
        number = number_key(item.get("phone_number")) if isinstance(item, Mapping) else None
        if number is not None:
            found.add(number)
    return frozenset(found)


def _plain_pair(agent_id: Any, environment_id: Any) -> tuple[str, str] | None:
    if isinstance(agent_id, str) and isinstance(environment_id, str):
        return agent_id.strip().lower(), environment_id.strip().lower()
    return None


def inline_pairs(attached_environments: Any) -> frozenset[tuple[str, str]]:
    """The plain pairs of an `attached_environments` value (dicts after `resource.to_plain`); Outputs skipped."""
    if not isinstance(attached_environments, Iterable) or isinstance(attached_environments, (str, Mapping)):
        return frozenset()
    pairs = (
        _plain_pair(item.get("agent_id"), item.get("environment_id"))
        for item in attached_environments
        if isinstance(item, Mapping)
    )
    return frozenset(pair for pair in pairs if pair is not None)


def record_config(
    config_id: Any,
    resource_name: str,
    kind: Any,
    phone_numbers: Any,
    gate: RegistrationGate,
    attached_environments: Any = None,
) -> None:
    """Called by `PhoneConfig.__init__` once its `id` output exists."""
    plain_kind = kind if isinstance(kind, str) else None
    declared = DeclaredConfig(
        resource_name,
        plain_kind,
        phone_numbers is not None,
        inline_numbers(phone_numbers),
        gate,
        attached_environments is not None,
        inline_pairs(attached_environments),
    )
    with _lock:
        _declared[id(config_id)] = (config_id, declared)


def declared_config(config_id: Any) -> DeclaredConfig | None:
    """What the program declared on the PhoneConfig whose `id` output is `config_id`, if it is one."""
    with _lock:
        entry = _declared.get(id(config_id))
    return entry[1] if entry is not None and entry[0] is config_id else None


def check_number_owner(resource_name: str, config_id: Any, phone_number: Any) -> None:
    """Refuse, before anything is registered, a PhoneNumber that the same program also owns another way."""
    config = declared_config(config_id)
    if config is None:
        return
    message = None
    number = number_key(phone_number)
    if config.kind == GENESYS:
        message = (
            f"PhoneNumber {resource_name!r}: config_id is the genesys_audio_connector config "
            f"{config.resource_name!r}; only sip_trunk configs have phone numbers"
        )
    elif number is not None and number in config.inline_numbers:
        message = (
            f"PhoneNumber {resource_name!r}: {number} is also in phone_numbers of PhoneConfig "
            f"{config.resource_name!r}, which owns that whole list; declare the number in one place only "
            "(drop it from phone_numbers, or drop phone_numbers and declare every number as a PhoneNumber)"
        )
    elif config.declares_list:
        # Another number, but the trunk's list is the PhoneConfig's: its next refresh + up would remove this one.
        message = (
            f"PhoneNumber {resource_name!r}: PhoneConfig {config.resource_name!r} declares phone_numbers, so it "
            "owns the trunk's whole list and would remove this number; declare the number in that list, or drop "
            "phone_numbers and declare every number as a PhoneNumber"
        )
    if message is not None:
        refusal = NumberOwnershipError(message)
        config.gate.refuse(refusal)
        raise refusal


def check_attachment_owner(resource_name: str, config_id: Any, agent_id: Any, environment_id: Any) -> None:
    """Refuse, before anything is registered, an AgentAttachment that the same program also owns another way (or
    that it puts on a SIP trunk)."""
    config = declared_config(config_id)
    if config is None:
        return
    message = None
    pair = _plain_pair(agent_id, environment_id)
    if config.kind is not None and config.kind != GENESYS:
        message = (
            f"AgentAttachment {resource_name!r}: config_id is the {config.kind} config {config.resource_name!r}; "
            f"only {GENESYS} configs have agent attachments"
        )
    elif pair is not None and pair in config.inline_pairs:
        message = (
            f"AgentAttachment {resource_name!r}: agent {pair[0]} environment {pair[1]} is also in "
            f"attached_environments of PhoneConfig {config.resource_name!r}, which owns that whole list; declare the "
            "attachment in one place only (drop it from attached_environments, or drop attached_environments and "
            "declare every attachment as an AgentAttachment)"
        )
    elif config.declares_attachments:
        message = (
            f"AgentAttachment {resource_name!r}: PhoneConfig {config.resource_name!r} declares "
            "attached_environments, so it owns the config's whole list and would detach this agent; declare the "
            "attachment in that list, or drop attached_environments and declare every attachment as an "
            "AgentAttachment"
        )
    if message is not None:
        refusal = AttachmentOwnershipError(message)
        config.gate.refuse(refusal)
        raise refusal
