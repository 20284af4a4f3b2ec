"""Pulumi dynamic provider for IBM watsonx Orchestrate phone configs (SIP trunks, Genesys Audio Connector).

Names are imported on first use, so `phonecfg emulator` and other tools start without loading Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_phonecfg.dynamic.agents import AgentLookupError, GetAgentResult, get_agent, get_agent_output
    from pulumi_phonecfg.dynamic.ownership import AttachmentOwnershipError, NumberOwnershipError
    from pulumi_phonecfg.dynamic.providers import AgentAttachmentProvider, PhoneConfigProvider, PhoneNumberProvider
    from pulumi_phonecfg.dynamic.resources import (
        AgentAttachment,
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
    from pulumi_phonecfg.errors import (
        AuthenticationError,
        ConfigurationError,
        PhoneApiError,
        PhoneConfigError,
    )

_EXPORTS = {
    "AgentLookupError": "pulumi_phonecfg.dynamic.agents",
    "GetAgentResult": "pulumi_phonecfg.dynamic.agents",
    "get_agent": "pulumi_phonecfg.dynamic.agents",
    "get_agent_output": "pulumi_phonecfg.dynamic.agents",
    "AuthenticationError": "pulumi_phonecfg.errors",
    "ConfigurationError": "pulumi_phonecfg.errors",
    "PhoneApiError": "pulumi_phonecfg.errors",
    "PhoneConfigError": "pulumi_phonecfg.errors",
    "NumberOwnershipError": "pulumi_phonecfg.dynamic.ownership",
    "AttachmentOwnershipError": "pulumi_phonecfg.dynamic.ownership",
    "AgentAttachmentProvider": "pulumi_phonecfg.provider",
    "PhoneConfigProvider": "pulumi_phonecfg.provider",
    "PhoneNumberProvider": "pulumi_phonecfg.provider",
    "AgentAttachment": "pulumi_phonecfg.dynamic.resources",
    "AttachedEnvironmentArgs": "pulumi_phonecfg.dynamic.resources",
    "CallFailureArgs": "pulumi_phonecfg.dynamic.resources",
    "CustomInviteHeaderArgs": "pulumi_phonecfg.dynamic.resources",
    "ErrorHandlingArgs": "pulumi_phonecfg.dynamic.resources",
    "PhoneConfig": "pulumi_phonecfg.dynamic.resources",
    "PhoneNumber": "pulumi_phonecfg.dynamic.resources",
    "PhoneNumberArgs": "pulumi_phonecfg.dynamic.resources",
    "SecurityArgs": "pulumi_phonecfg.dynamic.resources",
    "TransferFailureArgs": "pulumi_phonecfg.dynamic.resources",
}

__all__ = [
    "AgentAttachment",
    "AgentAttachmentProvider",
    "AgentLookupError",
    "AttachedEnvironmentArgs",
    "AttachmentOwnershipError",
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
