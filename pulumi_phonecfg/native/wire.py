"""Property values on the wire: protobuf Structs <-> plain Python values, with secrets and unknowns.

The engine marks a secret with a signature object (`{"4dabf1...": "1b4706...", "value": ...}`) and an unknown
preview value with a sentinel string. Decoding keeps unknowns as `pulumi.output.Unknown` (what the lifecycle
checks for) and lifts secrecy to the top-level property, as the SDK's own decoder does; `Decoded.secret` names
those properties so the provider can mark the same ones secret in what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc

SECRET_SIG_KEY = rpc._special_sig_key
SECRET_SIG = rpc._special_secret_sig
UNKNOWN = rpc.UNKNOWN


@dataclass
class Decoded:
    values: dict[str, Any]
    secret: frozenset[str]  # top-level properties that were (or contained) secrets


def decode(struct: struct_pb2.Struct | None) -> Decoded:
    if struct is None:
        return Decoded({}, frozenset())
    values = rpc.deserialize_properties(struct, keep_unknowns=True)
    if not isinstance(values, dict):
        return Decoded({}, frozenset())
    secret = frozenset(key for key, value in values.items() if rpc.is_rpc_secret(value))
    return Decoded({key: rpc.unwrap_rpc_secret(value) for key, value in values.items()}, secret)


def encode(values: Mapping[str, Any], secret: Iterable[str] = ()) -> struct_pb2.Struct:
    """A Struct of `values`, the properties named in `secret` wrapped as secrets, unknowns as the sentinel."""
    secret = frozenset(secret)
    plain = {
        key: ({SECRET_SIG_KEY: SECRET_SIG, "value": _plain(value)} if key in secret else _plain(value))
        for key, value in values.items()
        if value is not None
    }
    result = struct_pb2.Struct()
    result.update(plain)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
