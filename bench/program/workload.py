"""The benchmark's desired state: `count` SIP trunk configs with three numbers each, shared by both contenders.

`revision` is the one field the "change" operation edits (it is part of every description).
"""

from __future__ import annotations

from typing import Any

NUMBERS_PER_CONFIG = 3


def config_name(index: int) -> str:
    return f"bench-{index:04d}"


def phone_number(index: int, position: int) -> str:
    # +1 415 555 0000-9999: valid NANP numbers, unique up to 3,333 configs.
    return f"+1415555{index * NUMBERS_PER_CONFIG + position:04d}"


def desired_configs(count: int, revision: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "name": config_name(index),
            "service_provider": "sip_trunk",
            "description": f"benchmark config {index}, revision {revision}",
            "phone_numbers": [{"phone_number": phone_number(index, k)} for k in range(NUMBERS_PER_CONFIG)],
        }
        for index in range(count)
    ]


# ---------------------------------------------------------------------------------------------- shapes
#
# The shapes teams have (issue 15), each at a given size, written `<kind>:<size>`:
#   inline:1000   one trunk with 1,000 numbers in its phone_numbers list (the list is sent whole)
#   trunks:20x50  20 trunks with 50 numbers each, inline
#   numbers:200   one trunk without phone_numbers, and 200 PhoneNumber resources on it
# Revision 2 changes one number (the description of the first one), the "one-number change" operation.

DEFAULT_SHAPES = ("inline:1000", "trunks:20x50", "numbers:200")


def shape_number(index: int) -> str:
    # +1 628 555 0000-9999 (San Francisco, valid NANP numbers), apart from the N-configs workload's range.
    return f"+1628555{index:04d}"


def _numbers(first: int, count: int, revision: int) -> list[dict[str, Any]]:
    numbers: list[dict[str, Any]] = [{"phone_number": shape_number(first + k)} for k in range(count)]
    if first == 0 and numbers and revision > 1:
        numbers[0]["description"] = f"revision {revision}"
    return numbers


def shape_resources(shape: str, revision: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(PhoneConfig specs, PhoneNumber specs) of `shape`; a PhoneNumber spec names its trunk by config name."""
    kind, _, size = shape.partition(":")
    if kind == "inline":
        return [{"name": "shape-trunk", "phone_numbers": _numbers(0, int(size), revision)}], []
    if kind == "trunks":
        trunks, per_trunk = (int(part) for part in size.split("x"))
        configs = [
            {"name": f"shape-trunk-{t:02d}", "phone_numbers": _numbers(t * per_trunk, per_trunk, revision)}
            for t in range(trunks)
        ]
        return configs, []
    if kind == "numbers":
        numbers = [{"trunk": "shape-trunk", **number} for number in _numbers(0, int(size), revision)]
        return [{"name": "shape-trunk"}], numbers
    raise ValueError(f"unknown shape {shape!r}: use inline:<n>, trunks:<t>x<n> or numbers:<n>")


def shape_counts(shape: str) -> tuple[int, int, int]:
    """(trunks, inline numbers, PhoneNumber resources) of `shape`."""
    configs, numbers = shape_resources(shape)
    return len(configs), sum(len(c.get("phone_numbers", [])) for c in configs), len(numbers)
