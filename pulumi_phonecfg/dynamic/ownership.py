"""Who owns a trunk's numbers, as far as one program can see it: the in-program half of the ownership rules.

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

What this cannot see (README, "Ownership"): a `config_id` derived from the output (`trunk.id.apply(...)`), read
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

from pulumi_phonecfg.core.schema.models import GENESYS, normalize_e164


class NumberOwnershipError(pulumi.RunError):
    """A program that declares one number through two owners, or a number on a Genesys config. The language host
    prints a `RunError` as its message only, without a Python traceback."""


class RegistrationGate:
    """Holds one PhoneConfig's registration until the program body has run; fails it once refused."""

    def __init__(self) -> None:
        self.refusal: str | None = None

    def refuse(self, message: str) -> None:
        self.refusal = message

    def passed(self, value: Any) -> Any:
        if self.refusal is not None:
            raise NumberOwnershipError(self.refusal)
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


_lock = threading.Lock()
# id(PhoneConfig.id output) -> (that output, what was declared). The output is kept so an id is never reused
# for another object while its entry exists; entries live as long as the program process (a few per config).
_declared: dict[int, tuple[Any, DeclaredConfig]] = {}


def _canonical_number(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return normalize_e164(value)
    except ValueError:
        return value.strip()


def inline_numbers(phone_numbers: Any) -> frozenset[str]:
    """The plain numbers of a `phone_numbers` value (dicts after `resource.to_plain`); Outputs are skipped."""
    if not isinstance(phone_numbers, Iterable) or isinstance(phone_numbers, (str, Mapping)):
        return frozenset()
    found = set()
    for item in phone_numbers:
        number = _canonical_number(item.get("phone_number")) if isinstance(item, Mapping) else None
        if number is not None:
            found.add(number)
    return frozenset(found)


def record_config(config_id: Any, resource_name: str, kind: Any, phone_numbers: Any, gate: RegistrationGate) -> None:
    """Called by `PhoneConfig.__init__` once its `id` output exists."""
    plain_kind = kind if isinstance(kind, str) else None
    declared = DeclaredConfig(resource_name, plain_kind, phone_numbers is not None, inline_numbers(phone_numbers), gate)
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
    number = _canonical_number(phone_number)
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
        config.gate.refuse(message)
        raise NumberOwnershipError(message)
