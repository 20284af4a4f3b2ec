"""The canonical form: one shape for both sides of every comparison.

`check` turns program inputs into it (defaults filled, strings stripped, numbers in E.164, set-like lists sorted)
and `api_documents.outputs_from_api` turns API responses into the same shape, so `diff` compares them key by key.
A shared list the program leaves out (`declared_fields`) is not part of it: it is not this config's to write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import BaseModel

from pulumi_phonecfg.core.schema import fields
from pulumi_phonecfg.core.schema.models import (
    COMMON_FIELDS,
    GENESYS,
    GENESYS_ONLY_FIELDS,
    INPUT_FIELDS,
    SHARED_LIST_FIELDS,
    SIP_FLAG_DEFAULTS,
    SIP_ONLY_FIELDS,
    SIP_SECURITY_DEFAULTS,
    SIP_TRUNK,
    model_kind,
    validate_field,
)


def _drop_empty(value: Any) -> Any:
    """Remove None values and empty nested objects, recursively (the engine drops None keys anyway)."""
    if isinstance(value, Mapping):
        cleaned = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def canonical_field(name: str, value: Any, service_provider: str) -> Any:
    """Canonical JSON value of one top-level field, or None when it is absent/empty."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    elif isinstance(value, list):
        value = [v.model_dump(mode="json", exclude_none=True) if isinstance(v, BaseModel) else v for v in value]
    if name == "description":
        return value or None
    if name == "security":
        defaults = SIP_SECURITY_DEFAULTS if service_provider == SIP_TRUNK else {}
        return {**defaults, **_drop_empty(value or {})}
    if name in SIP_FLAG_DEFAULTS:
        return SIP_FLAG_DEFAULTS[name] if value is None else value
    if name == "error_handling":
        return _canonical_error_handling(value)
    if name in ITEM_KEYS:
        items = [canonical_item(name, item) for item in value or [] if isinstance(item, Mapping)]
        return sort_collection(name, items)
    return value


# The keys each list item may carry; anything else the API adds to an item is not ours to compare.
_API_INPUTS: Final = fields.PHONE_CONFIG.api_inputs()
ITEM_KEYS: Final[dict[str, tuple[str, ...]]] = {
    f.name: tuple(item.name for item in fields.type_named(f.type).fields) for f in _API_INPUTS if f.list
}
ERROR_HANDLING_KEYS: Final = {
    f.name: (tuple(sub.name for sub in nested.fields) if (nested := fields.object_type(f.type)) else None)
    for f in fields.type_named("ErrorHandling").fields
}
# Set-like lists and how their elements are told apart.
_ELEMENT_KEYS: Final = {f.name: fields.element_key(f) for f in _API_INPUTS if f.set_key}


def canonical_item(name: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """Known keys only, None and "" dropped, ids lower-cased (an API returning upper-case UUIDs is not drift)."""
    kept = {k: item[k] for k in ITEM_KEYS[name] if item.get(k) not in (None, "")}
    for key in ("agent_id", "environment_id"):
        if isinstance(kept.get(key), str):
            kept[key] = kept[key].lower()
    return kept


def _canonical_error_handling(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    kept: dict[str, Any] = {}
    for key, sub_keys in ERROR_HANDLING_KEYS.items():
        sub = value.get(key)
        if sub_keys is not None and isinstance(sub, Mapping):
            sub = {k: sub[k] for k in sub_keys if sub.get(k) is not None} or None
        if sub is not None:
            kept[key] = sub
    return kept or None


def sort_collection(name: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set-like lists in one order: numbers by number, attachments by (agent, env), headers by name."""
    key = _ELEMENT_KEYS.get(name)
    return sorted(items, key=key) if key is not None else items


def fields_for(service_provider: str) -> tuple[str, ...]:
    extra = SIP_ONLY_FIELDS if service_provider == SIP_TRUNK else GENESYS_ONLY_FIELDS
    return COMMON_FIELDS + extra


def declared_fields(service_provider: str, declared: Iterable[str]) -> tuple[str, ...]:
    """The fields a config of that kind has in checked inputs: all of its kind's fields (their server defaults
    filled), except a shared list the program left out: that one is not this config's to write."""
    given = set(declared)
    return tuple(n for n in fields_for(service_provider) if n not in SHARED_LIST_FIELDS or n in given)


def canonical_inputs(model: BaseModel) -> dict[str, Any]:
    """The checked inputs: every field of the config's kind, server defaults filled, None dropped; a shared list
    only when it was declared (`SHARED_LIST_FIELDS`)."""
    kind = model_kind(model)
    result: dict[str, Any] = {}
    declared = [name for name in model.model_fields_set if getattr(model, name) is not None]
    for name in declared_fields(kind, declared):
        value = canonical_field(name, getattr(model, name), kind)
        if value is not None:
            result[name] = value
    return result


def canonical_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form of input-shaped values, whether or not `check` produced them.

    Equal to `canonical_inputs` for valid inputs and unchanged by a second pass, so a comparison made on it is a
    pure function of what was declared. Each field goes through its own validator (E.164 numbers, stripped
    strings, lower-case UUIDs) and `canonical_field` (defaults, set-like lists sorted). A value that does not
    validate (a preview's unknowns among them) is kept as given: it then compares as changed, and `check` is
    where it fails. Never raises, never drops a field the comparison should see.
    """
    kind = values.get("service_provider", SIP_TRUNK)
    if kind not in (SIP_TRUNK, GENESYS):
        return {name: values[name] for name in INPUT_FIELDS if values.get(name) is not None}
    result: dict[str, Any] = {"service_provider": kind}
    given = [name for name in INPUT_FIELDS if values.get(name) is not None]
    names = dict.fromkeys(declared_fields(kind, given) + tuple(given))
    for name in names:
        value = values.get(name)
        if value is not None:
            checked, violations = validate_field(name, value)
            if violations:
                result[name] = value
                continue
            value = checked
        value = canonical_field(name, value, kind)
        if value is not None:
            result[name] = value
    return result
