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
