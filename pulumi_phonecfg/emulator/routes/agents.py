"""Agents: the listing the ADK (and promotion) resolve names with (reference 1.9), and one agent by id (1.7)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pulumi_phonecfg.emulator.agents import EmulatedAgent, filter_agents
from pulumi_phonecfg.emulator.paths import AGENTS_PATH
from pulumi_phonecfg.emulator.schemas import AgentOut
from pulumi_phonecfg.emulator.state import State
from pulumi_phonecfg.emulator.validation import not_found

router = APIRouter(prefix=AGENTS_PATH, tags=["agents"])


# ``include_hidden``, ``include`` and ``workspace_id`` (sent by the ADK) are not declared: FastAPI ignores
# undeclared query parameters, which is what the emulator wants for them.
@router.get("", response_model=list[AgentOut])
def list_agents(state: State, names: Annotated[list[str] | None, Query()] = None) -> list[EmulatedAgent]:
    return filter_agents(state.agents, names)


# The ADK's attach reads the agent by id (to warn when it has no voice configuration) before it PATCHes.
@router.get("/{agent_id}", response_model=AgentOut)
def get_agent(agent_id: uuid.UUID, state: State) -> EmulatedAgent:
    for agent in state.agents:
        if agent.id == str(agent_id):
            return agent
    not_found(f"Agent {agent_id}")
