"""Drive the native plugin `pulumi-resource-phonecfg` as the engine does: a subprocess, spoken to over gRPC.

Properties travel as protobuf Structs with the engine's secret and unknown encodings; config arrives in
`Configure` without the `phonecfg:` prefix (`args`, secrets wrapped); errors come back as gRPC UNKNOWN.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2
from grpc_plugin import SECRET_SIG, SECRET_VALUE, GrpcPlugin, launch, plain, secret, struct
from pulumi.runtime.proto import provider_pb2

from pulumi_phonecfg.emulator.testing import RunningEmulator

PLUGIN = Path(sys.executable).parent / "pulumi-resource-phonecfg"
TYPE = "phonecfg:index:PhoneConfig"
NUMBER_TYPE = "phonecfg:index:PhoneNumber"
ATTACHMENT_TYPE = "phonecfg:index:AgentAttachment"


def unwrap(value: Any) -> Any:
    """Secrets unwrapped, everywhere in `value` (what the state holds once decrypted)."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) == SECRET_VALUE:
            return unwrap(value["value"])
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def native_config(api: RunningEmulator) -> dict[str, Any]:
    return {"url": api.url, "token": secret(api.token)}


@dataclass
class Created:
    id: str
    outputs: dict[str, Any]  # as returned (secrets wrapped)
    inputs: dict[str, Any]  # checked inputs (secrets wrapped)


def urn(name: str, resource_type: str = TYPE) -> str:
    return f"urn:pulumi:dev::native::{resource_type}::{name}"


class NativePlugin(GrpcPlugin):
    """The running plugin, its resource calls made for `type` (PhoneConfig unless made by `of_type`)."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        super().__init__(process, port)
        self.type = TYPE

    def of_type(self, resource_type: str) -> NativePlugin:
        """The same plugin process, its resource calls made for `resource_type`."""
        view = copy.copy(self)
        view.type = resource_type
        return view

    def configure(self, config: Mapping[str, Any]) -> Any:
        return self.stub.Configure(provider_pb2.ConfigureRequest(args=struct(config), acceptSecrets=True))

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None, name: str = "main") -> Any:
        return self.stub.Check(
            provider_pb2.CheckRequest(
                urn=urn(name, self.type), name=name, type=self.type, olds=struct(olds or {}), news=struct(news)
            )
        )

    def checked(self, news: Mapping[str, Any], name: str = "main") -> dict[str, Any]:
        response = self.check(news, name=name)
        failures = [(f.property, f.reason) for f in response.failures]
        assert not failures, failures
        return plain(response.inputs)

    def create(self, news: Mapping[str, Any], name: str = "main", *, preview: bool = False) -> Created:
        inputs = self.checked(news, name)
        response = self.stub.Create(
            provider_pb2.CreateRequest(
                urn=urn(name, self.type), name=name, type=self.type, properties=struct(inputs), preview=preview
            )
        )
        return Created(response.id, plain(response.properties), inputs)

    def diff(
        self,
        config_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        name: str = "main",
        *,
        ignore_changes: Sequence[str] = (),
    ) -> Any:
        return self.stub.Diff(
            provider_pb2.DiffRequest(
                id=config_id,
                urn=urn(name, self.type),
                name=name,
                type=self.type,
                olds=struct(olds),
                news=struct(news),
                ignoreChanges=list(ignore_changes),
            )
        )

    def update(
        self,
        config_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        name: str = "main",
        *,
        ignore_changes: Sequence[str] = (),
        preview: bool = False,
    ) -> dict[str, Any]:
        response = self.stub.Update(
            provider_pb2.UpdateRequest(
                id=config_id,
                urn=urn(name, self.type),
                name=name,
                type=self.type,
                olds=struct(olds),
                news=struct(news),
                ignoreChanges=list(ignore_changes),
                preview=preview,
            )
        )
        return plain(response.properties)

    def read(
        self,
        config_id: str,
        outputs: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        name: str = "main",
    ) -> Any:
        return self.stub.Read(
            provider_pb2.ReadRequest(
                id=config_id,
                urn=urn(name, self.type),
                name=name,
                type=self.type,
                properties=struct(outputs or {}),
                inputs=struct(inputs or {}),
            )
        )

    def delete(self, config_id: str, outputs: Mapping[str, Any], name: str = "main") -> None:
        self.stub.Delete(
            provider_pb2.DeleteRequest(
                id=config_id, urn=urn(name, self.type), name=name, type=self.type, properties=struct(outputs)
            )
        )

    def invoke(self, token: str, args: Mapping[str, Any]) -> Any:
        return self.stub.Invoke(provider_pb2.InvokeRequest(tok=token, args=struct(args)))

    def plugin_info(self) -> Any:
        return self.stub.GetPluginInfo(empty_pb2.Empty())


@contextmanager
def native_plugin(env: Mapping[str, str] | None = None) -> Iterator[NativePlugin]:
    plugin = start_native_plugin(env)
    try:
        yield plugin
    finally:
        plugin.close()


def start_native_plugin(env: Mapping[str, str] | None = None) -> NativePlugin:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PHONECFG_")}
    # The engine passes its address as an argument; the plugin must not need it.
    process, port = launch([str(PLUGIN), "127.0.0.1:1"], {**environ, **(env or {})})
    return NativePlugin(process, port)


def start_up_seconds() -> float:
    """Wall time from exec to the port line (what the engine waits for, 2-3 times per command)."""
    started = time.perf_counter()
    plugin = start_native_plugin()
    elapsed = time.perf_counter() - started
    plugin.close()
    return elapsed
