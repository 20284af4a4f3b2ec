"""Pulumi dynamic provider for IBM watsonx Orchestrate phone configs (SIP trunks, Genesys Audio Connector)."""

from pulumi_phonecfg.client import ConfigurationError, PhoneApiError
from pulumi_phonecfg.provider import PhoneConfigProvider
from pulumi_phonecfg.resource import (
    AttachedEnvironmentArgs,
    CallFailureArgs,
    CustomInviteHeaderArgs,
    ErrorHandlingArgs,
    PhoneConfig,
    PhoneNumberArgs,
    SecurityArgs,
    TransferFailureArgs,
)

__all__ = [
    "AttachedEnvironmentArgs",
    "CallFailureArgs",
    "ConfigurationError",
    "CustomInviteHeaderArgs",
    "ErrorHandlingArgs",
    "PhoneApiError",
    "PhoneConfig",
    "PhoneConfigProvider",
    "PhoneNumberArgs",
    "SecurityArgs",
    "TransferFailureArgs",
]
