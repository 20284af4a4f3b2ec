"""A provider plugin started as the engine starts one, for the gRPC contract tests of both faces (importable as
`grpc_plugin`, like `support`): a subprocess that prints its port once it listens, a ResourceProvider stub on
that port, and a stop that returns what the plugin printed on stderr (what the engine shows the user).

`tests/dynamic/harness.py` starts `python -m pulumi.dynamic`, `tests/native/harness.py` `pulumi-resource-phonecfg`;
the engine's wire encodings of properties (Structs, secrets, unknowns) are here too, since both speak them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2_grpc

# The engine's encodings of a secret and of an unknown value inside a Struct.
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    result = struct_pb2.Struct()
    result.update(dict(value))
    return result


def plain(value: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(value)


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: SECRET_VALUE, "value": value}


class GrpcPlugin:
    """A running plugin process and a stub speaking the engine's side of the protocol to it."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def close(self) -> str:
        """Stop the plugin; return what it printed on stderr."""
        self.channel.close()
        self.process.terminate()
        try:
            _, stderr = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return stderr or ""


def launch(command: Sequence[str], env: Mapping[str, str]) -> tuple[subprocess.Popen[str], int]:
    """Start `command` with exactly `env`; return the process and the port it printed once it listens."""
    process = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(env))
    assert process.stdout is not None
    port_line = process.stdout.readline()  # a plugin prints its port once it listens
    if not port_line.strip().isdigit():
        process.kill()
        stderr = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"{' '.join(command)} did not start: {port_line!r} {stderr}")
    return process, int(port_line)
