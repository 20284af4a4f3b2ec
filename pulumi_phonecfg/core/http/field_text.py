"""Messages that name fields, in the spelling of the face whose user reads them.

The core names a field by its API path (`phone_numbers[0].agent_id`, `adopt_existing`); a Python program (the
dynamic face) writes it the same way, a native program (TypeScript, YAML, Go...) in camelCase (`adoptExisting`).
So a core message that names a field is a `FieldText`: as a str it is the Python spelling, and it keeps its parts,
so a face renders it in its own (`native/names.py`'s `PROGRAM_SPELLING`). The path of a check failure travels
the same way already, as a path each face renders.

A FieldText stays one only as a whole message (an exception's, a check failure's reason): text joined to it is a
plain str again, in the Python spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final


@dataclass(frozen=True)
class FieldName:
    """A field named in a message, by its API path."""

    path: str


@dataclass(frozen=True)
class FieldSetting:
    """A field set to a value, as a message tells the user to write it (`adopt_existing=True`)."""

    path: str
    value: bool | int | float | str


@dataclass(frozen=True)
class Spelling:
    """How one face's programs write a field's path, and a field set to a value."""

    path: Callable[[str], str]
    setting: Callable[[str, Any], str]


# The Python programs' spelling: the API's names, keyword arguments.
PYTHON_SPELLING: Final = Spelling(path=str, setting=lambda path, value: f"{path}={value!r}")

Part = str | FieldName | FieldSetting


def _render(parts: tuple[Part, ...], spelling: Spelling) -> str:
    rendered = []
    for part in parts:
        if isinstance(part, FieldName):
            rendered.append(spelling.path(part.path))
        elif isinstance(part, FieldSetting):
            rendered.append(spelling.setting(part.path, part.value))
        else:
            rendered.append(part)
    return "".join(rendered)


class FieldText(str):
    """A message that names fields: as a str, in the Python spelling; `spelled` renders it in another."""

    parts: tuple[Part, ...]

    def __new__(cls, *parts: Part) -> FieldText:
        text = super().__new__(cls, _render(parts, PYTHON_SPELLING))
        text.parts = parts
        return text

    def spelled(self, spelling: Spelling) -> str:
        return _render(self.parts, spelling)


def spelled(text: str, spelling: Spelling) -> str:
    """`text` in `spelling`: a FieldText rendered in it, any other text as it is."""
    return text.spelled(spelling) if isinstance(text, FieldText) else text
