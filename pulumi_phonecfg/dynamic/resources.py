"""`PhoneConfig` and `PhoneNumber`, the resources a Pulumi program declares, and typed args for nested values.

`PhoneConfig`'s keyword arguments, output attributes and args classes are generated from the field table
(`phone_config_args.py`, by `make schema`); what it does with them is here. Nested values may be plain
dicts/lists with the API's field names or the args classes; both end up as the same input document. `security`
is always a secret, in inputs and outputs. Who owns a trunk's numbers (an inline `phone_numbers` list or
`PhoneNumber`s), and a Genesys config's attachments (`attached_environments` or `AgentAttachment`s), is checked
in the program by `ownership.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG, Field
from pulumi_phonecfg.dynamic.ownership import (
    check_attachment_owner,
    check_number_owner,
    record_config,
    registration_gate,
)
from pulumi_phonecfg.dynamic.phone_config_args import (
    AttachedEnvironmentArgs,
    CallFailureArgs,
    CustomInviteHeaderArgs,
    ErrorHandlingArgs,
    PhoneConfigSurface,
    PhoneNumberArgs,
    SecurityArgs,
    TransferFailureArgs,
)
from pulumi_phonecfg.dynamic.pickler_guard import isolated_pickler
from pulumi_phonecfg.dynamic.providers import AgentAttachmentProvider, PhoneConfigProvider, PhoneNumberProvider

__all__ = [
    "AgentAttachment",
    "AttachedEnvironmentArgs",
    "CallFailureArgs",
    "CustomInviteHeaderArgs",
    "ErrorHandlingArgs",
    "PhoneConfig",
    "PhoneNumber",
    "PhoneNumberArgs",
    "SecurityArgs",
    "TransferFailureArgs",
    "to_plain",
]

TYPE_TOKEN = "pulumi-python:dynamic/phonecfg:PhoneConfig"
NUMBER_TYPE_TOKEN = "pulumi-python:dynamic/phonecfg:PhoneNumber"
ATTACHMENT_TYPE_TOKEN = "pulumi-python:dynamic/phonecfg:AgentAttachment"


def to_plain(value: Any) -> Any:
    """Args objects -> dicts, recursively, dropping unset (None) fields; Outputs and plain values pass through."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def _input_value(f: Field, value: Any) -> Any:
    """An argument as the engine receives it: args objects as dicts; credentials secret, always."""
    if value is None:
        return None
    return pulumi.Output.secret(to_plain(value)) if f.secret else to_plain(value)


class PhoneConfig(PhoneConfigSurface, pulumi.dynamic.Resource, module="phonecfg", name="PhoneConfig"):
    """One watsonx Orchestrate phone config: a SIP trunk or a Genesys Audio Connector config.

    The keyword arguments and output attributes are the field table's (generated: `phone_config_args.py`).
    `adopt_existing=True`: on create, take over the one existing config with this name and kind (bring it to the
    declared state, keep its id) instead of refusing to duplicate it. Unset: the stack's `phonecfg:adoptExisting`
    (default false). Never sent to the API; changing it changes nothing.

    Replacements delete the old config first (`delete_before_replace=True` unless `opts` says otherwise): the
    replacement has the same name, and a SIP trunk's numbers can belong to one config only.
    """

    def _declare(self, resource_name: str, inputs: dict[str, Any], opts: pulumi.ResourceOptions | None) -> None:
        # Every input of the field table, from the argument of that name; outputs only the server writes or the
        # provider derives are declared (None) so they are attributes of the resource.
        props: dict[str, Any] = {f.name: _input_value(f, inputs[f.name]) for f in PHONE_CONFIG.inputs}
        props.update({output.name: None for output in PHONE_CONFIG.outputs})
        plain_numbers = props["phone_numbers"]
        # Held back until the program body has run: a PhoneNumber declared later in it may refuse this trunk
        # (ownership.py), and then this config must not be registered (and written) either.
        gate = registration_gate()
        props["name"] = pulumi.Output.from_input(inputs["name"]).apply(gate.passed)
        defaults = pulumi.ResourceOptions(delete_before_replace=True)  # the program's opts win
        secret_outputs = pulumi.ResourceOptions(
            additional_secret_outputs=[f.name for f in PHONE_CONFIG.inputs if f.secret]
        )
        options = pulumi.ResourceOptions.merge(pulumi.ResourceOptions.merge(defaults, opts), secret_outputs)
        with isolated_pickler():  # the SDK's provider pickling leaks a patch per resource: see pickler_guard
            # Not super(): the next class in line is the generated surface, whose __init__ called this.
            pulumi.dynamic.Resource.__init__(self, PhoneConfigProvider(), resource_name, props, options)
        record_config(
            self.id, resource_name, inputs["service_provider"], plain_numbers, gate, props["attached_environments"]
        )


class PhoneNumber(pulumi.dynamic.Resource, module="phonecfg", name="PhoneNumber"):
    """One phone number of a SIP trunk, owned by this resource alone (the numbers endpoints of the API).

    Several stacks can each own numbers of one trunk that another stack declares without `phone_numbers`. The id
    is `<config_id>/<phone_number>` as created; a changed `phone_number` renames the number in place (one PATCH,
    the id stays), a changed `config_id` moves it (replace, the old trunk's number deleted first).
    """

    config_id: pulumi.Output[str]
    phone_number: pulumi.Output[str]
    description: pulumi.Output[str | None]
    agent_id: pulumi.Output[str | None]
    environment_id: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        config_id: pulumi.Input[str],
        phone_number: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        agent_id: pulumi.Input[str] | None = None,
        environment_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`config_id`: the trunk's id, e.g. `trunk.id` of a `PhoneConfig` (then a number that the trunk also lists
        in `phone_numbers` is refused here, before anything is registered), or a StackReference output.
        `agent_id`/`environment_id`: together or not at all, e.g. from `get_agent`.
        """
        check_number_owner(resource_name, config_id, phone_number)
        props: dict[str, Any] = {
            "config_id": config_id,
            "phone_number": phone_number,
            "description": description,
            "agent_id": agent_id,
            "environment_id": environment_id,
        }
        # Moving a number to another trunk: the API holds a number on one config at a time, so the old one goes first.
        defaults = pulumi.ResourceOptions(delete_before_replace=True)
        options = pulumi.ResourceOptions.merge(defaults, opts)
        with isolated_pickler():
            super().__init__(PhoneNumberProvider(), resource_name, props, options)


class AgentAttachment(pulumi.dynamic.Resource, module="phonecfg", name="AgentAttachment"):
    """One agent environment attached to a Genesys Audio Connector config, owned by this resource alone.

    Several stacks can each attach their agents to a config that another stack declares without
    `attached_environments`. The id is `<config_id>/<agent_id>/<environment_id>`; a changed config, agent or
    environment replaces it (the old pair detached first), a changed label updates the pair in place. Outputs what
    the agent's team enters in Genesys Cloud: `connector_id` and `audio_connect_uri`.
    """

    config_id: pulumi.Output[str]
    agent_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    agent_name: pulumi.Output[str | None]
    environment_name: pulumi.Output[str | None]
    connector_id: pulumi.Output[str]
    audio_connect_uri: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        config_id: pulumi.Input[str],
        agent_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        agent_name: pulumi.Input[str] | None = None,
        environment_name: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`config_id`: the Genesys config's id, e.g. `config.id` of a `PhoneConfig` (then a config that declares
        `attached_environments` is refused here, before anything is registered), or a StackReference output.
        `agent_id`/`environment_id`: e.g. from `get_agent`; `agent_name`/`environment_name`: labels."""
        check_attachment_owner(resource_name, config_id, agent_id, environment_id)
        props: dict[str, Any] = {
            "config_id": config_id,
            "agent_id": agent_id,
            "environment_id": environment_id,
            "agent_name": agent_name,
            "environment_name": environment_name,
            "connector_id": None,
            "audio_connect_uri": None,
        }
        # Another pair or config: the old pair is detached before the new one is attached.
        defaults = pulumi.ResourceOptions(delete_before_replace=True)
        options = pulumi.ResourceOptions.merge(defaults, opts)
        with isolated_pickler():
            super().__init__(AgentAttachmentProvider(), resource_name, props, options)
