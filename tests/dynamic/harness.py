"""Drive the provider through the real `python -m pulumi.dynamic` gRPC server, the way the engine does.

What the engine does and a direct call would not: the provider is pickled and unpickled, configuration
arrives with secrets wrapped, every property goes through protobuf Structs (numbers become floats, None keys
vanish, unknowns travel as a sentinel), diff/update get old *outputs*, and errors come back as gRPC UNKNOWN
carrying the Python traceback text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from grpc_plugin import GrpcPlugin, launch, plain, secret, struct
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg import PhoneConfigProvider
from pulumi_phonecfg.emulator.testing import RunningEmulator

URN = "urn:pulumi:dev::contract::pulumi-python:dynamic/phonecfg:PhoneConfig::{name}"
NUMBER_URN = "urn:pulumi:dev::contract::pulumi-python:dynamic/phonecfg:PhoneNumber::{name}"
ATTACHMENT_URN = "urn:pulumi:dev::contract::pulumi-python:dynamic/phonecfg:AgentAttachment::{name}"


def emulator_config(api: RunningEmulator) -> dict[str, Any]:
    """Provider configuration for `api`: its URL and its static token (wrapped as a secret, as the engine sends it)."""
    return {"phonecfg:url": api.url, "phonecfg:token": secret(api.token)}


@dataclass
class Created:
    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]


class DynamicProviderServer(GrpcPlugin):
    """A running `pulumi.dynamic` server and a stub speaking the engine's side of the protocol."""

    def __init__(
        self, process: subprocess.Popen[str], port: int, provider: ResourceProvider | None = None, urn: str = URN
    ) -> None:
        super().__init__(process, port)
        self.provider = serialize_provider(provider or PhoneConfigProvider())
        self.urn = urn

    def configure(self, config: Mapping[str, Any]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=struct(config)))

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None, name: str = "main") -> Any:
        return self.stub.Check(
            provider_pb2.CheckRequest(
                urn=self.urn.format(name=name),
                olds=struct(olds or {}),
                news=struct({"__provider": self.provider, **news}),
            )
        )

    def checked(self, news: Mapping[str, Any], name: str = "main") -> dict[str, Any]:
        response = self.check(news, name=name)
        failures = [(f.property, f.reason) for f in response.failures]
        assert not failures, failures
        return plain(response.inputs)

    def create(self, news: Mapping[str, Any], name: str = "main") -> Created:
        inputs = self.checked(news, name)
        urn = self.urn.format(name=name)
        response = self.stub.Create(provider_pb2.CreateRequest(urn=urn, properties=struct(inputs)))
        return Created(response.id, plain(response.properties), inputs)

    def diff(self, config_id: str, olds: Mapping[str, Any], news: Mapping[str, Any], name: str = "main") -> Any:
        return self.stub.Diff(
            provider_pb2.DiffRequest(id=config_id, urn=self.urn.format(name=name), olds=struct(olds), news=struct(news))
        )

    def update(
        self, config_id: str, olds: Mapping[str, Any], news: Mapping[str, Any], name: str = "main"
    ) -> dict[str, Any]:
        response = self.stub.Update(
            provider_pb2.UpdateRequest(
                id=config_id, urn=self.urn.format(name=name), olds=struct(olds), news=struct(news)
            )
        )
        return plain(response.properties)

    def read(self, config_id: str, outputs: Mapping[str, Any], name: str = "main") -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(
            provider_pb2.ReadRequest(id=config_id, urn=self.urn.format(name=name), properties=struct(outputs))
        )
        return response.id, plain(response.properties)

    def delete(self, config_id: str, outputs: Mapping[str, Any], name: str = "main") -> None:
        self.stub.Delete(
            provider_pb2.DeleteRequest(id=config_id, urn=self.urn.format(name=name), properties=struct(outputs))
        )


@contextmanager
def dynamic_provider_server(
    env: Mapping[str, str] | None = None, provider: ResourceProvider | None = None, urn: str = URN
) -> Iterator[DynamicProviderServer]:
    """The server, speaking for `provider` (default PhoneConfigProvider) on resources of `urn`'s type."""
    command = [sys.executable, "-u", "-m", "pulumi.dynamic"]
    process, port = launch(command, {**os.environ, "PULUMI_PROJECT": "contract", **(env or {})})
    server = DynamicProviderServer(process, port, provider, urn)
    try:
        yield server
    finally:
        server.close()
