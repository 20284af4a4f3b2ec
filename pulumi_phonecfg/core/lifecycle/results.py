"""What a lifecycle returns: plain records, one per engine call, that each face turns into its own.

They have the shape of `pulumi.dynamic`'s results (the same names and fields), so the dynamic face maps them field
by field (`dynamic/providers.py`) and the native face reads the same fields; the core itself imports no face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckFailure:
    """One refused input: its path in the resource's own (API) names, and why, in one line."""

    property: str
    reason: str


@dataclass
class CheckResult:
    """The inputs in canonical form (or as given, when any failed) and the failures."""

    inputs: dict[str, Any]
    failures: list[CheckFailure] = field(default_factory=list)


@dataclass
class DiffResult:
    """Whether anything changed, and which top-level fields force a replacement."""

    changes: bool
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass
class CreateResult:
    id: str
    outs: dict[str, Any] = field(default_factory=dict)
    adopted: bool = False  # took over what already existed (its id may be an older resource's)


@dataclass
class ReadResult:
    """`id` is "" when the resource is gone (the face drops it from the state)."""

    id: str
    outs: dict[str, Any] = field(default_factory=dict)


@dataclass
class UpdateResult:
    outs: dict[str, Any] = field(default_factory=dict)
