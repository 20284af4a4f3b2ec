"""Drive the Terraform face's servicer as the OpenTofu CLI does, in-process: protocol messages in, protocol messages
out (MessagePack objects with every attribute, unknowns as extension 0), against a real emulator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tf.gen import tfplugin_pb2 as pb

from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.terraform.protocol import PhoneConfigProviderServicer
from pulumi_phonecfg.terraform.provider_config import SETTING_NAMES
from pulumi_phonecfg.terraform.resources import RESOURCES
from pulumi_phonecfg.terraform.schema import TfAttribute
from pulumi_phonecfg.terraform.values import decode, encode

CONFIG = "phonecfg_phone_config"
NUMBER = "phonecfg_phone_number"
ATTACHMENT = "phonecfg_agent_attachment"


def _filled(values: Mapping[str, Any] | None, attributes: tuple[TfAttribute, ...]) -> dict[str, Any]:
    result = {}
    for a in attributes:
        value = (values or {}).get(a.name)
        if a.nested and isinstance(value, Mapping):
            value = _filled(value, a.nested)
        elif a.nested and isinstance(value, list):
            value = [_filled(v, a.nested) for v in value]
        result[a.name] = value
    return result


def config_object(type_name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A resource's configuration as the CLI sends it: every attribute, null when not written; write-only
    values included (the config is the one place they travel)."""
    return _filled(values, RESOURCES[type_name].schema.attributes)


def messages(diagnostics: Any) -> list[str]:
    return [d.summary for d in diagnostics]


@dataclass
class Applied:
    state: dict[str, Any] | None
    diagnostics: list[str]


class TfProvider:
    def __init__(self, emulator: RunningEmulator, **settings: Any) -> None:
        self.servicer = PhoneConfigProviderServicer()
        block = {name: None for name in SETTING_NAMES} | {"url": emulator.url, "token": emulator.token} | settings
        response = self.servicer.ConfigureProvider(pb.ConfigureProvider.Request(config=encode(block)), None)
        assert not response.diagnostics, messages(response.diagnostics)

    def validate(self, type_name: str, values: Mapping[str, Any]) -> list[str]:
        request = pb.ValidateResourceConfig.Request(
            type_name=type_name, config=encode(config_object(type_name, values))
        )
        return messages(self.servicer.ValidateResourceConfig(request, None).diagnostics)

    def plan_response(
        self, type_name: str, prior: Mapping[str, Any] | None, values: Mapping[str, Any]
    ) -> pb.PlanResourceChange.Response:
        config = config_object(type_name, values)
        request = pb.PlanResourceChange.Request(
            type_name=type_name, prior_state=encode(prior), proposed_new_state=encode(config), config=encode(config)
        )
        return self.servicer.PlanResourceChange(request, None)

    def plan(self, type_name: str, prior: Mapping[str, Any] | None, values: Mapping[str, Any]) -> dict[str, Any]:
        response = self.plan_response(type_name, prior, values)
        assert not response.diagnostics, messages(response.diagnostics)
        planned: dict[str, Any] = decode(response.planned_state)
        return planned

    def apply(self, type_name: str, prior: Mapping[str, Any] | None, values: Mapping[str, Any] | None) -> Applied:
        if values is None:
            planned: Any = None
            config: Any = None
        else:
            planned = self.plan(type_name, prior, values)
            config = config_object(type_name, values)
        request = pb.ApplyResourceChange.Request(
            type_name=type_name, prior_state=encode(prior), planned_state=encode(planned), config=encode(config)
        )
        response = self.servicer.ApplyResourceChange(request, None)
        return Applied(decode(response.new_state) if not response.diagnostics else None, messages(response.diagnostics))

    def create(self, type_name: str, values: Mapping[str, Any]) -> dict[str, Any]:
        applied = self.apply(type_name, None, values)
        assert applied.state is not None, applied.diagnostics
        return applied.state

    def read(self, type_name: str, state: Mapping[str, Any], private: bytes = b"") -> dict[str, Any] | None:
        request = pb.ReadResource.Request(type_name=type_name, current_state=encode(state), private=private)
        response = self.servicer.ReadResource(request, None)
        assert not response.diagnostics, messages(response.diagnostics)
        read: dict[str, Any] | None = decode(response.new_state)
        return read

    def import_(self, type_name: str, id_: str) -> dict[str, Any] | None:
        request = pb.ImportResourceState.Request(type_name=type_name, id=id_)
        response = self.servicer.ImportResourceState(request, None)
        assert not response.diagnostics, messages(response.diagnostics)
        imported = response.imported_resources[0]
        return self.read(type_name, decode(imported.state), imported.private)
