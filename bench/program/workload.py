"""The benchmark's desired state: `count` SIP trunk configs with three numbers each, shared by both contenders.

`revision` is the one field the "change" operation edits (it is part of every description).
"""

from __future__ import annotations

import base64
import uuid
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
# The shapes teams have (issues 15 and 20), each at a given size, written `<kind>:<size>`:
#   inline:1000     one trunk with 1,000 numbers in its phone_numbers list (the list is sent whole)
#   trunks:20x50    20 trunks with 50 numbers each, inline
#   numbers:200     one trunk without phone_numbers, and 200 PhoneNumber resources on it
#   attachments:50  one Genesys config without attached_environments, and 50 AgentAttachment resources on it
# Revision 2 changes one member: the description of the first number (the "one-number change" operation), or the
# agent_name label of the first attachment (the "one-label change").

DEFAULT_SHAPES = ("inline:1000", "trunks:20x50", "numbers:200", "attachments:50")
# The member resources a shape declares on its config, as a member spec names them (`kind`).
PHONE_NUMBER = "PhoneNumber"
AGENT_ATTACHMENT = "AgentAttachment"
# Obviously fake credentials of the attachments shape's Genesys config (the API requires both).
GENESYS_SECURITY = {
    "api_key": "bench-fake-api-key",
    "client_secret": base64.b64encode(b"bench-fake-client-secret").decode(),
}
# The emulator does not check that an attached agent exists (nor does the API reference say it does): the ids are
# made up, stable per index.
AGENT_NAMESPACE = uuid.UUID("6f1c4d52-3e0a-4b8e-9a51-2b7d9f0c1e42")


def shape_number(index: int) -> str:
    # +1 628 555 0000-9999 (San Francisco, valid NANP numbers), apart from the N-configs workload's range.
    return f"+1628555{index:04d}"


def _numbers(first: int, count: int, revision: int) -> list[dict[str, Any]]:
    numbers: list[dict[str, Any]] = [{"phone_number": shape_number(first + k)} for k in range(count)]
    if first == 0 and numbers and revision > 1:
        numbers[0]["description"] = f"revision {revision}"
    return numbers


def _attachments(count: int, revision: int) -> list[dict[str, Any]]:
    attachments: list[dict[str, Any]] = [
        {
            "resource_name": f"shape-agent-{k:03d}",
            "agent_id": str(uuid.uuid5(AGENT_NAMESPACE, f"agent-{k}")),
            "environment_id": str(uuid.uuid5(AGENT_NAMESPACE, f"agent-{k}/live")),
            "agent_name": f"shape-agent-{k:03d}",
            "environment_name": "live",
        }
        for k in range(count)
    ]
    if attachments and revision > 1:
        attachments[0]["agent_name"] = f"shape-agent-000 revision {revision}"
    return attachments


def shape_resources(shape: str, revision: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(PhoneConfig specs, member specs) of `shape`. A member spec says its resource (`kind`: PHONE_NUMBER or
    AGENT_ATTACHMENT), its resource name, its config (by config name) and its inputs."""
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
        numbers = [
            {"kind": PHONE_NUMBER, "resource_name": n["phone_number"].lstrip("+"), "config": "shape-trunk", **n}
            for n in _numbers(0, int(size), revision)
        ]
        return [{"name": "shape-trunk"}], numbers
    if kind == "attachments":
        genesys = {"name": "shape-genesys", "service_provider": "genesys_audio_connector", "security": GENESYS_SECURITY}
        attachments = [
            {"kind": AGENT_ATTACHMENT, "config": "shape-genesys", **a} for a in _attachments(int(size), revision)
        ]
        return [genesys], attachments
    raise ValueError(f"unknown shape {shape!r}: use inline:<n>, trunks:<t>x<n>, numbers:<n> or attachments:<n>")


def shape_counts(shape: str) -> tuple[int, int, int, int]:
    """(configs, inline numbers, PhoneNumber resources, AgentAttachment resources) of `shape`."""
    configs, members = shape_resources(shape)
    inline = sum(len(c.get("phone_numbers", [])) for c in configs)
    numbers = sum(m["kind"] == PHONE_NUMBER for m in members)
    return len(configs), inline, numbers, len(members) - numbers
