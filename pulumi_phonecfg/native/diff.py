"""The detailed diff: which property paths changed, so `pulumi preview --diff` prints only those.

Whether anything changed, and which top-level fields, is the lifecycle's decision (`lifecycle.changed_fields`,
the same comparison the dynamic provider makes); this module only says *where* inside each changed field.
Lists that are sets (numbers by number, attachments by (agent, environment), headers by name) are compared per
element, so changing one number's description on a 1,000-number trunk is one entry,
`phone_numbers[417].description`. Credentials are compared through their fingerprints, never shown.

Paths use API names and index into the sorted canonical lists (new index for added and updated elements, old
index for removed ones); the server turns them into the program's camelCase. The engine displays a path with the
old and the new value at the same index, so an element that changed *and* moved (something was inserted or
removed before it) is reported as removed at its old index and added at its new one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from enum import Enum
from typing import Any, Final

from pulumi.output import contains_unknowns

from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG, element_key
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS, fingerprint_matches


class Change(Enum):
    ADD = "add"
    UPDATE = "update"
    DELETE = "delete"


# How the elements of a set-like list are told apart (the field table's set keys).
_ELEMENT_KEYS: Final = {f.name: element_key(f) for f in PHONE_CONFIG.inputs if f.set_key}


def detailed_diff(olds: Mapping[str, Any], news: Mapping[str, Any], changed: list[str]) -> dict[str, Change]:
    """Paths under each changed top-level field of `news` (checked inputs) against `olds` (prior outputs)."""
    found: dict[str, Change] = {}
    for name in changed:
        paths = _field_diff(name, olds.get(name), news.get(name))
        found.update(paths or {name: _kind(olds.get(name), news.get(name))})
    return found


def _kind(old: Any, new: Any) -> Change:
    if old is None:
        return Change.ADD
    if new is None:
        return Change.DELETE
    return Change.UPDATE


def _field_diff(name: str, old: Any, new: Any) -> dict[str, Change]:
    if old is None or new is None or contains_unknowns(new):
        return {name: _kind(old, new)}
    if name == "security" and isinstance(old, Mapping) and isinstance(new, Mapping):
        return _security_diff(old, new)
    if name in _ELEMENT_KEYS and isinstance(old, list) and isinstance(new, list):
        return _set_diff(name, old, new, _ELEMENT_KEYS[name])
    return _value_diff(name, old, new)


def _value_diff(path: str, old: Any, new: Any) -> dict[str, Change]:
    if old == new:
        return {}
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        found: dict[str, Change] = {}
        for key in dict.fromkeys([*old, *new]):
            found.update(_value_diff(f"{path}.{key}", old.get(key), new.get(key)))
        return found
    return {path: _kind(old, new)}


def _set_diff(
    name: str, old: list[Any], new: list[Any], key_of: Callable[[Mapping[str, Any]], Hashable]
) -> dict[str, Change]:
    def indexed(items: list[Any]) -> dict[Hashable, tuple[int, Any]]:
        return {key_of(item): (index, item) for index, item in enumerate(items) if isinstance(item, Mapping)}

    before, after = indexed(old), indexed(new)
    found: dict[str, Change] = {}

    def element(index: int, change: Change) -> None:
        # One index both removed and added (one element in another's place): the old and new value there.
        path = f"{name}[{index}]"
        found[path] = Change.UPDATE if found.get(path, change) != change else change

    for key, (index, item) in after.items():
        if key not in before:
            element(index, Change.ADD)
        elif before[key][0] == index:
            found.update(_value_diff(f"{name}[{index}]", before[key][1], item))
        elif before[key][1] != item:
            # Moved by an insertion or removal before it: the engine shows a path's old and new values at the
            # same index, so a changed element that moved is shown as removed there and added here.
            element(before[key][0], Change.DELETE)
            element(index, Change.ADD)
    for key, (index, _item) in before.items():
        if key not in after:
            element(index, Change.DELETE)
    return found


def _security_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Change]:
    """Plain fields by value; a credential by its fingerprint in the prior outputs (the value is never shown)."""
    fingerprints = old.get("fingerprints")
    stored = fingerprints if isinstance(fingerprints, Mapping) else {}
    found: dict[str, Change] = {}
    for key in dict.fromkeys([*old, *new]):
        if key == "fingerprints" or key in SECRET_FIELDS:
            continue
        found.update(_value_diff(f"security.{key}", old.get(key), new.get(key)))
    for key in SECRET_FIELDS:
        value, remembered = new.get(key), stored.get(key)
        if value is None and remembered is not None:
            found[f"security.{key}"] = Change.DELETE
        elif value is not None and remembered is None:
            found[f"security.{key}"] = Change.ADD
        elif value is not None and not fingerprint_matches(str(value), remembered):
            found[f"security.{key}"] = Change.UPDATE
    return found
