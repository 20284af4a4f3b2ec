"""`ignoreChanges`: the paths a program asks to leave as they are, honoured in Diff and Update.

The engine already replaces an ignored input with the *old input* before Check. That is not enough here: Diff and
Update compare against the prior *outputs*, which `pulumi refresh` brings up to date, so a console edit of an
ignored `description` would still be planned, and sent, as a change back to the program's value. So the checked
inputs take each ignored path's value from the prior outputs: what the config has is what the diff sees, and what
Update does not send. A path the outputs do not have is removed from the inputs (the engine's own rule).

Paths are the engine's (`description`, `errorHandling.fallbackSipUri`, `phoneNumbers[1].description`,
`phoneNumbers[*].agentId`, `["name"]`), in program names. An index into a set-like list (numbers by number,
attachments by (agent, environment), headers by name) addresses the element at that index of the *checked* list:
sorted by its key, the order the state, `pulumi stack export` and the detailed diff (`phoneNumbers[417]`) show, and
the order in which the engine itself resolves the path against the old inputs. Its old value is then taken from the
prior element with the *same key*, wherever it sits, never from the one at the same position: an element added
before it must not shift an ignored description onto another number. Credentials cannot be taken from the outputs
(the API never returns them): inside `security` they stay as the program declares them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Final

from pulumi_phonecfg.core.http.errors import PhoneConfigError

# One segment of a property path: `name`, `.name`, `[3]`, `[*]`, `["quoted.name"]`, `*`.
_SEGMENT: Final = re.compile(r'\.?([A-Za-z_$][\w$]*|\*)|\[(\d+|\*)\]|\["((?:[^"\\]|\\.)*)"\]')
_MISSING: Final = object()
CREDENTIALS: Final = ("password", "apiKey", "clientSecret")

Segment = str | int
ElementKey = Callable[[Mapping[str, Any]], Hashable]


class IgnoreChangesPathError(PhoneConfigError):
    """A path the engine should not have sent (it validates them); reported with the path."""


def parse_path(path: str) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    while position < len(path):
        match = _SEGMENT.match(path, position)
        if match is None or match.end() == position:
            raise IgnoreChangesPathError(f"ignoreChanges: cannot read the property path {path!r}")
        name, index, quoted = match.groups()
        if index is not None:
            segments.append("*" if index == "*" else int(index))
        else:
            segments.append(name if name is not None else re.sub(r"\\(.)", r"\1", quoted))
        position = match.end()
    return segments


def keep_ignored(
    news: Mapping[str, Any],
    olds: Mapping[str, Any],
    paths: Sequence[str],
    set_keys: Mapping[str, ElementKey],
) -> dict[str, Any]:
    """`news` (checked inputs) with every path in `paths` taken from `olds` (prior outputs), program names.

    `set_keys`: the set-like lists (top-level names) and how their elements are told apart."""
    if not paths:
        return dict(news)
    result = copy.deepcopy(dict(news))
    for path in paths:
        segments = parse_path(path)
        if segments:
            _reset(result, olds, segments, set_keys, None)
    security = result.get("security")
    if isinstance(security, dict):
        declared = news.get("security")
        declared = declared if isinstance(declared, Mapping) else {}
        security.pop("fingerprints", None)
        security.update({k: declared[k] for k in CREDENTIALS if k in declared})
    return result


def _reset(
    new: Any, old: Any, segments: list[Segment], set_keys: Mapping[str, ElementKey], key_of: ElementKey | None
) -> None:
    """Take `segments` (a path below the containers `new` and `old`) from `old` into `new`, in place.

    `set_keys`: for the properties of `new` that are set-like lists (top level only); `key_of`: when `new` is
    such a list, how its elements are told apart."""
    head, rest = segments[0], segments[1:]
    if isinstance(new, dict) and isinstance(head, str):
        for name in list(new) if head == "*" else [head]:
            old_value = old.get(name, _MISSING) if isinstance(old, Mapping) else _MISSING
            _step(new, name, old_value, rest, set_keys.get(name))
    elif isinstance(new, list) and (isinstance(head, int) or head == "*"):
        indexes = range(len(new)) if head == "*" else [head] if isinstance(head, int) and head < len(new) else []
        dropped = []
        for index in indexes:
            old_item = _old_element(old, new[index], index, key_of)
            if not rest and old_item is _MISSING:
                dropped.append(index)
            else:
                _step(new, index, old_item, rest, None)
        for index in reversed(dropped):
            del new[index]


def _step(new: Any, at: Any, old_value: Any, rest: list[Segment], key_of: ElementKey | None) -> None:
    """Below `new[at]`: take its value from `old_value` (the path ends here), or go on down `rest`."""
    if rest:
        if old_value is not _MISSING and (isinstance(new, list) or at in new):
            _reset(new[at], old_value, rest, {}, key_of)
    elif old_value is not _MISSING:
        new[at] = copy.deepcopy(old_value)
    elif isinstance(new, dict):
        new.pop(at, None)


def _old_element(old: Any, item: Any, index: int, key_of: ElementKey | None) -> Any:
    """The prior element `item` stands for: the one with its key in a set-like list, else the one at `index`."""
    if not isinstance(old, list):
        return _MISSING
    if key_of is None:
        return old[index] if index < len(old) else _MISSING
    if not isinstance(item, Mapping):
        return _MISSING
    wanted = key_of(item)
    return next((o for o in old if isinstance(o, Mapping) and key_of(o) == wanted), _MISSING)
