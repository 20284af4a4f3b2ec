"""``GET /v1/orchestrate/agents``: the agents listing the ADK (and promotion) resolve names with (reference §1.9)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from pulumi_phonecfg.emulator.agents import filter_agents
from pulumi_phonecfg.emulator.schemas import AgentOut
from pulumi_phonecfg.emulator.state import State

router = APIRouter(prefix="/v1/orchestrate/agents", tags=["agents"])


# ``include_hidden``, ``include`` and ``workspace_id`` (sent by the ADK) are not declared: FastAPI ignores
# undeclared query parameters, which is what the emulator wants for them.
@router.get("", response_model=list[AgentOut])
def list_agents(state: State, names: Annotated[list[str] | None, Query()] = None) -> list[dict[str, Any]]:
    return [a.to_json() for a in filter_agents(state.settings.served_agents(), names)]
