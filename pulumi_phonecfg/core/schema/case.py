"""Name case conversions shared by the faces: the API's snake_case and the programs' camelCase."""

from __future__ import annotations

import re
from typing import Final

_CAMEL_HUMP: Final = re.compile(r"(?<=[a-z0-9])([A-Z])")


def to_camel(name: str) -> str:
    """`phone_numbers` -> `phoneNumbers`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_snake(name: str) -> str:
    """`phoneNumbers` -> `phone_numbers`, `PhoneConfig` -> `phone_config`."""
    return _CAMEL_HUMP.sub(r"_\1", name).lower()
