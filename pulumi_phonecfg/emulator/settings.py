"""Emulator settings and defaults (stdlib only, so the CLI can parse arguments before heavy imports)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pulumi_phonecfg.emulator.agents import EmulatedAgent, demo_agents

DEFAULT_INSTANCE_ID = "8f0c6b8e-2f4a-4c1e-9d6b-5a7e3c2b1d00"
DEFAULT_SUBSCRIPTION_ID = "emulator-sub"
MaskStyle = Literal["null", "empty", "stars"]
MASKS: dict[str, str | None] = {"null": None, "empty": "", "stars": "****"}


@dataclass(frozen=True)
class EmulatorSettings:
    """Everything ``create_app`` needs. ``clock`` (epoch seconds) is injectable for token-expiry tests."""

    db_path: Path | str = ":memory:"
    tokens: Sequence[str] = ()
    api_keys: Sequence[str] = ()
    token_lifetime: int = 3600
    mask_style: MaskStyle = "null"
    max_configs: int | None = None
    fault_rate: float = 0.0
    fault_seed: int | None = None
    instance_id: str = DEFAULT_INSTANCE_ID
    subscription_id: str = DEFAULT_SUBSCRIPTION_ID
    clock: Callable[[], float] = field(default=time.time)
    # E8 (``PATCH .../numbers/{number}``): does JSON ``null`` clear a description or routing? True (default): yes,
    # as on E4. False: the strict reading of the ADK, which clears with ``""`` and never sends ``null``: ignored.
    null_clears: bool = True
    # E8/E9 (``.../numbers/{number}``): read a raw ``+`` in the number as a space, as a server that form-decodes
    # paths would (``%2B`` stays ``+`` either way). False (default): raw ``+`` and ``%2B`` are both ``+``.
    form_decoded_numbers: bool = False
    # Served by ``GET /v1/orchestrate/agents``; None: the demo set, ids derived from ``instance_id``.
    agents: Sequence[EmulatedAgent] | None = None

    @property
    def tenant_id(self) -> str:
        return f"{self.subscription_id}_{self.instance_id}"

    def served_agents(self) -> tuple[EmulatedAgent, ...]:
        return tuple(self.agents) if self.agents is not None else demo_agents(self.instance_id)
