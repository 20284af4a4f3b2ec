"""The detailed diff of a flat resource (`PhoneNumber`, `AgentAttachment`: string fields only): the changed fields
are the detailed diff itself, each an add, update or delete, replacing or not."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from pulumi_phonecfg.native.diff import Change
from pulumi_phonecfg.native.names import keys_to_api, program_path
from pulumi_phonecfg.native.phone_config import Diff

ChangedFields = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]


def flat_diff(
    changed_fields: ChangedFields, replace_fields: Collection[str], olds: Mapping[str, Any], news: Mapping[str, Any]
) -> Diff:
    """`olds`: prior outputs; `news`: checked inputs (both program names); `changed_fields` compares API names."""
    old_values, new_values = keys_to_api(olds), keys_to_api(news)
    changed = changed_fields(old_values, new_values)
    detailed: dict[str, tuple[Change, bool]] = {}
    for name in changed:
        old, new = old_values.get(name), new_values.get(name)
        kind = Change.ADD if old is None else Change.DELETE if new is None else Change.UPDATE
        detailed[program_path(name)] = (kind, name in replace_fields)
    replaces = [program_path(name) for name in changed if name in replace_fields]
    return Diff(changes=bool(changed), replaces=replaces, changed=[program_path(n) for n in changed], detailed=detailed)
