"""The provider's answers to the CLI's gRPC calls (tfplugin6).

The `tf` framework from PyPI serves the protocol (go-plugin handshake, TLS, the gRPC server) and its generated
messages are used here; its resource model is not: it hides the config from create/update (write-only credentials
live only there), plans unknown values only on create and has no single nested attributes. So every resource call
is answered here, from `resources.py`.

Errors: a failed check names the HCL attribute (the CLI shows the source line); an API error is the core's one
line (operation, status, the API's `detail`), never a traceback, never a credential.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import grpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from pulumi_phonecfg.core.http.errors import PhoneConfigError
from pulumi_phonecfg.core.lifecycle.agents import AgentLookupError, lookup_agent
from pulumi_phonecfg.core.lifecycle.session import ProviderSession
from pulumi_phonecfg.terraform.provider_config import PROVIDER_SCHEMA, settings_or_failure
from pulumi_phonecfg.terraform.resources import IMPORTING, RESOURCES, PlanError, TfResource
from pulumi_phonecfg.terraform.schema import AGENT_DATA_SOURCE
from pulumi_phonecfg.terraform.values import contains_unknown, decode, encode, from_core

Response = TypeVar("Response")


def _path(path: str) -> pb.AttributePath:
    """`security.password` -> two attribute steps; a set element (`phone_numbers[0]...`) stops at the set: the
    CLI addresses set elements by value, which the message already shows."""
    steps = []
    for part in path.split("."):
        name, bracket, _ = part.partition("[")
        if name:
            steps.append(pb.AttributePath.Step(attribute_name=name))
        if bracket:
            break
    return pb.AttributePath(steps=steps)


def error(summary: str, detail: str = "", path: str = "") -> pb.Diagnostic:
    diagnostic = pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)
    if path:
        diagnostic.attribute.CopyFrom(_path(path))
    return diagnostic


class PhoneConfigProviderServicer(rpc.ProviderServicer):  # type: ignore[misc]
    """Thread-safe: the CLI runs calls for several resources at once; the session serializes what must be."""

    def __init__(self) -> None:
        self.session = ProviderSession()

    # ---- provider ------------------------------------------------------------------------------------------

    def GetMetadata(self, request: pb.GetMetadata.Request, context: grpc.ServicerContext) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=False, get_provider_schema_optional=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=name) for name in RESOURCES],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=AGENT_DATA_SOURCE.type_name)],
        )

    def GetProviderSchema(
        self, request: pb.GetProviderSchema.Request, context: grpc.ServicerContext
    ) -> pb.GetProviderSchema.Response:
        return pb.GetProviderSchema.Response(
            provider=PROVIDER_SCHEMA.to_pb(),
            resource_schemas={name: r.schema.to_pb() for name, r in RESOURCES.items()},
            data_source_schemas={AGENT_DATA_SOURCE.type_name: AGENT_DATA_SOURCE.to_pb()},
            provider_meta=pb.Schema(block=pb.Schema.Block()),
            server_capabilities=pb.ServerCapabilities(get_provider_schema_optional=True),
        )

    def ValidateProviderConfig(
        self, request: pb.ValidateProviderConfig.Request, context: grpc.ServicerContext
    ) -> pb.ValidateProviderConfig.Response:
        _, failure = settings_or_failure(decode(request.config) or {})
        diagnostics = [] if failure is None else [error(failure[1], path=failure[0])]
        return pb.ValidateProviderConfig.Response(diagnostics=diagnostics)

    def ConfigureProvider(
        self, request: pb.ConfigureProvider.Request, context: grpc.ServicerContext
    ) -> pb.ConfigureProvider.Response:
        settings, failure = settings_or_failure(decode(request.config) or {})
        if failure is not None:
            return pb.ConfigureProvider.Response(diagnostics=[error(failure[1], path=failure[0])])
        if settings is not None:  # None: a setting is unknown until apply; the plan needs no request
            self.session.configure(settings)
        return pb.ConfigureProvider.Response()

    def StopProvider(self, request: pb.StopProvider.Request, context: grpc.ServicerContext) -> pb.StopProvider.Response:
        self.session.cancel()
        return pb.StopProvider.Response()

    # ---- resources -----------------------------------------------------------------------------------------

    def _answer(self, respond: Callable[..., Response], work: Callable[[], Response]) -> Response:
        """`work()`, or the one-line error of a failed check or request as its diagnostics."""
        try:
            return work()
        except PlanError as failed:
            return respond(
                diagnostics=[
                    error(f"{path} {reason}", "Refused before any request.", path) for path, reason in failed.failures
                ]
            )
        except PhoneConfigError as failed:
            return respond(diagnostics=[error(str(failed))])

    def ValidateResourceConfig(
        self, request: pb.ValidateResourceConfig.Request, context: grpc.ServicerContext
    ) -> pb.ValidateResourceConfig.Response:
        resource = RESOURCES[request.type_name]
        config = decode(request.config) or {}

        def validate() -> pb.ValidateResourceConfig.Response:
            resource.checked(config, self.session.settings.strict_phone_numbers)
            return pb.ValidateResourceConfig.Response()

        return self._answer(pb.ValidateResourceConfig.Response, validate)

    def UpgradeResourceState(
        self, request: pb.UpgradeResourceState.Request, context: grpc.ServicerContext
    ) -> pb.UpgradeResourceState.Response:
        """Schema version 0 only so far: attributes added since the state was written read as null, removed ones
        are dropped."""
        resource = RESOURCES[request.type_name]
        raw = json.loads(request.raw_state.json or b"{}")
        state = {a.name: raw.get(a.name) for a in resource.schema.attributes}
        return pb.UpgradeResourceState.Response(upgraded_state=encode(state))

    def PlanResourceChange(
        self, request: pb.PlanResourceChange.Request, context: grpc.ServicerContext
    ) -> pb.PlanResourceChange.Response:
        resource = RESOURCES[request.type_name]
        prior, proposed = decode(request.prior_state), decode(request.proposed_new_state)
        if proposed is None:  # destroy
            return pb.PlanResourceChange.Response(planned_state=encode(None))
        config = decode(request.config) or {}

        def plan() -> pb.PlanResourceChange.Response:
            planned = resource.plan(prior, config, self.session.settings.strict_phone_numbers)
            return pb.PlanResourceChange.Response(
                planned_state=encode(planned.state),
                requires_replace=[_path(name) for name in planned.replaces],
            )

        return self._answer(pb.PlanResourceChange.Response, plan)

    def ApplyResourceChange(
        self, request: pb.ApplyResourceChange.Request, context: grpc.ServicerContext
    ) -> pb.ApplyResourceChange.Response:
        resource = RESOURCES[request.type_name]
        prior, planned = decode(request.prior_state), decode(request.planned_state)
        config = decode(request.config) or {}

        def apply() -> pb.ApplyResourceChange.Response:
            with self.session.operation() as api:
                if planned is None:
                    resource.delete_state(self.session, api, prior)
                    return pb.ApplyResourceChange.Response(new_state=encode(None))
                if prior is None:
                    state = resource.create_state(self.session, api, config, planned)
                else:
                    state = resource.update_state(self.session, api, prior, config, planned)
            return pb.ApplyResourceChange.Response(new_state=encode(state))

        return self._answer(pb.ApplyResourceChange.Response, apply)

    def ReadResource(self, request: pb.ReadResource.Request, context: grpc.ServicerContext) -> pb.ReadResource.Response:
        resource = RESOURCES[request.type_name]
        current = decode(request.current_state) or {}
        importing = request.private == IMPORTING

        def read() -> pb.ReadResource.Response:
            with self.session.operation() as api:
                state = resource.read_state(api, current, importing=importing)
            return pb.ReadResource.Response(new_state=encode(state))

        return self._answer(pb.ReadResource.Response, read)

    def ImportResourceState(
        self, request: pb.ImportResourceState.Request, context: grpc.ServicerContext
    ) -> pb.ImportResourceState.Response:
        """The id alone; the ReadResource that follows (told by the private state) reads every field."""
        resource: TfResource = RESOURCES[request.type_name]
        state = from_core({"id": request.id.strip()}, resource.schema.attributes)
        imported = pb.ImportResourceState.ImportedResource(
            type_name=request.type_name, state=encode(state), private=IMPORTING
        )
        return pb.ImportResourceState.Response(imported_resources=[imported])

    # ---- data source ---------------------------------------------------------------------------------------

    def ValidateDataResourceConfig(
        self, request: pb.ValidateDataResourceConfig.Request, context: grpc.ServicerContext
    ) -> pb.ValidateDataResourceConfig.Response:
        config = decode(request.config) or {}
        diagnostics = [
            error(f"{name} must be a non-empty string", path=name)
            for name in ("name", "environment")
            if isinstance(config.get(name), str) and not config[name].strip()
        ]
        return pb.ValidateDataResourceConfig.Response(diagnostics=diagnostics)

    def ReadDataSource(
        self, request: pb.ReadDataSource.Request, context: grpc.ServicerContext
    ) -> pb.ReadDataSource.Response:
        config: Mapping[str, Any] = decode(request.config) or {}

        def read() -> pb.ReadDataSource.Response:
            if contains_unknown(config):
                raise AgentLookupError("phonecfg_agent: name and environment must be known at plan time")
            environment = config.get("environment") or "live"
            found = lookup_agent(self.session.settings, config.get("name"), environment)
            state = {"name": config.get("name"), "environment": environment, **dataclasses.asdict(found)}
            return pb.ReadDataSource.Response(state=encode(from_core(state, AGENT_DATA_SOURCE.attributes)))

        return self._answer(pb.ReadDataSource.Response, read)
