"""`get_agent` and `get_agent_output`: the data source a Python program uses instead of agent UUIDs.

The lookup itself (one listing request, cached per tenant) is the core's (`core/lifecycle/agents.py`); what is
added here is where a program's settings come from: its own stack config, `phonecfg:*` then `PHONECFG_*`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi

from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle import agents
from pulumi_phonecfg.core.lifecycle.agents import GetAgentResult

__all__ = ["AgentLookupError", "GetAgentResult", "get_agent", "get_agent_output", "program_settings"]


class AgentLookupError(agents.AgentLookupError, pulumi.RunError):
    """An agent or environment the tenant does not have, or a failed lookup. One line; the program stops
    without a Python traceback (the language host prints a `RunError` as its message only)."""


def lookup_agent(settings: ProviderSettings, name: Any, environment: Any = "live") -> GetAgentResult:
    """The core's lookup, its failure raised as this face's `AgentLookupError`."""
    try:
        return agents.lookup_agent(settings, name, environment)
    except agents.AgentLookupError as error:
        failure = AgentLookupError(str(error))
    raise failure from None


def _stack_config(key: str) -> str | None:
    """A `phonecfg:*` value of the running program's stack config, secrets included, as plain text.

    Not `Config.get_secret`: it returns an Output, which a data source returning plain strings cannot wait for.
    `pulumi.runtime.get_config` is what `Config.get` reads through, minus the warning pulumi/pulumi#7127 plans
    to re-enable for secrets read that way.
    """
    value = pulumi.runtime.get_config(key)  # `key` is already the full `phonecfg:<name>`
    return value if isinstance(value, str) else None


def program_settings() -> ProviderSettings:
    """The provider settings as the stack's provider will see them: `phonecfg:*` config, then `PHONECFG_*`."""
    try:
        return ProviderSettings.from_sources(_stack_config)
    except ConfigurationError as error:
        raise AgentLookupError(f"get_agent: {error}") from None


def get_agent(name: str, environment: str = "live") -> GetAgentResult:
    """Look up the agent `name` and its `environment` ("draft" or "live") in the stack's tenant.

    Returns plain strings (`agent_id`, `environment_id`, `agent_name`, `environment_name`). An unknown agent or
    environment stops the program with one line naming it and listing what the tenant has.
    """
    return lookup_agent(program_settings(), name, environment)


def get_agent_output(name: pulumi.Input[str], environment: pulumi.Input[str] = "live") -> pulumi.Output[GetAgentResult]:
    """`get_agent` taking Inputs and returning an Output, per Pulumi's convention for functions."""
    settings = program_settings()  # read now: stack config is context-local to the running program

    async def lookup(args: list[Any]) -> GetAgentResult:
        # Off the event loop: the lookup is blocking HTTP.
        return await asyncio.get_running_loop().run_in_executor(None, lookup_agent, settings, args[0], args[1])

    return pulumi.Output.all(name, environment).apply(lookup)
