"""Pulumi dynamic provider for IBM watsonx Orchestrate phone configs (SIP trunks, Genesys Audio Connector).

Names are imported on first use, so `phonecfg emulator` and other tools start without loading Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_phonecfg.agents import AgentLookupError, GetAgentResult, get_agent, get_agent_output
    from pulumi_phonecfg.errors import AuthenticationError, ConfigurationError, PhoneApiError, PhoneConfigError
    from pulumi_phonecfg.ownership import NumberOwnershipError
    from pulumi_phonecfg.provider import PhoneConfigProvider, PhoneNumberProvider
    from pulumi_phonecfg.resource import (
        AttachedEnvironmentArgs,
        CallFailureArgs,
        CustomInviteHeaderArgs,
        ErrorHandlingArgs,
        PhoneConfig,
        PhoneNumber,
        PhoneNumberArgs,
        SecurityArgs,
        TransferFailureArgs,
    )

_EXPORTS = {
    "AgentLookupError": "pulumi_phonecfg.agents",
    "GetAgentResult": "pulumi_phonecfg.agents",
    "get_agent": "pulumi_phonecfg.agents",
    "get_agent_output": "pulumi_phonecfg.agents",
    "AuthenticationError": "pulumi_phonecfg.errors",
    "ConfigurationError": "pulumi_phonecfg.errors",
    "PhoneApiError": "pulumi_phonecfg.errors",
    "PhoneConfigError": "pulumi_phonecfg.errors",
    "NumberOwnershipError": "pulumi_phonecfg.ownership",
    "PhoneConfigProvider": "pulumi_phonecfg.provider",
    "PhoneNumberProvider": "pulumi_phonecfg.provider",
    "AttachedEnvironmentArgs": "pulumi_phonecfg.resource",
    "CallFailureArgs": "pulumi_phonecfg.resource",
    "CustomInviteHeaderArgs": "pulumi_phonecfg.resource",
    "ErrorHandlingArgs": "pulumi_phonecfg.resource",
    "PhoneConfig": "pulumi_phonecfg.resource",
    "PhoneNumber": "pulumi_phonecfg.resource",
    "PhoneNumberArgs": "pulumi_phonecfg.resource",
    "SecurityArgs": "pulumi_phonecfg.resource",
    "TransferFailureArgs": "pulumi_phonecfg.resource",
}

__all__ = [
    "AgentLookupError",
    "AttachedEnvironmentArgs",
    "AuthenticationError",
    "CallFailureArgs",
    "ConfigurationError",
    "CustomInviteHeaderArgs",
    "ErrorHandlingArgs",
    "GetAgentResult",
    "NumberOwnershipError",
    "PhoneApiError",
    "PhoneConfig",
    "PhoneConfigError",
    "PhoneConfigProvider",
    "PhoneNumber",
    "PhoneNumberArgs",
    "PhoneNumberProvider",
    "SecurityArgs",
    "TransferFailureArgs",
    "get_agent",
    "get_agent_output",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_phonecfg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
