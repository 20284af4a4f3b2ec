"""Values between Terraform's objects and the core's dicts.

On the wire (cty's MessagePack form) an object carries every attribute of its schema, null when unset, and a value
not known yet as extension 0 (or 12, "refined" unknown, from newer CLIs). The core works on dicts in the API's
names that leave out what is unset, and on `pulumi.output.Unknown` for what is not known yet (its check passes
those on). `to_core` and `from_core` translate, `settle` merges what apply produced into what the plan promised.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import msgpack
from pulumi.output import Unknown
from tf.gen import tfplugin_pb2 as pb

from pulumi_phonecfg.terraform.schema import TfAttribute

UNKNOWN: Final = Unknown()  # type: ignore[no-untyped-call]
_UNKNOWN_EXTENSIONS: Final = (0, 12)


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def _extension(code: int, data: bytes) -> Any:
    if code in _UNKNOWN_EXTENSIONS:
        return UNKNOWN
    return msgpack.ExtType(code, data)


def _pack_default(value: Any) -> Any:
    if is_unknown(value):
        return msgpack.ExtType(0, b"\x00")
    raise TypeError(f"cannot send a {type(value).__name__} to Terraform")


def decode(value: pb.DynamicValue) -> Any:
    if value.msgpack:
        return msgpack.unpackb(value.msgpack, ext_hook=_extension, raw=False, strict_map_key=False)
    if value.json:
        return json.loads(value.json)
    return None


def encode(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=msgpack.packb(value, default=_pack_default, use_bin_type=True))


# --------------------------------------------------------------------------------------------------------------


def to_core(value: Mapping[str, Any] | None, attributes: tuple[TfAttribute, ...]) -> dict[str, Any]:
    """A Terraform object as the core reads inputs: nulls left out, nested objects as dicts, sets as lists."""
    result: dict[str, Any] = {}
    for attribute in attributes:
        item = (value or {}).get(attribute.name)
        if item is None:
            continue
        converted = _item_to_core(item, attribute)
        if converted is not None:
            result[attribute.name] = converted
    return result


def _item_to_core(item: Any, attribute: TfAttribute) -> Any:
    if is_unknown(item) or not attribute.nested:
        return item
    if attribute.nesting == "single":
        return to_core(item, attribute.nested)
    return [UNKNOWN if is_unknown(element) else to_core(element, attribute.nested) for element in item]


def from_core(values: Mapping[str, Any], attributes: tuple[TfAttribute, ...]) -> dict[str, Any]:
    """A core dict as a Terraform object: every attribute present, write-only ones always null."""
    return {a.name: None if a.write_only else _item_from_core(values.get(a.name), a) for a in attributes}


def _item_from_core(item: Any, attribute: TfAttribute) -> Any:
    if item is None or is_unknown(item):
        return item
    if not attribute.nested:
        if attribute.scalar == "number" and isinstance(item, float) and item.is_integer():
            return int(item)
        return item
    if attribute.nesting == "single":
        return from_core(item, attribute.nested) if isinstance(item, Mapping) else None
    return [from_core(element, attribute.nested) for element in item if isinstance(element, Mapping)]


def settle(planned: Any, actual: Any, attribute: TfAttribute | None = None) -> Any:
    """What apply returns: every value the plan knew, as planned (the CLI refuses anything else), and what it did
    not know from `actual`. A set with an unknown element inside is taken whole from `actual`."""
    if is_unknown(planned):
        return actual
    if isinstance(planned, Mapping) and isinstance(actual, Mapping):
        children = {a.name: a for a in attribute.nested} if attribute is not None else {}
        return {key: settle(value, actual.get(key), children.get(key)) for key, value in planned.items()}
    if isinstance(planned, list) and contains_unknown(planned):
        return actual
    return planned


def settle_object(
    planned: Mapping[str, Any], actual: Mapping[str, Any], attributes: tuple[TfAttribute, ...]
) -> dict[str, Any]:
    return {a.name: settle(planned.get(a.name), actual.get(a.name), a) for a in attributes}
