"""`pulumi-resource-phonecfg`: the ResourceProvider gRPC service the Pulumi engine talks to.

Only the protocol lives here: decode a request, call the provider (`provider.py`; `phone_config.py`,
`phone_number.py` or `agent_attachment.py` by the request's resource type), encode the response. Errors go back as
one line (gRPC UNKNOWN with the message), never with a stack: our own errors say what failed and why; anything else
is reported by type, its message scrubbed of the request's credentials. The process prints its port on stdout once
it listens, as every plugin does, and serves until killed.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent import futures
from typing import Any, Final, TypeVar

import grpc
from google.protobuf import any_pb2, empty_pb2
from google.rpc import status_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_phonecfg.core.http.error_text import collect_secrets, redact
from pulumi_phonecfg.core.http.errors import PartialCreateError, PhoneConfigError
from pulumi_phonecfg.core.http.logs import debug_from_environment
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.native import agent_attachment, phone_config, phone_number
from pulumi_phonecfg.native.config import (
    config_failures,
    config_lookup,
    from_variables,
    replaced_keys,
    secret_values,
    unknown_keys,
)
from pulumi_phonecfg.native.diff import Change
from pulumi_phonecfg.native.ignore_changes import ElementKey, keep_ignored
from pulumi_phonecfg.native.names import PROGRAM_SPELLING, keys_to_program
from pulumi_phonecfg.native.preview import planned_config_create, planned_config_update
from pulumi_phonecfg.native.provider import GET_AGENT_TOKEN, NativeProvider
from pulumi_phonecfg.native.schema import package_version, schema_json
from pulumi_phonecfg.native.wire import decode, encode

log = logging.getLogger(__name__)
DEFAULT_THREADS: Final = ProviderSettings.provider_threads
R = TypeVar("R")
RESOURCE_TYPES: Final = (phone_config.TOKEN, phone_number.TOKEN, agent_attachment.TOKEN)
_KINDS: Final = {
    (Change.ADD, False): provider_pb2.PropertyDiff.ADD,
    (Change.ADD, True): provider_pb2.PropertyDiff.ADD_REPLACE,
    (Change.UPDATE, False): provider_pb2.PropertyDiff.UPDATE,
    (Change.UPDATE, True): provider_pb2.PropertyDiff.UPDATE_REPLACE,
    (Change.DELETE, False): provider_pb2.PropertyDiff.DELETE,
    (Change.DELETE, True): provider_pb2.PropertyDiff.DELETE_REPLACE,
}


class RequestFailed(Exception):
    """A failure to report as the call's one-line error."""


class InitFailed(RequestFailed):
    """A create that made the resource but could not finish it: the engine keeps it (`ErrorResourceInitFailed`),
    so the next `up` finishes it as an update instead of failing on the taken name."""

    def __init__(self, message: str, resource_id: str, outputs: dict[str, Any]) -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.outputs = outputs
        self.details: provider_pb2.ErrorResourceInitFailed | None = None


def _one_line(operation: str, call: Callable[[], R], secrets: set[str]) -> R:
    try:
        return call()
    except RequestFailed:
        raise
    except PartialCreateError as error:
        reason = f"{error.cause}; the config {error.config_id} was created but not completed"
        raise InitFailed(redact(" ".join(reason.split()), secrets), error.config_id, error.outputs) from None
    except PhoneConfigError as error:  # AgentLookupError included
        message = error.spelled(PROGRAM_SPELLING)  # the fields it names as the program spells them
    except Exception as error:  # a bug of ours: say what, without a stack or a credential
        message = f"{operation}: unexpected {type(error).__name__}: {error}"
    raise RequestFailed(redact(" ".join(message.split()), secrets)) from None


def _handled(method: Callable[[PhonecfgServicer, Any, grpc.ServicerContext], R]) -> Callable[..., R]:
    @functools.wraps(method)
    def wrapper(self: PhonecfgServicer, request: Any, context: grpc.ServicerContext) -> R:
        try:
            return method(self, request, context)
        except RequestFailed as failure:
            if isinstance(failure, InitFailed) and failure.details is not None:
                context.set_trailing_metadata(_status_details(str(failure), failure.details))
            context.abort(grpc.StatusCode.UNKNOWN, str(failure))
            raise  # abort raises; this line is never reached

    return wrapper


def _status_details(message: str, detail: provider_pb2.ErrorResourceInitFailed) -> tuple[tuple[str, bytes]]:
    """The trailer a gRPC status with details travels in (what `grpcio-status` would send; not a dependency)."""
    packed = any_pb2.Any()
    packed.Pack(detail)
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=message, details=[packed])
    return (("grpc-status-details-bin", status.SerializeToString()),)


def _resource_type(request: Any) -> str:
    kind = getattr(request, "type", "") or str(request.urn).rsplit("::", 2)[-2].rsplit("$", 1)[-1]
    if kind not in RESOURCE_TYPES:
        raise RequestFailed(f"unknown resource type {kind!r}: this provider serves {', '.join(RESOURCE_TYPES)}")
    return kind


def _set_keys(kind: str) -> Mapping[str, ElementKey]:
    """The set-like lists of the resource (whose `ignoreChanges` indexes address elements by key)."""
    return phone_config.SET_KEYS if kind == phone_config.TOKEN else {}


def _config_secrets(struct: Any) -> set[str]:
    """The credentials in a provider configuration, to keep out of its error lines."""
    try:
        decoded = decode(struct)
    except Exception:  # an undecodable configuration is reported by the call itself
        return set()
    return secret_values(decoded.values, decoded.secret)


def _secret_properties(kind: str) -> frozenset[str]:
    """The properties always secret on the wire (a PhoneNumber has none of its own)."""
    return phone_config.SECRET_PROPERTIES if kind == phone_config.TOKEN else frozenset()


def _outputs(kind: str, outputs: Mapping[str, Any], secret: frozenset[str]) -> Any:
    return encode(outputs, secret | _secret_properties(kind))


class PhonecfgServicer(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self, executor: futures.ThreadPoolExecutor | None = None) -> None:
        self.provider = NativeProvider()
        self.executor = executor

    # ---- plugin and provider configuration ---------------------------------------------------------------

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> Any:
        return plugin_pb2.PluginInfo(version=package_version())

    def GetSchema(self, request: provider_pb2.GetSchemaRequest, context: grpc.ServicerContext) -> Any:
        return provider_pb2.GetSchemaResponse(schema=schema_json())

    @_handled
    def CheckConfig(self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext) -> Any:
        def failures() -> list[tuple[str, str]]:
            return config_failures(decode(request.news).values)

        return provider_pb2.CheckResponse(
            inputs=request.news,
            failures=[
                provider_pb2.CheckFailure(property=key, reason=reason)
                for key, reason in _one_line("check config", failures, _config_secrets(request.news))
            ],
        )

    @_handled
    def DiffConfig(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> Any:
        def diff() -> tuple[list[str], list[str]]:
            # The old inputs when the engine sends them (outputs of a provider are its inputs anyway).
            olds = decode(request.old_inputs if request.HasField("old_inputs") else request.olds).values
            news = decode(request.news).values
            olds.pop("version", None), news.pop("version", None)
            changed = sorted(key for key in {*olds, *news} if olds.get(key) != news.get(key))
            return changed, replaced_keys(olds, news) if changed else []

        changed, replaces = _one_line("diff config", diff, _config_secrets(request.news))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
            replaces=replaces,
        )

    @_handled
    def Configure(self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext) -> Any:
        def configure() -> ProviderSettings | None:
            values = {**from_variables(request.variables), **decode(request.args).values}
            # Not known until the update (preview): stay "not configured yet" rather than fail or half-apply.
            return None if unknown_keys(values) else self.provider.configure_from(config_lookup(values))

        settings = _one_line("configure", configure, _config_secrets(request.args))
        if settings is not None:
            self._widen(settings.provider_threads)
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=True)

    def _widen(self, threads: int) -> None:
        """Serve up to `phonecfg:providerThreads` calls at once (the pool only grows; threads start lazily)."""
        executor = self.executor
        if executor is not None and isinstance(getattr(executor, "_max_workers", None), int):
            with executor._shutdown_lock:
                executor._max_workers = max(executor._max_workers, threads)

    # ---- resources: PhoneConfig, PhoneNumber and AgentAttachment, each through its module of the same calls ------

    @_handled
    def Check(self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        news = decode(request.news)
        strict = self.provider.settings.strict_phone_numbers

        def check() -> phone_config.Checked:
            if kind == phone_number.TOKEN:
                return phone_number.check(news.values, strict_numbers=strict)
            if kind == agent_attachment.TOKEN:
                return agent_attachment.check(news.values)
            return phone_config.check(news.values, strict_numbers=strict)

        checked = _one_line("check", check, collect_secrets(news.values))
        return provider_pb2.CheckResponse(
            inputs=encode(checked.inputs, news.secret | _secret_properties(kind)),
            failures=[provider_pb2.CheckFailure(property=path, reason=reason) for path, reason in checked.failures],
        )

    @_handled
    def Diff(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        olds, news = decode(request.olds).values, decode(request.news).values
        differ = {phone_number.TOKEN: phone_number.diff, agent_attachment.TOKEN: agent_attachment.diff}.get(
            kind, phone_config.diff
        )

        def diff() -> phone_config.Diff:
            return differ(olds, keep_ignored(news, olds, request.ignoreChanges, _set_keys(kind)))

        result = _one_line("diff", diff, collect_secrets(news))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if result.changes else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=result.replaces,
            diffs=result.changed,
            # A replaced config has the same name, and a number can belong to one config only; a moved number
            # leaves its old trunk before it is added to the new one; an attachment moved to another pair or
            # config is detached before the new pair is attached: delete first, for all three.
            deleteBeforeReplace=True,
            detailedDiff={
                path: provider_pb2.PropertyDiff(kind=_KINDS[(change, replaces)], inputDiff=False)
                for path, (change, replaces) in result.detailed.items()
            },
            hasDetailedDiff=True,
        )

    @_handled
    def Create(self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        inputs = decode(request.properties)
        if request.preview:  # what the create will return, so the engine need not mark every output unknown
            planners: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
                phone_number.TOKEN: dict,
                agent_attachment.TOKEN: agent_attachment.planned_create,
            }
            planned = planners.get(kind, planned_config_create)(inputs.values)
            return provider_pb2.CreateResponse(id="", properties=_outputs(kind, planned, inputs.secret))

        def create() -> phone_config.Created:
            with self.provider.operation(request.timeout) as api:
                if kind == phone_number.TOKEN:
                    return phone_number.create(api, inputs.values)
                if kind == agent_attachment.TOKEN:
                    return agent_attachment.create(api, self.provider.config_locks, inputs.values)
                known, adopt = self.provider.known_configs(), self.provider.settings.adopt_existing
                return phone_config.create(api, inputs.values, known=known, adopt_default=adopt)

        try:
            created = _one_line("create", create, collect_secrets(inputs.values))
        except InitFailed as partial:
            partial.details = provider_pb2.ErrorResourceInitFailed(
                id=partial.resource_id,
                properties=_outputs(kind, keys_to_program(partial.outputs), inputs.secret),
                inputs=request.properties,
                reasons=[str(partial)],
            )
            raise
        if created.adopted:
            self.provider.adopted_here.add(request.urn, created.id)
        return provider_pb2.CreateResponse(id=created.id, properties=_outputs(kind, created.outputs, inputs.secret))

    @_handled
    def Read(self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        outputs, inputs = decode(request.properties), decode(request.inputs)

        def read() -> phone_config.Read:
            with self.provider.operation() as api:
                if kind == phone_number.TOKEN:
                    return phone_number.read(api, request.id, outputs.values, inputs.values)
                if kind == agent_attachment.TOKEN:
                    return agent_attachment.read(api, request.id, outputs.values, inputs.values)
                return phone_config.read(api, request.id, outputs.values, inputs.values)

        result = _one_line("read", read, set())
        if not result.id:
            return provider_pb2.ReadResponse(id="")
        secret = outputs.secret | inputs.secret
        return provider_pb2.ReadResponse(
            id=result.id,
            properties=_outputs(kind, result.outputs, secret),
            inputs=request.inputs if result.inputs is None else encode(result.inputs, _secret_properties(kind)),
        )

    @_handled
    def Update(self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        olds, news = decode(request.olds), decode(request.news)
        ignoring = _one_line(
            "update",
            lambda: keep_ignored(news.values, olds.values, request.ignoreChanges, _set_keys(kind)),
            collect_secrets(news.values),
        )
        if request.preview:  # what the update will return, without a request
            if kind == phone_number.TOKEN:
                planned = ignoring
            elif kind == agent_attachment.TOKEN:
                planned = agent_attachment.planned_update(olds.values, ignoring)
            else:
                planned = planned_config_update(request.id, olds.values, ignoring)
            return provider_pb2.UpdateResponse(properties=_outputs(kind, planned, news.secret))

        def update() -> dict[str, Any]:
            with self.provider.operation(request.timeout) as api:
                if kind == phone_number.TOKEN:
                    return phone_number.update(api, request.id, olds.values, ignoring)
                if kind == agent_attachment.TOKEN:
                    return agent_attachment.update(api, self.provider.config_locks, request.id, olds.values, ignoring)
                return phone_config.update(api, request.id, olds.values, ignoring, known=self.provider.known_configs())

        outputs = _one_line("update", update, collect_secrets(news.values))
        return provider_pb2.UpdateResponse(properties=_outputs(kind, outputs, news.secret))

    @_handled
    def Delete(self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext) -> Any:
        kind = _resource_type(request)
        outputs = decode(request.properties).values
        if self.provider.adopted_here.holds(request.urn, request.id):
            log.debug("delete of %s %s skipped: its replacement holds the same object", kind, request.id)
            return empty_pb2.Empty()

        def delete() -> None:
            with self.provider.operation(request.timeout) as api:
                if kind == phone_number.TOKEN:
                    phone_number.delete(api, request.id, outputs)
                elif kind == agent_attachment.TOKEN:
                    agent_attachment.delete(api, self.provider.config_locks, request.id, outputs)
                else:
                    phone_config.delete(api, request.id, known=self.provider.known_configs())

        _one_line("delete", delete, set())
        return empty_pb2.Empty()

    # ---- functions ----------------------------------------------------------------------------------------

    def Invoke(self, request: provider_pb2.InvokeRequest, context: grpc.ServicerContext) -> Any:
        """A failure goes back as the response's `failures` (what the SDKs show as the function's error), in the
        one-line form every other call uses."""

        def invoke() -> tuple[dict[str, Any], frozenset[str]]:
            if request.tok != GET_AGENT_TOKEN:
                raise RequestFailed(f"unknown function {request.tok!r}: this provider serves {GET_AGENT_TOKEN}")
            args = decode(request.args)
            result = self.provider.get_agent(args.values)
            # A secret argument makes the whole result secret: the ids say which agent was asked for.
            return result, frozenset(result) if args.secret else frozenset()

        try:
            result, secret = _one_line("getAgent", invoke, set())
        except RequestFailed as failure:
            return provider_pb2.InvokeResponse(failures=[provider_pb2.CheckFailure(reason=str(failure))])
        return provider_pb2.InvokeResponse(**{"return": encode(result, secret)})

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> Any:
        """Ctrl-C in the CLI: stop retrying now (waits end, no new retry); the engine shuts the plugin down next."""
        self.provider.cancel()
        return empty_pb2.Empty()


def serve(threads: int = DEFAULT_THREADS) -> tuple[grpc.Server, int]:
    """Start serving on a free loopback port; return the server and its port."""
    executor = futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="phonecfg")
    server = grpc.server(executor, options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(PhonecfgServicer(executor), server)
    port = int(server.add_insecure_port("127.0.0.1:0"))
    server.start()
    return server, port


def main() -> None:
    """Entry point of `pulumi-resource-phonecfg` (the engine passes its own address as an argument; unused)."""
    debug_from_environment()
    logging.getLogger("grpc").setLevel(logging.CRITICAL)
    server, port = serve()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop(0)
