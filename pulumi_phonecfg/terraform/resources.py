"""Each resource's plan, apply, refresh and import, as calls of the core lifecycle the Pulumi faces use.

The Terraform protocol asks different questions than Pulumi's engine, answered from the same functions:
- plan: the config checked by the lifecycle's `check` (before any request; failures name the HCL path); the
  planned object is the config as written plus what the provider computes: server defaults for optional computed
  attributes (as `check` fills them), prior values of outputs that cannot change, unknown for the rest. What
  changes and what replaces is the lifecycle's `diff`, so a plan shows a change exactly when a Pulumi preview would.
- apply: create (POST, plus PATCH for lists), update (one PATCH of the changed fields) or delete (one DELETE),
  with the credentials taken from the config (write-only: never in the plan or the state).
- refresh: one GET. A field that reads back equal, in canonical form, to the state keeps the state's spelling (so
  `+1 415 555 0100` written in the config is no drift); a shared list the config leaves out stays out of it.
- import: the id checked like the Pulumi faces check it, then one GET that fills every field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.lifecycle import agent_attachment as attachment_lifecycle
from pulumi_phonecfg.core.lifecycle import phone_config as config_lifecycle
from pulumi_phonecfg.core.lifecycle import phone_number as number_lifecycle
from pulumi_phonecfg.core.lifecycle.results import CheckFailure, CheckResult, DiffResult
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.core.schema.canonical import canonical_values
from pulumi_phonecfg.core.schema.fields import (
    AGENT_ATTACHMENT,
    PHONE_CONFIG,
    PHONE_NUMBER,
    ResourceTable,
    wider_outputs,
)
from pulumi_phonecfg.terraform.schema import TfAttribute, TfSchema, resource_schema
from pulumi_phonecfg.terraform.values import UNKNOWN, from_core, is_unknown, settle_object, to_core

IMPORTING: Final = b"import"  # the private state ImportResourceState hands to the ReadResource that follows


@dataclass(frozen=True)
class Planned:
    state: dict[str, Any]
    replaces: list[str]


class PlanError(Exception):
    """The config fails the lifecycle's check: (HCL path, reason) pairs."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in failures))
        self.failures = failures


@dataclass(frozen=True)
class TfResource:
    """One resource type: its schema and the lifecycle functions (API names in, API names out)."""

    table: ResourceTable
    check: Callable[[Mapping[str, Any], bool], CheckResult]
    diff: Callable[[Mapping[str, Any], Mapping[str, Any]], DiffResult]
    changed: Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]
    canonical: Callable[[Mapping[str, Any]], dict[str, Any]]
    create: Callable[[ProviderSession, PhoneApiClient, dict[str, Any]], tuple[str, dict[str, Any]]]
    read: Callable[[PhoneApiClient, str, dict[str, Any]], tuple[str, dict[str, Any]]]
    update: Callable[[ProviderSession, PhoneApiClient, str, dict[str, Any], dict[str, Any]], dict[str, Any]]
    delete: Callable[[ProviderSession, PhoneApiClient, str, dict[str, Any]], None]
    # Outputs an update may change, by the fields it changes: they plan as unknown ("known after apply").
    volatile: Callable[[list[str]], set[str]]

    @property
    def schema(self) -> TfSchema:
        return resource_schema(self.table)

    @property
    def type_name(self) -> str:
        return self.schema.type_name

    def _inputs(self) -> tuple[TfAttribute, ...]:
        names = {f.name for f in self.table.inputs}
        return tuple(a for a in self.schema.attributes if a.name in names)

    def _extras(self) -> list[tuple[str, str]]:
        """(input, field) of outputs kept beside their input: `security` -> `security_fingerprints`."""
        return [(f.name, sub.name) for f, sub in wider_outputs(self.table)]

    # ---- state <-> core outputs ----------------------------------------------------------------------------

    def outputs_of(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """A Terraform state (or planned object) as the core's outputs."""
        outputs = to_core(state, self.schema.attributes)
        outputs.pop("id", None)
        # The state keeps an input as the config wrote it (null for "the server's default", say); the core
        # compares canonical forms, as its outputs hold them.
        inputs = {f.name: outputs[f.name] for f in self.table.inputs if f.name in outputs}
        outputs.update(self.canonical(inputs))
        for name, extra in self._extras():
            value = outputs.pop(f"{name}_{extra}", None)
            if value is not None:
                outputs[name] = {**outputs.get(name, {}), extra: value}
        return outputs

    def state_of(self, id_: str, outputs: Mapping[str, Any]) -> dict[str, Any]:
        values = {**outputs, "id": id_}
        for name, extra in self._extras():
            holder = values.get(name)
            if isinstance(holder, Mapping) and extra in holder:
                values[f"{name}_{extra}"] = holder[extra]
        return from_core(values, self.schema.attributes)

    # ---- validate and plan -----------------------------------------------------------------------------------

    def checked(self, config: Mapping[str, Any], strict_numbers: bool) -> dict[str, Any]:
        declared = to_core(config, self._inputs())
        result = self.check(declared, strict_numbers)
        if result.failures:
            raise PlanError(
                [(hcl_path(f), str(f.reason) + _element_value(declared, hcl_path(f))) for f in result.failures]
            )
        return dict(result.inputs or {})

    def plan(self, prior: Mapping[str, Any] | None, config: Mapping[str, Any], strict_numbers: bool) -> Planned:
        checked = self.checked(config, strict_numbers)
        canonical = from_core(checked, self._inputs())
        planned = {a.name: _planned_input(config.get(a.name), canonical.get(a.name), a) for a in self._inputs()}
        outputs = [a for a in self.schema.attributes if a.name not in planned]
        if prior is None:
            return Planned({**planned, **{a.name: UNKNOWN for a in outputs}}, [])
        decision = self.diff(self.outputs_of(prior), checked)
        changed = self.changed(self.outputs_of(prior), self.canonical(checked)) if decision.changes else []
        volatile = self.volatile(changed) if decision.changes else set()
        kept = {a.name: UNKNOWN if a.name in volatile else prior.get(a.name) for a in outputs}
        return Planned({**planned, **kept}, list(decision.replaces or []))

    # ---- apply -----------------------------------------------------------------------------------------------

    def create_state(
        self, session: ProviderSession, api: PhoneApiClient, config: Mapping[str, Any], planned: Mapping[str, Any]
    ) -> dict[str, Any]:
        id_, outputs = self.create(session, api, self.checked(config, session.settings.strict_phone_numbers))
        return settle_object(planned, self.state_of(id_, outputs), self.schema.attributes)

    def update_state(
        self,
        session: ProviderSession,
        api: PhoneApiClient,
        prior: Mapping[str, Any],
        config: Mapping[str, Any],
        planned: Mapping[str, Any],
    ) -> dict[str, Any]:
        news = self.checked(config, session.settings.strict_phone_numbers)
        id_ = str(prior.get("id"))
        outputs = self.update(session, api, id_, self.outputs_of(prior), news)
        return settle_object(planned, self.state_of(id_, outputs), self.schema.attributes)

    def delete_state(self, session: ProviderSession, api: PhoneApiClient, prior: Mapping[str, Any]) -> None:
        self.delete(session, api, str(prior.get("id")), self.outputs_of(prior))

    # ---- refresh and import --------------------------------------------------------------------------------

    def read_state(self, api: PhoneApiClient, prior: Mapping[str, Any], *, importing: bool) -> dict[str, Any] | None:
        olds = {} if importing else self.outputs_of(prior)
        id_, outputs = self.read(api, str(prior.get("id")), olds)
        if not id_:
            return None  # gone: the CLI drops it from the state and plans to create it again
        state = self.state_of(id_, outputs)
        if importing:
            return _without_empty_lists(state, self._inputs())
        declared = self.canonical(to_core(prior, self._inputs()))
        drifted = set(self.changed(outputs, declared))
        for f in self.table.inputs:
            was = prior.get(f.name)
            if not f.sent or (was is None and f.shared) or f.name not in drifted:
                state[f.name] = was  # the provider's own setting, a list not ours, or the same in other spelling
        return state


def _planned_input(config: Any, canonical: Any, attribute: TfAttribute) -> Any:
    """The planned value of an input: the config's own (the CLI requires it), computed parts filled."""
    if attribute.write_only:
        return None
    if config is None:
        return canonical if attribute.computed else None
    if is_unknown(config) or not attribute.nested or attribute.nesting != "single":
        return config
    filled = canonical if isinstance(canonical, Mapping) else {}
    return {a.name: _planned_input(config.get(a.name), filled.get(a.name), a) for a in attribute.nested}


def _without_empty_lists(state: dict[str, Any], inputs: tuple[TfAttribute, ...]) -> dict[str, Any]:
    """An imported object: an empty list is left undeclared (declaring a list takes ownership of it)."""
    for a in inputs:
        if a.nesting != "single" and state.get(a.name) == []:
            state[a.name] = None
    return state


_ELEMENT_PATH: Final = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def _element_value(declared: Mapping[str, Any], path: str) -> str:
    """` (got '...')` for a field of a set element: the CLI can point at the set, not at the element (it addresses
    set elements by value), so the message says which one. Set elements hold no credential."""
    found = _ELEMENT_PATH.match(path)
    if found is None:
        return ""
    items = declared.get(found.group(1))
    index = int(found.group(2))
    if not isinstance(items, list) or index >= len(items) or not isinstance(items[index], Mapping):
        return ""
    value = items[index].get(found.group(3))
    return f" (got {value!r})" if isinstance(value, str) else ""


def hcl_path(failure: CheckFailure) -> str:
    """The lifecycle's property path as HCL writes it (already snake_case; `security (object)` is `security`)."""
    return str(failure.property).removesuffix(" (object)")


# --------------------------------------------------------------------------------------------------------------


def _create_config(session: ProviderSession, api: PhoneApiClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    known = session.known_configs()
    result = config_lifecycle.create_config(api, inputs, known=known, adopt_default=session.settings.adopt_existing)
    return str(result.id), dict(result.outs or {})


def _read_with(read: Callable[[PhoneApiClient, str, Any], Any]) -> Callable[..., tuple[str, dict[str, Any]]]:
    def read_one(api: PhoneApiClient, id_: str, olds: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        result = read(api, id_, olds)
        return str(result.id or ""), dict(result.outs or {})

    return read_one


def _config_volatile(changed: list[str]) -> set[str]:
    volatile = {"updated_at", "updated_by"}
    if "security" in changed:
        volatile.add("security_fingerprints")
    if "attached_environments" in changed:
        volatile.add("connectors")
    return volatile


PHONE_CONFIG_RESOURCE: Final = TfResource(
    table=PHONE_CONFIG,
    check=lambda news, strict: config_lifecycle.check_inputs(news, strict_numbers=strict),
    diff=config_lifecycle.diff_config,
    changed=config_lifecycle.changed_fields,
    canonical=canonical_values,
    create=_create_config,
    read=_read_with(config_lifecycle.read_config),
    update=lambda session, api, id_, olds, news: dict(
        config_lifecycle.update_config(api, id_, olds, news, known=session.known_configs()).outs or {}
    ),
    delete=lambda session, api, id_, _olds: config_lifecycle.delete_config(api, id_, known=session.known_configs()),
    volatile=_config_volatile,
)


def _create_number(
    _session: ProviderSession, api: PhoneApiClient, inputs: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    result = number_lifecycle.create_number(api, inputs)
    return str(result.id), dict(result.outs or {})


PHONE_NUMBER_RESOURCE: Final = TfResource(
    table=PHONE_NUMBER,
    check=lambda news, strict: number_lifecycle.check_number(news, strict_numbers=strict),
    diff=number_lifecycle.diff_number,
    changed=number_lifecycle.changed_number_fields,
    canonical=lambda values: dict(number_lifecycle.NUMBER.canonical_values(values)),
    create=_create_number,
    read=_read_with(number_lifecycle.read_number),
    update=lambda _session, api, id_, olds, news: dict(number_lifecycle.update_number(api, id_, olds, news).outs or {}),
    delete=lambda _session, api, id_, olds: number_lifecycle.delete_number(api, id_, olds),
    volatile=lambda changed: set(),
)


def _create_attachment(
    session: ProviderSession, api: PhoneApiClient, inputs: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    result = attachment_lifecycle.create_attachment(api, session.config_locks, inputs)
    return str(result.id), dict(result.outs or {})


AGENT_ATTACHMENT_RESOURCE: Final = TfResource(
    table=AGENT_ATTACHMENT,
    check=lambda news, _strict: attachment_lifecycle.check_attachment(news),
    diff=attachment_lifecycle.diff_attachment,
    changed=attachment_lifecycle.changed_attachment_fields,
    canonical=lambda values: dict(attachment_lifecycle.ATTACHMENT.canonical_values(values)),
    create=_create_attachment,
    read=_read_with(attachment_lifecycle.read_attachment),
    update=lambda session, api, id_, olds, news: dict(
        attachment_lifecycle.update_attachment(api, session.config_locks, id_, olds, news).outs or {}
    ),
    delete=lambda session, api, id_, olds: attachment_lifecycle.delete_attachment(api, session.config_locks, id_, olds),
    volatile=lambda changed: set(),
)

RESOURCES: Final = {r.type_name: r for r in (PHONE_CONFIG_RESOURCE, PHONE_NUMBER_RESOURCE, AGENT_ATTACHMENT_RESOURCE)}
